"""A locked directive changed in what its description did not show (round fourteen's probe).

The lock's error names a changed entry by its description, the one line the lock's record keeps
of it. A ``custom`` directive was described by its date and type only, a ``balance`` without its
amount: a changed population ("Stord-kommune" 19000 to 20000), a changed allocation key, a
transfer's ``months: 36`` made 48 or a statement's balance made 2220500 all read alike in both
versions, and the hint after them said that "dato, tekst og beløp" were unchanged, "så er heller
ikke kontoene eller metadataene endret", and sent the controller to the options, which none of
these changes touched. Now the description shows a directive's values and a balance's amount,
and when only the metadata differs the hint says so and names it as it reads now.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from nhnfin.cli.close import close_cmd
from nhnfin.ledger import load

BOOKS = """option "title" "Testforetaket AS"
option "operating_currency" "NOK"
plugin "nhnfin"
2019-12-31 open Assets:1920-Bank NOK
2019-12-31 open Equity:2000-ContributedCapital NOK
2019-12-31 open Equity:2050-OtherEquity NOK
2019-12-31 open Equity:8960-TransferToOtherEquity NOK
2019-12-31 open Income:3400-GrantIncome NOK
2019-12-31 open Assets:1020-EHealthSolutions NOK
2019-12-31 open Assets:1029-EHealthSolutionsAccumAmortisation NOK
2019-12-31 open Liabilities:2180-DeliveryObligation NOK
2019-12-31 open Income:3410-DeliveryObligationIncome NOK
2019-12-31 open Expenses:6010-AmortisationIntangible NOK
2023-12-31 * "Innskutt kapital"
  Assets:1920-Bank                 1000.00 NOK
  Equity:2000-ContributedCapital  -1000.00 NOK
2024-01-01 custom "nhnfin-bank-account" "NO9386011117947" Assets:1920-Bank
2024-03-01 * "Tilskudd"
  Assets:1920-Bank                  300.00 NOK
  Income:3400-GrantIncome          -300.00 NOK
2024-04-01 balance Assets:1920-Bank  1300.00 NOK
2024-07-01 custom "nhnfin-transfer" "ovf" 1200.00 NOK
  months: 12
"""
PREFIX = "låst periode til og med 2024-12-31 er endret siden låsen: "
CLOSE_LINE = 10  # the lock directive in close-2024.beancount


@pytest.fixture(scope="module")
def closed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("closed")
    main = folder / "books.beancount"
    main.write_text(BOOKS, encoding="utf-8")
    result = CliRunner().invoke(close_cmd, [str(main), "--year", "2024", "--waive", "months",
                                            "--waive", "reconciliation", "--locked-by", "kari"])
    assert result.exit_code == 0, result.output
    main.write_text(BOOKS + 'include "close-2024.beancount"\n', encoding="utf-8")
    assert load(main).errors == []
    return folder


def _lock_error(closed: Path, tmp_path: Path, old: str, new: str) -> str:
    folder = Path(shutil.copytree(closed, tmp_path / "books"))
    main = folder / "books.beancount"
    text = main.read_text(encoding="utf-8")
    assert old in text
    main.write_text(text.replace(old, new), encoding="utf-8")
    errors = [e.message for e in load(main).errors
              if e.source.get("filename") == str(folder / "close-2024.beancount")
              and e.source.get("lineno") == CLOSE_LINE]
    assert len(errors) == 1, errors
    return errors[0].replace(str(folder) + "/", "")


def test_a_changed_custom_value_shows_both_values(closed: Path, tmp_path: Path) -> None:
    message = _lock_error(closed, tmp_path, '"NO9386011117947"', '"NO9386011117955"')
    assert message.startswith(
        f"{PREFIX}posten på books.beancount:17 (2024-01-01 custom \"nhnfin-bank-account\" "
        '"NO9386011117955" Assets:1920-Bank) er endret (låst versjon: 2024-01-01 custom '
        '"nhnfin-bank-account" "NO9386011117947" Assets:1920-Bank, på books.beancount:17 da den '
        "ble låst); "), message
    assert "kontoene eller metadataene" not in message
    assert "option" not in message


def test_changed_metadata_of_a_directive_is_named_as_such(closed: Path, tmp_path: Path) -> None:
    message = _lock_error(closed, tmp_path, "  months: 12\n", "  months: 24\n")
    assert message.startswith(
        f"{PREFIX}posten på books.beancount:22 (2024-07-01 custom \"nhnfin-transfer\" \"ovf\" "
        '1200.00 NOK) er endret (låst versjon: 2024-07-01 custom "nhnfin-transfer" "ovf" '
        "1200.00 NOK, på books.beancount:22 da den ble låst): dato og verdier er som da den ble "
        "låst, så er metadataene endret (nå: months: 24); "), message
    assert "option" not in message


def test_a_changed_balance_amount_shows_both_amounts(closed: Path, tmp_path: Path) -> None:
    message = _lock_error(closed, tmp_path, "Assets:1920-Bank  1300.00 NOK",
                          "Assets:1920-Bank  1300.50 NOK")
    assert message.startswith(
        f"{PREFIX}posten på books.beancount:21 (2024-04-01 saldokontroll Assets:1920-Bank "
        "1300.50 NOK) er endret (låst versjon: 2024-04-01 saldokontroll Assets:1920-Bank "
        "1300.00 NOK, på books.beancount:21 da den ble låst); "), message
