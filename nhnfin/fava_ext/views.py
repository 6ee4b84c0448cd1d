"""The Fava pages of the annual report as plain view data, built from a report.

Every figure is taken from the report (the one code path behind ``nhnfin report``), laid out by
:func:`nhnfin.reports.grid.report_grids`' builders and formatted by the same function the HTML
renderer uses, so a page shows exactly what the CLI prints. A figure with a
:class:`~nhnfin.model.Drill` links to Fava's query page running the drill's BQL statement, with the
columns an auditor needs to trace each posting: the entry (a link to Fava's entry view), its
file and line, and for generated entries the rule and source entry (``nhnfin-rule``,
``nhnfin-source``).

Nothing here knows Flask: the extension passes in the URL of Fava's query page.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from collections.abc import Iterator
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import replace
from decimal import Decimal
from typing import Any
from urllib.parse import quote_plus
from urllib.parse import urlencode

from beancount.parser import printer

from nhnfin.drill import combine
from nhnfin.drill import one_listing
from nhnfin.fava_ext.columns import WEIGHT_BALANCE
from nhnfin.model import Drill
from nhnfin.model import Kind
from nhnfin.model import Note
from nhnfin.model import PublishedFinding
from nhnfin.model import Report
from nhnfin.model import Status
from nhnfin.model import TextBlock
from nhnfin.model import TextFigure
from nhnfin.model import TieOut
from nhnfin.money import group_thousands
from nhnfin.reports import grid as grids
from nhnfin.reports import text

NBSP = "\u00a0"

OVERVIEW = "overview"
NOTES = "notes"
TIEOUTS = "tieouts"
PUBLISHED = "published"
NOTE_PREFIX = "note-"
DECLARED = "declared"
LAYOUT_SUFFIX = ".toml"  # the notes layout: declared data that is no directive of the ledger
EXTENSION = "NhnfinReport"

# Columns every drill-down lists: the entry (Fava links a 32-character id to its entry view),
# the file and line of the entry (for a generated entry: the directive it was generated from),
# and the rule and source a rule plugin writes on a generated entry. Entry metadata, not
# any_meta(): generated postings carry no metadata, and any_meta() then gives nothing.
ID_COLUMN = "id"
LOCATION_COLUMN = "str(entry_meta('filename')) + ':' + str(entry_meta('lineno')) AS location"
# (str() so that an entry without the key shows an empty cell, not "None".)
PROVENANCE_COLUMNS = (
    "str(entry_meta('nhnfin-rule')) AS rule",
    "str(entry_meta('nhnfin-source')) AS source",
)
DEFAULT_COLUMNS = "date, flag, payee, narration, account, position, balance"
# A figure is the sum of its postings' weights (in NOK: at their price or cost), not of their
# positions (1 000 EUR @ 11,20 NOK; 10 AKSJE {105 NOK}): a drill of NOK lists each posting's
# weight and their running sum (nhnfin.fava_ext.columns), which ends at the figure, where the
# journal's running balance of positions would not. A holding (units of a currency) keeps it.
NOK_COLUMNS = f"date, flag, payee, narration, account, position, weight, {WEIGHT_BALANCE}"

_SELECT_WHERE = re.compile(r"^\s*SELECT\s+(?P<columns>.*?)\s+WHERE\s+(?P<rest>.*)$", re.I | re.S)

STATUS_CSS = {Status.PASSED: "passed", Status.FAILED: "failed", Status.WARNING: "warning"}


@dataclass(frozen=True)
class Cell:
    """One table cell: its text, and for a figure the URL of its postings."""

    text: str
    href: str | None = None
    title: str | None = None
    numeric: bool = False
    value: Decimal | None = None
    drill: Drill | None = None
    links: tuple[tuple[str, str | None], ...] = ()


@dataclass(frozen=True)
class Row:
    """One table row; ``css`` is ``item``, ``sum``, or a tie-out/finding status."""

    key: str
    cells: tuple[Cell, ...]
    css: str = "item"


@dataclass(frozen=True)
class Table:
    """A titled table of a page."""

    key: str
    title: str
    header: tuple[str, ...]
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class TextLink:
    """A figure in a note's text: as printed, the exact figure it rounds, the unit it is quoted
    in (``scale`` 1 or 1 000 000, last printed digit ``quantum``) and the link to what makes it
    (None when the template computed it from other figures)."""

    text: str
    value: Decimal
    scale: Decimal
    quantum: Decimal
    href: str | None = None
    title: str | None = None
    drill: Drill | None = None
    key: str = ""


Piece = str | TextLink


@dataclass(frozen=True)
class Prose:
    """A block of a note's text on the page: a ``heading`` or ``paragraph`` (one line of
    pieces) or a ``list`` (one per item); the pieces are text and linked figures."""

    kind: str
    lines: tuple[tuple[Piece, ...], ...]


@dataclass(frozen=True)
class Remarks:
    """What is wrong with a note's text, for people: figures the year lacks, typed-in figures
    no statement or note gives, quoted figures the published text gives otherwise."""

    title: str
    items: tuple[str, ...]


Part = tuple[str, "Table | Prose | Remarks"]


@dataclass(frozen=True)
class Page:
    """One page of the report: a section id, its title and its tables; ``parts`` (note pages)
    are the notes' titles, text, tables and remarks in print order (``("title", Prose)``,
    ``("text", Prose)``, ``("table", Table)``, ``("remarks", Remarks)``)."""

    section: str
    title: str
    tables: tuple[Table, ...]
    parts: tuple[Part, ...] = ()


def drill_query(drill: Drill) -> str:
    """The drill's BQL statement with the columns that trace each posting to its entry.

    The statement's WHERE clause (which postings) is kept as the note or statement builder wrote
    it; only the column list changes: ``SELECT *`` and the journal columns become the postings
    with their NOK weights and the running sum of those, which ends at the figure
    (:data:`NOK_COLUMNS`; a holding in units keeps the positions and their balance), and the
    entry id, its location and the ``nhnfin-rule``/``nhnfin-source`` metadata are added when
    missing.

    Args:
        drill: where the postings behind a figure are.

    Returns:
        A BQL statement for Fava's query page.
    """
    match = _SELECT_WHERE.match(drill.query)
    if match is None:
        return drill.query
    columns = match.group("columns").strip()
    if columns in ("*", DEFAULT_COLUMNS):
        columns = DEFAULT_COLUMNS if drill.units else NOK_COLUMNS
    lowered = columns.lower()
    head = [] if re.search(r"\bid\b", lowered) else [ID_COLUMN]
    tail = [] if re.search(r"\blocation\b", lowered) else [LOCATION_COLUMN]
    tail += [c for c in PROVENANCE_COLUMNS if c.split("'")[1] not in lowered]
    return f"SELECT {', '.join([*head, columns, *tail])} WHERE {match.group('rest').strip()}"


def drill_places(drill: Drill) -> list[tuple[str, int]]:
    """The directives a drill names (its own, then its divisor's, rate's or price's, then those
    of its computed parts), each once."""
    places = [(file, line) for file, line, _ in drill.declared]
    for operand in (drill.per, drill.rate, drill.price,
                    *(p for _, p in drill.parts if p.computed)):
        if operand is not None:
            places += drill_places(operand)
    return list(dict.fromkeys(places))


_ALWAYS_SAFE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-~")
_FORM = str.maketrans({chr(c): (chr(c) if chr(c) in _ALWAYS_SAFE else
                               "+" if c == 32 else f"%{c:02X}") for c in range(128)})


def form_encoded(pairs: Iterable[tuple[str, object]]) -> str:
    """``urllib.parse.urlencode(pairs)``, with ASCII text quoted by one ``str.translate``
    instead of character by character (a page's links quote hundreds of kilobytes of queries;
    tests/fava/test_form_encoded.py checks it equal to ``urlencode``)."""

    def quoted(value: object) -> str:
        text = str(value)
        return text.translate(_FORM) if text.isascii() else quote_plus(text)

    return "&".join(f"{quoted(k)}={quoted(v)}" for k, v in pairs)


def query_link(query_page: str, query: str) -> str:
    """Fava's query page running ``query`` (on all entries: no time, account or filter)."""
    return f"{query_page}?{form_encoded([('query_string', query)])}"


