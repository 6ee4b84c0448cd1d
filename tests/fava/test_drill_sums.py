"""The auditor's guarantee: every figure on every statement, note and grant-usage page links to
what makes it, and what the link selects adds up to the figure, to the øre before rounding, with
the sign as presented. Run on the example ledger and on an independent literal ledger with every
rule in use (e-health with two solutions, a grant, an asset, a delivery obligation, note data,
and a cost basis: two versions, a budget line split at a ready-for-management date, a cost
element by account and one by metadata, a funding override, a volume for unit costs)."""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal as D
from pathlib import Path
from urllib.parse import urlencode

import pytest

from nhnfin.fava_ext import views
from nhnfin.ledger import Ledger
from nhnfin.ledger import load
from nhnfin.model import Drill
from nhnfin.model import Report
from nhnfin.report import build_report
from tests.conftest import load_text
from tests.fava.drill_check import COMPARED_WITH_ZERO
from tests.fava.drill_check import QUERY_PAGE
from tests.fava.drill_check import Checker
from tests.fava.drill_check import as_quoted
from tests.fava.drill_check import cost_basis_page
from tests.fava.drill_check import every_page
from tests.fava.drill_check import figures_of
from tests.fava.drill_check import page_problems
from tests.fava.drill_check import printed_number
from tests.fava.drill_check import problems
from tests.fava.drill_check import text_figures_of
from tests.fava.drill_check import tieout_kind
from tests.notes.test_note_text import BOOKS
from tests.notes.test_note_text import write

COST_BASIS_EXAMPLE = Path(__file__).parents[2] / "ledger" / "examples" / "cost-basis-2022.beancount"
CONTINUING_EXAMPLE = Path(__file__).parents[2] / "ledger" / "nhn-2025.beancount"

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
        cost-element: "lisenser"
        funding: "egen"
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

    2022-12-31 custom "nhnfin-cost-element" "varekost" "Varekost"
      accounts: "4000-4999"
    2022-12-31 custom "nhnfin-cost-element" "lisenser" "Lisenser"
    2022-12-31 custom "nhnfin-funding" "egen" "Egen finansiering"
    2024-07-01 custom "nhnfin-ready-for-management" "beta"
    2023-09-01 custom "nhnfin-budget-version" "b2024" "budget" "Budsjett 2024"
    2023-09-01 custom "nhnfin-budget" "b2024" "alfa" "varekost" "2023" 300.00 NOK
    2023-09-01 custom "nhnfin-budget" "b2024" "alfa" "varekost" "2024" 800.00 NOK
    2023-09-01 custom "nhnfin-budget" "b2024" "beta" "varekost" "2024" 366.01 NOK
    2024-06-01 custom "nhnfin-budget-version" "p2024" "forecast" "Prognose 2024"
    2024-06-01 custom "nhnfin-budget" "p2024" "alfa" "varekost" "2023" 300.00 NOK
    2024-06-01 custom "nhnfin-budget" "p2024" "alfa" "varekost" "2024" 700.00 NOK
      note: "Lavere varekost"
    2024-06-01 custom "nhnfin-budget" "p2024" "alfa" "lisenser" "2024-Q4" 100.00 NOK
      driver: "Ny lisens"
      note: "Ny lisens fra oktober"
    2024-06-01 custom "nhnfin-budget" "p2024" "beta" "varekost" "2024" 250.00 NOK
      funding: "egen"
    2024-12-31 custom "nhnfin-volume" "alfa" "2024" 3 "brukere"
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


def test_every_figure_of_the_continuing_example_links_and_sums() -> None:
    """The continuing example (``ledger/nhn-2025.beancount``): 2025 with 2024 as its prior
    year (the locked 2023-2024 books, closed by nhn-2025/close-2024.beancount), every
    prior-year cell a figure with its own trail."""
    ledger = load(CONTINUING_EXAMPLE)
    count, wrong = problems(build_report(ledger, 2025), ledger)
    assert count > 700
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


