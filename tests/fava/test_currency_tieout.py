"""The tie-out of a foreign-currency balance on Fava's "Avstemminger" page: the NOK the books
carry links to the account's postings and sums to it; the units at the rate link to the
account's postings in each currency, summed in units, times the rate of the ``price`` directive,
rounded to the øre (and the cost of units held at cost), and so does the difference; a currency
without a rate leaves that side 0, unlinked, saying which rate is missing
(nhnfin.tieouts.revaluation_tieouts)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from nhnfin.reports import json_report
from nhnfin.reports.text import render_markdown

from nhnfin.fava_ext import views
from nhnfin.fava_ext.drill_values import DrillValues
from nhnfin.ledger import Ledger
from nhnfin.ledger import load
from nhnfin.model import TieOut
from nhnfin.report import build_report
from nhnfin.tieouts import text_line
from tests.close.conftest import write
from tests.close.test_currency import BOOKS
from tests.close.test_currency import EUR_INVOICE
from tests.close.test_currency import NOK_INVOICE
from tests.close.test_currency import PAID
from tests.close.test_currency import RATE
from tests.close.test_currency import RATE_LINE
from tests.fava.drill_check import QUERY_PAGE
from tests.fava.drill_check import Checker
from tests.fava.drill_check import Figure
from tests.fava.drill_check import figures_of
from tests.fava.drill_check import page_problems
from tests.fava.test_drill_links import Follower

CHECK = "bs.currency_at_rate.Assets:1921-BankEUR.2024"
DOLLARS = """
2024-06-03 * "Tilskudd i dollar"
  Assets:1921-BankEUR               123.40 USD @ 10.50 NOK
  Income:3400-GrantIncome         -1295.70 NOK
2024-12-31 price USD 10.6123 NOK
"""
FUND = """
2024-06-04 * "Fondsandeler"
  Assets:1921-BankEUR                10 FUND {105.00 NOK}
  Assets:1920-Bank                -1050.00 NOK
