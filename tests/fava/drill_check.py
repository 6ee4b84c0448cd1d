"""Walk every figure page the Fava extension shows and check each figure's drill against the
ledger: postings drills are run with beanquery and must sum (× the drill's sign) to the exact
figure (a holding's: its postings' units in its currency, times a price directive's rate when it
is at a price); declared drills must name directives whose values sum to it (an asset's life, a
bound of the life the notes layout prints, a price directive's rate); a count's drill must list
as many items as the count.

A figure quoted in a note's text is printed rounded ("127,7" millions): its drill must sum to the
exact figure it rounds, and that sum, in the quoted unit and rounded half up to the last digit
printed, must be the printed figure. That is the only tolerance: the rounding of the unit."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from dataclasses import replace
from decimal import ROUND_HALF_UP
from decimal import Decimal
from pathlib import Path
from typing import Any

from beancount.core import data
from beanquery.query import run_query
from nhnfin.reports.cost_basis import cost_basis_grids

from nhnfin.assets.note8 import LIFE_KEYS
from nhnfin.assets.note8 import life_value
from nhnfin.cost_basis.directives import PARSERS as COST_BASIS_DIRECTIVES
from nhnfin.cost_basis.directives import parse as parse_cost_basis
from nhnfin.cost_basis.drills import line_value
from nhnfin.drill import PRICE_KEY
from nhnfin.drill import counts
from nhnfin.drill import where
from nhnfin.fava_ext import ledger_pages
from nhnfin.fava_ext import views
from nhnfin.grants import usage as grant_usage
from nhnfin.ledger import Ledger
from nhnfin.model import Drill
from nhnfin.model import Report
from nhnfin.money import ORE
from nhnfin.notes.note_data import parse_fact

QUERY_PAGE = "/bfile/query/"
# The overview shows counts, each a link to its list (not a drill); every other page is walked,
# the page of all notes too (the same figures as the note pages, each as linked there).
NOT_FIGURE_PAGES = {views.OVERVIEW}

# A check compared with zero: that zero (the row's right side, cell 2) is no figure of the
# books, and its hover says so: a finding's (its amount and its difference link, as every other
# figure, to the postings and declared awards that make the amount) and a mapping check's (its
# count and its difference link to the errors counted). Every other side of every tie-out links,
# and its difference too, each summing to the figure (or, for a count, numbering it).
COMPARED_WITH_ZERO = (r"finding\..+|n\d+\.(?:t\d+\.)?accounts_mapped", "2")
# Published findings (check id) whose figures are shown without a link, and why. Every other
# finding links its printed figure to the nhnfin-published directive (keyed by its cell), its
# recomputed figure to the report figure's drill or the printed cells, its difference to both.
# A published document's cell: "is:line:2024" (a statement by its key's initials),
# "n2.0:row:column" (note 2's first table), or "n3.text:key" (a figure note 3's text quotes).
_CELL = re.compile(r"(?:n(?P<note>\w+)\.(?P<table>\d+)|(?P<statement>[a-z]+)):(?P<row>[^:]+)"
                   r":(?P<column>[^:]+)")
_TEXT_CELL = re.compile(r"n(?P<note>\w+)\.text:(?P<key>.+)")
_FIRST_NUMBER = re.compile(r"-?\d+(?:[.,]\d+)?")


def tieout_kind(check_id: str) -> str:
    """A tie-out's kind: its check id without the year (``bs.balances.2024`` -> ``bs.balances``)."""
    return re.sub(r"\.\d{4}$", "", check_id)


def allowed_unlinked(figure_where: str) -> bool:
    """Whether a figure of the tie-out page is the zero a check is compared with (every other
    figure links, on the tie-out page, the published-differences page and in the text)."""
    section, _, rest = figure_where.split("/", 2)
    check_id, cell = rest.rsplit("/", 1)
    return section == views.TIEOUTS and compared_zero(tieout_kind(check_id), cell)