def test_every_figure_of_the_example_note_texts_links_and_sums(example_ledger: Ledger) -> None:
    """The note texts' figures (18 in the 2024 texts: the 17 published narrative figures, one
    of them a range of two) each open what makes them, which sums to the exact figure and, in
    the unit quoted, rounds to the figure printed."""
    report = build_report(example_ledger, 2024)
    quoted = [(p.section, f) for p in every_page(report, example_ledger)
              if p.section != views.NOTES for f in text_figures_of(p)]
    assert len(quoted) == 18
    assert {(s, f.text) for s, f in quoted} >= {("note-2", "127,7"), ("note-3", "93,8"),
                                                ("note-8", "57,0"), ("note-7", "5,2")}
    assert all(f.href for _, f in quoted)
    assert problems(report, example_ledger)[1] == []


def test_a_text_figure_is_checked_in_the_unit_it_is_quoted_in(tmp_path: Path) -> None:
    """Statement line, accounts (movement, closing, sign), declared data and a figure the
    template computes: every one but the computed one links and sums; the computed one is said
    to have no link, so the check can fail."""
    path = write(tmp_path, BOOKS, {"8": """\
        Leie {{ account("6300") | mnok }} millioner, bank {{ account("1920", measure="closing")
        | kr }} kroner, salg {{ account("3100", year=prior, sign=-1) | kr }} og
        {{ line("service_revenue", year=prior) | mnok }} millioner; {{ data("staff",
        "employees", note="5") | number }} ansatte; dobbel leie {{ (account("6300") * 2) | mnok
        }} millioner.
        """})
    ledger = load(path)
    report = build_report(ledger, 2024)
    page = views.page(report, "note-8", QUERY_PAGE)
    assert page is not None
    assert [f.text for f in text_figures_of(page)] == [
        "57,0", "939 453 698", "1 042 953 698", "1 043,0", "1 976", "114,0"]
    count, wrong = problems(report, ledger)
    assert count >= 6
    assert wrong == ["notes/text/114,0: «114,0» has no link",  # the page of all notes
                     "note-8/text/114,0: «114,0» has no link"]
    figure = text_figures_of(page)[0]
    assert as_quoted(D("56950000.00"), figure) == D("57.0")  # half up, as printed
    assert as_quoted(D("56949999.99"), figure) == D("56.9")
    assert printed_number("1 043,0") == D("1043.0")
    assert printed_number("−5,2 %") == D("-5.2")


def test_the_note_page_shows_the_text_with_its_figures_linked(example_ledger: Ledger) -> None:
    report = build_report(example_ledger, 2024)
    page = views.page(report, "note-2", QUERY_PAGE)
    assert page is not None
    kinds = [kind for kind, _ in page.parts]
    assert kinds == ["text", "text", "table"]
    _, paragraph = page.parts[1]
    assert isinstance(paragraph, views.Prose)
    [line] = paragraph.lines
    text = "".join(p if isinstance(p, str) else p.text for p in line)
    assert "For 2024 utgjør dette 127,7 millioner kroner." in text
    links = [p for p in line if isinstance(p, views.TextLink)]
    assert [(p.text, p.key) for p in links] == [
        ("127,7", "net_unused_funds_2024_mnok"), ("34,5", "repayment_agreed_2025_mnok"),
        ("83,5", "repayment_proposed_2026_mnok")]
    assert str(links[0].href).startswith(QUERY_PAGE)
    assert "editor/?file_path=" in str(links[1].href)  # declared data opens its directive


@pytest.fixture(scope="module")
def cost_basis_example() -> Ledger:
    """The cost-basis example (TBU's tables of 2021), loaded once."""
    return load(COST_BASIS_EXAMPLE)


@pytest.mark.parametrize(("year", "versions", "at_least"), [
    (2022, None, 300), (2021, None, 350), (2020, None, 20),
    (2022, ["host-2021", "vaar-2021"], 300),
])
def test_every_cost_basis_figure_of_the_example_links_and_sums(
        cost_basis_example: Ledger, year: int, versions: list[str] | None,
        at_least: int) -> None:
    """Budget and forecast open their budget lines, actual its postings, variances, growth and
    changes both; every one sums to its figure."""
    count, wrong = page_problems([cost_basis_page(cost_basis_example, year, versions)],
                                 cost_basis_example)
    assert count >= at_least
    assert wrong == []


def test_the_second_ledgers_cost_basis_is_walked(second_ledger: Ledger) -> None:
    """The walk above covers the cost-basis page (its 116 figures) of a ledger that has one."""
    pages = every_page(build_report(second_ledger, 2024), second_ledger)
    assert pages[-1].section == "cost-basis"
    assert len(figures_of(pages[-1])) == 116