def editor_link(root: str, file: str, line: int) -> str:
    """Fava's editor at ``file``:``line`` (``root``: the ledger's URL, ending in ``/``)."""
    return f"{root}editor/?{form_encoded([('file_path', file), ('line', line)])}"


def drill_url(query_page: str, drill: Drill) -> str:
    """The URL of the page showing what makes a figure.

    Args:
        query_page: the path of Fava's query page (``/<bfile>/query/``).
        drill: where the postings or directives are.

    Returns:
        For postings only: Fava's query page with the statement in ``query_string`` and no
        time, account or advanced filter, so Fava runs it on all entries and the statement
        alone selects them. For one declared directive only: its file and line in Fava's
        editor (a line of the notes layout, TOML, which Fava does not edit: the page below).
        For a count: the page listing each counted item (``count=1``, each item's ``at`` and
        ``what``; none for a count of zero). Otherwise (several directives, or directives and
        postings, such as a variance of budget against actual or a unit cost): the extension's
        page listing the directives (``?section=declared&at=file:line``), with the postings'
        statement in ``query``.
    """
    root = query_page.removesuffix("query/")
    if drill.counted:  # each counted item, the same place once per item there
        items = [("section", DECLARED), ("count", "1"),
                 *(pair for file, line, what in drill.declared
                   for pair in (("at", f"{file}:{line}"), ("what", what)))]
        return f"{root}extension/{EXTENSION}/?{form_encoded(items)}"
    places = drill_places(drill)
    if drill.query and not places:
        return query_link(query_page, drill_query(drill))
    if len(places) == 1 and not drill.query and not places[0][0].endswith(LAYOUT_SUFFIX):
        file, line = places[0]
        return editor_link(root, file, line)
    at: list[tuple[str, object]] = [("section", DECLARED),
                                    *(("at", f"{file}:{line}") for file, line in places)]
    if drill.query:
        at.append(("query", drill_query(drill)))
    return f"{root}extension/{EXTENSION}/?{form_encoded(at)}"


