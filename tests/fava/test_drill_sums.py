"""The auditor's guarantee: every figure on every statement, note and grant-usage page links to
what makes it, and what the link selects adds up to the figure, to the øre before rounding, with
the sign as presented. Run on the example ledger and on an independent literal ledger with every
rule in use (e-health with two solutions, a grant, an asset, a delivery obligation, note data)."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pytest

from nhnfin.fava_ext import views
from nhnfin.ledger import Ledger
from nhnfin.ledger import load
from nhnfin.report import build_report
from tests.conftest import load_text
from tests.fava.drill_check import QUERY_PAGE
from tests.fava.drill_check import Checker
from tests.fava.drill_check import as_quoted
from tests.fava.drill_check import every_page
from tests.fava.drill_check import figures_of
from tests.fava.drill_check import printed_number
from tests.fava.drill_check import problems
from tests.fava.drill_check import text_figures_of
from tests.notes.test_note_text import BOOKS
from tests.notes.test_note_text import write

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


def test_every_figure_of_the_example_note_texts_links_and_sums(example_ledger: Ledger) -> None:
    """The note texts' figures (18 in the 2024 texts: the 17 published narrative figures, one
    of them a range of two) each open what makes them, which sums to the exact figure and, in
    the unit quoted, rounds to the figure printed."""
    report = build_report(example_ledger, 2024)
    quoted = [(p.section, f) for p in every_page(report, example_ledger)
              for f in text_figures_of(p)]
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
    assert wrong == ["note-8/text/114,0: «114,0» has no link"]
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
