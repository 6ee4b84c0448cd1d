"""Markdown, HTML and CSV renderings of the report grids, in Norwegian number format."""

from __future__ import annotations

import csv
import html
import io
from collections.abc import Sequence
from decimal import Decimal

from nhnfin.model import Kind
from nhnfin.model import Report

from .grid import Cell
from .grid import Grid
from .grid import GridRow
from .grid import NotePart
from .grid import report_grids
from .grid import report_parts
from .numbers import format_value
from .numbers import presented

NBSP = "\u00a0"


def cell_text(cell: Cell, unit: str | None, separator: str = " ") -> str:
    """A cell as text: numbers in Norwegian format."""
    if isinstance(cell, Decimal):
        return format_value(cell, unit, separator)
    return cell or ""


def _md_escape(text: str) -> str:
    return text.replace("|", "\\|")


def markdown_grid(grid: Grid, heading: str | None = None) -> str:
    """One grid as a Markdown table; sum lines in bold. ``heading`` replaces the ``## title``
    line ("" for none)."""
    heading = f"## {grid.title}" if heading is None else heading
    lines = [heading, ""] if heading else []
    lines.append("| " + " | ".join(grid.header) + " |")
    aligns = ["---"] + ["---:" for _ in grid.header[1:]]
    lines.append("| " + " | ".join(aligns) + " |")
    for row in grid.rows:
        cells = [_md_escape(cell_text(c, row.unit)) for c in row.cells]
        if row.kind != Kind.ITEM:
            cells = [f"**{c}**" if c else c for c in cells]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def grids_markdown(title: str, grids: Sequence[Grid], tail: str = "") -> bytes:
    """``# title``, then each grid as a Markdown table, then ``tail`` if any."""
    parts = [f"# {title}\n", *(markdown_grid(g) for g in grids)]
    if tail:
        parts.append(tail)
    return "\n".join(parts).encode()


def _md_text(text: str) -> str:
    """Note text as Markdown: a leading * (a footnote mark) is not emphasis."""
    return "\\" + text if text.startswith("*") else text


def markdown_note(part: NotePart) -> str:
    """A note with text: ``## Note N title``, its paragraphs, headings, lists and tables in the
    order its template gives."""
    note = part.note
    lines = [f"## Note {note.number} {note.title}", ""]
    for block in note.blocks():
        if block.kind == "table" and block.table is not None and block.table < len(part.grids):
            caption = note.tables[block.table].caption
            heading = f"### {caption}" if caption else ""
            lines.append(markdown_grid(part.grids[block.table], heading))
        elif block.kind == "heading":
            lines.extend([f"### {block.text}", ""])
        elif block.kind == "list":
            lines.extend([*(f"- {item}" for item in block.items), ""])
        elif block.kind == "paragraph":
            lines.extend([_md_text(block.text), ""])
    return "\n".join(lines).rstrip("\n") + "\n"


def render_markdown(report: Report) -> bytes:
    """The whole report as Markdown."""
    parts = [f"# {report.entity}: {report.heading}\n"]
    for part in report_parts(report):
        parts.append(markdown_note(part) if isinstance(part, NotePart) else markdown_grid(part))
    if report.ledger_errors:
        errors = "## Feil i regnskapet\n\n" + "\n".join(f"- {e}" for e in report.ledger_errors)
        parts.append(errors)
    return "\n".join(parts).encode()


def _html_row(row: GridRow) -> str:
    css = "sum" if row.kind != Kind.ITEM else "item"
    cells = []
    for index, cell in enumerate(row.cells):
        text = html.escape(cell_text(cell, row.unit, NBSP))
        tag = "th scope='row'" if index == 0 else "td"
        cells.append(f"<{tag}>{text}</{tag.split(maxsplit=1)[0]}>")
    return f"<tr class='{css}' data-key='{html.escape(row.key)}'>{''.join(cells)}</tr>"


def html_table(grid: Grid) -> str:
    """One grid's table."""
    head = "".join(f"<th>{html.escape(h)}</th>" for h in grid.header)
    body = "\n".join(_html_row(r) for r in grid.rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>\n{body}\n</tbody></table>"


def html_grid(grid: Grid) -> str:
    """One grid as an HTML table."""
    return (
        f"<section id='{html.escape(grid.key)}'><h2>{html.escape(grid.title)}</h2>\n"
        f"{html_table(grid)}</section>"
    )


def html_note(part: NotePart) -> str:
    """A note with text as one section: title, then text and tables in the template's order."""
    note = part.note
    pieces = [f"<h2>Note {html.escape(note.number)} {html.escape(note.title)}</h2>"]
    for block in note.blocks():
        if block.kind == "table" and block.table is not None and block.table < len(part.grids):
            caption = note.tables[block.table].caption
            grid = part.grids[block.table]
            title = f"<h3>{html.escape(caption)}</h3>\n" if caption else ""
            pieces.append(
                f"<div class='note-table' id='{html.escape(grid.key)}'>{title}{html_table(grid)}"
                "</div>"
            )
        elif block.kind == "heading":
            pieces.append(f"<h3>{html.escape(block.text)}</h3>")
        elif block.kind == "list":
            items = "".join(f"<li>{html.escape(i)}</li>" for i in block.items)
            pieces.append(f"<ul>{items}</ul>")
        elif block.kind == "paragraph":
            pieces.append(f"<p>{html.escape(block.text)}</p>")
    body = "\n".join(pieces)
    return f"<section class='note' id='note{html.escape(note.number)}'>{body}</section>"


def html_part(part: Grid | NotePart) -> str:
    """A part of the report (a grid, or a note with text) as HTML."""
    return html_note(part) if isinstance(part, NotePart) else html_grid(part)


STYLE = """
body { font-family: sans-serif; margin: 2em; }
table { border-collapse: collapse; margin-bottom: 2em; }
th, td { padding: 0.2em 0.8em; }
td { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
th[scope=row] { text-align: left; font-weight: normal; }
tr.sum th, tr.sum td { font-weight: bold; border-top: 1px solid #333; }
"""


def render_html(report: Report) -> bytes:
    """A self-contained HTML page."""
    title = html.escape(f"{report.entity}: {report.heading}")
    body = "\n".join(html_part(p) for p in report_parts(report))
    return (
        f"<!DOCTYPE html>\n<html lang='nb'><head><meta charset='utf-8'><title>{title}</title>"
        f"<style>{STYLE}</style></head><body><h1>{title}</h1>\n{body}\n</body></html>\n"
    ).encode()


def render_csv(report: Report) -> bytes:
    """The report as one CSV (see :func:`grids_csv`)."""
    return grids_csv(report_grids(report))


def grids_csv(grids: Sequence[Grid]) -> bytes:
    """One CSV with a table column: table, key, label, then the columns of that table.

    Amounts are whole kroner as plain integers (no separators) so a spreadsheet reads them as
    numbers; the semicolon delimiter is what Norwegian spreadsheets expect.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
    for grid in grids:
        writer.writerow(["table", "key", *grid.header])
        for row in grid.rows:
            cells = [
                presented(c, row.unit) if isinstance(c, Decimal) else (c or "") for c in row.cells
            ]
            writer.writerow([grid.key, row.key, *cells])
    return buffer.getvalue().encode("utf-8-sig")
