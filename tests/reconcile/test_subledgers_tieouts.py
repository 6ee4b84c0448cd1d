"""Customer and supplier sub-ledgers against their control accounts; the report's tie-outs."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path

from nhnfin.model import Status
from nhnfin.reconcile.model import AgedItem
from nhnfin.reconcile.model import Outcome
from nhnfin.reconcile.run import control_accounts
from tests.reconcile.conftest import FEE
from tests.reconcile.conftest import PAYMENT
from tests.reconcile.conftest import books
from tests.reconcile.conftest import run_reconcile

D = Decimal

SUPPLIERS = """\
2022-12-31 open Liabilities:2400-TradePayables NOK
2022-12-31 open Liabilities:2400-TradePayables:Atea-AS NOK
2024-11-20 * "Atea AS" "Faktura 556677" ^sup-556677
  Liabilities:2400-TradePayables:Atea-AS      -3000.00 NOK
  Expenses:7700-Other                           3000.00 NOK
"""

#: Note 6 declares a recognised pension obligation of 1 536 (10 000 − 9 000 + 136 + 400);
#: the books hold 1 500: the note's tie-out to the balance sheet fails.
PENSION = """\
plugin "nhnfin.notes.note_data"
2022-12-31 open Liabilities:2100-PensionObligations NOK
2022-12-31 open Expenses:5420-PensionCost NOK
  note-row: "pension_costs"
2024-12-31 * "Pension cost 2024"
  Expenses:5420-PensionCost                     1500.00 NOK
  Liabilities:2100-PensionObligations          -1500.00 NOK
2024-12-31 custom "nhnfin-note-data" "6" "pension_balance" "accrued_pension_obligations" 10000 NOK
2024-12-31 custom "nhnfin-note-data" "6" "pension_balance" "plan_assets_at_market_value" -9000 NOK
2024-12-31 custom "nhnfin-note-data" "6" "pension_balance" "employer_tax_on_obligation" 136 NOK
2024-12-31 custom "nhnfin-note-data" "6" "pension_balance" \
"unrecognised_effect_of_estimate_deviations" 400 NOK
"""


def test_customer_open_items_with_age(tmp_path: Path) -> None:
    result = run_reconcile(books(tmp_path, PAYMENT, FEE))
    (sub,) = result.customers.subledgers
    assert sub.control == "Assets:1500-TradeReceivables"
    assert (sub.check.status, sub.check.left, sub.check.right) == (
        Status.PASSED, D("100000.50"), D("100000.50"))
    # Oslo kommune paid invoice 10042 on 20 December; Bergen's 10043 is 45 days old on 15 Jan
    assert sub.items == (AgedItem("Bergen-kommune", "Assets:1500-TradeReceivables:Bergen-kommune",
                                  "10043", datetime.date(2024, 12, 1), D("100000.50"), 45),)
    assert result.customers.outcome == Outcome.OK


def test_customer_subledger_out_of_balance_with_the_control_account(tmp_path: Path) -> None:
    on_control = """\
2024-12-10 * "Manual invoice without customer"
  Assets:1500-TradeReceivables                  7000.00 NOK
  Income:3100-Services                         -7000.00 NOK
