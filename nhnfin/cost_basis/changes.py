"""What changed between two versions of the cost basis, and why (endringslogg), and each
solution's growth from one year to the next within a version (TBU's per-solution tables).

Change log: the two versions' lines are summed per solution, year, cost element, driver and
funding source; every sum that differs is a line with the amount before, after, the change, and
the ``note:`` the later version gives on that line (several notes are joined with "; "). A change
the later version does not explain has an empty note, and :attr:`ChangeLog.unexplained` counts
them: TBU asks that every difference be explained.

Growth bridge (year Y in a version): the version's total for Y−1, then each driver of its Y lines
(lines with ``driver:``), then whatever the driverless Y lines (the carried base) differ from Y−1
("annen endring"), the growth Y − (Y−1) and the need for Y. Pure functions, exact Decimals.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field
from decimal import Decimal

from nhnfin.cost_basis.directives import CostBasisConfig
from nhnfin.cost_basis.directives import Version
from nhnfin.cost_basis.drills import version_drill
from nhnfin.cost_basis.facts import Fact
from nhnfin.cost_basis.facts import total
from nhnfin.cost_basis.facts import version_facts
from nhnfin.drill import total as total_drill
from nhnfin.model import Drill
from nhnfin.model import Kind

ChangeKey = tuple[str, int, str, str, str]  # solution, year, element, driver, funding


@dataclass(frozen=True)
class ChangeLine:
    """One difference between two versions."""

    solution: str
    year: int
    element: str
    driver: str
    funding: str
    before: Decimal
    after: Decimal
    note: str
    drills: dict[str, Drill] = field(default_factory=dict, compare=False)

    @property
    def change(self) -> Decimal:
        """After − before."""
        return self.after - self.before


@dataclass(frozen=True)
class ChangeLog:
    """Every difference from ``before`` to ``after``."""

    before: Version
    after: Version
    lines: tuple[ChangeLine, ...]

    @property
    def unexplained(self) -> int:
        """How many changes have no note."""
        return sum(1 for line in self.lines if not line.note)

    @property
    def net_change(self) -> Decimal:
        """The sum of all changes."""
        return sum((line.change for line in self.lines), Decimal(0))

    @property
    def net_change_drill(self) -> Drill:
        """What makes the net change: every line's change."""
        return total_drill(((1, line.drills["change"]) for line in self.lines if line.drills),
                           "Sum endringer")



def _key(fact: Fact) -> ChangeKey:
    return (fact.solution, fact.year, fact.element, fact.driver, fact.funding)


def change_log(config: CostBasisConfig, before: str, after: str) -> ChangeLog:
    """The change log from version ``before`` to version ``after`` (every year of both)."""
    old, new = version_facts(config, before), version_facts(config, after)
    order: dict[ChangeKey, int] = {}
    for fact in [*new, *old]:
        order.setdefault(_key(fact), len(order))
    solutions = list(config.solutions)

    def rank(key: ChangeKey) -> tuple[int, int, int]:
        position = solutions.index(key[0]) if key[0] in solutions else len(solutions)
        return (position, key[1], order[key])

    lines = []
    for key in sorted(order, key=rank):
        was = sum((f.amount for f in old if _key(f) == key), Decimal(0))
        now = sum((f.amount for f in new if _key(f) == key), Decimal(0))
        if was == now:
            continue
        notes = dict.fromkeys(f.note for f in new if _key(f) == key and f.note)
        was_drill = version_drill([f for f in old if _key(f) == key], config.versions[before])
        now_drill = version_drill([f for f in new if _key(f) == key], config.versions[after])
        change = total_drill(((1, now_drill), (-1, was_drill)), "Etter − før")
        lines.append(ChangeLine(*key, before=was, after=now, note="; ".join(notes),
                                drills={"before": was_drill, "after": now_drill,
                                        "change": change}))
    return ChangeLog(config.versions[before], config.versions[after], tuple(lines))


@dataclass(frozen=True)
class BridgeRow:
    """One row of a growth bridge: the amount in the budget and in the forecast version."""

    key: str
    label: str
    budget: Decimal | None
    forecast: Decimal | None
    note: str
    kind: Kind = Kind.ITEM
    drills: dict[str, Drill] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Bridge:
    """A solution's growth from ``year`` − 1 to ``year`` in the two versions."""

    solution: str
    label: str
    year: int
    rows: tuple[BridgeRow, ...]


