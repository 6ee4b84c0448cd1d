"""Every figure's link, followed as a reader follows it, adds up to the figure.

A link to Fava's query page: its query (``query_string``, as the page runs it) is run with
beanquery and the column the page lists for it summed: each posting's NOK weight (its
running sum, ``weight_balance``, ends at the figure); the figure is that sum, or minus it when
the hover's last words say "vist med motsatt fortegn" (a holding's: the units it lists, its
positions, all in its currency). A link to Fava's editor: the directive's
declared value. A link to the page of declared data: the values of what it lists (a line of the
notes layout), or for a count the number of items it lists. A link to a figure's parts page
(``parts=1``): the page as the extension serves it; each part's own link is followed the same
way and must give the part's figure the page prints, the parts combined by their operators
(+, −, ÷, × %, ×, ≈) must give the page's result, and the result must be the figure. Run on every
page of the example ledger and of a literal ledger with a year's change in retained earnings, a
grant with a 2910 debit and a cash flow."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP
from decimal import Decimal as D
from urllib.parse import parse_qs
from urllib.parse import parse_qsl
from urllib.parse import urlencode
from urllib.parse import urlsplit

import pytest
from beanquery.query import run_query

from nhnfin.fava_ext import views
from nhnfin.fava_ext.drill_values import DrillValues
from nhnfin.ledger import Ledger
from nhnfin.model import Drill
from nhnfin.report import build_report
from tests.conftest import load_text
from tests.fava.drill_check import QUERY_PAGE
from tests.fava.drill_check import Checker
from tests.fava.drill_check import every_page

PAGE = "/bfile/extension/NhnfinReport/"

YEAR_LEDGER = """
    option "title" "Fjordtest SF"
    option "operating_currency" "NOK"
    plugin "nhnfin"
    2024-12-31 custom "fava-option" "fiscal-year-end" "12-31"
    2024-12-31 open Assets:1920-Bank
    2024-12-31 open Assets:1500-TradeReceivables
    2024-12-31 open Assets:1570-GrantsReceivable
    2024-12-31 open Equity:2000-Capital
    2024-12-31 open Equity:2050-OtherEquity
    2024-12-31 open Liabilities:2910-UnusedPublicGrants
    2024-12-31 open Liabilities:2400-TradePayables
    2024-12-31 open Income:3100-SalesRevenue
    2024-12-31 open Income:3400-GrantIncome
    2024-12-31 open Expenses:5000-Salaries
    2024-12-31 open Expenses:7700-OtherOperatingCosts
    2024-12-31 open Equity:8960-TransferToOtherEquity
    2025-01-01 custom "nhnfin-grant" "helsedir-2025"
      name: "Tilskudd Helsedir"
      source: "Helsedirektoratet"
      amount: 2000000.00 NOK
      note-row: "helsedir"
      note-label: "Tilskudd Helsedir"
    2025-01-01 custom "nhnfin-grant-award" "helsedir-2025"
      amount: 2000000.00 NOK

    2024-12-31 * "Åpningsbalanse"
      Assets:1920-Bank          5000000.00 NOK
      Equity:2000-Capital      -1000000.00 NOK
      Equity:2050-OtherEquity  -4000000.00 NOK
    2025-02-01 * "Helsedirektoratet" "Tilskudd utbetalt"
      Assets:1920-Bank                   1500000.00 NOK
      Liabilities:2910-UnusedPublicGrants -1500000.00 NOK
    2025-03-01 * "Kommune" "Faktura"
      Assets:1500-TradeReceivables  450000.00 NOK
      Income:3100-SalesRevenue     -450000.00 NOK
    2025-04-01 * "Kommune" "Betaling"
      Assets:1920-Bank              300000.00 NOK
      Assets:1500-TradeReceivables -300000.00 NOK
    2025-05-31 * "Lønn prosjekt"
      grant: "helsedir-2025"
      Expenses:5000-Salaries   900000.00 NOK
      Assets:1920-Bank        -900000.00 NOK
    2025-06-30 * "Lønn"
      Expenses:5000-Salaries   700000.00 NOK
      Assets:1920-Bank        -700000.00 NOK
    2025-09-01 * "Husleie"
      Expenses:7700-OtherOperatingCosts   360000.00 NOK
      Liabilities:2400-TradePayables     -360000.00 NOK
