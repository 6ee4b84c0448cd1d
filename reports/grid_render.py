"""Any list of grids (cost basis, investment plan, grant usage) as Markdown, XLSX or JSON, with
the same number format as ``nhnfin report``. JSON cells give the presented whole kroner beside
the exact amount."""

from __future__ import annotations

import json
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from .grid import Grid
from .numbers import presented
from .text import grids_markdown
from .xlsx import grids_workbook


def json_cell(cell: Any, unit: str | None) -> Any:
    """An amount as ``{"presented", "exact"}``; text as it is."""
    if isinstance(cell, Decimal):
        return {"presented": presented(cell, unit), "exact": str(cell)}
    return cell


def json_tables(grids: Sequence[Grid]) -> list[dict[str, Any]]:
    """The grids as JSON-ready tables."""
    return [
        {
            "key": g.key,
            "title": g.title,
            "header": list(g.header),
            "rows": [
                {
                    "key": r.key,
                    "kind": r.kind.value,
                    "unit": r.unit,
                    "cells": [json_cell(c, r.unit) for c in r.cells],
                }
                for r in g.rows
            ],
        }
        for g in grids
    ]


def render_grids(grids: Sequence[Grid], fmt: str, title: str) -> bytes:
    """``grids`` under ``title`` as md, xlsx or json."""
    if fmt == "md":
        return grids_markdown(title, grids)
    if fmt == "xlsx":
        return grids_workbook(grids)
    document = {"title": title, "tables": json_tables(grids)}
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode()
