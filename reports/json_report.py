"""The report as JSON in the shape of the published-figures reference
(``ledger/published/nhn-annual-report-2024.json``): statement rows with one presented amount per
year, note tables with values per column key, plus tie-outs and findings. Presented amounts are
strings of whole kroner, each rounded from the ledger's exact amount; the exact amount is beside
it under ``exact``."""

from __future__ import annotations

import json
from typing import Any

from nhnfin.model import Note
from nhnfin.model import Report
from nhnfin.model import Statement
from nhnfin.model import TextBlock

from .numbers import presented


def statement_rows(statement: Statement) -> list[dict[str, Any]]:
    """The rows of one statement."""
    rows = []
    for row in statement.rows:
        item: dict[str, Any] = {"key": row.key, "label": row.label, "note": row.note}
        for year in statement.years:
            item[year] = presented(row.amounts.get(year))
        item["section"] = row.section
        item["kind"] = row.kind.value
        item["exact"] = {y: str(row.amounts[y]) for y in statement.years if y in row.amounts}
        rows.append(item)
    return rows


def note_document(note: Note) -> dict[str, Any]:
    """One note."""
    tables = []
    for table in note.tables:
        rows = []
        for row in table.rows:
            unit = row.unit or table.unit
            item: dict[str, Any] = {
                "key": row.key,
                "label": row.label,
                "values": {k: presented(v, unit) for k, v in row.values.items()},
                "kind": row.kind.value,
            }
            if row.text_values:
                item["text_values"] = dict(row.text_values)
            if row.unit:
                item["unit"] = row.unit
            item["exact"] = {k: str(v) for k, v in row.values.items() if v is not None}
            rows.append(item)
        tables.append(
            {
                "caption": table.caption,
                "unit": table.unit,
                "columns": [{"key": c.key, "label": c.label} for c in table.columns],
                "text_columns": [{"key": c.key, "label": c.label} for c in table.text_columns],
                "rows": rows,
            }
        )
    document: dict[str, Any] = {"title": note.title, "tables": tables}
    if note.text:
        document["text"] = [text_block(b) for b in note.text]
    if note.figures:
        document["narrative_figures"] = [
            {"key": f.key, "text": f.text, "value": f.value, "source": f.source}
            for f in note.figures
        ]
    return document


def text_block(block: TextBlock) -> dict[str, Any]:
    """One block of a note's text."""
    if block.kind == "table":
        return {"kind": "table", "table": block.table}
    if block.kind == "list":
        return {"kind": "list", "items": list(block.items)}
    return {"kind": block.kind, "text": block.text}


def report_document(report: Report) -> dict[str, Any]:
    """The whole report as plain JSON-ready data."""
    status: dict[str, Any] = {}
    if report.preliminary:
        status["status"] = {
            "preliminary": report.preliminary,
            "booked_to": report.booked_to.isoformat() if report.booked_to else None,
            "rules_booked_to": (
                report.rules_booked_to.isoformat() if report.rules_booked_to else None
            ),
            "prior_to": report.prior_to.isoformat() if report.prior_to else None,
            **({"texts_after_period": list(report.texts_after_period)}
               if report.texts_after_period else {}),
        }
    return {
        "entity": report.entity,
        "year": str(report.year),
        **status,
        "unit": "NOK",
        "statements": {s.key: statement_rows(s) for s in report.statements},
        **({"headings": {s.key: dict(zip(s.years, s.headings, strict=True))
                         for s in report.statements}}
           if any(s.headings for s in report.statements) else {}),
        "notes": {n.number: note_document(n) for n in report.notes},
        "tieouts": [
            {
                "check_id": t.check_id,
                "description": t.description,
                "status": t.status.value,
                "left": str(t.left),
                "right": None if t.right is None else str(t.right),
                "difference": None if t.difference is None else str(t.difference),
                "detail": t.detail,
                **({"missing": t.missing} if t.right is None else {}),
            }
            for t in report.tieouts
        ],
        "inconsistencies": [
            {
                "check_id": f.check_id,
                "where": f.where,
                "formula": f.formula,
                "published": str(f.published),
                "recomputed": str(f.recomputed),
                "difference": str(f.difference),
                "severity": f.severity,
                "explanation": f.explanation,
            }
            for f in report.published_findings
        ],
        "ledger_errors": list(report.ledger_errors),
        "findings": [
            {
                "kind": f.kind,
                "message": f.message,
                "location": f.location,
                "year": f.year,
                "amount": str(f.amount),
            }
            for f in report.findings
        ],
        **(
            {"text_findings": [vars(f) for f in report.text_findings]}
            if report.text_findings
            else {}
        ),
    }


def render_json(report: Report) -> bytes:
    """UTF-8 JSON, indented, keys in document order."""
    return (json.dumps(report_document(report), ensure_ascii=False, indent=2) + "\n").encode()
