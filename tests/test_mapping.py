"""Every account lands on exactly one statement line, or bean-check says where it does not."""

from __future__ import annotations

import textwrap
from pathlib import Path

from beancount import loader

from nhnfin.ledger import from_entries
from nhnfin.model import Status
from nhnfin.report import build_report

PACKAGED = Path(__file__).resolve().parents[1] / "nhnfin" / "data" / "layout_nhn.toml"


def load_file(tmp_path: Path, text: str) -> tuple[list, list]:
    path = tmp_path / "books.beancount"
    path.write_text(textwrap.dedent(text).lstrip(), "utf-8")
    entries, errors, _ = loader.load_file(str(path))
    return entries, errors


def test_account_without_number_is_an_error_at_its_open(tmp_path: Path) -> None:
    _, errors = load_file(
        tmp_path,
        """
        plugin "nhnfin.mapping"
        2024-01-01 open Assets:1920-Bank
        2024-01-01 open Assets:Savings
        """,
    )
    assert len(errors) == 1
    assert "Assets:Savings har ikke noe NS 4102-nummer" in errors[0].message
    assert errors[0].source["lineno"] == 3
    assert errors[0].source["filename"].endswith("books.beancount")


def test_account_on_no_line_is_an_error_at_its_open(tmp_path: Path) -> None:
    # 8300-8899 (tax) is in the layout, 2200-2399 (long-term debt) in the cash flow only:
    # an account numbered 2250 has no balance-sheet line in NHN's layout
    _, errors = load_file(
        tmp_path,
        """
        plugin "nhnfin.mapping"
        2024-01-01 open Assets:1920-Bank
        2024-01-01 open Liabilities:2250-BondLoan
        """,
    )
    messages = [e.message for e in errors]
    assert messages == [
        "kontoen Liabilities:2250-BondLoan (2250) havner ikke på noen linje i balanse; legg "
        "nummeret til en linje i layouten"
    ]
    assert errors[0].source["lineno"] == 3


def test_account_on_two_lines_is_an_error(tmp_path: Path) -> None:
    layout = PACKAGED.read_text("utf-8").replace(
        'accounts = ["3100-3199"]', 'accounts = ["3000-3199"]', 1
    )
    (tmp_path / "layout.toml").write_text(layout, "utf-8")
    _, errors = load_file(
        tmp_path,
        """
        plugin "nhnfin.mapping"
        2024-01-01 custom "nhnfin-layout" "layout.toml"
        2024-01-01 open Income:3000-EHealthRevenue
        2024-01-01 open Income:3100-ServiceRevenue
        """,
    )
    assert [(e.source["lineno"], e.message) for e in errors] == [
        (
            3,
            "kontoen Income:3000-EHealthRevenue (3000) havner på 2 linjer i resultatregnskap: "
            "revenue_national_ehealth_solutions, service_revenue; den må havne på nøyaktig én",
        )
    ]


def test_invalid_layout_is_an_error_at_the_custom_directive(tmp_path: Path) -> None:
    (tmp_path / "layout.toml").write_text(
        'name = "broken"\n[[statements]]\nkey = "income_statement"\ntitle = "R"\n'
        'covers = ["3000-8999"]\n[[statements.lines]]\nkey = "a"\nlabel = "A"\n'
        'formula = "b + c"\n',
        "utf-8",
    )
    _, errors = load_file(
        tmp_path,
        """
        plugin "nhnfin.mapping"

        2024-01-01 custom "nhnfin-layout" "layout.toml"
        """,
    )
    assert len(errors) == 1
    assert errors[0].source["lineno"] == 3
    assert "viser til 'b', som ikke er en linje over den" in errors[0].message


def test_missing_layout_file_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    _, errors = load_file(
        tmp_path,
        """
        plugin "nhnfin.mapping"
        2024-01-01 custom "nhnfin-layout" "nowhere.toml"
        """,
    )
    assert len(errors) == 1
    assert "kan ikke lese layouten" in errors[0].message
    assert errors[0].source["lineno"] == 2


def test_layout_that_drops_an_account_fails_the_balance_tieout(tmp_path: Path) -> None:
    # a layout whose inventories line forgets 1400-1499: the account is reported at its open,
    # and the balance sheet no longer balances, which the tie-out says with the difference
    layout = PACKAGED.read_text("utf-8").replace(
        'accounts = ["1400-1499"]\nmeasure = "closing"',
        'accounts = ["1490-1499"]\nmeasure = "closing"',
    )
    (tmp_path / "layout.toml").write_text(layout, "utf-8")
    entries, errors = load_file(
        tmp_path,
        """
        plugin "nhnfin.mapping"
        2023-01-01 custom "nhnfin-layout" "layout.toml"
        2023-01-01 open Assets:1920-Bank
        2023-01-01 open Assets:1400-Inventory
        2023-01-01 open Equity:2050-OtherEquity
        2023-12-31 * "Opening"
          Assets:1920-Bank         70 NOK
          Assets:1400-Inventory    30 NOK
          Equity:2050-OtherEquity  -100 NOK
        2024-01-05 * "Interest"
          Assets:1920-Bank         1 NOK
          Equity:2050-OtherEquity  -1 NOK
        """,
    )
    assert [e.source["lineno"] for e in errors] == [4]
    report = build_report(from_entries(entries, errors, {}), 2024)
    balance = next(t for t in report.tieouts if t.check_id == "bs.balances.2024")
    assert balance.status == Status.FAILED
    assert balance.difference == -30
    assert any("Assets:1400-Inventory" in e for e in report.ledger_errors)


def test_accounts_numbered_once_for_every_statement(tmp_path: Path) -> None:
    """``numbered_accounts`` reads each account's number once, in the order of the names, for
    the unnumbered check and each statement's: the same errors, in the same order, as each
    check reading the numbers itself."""
    from nhnfin.mapping import ledger_accounts
    from nhnfin.mapping import numbered_accounts
    from nhnfin.mapping import resolve_layout
    from nhnfin.mapping import statement_errors
    from nhnfin.mapping import unnumbered_errors

    entries, _ = load_file(
        tmp_path,
        """
        2024-01-01 open Liabilities:2250-BondLoan
        2024-01-01 open Assets:Savings
        2024-01-01 open Assets:1920-Bank
        2024-01-01 open Liabilities:2251-OtherLoan
        """,
    )
    accounts = ledger_accounts(entries)
    numbered = numbered_accounts(accounts)
    assert [(a, n) for a, _, n in numbered] == [
        ("Assets:1920-Bank", 1920), ("Assets:Savings", None),
        ("Liabilities:2250-BondLoan", 2250), ("Liabilities:2251-OtherLoan", 2251)]
    assert [e.message for e in unnumbered_errors(accounts, numbered)] == [
        e.message for e in unnumbered_errors(accounts)]
    layout, _ = resolve_layout(entries)
    assert layout is not None
    found = [(e.source["lineno"], e.message) for s in layout.statements
             for e in statement_errors(s, accounts, numbered)]
    assert found == [(e.source["lineno"], e.message) for s in layout.statements
                     for e in statement_errors(s, accounts)]
    assert [line for line, _ in found] == [1, 4]
