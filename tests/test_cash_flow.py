"""The cash flow keeps non-cash movements out, and each section ties to the cash behind it."""

from __future__ import annotations

from decimal import Decimal

from nhnfin.model import Status
from nhnfin.report import build_report
from tests.conftest import load_text

LEDGER = """
option "title" "Testforetak"
2022-12-31 open Assets:1020-EHealthSolutions
2022-12-31 open Assets:1250-Equipment
2022-12-31 open Assets:1920-Bank
2022-12-31 open Equity:2050-OtherEquity
2022-12-31 open Liabilities:2180-DeliveryObligation
2022-12-31 open Liabilities:2910-UnusedPublicGrants
2022-12-31 open Liabilities:2930-InvestmentGrantsDeferred
2022-12-31 open Income:3100-Services
2022-12-31 open Expenses:7700-Other

2022-12-31 * "Opening balance"
  Assets:1920-Bank                 1000.00 NOK
  Equity:2050-OtherEquity         -1000.00 NOK

2023-02-01 * "Grant received"
  Assets:1920-Bank                  400.00 NOK
  Liabilities:2910-UnusedPublicGrants  -400.00 NOK

2023-03-01 * "Equipment bought with the grant"
  Assets:1250-Equipment             300.00 NOK
  Assets:1920-Bank                 -300.00 NOK

2023-03-01 * "Grant moved to investment grants" #nhnfin-generated
  nhnfin-rule: "grant-investment"
  nhnfin-non-cash: TRUE
  Liabilities:2910-UnusedPublicGrants         300.00 NOK
  Liabilities:2930-InvestmentGrantsDeferred  -300.00 NOK

2023-07-01 * "Transfer of solutions" #nhnfin-generated
  nhnfin-rule: "delivery-obligation-transfer"
  Assets:1020-EHealthSolutions      1200.00 NOK
  Liabilities:2180-DeliveryObligation  -1200.00 NOK

2023-09-01 * "Cash sale"
  Assets:1920-Bank                   50.00 NOK
  Income:3100-Services              -50.00 NOK
"""


def cash_flow(text: str) -> dict[str, Decimal]:
    report = build_report(load_text(text), 2023)
    return {r.key: r.amounts["2023"] for r in report.statement("cash_flow").rows}


def section_checks(text: str) -> dict[str, tuple[Status, str]]:
    report = build_report(load_text(text), 2023)
    return {
        t.check_id: (t.status, t.detail)
        for t in report.tieouts
        if t.check_id.startswith("cf.section_cash.") and t.check_id.endswith(".2023")
    }


def test_non_cash_transfer_and_grant_move_stay_out_of_the_cash_flow() -> None:
    lines = cash_flow(LEDGER)
    assert lines["purchase_of_intangible_assets"] == 0
    assert lines["delivery_obligation_income"] == 0
    assert lines["purchase_of_tangible_fixed_assets"] == Decimal("-300.00")
    assert lines["net_cash_from_investing_activities"] == Decimal("-300.00")
    # the grant received, not less what was moved to investment grants
    assert lines["change_in_grant_and_ehealth_obligations"] == Decimal("400.00")
    assert lines["change_in_other_accruals"] == 0
    assert lines["net_cash_from_operating_activities"] == Decimal("450.00")
    assert lines["net_change_in_cash"] == Decimal("150.00")


def test_each_section_ties_to_its_cash() -> None:
    checks = section_checks(LEDGER)
    assert checks == {
        "cf.section_cash.operasjonelle_aktiviteter.2023": (Status.PASSED, ""),
        "cf.section_cash.investeringsaktiviteter.2023": (Status.PASSED, ""),
        "cf.section_cash.finansieringsaktiviteter.2023": (Status.PASSED, ""),
    }


def test_a_non_cash_movement_between_sections_fails_its_tie_out_and_is_named() -> None:
    """Equipment written off against the result moves no cash, yet the investing section would
    show it as an inflow: the tie-out fails and names the entry (cash still ties)."""
    text = LEDGER + """
2023-12-01 * "Equipment given away"
  Expenses:7700-Other               100.00 NOK
  Assets:1250-Equipment            -100.00 NOK
"""
    report = build_report(load_text(text), 2023)
    ends = next(t for t in report.tieouts if t.check_id == "cf.ends_at_cash.2023")
    assert ends.status == Status.PASSED
    checks = section_checks(text)
    status, detail = checks["cf.section_cash.investeringsaktiviteter.2023"]
    assert status == Status.FAILED
    assert detail.startswith("bevegelser uten kontanter: 2023-12-01 Equipment given away (")
    assert checks["cf.section_cash.operasjonelle_aktiviteter.2023"][0] == Status.FAILED
    assert checks["cf.section_cash.finansieringsaktiviteter.2023"] == (Status.PASSED, "")