"""
    result = run_reconcile(books(tmp_path, PAYMENT, FEE, on_control))
    (sub,) = result.customers.subledgers
    assert (sub.check.status, sub.check.left, sub.check.right) == (
        Status.FAILED, D("100000.50"), D("107000.50"))
    assert sub.check.detail == (
        "7 000 NOK er ført på Assets:1500-TradeReceivables selv, ikke på en kunde")
    assert (result.customers.outcome, result.customers.difference) == (
        Outcome.DIFFERENCE, D("-7000.00"))
    assert not result.reconciled


def test_no_supplier_subledger_is_reported_not_failed(tmp_path: Path) -> None:
    result = run_reconcile(books(tmp_path, PAYMENT, FEE))
    assert result.suppliers.subledgers == ()
    assert result.suppliers.outcome == Outcome.EMPTY
    assert result.reconciled


def test_supplier_subledger(tmp_path: Path) -> None:
    result = run_reconcile(books(tmp_path, PAYMENT, FEE, SUPPLIERS))
    (sub,) = result.suppliers.subledgers
    assert (sub.control, sub.check.check_id, sub.check.status) == (
        "Liabilities:2400-TradePayables", "subledger.2400", Status.PASSED)
    assert sub.check.description == "Leverandørreskontro = Liabilities:2400-TradePayables"
    assert [(i.party, i.reference, i.amount, i.age_days) for i in sub.items] == [
        ("Atea-AS", "sup-556677", D("-3000.00"), 56)]
    assert result.suppliers.outcome == Outcome.OK


def test_control_accounts_need_sub_accounts() -> None:
    accounts = ["Assets:1500-TradeReceivables", "Assets:1500-TradeReceivables:Oslo",
                "Liabilities:2400-TradePayables", "Assets:1920-Bank"]
    assert control_accounts(accounts, 1500) == ["Assets:1500-TradeReceivables"]
    assert control_accounts(accounts, 2400) == []


def test_failing_tieout_fails_the_reconciliation(tmp_path: Path) -> None:
    result = run_reconcile(books(tmp_path, PAYMENT, FEE, PENSION))
    (failed,) = result.tieouts.failed
    assert (failed.check_id, failed.left, failed.right) == (
        "n6.obligation_vs_balance_sheet.2024", D(1536), D(1500))
    assert result.tieouts.ledger_errors == ()
    assert (result.tieouts.outcome, result.tieouts.difference) == (Outcome.DIFFERENCE, D(36))
    assert (result.bank.outcome, result.customers.outcome) == (Outcome.EMPTY, Outcome.OK)
    assert not result.reconciled


def test_warnings_do_not_fail(tmp_path: Path) -> None:
    result = run_reconcile(books(tmp_path, PAYMENT, FEE))
    warnings = [t.check_id for t in result.tieouts.tieouts if t.status == Status.WARNING]
    assert warnings == ["is.result_transferred.2024"]
    assert result.tieouts.outcome == Outcome.OK


def test_the_tieouts_of_a_date_in_the_year_are_those_of_the_period_to_it(tmp_path: Path) -> None:
    """``--as-of 2024-12-20``: the tie-outs are the period report's to 20.12.2024, not the whole
    year's (failed before: the cash flow's tie-out read the bank at 31.12.2024, 1 199 750
    after the fee of 30 December, not 1 200 000 on 20 December)."""
    result = run_reconcile(books(tmp_path, PAYMENT, FEE), as_of=datetime.date(2024, 12, 20))
    ends = next(t for t in result.tieouts.tieouts if t.check_id == "cf.ends_at_cash.2024")
    assert (ends.left, ends.right) == (D("1200000.00"), D("1200000.00"))
    whole = run_reconcile(books(tmp_path, PAYMENT, FEE), as_of=datetime.date(2025, 1, 15))
    ends = next(t for t in whole.tieouts.tieouts if t.check_id == "cf.ends_at_cash.2024")
    assert (ends.left, ends.right) == (D("1199750.00"), D("1199750.00"))


def test_report_says_a_failed_tieout_on_stderr_in_norwegian_numbers(tmp_path: Path) -> None:
    """``nhnfin report`` names a failed tie-out with both sides and the difference as Norwegian
    numbers, as reconcile does (failed before: "avstemming feilet: …: 36.00")."""
    from click.testing import CliRunner

    from nhnfin.cli.main import main

    ledger = books(tmp_path, PAYMENT, FEE, PENSION)
    result = CliRunner().invoke(main, ["report", str(ledger), "--year", "2024", "--no-cache"])
    (line,) = [x for x in result.stderr.splitlines() if x.startswith("avstemming feilet: ")]
    assert line.endswith(": 1 536 mot 1 500, differanse 36  [n6.obligation_vs_balance_sheet.2024]")
