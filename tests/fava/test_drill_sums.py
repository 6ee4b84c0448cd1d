"""The auditor's guarantee: every figure on every statement, note and grant-usage page links to
what makes it, and what the link selects adds up to the figure, to the øre before rounding, with
the sign as presented. Run on the example ledger and on an independent literal ledger with every
rule in use (e-health with two solutions, a grant, an asset, a delivery obligation, note data)."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from nhnfin.fava_ext import views
from nhnfin.ledger import Ledger
from nhnfin.report import build_report
from tests.conftest import load_text
from tests.fava.drill_check import Checker
from tests.fava.drill_check import every_page
from tests.fava.drill_check import figures_of
from tests.fava.drill_check import problems

SECOND = """
    option "title" "Andre testforetak"
    option "operating_currency" "NOK"
    plugin "nhnfin"
    2022-12-31 custom "fava-option" "fiscal-year-end" "12-31"
    2022-12-31 custom "fava-extension" "nhnfin.fava_ext"
    2022-12-31 open Assets:1020-EHealthSolutions
    2022-12-31 open Assets:1029-EHealthSolutionsAccumAmortisation
    2022-12-31 open Assets:1200-Infrastructure
    2022-12-31 open Assets:1209-InfrastructureAccumDepreciation
    2022-12-31 open Assets:1500-TradeReceivables
    2022-12-31 open Assets:1570-GrantsReceivable
    2022-12-31 open Assets:1920-Bank
    2022-12-31 open Equity:2000-Capital
    2022-12-31 open Equity:2050-OtherEquity
    2022-12-31 open Liabilities:2180-DeliveryObligation
    2022-12-31 open Liabilities:2400-TradePayables
    2022-12-31 open Liabilities:2910-UnusedPublicGrants
    2022-12-31 open Liabilities:2920-EHealthObligations
    2022-12-31 open Income:3000-EHealthRevenue
    2022-12-31 open Income:3400-GrantIncome
    2022-12-31 open Income:3410-DeliveryObligationIncome
    2022-12-31 open Expenses:4000-CostOfGoodsSold
    2022-12-31 open Expenses:5000-Salaries
      note-row: "salaries"
    2022-12-31 open Expenses:6000-DepreciationTangible
    2022-12-31 open Expenses:6010-AmortisationIntangible
    2022-12-31 open Expenses:7700-OtherOperatingCosts
    2022-12-31 open Equity:8960-TransferToOtherEquity

    2022-12-31 custom "nhnfin-ehealth-solution" "alfa" "Alfa"
    2022-12-31 custom "nhnfin-ehealth-solution" "beta" "Beta"
    2022-12-31 custom "nhnfin-grant" "tilskudd-a"
      name: "Tilskudd A"
      source: "Departementet"
      amount: 1000.00 NOK
      note-row: "tilskudd_a"
      note-label: "Tilskudd A"
    2023-01-01 custom "nhnfin-grant-award" "tilskudd-a"
      amount: 5000.00 NOK
    2024-01-01 custom "nhnfin-grant-award" "tilskudd-a"
      amount: 6000.00 NOK
    2023-01-01 custom "nhnfin-transfer" "los-2023" 1200.00 NOK
      months: 24
    2024-12-31 custom "nhnfin-note-data" "5" "staff" "employees" 3

    2022-12-31 * "Innskudd"
      Assets:1920-Bank          100000.00 NOK
      Equity:2000-Capital      -100000.00 NOK
    2023-02-01 * "Kunde" "Faktura alfa"
      Assets:1500-TradeReceivables   900.00 NOK
      Liabilities:2920-EHealthObligations  -900.00 NOK
        solution: "alfa"
    2023-02-01 * "Kunde" "Faktura beta"
      Assets:1500-TradeReceivables   500.00 NOK
      Liabilities:2920-EHealthObligations  -500.00 NOK
        solution: "beta"
    2023-06-30 * "D&F alfa"
      solution: "alfa"
      Expenses:4000-CostOfGoodsSold   300.00 NOK
      Liabilities:2400-TradePayables -300.00 NOK
    2024-02-01 * "Kunde" "Faktura alfa 2024"
      Assets:1500-TradeReceivables   700.00 NOK
      Liabilities:2920-EHealthObligations  -700.00 NOK
        solution: "alfa"
    2024-03-31 * "D&F beta"
      solution: "beta"
      Expenses:4000-CostOfGoodsSold   250.00 NOK
      Liabilities:2400-TradePayables -250.00 NOK
    2024-04-30 * "D&F alfa"
      solution: "alfa"
      Expenses:4000-CostOfGoodsSold   400.00 NOK
      Liabilities:2400-TradePayables -400.00 NOK
    2023-03-01 * "Lønn prosjekt"
      grant: "tilskudd-a"
      Expenses:5000-Salaries   2000.00 NOK
      Assets:1920-Bank        -2000.00 NOK
    2024-03-01 * "Lønn prosjekt"
      grant: "tilskudd-a"
      Expenses:5000-Salaries   4500.00 NOK
      Assets:1920-Bank        -4500.00 NOK
    2024-03-01 * "Lønn"
      Expenses:5000-Salaries   1500.00 NOK
      Assets:1920-Bank        -1500.00 NOK
    2024-04-01 * "Server"
      Assets:1200-Infrastructure   3600.00 NOK
        asset: "srv-1"
      Assets:1920-Bank            -3600.00 NOK
    2024-04-01 custom "nhnfin-asset" "srv-1" "infrastructure"
      months: 36
