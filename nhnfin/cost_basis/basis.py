"""The cost basis TBU sees (tallgrunnlaget): budget, forecast and actual per solution and cost
element, who pays, unit costs, and the change log between two versions.

Pure: :func:`build` takes loaded entries and returns a frozen :class:`CostBasis` of exact
Decimals; ``nhnfin.reports.cost_basis`` lays it out and renders it. The rules:

- *budget* and *forecast* are two chosen versions (``nhnfin-budget-version``); by default the
  latest-dated budget and the latest-dated forecast with lines in the year. *Actual* is the D&F
  cost booked in the year (:mod:`nhnfin.cost_basis.facts`).
- Variances follow TBU's tables: budget − forecast and budget − actual, so a positive variance
  is a cost below budget (mindreforbruk).
- Who pays: per funding source (regulation, investment funds, or a declared ``nhnfin-funding``),
  by the ready-for-management rule of :mod:`nhnfin.cost_basis.facts`.
- Unit cost = amount / volume (``nhnfin-volume``), to the øre, half up.
- Change log (:mod:`nhnfin.cost_basis.changes`): per solution, year, element, driver and funding,
  every difference between two versions with the note the later version gives for it.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field
from decimal import ROUND_HALF_UP
from decimal import Decimal
from typing import Any

from nhnfin.cost_basis.changes import Bridge
from nhnfin.cost_basis.changes import ChangeLog
from nhnfin.cost_basis.changes import bridges
from nhnfin.cost_basis.changes import change_log
from nhnfin.cost_basis.directives import CostBasisConfig
from nhnfin.cost_basis.directives import Version
from nhnfin.cost_basis.directives import parse
from nhnfin.cost_basis.drills import CellDrills
from nhnfin.cost_basis.drills import cost_accounts
from nhnfin.cost_basis.facts import ACTUAL
from nhnfin.cost_basis.facts import Fact
from nhnfin.cost_basis.facts import actual_facts
from nhnfin.cost_basis.facts import total
from nhnfin.cost_basis.facts import version_facts
from nhnfin.drill import declared
from nhnfin.drill import ratio
from nhnfin.errors import NhnfinError
from nhnfin.model import Drill
from nhnfin.model import Kind
from nhnfin.money import ORE


class CostBasisError(ValueError):
    """The arguments do not fit the ledger (an unknown version, no versions at all)."""


@dataclass(frozen=True)
class Comparison:
    """Budget, forecast and actual of one row (None: that version was not chosen); ``drills``:
    what makes each figure, by measure (budget, forecast, actual, forecast_variance,
    actual_variance; :mod:`nhnfin.cost_basis.drills`)."""

    key: str
    label: str
    budget: Decimal | None
    forecast: Decimal | None
    actual: Decimal
    kind: Kind = Kind.ITEM
    drills: dict[str, Drill] = field(default_factory=dict, compare=False)

    @property
    def forecast_variance(self) -> Decimal | None:
        """Budget − forecast (positive: forecast below budget)."""
        if self.budget is None or self.forecast is None:
            return None
        return self.budget - self.forecast

    @property
    def actual_variance(self) -> Decimal | None:
        """Budget − actual (positive: actual below budget)."""
        return None if self.budget is None else self.budget - self.actual


@dataclass(frozen=True)
class FundingRow:
    """What one funding source pays of a solution (or of all, ``solution`` = "")."""

    solution: str
    funding: str
    label: str
    figures: Comparison
    ready: datetime.date | None


@dataclass(frozen=True)
class UnitCost:
    """Cost per unit of volume, to the øre."""

    solution: str
    label: str
    volume: Decimal
    unit: str
    budget: Decimal | None
    forecast: Decimal | None
    actual: Decimal
    drills: dict[str, Drill] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class CostBasis:
    """Everything TBU sees for one year; ``names``: the labels of the solution, element and
    funding ids, under those three keys."""

    year: int
    budget: Version | None
    forecast: Version | None
    solutions: tuple[Comparison, ...]
    detail: tuple[Comparison, ...]
    elements: tuple[Comparison, ...]
    funding: tuple[FundingRow, ...]
    unit_costs: tuple[UnitCost, ...]
    changes: ChangeLog | None
    bridges: tuple[Bridge, ...]
    errors: tuple[NhnfinError, ...]
    names: dict[str, dict[str, str]]


def pick_versions(config: CostBasisConfig, year: int, chosen: Sequence[str] | None
                  ) -> tuple[Version | None, Version | None]:
    """The budget and forecast versions: the ones named, or the latest of each kind in ``year``.

    Raises:
        CostBasisError: a named version is not declared.
    """
    if chosen:
        unknown = [v for v in chosen if v not in config.versions]
        if unknown:
            known = ", ".join(config.versions) or "ingen er oppgitt"
            raise CostBasisError(f"ukjent versjon {unknown[0]!r} (kjente versjoner: {known})")
        first = config.versions[chosen[0]]
        return first, config.versions[chosen[1]] if len(chosen) > 1 else None
    in_year = {line.version for line in config.lines if line.period.year == year}
    latest: dict[str, Version] = {}
    for version in config.versions.values():
        if version.id in in_year and (version.kind not in latest
                                      or version.date > latest[version.kind].date):
            latest[version.kind] = version
    return latest.get("budget"), latest.get("forecast")


def _compare(cells: CellDrills, facts: list[Fact], budget: Version | None,
             forecast: Version | None, key: str, label: str, kind: Kind = Kind.ITEM,
             **where: Any) -> Comparison:
    return Comparison(
        key, label,
        None if budget is None else total(facts, source=budget.id, **where),
        None if forecast is None else total(facts, source=forecast.id, **where),
        total(facts, source=ACTUAL, **where), kind,
        cells.comparison(facts, budget, forecast, **where))


def _used(facts: Iterable[Fact], attribute: str, order: Iterable[str]) -> list[str]:
    present = {getattr(f, attribute) for f in facts}
    return [k for k in order if k in present]


def build(entries: list[Any], year: int, versions: Sequence[str] | None = None,
          changes: Sequence[str] | None = None) -> CostBasis:
    """The cost basis of ``year`` from loaded ``entries``.

    Args:
        entries: the ledger's directives (plugins already run).
        year: the calendar year.
        versions: ``(budget, forecast)`` version ids; default: the latest of each kind.
        changes: ``(from, to)`` for the change log; default: ``versions``.

    Raises:
        CostBasisError: a named version is unknown.
    """
    config, errors = parse(entries)
    budget, forecast = pick_versions(config, year, versions)
    actuals, actual_errors = actual_facts(entries, config)
    chosen = [v for v in (budget, forecast) if v is not None]
    every = [*actuals, *(f for v in chosen for f in version_facts(config, v.id))]
    facts = [f for f in every if f.year == year]
    cells = CellDrills(config, cost_accounts(entries), year)
    solutions = _used(facts, "solution", config.solutions)
    elements = _used(facts, "element", config.elements)
    rows = [_compare(cells, facts, budget, forecast, s, config.solutions[s], solution=s)
            for s in solutions]
    rows.append(_compare(cells, facts, budget, forecast, "sum", "Sum", Kind.TOTAL))
    detail = []
    for sid in solutions:
        detail.append(_compare(cells, facts, budget, forecast, sid, config.solutions[sid],
                               Kind.SUBTOTAL, solution=sid))
        detail.extend(_compare(cells, facts, budget, forecast, f"{sid}/{e}",
                               config.elements[e].name, solution=sid, element=e)
                      for e in _used([f for f in facts if f.solution == sid], "element",
                                     config.elements))
    by_element = [_compare(cells, facts, budget, forecast, e, config.elements[e].name, element=e)
                  for e in elements]
    by_element.append(_compare(cells, facts, budget, forecast, "sum", "Sum", Kind.TOTAL))
    pair = changes or ([budget.id, forecast.id] if budget and forecast else None)
    if pair is not None:
        pick_versions(config, year, pair)  # raises for an unknown id
    return CostBasis(
        year, budget, forecast, tuple(rows), tuple(detail), tuple(by_element),
        funding_rows(cells, facts, solutions, budget, forecast),
        unit_costs(config, year, rows),
        change_log(config, pair[0], pair[1]) if pair and len(pair) == 2 else None,
        bridges(config, year, budget, forecast, solutions),
        (*errors, *actual_errors),
        {"solution": dict(config.solutions), "funding": dict(config.funding),
         "element": {k: e.name for k, e in config.elements.items()}})


def funding_rows(cells: CellDrills, facts: list[Fact], solutions: list[str],
                 budget: Version | None, forecast: Version | None) -> tuple[FundingRow, ...]:
    """Per solution each funding source that pays part of it, then the total per source."""
    config = cells.config
    result = []
    for sid in solutions:
        mine = [f for f in facts if f.solution == sid]
        ready = config.ready.get(sid)
        for funding in _used(mine, "funding", config.funding):
            figures = _compare(cells, mine, budget, forecast, f"{sid}/{funding}",
                               config.funding[funding], solution=sid, funding=funding)
            result.append(FundingRow(sid, funding, config.solutions[sid], figures,
                                     ready.date if ready else None))
    for funding in _used(facts, "funding", config.funding):
        figures = _compare(cells, facts, budget, forecast, f"sum/{funding}",
                           config.funding[funding], Kind.SUBTOTAL, funding=funding)
        result.append(FundingRow("", funding, "Sum", figures, None))
    return tuple(result)


def _per_unit(amount: Decimal | None, volume: Decimal) -> Decimal | None:
    if amount is None:
        return None
    return (amount / volume).quantize(ORE, rounding=ROUND_HALF_UP)


def unit_costs(config: CostBasisConfig, year: int, rows: Iterable[Comparison]
               ) -> tuple[UnitCost, ...]:
    """Unit costs of the solutions with a volume declared for ``year``."""
    result = []
    for row in rows:
        volume = config.volumes.get((row.key, year))
        if volume is None:
            continue
        actual = _per_unit(row.actual, volume.count)
        assert actual is not None  # actual is never None
        count = declared([(volume.meta, "count")], "Volum")
        per_unit = {k: ratio(d, count, f"Per {volume.unit}") for k, d in row.drills.items()
                    if k in ("budget", "forecast", "actual")}
        result.append(UnitCost(row.key, row.label, volume.count, volume.unit,
                               _per_unit(row.budget, volume.count),
                               _per_unit(row.forecast, volume.count), actual,
                               {**per_unit, "volume": count}))
    return tuple(result)
