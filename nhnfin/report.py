"""Build the annual-report document for a fiscal year from a ledger: the three statements, the notes
the rules provide, the tie-outs, the rules' findings (:mod:`nhnfin.findings`), and, when the
published report is given, where the ledger and the published report differ and where the published
report does not add up.

This is the one code path behind ``nhnfin report`` and the Fava pages.
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from beancount.core import data

from nhnfin.config import custom_directives
from nhnfin.config import entity_title
from nhnfin.config import one_plugin_run
from nhnfin.errors import ReportError as ReportError  # noqa: PLC0414 (re-exported)
from nhnfin.errors import format_error
from nhnfin.errors import location
from nhnfin.errors import with_first_error
from nhnfin.files import directive_path
from nhnfin.files import file_problem_words
from nhnfin.findings import collect_findings
from nhnfin.findings import finding_tieouts
from nhnfin.findings import so_far
from nhnfin.layout import Layout
from nhnfin.ledger import Ledger
from nhnfin.ledger import before_the_books
from nhnfin.ledger import until
from nhnfin.lock_guard import note_template_text
from nhnfin.mapping import mapping_errors
from nhnfin.mapping import resolve_layout
from nhnfin.model import Drill
from nhnfin.model import Note
from nhnfin.model import NoteRow
from nhnfin.model import NoteTable
from nhnfin.model import PublishedFinding
from nhnfin.model import Report
from nhnfin.model import Statement
from nhnfin.model import TextFinding
from nhnfin.model import TieOut
from nhnfin.model import norwegian_date
from nhnfin.model import norwegian_list
from nhnfin.money import ZERO
from nhnfin.notes import builders
from nhnfin.notes.layout import NoteLayoutError
from nhnfin.notes.layout import NotesLayout
from nhnfin.notes.layout import fill
from nhnfin.notes.layout import load_notes_layout
from nhnfin.notes.layout import notes_layout_file
from nhnfin.notes.layout_notes import note_of
from nhnfin.notes.note_data import read_note_data
from nhnfin.notes.text import TEXT_DIRECTIVE
from nhnfin.notes.text import Context
from nhnfin.notes.text import MissingFigure
from nhnfin.notes.text import NoteTextError
from nhnfin.notes.text import fill_template
from nhnfin.notes.text import literal_findings
from nhnfin.notes.text import note_template_files
from nhnfin.notes.text import note_templates
from nhnfin.notes.text import report_figures
from nhnfin.provenance import RULE
from nhnfin.published import Origin
from nhnfin.published import compared_figures
from nhnfin.published import ledger_findings
from nhnfin.published import load_published
from nhnfin.published import narrative_findings
from nhnfin.published import note_table_findings
from nhnfin.published import published_findings
from nhnfin.published import published_year
from nhnfin.published import recorded_inconsistencies
from nhnfin.statements import books_opening_balance
from nhnfin.statements import brought_in_statement
from nhnfin.statements import build_statement
from nhnfin.statements import build_statements
from nhnfin.statements import cash_flow_accounts
from nhnfin.tieouts import cash_flow_section_tieouts
from nhnfin.tieouts import revaluation_tieouts
from nhnfin.tieouts import statement_tieouts

PUBLISHED_DIRECTIVE = "nhnfin-published"


def published_path(entries: list[Any]) -> Path | None:
    """The file named by the ledger's ``custom "nhnfin-published" "path"``, if any."""
    found = published_directive(entries)
    return found[1] if found is not None else None


def published_directive(entries: list[Any]) -> tuple[data.Custom, Path] | None:
    """The ledger's first ``custom "nhnfin-published" "path"`` and the file it names (a relative
    path is taken from the directive's file), if any."""
    for entry in entries:
        if isinstance(entry, data.Custom) and entry.type == PUBLISHED_DIRECTIVE and entry.values:
            value = entry.values[0].value
            if isinstance(value, str):
                return entry, directive_path(entry, value)
    return None


def read_published(source: Path) -> dict[str, Any]:
    """The published report in ``source`` (:func:`nhnfin.published.load_published`).

    Raises:
        ReportError: it cannot be read, or is not a published report (at its file:line).
    """
    try:
        return load_published(source)
    except OSError as exc:
        raise ReportError(f"kan ikke lese den publiserte rapporten {source}: "
                          f"{file_problem_words(exc.strerror or str(exc))}") from exc
    except ValueError as exc:  # the message starts with the file (and its line)
        raise ReportError(f"kan ikke lese den publiserte rapporten {exc}") from exc


def published_origin(found: tuple[data.Custom, Path] | None, source: Path) -> Origin | None:
    """Where the published report ``source`` is declared: the ``nhnfin-published`` directive
    ``found`` (:func:`published_directive`) when it names it (its figures then link to the
    directive); None for a file given otherwise."""
    if found is None or found[1] != source:
        return None
    entry, _ = found
    return Origin(entry.meta, str(entry.values[0].value))


def entity_name(ledger: Ledger) -> str:
    """The ledger's title option (the entity's name)."""
    return entity_title(ledger.options_map)


