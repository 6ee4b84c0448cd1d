"""Build the annual-report document for a fiscal year from a ledger: the three statements, the notes
the rules provide, the tie-outs, the rules' findings (:mod:`nhnfin.findings`), and, when the
published report is given, where the ledger and the published report differ and where the published
report does not add up.

This is the one code path behind ``nhnfin report`` and the Fava pages.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from beancount.core import data
from beancount.parser import printer

from nhnfin.findings import collect_findings
from nhnfin.findings import finding_tieouts
from nhnfin.layout import Layout
from nhnfin.ledger import Ledger
from nhnfin.mapping import mapping_errors
from nhnfin.mapping import resolve_layout
from nhnfin.model import Note
from nhnfin.model import PublishedFinding
from nhnfin.model import Report
from nhnfin.model import TieOut
from nhnfin.notes import builders
from nhnfin.published import ledger_findings
from nhnfin.published import load_published
from nhnfin.published import note_table_findings
from nhnfin.published import published_findings
from nhnfin.statements import build_statements
from nhnfin.tieouts import statement_tieouts

PUBLISHED_DIRECTIVE = "nhnfin-published"


class ReportError(Exception):
    """The report cannot be built (the message says why and where)."""


def published_path(entries: list[Any]) -> Path | None:
    """The file named by the ledger's ``custom "nhnfin-published" "path"``, if any."""
    for entry in entries:
        if isinstance(entry, data.Custom) and entry.type == PUBLISHED_DIRECTIVE and entry.values:
            value = entry.values[0].value
            if isinstance(value, str):
                path = Path(value)
                if not path.is_absolute():
                    path = Path(entry.meta.get("filename", ".")).parent / path
                return path
    return None


def entity_name(ledger: Ledger) -> str:
    """The ledger's title option (the entity's name)."""
    title = ledger.options_map.get("title")
    return str(title) if title else "Regnskap"


def build_notes(ledger: Ledger, year: int) -> tuple[tuple[Note, ...], tuple[TieOut, ...]]:
    """Run every registered note builder; builders with nothing to show are left out."""
    notes: list[Note] = []
    tieouts: list[TieOut] = []
    for build in builders().values():
        result = build(ledger, year)
        if result is not None:
            notes.append(result.note)
            tieouts.extend(result.tieouts)
    return tuple(notes), tuple(tieouts)


def layout_for(ledger: Ledger) -> Layout:
    """The ledger's layout; ReportError with the location when it is invalid."""
    layout, errors = resolve_layout(ledger.entries)
    if layout is None:
        raise ReportError("\n".join(printer.format_error(e).strip() for e in errors))
    return layout


def build_report(ledger: Ledger, year: int, published: Path | None = None) -> Report:
    """The report for ``year`` with the prior year beside each figure.

    Args:
        ledger: the loaded ledger.
        year: the fiscal year.
        published: a published report (JSON) to compare with; by default the file named by the
            ledger's ``custom "nhnfin-published"`` directive, if any.

    Raises:
        ReportError: the layout is invalid, or the ledger does not cover ``year``.
    """
    layout = layout_for(ledger)
    if year not in ledger.fiscal_years():
        raise ReportError(
            f"the ledger has no postings in {year} (it has {ledger.years()})"
            if ledger.years() else f"the ledger has neither postings nor accounts opened in {year}")
    statements = build_statements(layout, ledger, year)
    income, balance, cash_flow = (
        next(s for s in statements if s.key == k)
        for k in ("income_statement", "balance_sheet", "cash_flow")
    )
    notes, note_tieouts = build_notes(ledger, year)
    first = min(ledger.years(), default=None)
    opening_year = str(first) if first is not None else None
    findings_of_year = collect_findings(ledger, year)
    tieouts = (statement_tieouts(income, balance, cash_flow, opening_year) + note_tieouts
               + finding_tieouts(findings_of_year))
    errors = [*ledger.errors, *mapping_errors(layout, ledger.entries)]
    findings: tuple[PublishedFinding, ...] = ()
    source = published or published_path(ledger.entries)
    if source is not None:
        try:
            document = load_published(source)
        except (OSError, ValueError) as exc:
            raise ReportError(f"cannot read the published report {source}: {exc}") from exc
        findings = tuple(
            published_findings(layout, ledger, document)
            + note_table_findings(notes, document)
            + ledger_findings(statements, notes, document)
        )
    return Report(
        entity=entity_name(ledger),
        year=year,
        years=(str(year), str(year - 1)),
        statements=statements,
        notes=notes,
        tieouts=tieouts,
        published_findings=findings,
        ledger_errors=tuple(_unique(printer.format_error(e).strip() for e in errors)),
        findings=findings_of_year,
    )


def _unique(items: Any) -> list[str]:
    seen: dict[str, None] = {}
    for item in items:
        seen.setdefault(item, None)
    return list(seen)