def drill_title(drill: Drill) -> str:
    """The hover text: what the link shows, in Norwegian (from the drill's description)."""
    if drill.description:
        return drill.description
    since = drill.start or "…"
    return f"{', '.join(drill.accounts) or '(ingen konto)'}; {since} – {drill.end} (eksklusiv)"


def sections(report: Report) -> list[tuple[str, str]]:
    """The report's pages in print order: (section id, label)."""
    result = [(OVERVIEW, "Oversikt")]
    result += [(s.key, s.title) for s in report.statements]
    if report.notes:
        result.append((NOTES, "Noter"))
        result += [(f"{NOTE_PREFIX}{n.number}", f"Note {n.number}") for n in report.notes]
    result.append((TIEOUTS, "Avstemminger"))
    if report.published_findings:
        result.append((PUBLISHED, "Avvik i publisert årsregnskap"))
    return result


def page(report: Report, section: str, query_page: str) -> Page | None:
    """The page ``section`` of ``report``; None when the report has no such page.

    Args:
        report: the built report.
        section: a section id from :func:`sections`.
        query_page: the path of Fava's query page, for drill-down links.
    """
    titles = dict(sections(report))
    if section not in titles:
        return None
    tables: list[Table]
    parts: list[Part] = []
    if section == OVERVIEW:
        tables = [overview_table(report, query_page)]
    elif section == TIEOUTS:
        tables = [tieout_table(report, query_page)]
    elif section == PUBLISHED:
        tables = [findings_table(report, query_page)]
    elif section == NOTES:
        tables = [t for n in report.notes for t in note_tables(report, n.number, query_page)]
        parts = [p for n in report.notes for p in note_parts(report, n, query_page, True)]
    elif section.startswith(NOTE_PREFIX):
        note = report.note(section.removeprefix(NOTE_PREFIX))
        tables = note_tables(report, note.number, query_page)
        parts = note_parts(report, note, query_page, False)
    else:
        tables = [statement_table(report, section, query_page)]
    return Page(section=section, title=titles[section], tables=tuple(tables), parts=tuple(parts))


def text_link(figure: TextFigure, query_page: str) -> TextLink:
    """A figure of a note's text, linked to what makes it when it has a drill."""
    link = TextLink(figure.text, figure.value, figure.scale, figure.quantum, key=figure.key)
    if figure.drill is None:
        return link
    return replace(link, href=drill_url(query_page, figure.drill),
                   title=drill_title(figure.drill), drill=figure.drill)


def pieces(text: str, figures: Sequence[TextFigure], query_page: str) -> tuple[Piece, ...]:
    """A line of text cut at its figures: plain text, then each figure as a link."""
    result: list[Piece] = []
    at = 0
    for figure in sorted(figures, key=lambda f: f.start):
        if figure.start > at:
            result.append(text[at : figure.start])
        result.append(text_link(figure, query_page))
        at = figure.end
    if at < len(text):
        result.append(text[at:])
    return tuple(result)


def prose(block: TextBlock, query_page: str) -> Prose:
    """A heading, paragraph or list of a note's text, its figures linked."""
    if block.kind == "list":
        return Prose("list", tuple(
            pieces(item, [f for f in block.figures if f.item == index], query_page)
            for index, item in enumerate(block.items)
        ))
    return Prose(block.kind, (pieces(block.text, block.figures, query_page),))


def text_remarks(report: Report, number: str) -> tuple[str, ...]:
    """What is wrong with the text of note ``number``: the text findings of its template, and
    the published text's figures the ledger gives otherwise."""
    items = [
        f"{f.where}: {f.message}" if not f.figure or f.figure in f.message
        else f"{f.where}: «{f.figure}»: {f.message}"
        for f in report.text_findings if f.note == number
    ]
    items += [
        f"{f.where}: {f.explanation}"
        for f in unique_findings(report.published_findings)
        if f.check_id.startswith(f"narrative.note{number}.")
    ]
    return tuple(items)


def note_parts(report: Report, note: Note, query_page: str, titled: bool) -> list[Part]:
    """A note's text and tables in the order its template gives (tables it does not place after
    the text), then the remarks on its text; ``titled`` puts the note's title first (the page
    of all notes)."""
    tables = tables_of_note(note, query_page)
    parts: list[Part] = []
    if titled and note.text:
        parts.append(("title", Prose("heading", ((f"Note {note.number} {note.title}",),))))
    for block in note.blocks():
        if block.kind == "table":
            if block.table is not None and block.table < len(tables):
                parts.append(("table", tables[block.table]))
        else:
            parts.append(("text", prose(block, query_page)))
    remarks = text_remarks(report, note.number)
    if remarks:
        parts.append(("remarks", Remarks("Merknader til teksten", remarks)))
    return parts