def note_input_files(entries: list[Any]) -> list[Path]:
    """The files the notes are made from that the ledger names: its notes layout (if any) and
    the note text templates. The report cache and the period lock take these as inputs."""
    layout = notes_layout_file(entries)
    return ([layout] if layout is not None else []) + note_template_files(entries)


def notes_layout_for(ledger: Ledger) -> NotesLayout:
    """The ledger's notes layout (or the packaged NHN one); ReportError at file:line."""
    try:
        return load_notes_layout(ledger.entries)
    except NoteLayoutError as exc:
        raise ReportError(str(exc)) from exc


def build_notes(
    ledger: Ledger, year: int, layout: NotesLayout | None = None,
    only: frozenset[str] | None = None,
) -> tuple[tuple[Note, ...], tuple[TieOut, ...]]:
    """Every note of the notes layout that has tables for ``year``, in the layout's order: a
    rule's note from its builder, then the tables the layout shapes
    (:mod:`nhnfin.notes.layout_notes`); notes with nothing to show are left out. With the
    packaged layout a registered builder it does not name keeps its own number and title and
    follows (a ledger's own notes layout has only the notes it names). ``only``: just the
    notes of these numbers (a period report's prior period, :func:`prior_columns`)."""
    layout = layout or notes_layout_for(ledger)
    own_layout = notes_layout_file(ledger.entries) is not None
    registered = builders()
    notes: list[Note] = []
    tieouts: list[TieOut] = []
    for spec in layout.notes:
        if only is not None and spec.number not in only:
            continue
        try:
            result = note_of(ledger, year, spec)
        except NoteLayoutError as exc:
            raise ReportError(str(exc)) from exc
        if result is not None:
            notes.append(result.note)
            tieouts.extend(result.tieouts)
    for name, build in registered.items():
        if own_layout or layout.by_builder(name) is not None:
            continue
        other = build(ledger, year)
        if other is not None and (only is None or other.note.number in only):
            tieouts.extend(other.tieouts)
            notes.append(other.note)
    return tuple(notes), tuple(tieouts)


def prior_columns(notes: tuple[Note, ...], year: int) -> frozenset[str]:
    """The numbers of the notes with a table of the prior year's column (``year - 1``): those a
    period report takes from the notes built to the same date a year earlier
    (:func:`with_prior_period`), the only ones it builds for that period."""
    key = str(year - 1)
    return frozenset(n.number for n in notes
                     if any(key in {c.key for c in t.columns} for t in n.tables))


def add_note_texts(
    ledger: Ledger,
    year: int,
    layout: NotesLayout,
    statements: tuple[Statement, ...],
    notes: tuple[Note, ...],
) -> tuple[tuple[Note, ...], tuple[TextFinding, ...]]:
    """Fill in the text templates the ledger names; a note of text only takes its place in the
    layout's order. Returns the notes and the literal figures no statement or note gives."""
    try:
        templates = note_templates(ledger.entries)
    except NoteTextError as exc:
        raise ReportError(str(exc)) from exc
    if not templates:
        return notes, ()
    by_number = {n.number: n for n in notes}
    for number, ref in templates.items():
        if number not in by_number and layout.note(number) is None:
            where = f"{ref.meta.get('filename')}:{ref.meta.get('lineno')}"
            raise ReportError(f"{where}: note {number} finnes ikke i noteoppsettet")
    note_data = read_note_data(ledger.entries)
    figures = report_figures(statements, notes)
    findings: list[TextFinding] = []
    texts: dict[str, Note] = {}
    for number, ref in templates.items():
        where = f"{ref.meta.get('filename')}:{ref.meta.get('lineno')}"
        source, problem = note_template_text(ref.path)
        if source is None:
            raise ReportError(f"{where}: {problem}")
        context = Context(ledger, year, number, statements, by_number, note_data)
        shown = _relative(ref.path, ledger)
        try:
            filled = fill_template(source, str(ref.path), context, shown)
        except MissingFigure as exc:  # the text is for another year's figures: say so, go on
            where, _, what = str(exc).partition(": ")  # the finding names the file as shown
            where = f"{shown}:{where.rpartition(':')[2]}"
            findings.append(TextFinding(where, "", f"teksten til note {number} er ikke fylt "
                                                   f"inn for {year}: {what}", number))
            continue
        except NoteTextError as exc:
            raise ReportError(str(exc)) from exc
        spec = layout.note(number)
        base = by_number.get(number) or Note(number, spec.title if spec else number, ())
        texts[number] = dataclasses.replace(base, text=filled.blocks, figures=filled.figures)
        findings.extend(literal_findings(source, shown, figures, number))
    merged = {**by_number, **texts}
    order = [n.number for n in layout.notes if n.number in merged]
    order += [n.number for n in notes if n.number not in order]
    return tuple(merged[n] for n in order), tuple(findings)


def _relative(path: Path, ledger: Ledger) -> str:
    """``path`` as seen from the ledger's folder (reports name no machine's absolute paths)."""
    if ledger.path is None:
        return path.name
    try:
        return os.path.relpath(path, Path(ledger.path).parent)
    except ValueError:
        return path.name


