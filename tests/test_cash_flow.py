"""The cash flow keeps non-cash movements out, and each section ties to the cash behind it."""

from __future__ import annotations

from decimal import Decimal
from importlib import resources
from pathlib import Path

import pytest

from nhnfin.ledger import Ledger
from nhnfin.model import Report
from nhnfin.model import Status
from nhnfin.report import build_report
from tests.conftest import load_text
from tests.conftest import without_line
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
    layout = without_line(packaged, "# The result's non-cash items", "non_cash_result_items")
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


# A new enterprise's books as docs/new-ledger.md starts them: the closing balance of the accounts
# kept before, posted on the last day of last year, then the first year's postings and a transfer
# of an e-health solution against the delivery obligation on 1 September (60 months).
OPENING = """
option "title" "Fjordhelse SF"
plugin "nhnfin.assets.delivery_obligation" "{'until': '2025-12-31'}"
2024-12-31 open Assets:1020-EHealthSolutions
2024-12-31 open Assets:1029-EHealthSolutionsAccumAmortisation
2024-12-31 open Assets:1920-Bank
2024-12-31 open Equity:2000-ContributedCapital
2024-12-31 open Equity:2050-OtherEquity
2024-12-31 open Liabilities:2180-DeliveryObligation
2024-12-31 open Income:3100-ServiceRevenue
2024-12-31 open Income:3410-DeliveryObligationIncome
2024-12-31 open Expenses:6010-AmortisationIntangible
2024-12-31 open Expenses:7700-OtherOperatingCosts

2024-12-31 * "Åpningsbalanse" "Utgående balanse fra årsregnskapet 2024"
  Assets:1920-Bank                  5000000.00 NOK
  Equity:2000-ContributedCapital   -1000000.00 NOK
  Equity:2050-OtherEquity          -4000000.00 NOK

2025-03-01 * "Bergen kommune" "Tjenester"
  Assets:1920-Bank                   450000.00 NOK
  Income:3100-ServiceRevenue        -450000.00 NOK

2025-04-01 * "Fjordgården AS" "Husleie 2025"
  Expenses:7700-OtherOperatingCosts  360000.00 NOK
  Assets:1920-Bank                  -360000.00 NOK

2025-09-01 custom "nhnfin-transfer" "journal-2025" 12000000.00 NOK
  months: 60
"""

# the rows every cash flow of OPENING prints with nothing on them
ZERO_ROWS = ("impairment_of_fixed_assets", "change_in_grant_and_ehealth_obligations",
             "change_in_inventories", "change_in_trade_receivables", "change_in_trade_payables",
             "change_in_pension_obligations", "change_in_other_accruals",
             "purchase_of_tangible_fixed_assets", "payments_assets_under_construction",
             "purchase_of_intangible_assets", "payment_equity_contribution_klp",
             "net_cash_from_investing_activities", "net_cash_from_financing_activities")


def rows_of(report: Report, year: str) -> dict[str, Decimal]:
    """The cash flow's printed rows of ``year`` (key -> exact amount)."""
    return {r.key: r.amounts[year] for r in report.statement("cash_flow").rows}


def statement_checks(report: Report) -> dict[str, Status]:
    return {t.check_id: t.status for t in report.tieouts if t.check_id.startswith("cf.")}


def test_the_opening_year_shows_the_opening_balance_cash_and_ends_at_the_bank() -> None:
    """Round 4's new user: the 2024 column (the year that holds only the opening balance) printed
    "Netto kontantstrøm fra finansieringsaktiviteter 1 000 000" (the opening balance's 2000 leg,
    its 2050 leg on no line) and "Kontanter og kontantekvivalenter 31.12 1 000 000" beside a
    balance sheet with bank 5 000 000. The opening balance is no flow: 01.01 is the 0 before
    it, its cash is a line of its own, and 31.12 is the balance sheet's 5 000 000. The
    transfer on 1 September moves no cash: no investment, and its amortisation (4 × 200 000)
    is added back as its income is taken off."""
    ledger = load_text(OPENING)
    assert ledger.errors == []
    report = build_report(ledger, 2025)
    zero = dict.fromkeys(ZERO_ROWS, Decimal(0))
    assert rows_of(report, "2025") == zero | {
        "result_before_tax": Decimal("90000.00"),  # 450 000 − 360 000 + 800 000 − 800 000
        "ordinary_depreciation": Decimal("800000.00"),
        "delivery_obligation_income": Decimal("-800000.00"),
        "net_cash_from_operating_activities": Decimal("90000.00"),
        "net_change_in_cash": Decimal("90000.00"),
        "cash_at_beginning_of_year": Decimal("5000000.00"),
        "cash_from_opening_balance": Decimal(0),
        "cash_at_end_of_year": Decimal("5090000.00"),
    }
    assert rows_of(report, "2024") == zero | {
        "result_before_tax": Decimal(0),
        "ordinary_depreciation": Decimal(0),
        "delivery_obligation_income": Decimal(0),
        "net_cash_from_operating_activities": Decimal(0),
        "net_change_in_cash": Decimal(0),
        "cash_at_beginning_of_year": Decimal(0),
        "cash_from_opening_balance": Decimal("5000000.00"),
        "cash_at_end_of_year": Decimal("5000000.00"),
    }
    label = next(r.label for r in report.statement("cash_flow").rows
                 if r.key == "cash_from_opening_balance")
    assert label == "Bankinnskudd, kontanter og lignende ført i inngående balanse"
    bank = next(r for r in report.statement("balance_sheet").rows
                if r.key == "cash_and_bank_deposits")
    assert bank.amounts == {"2025": Decimal("5090000.00"), "2024": Decimal("5000000.00")}
    # every check of the cash flow passes, the opening year's too (it was a warning)
    assert set(statement_checks(report).values()) == {Status.PASSED}
    assert "cf.untaken.2024" not in statement_checks(report)
    checker = Checker(ledger)
    for row in report.statement("cash_flow").rows:
        for year in ("2025", "2024"):
            assert set(checker.shown(row.drill[year])) == {row.amounts[year]}, (row.key, year)