def cost_basis_figures(ledger: Ledger) -> dict[str, object]:
    return {f.where.removeprefix("cost-basis/"): f
            for f in figures_of(cost_basis_page(ledger, 2024))}


def test_a_line_split_at_the_ready_date_opens_its_part(second_ledger: Ledger) -> None:
    """Beta's 2024 budget line (366.01) straddles its ready date (1 July): the funding table
    shows 182.00 for investment funds and 184.01 for the regulation, each opening the one
    budget line with the part the rule gives that source."""
    figures = cost_basis_figures(second_ledger)
    checker = Checker(second_ledger)
    investment = figures["funding/beta/satsingsmidler/2"]
    regulation = figures["funding/beta/forskrift/2"]
    assert (investment.value, regulation.value) == (D("182.00"), D("184.01"))
    assert [p[2] for p in investment.drill.declared] == ["amount@satsingsmidler"]
    assert [p[2] for p in regulation.drill.declared] == ["amount@forskrift"]
    assert investment.drill.declared[0][:2] == regulation.drill.declared[0][:2]
    assert checker.shown(investment.drill) == [D("182.00")]
    assert investment.href.startswith("/bfile/editor/?file_path=")


def test_actual_cost_follows_the_element_and_funding_rules(second_ledger: Ledger) -> None:
    """Alfa's 400.00 is licences (its posting's cost-element) paid by its own funding (the
    posting's funding); beta's 250.00 is goods by account, before the ready date: investment
    funds. Each opens a query that selects exactly that posting."""
    figures = cost_basis_figures(second_ledger)
    checker = Checker(second_ledger)
    expected = {"detail/alfa/lisenser/3": D("400.00"), "detail/alfa/varekost/3": D(0),
                "funding/alfa/egen/4": D("400.00"), "funding/alfa/forskrift/4": D(0),
                "funding/beta/satsingsmidler/4": D("250.00"), "funding/beta/forskrift/4": D(0)}
    assert {k: figures[k].value for k in expected} == expected
    assert {k: checker.shown(figures[k].drill) for k in expected} == {
        k: [v] for k, v in expected.items()}
    assert all("/query/" in figures[k].href for k in expected)


def test_a_variance_opens_both_its_lines_and_its_postings(second_ledger: Ledger) -> None:
    variance = cost_basis_figures(second_ledger)["solutions/alfa/5"]
    assert variance.value == D("400.00")  # budget 800 − actual 400
    assert "section=declared" in variance.href
    assert "query=SELECT" in variance.href
    assert Checker(second_ledger).shown(variance.drill) == [D("400.00")]


def test_a_unit_cost_divides_by_its_volume(second_ledger: Ledger) -> None:
    figures = cost_basis_figures(second_ledger)
    checker = Checker(second_ledger)
    assert figures["unit-costs/alfa/2"].value == D(3)
    assert [p[2] for p in figures["unit-costs/alfa/2"].drill.declared] == ["count"]
    actual = figures["unit-costs/alfa/5"]
    assert actual.value == D("133.33")
    assert set(checker.shown(actual.drill)) == {D("133.33")}
    assert actual.drill.per is not None


def test_the_check_fails_a_drill_that_does_not_make_its_figure(second_ledger: Ledger) -> None:
    """The guarantee can fail: a page whose figure carries its neighbour's drill is caught."""
    page = cost_basis_page(second_ledger, 2024)
    table = page.tables[1]
    alfa, beta = table.rows[0], table.rows[1]
    swapped = replace(alfa, cells=(*alfa.cells[:3], beta.cells[3], *alfa.cells[4:]))
    swapped = replace(swapped, cells=tuple(
        replace(c, value=a.value) for c, a in zip(swapped.cells, alfa.cells, strict=True)))
    broken = replace(page, tables=(replace(table, rows=(swapped, *table.rows[1:])),))
    _, wrong = page_problems([broken], second_ledger)
    assert wrong == ["cost-basis/solutions/alfa/3: 400.00 but the drill sums to 250.00"]


def tieout_page(report: Report) -> views.Page:
    page = views.page(report, views.TIEOUTS, QUERY_PAGE)
    assert page is not None
    return page