def _figure(value: Any, unit: str | None, drill: Drill | None, query_page: str) -> Cell:
    numeric = isinstance(value, Decimal)
    content = str(text.cell_text(value, unit, NBSP))
    if drill is None or not numeric:
        return Cell(content, numeric=numeric, value=value if numeric else None)
    return Cell(content, drill_url(query_page, drill), drill_title(drill), numeric=True,
                value=value, drill=drill)


def _css(kind: Kind) -> str:
    return "item" if kind == Kind.ITEM else "sum"


def _table(grid: Any, rows: Sequence[Row]) -> Table:
    return Table(str(grid.key), str(grid.title), tuple(str(h) for h in grid.header), tuple(rows))


def note_cell(report: Report, notes: str, query_page: str) -> Cell:
    """A statement's note column ("5,6,7"): each note the report has links to its page; a note
    it does not have (yet) is shown without a link."""
    numbers = [n.strip() for n in notes.split(",") if n.strip()]
    have = {n.number for n in report.notes}
    root = f"{query_page.removesuffix('query/')}extension/{EXTENSION}/"
    links = tuple(
        (n, f"{root}?{urlencode({'section': NOTE_PREFIX + n})}" if n in have else None)
        for n in numbers
    )
    return Cell(notes, links=links)


def statement_table(report: Report, key: str, query_page: str) -> Table:
    """A statement: label, note, then the fiscal and the prior year, each figure drillable."""
    statement = report.statement(key)
    grid = grids.statement_grid(statement)
    rows = []
    for grid_row, row in zip(grid.rows, statement.rows, strict=True):
        label, note, *amounts = grid_row.cells
        cells = [Cell(str(label)), note_cell(report, str(note or ""), query_page)]
        cells += [
            _figure(value, None, row.drill.get(year), query_page)
            for value, year in zip(amounts, statement.years, strict=True)
        ]
        rows.append(Row(row.key, tuple(cells), _css(row.kind)))
    return _table(grid, rows)


def note_tables(report: Report, number: str, query_page: str) -> list[Table]:
    """One table per table of note ``number``: amount columns drillable, then text columns."""
    return tables_of_note(report.note(number), query_page)


def tables_of_note(note: Note, query_page: str) -> list[Table]:
    """One table per table of ``note`` (a report's note, or an audit table shaped as one)."""
    tables = []
    for grid, table in zip(grids.note_grids(note), note.tables, strict=True):
        rows = []
        for grid_row, row in zip(grid.rows, table.rows, strict=True):
            label, *values = grid_row.cells
            unit = grid_row.unit
            keys = [c.key for c in table.columns] + [c.key for c in table.text_columns]
            cells = [Cell(str(label))]
            cells += [
                _figure(value, unit, row.drill.get(key), query_page)
                for value, key in zip(values, keys, strict=True)
            ]
            rows.append(Row(row.key, tuple(cells), _css(row.kind)))
        tables.append(_table(grid, rows))
    return tables


def tieout_drills(tieout: TieOut) -> tuple[Drill | None, ...]:
    """What makes each cell of a tie-out row (description, left, right, difference, status,
    explanation):
    a side that is a report figure carries its drill; the difference combines both sides, and
    is the left side's when the right is a zero without one (a finding against zero)."""
    left, right = tieout.left_drill, tieout.right_drill
    if tieout.right is None:  # no figure, no difference: the right side's drill is the holding
        return None, left, right, None, None, None
    terms = [(1, left)] if right is None and tieout.right == 0 else [(1, left), (-1, right)]
    difference = combine(terms, "Differanse")
    return None, left, right, difference, None, None


def unlinked(cell: Cell, why: str) -> Cell:
    """A figure with no link says in its hover why, when its producer says (``why``)."""
    if not cell.numeric or cell.href is not None or not why:
        return cell
    return replace(cell, title=f"Ingen lenke: {why}")


def tieout_cell(tieout: TieOut, index: int, cell: Any, drill: Drill | None,
                query_page: str) -> Cell:
    """Cell ``index`` of a tie-out's row. A right side without a figure (:attr:`TieOut.missing`,
    ``kurs mangler``) is that word, linked to what the figure would be made of (the holding),
    its hover why; the difference is the word too, with no link."""
    if tieout.right is None and index == 2:
        if drill is None:
            return Cell(tieout.missing, title=tieout.unlinked or None)
        return Cell(tieout.missing, drill_url(query_page, drill), tieout.unlinked or None,
                    drill=drill)
    if tieout.right is None and index == 3:
        return Cell(tieout.missing, title="Ingen differanse: siden mot kursen har ikke noe tall")
    return unlinked(_figure(cell, None, drill, query_page), tieout.unlinked)


def tieout_table(report: Report, query_page: str = "") -> Table:
    """The tie-outs, each row marked passed, failed or warning; a side that is a report figure
    links to what makes it (:func:`tieout_cell`)."""
    grid = grids.checks_grid(report)
    rows = [
        Row(
            tieout.check_id,
            tuple(tieout_cell(tieout, i, c, d, query_page) for i, (c, d) in enumerate(
                zip(grid_row.cells, tieout_drills(tieout), strict=True))),
            STATUS_CSS[tieout.status],
        )
        for grid_row, tieout in zip(grid.rows, report.tieouts, strict=True)
    ]
    return _table(grid, rows)