Pair = tuple[Decimal | None, Decimal | None]
Drills = tuple[Drill | None, Drill | None]
Versions = tuple[Version | None, Version | None]


def _row(key: str, label: str, pair: Pair, drills: Drills, note: str = "",
         kind: Kind = Kind.ITEM) -> BridgeRow:
    named = {k: d for k, d in zip(("budget", "forecast"), drills, strict=True) if d is not None}
    return BridgeRow(key, label, pair[0], pair[1], note, kind, named)


def _drills(facts: tuple[list[Fact] | None, list[Fact] | None], versions: Versions,
            **where: object) -> Drills:
    """What makes each version's total (None for a version not chosen)."""
    a, b = (None if fs is None or v is None else
            version_drill([f for f in fs if all(getattr(f, k) == x for k, x in where.items())], v)
            for fs, v in zip(facts, versions, strict=True))
    return a, b


def _minus_drills(left: Drills, right: Drills, what: str) -> Drills:
    a, b = (None if x is None or y is None else total_drill(((1, x), (-1, y)), what)
            for x, y in zip(left, right, strict=True))
    return a, b


def _each(facts: tuple[list[Fact] | None, list[Fact] | None], **where: object) -> Pair:
    """The total of each version's facts (None for a version not chosen)."""
    a, b = (None if fs is None else total(fs, **where) for fs in facts)
    return a, b


def _minus(left: Pair, right: Pair) -> Pair:
    a, b = (None if x is None or y is None else x - y for x, y in zip(left, right, strict=True))
    return a, b


def bridge(config: CostBasisConfig, year: int, solution: str, versions: Versions) -> Bridge:
    """The growth bridge of ``solution`` into ``year`` for (budget, forecast) ``versions``."""
    a, b = ([f for f in version_facts(config, v.id) if f.solution == solution]
            if v is not None else None for v in versions)
    facts = (a, b)
    prior, prior_drills = _each(facts, year=year - 1), _drills(facts, versions, year=year - 1)
    need, need_drills = _each(facts, year=year), _drills(facts, versions, year=year)
    rows = [_row("prior", f"Budsjett/prognose {year - 1}", prior, prior_drills)]
    drivers = dict.fromkeys(f.driver for fs in facts for f in fs or () if f.year == year
                            and f.driver)
    for driver in drivers:
        mine = tuple(None if fs is None else [f for f in fs if f.year == year
                                              and f.driver == driver] or None for fs in facts)
        notes = [f.note for fs in reversed(mine) for f in fs or () if f.note]
        rows.append(_row(f"driver/{driver}", driver, _each((mine[0], mine[1])),
                         _drills((mine[0], mine[1]), versions), notes[0] if notes else ""))
    other = _minus(_each(facts, year=year, driver=""), prior)
    if any(other):
        base = _drills(facts, versions, year=year, driver="")
        rows.append(_row("other", "Annen endring (uten driver)", other,
                         _minus_drills(base, prior_drills, "Linjer uten driver − året før")))
    rows.append(_row("growth", f"Estimert vekst fra {year - 1} til {year}", _minus(need, prior),
                     _minus_drills(need_drills, prior_drills, f"{year} − {year - 1}"),
                     kind=Kind.SUBTOTAL))
    rows.append(_row("need", f"Estimert behov {year}", need, need_drills, kind=Kind.TOTAL))
    return Bridge(solution, config.solutions.get(solution, solution), year, tuple(rows))


def bridges(config: CostBasisConfig, year: int, budget: Version | None,
            forecast: Version | None, solutions: Sequence[str]) -> tuple[Bridge, ...]:
    """A bridge per solution that has lines for ``year`` in either version."""
    chosen = {v.id for v in (budget, forecast) if v is not None}
    with_lines = {line.solution for line in config.lines
                  if line.version in chosen and line.period.year == year}
    return tuple(bridge(config, year, s, (budget, forecast)) for s in solutions
                 if s in with_lines)