def test_the_in_year_transfer_stays_out_of_the_cash_flow() -> None:
    """The delivery-obligation transfer of 1 September (Dr 1020 / Cr 2180, 12 000 000) is left
    out; the months it books after are on their lines; note 4 shows it as an addition."""
    report = build_report(load_text(OPENING), 2025)
    lines = rows_of(report, "2025")
    assert lines["purchase_of_intangible_assets"] == 0
    assert lines["net_cash_from_investing_activities"] == 0
    assert lines["ordinary_depreciation"] + lines["delivery_obligation_income"] == 0
    note = {row.key: row.values["national_ehealth_solutions"]
            for row in report.note("4").tables[0].rows}
    assert note["additions_2025"] == Decimal("12000000.00")
    assert note["book_value_at_2025_12_31"] == Decimal("11200000.00")


TO_OTHER_EQUITY = """
2025-06-01 * "Staten" "Innskudd ført mot annen egenkapital"
  Assets:1920-Bank                   200000.00 NOK
  Equity:2050-OtherEquity           -200000.00 NOK
"""


def test_cash_against_other_equity_in_an_ordinary_year_is_shown_and_named() -> None:
    """Cash moved against 2050 (an account no line of the cash flow takes) vanished from the
    statement: 31.12 was 200 000 short of the bank and no line said why. It is shown on its
    own line in financing, and a warning names the transaction."""
    report = build_report(load_text(OPENING + TO_OTHER_EQUITY), 2025)
    lines = rows_of(report, "2025")
    assert lines["cash_against_other_equity"] == Decimal("200000.00")
    assert lines["net_cash_from_financing_activities"] == 0
    assert lines["net_change_in_cash"] == Decimal("290000.00")
    assert lines["cash_at_end_of_year"] == Decimal("5290000.00")
    assert rows_of(report, "2024")["cash_against_other_equity"] == 0
    checks = {t.check_id: t for t in report.tieouts if t.check_id.startswith("cf.")}
    assert checks["cf.ends_at_cash.2025"].status == Status.PASSED
    assert checks["cf.section_cash.finansieringsaktiviteter.2025"].status == Status.PASSED
    untaken = checks["cf.untaken.2025"]
    assert (untaken.status, untaken.left, untaken.right) == (
        Status.WARNING, Decimal("200000.00"), 0)
    assert untaken.detail.startswith(
        "vist på linjen «Inn- og utbetalinger ført direkte mot annen egenkapital»; kontroller "
        "at det er transaksjoner med eieren: 2025-06-01 Innskudd ført mot annen egenkapital (")
    assert "cf.untaken.2024" not in checks  # the opening balance's 2050 leg is not a flow
    checker = Checker(load_text(OPENING + TO_OTHER_EQUITY))
    row = next(r for r in report.statement("cash_flow").rows
               if r.key == "cash_against_other_equity")
    assert set(checker.shown(row.drill["2025"])) == {Decimal("200000.00")}
    assert untaken.left_drill is not None
    assert set(checker.shown(untaken.left_drill)) == {Decimal("200000.00")}


def test_without_the_untaken_line_the_cash_left_out_fails_and_is_named(tmp_path: Path) -> None:
    """A layout without the "untaken" line (a copy made before it) cannot show that cash: the
    check fails and names the transaction, beside the failing end at the bank."""
    packaged = resources.files("nhnfin").joinpath("data/layout_nhn.toml").read_text("utf-8")
    layout = without_line(packaged, "# Cash moved against an account no line above takes",
                          "cash_against_other_equity")
    (tmp_path / "layout.toml").write_text(layout, encoding="utf-8")
    text = (OPENING + TO_OTHER_EQUITY
            + f'2024-12-31 custom "nhnfin-layout" "{tmp_path / "layout.toml"}"\n')
    report = build_report(load_text(text), 2025)
    checks = {t.check_id: t for t in report.tieouts if t.check_id.startswith("cf.")}
    assert rows_of(report, "2025")["cash_at_end_of_year"] == Decimal("5090000.00")
    assert checks["cf.ends_at_cash.2025"].status == Status.FAILED
    untaken = checks["cf.untaken.2025"]
    assert (untaken.status, untaken.left) == (Status.FAILED, Decimal("200000.00"))
    assert "ingen linje i kontantstrømmen viser dem" in untaken.detail
    assert "2025-06-01 Innskudd ført mot annen egenkapital (" in untaken.detail