"""


_SELECT_WHERE = re.compile(r"^\s*SELECT\s+(?P<columns>.*?)\s+WHERE\s+(?P<rest>.*)$", re.I | re.S)


def listed_sum(ledger: Ledger, query: str, sums: dict[tuple[str, str], D],
               currency: str = "NOK") -> D:
    """The sum of the column of what the query page lists for ``query`` that adds up to the
    figure: ``weight`` (each posting in NOK, at its price or cost) when the page lists it
    beside its running sum ``weight_balance``, else ``position`` (a holding's units): the rows
    its WHERE clause selects (the columns it adds do not change which; each clause is run once,
    kept in ``sums``, as beanquery takes a second to parse a long one), all in ``currency``."""
    match = _SELECT_WHERE.match(query)
    assert match is not None, query
    clause = match.group("rest").strip()
    listed = [c.strip() for c in match.group("columns").split(",")]
    summed = "weight" if "weight" in listed and "weight_balance" in listed else "position"
    if (clause, currency) not in sums:
        _, rows = run_query(ledger.entries, ledger.options_map, f"SELECT {summed} WHERE {clause}")
        total = D(0)
        for (value,) in rows:
            amount = value if summed == "weight" else value.units
            assert summed == "weight" or value.cost is None, clause
            assert amount.currency == currency, clause
            total += amount.number
        sums[clause, currency] = total
    return sums[clause, currency]


class Follower:
    """Follows links on one ledger's pages as a reader does."""

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger
        self.checker = Checker(ledger)
        self.values = DrillValues(ledger)
        self.wrong: list[str] = []
        self.followed = 0
        self.sums: dict[tuple[str, str], D] = {}

    def follow(self, where: str, href: str, title: str | None, drill: Drill,
               page: views.Page | None = None) -> D | None:
        """What the link at ``where`` gives: the figure a reader gets from it."""
        self.followed += 1
        url = urlsplit(href)
        args = parse_qs(url.query)
        if url.path == QUERY_PAGE:
            listed = listed_sum(self.ledger, args["query_string"][0], self.sums,
                                drill.units or "NOK")
            opposite = (title or "").rstrip(".").endswith(views.OPPOSITE)
            return -listed if opposite else listed
        if url.path.endswith("/editor/"):
            assert len(drill.declared) == 1, where
            file, line, key = drill.declared[0]
            assert (args["file_path"][0], int(args["line"][0])) == (file, line), where
            return self.checker.value(file, line, key)
        if args.get("section") == [views.DECLARED]:
            return self.declared(where, args, drill)
        assert args.get("parts") == ["1"], f"{where}: a link of another kind: {href}"
        assert page is not None, where
        return self.parts(where, href, page)

    def declared(self, where: str, args: dict[str, list[str]], drill: Drill) -> D:
        """What the page of declared data gives: for a count, the number of items it lists;
        else the values of the directives (or notes-layout lines) it lists."""
        places = views.parse_places(args.get("at", []))
        assert places is not None, where
        if args.get("count") == ["1"]:
            shown = views.declared_page(self.ledger.entries, places, QUERY_PAGE, None,
                                        args.get("what", []))
            return D(len(shown.tables[0].rows))
        assert places == [(file, line) for file, line, _ in drill.declared], where
        return self.checker.declared(drill.declared)

    def parts(self, where: str, href: str, page: views.Page) -> D | None:
        """The result of a parts page, each part's link followed and its figure checked."""
        args = {k: v[0] for k, v in parse_qs(urlsplit(href).query).items()}
        found = views.figure_at(page, args)
        assert found is not None, f"{where}: the parts link addresses no figure"
        label, figure, drill = found
        path = [int(p) for p in parse_qs(urlsplit(href).query).get("part", [])]
        part = views.part_of(drill, path)
        assert part is not None, where
        url = urlsplit(href)
        here = f"{url.path}?" + urlencode([(k, v) for k, v in parse_qsl(url.query) if k != "part"])
        shown = views.parts_page(label, figure, part, self.values, QUERY_PAGE, here, path)
        result = D(0)
        rows = shown.tables[0].rows
        for row in rows[:-1]:
            if row.key == "differs":
                self.wrong.append(f"{where}: the parts page says {row.cells[1].text}")
                continue
            operator, what, listed, value = row.cells[0].text, row.cells[1], row.cells[2], \
                row.cells[3]
            if what.href is not None:
                assert what.drill is None
                step = views.part_of(part, [*(int(r) for r in [row.key.split("-")[1]])])
                assert step is not None
                got = self.follow(f"{where}/{row.key}", what.href, what.title, step, page)
                if got != value.value:
                    self.wrong.append(f"{where}/{row.key}: the part is {value.value} but its "
                                      f"link gives {got}")
                if listed.value is not None and abs(listed.value) != abs(got or D(0)):
                    self.wrong.append(f"{where}/{row.key}: listed {listed.value}, link {got}")
            result = combined(result, operator, value.value)
        total = rows[-1] if rows[-1].key == "total" else rows[-2]
        if total.cells[-1].value != result:
            self.wrong.append(f"{where}: the page's result {total.cells[-1].value} is not its "
                              f"parts combined, {result}")
        return result

    def check_pages(self, pages: list[views.Page]) -> None:
        for page in pages:
            url = f"{PAGE}?section={page.section}"
            linked = views.with_part_links(page, QUERY_PAGE, url)
            for table in linked.tables:
                for row in table.rows:
                    for index, cell in enumerate(row.cells):
                        if cell.href is None or cell.drill is None or cell.value is None:
                            continue
                        where = f"{page.section}/{table.key}/{row.key}/{index}"
                        self.check(where, cell.value, cell.href, cell.title, cell.drill, linked)
            pieces = [p for _, part in linked.parts if isinstance(part, views.Prose)
                      for line in part.lines for p in line if isinstance(p, views.TextLink)]
            for piece in pieces:
                if piece.href is not None and piece.drill is not None:
                    self.check(f"{page.section}/text/{piece.key or piece.text}", piece.value,
                               piece.href, piece.title, piece.drill, linked)

    def check(self, where: str, figure: D, href: str, title: str | None, drill: Drill,
              page: views.Page) -> None:
        got = self.follow(where, href, title, drill, page)
        if got != figure:
            self.wrong.append(f"{where}: {figure} but following its link gives {got}")


def combined(result: D, operator: str, value: D | None) -> D:
    """``result`` after one step of a parts page, by its operator."""
    assert value is not None
    if operator == "+":
        return result + value
    if operator == "−":
        return result - value
    if operator == "÷":
        return (result / value).quantize(D("0.01"), ROUND_HALF_UP)
    if operator == "× %":
        return result * value / 100
    if operator == "×":
        return result * value
    assert operator == "≈", operator
    return result.quantize(value, ROUND_HALF_UP)


def followed(ledger: Ledger, year: int) -> Follower:
    follower = Follower(ledger)
    follower.check_pages(every_page(build_report(ledger, year), ledger))
    return follower


@pytest.fixture(scope="module")
def year_ledger() -> Ledger:
    ledger = load_text(YEAR_LEDGER)
    assert [e.message for e in ledger.errors] == []
    return ledger


def test_every_link_on_the_example_adds_up_to_its_figure(example_ledger: Ledger) -> None:
    follower = followed(example_ledger, 2024)
    assert follower.wrong == []
    assert follower.followed > 300


def test_every_link_of_a_year_with_a_grant_adds_up_to_its_figure(year_ledger: Ledger) -> None:
    follower = followed(year_ledger, 2025)
    assert follower.wrong == []
    assert follower.followed > 100