@pytest.mark.parametrize("which", ["example", "second"])
def test_the_tieout_page_links_the_sides_that_are_report_figures(
        example_ledger: Ledger, second_ledger: Ledger, which: str) -> None:
    """Each statement tie-out (balance, cash, result transferred, result = change in equity),
    each cash-flow section against its cash, each note total against its statement line and the
    note tie-outs (notes 4, 6, 8, 9, 12 and 13 against the statements, the employer's tax
    against its rate) link both sides and the difference, and each sums to its figure; what is
    left unlinked is exactly the documented kinds."""
    ledger = example_ledger if which == "example" else second_ledger
    report = build_report(ledger, 2024)
    page = tieout_page(report)
    count, wrong = page_problems([page], ledger)
    assert wrong == []
    assert count > 100
    linked = {tieout_kind(f.where.split("/", 2)[2].rsplit("/", 1)[0])
              for f in figures_of(page) if f.drill is not None}
    assert {"bs.balances", "cf.ends_at_cash", "is.result_transferred",
            "eq.result_equals_change"} <= linked
    assert any(k.startswith("cf.section_cash.") for k in linked)
    assert any(".total_vs_" in k for k in linked)
    assert {"n4.asset_equals_obligation", "n4.recognised_vs_income_statement",
            "n4.book_value_vs_balance_sheet", "n8.t0.book_value_vs_balance_sheet",
            "n8.t1.book_value_vs_balance_sheet", "n8.depreciation_vs_income_statement",
            "n8.impairment_vs_income_statement", "n9.total_equity_vs_balance_sheet",
            "n9.result_vs_income_statement", "note13.investment_grants"} <= linked
    if which == "example":  # the second ledger has no pensions and no restricted deposits
        assert {"n6.obligation_vs_balance_sheet", "n6.employer_tax_vs_rate",
                "n12.within_balance_sheet"} <= linked
    assert any(k.endswith("accounts_mapped") for k in linked)
    assert any(k.startswith("n8.useful_life.") for k in linked)
    unlinked = {(tieout_kind(f.where.split("/", 2)[2].rsplit("/", 1)[0]), f.where[-1])
                for f in figures_of(page) if f.drill is None}
    assert unlinked
    assert all(re.fullmatch(COMPARED_WITH_ZERO[0], k) and cell == COMPARED_WITH_ZERO[1]
               for k, cell in unlinked)


def test_the_tieout_check_fails_a_side_with_the_wrong_drill(second_ledger: Ledger) -> None:
    """The walk can fail: a tie-out whose left side carries another line's drill is caught, and
    so is a tie-out of an undocumented kind shown without a link."""
    report = build_report(second_ledger, 2024)
    balances, cash = (t for t in report.tieouts
                      if t.check_id in ("bs.balances.2024", "cf.ends_at_cash.2024"))
    swapped = replace(balances, left_drill=cash.right_drill)
    bare = replace(cash, left_drill=None)
    mutated = replace(report, tieouts=tuple(
        swapped if t is balances else bare if t is cash else t for t in report.tieouts))
    _, wrong = page_problems([tieout_page(mutated)], second_ledger)
    assert wrong[0] == (f"tieouts/tieouts/bs.balances.2024/1: {balances.left} but the drill "
                        f"sums to {cash.right}")
    assert {w.split(":")[0] for w in wrong} == {
        "tieouts/tieouts/bs.balances.2024/1", "tieouts/tieouts/bs.balances.2024/3",
        "tieouts/tieouts/cf.ends_at_cash.2024/1", "tieouts/tieouts/cf.ends_at_cash.2024/3"}
    assert [w for w in wrong if "has no link" in w] == [
        f"tieouts/tieouts/cf.ends_at_cash.2024/1: {cash.left} has no link",
        f"tieouts/tieouts/cf.ends_at_cash.2024/3: {cash.difference} has no link",
    ]


