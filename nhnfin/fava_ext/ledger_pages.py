"""The Fava pages beside the annual report: the cost basis TBU sees, and grant usage for auditors.

Each page is listed only when the ledger declares what it needs: **Kostnadsgrunnlag** when it
has cost-basis directives (:mod:`nhnfin.cost_basis.directives`), **Bruk av tilskudd** when it
declares a grant (``custom "nhnfin-grant"``). Neither needs the annual report, so both work on a
ledger the report cannot be built from (the cost-basis example has no report layout).

- Cost basis: the tables of :func:`nhnfin.reports.cost_basis.cost_basis_grids`, the same figures
  as ``nhnfin cost-basis``; the versions compared are chosen with ``?budget=`` and
  ``?forecast=`` (``--versions BUDGET,FORECAST``); without them, the function's default (the
  latest of each kind with lines in the year). Without a time filter the year is the last year
  a budget version has lines for (:func:`budget_year`).
- Grant usage: the table of :func:`nhnfin.grants.usage.build`, each account's figure a link
  to the postings behind it (the same drill-down as the notes).

Like :mod:`nhnfin.fava_ext.views`, nothing here knows Flask.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from beancount.core import data
from fava.beans.funcs import hash_entry

from nhnfin.cost_basis.basis import CostBasisError
from nhnfin.cost_basis.basis import pick_versions
from nhnfin.cost_basis.directives import PARSERS
from nhnfin.cost_basis.directives import CostBasisConfig
from nhnfin.fava_ext.views import Cell
from nhnfin.fava_ext.views import Page
from nhnfin.fava_ext.views import Row
from nhnfin.fava_ext.views import Table
from nhnfin.fava_ext.views import drill_title
from nhnfin.fava_ext.views import drill_url
from nhnfin.fava_ext.views import tables_of_note
from nhnfin.model import Drill
from nhnfin.model import Kind
from nhnfin.model import Note
from nhnfin.provenance import RULE
from nhnfin.provenance import SOURCE
from nhnfin.reports.grant_usage import usage_grids
from nhnfin.reports.grid import Grid
from nhnfin.reports.text import NBSP
from nhnfin.reports.text import cell_text

COST_BASIS = "cost-basis"
GRANT_USAGE = "grant-usage"
LABELS = {COST_BASIS: "Kostnadsgrunnlag", GRANT_USAGE: "Bruk av tilskudd"}


@dataclass(frozen=True)
class VersionChoice:
    """The versions a reader can compare, as (id, label), and the pair shown."""

    versions: tuple[tuple[str, str], ...]
    budget: str | None
    forecast: str | None


def has_cost_basis(entries: Iterable[Any]) -> bool:
    """Whether the ledger declares any cost-basis directive (version, budget line, element...)."""
    return any(isinstance(e, data.Custom) and e.type in PARSERS for e in entries)


def budget_year(config: CostBasisConfig) -> int | None:
    """The cost-basis page's year without a time filter: the last year a budget version has
    lines for, else the last year of any version's lines (forecasts may reach years ahead)."""
    budgets = {v.id for v in config.versions.values() if v.kind == "budget"}
    years = [line.period.year for line in config.lines if line.version in budgets]
    return max(years or [line.period.year for line in config.lines], default=None)


def chosen_versions(config: CostBasisConfig, year: int, budget: str | None,
                    forecast: str | None) -> list[str] | None:
    """The ``versions`` argument for the query parameters ``budget`` and ``forecast``.

    None when neither is given (the default versions); a missing one is the default of its kind.

    Raises:
        CostBasisError: only a forecast is given and the year has no budget version.
    """
    if not budget and not forecast:
        return None
    default_budget, default_forecast = pick_versions(config, year, None)
    first = budget or (default_budget.id if default_budget else None)
    second = forecast or (default_forecast.id if default_forecast else None)
    if first is None:
        raise CostBasisError(f"ingen budsjettversjon har linjer i {year}: velg en med ?budget=")
    return [first] if second is None else [first, second]