def unique_findings(findings: Sequence[PublishedFinding]) -> list[PublishedFinding]:
    """Each finding once: findings about the same place with the same printed and recomputed
    figures (the printed sum that does not add up, and the ledger that gives another figure)
    are one finding, with both explanations."""
    kept: dict[tuple[str, Decimal, Decimal], PublishedFinding] = {}
    for finding in findings:
        key = (finding.where, finding.published, finding.recomputed)
        first = kept.get(key)
        if first is None:
            kept[key] = finding
        elif finding.explanation not in first.explanation:
            kept[key] = replace(first, explanation=f"{first.explanation}; {finding.explanation}")
    return list(kept.values())


def finding_cells(finding: PublishedFinding) -> tuple[tuple[Decimal | None, Drill | None], ...]:
    """What each cell of a finding's row is before rounding, and what makes it (place, printed,
    recomputed, difference, kind, explanation): the printed figure is the published document's
    cell, the recomputed one the report figure (exact, before it was rounded to kroner) or the
    printed cells it is recomputed from, and the difference combines both sides."""
    recomputed = finding.recomputed if finding.exact is None else finding.exact
    printed_drill, recomputed_drill = finding.published_drill, finding.recomputed_drill
    difference = combine([(1, printed_drill), (-1, recomputed_drill)], "Differanse")
    return ((None, None), (finding.published, printed_drill), (recomputed, recomputed_drill),
            (finding.published - recomputed, difference), (None, None), (None, None))


def finding_cell(shown: Any, exact: Decimal | None, drill: Drill | None,
                 finding: PublishedFinding, query_page: str) -> Cell:
    """A cell of a finding's row: a figure shows its rounded text and carries the exact value
    its drill sums to; a figure that cannot be followed says why in its hover."""
    cell = _figure(shown, None, drill, query_page)
    if not cell.numeric or exact is None:
        return cell
    why = finding.unlinked or "det publiserte dokumentet er ikke oppgitt med nhnfin-published"
    return unlinked(replace(cell, value=exact), why)


def findings_table(report: Report, query_page: str = "") -> Table:
    """Where the published report does not add up or differs from the ledger, each once; each
    figure links to what makes it (see :func:`finding_cells`)."""
    unique = replace(report, published_findings=tuple(unique_findings(report.published_findings)))
    grid = grids.findings_grid(unique)
    rows = [
        Row(
            finding.check_id,
            tuple(finding_cell(c, exact, drill, finding, query_page)
                  for c, (exact, drill) in zip(grid_row.cells, finding_cells(finding),
                                               strict=True)),
            "failed" if finding.severity == "error" else "warning",
        )
        for grid_row, finding in zip(grid.rows, unique.published_findings, strict=True)
    ]
    return _table(grid, rows)


def parse_places(values: Sequence[str]) -> list[tuple[str, int]] | None:
    """``file:line`` strings (the ``at`` parameters of the declared page); None when one is not
    of that form."""
    places = []
    for value in values:
        file, _, line = value.rpartition(":")
        if not file or not line.isdigit():
            return None
        places.append((file, int(line)))
    return places


def declared_page(entries: Sequence[Any], places: Sequence[tuple[str, int]],
                  query_page: str, query: str | None = None,
                  counted: Sequence[str] | None = None) -> Page:
    """The directives a figure from declared data is made of: file, line (a link to Fava's
    editor) and the directive as written; a line of the notes layout shows that line (Fava
    does not edit it); a place with neither says so. With ``query`` (a figure of directives and
    postings), a first row links to the postings. With ``counted`` (a count: what each item
    is, one per place), each place is one counted item, shown with what it is, and the table
    says how many there are (none for a count of zero)."""
    from nhnfin.notes.layout import layout_text  # here: the figure pages need no notes layout

    at = {(str(e.meta.get("filename")), int(e.meta.get("lineno", 0))): e
          for e in entries if getattr(e, "meta", None)}
    layout = layout_text(list(entries))
    root = query_page.removesuffix("query/")
    rows = []
    if query:
        listing = query_link(query_page, query)
        rows.append(Row("postings", (Cell("Posteringer"), Cell("alle", listing, query),
                                     Cell("posteringene som også inngår i tallet"))))
    for index, (file, line) in enumerate(places):
        entry = at.get((file, line))
        shown = printer.format_entry(entry).strip() if entry is not None else (
            layout_line(layout, file, line) or "(ingen direktiv på denne linjen)")
        editable = entry is not None or not file.endswith(LAYOUT_SUFFIX)
        editor = editor_link(root, file, line) if editable else None
        cells: tuple[Cell, ...] = (
            Cell(file), Cell(str(line), editor, "Åpne i redigering" if editor else None),
            Cell(shown))
        if counted is not None:
            what = counted[index] if index < len(counted) else ""
            cells = (Cell(str(index + 1)), *cells, Cell(what))
        rows.append(Row(str(index), cells))
    if counted is None:
        table = Table("declared", "Oppgitte opplysninger bak tallet",
                      ("Fil", "Linje", "Direktiv"), tuple(rows))
    else:
        caption = (f"Det som telles: {len(places)}" if places
                   else "Det som telles: ingen (tallet er 0)")
        table = Table("declared", caption, ("Nr.", "Fil", "Linje", "Direktiv", "Hva"),
                      tuple(rows))
    return Page(DECLARED, "Oppgitte opplysninger", (table,))