def cite_notes(statements: tuple[Statement, ...], layout: NotesLayout) -> tuple[Statement, ...]:
    """The statements' "Note" column from the notes layout. A statement layout that gives a
    line's ``note`` itself keeps it (the generic layout of ``nhnfin init`` does; NHN's layout
    leaves every line's note to the notes layout)."""
    result = []
    for statement in statements:
        rows = tuple(
            dataclasses.replace(row, note=row.note or layout.citing(statement.key, row.key))
            for row in statement.rows
        )
        result.append(dataclasses.replace(statement, rows=rows))
    return tuple(result)


def booked_dates(ledger: Ledger, year: int) -> tuple[datetime.date | None, datetime.date | None]:
    """The last date in ``year`` the controllers posted on, and the last date in ``year`` the
    rules booked to (their generated entries), each None when there is none."""
    posted: datetime.date | None = None
    rules: datetime.date | None = None
    for entry in ledger.entries:
        if not isinstance(entry, data.Transaction) or entry.date.year != year:
            continue
        if RULE in entry.meta:
            rules = entry.date if rules is None else max(rules, entry.date)
        else:
            posted = entry.date if posted is None else max(posted, entry.date)
    return posted, rules


def preliminary_dates(
    ledger: Ledger, year: int
) -> tuple[datetime.date | None, datetime.date | None]:
    """(booked to, rules booked to) for a year whose books do not reach 31 December; (None,
    None) for a finished year. The rules' date is given only when it is not the postings'."""
    posted, rules = booked_dates(ledger, year)
    last = max((d for d in (posted, rules) if d is not None), default=None)
    if last is None or last >= datetime.date(year, 12, 31):
        return None, None
    booked = posted or last
    return booked, (rules if rules is not None and rules != booked else None)


def layout_for(ledger: Ledger) -> Layout:
    """The ledger's layout; ReportError with the location when it is invalid."""
    layout, errors = ledger.derived(resolve_layout)
    if layout is None:
        raise ReportError("\n".join(format_error(e) for e in errors))
    return layout


def a_year_before(day: datetime.date) -> datetime.date:
    """The same day a year earlier; a month's last day gives that month's last day a year
    earlier, so the same period a year earlier is the whole month: 28 February 2025 gives 29
    February 2024 (a February report after a leap year), 29 February 2024 gives 28 February
    2023."""
    year = day.year - 1
    last = calendar.monthrange(year, day.month)[1]
    if day.day == calendar.monthrange(day.year, day.month)[1]:
        return day.replace(year=year, day=last)
    return day.replace(year=year, day=min(day.day, last))


def period_end(text: str) -> datetime.date:
    """The last day of a period: "2025-Q1" (a quarter), "2025-03" (a month) or "2025" (a
    year).

    Raises:
        ValueError: the text is none of these.
    """
    match = re.fullmatch(r"(\d{4})(?:-(?:[Qq]([1-4])|(0[1-9]|1[0-2])))?", text.strip())
    if match is None:
        raise ValueError(f"ikke en periode: {text!r} (skriv 2025-Q1, 2025-03 eller 2025)")
    year = int(match.group(1))
    month = int(match.group(2)) * 3 if match.group(2) else int(match.group(3) or 12)
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


_BEFORE = re.compile(r"date < (\d{4}-\d{2}-\d{2})")


def drill_ending_at(drill: Drill, day: datetime.date) -> Drill:
    """``drill`` selecting nothing after ``day``. A period report's figures are made of the
    entries up to its date (the builders see the ledger cut there), so their drills end there
    too; a builder dates them by the fiscal year."""
    cut = day + datetime.timedelta(days=1)
    later = sorted({d for d in map(datetime.date.fromisoformat, _BEFORE.findall(drill.query))
                    if d > cut})
    query = _BEFORE.sub(lambda m: f"date < {min(datetime.date.fromisoformat(m.group(1)), cut)}",
                        drill.query)
    description = drill.description
    for end in later:
        last = end - datetime.timedelta(days=1)
        description = description.replace(f"–{norwegian_date(last)}", f"–{norwegian_date(day)}")
    end_field = drill.end
    if end_field and datetime.date.fromisoformat(end_field) > cut:
        end_field = cut.isoformat()
    parts = tuple((sign, drill_ending_at(part, day)) for sign, part in drill.parts)
    return dataclasses.replace(drill, query=query, end=end_field, description=description,
                               parts=parts)


def note_ending_at(note: Note, day: datetime.date) -> Note:
    """``note`` with every figure's drill ending at ``day`` (:func:`drill_ending_at`): its
    tables' cells and the figures its text prints."""
    tables = tuple(
        dataclasses.replace(table, rows=tuple(
            dataclasses.replace(row, drill={k: drill_ending_at(d, day)
                                            for k, d in row.drill.items()})
            for row in table.rows))
        for table in note.tables)
    text = tuple(
        dataclasses.replace(block, figures=tuple(
            dataclasses.replace(f, drill=None if f.drill is None else drill_ending_at(f.drill, day))
            for f in block.figures))
        for block in note.text)
    return dataclasses.replace(note, tables=tables, text=text)