def version_choice(config: CostBasisConfig, year: int, chosen: Sequence[str] | None
                   ) -> VersionChoice:
    """Every declared version, and the pair the page shows: ``chosen``, else the defaults.

    Any version may be compared with any other (as ``--versions`` allows), so both lists hold
    all of them, labelled with their kind and date.
    """
    versions = tuple((v.id, f"{v.id} ({v.kind}, {v.date.isoformat()})")
                     for v in config.versions.values())
    if chosen:
        return VersionChoice(versions, chosen[0], chosen[1] if len(chosen) > 1 else None)
    budget, forecast = pick_versions(config, year, None)
    return VersionChoice(versions, budget.id if budget else None,
                         forecast.id if forecast else None)


def grid_cell(value: Any, unit: str | None, drill: Drill | None, query_page: str) -> Cell:
    """A grid's cell formatted as the CLI formats it; a figure links to what makes it."""
    text = cell_text(value, unit, NBSP)
    if not isinstance(value, Decimal):
        return Cell(text)
    if drill is None:
        return Cell(text, numeric=True, value=value)
    return Cell(text, drill_url(query_page, drill), drill_title(drill), numeric=True,
                value=value, drill=drill)


def grid_table(grid: Grid, query_page: str) -> Table:
    """A grid as a page table, each figure a link to its drill (``GridRow.drills``)."""
    rows = tuple(
        Row(row.key,
            tuple(grid_cell(c, row.unit, d, query_page) for c, d in
                  zip(row.cells, row.drills or (None,) * len(row.cells), strict=True)),
            "item" if row.kind == Kind.ITEM else "sum")
        for row in grid.rows
    )
    return Table(grid.key, grid.title, grid.header, rows)


def cost_basis_page(grids: Sequence[Grid], query_page: str) -> Page:
    """Every cost-basis table, in the order ``nhnfin cost-basis`` prints them, each figure a
    link to its budget lines, postings or both (:mod:`nhnfin.cost_basis.drills`)."""
    return Page(COST_BASIS, LABELS[COST_BASIS], tuple(grid_table(g, query_page) for g in grids))


def grant_usage_page(note: Note, query_page: str) -> Page:
    """The grant-usage table, each account's figure linked to its postings, keyed and titled as
    ``nhnfin grant-usage`` prints it."""
    tables = tuple(
        replace(table, key=grid.key, title=grid.title)
        for table, grid in zip(tables_of_note(note, query_page), usage_grids(note), strict=True)
    )
    return Page(GRANT_USAGE, LABELS[GRANT_USAGE], tables)


def written_block(lines: Sequence[str], lineno: int) -> str:
    """A directive as written: its line and the indented lines under it (its metadata)."""
    block = [lines[lineno - 1]] if 0 < lineno <= len(lines) else []
    for line in lines[lineno:]:
        if not line[:1].isspace() or not line.strip():
            break
        block.append(line)
    return "\n".join(block)


def generating_directives(entries: Sequence[Any]) -> list[dict[str, Any]]:
    """Every directive some rule generated entries from (``nhnfin-source`` file:line): its file,
    line, Fava's entry hash, its text as written and, per rule, how many entries it generates."""
    counts: dict[str, dict[str, int]] = {}
    for entry in entries:
        meta = getattr(entry, "meta", None) or {}
        source, rule = meta.get(SOURCE), meta.get(RULE)
        if isinstance(source, str) and isinstance(rule, str):
            rules = counts.setdefault(source, {})
            rules[rule] = rules.get(rule, 0) + 1
    texts: dict[str, list[str]] = {}
    found = []
    for entry in entries:
        meta = getattr(entry, "meta", None) or {}
        file, line = str(meta.get("filename")), int(meta.get("lineno", 0))
        if f"{file}:{line}" not in counts or RULE in meta:
            continue
        if file not in texts:
            path = Path(file)
            texts[file] = path.read_text("utf-8").splitlines() if path.is_file() else []
        found.append({"file": file, "line": line, "hash": hash_entry(entry),
                      "block": written_block(texts[file], line),
                      "generates": counts[f"{file}:{line}"]})
    return found