def test_a_note_tieout_with_another_notes_drill_is_caught(second_ledger: Ledger) -> None:
    """The note tie-outs are checked too: note 9's result given note 8's depreciation (the
    income statement's side) as its own, and note 4's recognised release left without its note
    cell's drill, give exactly the wrong sums and the missing links of those two rows."""
    report = build_report(second_ledger, 2024)
    result, recognised, depreciation = (
        next(t for t in report.tieouts if t.check_id == check_id) for check_id in (
            "n9.result_vs_income_statement", "n4.recognised_vs_income_statement",
            "n8.depreciation_vs_income_statement"))
    swapped = replace(result, left_drill=depreciation.right_drill)
    bare = replace(recognised, left_drill=None)
    mutated = replace(report, tieouts=tuple(
        swapped if t is result else bare if t is recognised else t for t in report.tieouts))
    _, wrong = page_problems([tieout_page(mutated)], second_ledger)
    row = "tieouts/tieouts/n9.result_vs_income_statement"
    assert wrong == [
        f"tieouts/tieouts/n4.recognised_vs_income_statement/1: {recognised.left} has no link",
        f"tieouts/tieouts/n4.recognised_vs_income_statement/3: {recognised.difference} has no "
        "link",
        f"{row}/1: {result.left} but the drill sums to {depreciation.right}",
        f"{row}/3: {result.difference} but the drill sums to "
        f"{depreciation.right - result.right}",
    ]
    assert result.left != depreciation.right


# The second ledger's own report as a published document (whole kroner, as printed), with
# three printed figures changed: a line of the income statement, a balance-sheet line a
# cash-flow line is the change of, and a cell of note 2 that its total and its roll-forward use.
PRINTED_CHANGES = (
    (("statements", "income_statement", "grant_income", "2024"), "4501"),
    (("statements", "balance_sheet", "trade_receivables", "2024"), "2150"),
    (("notes", "2", 0, "national_ehealth_solutions", "invoiced_2024"), "710"),
)


def published_second(directory: Path) -> tuple[Ledger, Path]:
    """The second ledger in ``directory``, with ``nhnfin-published`` naming its own report as
    printed, changed at :data:`PRINTED_CHANGES`."""
    import json
    import textwrap

    from nhnfin.reports.json_report import report_document

    document = report_document(build_report(load_text(SECOND), 2024))
    for (part, key, *where), value in PRINTED_CHANGES:
        if part == "statements":
            row, year = where
            next(r for r in document[part][key] if r["key"] == row)[year] = value
        else:
            table, row, column = where
            rows = document[part][key]["tables"][table]["rows"]
            next(r for r in rows if r["key"] == row)["values"][column] = value
    (directory / "trykt.json").write_text(json.dumps(document), "utf-8")
    path = directory / "second.beancount"
    path.write_text(textwrap.dedent(SECOND)
                    + '2024-12-31 custom "nhnfin-published" "trykt.json"\n', "utf-8")
    ledger = load(path)
    assert [e.message for e in ledger.errors] == []
    return ledger, path


def published_page(report: Report) -> views.Page:
    page = views.page(report, views.PUBLISHED, QUERY_PAGE)
    assert page is not None
    return page


def test_the_published_page_links_every_figure_on_the_second_ledger(tmp_path: Path) -> None:
    """Each finding of every producer (a ledger line, a ledger note cell, a printed subtotal, a
    printed cash-flow change, a printed note that does not add up) links its printed figure to
    the directive under its cell, its recomputed figure to what makes it and its difference to
    both, and every link sums to its figure; the whole walk includes the page."""
    ledger, path = published_second(tmp_path)
    report = build_report(ledger, 2024)
    page = published_page(report)
    rows = {r.key: r for r in page.tables[0].rows}
    assert set(rows) == {
        "ledger.income_statement.grant_income.2024",
        "income_statement.total_operating_income.2024",
        "ledger.balance_sheet.trade_receivables.2024",
        "balance_sheet.total_receivables.2024",
        "cash_flow.change_in_trade_receivables.2024",
        "ledger.note2.0.national_ehealth_solutions.invoiced_2024",
        "note2.0.total.invoiced_2024",
        "note2.0.national_ehealth_solutions.set_aside_for_2025",
    }
    count, wrong = page_problems([page], ledger)
    assert (count, wrong) == (24, [])
    line = 1 + textwrap_lines(path).index('2024-12-31 custom "nhnfin-published" "trykt.json"')
    cash = rows["cash_flow.change_in_trade_receivables.2024"].cells
    assert [c.text for c in cash[1:4]] == ["−700", "−750", "50"]
    assert cash[1].href == ("/bfile/editor/?" + urlencode({"file_path": str(path), "line": line}))
    assert cash[1].title == ("Trykt tall, celle cf:change_in_trade_receivables:2024 i trykt.json "
                             f"(nhnfin-published): second.beancount:{line}")
    assert cash[2].drill is not None
    assert [(s, p.declared[0][2]) for s, p in cash[2].drill.parts] == [
        (-1, "bs:trade_receivables:2024"), (1, "bs:trade_receivables:2023")]
    ledger_line = rows["ledger.income_statement.grant_income.2024"].cells
    statement = report.statement("income_statement").row("grant_income").drill["2024"]
    assert ledger_line[2].drill == statement  # the statement page's own drill
    assert ledger_line[3].href is not None
    assert "section=declared" in ledger_line[3].href
    assert views.PUBLISHED in {p.section for p in every_page(report, ledger)}  # the whole walk


