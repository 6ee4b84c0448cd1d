"""The year of the books' opening balance: the balances it brings in are no change of that year
(``nhnfin.statements.books_opening_balance``, the one definition the cash flow reads too). Before,
the equity tie-out of the year holding only the opening balance compared a result of 0 with a
change in retained equity of 4 000 000 (the opening balance's 2050 leg)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from nhnfin.model import Report
from nhnfin.model import Status
from nhnfin.model import TieOut
from nhnfin.report import build_report
from tests.conftest import load_text
from tests.fava.drill_check import Checker
from tests.test_cash_flow import OPENING


def equity_check(report: Report) -> TieOut:
    (found,) = [t for t in report.tieouts
                if t.check_id == f"eq.result_equals_change.{report.year}"]
    return found


@pytest.mark.parametrize(("text", "year", "result"), [
    (OPENING, 2024, Decimal(0)),  # the year holds only the opening balance (on 2024-12-31)
    (OPENING, 2025, Decimal("90000.00")),  # the next year (unchanged)
    # the opening balance on the first day of the year of the first flows
    (OPENING.replace("2024-12-31", "2025-01-01"), 2025, Decimal("90000.00")),
])
def test_the_result_equals_the_change_in_retained_equity_without_the_opening_balance(
        text: str, year: int, result: Decimal) -> None:
    ledger = load_text(text)
    assert ledger.errors == []
    check = equity_check(build_report(ledger, year))
    assert (check.left, check.right, check.status) == (result, result, Status.PASSED)
    checker = Checker(ledger)
    assert check.right_drill is not None
    assert set(checker.shown(check.right_drill)) == {result}


def test_a_period_report_of_the_opening_year_leaves_the_opening_balance_out() -> None:
    text = OPENING.replace("2024-12-31", "2025-01-01")
    ledger = load_text(text)
    report = build_report(ledger, 2025, as_of=datetime.date(2025, 6, 30))
    check = equity_check(report)
    assert (check.left, check.right, check.status) == (
        Decimal("90000.00"), Decimal("90000.00"), Status.PASSED)


# the opening balance also brings in a fixed asset: cost 900 000, depreciated 300 000
WITH_ASSETS = OPENING.replace(
    "2024-12-31 open Assets:1920-Bank\n",
    "2024-12-31 open Assets:1200-Infrastructure\n"
    "2024-12-31 open Assets:1209-InfrastructureAccumDepreciation\n"
    "2024-12-31 open Assets:1920-Bank\n").replace(
    "  Equity:2050-OtherEquity          -4000000.00 NOK\n",
    "  Assets:1200-Infrastructure                   900000.00 NOK\n"
    "  Assets:1209-InfrastructureAccumDepreciation -300000.00 NOK\n"
    "  Equity:2050-OtherEquity                    -4600000.00 NOK\n")


def note_rows(report: Report, number: str, table: int = 0) -> dict[str, list[Decimal | None]]:
    found = report.note(number).tables[table]
    return {r.key: [r.values.get(c.key) for c in found.columns] for r in found.rows
            if not r.text_values}


def test_the_notes_of_the_opening_year_bring_the_opening_balance_in() -> None:
    """Before: note 8 printed the opening balance's asset as the year's addition (900 000) and
    its accumulated depreciation as the year's depreciation (−300 000), failing "Årets
    avskrivninger = minus Avskrivninger" (−300 000 against 0); note 9 printed its equity as
    "Andre endringer" (1 000 000 / 4 600 000 / 5 600 000)."""
    ledger = load_text(WITH_ASSETS)
    assert ledger.errors == []
    report = build_report(ledger, 2024)
    zero = [Decimal(0)] * 3
    assert note_rows(report, "8") == {
        "cost_at_01_01": zero, "accumulated_depreciation_and_impairment_at_01_01": zero,
        "book_value_at_01_01": zero,
        "brought_in": [Decimal("600000.00"), Decimal(0), Decimal("600000.00")],
        "additions": zero, "disposals": zero, "depreciation_for_year": zero,
        "impairment_for_year": zero,
        "book_value_at_31_12": [Decimal("600000.00"), Decimal(0), Decimal("600000.00")]}
    assert note_rows(report, "9") == {
        "balance_at_2023_12_31": zero, "balance_at_2024_01_01": zero,
        "brought_in": [Decimal("1000000.00"), Decimal("4600000.00"), Decimal("5600000.00")],
        "result_for_the_year": zero,
        "balance_at_2024_12_31": [Decimal("1000000.00"), Decimal("4600000.00"),
                                  Decimal("5600000.00")]}
    assert [t.check_id for t in report.tieouts if t.status == Status.FAILED] == []
    (written,) = [t for t in report.tieouts
                  if t.check_id == "n8.depreciation_vs_income_statement"]
    assert (written.left, written.right) == (Decimal(0), Decimal(0))
    checker = Checker(ledger)
    for number in ("8", "9"):
        for row in report.note(number).tables[0].rows:
            for column, value in row.values.items():
                if value is not None:
                    assert set(checker.shown(row.drill[column])) == {value}, (number, row.key)
    # the next year reads it as the balance at 1 January, as before
    later = note_rows(build_report(ledger, 2025), "8")
    assert "brought_in" not in later
    assert later["book_value_at_01_01"] == [Decimal("600000.00"), Decimal(0),
                                            Decimal("600000.00")]
