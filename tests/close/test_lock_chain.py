"""Issue 17 item 3, a chain of locks: 2025 is closed after 2024 on a small literal ledger; both
locks hold, and a change in 2024 is blamed on the 2024 lock."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from nhnfin.cli.main import main as cli
from nhnfin.ledger import load
from tests.close.conftest import run_close
from tests.close.conftest import write

BOOKS = """
option "title" "Testforetaket AS"
option "operating_currency" "NOK"
plugin "nhnfin"

2019-12-31 open Assets:1920-Bank NOK
2019-12-31 open Equity:2000-ContributedCapital NOK
2019-12-31 open Equity:2050-OtherEquity NOK
2019-12-31 open Equity:8960-TransferToOtherEquity NOK
2019-12-31 open Income:3400-GrantIncome NOK
2019-12-31 open Expenses:6300-Rent NOK

2023-12-31 * "Innskutt kapital"
  Assets:1920-Bank                 1000.00 NOK
  Equity:2000-ContributedCapital  -1000.00 NOK

2024-03-01 * "Tilskudd"
  Assets:1920-Bank                  300.00 NOK
  Income:3400-GrantIncome          -300.00 NOK

2024-06-01 * "Husleie"
  Expenses:6300-Rent                120.00 NOK
  Assets:1920-Bank                 -120.00 NOK

2025-03-01 * "Tilskudd"
  Assets:1920-Bank                  500.00 NOK
  Income:3400-GrantIncome          -500.00 NOK

2025-06-01 * "Husleie"
  Expenses:6300-Rent                200.00 NOK
  Assets:1920-Bank                 -200.00 NOK