def compared_zero(kind: str, cell: str) -> bool:
    """Whether the figure is the zero a check is compared with (:data:`COMPARED_WITH_ZERO`)."""
    return (re.fullmatch(COMPARED_WITH_ZERO[0], kind) is not None
            and cell == COMPARED_WITH_ZERO[1])


def not_followable(figure_where: str) -> bool:
    """Whether an unlinked figure is of a kind that cannot be followed (its hover says why), not
    a known gap."""
    section, _, rest = figure_where.split("/", 2)
    check_id, cell = rest.rsplit("/", 1)
    if section == views.PUBLISHED:
        return True
    return compared_zero(tieout_kind(check_id), cell)


def published_cell(document: dict[str, Any], cell: str) -> Decimal:
    """The figure a published document prints in ``cell`` (read from the JSON itself; a text's
    figure in millions in kroner, the first of a range)."""
    text = _TEXT_CELL.fullmatch(cell)
    if text is not None:
        quoted = [f for f in document["notes"][text["note"]]["narrative_figures"]
                  if f["key"] == text["key"]]
        assert len(quoted) == 1, f"{cell}: {len(quoted)} figures"
        first = _FIRST_NUMBER.search(str(quoted[0]["value"]))
        assert first is not None, cell
        scale = Decimal(1_000_000) if quoted[0].get("unit") == "MNOK" else Decimal(1)
        return Decimal(first.group().replace(",", ".")) * scale
    match = _CELL.fullmatch(cell)
    assert match is not None, cell
    row, column = match["row"], match["column"]
    if match["note"] is not None:
        table = document["notes"][match["note"]]["tables"][int(match["table"])]
        found = [r["values"][column] for r in table["rows"] if r["key"] == row]
    else:
        statement = next(rows for key, rows in document["statements"].items()
                         if "".join(w[0] for w in key.split("_")) == match["statement"])
        found = [r[column] for r in statement if r["key"] == row]
    assert len(found) == 1, f"{cell}: {len(found)} cells"
    return Decimal(str(found[0]))


@dataclass(frozen=True)
class Figure:
    """A figure on a page: where it is, its exact value, its link and drill."""

    where: str
    value: Decimal
    href: str | None
    drill: Drill | None
    title: str | None = None


def figures_of(page: views.Page) -> list[Figure]:
    """Every numeric cell of a page that shows a figure."""
    found = []
    for table in page.tables:
        for row in table.rows:
            for index, cell in enumerate(row.cells):
                if cell.numeric and cell.value is not None:
                    found.append(Figure(f"{page.section}/{table.key}/{row.key}/{index}",
                                        cell.value, cell.href, cell.drill, cell.title))
    return found


def text_figures_of(page: views.Page) -> list[views.TextLink]:
    """Every figure the text of the page's notes quotes."""
    return [piece for kind, part in page.parts if isinstance(part, views.Prose)
            for line in part.lines for piece in line if isinstance(piece, views.TextLink)]


_PRINTED = re.compile(r"−?\d{1,3}(?:[ \u00a0]\d{3})*(?:,\d+)?|−?\d+(?:,\d+)?")


def printed_number(text: str) -> Decimal:
    """The number a figure of the text prints: "1 042,5" -> 1042.5, "5,2 %" -> 5.2."""
    match = _PRINTED.search(text)
    assert match is not None, text
    plain = match.group(0).replace(" ", "").replace("\u00a0", "").replace(",", ".")
    return Decimal(plain.replace("−", "-"))


def as_quoted(total: Decimal, figure: views.TextLink) -> Decimal:
    """``total`` in the figure's unit, rounded as the text prints it."""
    return (total / figure.scale).quantize(figure.quantum, rounding=ROUND_HALF_UP)


def cost_basis_page(ledger: Ledger, year: int, versions: list[str] | None = None
                    ) -> views.Page:
    """The cost-basis page of ``year`` (the versions chosen, else the default ones)."""
    return ledger_pages.cost_basis_page(cost_basis_grids(ledger, year, versions), QUERY_PAGE)


