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
from decimal import Decimal

from nhnfin.cost_basis.directives import CostBasisConfig
from nhnfin.cost_basis.directives import Version
from nhnfin.cost_basis.facts import Fact
from nhnfin.cost_basis.facts import total
from nhnfin.cost_basis.facts import version_facts
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
        lines.append(ChangeLine(*key, before=was, after=now, note="; ".join(notes)))
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


@dataclass(frozen=True)
class Bridge:
    """A solution's growth from ``year`` − 1 to ``year`` in the two versions."""

    solution: str
    label: str
    year: int
    rows: tuple[BridgeRow, ...]


Pair = tuple[Decimal | None, Decimal | None]


def _row(key: str, label: str, pair: Pair, note: str = "", kind: Kind = Kind.ITEM) -> BridgeRow:
    return BridgeRow(key, label, pair[0], pair[1], note, kind)


def _each(facts: tuple[list[Fact] | None, list[Fact] | None], **where: object) -> Pair:
    """The total of each version's facts (None for a version not chosen)."""
    a, b = (None if fs is None else total(fs, **where) for fs in facts)
    return a, b


def _minus(left: Pair, right: Pair) -> Pair:
    a, b = (None if x is None or y is None else x - y for x, y in zip(left, right, strict=True))
    return a, b


def bridge(config: CostBasisConfig, year: int, solution: str,
           versions: tuple[Version | None, Version | None]) -> Bridge:
    """The growth bridge of ``solution`` into ``year`` for (budget, forecast) ``versions``."""
    a, b = ([f for f in version_facts(config, v.id) if f.solution == solution]
            if v is not None else None for v in versions)
    facts = (a, b)
    prior = _each(facts, year=year - 1)
    need = _each(facts, year=year)
    rows = [_row("prior", f"Budsjett/prognose {year - 1}", prior)]
    drivers = dict.fromkeys(f.driver for fs in facts for f in fs or () if f.year == year
                            and f.driver)
    for driver in drivers:
        mine = tuple(None if fs is None else [f for f in fs if f.year == year
                                              and f.driver == driver] or None for fs in facts)
        notes = [f.note for fs in reversed(mine) for f in fs or () if f.note]
        rows.append(_row(f"driver/{driver}", driver, _each((mine[0], mine[1])),
                         notes[0] if notes else ""))
    other = _minus(_each(facts, year=year, driver=""), prior)
    if any(other):
        rows.append(_row("other", "Annen endring (uten driver)", other))
    rows.append(_row("growth", f"Estimert vekst fra {year - 1} til {year}", _minus(need, prior),
                     kind=Kind.SUBTOTAL))
    rows.append(_row("need", f"Estimert behov {year}", need, kind=Kind.TOTAL))
    return Bridge(solution, config.solutions.get(solution, solution), year, tuple(rows))


def bridges(config: CostBasisConfig, year: int, budget: Version | None,
            forecast: Version | None, solutions: Sequence[str]) -> tuple[Bridge, ...]:
    """A bridge per solution that has lines for ``year`` in either version."""
    chosen = {v.id for v in (budget, forecast) if v is not None}
    with_lines = {line.solution for line in config.lines
                  if line.version in chosen and line.period.year == year}
    return tuple(bridge(config, year, s, (budget, forecast)) for s in solutions
                 if s in with_lines)
