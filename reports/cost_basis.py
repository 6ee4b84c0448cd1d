"""The cost basis (:mod:`nhnfin.cost_basis`) laid out as grids and rendered to Markdown, XLSX
and JSON with the same grid, number-format and sheet helpers as ``nhnfin report``.

:func:`cost_basis_grids` is also what the Fava page renders. Amounts are exact in the grids and
rounded to whole kroner line by line when formatted; unit costs are NOK to the øre.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from collections.abc import Sequence
from decimal import Decimal

from nhnfin.cost_basis.basis import Comparison
from nhnfin.cost_basis.basis import CostBasis
from nhnfin.cost_basis.basis import build
from nhnfin.cost_basis.changes import Bridge
from nhnfin.cost_basis.changes import ChangeLog
from nhnfin.cost_basis.directives import Version
from nhnfin.cost_basis.investment_plan import PlanLine
from nhnfin.errors import location
from nhnfin.ledger import Ledger
from nhnfin.model import Drill
from nhnfin.model import Kind

from .grid import Grid
from .grid import GridRow
from .grid_render import json_tables
from .text import grids_markdown
from .xlsx import grids_workbook

FORMATS = ("md", "xlsx", "json")
VARIANCES = ("Avvik budsjett − prognose", "Avvik budsjett − regnskap")


def _label(version: Version | None, kind: str) -> str:
    return f"{kind} ({version.id})" if version else f"{kind} (ingen)"


def _measures(basis: CostBasis) -> tuple[str, ...]:
    return (_label(basis.budget, "Budsjett"), _label(basis.forecast, "Prognose"), "Regnskap")


MEASURES = ("budget", "forecast", "actual", "forecast_variance", "actual_variance")


def _cells(row: Comparison) -> tuple[Decimal | None, ...]:
    return (row.budget, row.forecast, row.actual, row.forecast_variance, row.actual_variance)


def _drills(drills: Mapping[str, Drill], keys: Sequence[str | None]) -> tuple[Drill | None, ...]:
    """The drills of a row's cells, in the cells' order (None for a cell of text)."""
    return tuple(drills.get(k) if k else None for k in keys)


def comparison_grid(key: str, title: str, first: str, basis: CostBasis,
                    rows: Sequence[Comparison]) -> Grid:
    """Rows of budget, forecast, actual and the two variances."""
    return Grid(key, title, (first, *_measures(basis), *VARIANCES),
                tuple(GridRow(r.key, (r.label, *_cells(r)), r.kind,
                              drills=_drills(r.drills, (None, *MEASURES))) for r in rows))


def versions_grid(basis: CostBasis) -> Grid:
    """The versions compared, with their dates and notes."""
    rows = [GridRow(v.id, (v.id, v.kind, v.date.isoformat(), v.note))
            for v in (basis.budget, basis.forecast) if v is not None]
    return Grid("versions", f"Versjoner {basis.year}", ("Versjon", "Art", "Dato", "Merknad"),
                tuple(rows))


def funding_grid(basis: CostBasis) -> Grid:
    """Who pays: per solution the part under the regulation, paid by investment funds, ..."""
    rows = tuple(GridRow(
        r.figures.key,
        (r.label, r.figures.label, r.figures.budget, r.figures.forecast, r.figures.actual,
         r.ready.isoformat() if r.ready else ""), r.figures.kind,
        drills=_drills(r.figures.drills, (None, None, *MEASURES[:3], None)))
        for r in basis.funding)
    return Grid("funding", f"Finansiering {basis.year}: under forskrift og satsingsmidler",
                ("Løsning", "Finansiering", *_measures(basis), "Klar for forvaltning"), rows)


def unit_cost_grid(basis: CostBasis) -> Grid:
    """Unit costs (NOK per unit, to the øre)."""
    rows = tuple(GridRow(u.solution, (u.label, u.unit, u.volume, u.budget, u.forecast, u.actual),
                         unit=u.unit,
                         drills=_drills(u.drills, (None, None, "volume", *MEASURES[:3])))
                 for u in basis.unit_costs)
    return Grid("unit-costs", f"Enhetskostnader {basis.year} (NOK per enhet)",
                ("Løsning", "Enhet", "Volum", *_measures(basis)), rows)


def bridge_grid(basis: CostBasis, bridge: Bridge) -> Grid:
    """One solution's growth into the year, in both versions, with the comments."""
    rows = tuple(GridRow(r.key, (r.label, r.budget, r.forecast, r.note), r.kind,
                         drills=_drills(r.drills, (None, "budget", "forecast", None)))
                 for r in bridge.rows)
    return Grid(f"bridge/{bridge.solution}", f"{bridge.label}: vekst til {bridge.year}",
                ("", *_measures(basis)[:2], "Kommentar"), rows)