def every_page(report: Report, ledger: Ledger) -> list[views.Page]:
    """The statement and note pages of ``report``, and the grant-usage and cost-basis pages of
    its year when the ledger has them."""
    pages = []
    for section, _ in views.sections(report):
        if section in NOT_FIGURE_PAGES:
            continue
        page = views.page(report, section, QUERY_PAGE)
        assert page is not None
        pages.append(page)
    usage = grant_usage.build(ledger, report.year)
    if usage is not None:
        pages.append(ledger_pages.grant_usage_page(usage.note, QUERY_PAGE))
    if ledger_pages.has_cost_basis(ledger.entries):
        pages.append(cost_basis_page(ledger, report.year))
    return pages


class Checker:
    """Runs drills on one ledger (each WHERE clause once)."""

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger
        self.sums: dict[tuple[str, str], Decimal] = {}
        self.customs = {
            (str(e.meta.get("filename")), int(e.meta.get("lineno", 0))): e
            for e in ledger.entries if isinstance(e, data.Custom)
        }
        self.prices = {
            (str(e.meta.get("filename")), int(e.meta.get("lineno", 0))): e
            for e in ledger.entries if isinstance(e, data.Price)
        }
        self.cost_basis, _ = parse_cost_basis(ledger.entries)

    def listed(self, clause: str, units: str = "") -> Decimal:
        """The sum of the NOK weights of the postings the clause selects; with ``units`` (a
        holding), of their units, all in that currency."""
        if (clause, units) not in self.sums:
            summed = "position" if units else "weight"
            _, rows = run_query(self.ledger.entries, self.ledger.options_map,
                                f"SELECT sum({summed}) AS total WHERE {clause}")
            inventory: Any = rows[0][0] if rows else None
            total = Decimal(0)
            if inventory is not None:
                for position in inventory:
                    assert position.units.currency == (units or "NOK"), clause
                    assert position.cost is None, clause
                    total += position.units.number
            self.sums[clause, units] = total
        return self.sums[clause, units]

    def value(self, file: str, line: int, key: str) -> Decimal:
        """The value ``key`` of the directive at ``file:line``: a note-data directive's value,
        a cost-basis directive's (a budget line's amount or its part, a volume's count), or an
        amount another directive declares under the key (an e-health cost basis's
        ``repayment:``)."""
        if key in LIFE_KEYS:  # an asset's life, or a bound of the printed life (notes layout)
            life = life_value(self.ledger, file, line, key)
            assert life is not None, f"{file}:{line} has no {key}"
            return life
        if key == PRICE_KEY and (file, line) in self.prices:  # a price directive's rate
            rate = self.prices[file, line].amount.number
            assert isinstance(rate, Decimal), f"{file}:{line} has no rate"
            return rate
        entry = self.customs.get((file, line))
        assert entry is not None, f"no directive at {file}:{line}"
        if entry.type == "nhnfin-published":
            return published_cell(self.document(entry), key)
        if entry.type in COST_BASIS_DIRECTIVES:
            found = line_value(entry, key, self.cost_basis)
        elif key in entry.meta:
            found = getattr(entry.meta[key], "number", None)
        else:
            fact, message = parse_fact(entry)
            assert fact is not None, message
            found = fact.values.get(key)
        assert isinstance(found, Decimal), f"{file}:{line} has no {key}"
        return found

    def document(self, entry: data.Custom) -> dict[str, Any]:
        """The published document a ``nhnfin-published`` directive names (relative to its
        file)."""
        path = Path(str(entry.meta["filename"])).parent / str(entry.values[0].value)
        result: dict[str, Any] = json.loads(path.read_text("utf-8"))
        return result

    def declared(self, places: tuple[tuple[str, int, str], ...]) -> Decimal:
        """The sum of the declared values the drill names."""
        return sum((self.value(*place) for place in places), Decimal(0))

    def single(self, drill: Drill) -> Decimal:
        """A part's figure: sign × its postings (a holding: their units), its declared values,
        or (a count) the number of items it lists."""
        if drill.counted:
            return Decimal(len(drill.declared))
        if drill.declared:
            return self.declared(drill.declared)
        return drill.sign * self.listed(where(drill), drill.units)

    def shown(self, drill: Drill) -> list[Decimal]:
        """What the drill says the figure is: each way it can be summed (all must agree)."""
        if drill.rounded is not None:
            quantum = drill.rounded
            return [r.quantize(quantum, rounding=ROUND_HALF_UP)
                    for r in self.shown(replace(drill, rounded=None))]
        if drill.per is not None:
            divisor = self.single(drill.per)
            return [(r / divisor).quantize(ORE, rounding=ROUND_HALF_UP)
                    for r in self.shown(replace(drill, per=None))]
        if drill.rate is not None:
            rate = self.single(drill.rate)
            return [r * rate / 100 for r in self.shown(replace(drill, rate=None))]
        if drill.price is not None:
            price = self.single(drill.price)
            return [r * price for r in self.shown(replace(drill, price=None))]
        if not drill.parts:
            return [self.single(drill)]
        results = [sum((sign * self.shown(part)[0] for sign, part in drill.parts), Decimal(0))]
        signs = {sign * part.sign for sign, part in drill.parts if part.query}
        plain = not any(part.declared or part.computed for _, part in drill.parts)
        units = {part.units for _, part in drill.parts}
        if len(signs) == 1 and plain and units == {drill.units}:
            results.append(drill.sign * self.listed(where(drill), drill.units))
        return results


