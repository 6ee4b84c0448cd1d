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