2024-12-31 price FUND 130.00 NOK
"""


def tieout_and_figures(ledger: Ledger) -> tuple[TieOut, views.Page, dict[str, Figure]]:
    report = build_report(ledger, 2024)
    tieout = next(t for t in report.tieouts if t.check_id == CHECK)
    page = views.page(report, views.TIEOUTS, QUERY_PAGE)
    assert page is not None
    figures = {f.where.rsplit("/", 1)[1]: f for f in figures_of(page)
               if f"/{CHECK}/" in f.where}
    assert sorted(figures) == ["1", "2", "3"]
    return tieout, page, figures


def followed(ledger: Ledger, page: views.Page) -> list[str]:
    """What is wrong when the links of both sides are followed as a reader follows them: the
    booked side's query page, its listed NOK weights (1 000 EUR @ 11,20 is 11 200; before, it
    listed only positions, 1 000 EUR, which do not add up to the NOK figure); the side at the
    rate's parts pages, the query page's listed units, the price directive in the editor."""
    follower = Follower(ledger)
    linked = views.with_part_links(page, QUERY_PAGE, "/bfile/extension/NhnfinReport/?section="
                                   + views.TIEOUTS)
    row = next(r for t in linked.tables for r in t.rows if r.key == CHECK)
    for index in (1, 2):
        cell = row.cells[index]
        assert cell.href is not None
        assert cell.drill is not None
        assert cell.value is not None
        follower.check(f"{CHECK}/{index}", cell.value, cell.href, cell.title, cell.drill, linked)
    assert follower.followed >= 5
    return follower.wrong


def test_both_sides_and_the_difference_link(tmp_path: Path) -> None:
    """Before, the side at the rate (11 750) and the difference (−550) had no link."""
    ledger = load(write(tmp_path / "books.beancount", BOOKS + RATE))
    tieout, page, figures = tieout_and_figures(ledger)
    _, wrong = page_problems([page], ledger)
    assert wrong == []
    assert followed(ledger, page) == []
    assert [(figures[c].value, figures[c].drill is None) for c in "123"] == [
        (11200, False), (11750, False), (-550, False)]
    assert tieout.right_drill is not None
    values, checker = DrillValues(ledger), Checker(ledger)
    # 1 000 EUR × 11,7500 = 11 750,00, through the extension's values and drill_check's walk
    assert values.value(tieout.right_drill) == Decimal("11750.00")
    assert checker.shown(tieout.right_drill) == [Decimal("11750.00")]
    assert values.value(figures["3"].drill) == Decimal("-550.00")  # type: ignore[arg-type]


def test_the_parts_page_shows_the_holding_times_the_rate(tmp_path: Path) -> None:
    """The figure at the rate: its rounding, then the units in EUR (the postings, summed in
    units) times the rate of the price directive (a link to its line in the editor)."""
    main = write(tmp_path / "books.beancount", BOOKS + RATE)
    ledger = load(main)
    tieout, _, _ = tieout_and_figures(ledger)
    assert tieout.right_drill is not None
    values = DrillValues(ledger)
    rounding = views.parts_page("EUR", tieout.right, tieout.right_drill, values, QUERY_PAGE,
                                "/x?parts=1")
    assert [r.cells[0].text for r in rounding.tables[0].rows] == ["+", "≈", "="]
    at_price = views.part_of(tieout.right_drill, [0, 0])
    assert at_price is not None
    shown = views.parts_page("EUR", tieout.right, at_price, values, QUERY_PAGE, "/x?parts=1",
                             [0, 0])
    rows = [[c.text for c in r.cells] for r in shown.tables[0].rows]
    assert rows == [
        ["+", "Beholdning i EUR (enheter, ikke NOK): posteringer på Assets:1921-BankEUR, før "
         "01.01.2025, omregnet til en kurs (@), ikke til kost", "1\u00a0000,00", "1\u00a0000,00",
         "1\u00a0000,00"],
        ["×", f"Kursen 11,7500 NOK pr. EUR (31.12.2024): books.beancount:{RATE_LINE}", "",
         "11,75", "11\u00a0750,00"],
        ["=", "Tallet: EUR", "", "", "11\u00a0750,00"],
    ]
    price = shown.tables[0].rows[1].cells[1].href
    assert price is not None
    assert price.startswith("/bfile/editor/?")
    assert f"line={RATE_LINE}" in price


def test_two_currencies_add_up(tmp_path: Path) -> None:
    """EUR and USD on one account: 1 000 EUR × 11,75 = 11 750,00 and 123,40 USD × 10,6123 =
    1 309,55782 ≈ 1 309,56: 13 059,56 at the rates against 12 495,70 booked. Each side links
    and sums to its figure, each currency's part too."""
    ledger = load(write(tmp_path / "books.beancount", BOOKS + RATE + DOLLARS))
    tieout, page, figures = tieout_and_figures(ledger)
    assert (tieout.left, tieout.right) == (Decimal("12495.70"), Decimal("13059.56"))
    _, wrong = page_problems([page], ledger)
    assert wrong == []
    assert followed(ledger, page) == []
    drill = tieout.right_drill
    assert drill is not None
    values, checker = DrillValues(ledger), Checker(ledger)
    parts = [values.value(part) for _, part in drill.parts]
    assert parts == [Decimal("11750.00"), Decimal("1309.56")]
    assert [checker.shown(part) for _, part in drill.parts] == [[p] for p in parts]
    usd, held = (views.part_of(drill.parts[1][1], path) for path in ([0, 0], [0, 0, 0]))
    assert usd is not None
    assert held is not None
    assert (usd.units, held.units) == ("USD", "USD")
    assert (values.value(usd), values.value(held)) == (Decimal("1309.55782"), Decimal("123.40"))
    assert values.value(drill) == checker.shown(drill)[0] == Decimal("13059.56")
    assert figures["3"].value == Decimal("-563.86")
    assert figures["3"].drill is not None
    assert values.value(figures["3"].drill) == Decimal("-563.86")


def test_units_at_cost_on_the_account_are_their_cost(tmp_path: Path) -> None:
    """Fund units at cost on the same account count at their cost (1 050,00, not at their
    price 130): 11 750,00 + 1 309,56 + 1 050,00 = 14 109,56, linked and summing."""
    ledger = load(write(tmp_path / "books.beancount", BOOKS + RATE + DOLLARS + FUND))
    tieout, page, _ = tieout_and_figures(ledger)
    assert (tieout.left, tieout.right) == (Decimal("13545.70"), Decimal("14109.56"))
    _, wrong = page_problems([page], ledger)
    assert wrong == []
    drill = tieout.right_drill
    assert drill is not None
    values = DrillValues(ledger)
    assert [values.value(part) for _, part in drill.parts] == [
        Decimal("11750.00"), Decimal("1309.56"), Decimal("1050.00")]
    assert values.value(drill) == Checker(ledger).shown(drill)[0] == Decimal("14109.56")