def layout_line(layout: tuple[str, list[str]] | None, file: str, line: int) -> str | None:
    """Line ``line`` of the notes layout when ``file`` is it (``layout``: its name and lines,
    :func:`nhnfin.notes.layout.layout_text`); None otherwise."""
    if layout is None or layout[0] != file or not 0 < line <= len(layout[1]):
        return None
    return layout[1][line - 1].strip()


def overview_table(report: Report, query_page: str = "") -> Table:
    """What a controller checks before sign-off: tie-outs by outcome, published differences
    (each once), errors in the ledger; each count links to its list."""
    counts = dict.fromkeys(Status, 0)
    for tieout in report.tieouts:
        counts[tieout.status] += 1
    failed, warnings = counts[Status.FAILED], counts[Status.WARNING]
    findings = unique_findings(report.published_findings)
    errors = sum(1 for f in findings if f.severity == "error")
    rounding = len(findings) - errors
    lines = (
        ("tieouts.passed", "Avstemminger OK", str(counts[Status.PASSED]), "passed"),
        ("tieouts.failed", "Avstemminger med avvik", str(failed),
         "failed" if failed else "passed"),
        ("tieouts.warning", "Advarsler", str(warnings), "warning" if warnings else "passed"),
        ("published", "Avvik i publisert årsregnskap (feil / avrunding)",
         f"{errors} / {rounding}", "failed" if errors else "passed"),
        ("ledger_errors", "Feil i regnskapet", str(len(report.ledger_errors)),
         "failed" if report.ledger_errors else "passed"),
        ("findings", "Funn (underdekning, overforbruk)", str(len(report.findings)),
         "warning" if report.findings else "passed"),
        ("text_findings", "Merknader til notetekstene", str(len(report.text_findings)),
         "warning" if report.text_findings else "passed"),
    )
    root = query_page.removesuffix("query/")
    lists = {"published": (f"{root}extension/{EXTENSION}/?section={PUBLISHED}"
                           if report.published_findings else None),  # the page is listed then
             "ledger_errors": f"{root}errors/",
             "text_findings": f"{root}extension/{EXTENSION}/?section={NOTES}"}
    tieouts = f"{root}extension/{EXTENSION}/?section={TIEOUTS}"
    rows = tuple(
        Row(key, (Cell(label), Cell(count, lists.get(key, tieouts) if query_page else None,
                                    numeric=True)), css)
        for key, label, count, css in lines
    ) + tuple(  # each finding under its count, with the file:line of its cause
        Row(f"finding.{f.location}", (Cell(f"{f.location}: {f.message}"), Cell("")), "warning")
        for f in report.findings
    ) + tuple(  # and each remark on the notes' text, at its template's line
        Row(f"text_finding.{f.where}", (Cell(f"{f.where}: {f.message}"), Cell("")), "warning")
        for f in report.text_findings
    )
    return Table("overview", "Status før avleggelse", ("Kontroll", "Antall"), rows)


# --- Figures followed part by part -------------------------------------------------------------
#
# A figure whose drill is one query (postings of one effective sign, or one rounding of such)
# or one declared value links to it: what the link lists adds up to the figure (or minus it, as
# the hover's last words say). Any other figure (parts of different signs, postings and
# directives together, several directives, a quotient, an amount at a rate, a rounding of a sum)
# links to the page of its parts (section ``parts``): each part with its sign, its own link, the
# sum of what that link lists and what it adds, and the total, which is the figure.

PARTS = "parts"
OPPOSITE = "vist med motsatt fortegn"
OPERATORS = {1: "+", -1: "−"}
DIVIDED, TIMES_PERCENT, TIMES, ROUNDED = "÷", "× %", "×", "≈"


def followed_in_one(drill: Drill) -> bool:
    """Whether a link to ``drill`` lists exactly what makes the figure: one query whose listed
    postings sum to the figure (× its sign), or one declared value."""
    if drill.computed:
        return False
    if drill.counted:  # its page lists the items, as many as the figure
        return True
    if one_listing(drill):
        return True
    return (not drill.query and not drill.parts and not drill.computed
            and len(drill.declared) == 1)


def link_title(drill: Drill) -> str:
    """The hover text of a link: what it shows; a sum listed by one query ends by saying whether
    the figure is the listed postings' sum or minus it."""
    title = drill_title(drill)
    if not drill.parts or drill.computed or not followed_in_one(drill):
        return title
    sum_of = "tallet er summen av posteringene som listes"
    return f"{title}. {sum_of.capitalize()}" + (f", {OPPOSITE}" if drill.sign < 0 else "")


