"""The report as a Word document (python-docx): what finance edits before publishing.

Heading styles for the statements and notes (so Word's navigation pane and table of contents see
them), real Word tables with the prior year beside each figure where the statement or note has
it, Norwegian numbers (no-break space between thousands, true minus sign), sum lines in bold,
the notes' text in the order their templates give. The "Avvik" list (where the published report
does not add up or differs from the ledger) follows the notes when the report has one; the
tie-outs ("Avstemminger") come before it when asked for (``nhnfin report --with-checks``).
"""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from nhnfin.model import Kind
from nhnfin.model import Report

from .grid import Grid
from .grid import NotePart
from .grid import findings_grids
from .grid import note_parts
from .grid import statement_grid
from .text import NBSP
from .text import cell_text


def _table(document: Any, grid: Grid) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    table = document.add_table(rows=1, cols=len(grid.header))
    table.style = "Table Grid"
    for index, label in enumerate(grid.header):
        cell = table.rows[0].cells[index]
        cell.text = label
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in grid.rows:
        cells = table.add_row().cells
        for index, value in enumerate(row.cells):
            paragraph = cells[index].paragraphs[0]
            run = paragraph.add_run(cell_text(value, row.unit, NBSP))
            run.bold = row.kind != Kind.ITEM
            if isinstance(value, Decimal):
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _note(document: Any, part: NotePart) -> None:
    note = part.note
    document.add_heading(f"Note {note.number} {note.title}", level=1)
    for block in note.blocks():
        if block.kind == "table" and block.table is not None and block.table < len(part.grids):
            caption = note.tables[block.table].caption
            if caption and caption != note.title:
                document.add_heading(caption, level=3)
            _table(document, part.grids[block.table])
            document.add_paragraph()
        elif block.kind == "heading":
            document.add_heading(block.text, level=2)
        elif block.kind == "list":
            for item in block.items:
                document.add_paragraph(item, style="List Bullet")
        elif block.kind == "paragraph":
            document.add_paragraph(block.text)


def render_docx(report: Report, checks: bool = False) -> bytes:
    """The whole report as a .docx file; ``checks`` adds the tie-outs ("Avstemminger") after
    the notes."""
    from docx import Document

    document = Document()
    document.core_properties.title = f"{report.entity}: {report.heading}"
    document.core_properties.language = "nb-NO"
    document.add_heading(report.entity, level=0)
    document.add_paragraph(report.title.capitalize())
    if report.preliminary:
        document.add_paragraph(report.status.capitalize())
    for statement in report.statements:
        grid = statement_grid(statement)
        document.add_heading(grid.title, level=1)
        _table(document, grid)
    for part in note_parts(report):
        _note(document, part)
    for grid in findings_grids(report, checks):
        document.add_heading(grid.title, level=1)
        _table(document, grid)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