def tieout_ending_at(tieout: TieOut, day: datetime.date) -> TieOut:
    """``tieout`` with its sides' drills ending at ``day`` (:func:`drill_ending_at`), as the
    note figures they read do."""
    left, right = tieout.left_drill, tieout.right_drill
    return dataclasses.replace(
        tieout, left_drill=None if left is None else drill_ending_at(left, day),
        right_drill=None if right is None else drill_ending_at(right, day))


def period_heading(day: datetime.date, at_date: bool) -> str:
    """A period column's heading: ``30.06.2025`` (a balance at the date) or
    ``01.01.–30.06.2025`` (the flows of the year to the date)."""
    if at_date:
        return norwegian_date(day)
    return f"01.01.–{norwegian_date(day)}"


def with_period_headings(statement: Statement, last_days: dict[int, datetime.date]
                         ) -> Statement:
    """``statement`` with its columns headed by the dates they run to (a period report): the
    balance sheet at the date, the income statement and cash flow from 1 January to it."""
    at_date = statement.key == "balance_sheet"
    headings = tuple(period_heading(last_days[int(y)], at_date) for y in statement.years)
    return dataclasses.replace(statement, headings=headings)


# The words of a period report: a report to 31.03.2025 names that date where a year's report
# names the year or its 31 December: the notes' column and row labels ("2025", "Fakturert
# 2025", "Bokført verdi 31.12", "Pr. 31.12.2025"), the statements' line labels ("Kontanter og
# kontantekvivalenter 31.12") and the tie-outs' descriptions ("Balansen balanserer 2025"). A date
# of another year (the opening balance's "Pr. 31.12.2024", "01.01.2025") is left as it is.

def flows_to(day: datetime.date) -> str:
    """The flows of the year to ``day``: ``01.01.–31.03.2025``."""
    return f"01.01.–{norwegian_date(day)}"


def in_period(text: str, year: int, day: datetime.date, at_date: bool) -> str:
    """``text`` of fiscal ``year`` said of the period to ``day``: its 31 December
    (``31.12.2025``, ``31.12.25``, ``31.12``) becomes ``day``, what is carried to the next year
    (``Avsatt til 2026``) what is carried at ``day`` (``Avsatt pr. 31.03.2025``), and the year
    standing alone (``2025``, not part of a date) the date (``at_date``, a balance) or the flows
    to it."""
    text = text.replace(f"31.12.{year}", norwegian_date(day))
    text = re.sub(rf"31\.12\.{year % 100:02d}(?!\d)", day.strftime("%d.%m.%y"), text)
    text = re.sub(r"(?<![\d.])31\.12(?![.\d])", day.strftime("%d.%m"), text)
    # what is carried "til 2026" is, in a period, what is carried at its date
    text = re.sub(rf"\btil {year + 1}(?![\d.])", f"pr. {norwegian_date(day)}", text)
    words = norwegian_date(day) if at_date else flows_to(day)
    return re.sub(rf"(?<![\d.–]){year}(?![\d.])", words, text)


PeriodLabels = dict[tuple[str, str], dict[str, tuple[str, str]]]
"""The notes' row labels of a period report, from the notes layout: (note number, table
caption): {row key: (the year's label, the period's label)}."""


def table_in_period(table: NoteTable, year: int, day: datetime.date, at_date: bool,
                    labels: dict[str, tuple[str, str]] | None = None) -> NoteTable:
    """A note table's caption, column and row labels said of the period to ``day``; a row in
    ``labels`` (its key: the layout's ``period_label``) takes that label."""
    def label(text: str) -> str:
        return in_period(text, year, day, at_date)

    own = labels or {}
    return dataclasses.replace(
        table, caption=label(table.caption),
        columns=tuple(dataclasses.replace(c, label=label(c.label)) for c in table.columns),
        text_columns=tuple(dataclasses.replace(c, label=label(c.label))
                           for c in table.text_columns),
        rows=tuple(dataclasses.replace(
            r, label=label(own[r.key][1] if r.key in own else r.label)) for r in table.rows))


def note_in_period(note: Note, year: int, day: datetime.date,
                   balances: frozenset[str] = frozenset(),
                   labels: PeriodLabels | None = None) -> Note:
    """``note``'s tables said of the period to ``day``; a table whose caption is in
    ``balances`` (a table of balance-sheet accounts, or one the layout says is ``at_date``)
    names the date, the others the flows to it; a row with a ``period_label`` in the layout
    (``labels``, :func:`period_labels`) takes it. The prior year's column is said by
    :func:`with_prior_period`."""
    own = labels or {}
    return dataclasses.replace(note, tables=tuple(
        table_in_period(t, year, day, t.caption in balances, own.get((note.number, t.caption)))
        for t in note.tables))


def period_labels(layout: NotesLayout, year: int) -> PeriodLabels:
    """The rows of the notes layout with a label for a period report (``period_label``: the
    words of the layout, not of nhnfin), filled in for fiscal ``year``."""
    return {(note.number, fill(table.caption, year)):
            {fill(r.key, year): (fill(r.label, year), fill(r.period_label, year))
             for r in table.rows if r.period_label}
            for note in layout.notes for table in note.tables
            if any(r.period_label for r in table.rows)}