def change_grid(changes: ChangeLog, names: dict[str, dict[str, str]]) -> Grid:
    """The change log: every difference, by how much, and the note given with it."""
    rows = tuple(GridRow(
        f"{c.solution}/{c.year}/{c.element}/{c.driver}/{c.funding}",
        (names["solution"].get(c.solution, c.solution), str(c.year),
         names["element"].get(c.element, c.element), c.driver,
         names["funding"].get(c.funding, c.funding),
         c.before, c.after, c.change, c.note or "(ingen forklaring)"),
        drills=_drills(c.drills, (None,) * 5 + ("before", "after", "change", None)))
        for c in changes.lines)
    total = GridRow("sum", ("Sum", "", "", "", "", None, None, changes.net_change, ""), Kind.TOTAL,
                    drills=(None,) * 7 + (changes.net_change_drill, None))
    return Grid("changes", f"Endringslogg {changes.before.id} → {changes.after.id}",
                ("Løsning", "År", "Kostnadselement", "Linje", "Finansiering",
                 f"Før ({changes.before.id})", f"Etter ({changes.after.id})", "Endring",
                 "Forklaring"), (*rows, total))


def grids(basis: CostBasis) -> list[Grid]:
    """Every table of the cost basis, in print order."""
    result = [versions_grid(basis),
              comparison_grid("solutions", f"Kostnadsgrunnlag {basis.year} per løsning",
                              "Løsning", basis, basis.solutions),
              comparison_grid("elements", f"Kostnadsgrunnlag {basis.year} per kostnadselement",
                              "Kostnadselement", basis, basis.elements),
              comparison_grid("detail", f"Kostnadsgrunnlag {basis.year} per løsning og "
                              "kostnadselement", "", basis, basis.detail),
              funding_grid(basis)]
    if basis.unit_costs:
        result.append(unit_cost_grid(basis))
    result.extend(bridge_grid(basis, b) for b in basis.bridges)
    if basis.changes is not None:
        result.append(change_grid(basis.changes, basis.names))
    if basis.errors:
        result.append(Grid("errors", "Feil i kostnadsgrunnlaget", ("Sted", "Feil"), tuple(
            GridRow(str(i), (location(e.source), e.message)) for i, e in enumerate(basis.errors))))
    return result


def cost_basis_grids(ledger: Ledger, year: int, versions: Sequence[str] | None = None
                     ) -> list[Grid]:
    """The cost-basis tables of ``ledger`` for ``year`` (for the Fava page).

    Args:
        ledger: the loaded ledger (``nhnfin.ledger.Ledger``; its plugins already run).
        year: the calendar year.
        versions: ``(budget, forecast)`` version ids; default: the latest of each kind.

    Raises:
        nhnfin.cost_basis.CostBasisError: a named version is not declared.
    """
    return grids(build(ledger.entries, year, versions))


def render_markdown(basis: CostBasis) -> bytes:
    """All tables as Markdown."""
    return grids_markdown(f"Kostnadsgrunnlag nasjonale e-helseløsninger {basis.year}", grids(basis))


def render_xlsx(basis: CostBasis) -> bytes:
    """One sheet per table; amounts as whole kroner with the report's number format."""
    return grids_workbook(grids(basis))


def render_json(basis: CostBasis) -> bytes:
    """Every table with exact amounts (strings) beside the presented whole kroner."""
    document = {
        "year": basis.year,
        "budget": basis.budget.id if basis.budget else None,
        "forecast": basis.forecast.id if basis.forecast else None,
        "unexplained_changes": basis.changes.unexplained if basis.changes else None,
        "tables": json_tables(grids(basis)),
    }
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode()


RENDERERS = {"md": render_markdown, "xlsx": render_xlsx, "json": render_json}


def investment_grids(lines: Sequence[PlanLine]) -> list[Grid]:
    """Planned vs booked per initiative and year, then plan and booked as year-by-year tables."""
    rows: list[GridRow] = []
    initiatives = dict.fromkeys((line.initiative, line.label) for line in lines)
    years = sorted({line.year for line in lines})
    for sid, label in initiatives:
        mine = [line for line in lines if line.initiative == sid]
        rows.extend(GridRow(f"{sid}/{x.year}", (label, str(x.year), x.plan, x.low, x.high,
                                                 x.booked, x.variance, x.status)) for x in mine)
        rows.append(GridRow(sid, (f"Sum {label}", "", *(sum((getattr(x, a) for x in mine),
                                                             Decimal(0))
                                                         for a in ("plan", "low", "high",
                                                                   "booked", "variance")), ""),
                            Kind.SUBTOTAL))
    detail = Grid("investment", "Investeringsbehov per tiltak: plan og bokført",
                  ("Tiltak", "År", "Plan (median)", "Min", "Maks", "Bokført",
                   "Avvik bokført − plan", "Status"), tuple(rows))
    return [detail, *(_matrix(lines, initiatives, years, a, t) for a, t in (
        ("plan", "Investeringsplan per tiltak og år (median)"),
        ("booked", "Bokført investering per tiltak og år")))]


def _matrix(lines: Sequence[PlanLine], initiatives: dict[tuple[str, str], None],
            years: list[int], attribute: str, title: str) -> Grid:
    def cell(sid: str | None, year: int | None) -> Decimal:
        return sum((getattr(x, attribute) for x in lines
                    if sid in (None, x.initiative) and year in (None, x.year)), Decimal(0))

    rows = [GridRow(sid, (label, *(cell(sid, y) for y in years), cell(sid, None)))
            for sid, label in initiatives]
    rows.append(GridRow("sum", ("SUM", *(cell(None, y) for y in years), cell(None, None)),
                        Kind.TOTAL))
    return Grid(f"investment-{attribute}", title, ("Tiltak", *map(str, years), "Sum"),
                tuple(rows))