def steps(drill: Drill) -> list[tuple[str, str, Drill | None]]:
    """A figure's parts as the parts page lists them: (operator, what, drill).

    A sum: each part with its sign ("+" or "−"). A rounding: what it rounds, then "≈" (no
    drill). A quotient: the dividend, then "÷" the divisor. An amount at a rate: the base, then
    "× %" the rate. Units at a price: the holding (its postings, summed in units), then "×" the
    price directive's rate. Several declared values: each directive's value with "+"."""
    if drill.rounded is not None:
        return [("+", "Grunnlag", replace(drill, rounded=None)),
                (ROUNDED, f"Avrundet halvt opp til {drill.rounded}", None)]
    if drill.per is not None:
        return [("+", "Grunnlag", replace(drill, per=None)), (DIVIDED, "Delt på", drill.per)]
    if drill.rate is not None:
        return [("+", "Grunnlag", replace(drill, rate=None)),
                (TIMES_PERCENT, "Ganget med satsen i prosent", drill.rate)]
    if drill.price is not None:
        held = replace(drill, price=None)
        if len(held.parts) == 1 and held.parts[0][0] == 1:
            held = held.parts[0][1]  # the holding itself, with its own words
        return [("+", f"Beholdning i {drill.units}", held),
                (TIMES, "Ganget med kursen", drill.price)]
    if drill.parts:
        return [(OPERATORS[sign], part.description, part) for sign, part in drill.parts]
    named = [(f"Oppgitt: {file.rsplit('/', 1)[-1]}:{line} ({key or 'ingen verdi'})",
              (file, line, key)) for file, line, key in drill.declared]
    return [("+", what, Drill(declared=(place,), description=what)) for what, place in named]


def part_url(page_url: str, address: Sequence[tuple[str, str]]) -> str:
    """The URL of the parts page of the figure at ``address`` on the page at ``page_url``."""
    glue = "&" if "?" in page_url else "?"
    return f"{page_url}{glue}{urlencode([('parts', '1'), *address])}"


def _linked(drill: Drill | None, href: str | None, query_page: str, page_url: str,
            address: Sequence[tuple[str, str]]) -> tuple[str | None, str | None]:
    """(href, hover) of a figure: its own link when it is followed in one, else its parts page."""
    if drill is None or href is None:
        return href, None
    if followed_in_one(drill):
        return drill_url(query_page, drill), link_title(drill)
    return part_url(page_url, address), f"{drill_title(drill)}. Delene med fortegn og sum"


def with_part_links(shown: Page, query_page: str, page_url: str) -> Page:
    """``shown`` with each figure that its drill's query alone does not make linked to the page
    of its parts (addressed by table, row and cell, or by the figure's place in the text)."""
    def table_of(table: Table) -> Table:
        rows = []
        for row in table.rows:
            cells = []
            for index, cell in enumerate(row.cells):
                address = (("table", table.key), ("row", row.key), ("cell", str(index)))
                href, title = _linked(cell.drill, cell.href, query_page, page_url, address)
                cells.append(replace(cell, href=href, title=title) if title else cell)
            rows.append(replace(row, cells=tuple(cells)))
        return replace(table, rows=tuple(rows))

    counter = iter(range(1 << 30))

    def piece_of(piece: Piece) -> Piece:
        if isinstance(piece, str):
            return piece
        address = (("text", str(next(counter))),)
        href, title = _linked(piece.drill, piece.href, query_page, page_url, address)
        return replace(piece, href=href, title=title) if title else piece

    tables = {id(t): table_of(t) for t in shown.tables}
    parts: list[Part] = []
    for kind, part in shown.parts:
        if isinstance(part, Table):
            parts.append((kind, tables.get(id(part)) or table_of(part)))
        elif isinstance(part, Prose):
            parts.append((kind, replace(part, lines=tuple(
                tuple(piece_of(p) for p in line) for line in part.lines))))
        else:
            parts.append((kind, part))
    return replace(shown, tables=tuple(tables[id(t)] for t in shown.tables), parts=tuple(parts))


def figure_at(shown: Page, address: dict[str, str]) -> tuple[str, Decimal, Drill] | None:
    """(label, exact figure, drill) of the figure at ``address`` on ``shown``; None when there
    is none there."""
    if "text" in address:
        pieces_ = [p for _, part in shown.parts if isinstance(part, Prose)
                   for line in part.lines for p in line if isinstance(p, TextLink)]
        index = address["text"]
        if not index.isdigit() or int(index) >= len(pieces_):
            return None
        piece = pieces_[int(index)]
        return (piece.text, piece.value, piece.drill) if piece.drill is not None else None
    for table in shown.tables:
        if table.key != address.get("table"):
            continue
        for row in table.rows:
            cell_index = address.get("cell", "")
            if row.key != address.get("row") or not cell_index.isdigit():
                continue
            if int(cell_index) < len(row.cells):
                cell = row.cells[int(cell_index)]
                if cell.drill is not None and cell.value is not None:
                    label = " / ".join(c.text for c in row.cells[:1] if c.text)
                    header = table.header[int(cell_index)] if int(cell_index) < len(
                        table.header) else ""
                    return f"{label}, {header}".strip(", "), cell.value, cell.drill
    return None