def labels_in_period(text: str, labels: PeriodLabels) -> str:
    """A tie-out's description with each row label that has a period form said in it (note 8's
    check "Årets avskrivninger = minus Avskrivninger" quotes its row's label)."""
    pairs = {pair for rows in labels.values() for pair in rows.values()}
    for year_label, period_label in sorted(pairs, key=lambda p: -len(p[0])):
        text = re.sub(rf"(?<!\w){re.escape(year_label)}(?!\w)", period_label, text)
    return text


def statement_in_period(statement: Statement, last_days: dict[int, datetime.date],
                        labels: dict[str, str] | None = None) -> Statement:
    """A statement's line labels said of the period (``Kontanter og kontantekvivalenter
    31.12`` to ``31.03``); a line in ``labels`` (its key: the layout's ``period_label``,
    "Periodens resultat" for "Årsresultat") takes that label. Its columns are headed by
    :func:`nhnfin.report.with_period_headings`. The day and month are the same in both columns
    (one year apart)."""
    year = max(last_days)
    own = labels or {}
    return dataclasses.replace(statement, rows=tuple(
        dataclasses.replace(r, label=in_period(own.get(r.key, r.label), year, last_days[year],
                                               statement.key == "balance_sheet"))
        for r in statement.rows))


def line_period_labels(layout: Layout, key: str) -> dict[str, str]:
    """The lines of statement ``key`` with a label for a period report (``period_label``)."""
    return {line.key: line.period_label for line in layout.statement(key).lines
            if line.period_label}


def quoted_in_period(tieouts: tuple[TieOut, ...], layout: Layout | None
                     ) -> tuple[TieOut, ...]:
    """A period report's tie-outs with the statement lines they quote («Årsresultat») named as
    the statements print them in the period (the layout's ``period_label``, «Periodens
    resultat»); a year's report's (``layout`` None) as they are."""
    if layout is None:
        return tieouts
    pairs = [(f"«{line.label}»", f"«{line.period_label}»") for statement in layout.statements
             for line in statement.lines if line.period_label]
    if not pairs:
        return tieouts

    def said(text: str) -> str:
        for year_label, period_label in pairs:
            text = text.replace(year_label, period_label)
        return text
    return tuple(dataclasses.replace(t, description=said(t.description)) for t in tieouts)


def tieout_in_period(tieout: TieOut, last_days: dict[int, datetime.date],
                     balances: frozenset[str] = frozenset()) -> TieOut:
    """A tie-out's description said of the periods in ``last_days`` (year: its last day): a
    check of the balance sheet (``bs.``, one naming «Balanse», or one of a note table whose
    caption is in ``balances``; note 6's "pensjonsforpliktelse 2025 = balansen") names the
    dates, the others the flows to them."""
    at_date = (tieout.check_id.startswith("bs.") or "balanse" in tieout.description.lower()
               or any(tieout.description.startswith(f"{c},") for c in balances))
    text = tieout.description
    for year, day in sorted(last_days.items(), reverse=True):
        text = in_period(text, year, day, at_date)
    return dataclasses.replace(tieout, description=text)


def from_postings(drill: Drill) -> bool:
    """Whether ``drill``'s figure is the plain sum of postings (no declared value, quotient,
    rate or rounding in it): a figure that is 0 where there are no postings."""
    if drill.declared or drill.computed:
        return False
    if drill.parts:
        return all(from_postings(part) for _, part in drill.parts)
    return bool(drill.query)


def absent_in_period(row: NoteRow, key: str, day: datetime.date) -> NoteRow:
    """``row`` of a note table in a period report whose comparable period (to ``day``, column
    ``key``) has no such row: a figure of postings is 0 there, as the year's report shows a
    year without postings, its drill the postings of that period (none); a declared figure is
    empty, as the year's report shows a year with nothing declared."""
    drill = dict(row.drill)
    earlier = drill.pop(key, None)
    if earlier is None or not from_postings(earlier):
        return dataclasses.replace(row, values={**row.values, key: None}, drill=drill)
    drill[key] = drill_ending_at(earlier, day)
    return dataclasses.replace(row, values={**row.values, key: ZERO}, drill=drill)


def same_tables(tables: tuple[NoteTable, ...], earlier: tuple[NoteTable, ...], key: str,
                year: str) -> tuple[NoteTable | None, ...]:
    """For each of a note's ``tables``, the table of ``earlier`` (the same note of the prior
    period) with the same caption (its ``key`` year said as ``year``), in order; None where the
    prior period has none. By caption, not place: a table the prior period leaves out (nothing
    declared by then) does not shift the others."""
    left = list(earlier)

    def match(table: NoteTable) -> NoteTable | None:
        found = next((t for t in left if t.caption.replace(key, year) == table.caption), None)
        if found is not None:
            left.remove(found)
        return found

    return tuple(match(t) for t in tables)