FOUNDED = """
option "title" "Nystartet SF"
2025-03-15 open Assets:1920-Bank
2025-03-15 open Equity:2000-ContributedCapital
2025-03-15 open Income:3100-ServiceRevenue

2025-03-15 * "Staten" "Innskuddskapital ved stiftelsen"
  nhnfin-opening-balance: FALSE
  Assets:1920-Bank                  1000000.00 NOK
  Equity:2000-ContributedCapital   -1000000.00 NOK

2025-05-02 * "Kunde" "Tjenester"
  Assets:1920-Bank                    50000.00 NOK
  Income:3100-ServiceRevenue         -50000.00 NOK
"""


@pytest.mark.parametrize(("marked", "financing", "brought_in"), [
    (True, Decimal("1000000.00"), Decimal(0)),
    (False, Decimal(0), Decimal("1000000.00")),
])
def test_a_founding_capital_marked_as_no_opening_balance_is_financing(
        marked: bool, financing: Decimal, brought_in: Decimal) -> None:
    """The first cash day's transaction is the opening balance unless marked: a founding's
    capital paid in, marked ``nhnfin-opening-balance: FALSE``, is financing."""
    text = FOUNDED if marked else FOUNDED.replace("  nhnfin-opening-balance: FALSE\n", "")
    report = build_report(load_text(text), 2025)
    lines = rows_of(report, "2025")
    assert lines["net_cash_from_financing_activities"] == financing
    assert lines.get("cash_from_opening_balance", Decimal(0)) == brought_in  # printed if any
    assert lines["cash_at_beginning_of_year"] == 0
    assert lines["cash_at_end_of_year"] == Decimal("1050000.00")
    assert set(statement_checks(report).values()) == {Status.PASSED}


def test_nhns_opening_balance_after_the_rules_history_is_brought_in(
        example_ledger: Ledger) -> None:
    """NHN's books open on 2022-12-31 (ledger/nhn/opening.beancount), after the entries the
    delivery-obligation rule books from 2020, which touch no cash. The 2023 report's 2022 column
    printed financing 100 000 (the opening balance's 2000 leg), operating 129 163 616 (its
    other legs) and 31.12 129 263 616 beside a bank of 631 951 574, and failed
    (cf.ends_at_cash.2022, −502 687 957: its 2050 leg). The opening balance is the first day
    with cash: only the rule's own 2022 months are flows."""
    report = build_report(example_ledger, 2023)
    lines = rows_of(report, "2022")
    assert {k: v for k, v in lines.items() if v} == {
        "ordinary_depreciation": Decimal("75057808.72"),
        "delivery_obligation_income": Decimal("-75057808.72"),
        "cash_from_opening_balance": Decimal("631951573.55"),  # 1920 595 842 163 + 1950
        "cash_at_end_of_year": Decimal("631951573.55"),
    }
    assert rows_of(report, "2023")["cash_at_beginning_of_year"] == Decimal("631951573.55")
    checks = statement_checks(report)
    assert {k: v for k, v in checks.items() if k.endswith(".2022")} == {
        "cf.ends_at_cash.2022": Status.PASSED,
        "cf.section_cash.operasjonelle_aktiviteter.2022": Status.PASSED,
        "cf.section_cash.investeringsaktiviteter.2022": Status.PASSED,
        "cf.section_cash.finansieringsaktiviteter.2022": Status.PASSED,
    }


def test_the_layout_init_writes_shows_a_write_off_as_a_non_cash_item(tmp_path: Path) -> None:
    """Round twelve's probe: in books made by ``nhnfin init`` a disposal without proceeds (a
    delivery-obligation asset written off in its third year) failed the section tie-outs,
    1 200 000 shown as an investing inflow: the generic layout had no "non_cash" line."""
    generic = resources.files("nhnfin").joinpath("data/layout_generic.toml").read_text("utf-8")
    (tmp_path / "layout.toml").write_text(generic, encoding="utf-8")
    text = (LEDGER + GIVEN_AWAY
            + f'2022-12-31 custom "nhnfin-layout" "{tmp_path / "layout.toml"}"\n')
    lines = cash_flow(text)
    assert lines["non_cash_result_items"] == Decimal("100.00")
    assert lines["purchase_of_tangible_fixed_assets"] == Decimal("-300.00")
    assert lines["net_cash_from_operating_activities"] == Decimal("450.00")
    assert lines["net_change_in_cash"] == Decimal("150.00")
    assert section_checks(text) == {
        "cf.section_cash.operasjonelle_aktiviteter.2023": (Status.PASSED, ""),
        "cf.section_cash.investeringsaktiviteter.2023": (Status.PASSED, ""),
        "cf.section_cash.finansieringsaktiviteter.2023": (Status.PASSED, ""),
    }
