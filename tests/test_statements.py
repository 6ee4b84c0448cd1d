"""Statements computed from small literal ledgers, checked by value."""

from __future__ import annotations

from decimal import Decimal

from nhnfin.layout import load_layout
from nhnfin.model import Status
from nhnfin.report import build_report
from nhnfin.statements import build_statements
from tests.conftest import load_text

LEDGER = """
option "title" "Testforetak"
2022-12-31 open Assets:1920-Bank
2022-12-31 open Assets:1500-TradeReceivables
2022-12-31 open Assets:1250-Equipment
2022-12-31 open Assets:1259-EquipmentAccumDepreciation
2022-12-31 open Assets:1400-Inventory
2022-12-31 open Equity:2000-ContributedCapital
2022-12-31 open Equity:2050-OtherEquity
2022-12-31 open Equity:8960-Transfer
2022-12-31 open Liabilities:2400-TradePayables
2022-12-31 open Income:3100-Services
2022-12-31 open Expenses:4000-Goods
2022-12-31 open Expenses:6000-Depreciation
2022-12-31 open Expenses:7700-Other
2022-12-31 open Income:8050-Interest

2022-12-31 * "Opening balance"
  Assets:1920-Bank                 1000.00 NOK
  Equity:2000-ContributedCapital   -100.00 NOK
  Equity:2050-OtherEquity          -900.00 NOK

2023-03-01 * "Sale on credit"
  Assets:1500-TradeReceivables      500.40 NOK
  Income:3100-Services             -500.40 NOK

2023-04-01 * "Equipment"
  Assets:1250-Equipment             300.00 NOK
  Assets:1920-Bank                 -300.00 NOK

2023-06-01 * "Goods on credit"
  Assets:1400-Inventory              50.00 NOK
  Expenses:4000-Goods               150.00 NOK
  Liabilities:2400-TradePayables   -200.00 NOK

2023-12-31 * "Depreciation"
  Expenses:6000-Depreciation         60.00 NOK
  Assets:1259-EquipmentAccumDepreciation  -60.00 NOK

2023-12-31 * "Interest"
  Assets:1920-Bank                   10.20 NOK
  Income:8050-Interest              -10.20 NOK

2023-12-31 * "Year-end transfer" #year-end
  Equity:8960-Transfer              300.60 NOK
  Equity:2050-OtherEquity          -300.60 NOK

2024-02-01 * "Customer pays"
  Assets:1920-Bank                  500.40 NOK
  Assets:1500-TradeReceivables     -500.40 NOK

2024-03-01 * "Other costs paid"
  Expenses:7700-Other                40.00 NOK
  Assets:1920-Bank                  -40.00 NOK
"""


def amounts(ledger_text: str, year: int) -> dict[str, dict[str, dict[str, Decimal]]]:
    ledger = load_text(ledger_text)
    assert not ledger.errors
    statements = build_statements(load_layout(), ledger, year)
    return {s.key: {r.key: r.amounts for r in s.rows} for s in statements}


def test_income_statement_from_movements_with_prior_year() -> None:
    result = amounts(LEDGER, 2024)["income_statement"]
    assert result["service_revenue"] == {"2024": 0, "2023": Decimal("500.40")}
    assert result["total_operating_costs"] == {"2024": Decimal("40.00"), "2023": Decimal("210.00")}
    assert result["operating_profit"]["2023"] == Decimal("290.40")
    assert result["net_financial_items"]["2023"] == Decimal("10.20")
    assert result["net_result_for_the_year"] == {
        "2024": Decimal("-40.00"),
        "2023": Decimal("300.60"),
    }
    assert result["transferred_to_other_equity"]["2023"] == Decimal("-300.60")
    assert result["total_transfers"]["2023"] == Decimal("-300.60")  # the sign of its part
    assert "tax_expense" not in result  # optional line without amounts is not printed


def test_balance_sheet_includes_unclosed_result_in_other_equity() -> None:
    result = amounts(LEDGER, 2024)["balance_sheet"]
    assert result["infrastructure_fixtures_and_equipment"] == {
        "2024": Decimal("240.00"),
        "2023": Decimal("240.00"),
    }
    assert result["cash_and_bank_deposits"]["2024"] == Decimal("1170.60")
    # 2024 is not closed: its loss of 40 sits in other equity beside the closed 2023 result
    assert result["other_equity"] == {"2024": Decimal("1160.60"), "2023": Decimal("1200.60")}
    for year in ("2024", "2023"):
        assert result["total_assets"][year] == result["total_equity_and_liabilities"][year]


def test_cash_flow_indirect_method_ties_to_cash() -> None:
    result = amounts(LEDGER, 2023)["cash_flow"]
    assert result["result_before_tax"]["2023"] == Decimal("300.60")
    assert result["ordinary_depreciation"]["2023"] == Decimal("60.00")
    assert result["change_in_trade_receivables"]["2023"] == Decimal("-500.40")
    assert result["change_in_inventories"]["2023"] == Decimal("-50.00")
    assert result["change_in_trade_payables"]["2023"] == Decimal("200.00")
    assert result["purchase_of_tangible_fixed_assets"]["2023"] == Decimal("-300.00")
    assert result["net_change_in_cash"]["2023"] == Decimal("-289.80")
    assert result["cash_at_beginning_of_year"]["2023"] == Decimal("1000.00")
    assert result["cash_at_end_of_year"]["2023"] == Decimal("710.20")


def test_report_tieouts_pass_on_a_consistent_ledger_and_warn_on_unclosed_year() -> None:
    report = build_report(load_text(LEDGER), 2024)
    status = {t.check_id: t.status for t in report.tieouts}
    assert status["bs.balances.2024"] == Status.PASSED
    assert status["cf.ends_at_cash.2024"] == Status.PASSED
    assert status["cf.ends_at_cash.2023"] == Status.PASSED
    assert status["eq.result_equals_change.2024"] == Status.PASSED
    assert status["is.result_transferred.2023"] == Status.PASSED
    assert status["is.result_transferred.2024"] == Status.WARNING
    detail = {t.check_id: t.detail for t in report.tieouts}
    assert detail["is.result_transferred.2024"] == (
        "årsresultatet er ikke overført til egenkapitalen ennå (−40 av −40 gjenstår): "
        "nhnfin close lager disponeringen når året avsluttes")
    assert detail["is.result_transferred.2023"] == ""