def with_prior_period(notes: tuple[Note, ...], tieouts: tuple[TieOut, ...],
                      prior: tuple[tuple[Note, ...], tuple[TieOut, ...]], year: int,
                      day: datetime.date, balances: frozenset[str] = frozenset()
                      ) -> tuple[tuple[Note, ...], tuple[TieOut, ...]]:
    """A period report's notes with the prior year's column of the same period a year earlier,
    as the statements have it: a table with the column ``year - 1`` takes it from the table of
    the same caption in the same note of ``prior``, the notes built to ``day`` for ``year - 1``,
    row by row, its drills ending at ``day``. A row that period does not have (nor its table) is
    what the year's report shows for a year without it (:func:`absent_in_period`): 0 for a
    figure of postings, empty for a declared one. For a note whose column it took, each of
    the note's tie-outs of ``year - 1`` is ``prior``'s (the same id), comparing with the
    printed prior column, and one ``prior`` does not have is left out (it would check the whole
    prior year, :func:`of_prior_column`); the other notes' checks of the prior year's end say
    its date (:func:`at_prior_year_end`). That column and those tie-outs say the prior period
    (a table whose caption is in ``balances``: its date)."""
    prior_notes, prior_tieouts = prior
    key = str(year - 1)
    by_number = {n.number: n for n in prior_notes}
    replaced: set[str] = set()

    def column(table: NoteTable, earlier: NoteTable | None) -> NoteTable:
        if key not in {c.key for c in table.columns}:
            return table
        rows = {r.key: r for r in (earlier.rows if earlier is not None else ())}

        def row_of(row: NoteRow) -> NoteRow:
            other = rows.get(row.key)
            if other is None:
                return absent_in_period(row, key, day)
            drill = dict(row.drill)
            drill.pop(key, None)
            if key in other.drill:
                drill[key] = drill_ending_at(other.drill[key], day)
            return dataclasses.replace(row, values={**row.values, key: other.values.get(key)},
                                       drill=drill)

        at_date = table.caption in balances
        columns = tuple(
            dataclasses.replace(c, label=in_period(c.label, year - 1, day, at_date))
            if c.key == key else c for c in table.columns)
        return dataclasses.replace(table, columns=columns,
                                   rows=tuple(row_of(r) for r in table.rows))

    result = []
    for note in notes:
        earlier = by_number.get(note.number)
        same = same_tables(note.tables, earlier.tables if earlier is not None else (), key,
                           str(year))
        tables = tuple(column(table, other) for table, other in zip(note.tables, same,
                                                                     strict=True))
        if tables != note.tables:
            replaced.add(note.number)
        result.append(dataclasses.replace(note, tables=tables))
    taken = {f"n{number}" for number in replaced}
    own = {t.check_id: t for t in prior_tieouts if t.check_id.endswith(f".{key}")
           and t.check_id.split(".")[0] in taken}
    checks = tuple(
        tieout_in_period(tieout_ending_at(own[t.check_id], day), {year - 1: day}, balances)
        if t.check_id in own else at_prior_year_end(t, year - 1)
        for t in tieouts
        if t.check_id in own or not of_prior_column(t, taken, key))
    return tuple(result), checks


def of_prior_column(tieout: TieOut, taken: set[str], key: str) -> bool:
    """Whether ``tieout`` is a check of the prior year's column (its id ends ``.{key}``) of a
    note whose prior column a period report took from the same period a year earlier
    (``taken``: ``n5``, ``n6``, …): a check of the whole prior year, which no column of the
    report prints."""
    return tieout.check_id.endswith(f".{key}") and tieout.check_id.split(".")[0] in taken


def at_prior_year_end(tieout: TieOut, prior: int) -> TieOut:
    """A note's tie-out of a period report that compares a figure of the ``prior`` year's end
    (note 9's "Pr. 31.12.2024", note 2's and 3's "Overført fra tidligere år", the opening of
    the period): the bare year ("Balanse «Sum egenkapital» 2024") says that date
    (``31.12.2024``), since the report's column "2024" is the same period a year earlier."""
    return dataclasses.replace(tieout, description=re.sub(
        rf"(?<![\d.–]){prior}(?![\d.])", norwegian_date(datetime.date(prior, 12, 31)),
        tieout.description))


def notes_in_period(notes: tuple[Note, ...], tieouts: tuple[TieOut, ...], year: int,
                    day: datetime.date, balances: frozenset[str] = frozenset(),
                    labels: PeriodLabels | None = None
                    ) -> tuple[tuple[Note, ...], tuple[TieOut, ...]]:
    """A period report's notes and their tie-outs: every drill ending at ``day``
    (:func:`note_ending_at`, :func:`tieout_ending_at`), the labels and descriptions saying the
    period (:func:`note_in_period`, :func:`tieout_in_period`; ``balances``: the captions of the
    tables of positions at the date, :func:`balance_captions`; ``labels``: the rows' period
    labels, :func:`period_labels`, said in the tie-outs that quote them too); the prior column
    and its tie-outs already say theirs (:func:`with_prior_period`)."""
    own = labels or {}
    return (tuple(note_in_period(note_ending_at(n, day), year, day, balances, own)
                  for n in notes),
            tuple(tieout_in_period(labelled(tieout_ending_at(t, day), own), {year: day},
                                   balances)
                  for t in tieouts))


