"""The report as an Excel workbook: one sheet per statement and note table, numbers stored as
numbers (whole kroner, rounded line by line) with a Norwegian-style number format."""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Font

from nhnfin.model import Kind
from nhnfin.model import Report
from nhnfin.money import round_krone

from .grid import Grid
from .grid import report_grids

NUMBER_FORMAT = "#,##0;[Red]\\-#,##0"


def sheet_title(grid: Grid, used: set[str]) -> str:
    """An Excel sheet name (≤ 31 characters, no []:*?/\\), unique in the workbook."""
    base = re.sub(r"[\[\]:*?/\\]", " ", grid.key)[:28]
    title, n = base, 2
    while title in used:
        title, n = f"{base}~{n}", n + 1
    used.add(title)
    return title


def excel_value(cell: object, unit: str | None) -> object:
    """Amounts as int kroner (NOK) or float-free Decimal for other units."""
    if isinstance(cell, Decimal):
        return int(round_krone(cell)) if unit in (None, "NOK") else cell
    return cell


def render_xlsx(report: Report) -> bytes:
    """The report's workbook as bytes."""
    return grids_workbook(report_grids(report))


def grids_workbook(grids: Sequence[Grid]) -> bytes:
    """A workbook with one sheet per grid, amounts as numbers, sum lines in bold."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    used: set[str] = set()
    bold = Font(bold=True)
    for grid in grids:
        sheet = workbook.create_sheet(sheet_title(grid, used))
        sheet.append([grid.title])
        sheet["A1"].font = bold
        sheet.append(list(grid.header))
        for row in grid.rows:
            sheet.append([excel_value(c, row.unit) for c in row.cells])
            line = sheet.max_row
            for cell in sheet[line]:
                if isinstance(cell.value, int | Decimal):
                    cell.number_format = NUMBER_FORMAT
                if row.kind != Kind.ITEM:
                    cell.font = bold
        sheet.column_dimensions["A"].width = 60
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