def textwrap_lines(path: Path) -> list[str]:
    return path.read_text("utf-8").splitlines()


def test_the_published_page_links_every_figure_on_the_example(example_ledger: Ledger) -> None:
    """The example's published differences: every figure links, the figures quoted in the
    notes' texts too (printed: the document's narrative figure; recomputed: the text figure's
    own drill, rounded as the text prints it, 307 644 000 as 307,6 millioner)."""
    report = build_report(example_ledger, 2024)
    page = published_page(report)
    count, wrong = page_problems([page], example_ledger)
    assert wrong == []
    assert count == 3 * len(page.tables[0].rows) == 150
    figures = figures_of(page)
    assert [f.where for f in figures if f.drill is None] == []
    grant = {f.where.rsplit("/", 1)[1]: f.value for f in figures
             if "/narrative.note3.grant_awarded_2024_mnok/" in f.where}
    assert grant == {"1": D("232800000.0"), "2": D("307600000.0"), "3": D("-74800000.0")}
    rounded = next(f for f in figures
                   if f.where == "published/inconsistencies/"
                                 "ledger.note8.1.amortisation_for_year.software/2")
    assert rounded.value == D("-2035493.10")  # the exact figure the drill sums to, shown rounded


def test_the_published_check_fails_a_figure_with_the_wrong_drill(tmp_path: Path) -> None:
    """The walk can fail: a recomputed figure given another finding's drill, and a printed
    figure without its link, are each caught (and the difference beside them)."""
    ledger, _ = published_second(tmp_path)
    report = build_report(ledger, 2024)
    line, subtotal = (next(f for f in report.published_findings if f.check_id == key)
                      for key in ("ledger.income_statement.grant_income.2024",
                                  "income_statement.total_operating_income.2024"))
    swapped = replace(line, recomputed_drill=subtotal.recomputed_drill)
    bare = replace(subtotal, published_drill=None)
    mutated = replace(report, published_findings=tuple(
        swapped if f is line else bare if f is subtotal else f
        for f in report.published_findings))
    _, wrong = page_problems([published_page(mutated)], ledger)
    where = "published/inconsistencies"
    assert sorted(wrong) == [
        f"{where}/income_statement.total_operating_income.2024/1: 5750 has no link",
        f"{where}/income_statement.total_operating_income.2024/3: -1 has no link",
        f"{where}/ledger.income_statement.grant_income.2024/2: 4500.00 but the drill sums to "
        "5751",
        f"{where}/ledger.income_statement.grant_income.2024/3: 1.00 but the drill sums to -1250",
    ]


def test_the_zero_a_mapping_check_is_compared_with_says_why(example_ledger: Ledger) -> None:
    """The zero a mapping check's count of errors must be is no figure of the books: it alone
    has no link, and its hover says in Norwegian what it is; the count and the difference
    link."""
    page = tieout_page(build_report(example_ledger, 2024))
    sides = [f for f in figures_of(page) if f.where.split("/")[2].endswith("accounts_mapped")]
    assert {f.where[-1] for f in sides} == {"1", "2", "3"}
    assert all((f.href is None) == (f.where[-1] == "2") for f in sides)
    titles = {f.title for f in sides if f.href is None}
    assert len(titles) == 1
    assert all(t is not None and t.startswith("Ingen lenke: antallet feil som er tillatt")
               for t in titles)