def labelled(tieout: TieOut, labels: PeriodLabels) -> TieOut:
    """``tieout`` with the period labels of the rows it quotes (:func:`labels_in_period`)."""
    if not labels:
        return tieout
    return dataclasses.replace(tieout, description=labels_in_period(tieout.description, labels))


def checks_in_period(tieouts: tuple[TieOut, ...], last_days: dict[int, datetime.date] | None
                     ) -> tuple[TieOut, ...]:
    """The statements' tie-outs of a period report (``last_days``: each column's year and last
    day) described by their periods; a year's report's as they are."""
    if last_days is None:
        return tieouts
    return tuple(tieout_in_period(t, last_days) for t in tieouts)


def balance_captions(layout: NotesLayout, year: int) -> frozenset[str]:
    """The captions of the notes' tables of positions at the date: of balance-sheet accounts
    (their ``line`` a line of the balance sheet) or declared so (``at_date``: note 6's pension
    obligations, assumptions and members, note 5's staff at the year end): a period report
    heads their columns by the date, not the flows to it."""
    return frozenset(fill(table.caption, year) for note in layout.notes for table in note.tables
                     if table.at_date or (table.line or "").startswith("balance_sheet."))


def missing_year(ledger: Ledger, year: int, errors: Sequence[Any] | None = None
                 ) -> str | None:
    """Why ``ledger`` has no report for ``year`` (no posting in it, or nothing at all), with the
    ledger's first error (``errors``, default its own) when it has one; None when it has one."""
    if year in ledger.fiscal_years():
        return None
    return with_first_error(
        f"regnskapet har ingen posteringer i {year} (det har {norwegian_list(ledger.years())})"
        if ledger.years() else f"regnskapet har verken posteringer eller åpnede kontoer i {year}",
        ledger.errors if errors is None else errors)


def build_report(
    ledger: Ledger,
    year: int,
    published: Path | None = None,
    as_of: datetime.date | None = None,
) -> Report:
    """The report for ``year`` with the prior year beside each figure.

    Args:
        ledger: the loaded ledger.
        year: the fiscal year.
        published: a published report (JSON) to compare with; by default the file named by the
            ledger's ``custom "nhnfin-published"`` directive, if any.
        as_of: a period report: the statements and notes to this date (in ``year``), with the
            same period a year earlier beside them. A published report is not compared with a
            period's columns (it describes whole years).

    Raises:
        ReportError: the layout is invalid, the ledger does not cover ``year``, or ``as_of`` is
            not in ``year``.
    """
    # One reading of the ledger for every builder: the readings that are shared within a
    # plugin run (entries by type, the posting index, the mapping's accounts, each file's
    # lines) are shared as well by the statements, notes, findings and checks of one report.
    # No builder changes a list of entries it is given (as within the plugin run).
    with one_plugin_run():
        return _build_report(ledger, year, published, as_of)