"""


def close(main: Path, year: int) -> str:
    result = run_close(main, "--year", year, "--waive", "months",
                       "--locked-by", "kari", "--waive", "reconciliation")
    assert result.exit_code == 0, result.output
    main.write_text(main.read_text(encoding="utf-8") + f'include "close-{year}.beancount"\n')
    return (main.parent / f"close-{year}.beancount").read_text(encoding="utf-8")


def errors_at(main: Path) -> list[tuple[str, int, str]]:
    return [(Path(e.source["filename"]).name, e.source["lineno"], e.message)
            for e in load(main).errors]


def report(main: Path, year: int) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["report", str(main), "--year", str(year), "--format",
                                      "json", "--no-cache"])
    return result.exit_code, result.output


def test_closing_2025_after_2024_keeps_both_locks(tmp_path: Path) -> None:
    main = write(tmp_path / "books.beancount", BOOKS)
    first = close(main, 2024)
    assert "  after:" not in first
    digest_2024 = first.split('custom "nhnfin-lock" "')[1][:64]
    second = close(main, 2025)
    assert "2025-12-31 * \"Testforetaket AS\" \"Årsoppgjør 2025: årsresultat overført" in second
    assert "  Equity:8960-TransferToOtherEquity   300.00 NOK\n" in second
    assert f'  after: 2024-12-31\n  after-digest: "{digest_2024}"\n' in second
    assert "  entries: 3\n" in second  # the two 2025 transactions and the 2025 transfer
    assert errors_at(main) == []
    assert report(main, 2025)[0] == 0
    assert report(main, 2024)[0] == 0


def test_a_change_in_2024_is_blamed_on_the_2024_lock(tmp_path: Path) -> None:
    main = write(tmp_path / "books.beancount", BOOKS)
    close(main, 2024)
    close(main, 2025)
    main.write_text(main.read_text(encoding="utf-8").replace("120.00 NOK", "121.00 NOK"))
    [(name, line, message)] = errors_at(main)
    assert (name, line) == ("close-2024.beancount", 10)
    assert message.startswith(
        f"låst periode til og med 2024-12-31 er endret siden låsen: posten på {main}:20 "
        '(2024-06-01 transaksjon "Husleie" (121.00 NOK)) er endret (låst versjon: 2024-06-01 '
        'transaksjon "Husleie" (120.00 NOK), på books.beancount:20 da den ble låst)')
    code, output = report(main, 2025)
    assert code == 1
    assert f"feil: {tmp_path}/close-2024.beancount:10: låst periode til og med 2024-12-31" in output
    assert (f"feil: {tmp_path}/close-2025.beancount:10: låst periode til og med 2025-12-31 er "
            "endret: tallet income_statement/" in output)
    assert "årsak: den låste perioden til og med 2024-12-31 er endret" in output


def test_a_change_in_2025_is_blamed_on_the_2025_lock(tmp_path: Path) -> None:
    main = write(tmp_path / "books.beancount", BOOKS)
    close(main, 2024)
    close(main, 2025)
    main.write_text(main.read_text(encoding="utf-8").replace("200.00 NOK", "201.00 NOK"))
    assert [(n, line) for n, line, _ in errors_at(main)] == [("close-2025.beancount", 10)]


def test_the_2025_lock_needs_the_2024_lock_it_follows(tmp_path: Path) -> None:
    main = write(tmp_path / "books.beancount", BOOKS)
    close(main, 2024)
    close(main, 2025)
    main.write_text(main.read_text(encoding="utf-8").replace('include "close-2024.beancount"\n',
                                                             ""))
    record = tmp_path / "locks" / "2024-12-31.json"
    assert errors_at(main) == [(
        "2024-12-31.json", 1,
        f"låst periode til og med 2024-12-31 har ikke lenger noen lås: låseposten {record} står "
        'der, men hovedboken har ingen custom "nhnfin-lock" for 2024-12-31 (er include av '
        "avslutningsfilen fjernet, eller ikke lagt til ennå?), så endringer i perioden "
        "kontrolleres ikke; skal året åpnes igjen, flytt låseposten ut av locks/ "
        "(docs/year-end-close.md)"), (
        "close-2025.beancount", 10,
        "låst periode til og med 2025-12-31 følger låsen til og med 2024-12-31, som ikke lenger "
        "er i regnskapet slik den ble låst; gjenopprett den (årsavslutningsfilen og registeret)")]


def test_2024_cannot_be_closed_again_after_2025(tmp_path: Path) -> None:
    main = write(tmp_path / "books.beancount", BOOKS)
    close(main, 2024)
    close(main, 2025)
    result = run_close(main, "--year", 2024, "--waive", "months",
                       "--output", tmp_path / "again" / "close.beancount")
    assert result.exit_code == 1
    assert ("close-2024.beancount:10: regnskapet er allerede låst til og med 2024-12-31 "
            f"(låseposten {tmp_path / 'locks' / '2024-12-31.json'}); et låst år kan ikke "
            "avsluttes på nytt") in result.output
    assert "årsavslutning 2024 av" not in result.output  # said before any check runs


def test_close_quotes_the_lock_checks_error_on_a_line_of_its_own(tmp_path: Path) -> None:
    """A changed figure's cause that is the lock check's (English, as Beancount's errors are)
    error is not run on after the Norwegian sentence: it is quoted on its own line, indented
    under the line it belongs to and labelled as Beancount's."""
    main = write(tmp_path / "books.beancount", BOOKS)
    close(main, 2024)
    main.write_text(main.read_text(encoding="utf-8").replace("120.00 NOK", "121.00 NOK"))
    result = run_close(main, "--year", 2025, "--waive", "months", "--dry-run")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    [at] = [i for i, line in enumerate(lines) if "tallet income_statement/" in line]
    lock = f"{tmp_path}/close-2024.beancount:10"
    assert lines[at] == (
        f"         ✗ {lock}: låst periode til og med 2024-12-31 er endret: tallet "
        "income_statement/other_operating_costs/2024 er 121.00, men var 120.00 da året ble låst; "
        f"årsak: feilen bean-check gir ved låsen ({lock}), slik Beancount skriver den:")
    assert lines[at + 1].startswith(
        " " * 15 + "låst periode til og med 2024-12-31 er endret siden låsen: posten på "
        f"{main}:20")
