"""The locked texts: everything a locked year's report shows besides its figures.

The figures (:mod:`nhnfin.close.figures`) are the amounts and the note cells; a reader of the
signed report also sees its words: the entity's name (``option "title"``) and the heading, each
statement's title, column headings, line labels, "Note" references and which lines are sums,
and each note's number, title, tables (caption, unit, column labels, row labels, which rows are
sums) and text (the blocks its template renders, in print order, with the figures they quote
as printed). ``nhnfin close`` records them (``texts:`` in the lock, one item per text in the
lock's record); the commands that build the report (``nhnfin report``, ``nhnfin close``, the
Fava pages) compare them as they compare the figures, and every load compares the one text no
file or entry of the lock covers, the title option (:mod:`nhnfin.close.period_lock`).

The prior-year column of the next year's report comes from the same books and files, so the
locked year's lock covers it too.

A text's name is ``tittel``, ``statement/…`` or ``note N/…``, as the figures' names are.
"""

from __future__ import annotations

from nhnfin.model import Note
from nhnfin.model import NoteTable
from nhnfin.model import Report
from nhnfin.model import Statement
from nhnfin.model import TextBlock

ENTITY_ITEM = "tittel"
"""The name of the report's title (the ledger's ``option "title"``)."""


def _statement_texts(statement: Statement) -> list[tuple[str, str]]:
    key = statement.key
    texts = [(f"{key}/tittel", statement.title),
             (f"{key}/kolonner", " | ".join(statement.column_headings()))]
    for row in statement.rows:
        texts.append((f"{key}/{row.key}/tekst", row.label))
        texts.append((f"{key}/{row.key}/note", row.note or ""))
        texts.append((f"{key}/{row.key}/art", f"{row.kind} {row.section}"))
    return texts


def _table_texts(place: str, table: NoteTable) -> list[tuple[str, str]]:
    texts = [(f"{place}/overskrift", table.caption), (f"{place}/enhet", table.unit)]
    texts.extend((f"{place}/kolonne {c.key}", c.label)
                 for c in (*table.columns, *table.text_columns))
    for row in table.rows:
        texts.append((f"{place}/{row.key}/tekst", row.label))
        texts.append((f"{place}/{row.key}/art", f"{row.kind} {row.unit or ''}".rstrip()))
    return texts


def block_text(block: TextBlock) -> str:
    """A text block as a reader sees it: its kind, then its text, list items or table."""
    if block.kind == "table":
        return f"tabell {block.table}"
    if block.kind == "list":
        return "liste: " + " / ".join(block.items)
    return f"{block.kind}: {block.text}"


def _note_texts(note: Note) -> list[tuple[str, str]]:
    place = f"note {note.number}"
    texts = [(f"{place}/tittel", note.title)]
    for number, table in enumerate(note.tables, 1):
        texts.extend(_table_texts(f"{place}/{number}", table))
    texts.extend((f"{place}/tekst/{i}", block_text(block))
                 for i, block in enumerate(note.blocks(), 1))
    return texts


def report_texts(report: Report) -> list[tuple[str, str]]:
    """(name, text) of every text of ``report`` besides its figures, in report order."""
    texts = [(ENTITY_ITEM, report.entity), ("overskrift", report.heading)]
    for statement in report.statements:
        texts.extend(_statement_texts(statement))
    for note in report.notes:
        texts.extend(_note_texts(note))
    return texts