def _build_report(
    ledger: Ledger,
    year: int,
    published: Path | None,
    as_of: datetime.date | None,
) -> Report:
    layout = layout_for(ledger)
    if as_of is not None and as_of.year != year:
        raise ReportError(f"datoen {as_of.isoformat()} er ikke i regnskapsåret {year}")
    period = as_of is not None and as_of < datetime.date(year, 12, 31)
    full = ledger
    prior: Ledger | None = None
    if as_of is not None and period:
        ledger, prior = until(full, as_of), until(full, a_year_before(as_of))
    begins = full.first_entry()
    if period and as_of is not None and begins is not None and as_of < begins.date:
        raise ReportError(before_the_books(f"datoen {norwegian_date(as_of)}", begins))
    missing = missing_year(ledger, year, full.errors)
    if missing is not None:
        raise ReportError(missing)
    last_days = (
        {year: as_of, year - 1: a_year_before(as_of)} if as_of is not None and period else None
    )
    notes_layout = notes_layout_for(ledger)
    statements = cite_notes(
        build_statements(layout, ledger, year, prior, last_days), notes_layout
    )
    years = (str(year), str(year - 1))
    if last_days is not None:
        statements = tuple(statement_in_period(with_period_headings(s, last_days), last_days,
                                               line_period_labels(layout, s.key))
                           for s in statements)
    income, balance, cash_flow = (
        next(s for s in statements if s.key == k)
        for k in ("income_statement", "balance_sheet", "cash_flow")
    )
    opening = None
    if prior is not None:
        opening = build_statement(layout.statement("balance_sheet"), ledger, (year - 1,))
    notes, note_tieouts = build_notes(ledger, year, notes_layout)
    notes, text_findings = add_note_texts(ledger, year, notes_layout, statements, notes)
    if as_of is not None and prior is not None:
        balances = balance_captions(notes_layout, year)
        notes, note_tieouts = with_prior_period(
            notes, note_tieouts,
            build_notes(prior, year - 1, notes_layout, prior_columns(notes, year)), year,
            a_year_before(as_of), balances)
        notes, note_tieouts = notes_in_period(notes, note_tieouts, year, as_of, balances,
                                              period_labels(notes_layout, year))
    first = min(full.years(), default=None)
    # a layout with a line for the opening balance's cash ends at the bank in that year as well
    shows_opening = any(line.measure == "opening_balance"
                        for line in layout.statement("cash_flow").lines)
    opening_year = str(first) if first is not None and not shows_opening else None
    booked_to, rules_booked_to = preliminary_dates(ledger, year)
    findings_of_year = so_far(collect_findings(ledger, year), booked_to)
    section_checks = (
        cash_flow_section_tieouts(layout, ledger, cash_flow)
        if prior is None
        else cash_flow_section_tieouts(layout, ledger, cash_flow, years[:1], last_days)
        + cash_flow_section_tieouts(layout, prior, cash_flow, years[1:], last_days)
    )
    brought_in = brought_in_statement(
        layout.statement("balance_sheet"), ledger,
        books_opening_balance(ledger, cash_flow_accounts(layout, ledger)), year,
        as_of if period else None)
    tieouts = quoted_in_period(
        checks_in_period(
            statement_tieouts(income, balance, cash_flow, opening_year, opening, brought_in)
            + section_checks, last_days)
        + revaluation_tieouts(full, [(last_days or {}).get(int(y), datetime.date(int(y), 12, 31))
                                     for y in years])
        + note_tieouts
        + finding_tieouts(findings_of_year), layout if last_days is not None else None)
    errors = [*ledger.errors, *mapping_errors(layout, ledger.entries)]
    findings: tuple[PublishedFinding, ...] = ()
    uncompared: list[str] = []
    declared = published_directive(ledger.derived(custom_directives))
    source = published or (declared[1] if declared is not None else None)
    if source is not None and prior is None:
        document = read_published(source)
        # A published report describes its own year: its statements are compared column by
        # column with the years this report shows, its notes only with this year's notes.
        own_year = published_year(document) in (None, year)  # no year column: take it as ours
        compared_notes = notes if own_year else ()
        uncompared = refuse_uncompared(statements, compared_notes, document, years, source,
                                       None if published else declared)
        origin = published_origin(declared, source)
        findings = tuple(recorded_inconsistencies(
            published_findings(layout, ledger, document, years, origin)
            + note_table_findings(compared_notes, document, origin)
            + ledger_findings(statements, compared_notes, document, origin)
            + narrative_findings(compared_notes, document, origin),
            document,
        ))
    return Report(
        entity=entity_name(ledger),
        year=year,
        years=years,
        statements=statements,
        notes=notes,
        tieouts=tieouts,
        published_findings=findings,
        ledger_errors=tuple(_unique([*(format_error(e) for e in errors), *uncompared])),
        findings=findings_of_year,
        text_findings=text_findings,
        booked_to=booked_to,
        rules_booked_to=rules_booked_to,
        prior_to=a_year_before(as_of) if as_of is not None and prior is not None else None,
        texts_after_period=(
            texts_after(full.entries, ledger.entries, year) if prior is not None else ()),
        period_to=as_of if prior is not None else None,
    )


def refuse_uncompared(
    statements: tuple[Statement, ...], notes: tuple[Note, ...], document: dict[str, Any],
    years: tuple[str, ...], source: Path, declared: tuple[data.Custom, Path] | None,
) -> list[str]:
    """A published report of which no figure is one of the report's is the wrong file:
    comparing with it would find nothing and say nothing. Given with ``--published``, it is
    refused; named by the ledger's ``nhnfin-published`` directive (``declared``), it is an error
    at the directive (returned), unless it describes a year this report does not show.

    Raises:
        ReportError: ``--published`` names such a file.
    """
    if declared is not None and published_year(document) not in (None, *map(int, years)):
        return []  # the ledger's published report of another year: nothing to compare, rightly
    if compared_figures(statements, notes, document):
        return []
    message = (f"den publiserte rapporten {source} har ingen tall rapporten kan sammenlignes "
               f"med (ingen oppstillingslinje for {norwegian_list(list(years))} eller notecelle "
               "med samme nøkkel): er det riktig fil?")
    if declared is None:
        raise ReportError(message)
    return [f"{location(declared[0].meta)}: {message}"]


def texts_after(entries: list[Any], kept: list[Any], year: int) -> tuple[str, ...]:
    """The notes a period report has no text for because the ledger declares their text
    (``nhnfin-note-text``) only after the period, within ``year`` (a year-end declaration);
    numbers in the order of the notes."""
    def numbers(chosen: list[Any]) -> set[str]:
        return {str(e.values[0].value) for e in chosen if isinstance(e, data.Custom)
                and e.type == TEXT_DIRECTIVE and e.values and e.date.year <= year}
    later = numbers(entries) - numbers(kept)
    return tuple(sorted(later, key=lambda n: (len(n), n)))


def _unique(items: Any) -> list[str]:
    seen: dict[str, None] = {}
    for item in items:
        seen.setdefault(item, None)
    return list(seen)