def test_a_currency_without_a_rate_shows_no_figure_but_the_holding(tmp_path: Path) -> None:
    """No price directive: the side at the rate has no figure (before: 0, unlinked, a figure
    nobody could follow, and a difference of 11 200 that was the booked side's). It says
    "kurs mangler" and links to the holding, the EUR postings summed in units (1 000); the
    difference says it too; every format shows the word, JSON a null."""
    ledger = load(write(tmp_path / "books.beancount", BOOKS))
    report = build_report(ledger, 2024)
    tieout = next(t for t in report.tieouts if t.check_id == CHECK)
    assert (tieout.left, tieout.right, tieout.difference, tieout.missing) == (
        Decimal("11200.00"), None, None, "kurs mangler")
    page = views.page(report, views.TIEOUTS, QUERY_PAGE)
    assert page is not None
    row = next(r for t in page.tables for r in t.rows if r.key == CHECK)
    right, difference = row.cells[2], row.cells[3]
    assert (right.text, right.numeric, right.value) == ("kurs mangler", False, None)
    assert right.drill is not None
    assert right.href is not None
    assert right.drill.units == "EUR"
    assert DrillValues(ledger).value(right.drill) == Decimal("1000.00")
    assert right.title == (
        "Ingen kurs for EUR pr. 31.12.2024 (legg til en price-direktiv): beholdningen kan ikke "
        "regnes om til NOK, så siden mot kursen har ikke noe tall; lenken viser beholdningen "
        "i EUR")
    assert (difference.text, difference.numeric, difference.href) == ("kurs mangler", False, None)
    assert difference.title == "Ingen differanse: siden mot kursen har ikke noe tall"
    _, wrong = page_problems([page], ledger)
    assert wrong == []
    assert [f.where.rsplit("/", 1)[1] for f in figures_of(page) if f"/{CHECK}/" in f.where] == [
        "1"]
    document = json_report.report_document(report)
    shown = next(t for t in document["tieouts"] if t["check_id"] == CHECK)
    assert (shown["left"], shown["right"], shown["difference"], shown["missing"]) == (
        "11200.0000", None, None, "kurs mangler")
    assert text_line(tieout) == (
        f"{tieout.description}: 11 200 mot kurs mangler (valutaen har ingen kurs for "
        f"balansedagen; nhnfin close stopper)  [{CHECK}]")
    md = next(x for x in render_markdown(report).decode().splitlines()
              if "Assets:1921-BankEUR 31.12.2024" in x)
    assert md.endswith("| 11 200 | kurs mangler | kurs mangler | ADVARSEL | valutaen har ingen "
                       "kurs for balansedagen; nhnfin close stopper |")


def test_a_rate_written_the_other_way_round_links_as_the_units_divided_by_it(
        tmp_path: Path) -> None:
    """``price NOK 0.0851 EUR``: the side at the rate is the EUR postings summed in units
    divided by the directive's 0,0851, rounded to the øre (11 750,88), linked, summing on the
    parts page and through drill_check's walk."""
    ledger = load(write(tmp_path / "books.beancount",
                        BOOKS + "\n2024-12-31 price NOK 0.0851 EUR\n"))
    tieout, page, figures = tieout_and_figures(ledger)
    assert (tieout.left, tieout.right) == (Decimal("11200.00"), Decimal("11750.88"))
    _, wrong = page_problems([page], ledger)
    assert wrong == []
    assert followed(ledger, page) == []
    assert tieout.right_drill is not None
    values, checker = DrillValues(ledger), Checker(ledger)
    assert values.value(tieout.right_drill) == Decimal("11750.88")
    assert checker.shown(tieout.right_drill) == [Decimal("11750.88")]
    shown = views.parts_page("EUR", tieout.right, tieout.right_drill, values, QUERY_PAGE,
                             "/x?parts=1")
    rows = [[c.text for c in r.cells] for r in shown.tables[0].rows]
    assert [r[0] for r in rows] == ["+", "÷", "="]
    assert rows[1][1] == f"Kursen 0,0851 EUR pr. NOK (31.12.2024): books.beancount:{RATE_LINE}"
    assert rows[2][-1] == "11\u00a0750,88"
    assert values.value(figures["3"].drill) == Decimal("-550.88")  # type: ignore[arg-type]


def test_a_nok_item_and_a_settled_payable_link_and_sum(tmp_path: Path) -> None:
    """The booked side takes the account's postings at a price, at cost, or in transactions
    with 8060/8160, not a NOK payable beside them (−2 200, not −7 200), and links to just
    those; a payable settled at another rate (0 EUR, 100 NOK not booked as disagio) shows
    100 against 0, each side linked and summing."""
    for extra, left, right in (
            (NOK_INVOICE + EUR_INVOICE, Decimal("-2200.00"), Decimal("-2350.00")),
            (EUR_INVOICE + PAID, Decimal("100.00"), Decimal("0"))):
        ledger = load(write(tmp_path / "books.beancount", BOOKS + RATE + extra))
        report = build_report(ledger, 2024)
        tieout = next(t for t in report.tieouts if t.check_id
                      == "bs.currency_at_rate.Liabilities:2400-TradePayables.2024")
        assert (tieout.left, tieout.right) == (left, right)
        page = views.page(report, views.TIEOUTS, QUERY_PAGE)
        assert page is not None
        _, wrong = page_problems([page], ledger)
        assert [w for w in wrong if "currency_at_rate" in w] == []
        assert tieout.left_drill is not None
        assert tieout.right_drill is not None
        values = DrillValues(ledger)
        assert (values.value(tieout.left_drill), values.value(tieout.right_drill)) == (
            left, right)