def lists_nothing(drill: Drill) -> bool:
    """Whether a figure's link leads to a page with nothing on it: its drill names no postings
    and no directive (the sum of terms that cancel, before they were kept). A count of zero
    lists no item, and its page says so: its trail is that none is listed."""
    return not drill.query and not views.drill_places(drill) and not counts(drill)


def problems(report: Report, ledger: Ledger) -> tuple[int, list[str]]:
    """(figures checked, what is wrong) on every page of ``report``'s year."""
    return page_problems(every_page(report, ledger), ledger)


def figure_problems(figure: Figure, checker: Checker) -> list[str]:
    """What is wrong with a table's figure: no link (unless of an allowed kind, which must
    say why), a link that lists nothing, a drill that does not sum to it."""
    if figure.href is None or figure.drill is None:
        if not allowed_unlinked(figure.where):
            return [f"{figure.where}: {figure.value} has no link"]
        if not figure.title and not_followable(figure.where):
            return [f"{figure.where}: {figure.value} has no hover saying why it has no link"]
        return []
    if lists_nothing(figure.drill):
        return [f"{figure.where}: {figure.value} links to a page that lists nothing"]
    return [f"{figure.where}: {figure.value} but the drill sums to {result}"
            for result in checker.shown(figure.drill) if result != figure.value]


def quoted_problems(where: str, quoted: views.TextLink, checker: Checker) -> list[str]:
    """What is wrong with a figure of a note's text: no link, a link that lists nothing, a
    drill that does not sum to the exact figure or does not round to the printed one."""
    if quoted.href is None or quoted.drill is None:
        return [f"{where}: «{quoted.text}» has no link"]
    if lists_nothing(quoted.drill):
        return [f"{where}: «{quoted.text}» links to a page that lists nothing"]
    return [f"{where}: «{quoted.text}» ({quoted.value}) but the drill sums to {result}"
            for result in checker.shown(quoted.drill)
            if result != quoted.value or as_quoted(result, quoted) != printed_number(quoted.text)]


def page_problems(pages: list[views.Page], ledger: Ledger) -> tuple[int, list[str]]:
    """(figures checked, what is wrong): figures without a link, links that list nothing,
    drills that do not sum."""
    checker = Checker(ledger)
    wrong: list[str] = []
    count = 0
    for page in pages:
        for figure in figures_of(page):
            count += 1
            wrong += figure_problems(figure, checker)
        for quoted in text_figures_of(page):
            count += 1
            wrong += quoted_problems(f"{page.section}/text/{quoted.key or quoted.text}", quoted,
                                     checker)
    return count, wrong