def test_a_tieout_side_without_a_link_or_a_reason_is_caught(second_ledger: Ledger) -> None:
    """The walk fails an unfollowable side whose hover does not say why."""
    report = build_report(second_ledger, 2024)
    mapped = next(t for t in report.tieouts if t.check_id.endswith("accounts_mapped"))
    mutated = replace(report, tieouts=tuple(replace(t, unlinked="") if t is mapped else t
                                            for t in report.tieouts))
    _, wrong = page_problems([tieout_page(mutated)], second_ledger)
    assert wrong == [f"tieouts/tieouts/{mapped.check_id}/2: 0 has no hover saying why it has "
                     "no link"]


# Two note 5 lines of half a krone each: each prints rounded up, the sum of the exact lines
# rounds to one krone less than the printed lines add up to.
HALF_KRONER = """
    2022-12-31 open Expenses:5400-EmployerTax
      note-row: "employer_social_security_contributions"
    2024-03-01 * "Lønn med øre"
      Expenses:5000-Salaries      0.50 NOK
      Expenses:5400-EmployerTax   0.50 NOK
      Assets:1920-Bank           -1.00 NOK
"""


def test_a_rounded_sum_links_both_sides_to_the_lines_it_rounds() -> None:
    """The check that a note's sum, rounded to kroner, is the sum of its rounded lines links
    both sides: the sum's own postings rounded (6 000,50 -> 6 001) and each line's postings
    rounded (6 000,50 -> 6 001, 0,50 -> 1), and each adds up to its side; the difference is
    both (−1)."""
    ledger = load_text(SECOND + HALF_KRONER)
    assert [e.message for e in ledger.errors] == []
    report = build_report(ledger, 2024)
    check = next(t for t in report.tieouts if t.check_id == "n5.t0.rounded_sum.2024")
    assert (check.left, check.right, check.status.value) == (D(6001), D(6002), "warning")
    page = tieout_page(report)
    cells = {f.where.rsplit("/", 1)[1]: f for f in figures_of(page)
             if f.where.startswith("tieouts/tieouts/n5.t0.rounded_sum.2024/")}
    checker = Checker(ledger)
    assert {k: (f.value, set(checker.shown(f.drill)) if f.drill else None)
            for k, f in cells.items()} == {
        "1": (D(6001), {D(6001)}), "2": (D(6002), {D(6002)}), "3": (D(-1), {D(-1)})}
    assert cells["1"].drill is not None
    assert cells["1"].drill.rounded == 1
    assert cells["2"].drill is not None
    assert len(cells["2"].drill.parts) >= 2
    assert {(s, p.rounded) for s, p in cells["2"].drill.parts} == {(1, 1)}
    assert page_problems([page], ledger)[1] == []


def test_a_difference_of_two_sides_over_the_same_postings_opens_both(
        second_ledger: Ledger) -> None:
    """Note 9's total equity and the balance sheet's are the same postings: the difference's
    terms cancel, and its zero opens the page of its two sides (each linked, + and −), not a
    page of directives with none on it; the walk fails a figure whose link lists nothing."""
    report = build_report(second_ledger, 2024)
    check = next(t for t in report.tieouts
                 if t.check_id == "n9.total_equity_vs_balance_sheet.2024")
    assert (check.left, check.right) == (D("97600.00"), D("97600.00"))
    page = tieout_page(report)
    difference = next(f for f in figures_of(page)
                      if f.where == f"tieouts/tieouts/{check.check_id}/3")
    assert difference.drill is not None
    assert difference.value == 0
    assert {s for s, _ in difference.drill.parts} == {1, -1}
    assert Checker(second_ledger).shown(difference.drill) == [D(0)]
    assert views.drill_places(difference.drill) or difference.drill.query
    assert page_problems([page], second_ledger)[1] == []
    bare = replace(page, tables=tuple(replace(t, rows=tuple(
        replace(r, cells=tuple(replace(c, drill=Drill(description="Ingenting"))
                               if i == 3 else c for i, c in enumerate(r.cells)))
        if r.key == check.check_id else r for r in t.rows)) for t in page.tables))
    assert page_problems([bare], second_ledger)[1] == [
        f"tieouts/tieouts/{check.check_id}/3: 0.00 links to a page that lists nothing"]
