"""The cash flow keeps non-cash movements out, and each section ties to the cash behind it."""

from __future__ import annotations

from decimal import Decimal
from importlib import resources
from pathlib import Path

from nhnfin.model import Status
from nhnfin.report import build_report
from tests.conftest import load_text
from tests.fava.drill_check import Checker

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


GIVEN_AWAY = """
2023-12-01 * "Equipment given away"
  Expenses:7700-Other               100.00 NOK
  Assets:1250-Equipment            -100.00 NOK
"""


def test_equipment_written_off_is_a_non_cash_item_of_the_result() -> None:
    """Equipment written off against the result moves no cash: it showed as an investing
    inflow (and the loss as operating cash paid); now it is a non-cash item."""
    lines = cash_flow(LEDGER + GIVEN_AWAY)
    assert lines["non_cash_result_items"] == Decimal("100.00")
    assert lines["purchase_of_tangible_fixed_assets"] == Decimal("-300.00")
    assert lines["net_cash_from_operating_activities"] == Decimal("450.00")
    assert {status for status, _ in section_checks(LEDGER + GIVEN_AWAY).values()} == {
        Status.PASSED}


def test_without_a_non_cash_line_the_tie_out_fails_and_names_the_entry(tmp_path: Path) -> None:
    """A layout without a "non_cash" line cannot show the write-off as one: the section
    tie-out fails and names the entry (cash still ties)."""
    packaged = resources.files("nhnfin").joinpath("data/layout_nhn.toml").read_text("utf-8")
    start = packaged.index("# The result's non-cash items")
    block = packaged[start:packaged.index("[[statements.lines]]", packaged.index(
        'key = "non_cash_result_items"'))]
    layout = packaged.replace(block, "").replace(" + non_cash_result_items", "")
    (tmp_path / "layout.toml").write_text(layout, encoding="utf-8")
    text = (LEDGER + GIVEN_AWAY
            + f'2022-12-31 custom "nhnfin-layout" "{tmp_path / "layout.toml"}"\n')
    report = build_report(load_text(text), 2023)
    assert "non_cash_result_items" not in {r.key for r in report.statement("cash_flow").rows}
    ends = next(t for t in report.tieouts if t.check_id == "cf.ends_at_cash.2023")
    assert ends.status == Status.PASSED
    checks = section_checks(text)
    status, detail = checks["cf.section_cash.investeringsaktiviteter.2023"]
    assert status == Status.FAILED
    assert detail.startswith("bevegelser uten kontanter: 2023-12-01 Equipment given away (")
    assert checks["cf.section_cash.operasjonelle_aktiviteter.2023"][0] == Status.FAILED
    assert checks["cf.section_cash.finansieringsaktiviteter.2023"] == (Status.PASSED, "")


DISPOSALS = """
option "title" "Testforetak"
plugin "nhnfin.assets"
2022-12-31 open Assets:1250-FixturesAndEquipment
2022-12-31 open Assets:1259-FixturesAccumDepreciation
2022-12-31 open Assets:1920-Bank
2022-12-31 open Equity:2050-OtherEquity
2022-12-31 open Expenses:6000-DepreciationTangible
2022-12-31 open Expenses:7800-LossOnDisposal

2022-12-31 * "Opening balance"
  Assets:1920-Bank                20000.00 NOK
  Equity:2050-OtherEquity        -20000.00 NOK

2023-01-01 custom "nhnfin-asset" "scrapped" "fixtures" 3600.00 NOK
  months: 36
2023-01-01 * "Server, scrapped in July"
  Assets:1250-FixturesAndEquipment   3600.00 NOK
    asset: "scrapped"
  Assets:1920-Bank
2023-07-31 custom "nhnfin-disposal" "scrapped"
  account: Expenses:7800-LossOnDisposal

2023-01-01 custom "nhnfin-asset" "sold" "fixtures" 7200.00 NOK
  months: 36
2023-01-01 * "Laptops, sold in July for their book value"
  Assets:1250-FixturesAndEquipment   7200.00 NOK
    asset: "sold"
  Assets:1920-Bank
2023-07-31 custom "nhnfin-disposal" "sold"
  account: Assets:1920-Bank
"""


def test_a_disposal_moves_cash_only_when_it_brings_cash_in() -> None:
    """Issue 17: the scrapped server's book value (3600 − 7 × 100 = 2900) showed as an investing
    inflow, and both disposals' reversal of accumulated depreciation (700 and 1400) took the
    year's depreciation off "Ordinære avskrivninger" (0 instead of 2100). The scrap moves no
    cash: its loss is a non-cash item of the result. The sale brings in its book value
    (7200 − 7 × 200 = 5800) in investing, and nothing in operating."""
    ledger = load_text(DISPOSALS)
    assert ledger.errors == []
    report = build_report(ledger, 2023)
    lines = {r.key: r.amounts["2023"] for r in report.statement("cash_flow").rows}
    assert lines["result_before_tax"] == Decimal("-5000.00")  # 2100 depreciation + 2900 loss
    assert lines["ordinary_depreciation"] == Decimal("2100.00")
    assert lines["non_cash_result_items"] == Decimal("2900.00")
    assert lines["net_cash_from_operating_activities"] == 0
    # bought 3600 + 7200, sold for 5800
    assert lines["purchase_of_tangible_fixed_assets"] == Decimal("-5000.00")
    assert lines["net_cash_from_investing_activities"] == Decimal("-5000.00")
    assert lines["net_change_in_cash"] == Decimal("-5000.00")
    checks = {t.check_id: t.status for t in report.tieouts
              if t.check_id.startswith("cf.section_cash.") and t.check_id.endswith(".2023")}
    assert set(checks.values()) == {Status.PASSED}
    checker = Checker(ledger)
    for row in report.statement("cash_flow").rows:
        assert set(checker.shown(row.drill["2023"])) == {row.amounts["2023"]}, row.key


def test_the_non_cash_line_is_printed_only_when_there_is_one() -> None:
    keys = {r.key for r in build_report(load_text(LEDGER), 2023).statement("cash_flow").rows}
    assert "non_cash_result_items" not in keys
