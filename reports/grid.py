"""Statements, notes and checks laid out as grids (title, header, rows of cells) that every
tabular renderer (Markdown, HTML, CSV, XLSX) formats the same way. Cells keep exact Decimals;
the renderers round and format them."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from nhnfin.model import Drill
from nhnfin.model import Kind
from nhnfin.model import Note
from nhnfin.model import Report
from nhnfin.model import Statement
from nhnfin.model import Status

Cell = str | Decimal | None


@dataclass(frozen=True)
class GridRow:
    """One row: its key, cells (label first), whether it is a sum line, the unit of its
    amounts (None = NOK), and what makes each cell's figure (beside ``cells``; empty: none)."""

    key: str
    cells: tuple[Cell, ...]
    kind: Kind = Kind.ITEM
    unit: str | None = None
    drills: tuple[Drill | None, ...] = ()


@dataclass(frozen=True)
class Grid:
    """A titled table."""

    key: str
    title: str
    header: tuple[str, ...]
    rows: tuple[GridRow, ...]


def statement_grid(statement: Statement) -> Grid:
    """A statement: label, note, then one column per year (headed by the period's dates in a
    period report)."""
    rows = tuple(
        GridRow(
            key=row.key,
            cells=(row.label, row.note or "", *(row.amounts.get(y) for y in statement.years)),
            kind=row.kind,
        )
        for row in statement.rows
    )
    return Grid(statement.key, statement.title, ("", "Note", *statement.column_headings()), rows)


def note_grids(note: Note) -> list[Grid]:
    """One grid per note table: label, amount columns, then text columns."""
    grids = []
    for index, table in enumerate(note.tables):
        rows = tuple(
            GridRow(
                key=row.key,
                cells=(
                    row.label,
                    *(
                        row.values.get(c.key)
                        if row.values.get(c.key) is not None
                        else row.text_values.get(c.key)
                        for c in table.columns
                    ),
                    *(row.text_values.get(c.key, "") for c in table.text_columns),
                ),
                kind=row.kind,
                unit=row.unit or table.unit,
            )
            for row in table.rows
        )
        title = f"Note {note.number} {note.title}"
        if len(note.tables) > 1 or table.caption:
            title = f"{title}: {table.caption}" if table.caption else title
        header = ("", *(c.label for c in table.columns), *(c.label for c in table.text_columns))
        grids.append(Grid(f"note{note.number}.{index}", title, header, rows))
    return grids


def checks_grid(report: Report) -> Grid:
    """The tie-outs: what was checked, the two sides, the difference, the outcome and why (a
    warning or a difference the rule explains says so in the last column)."""
    labels = {Status.PASSED: "OK", Status.FAILED: "AVVIK", Status.WARNING: "ADVARSEL"}
    rows = tuple(
        GridRow(
            key=t.check_id,
            cells=(t.description, t.left,
                   t.missing if t.right is None else t.right,
                   t.missing if t.difference is None else t.difference,
                   labels[t.status], t.detail),
        )
        for t in report.tieouts
    )
    header = ("Kontroll", "Verdi", "Skal være", "Differanse", "Status", "Forklaring")
    return Grid("tieouts", "Avstemminger", header, rows)


SEVERITY_LABELS = {"error": "feil", "rounding": "avrunding", "narrative": "tekst",
                   "presentation": "presentasjon"}


def findings_grid(report: Report) -> Grid:
    """Where the published report does not add up, or differs from the ledger."""
    rows = tuple(
        GridRow(
            key=f.check_id,
            cells=(f.where, f.published, f.recomputed, f.difference,
                   SEVERITY_LABELS.get(f.severity, f.severity), f.explanation),
        )
        for f in report.published_findings
    )
    return Grid(
        "inconsistencies",
        "Avvik i publisert årsregnskap",
        ("Sted", "Publisert", "Beregnet", "Differanse", "Art", "Forklaring"),
        rows,
    )


def text_findings_grid(report: Report) -> Grid:
    """Figures typed into the notes' text that no statement or note gives."""
    rows = tuple(
        GridRow(key=f"text.{i}", cells=(f.where, f.figure, f.message))
        for i, f in enumerate(report.text_findings)
    )
    return Grid("text_findings", "Tall i notetekstene", ("Sted", "Tall", "Merknad"), rows)


def tail_grids(report: Report) -> list[Grid]:
    """What follows the notes: the tie-outs, and the findings when there are any."""
    grids = [checks_grid(report)]
    if report.published_findings:
        grids.append(findings_grid(report))
    if report.findings:
        grids.append(ledger_findings_grid(report))
    if report.text_findings:
        grids.append(text_findings_grid(report))
    return grids


def status_grid(report: Report) -> Grid:
    """A report of a year not booked to its end says so first, in every format."""
    return Grid("status", "Status", ("Status",), (GridRow("preliminary", (report.status,)),))


def report_grids(report: Report) -> list[Grid]:
    """Every grid of the report, in print order."""
    grids = [status_grid(report)] if report.preliminary else []
    grids += [statement_grid(s) for s in report.statements]
    for note in report.notes:
        grids.extend(note_grids(note))
    return grids + tail_grids(report)


@dataclass(frozen=True)
class NotePart:
    """A note with text: the note, and its tables as grids (``grids[i]`` is table ``i``)."""

    note: Note
    grids: tuple[Grid, ...]


def report_parts(report: Report) -> list[Grid | NotePart]:
    """The report in print order for renderers of text: a note with text is one part (text and
    tables interleaved as its template places them), other notes are their grids."""
    parts: list[Grid | NotePart] = [status_grid(report)] if report.preliminary else []
    parts += [statement_grid(s) for s in report.statements]
    for note in report.notes:
        if note.text:
            parts.append(NotePart(note, tuple(note_grids(note))))
        else:
            parts.extend(note_grids(note))
    return parts + tail_grids(report)


def ledger_findings_grid(report: Report) -> Grid:
    """The rules' findings (under-coverage, overspending): what, where, and what is not
    covered."""
    rows = tuple(
        GridRow(key=f"{f.kind}.{f.location}", cells=(f.message, f.location, f.amount))
        for f in report.findings
    )
    return Grid("findings", "Funn i regnskapet", ("Funn", "Sted", "Ikke dekket"), rows)


def note_parts(report: Report) -> list[NotePart]:
    """Every note as one part, for the documents (DOCX, PDF)."""
    return [NotePart(note, tuple(note_grids(note))) for note in report.notes]


def findings_grids(report: Report, checks: bool = False) -> list[Grid]:
    """What the documents append after the notes: the tie-outs when ``checks`` asks for them,
    then the findings ("Avvik"), when there are any."""
    grids = [checks_grid(report)] if checks and report.tieouts else []
    if report.published_findings:
        grids.append(findings_grid(report))
    if report.findings:
        grids.append(ledger_findings_grid(report))
    if report.text_findings:
        grids.append(text_findings_grid(report))
    return grids
