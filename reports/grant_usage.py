"""The grant-usage report (:mod:`nhnfin.grants.usage`) rendered to Markdown, CSV, XLSX and
JSON with the grid, number-format and sheet helpers of ``nhnfin report``.

The usage table is a note table, so it is laid out by the notes' own grid builder; only its title
differs (it is an audit report beside note 3, not a note). Amounts are exact in the grid and the
JSON (``exact``), rounded to whole kroner line by line when presented. The JSON also gives, per
figure, the BQL query that lists the postings behind it (``drill``: their sum is the figure), so
an auditor can run it with ``bean-query`` without Fava; a figure of parts of different signs
(a grant's "not covered": linked costs less what the grant covered) gives its parts instead
(``drill_parts``: each part's query and sign; the figure is Σ sign × the sum each lists).
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from nhnfin.drill import one_listing
from nhnfin.model import Note

from .grid import Grid
from .grid import note_grids
from .grid_render import render_grids
from .json_report import note_document
from .text import grids_csv

FORMATS = ("md", "csv", "xlsx", "json")


def report_title(entity: str, year: int) -> str:
    """The title of the report: whose and which year."""
    return f"{entity}: bruk av offentlig tilskudd {year}"


def usage_grids(note: Note) -> list[Grid]:
    """The usage table(s) as grids, titled as the report (not as a numbered note)."""
    return [
        dataclasses.replace(grid, key=f"grant-usage.{index}", title=table.caption or note.title)
        for index, (grid, table) in enumerate(zip(note_grids(note), note.tables, strict=True))
    ]


def usage_document(note: Note, entity: str, year: int) -> dict[str, Any]:
    """The report as JSON-ready data: the note document, each row with its drill queries."""
    document = note_document(note)
    for table, shown in zip(note.tables, document["tables"], strict=True):
        for row, item in zip(table.rows, shown["rows"], strict=True):
            item["drill"] = {key: drill.query for key, drill in row.drill.items()
                             if one_listing(drill)}
            parts = {key: [{"sign": sign * part.sign, "query": part.query}
                           for sign, part in drill.parts]
                     for key, drill in row.drill.items() if not one_listing(drill)}
            if parts:
                item["drill_parts"] = parts
    return {"entity": entity, "year": str(year), "unit": "NOK", **document}


def render(note: Note, fmt: str, entity: str, year: int) -> bytes:
    """The grant-usage report in ``fmt`` (one of :data:`FORMATS`).

    Args:
        note: the usage note of :func:`nhnfin.grants.usage.build`.
        fmt: md, csv, xlsx or json.
        entity: the ledger's title.
        year: the year of the report.
    """
    if fmt == "csv":
        return grids_csv(usage_grids(note))
    if fmt == "json":
        document = usage_document(note, entity, year)
        return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode()
    return render_grids(usage_grids(note), fmt, report_title(entity, year))
