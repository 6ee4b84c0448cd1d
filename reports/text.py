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
from .grid import report_grids
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


def markdown_grid(grid: Grid) -> str:
    """One grid as a Markdown table; sum lines in bold."""
    lines = [f"## {grid.title}", ""]
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


def render_markdown(report: Report) -> bytes:
    """The whole report as Markdown."""
    errors = ""
    if report.ledger_errors:
        errors = "## Feil i regnskapet\n\n" + "\n".join(f"- {e}" for e in report.ledger_errors)
    return grids_markdown(
        f"{report.entity}: årsregnskap {report.year}", report_grids(report), errors
    )


def _html_row(row: GridRow) -> str:
    css = "sum" if row.kind != Kind.ITEM else "item"
    cells = []
    for index, cell in enumerate(row.cells):
        text = html.escape(cell_text(cell, row.unit, NBSP))
        tag = "th scope='row'" if index == 0 else "td"
        cells.append(f"<{tag}>{text}</{tag.split(maxsplit=1)[0]}>")
    return f"<tr class='{css}' data-key='{html.escape(row.key)}'>{''.join(cells)}</tr>"


def html_grid(grid: Grid) -> str:
    """One grid as an HTML table."""
    head = "".join(f"<th>{html.escape(h)}</th>" for h in grid.header)
    body = "\n".join(_html_row(r) for r in grid.rows)
    return (
        f"<section id='{html.escape(grid.key)}'><h2>{html.escape(grid.title)}</h2>\n"
        f"<table><thead><tr>{head}</tr></thead><tbody>\n{body}\n</tbody></table></section>"
    )


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
    title = html.escape(f"{report.entity}: årsregnskap {report.year}")
    body = "\n".join(html_grid(g) for g in report_grids(report))
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