"""


@pytest.fixture(scope="module")
def second_ledger() -> Ledger:
    """The independent ledger, loaded once."""
    ledger = load_text(SECOND)
    assert [e.message for e in ledger.errors] == []
    return ledger


@pytest.mark.parametrize("year", [2024])
def test_every_figure_of_the_example_links_and_sums(example_ledger: Ledger, year: int) -> None:
    count, wrong = problems(build_report(example_ledger, year), example_ledger)
    assert count > 400
    assert wrong == []


def test_every_figure_of_the_second_ledger_links_and_sums(second_ledger: Ledger) -> None:
    count, wrong = problems(build_report(second_ledger, 2024), second_ledger)
    assert count > 100
    assert wrong == []


def test_note2_columns_each_open_their_own_postings(second_ledger: Ledger) -> None:
    """Carried, invoiced and actual use are three different selections (each summing to its
    figure), not one query for the closing balance."""
    report = build_report(second_ledger, 2024)
    page = views.page(report, "note-2", "/b/query/")
    assert page is not None
    figures = {f.where.rsplit("/", 2)[-2] + ":" + f.where.rsplit("/", 1)[-1]: f
               for f in figures_of(page) if "/note2.1/" in f.where}
    checker = Checker(second_ledger)
    alfa = {k: (f.value, checker.shown(f.drill)) for k, f in figures.items()
            if k.startswith("solution_alfa") and f.drill}
    assert alfa == {
        "solution_alfa:1": (D("600.00"), [D("600.00")]),
        "solution_alfa:2": (D("700.00"), [D("700.00")]),
        "solution_alfa:3": (D("400.00"), [D("400.00")]),
        "solution_alfa:4": (D("900.00"), [D("900.00"), D("900.00")]),
    }
    queries = {f.href for k, f in figures.items() if k.startswith("solution_alfa")}
    assert len(queries) == 4


def test_note4_accumulated_opens_the_releases_before_the_year(second_ledger: Ledger) -> None:
    report = build_report(second_ledger, 2024)
    row = report.note("4").tables[0].row("accumulated_recognised_at_2024_01_01")
    drill = row.drill["national_ehealth_solutions"]
    assert row.values["national_ehealth_solutions"] == D("-600.00")
    assert Checker(second_ledger).shown(drill) == [D("-600.00")]
    assert "number > 0" in drill.query
    assert "date < 2024-01-01" in drill.query
    assert drill.description.startswith("Debetposteringer på Liabilities:2180")


def test_declared_figures_link_to_their_directive(second_ledger: Ledger) -> None:
    report = build_report(second_ledger, 2024)
    pages = {p.section: p for p in every_page(report, second_ledger)}
    staff = [f for f in figures_of(pages["note-5"]) if "/employees/" in f.where]
    assert [f.value for f in staff] == [D(3)]
    assert staff[0].href is not None
    assert staff[0].href.startswith("/bfile/editor/?file_path=")
    assert staff[0].drill is not None
    assert staff[0].drill.declared[0][2] == "value"


def test_note_column_links_only_the_notes_the_report_has(second_ledger: Ledger) -> None:
    report = build_report(second_ledger, 2024)
    cell = views.note_cell(report, "5,6,7", "/b/query/")
    assert cell.links == (("5", "/b/extension/NhnfinReport/?section=note-5"), ("6", None),
                          ("7", None))