def exact_text(amount: Decimal, every_digit: bool = False) -> str:
    """An exact amount in Norwegian format, to the øre: 1 234 567,89; −12,50; with
    ``every_digit``, with every decimal it has beyond the øre too (a rate: 11,7523)."""
    places = 2
    exponent = amount.normalize().as_tuple().exponent
    if every_digit and isinstance(exponent, int):
        places = max(places, -exponent)
    whole, _, ore = f"{abs(amount):.{places}f}".partition(".")
    body = f"{group_thousands(whole, NBSP)},{ore}"
    return f"−{body}" if amount < 0 else body


def parts_page(label: str, figure: Decimal, drill: Drill, values: Any, query_page: str,
               page_url: str, path: Sequence[int] = ()) -> Page:
    """The page of a figure's parts (:func:`steps`): per part its operator, what it is (a link
    to what makes it: its postings, its directive, or its own parts page), the sum of the
    postings that link lists, the part's figure and the running result; the last row is the
    result, which is the figure. ``values`` computes drills on the ledger
    (:class:`nhnfin.fava_ext.drill_values.DrillValues`); ``path`` is the part's place below the
    figure on the page (``part=`` in the URL)."""
    rows = []
    result: Decimal | None = Decimal(0)
    for index, (operator, what, part) in enumerate(steps(drill)):
        listed = part_value = None
        href = title = None
        if part is not None:
            part_value = values.value(part)
            if followed_in_one(part):
                href, title = drill_url(query_page, part), link_title(part)
                if part.query:
                    listed = values.listed(part)
            else:
                href = f"{page_url}&{urlencode([('part', str(i)) for i in (*path, index)])}"
                title = f"{drill_title(part)}. Delene med fortegn og sum"
        if operator == ROUNDED:
            part_value = drill.rounded
        result = _applied(result, operator, part_value)
        rows.append(Row(f"part-{index}", (
            Cell(operator), Cell(what if part is None else part.description or what, href, title),
            _exact(listed), _exact(part_value, operator == TIMES), _exact(result))))
    rows.append(Row("total", (Cell("="), Cell(f"Tallet: {label}"), Cell(""), Cell(""),
                              _exact(result)), "sum"))
    shown = figure if not path else None
    if shown is not None and result != shown:
        rows.append(Row("differs", (Cell("!"), Cell(
            f"Tallet på siden er {exact_text(shown)}: delene gir ikke tallet"), Cell(""),
            Cell(""), _exact(shown)), "failed"))
    table = Table(PARTS, "Hva tallet består av",
                  ("", "Del", "Sum av det som listes", "Delens tall", "Resultat"), tuple(rows))
    return Page(PARTS, "Hva tallet består av", (table,))


def _exact(amount: Decimal | None, every_digit: bool = False) -> Cell:
    if amount is None:
        return Cell("", numeric=True)
    return Cell(exact_text(amount, every_digit), numeric=True, value=amount)


def _applied(  # noqa: PLR0911 - one return per operator
        result: Decimal | None, operator: str, value: Decimal | None) -> Decimal | None:
    """The running result after one step of :func:`steps`."""
    if result is None or value is None:
        return None
    if operator == "+":
        return result + value
    if operator == "−":
        return result - value
    if operator == DIVIDED:
        return (result / value).quantize(Decimal("0.01"), "ROUND_HALF_UP") if value else None
    if operator == TIMES_PERCENT:
        return result * value / 100
    if operator == TIMES:
        return result * value
    return result.quantize(value, "ROUND_HALF_UP")


def page_drills(shown: Page) -> Iterator[Drill]:
    """The drills of the figures on ``shown`` (its tables and its text), in page order."""
    tables = [*shown.tables, *(p for _, p in shown.parts if isinstance(p, Table))]
    for table in tables:
        for row in table.rows:
            yield from (cell.drill for cell in row.cells if cell.drill is not None)
    for _, part in shown.parts:
        if isinstance(part, Prose):
            yield from (piece.drill for line in part.lines for piece in line
                        if isinstance(piece, TextLink) and piece.drill is not None)


def parted(drills: Iterable[Drill]) -> list[Drill]:
    """The drills among ``drills`` that a parts page shows (no single link makes the figure),
    then the parts those pages link on to, each once: what a figure's parts page computes."""
    found: dict[int, Drill] = {}  # by identity: a drill's hash walks all its parts
    waiting = [d for d in drills if not followed_in_one(d)]
    while waiting:
        drill = waiting.pop(0)
        if id(drill) in found:
            continue
        found[id(drill)] = drill
        waiting += [part for _, _, part in steps(drill)
                    if part is not None and not followed_in_one(part)]
    return list(found.values())


def part_of(drill: Drill, path: Sequence[int]) -> Drill | None:
    """The part at ``path`` below ``drill`` (each index a step of :func:`steps`)."""
    for index in path:
        found = steps(drill)
        if not 0 <= index < len(found) or found[index][2] is None:
            return None
        step = found[index][2]
        assert step is not None
        drill = step
    return drill
