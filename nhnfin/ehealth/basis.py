"""The invoice basis (fakturagrunnlag) for the national e-health solutions: pure arithmetic.

For each solution and year (seed 001, section 8; seed 002 on the population key):

1. **Need → groups.** What is invoiced (the financing need less any repayment through lower
   invoicing) is split between the actor groups by the solution's key (Kjernejournal RHF 60 /
   kommune 40, E-resept 44.5/44.5/11 with apotek, registries "special" RHF 50 / andre 50 ...).
2. **Compensated part.** The compensated amount (the appropriation moved from the state budget
   to the RHFs' and municipalities' frames) counts by the same key, and only for groups declared
   ``compensated``. So a group's *not compensated* share ("andel som ikke kompenseres") is the
   key's share of the growth (invoiced − compensated) for RHF and kommune, and the whole invoice
   for apotek and others; the growth is split by the key itself, so a share is negative only
   when the growth is.
3. **Group → periods → actors.** A group's amount is split evenly over the invoicing periods
   (year, quarters or months) and each period's part over the group's actors by the population
   in force on the period's first day (an RHF by its catchment area), so a municipality merger
   from a date moves the later periods to the merged municipality. A group split equally gives
   each actor one share; a merger there moves the merged-away actor's shares to the actor it
   joins from the merger's date (:func:`equal_shares_at`).

Every split is :func:`nhnfin.money.allocate` (largest remainder) to the configured quantum (krone
or øre), so each level sums exactly to the level above it. No I/O; errors are returned.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from decimal import Decimal

from beancount.core import amount
from beancount.core import data

from nhnfin.ehealth.directives import Actor
from nhnfin.ehealth.directives import CostBasis
from nhnfin.ehealth.directives import EHealthConfig
from nhnfin.ehealth.directives import Group
from nhnfin.ehealth.directives import Key
from nhnfin.ehealth.directives import Period
from nhnfin.ehealth.directives import PopulationEvent
from nhnfin.ehealth.directives import no_population
from nhnfin.errors import NhnfinError
from nhnfin.money import ZERO
from nhnfin.money import allocate
from nhnfin.provenance import GENERATED_TAG
from nhnfin.provenance import generated_meta


@dataclass(frozen=True)
class GroupShare:
    """One group's part of one solution (or of all solutions)."""

    group: str
    percent: Decimal
    invoiced: Decimal
    compensated: Decimal

    @property
    def not_compensated(self) -> Decimal:
        """The part the group's compensation does not cover ("andel som ikke kompenseres")."""
        return self.invoiced - self.compensated


@dataclass(frozen=True)
class SolutionSplit:
    """A solution's cost basis for a year split between groups."""

    solution: str
    name: str
    year: int
    need: Decimal
    compensated: Decimal
    repayment: Decimal
    rule: str
    groups: tuple[GroupShare, ...]

    @property
    def growth(self) -> Decimal:
        """Need less compensated ("vekst")."""
        return self.need - self.compensated

    def share(self, group: str) -> GroupShare:
        """The group's share (zero when the key does not name the group)."""
        for share in self.groups:
            if share.group == group:
                return share
        return GroupShare(group, ZERO, ZERO, ZERO)


@dataclass(frozen=True)
class InvoiceLine:
    """What one actor is invoiced for one solution in one period."""

    date: datetime.date
    period: str
    actor: str
    group: str
    solution: str
    amount: Decimal


@dataclass(frozen=True)
class InvoiceBasis:
    """The invoice basis of a year: splits per solution and lines per actor."""

    year: int
    quantum: Decimal
    solutions: tuple[SolutionSplit, ...]
    lines: tuple[InvoiceLine, ...]
    names: Mapping[str, str] = field(default_factory=dict)  # actor id -> its declared name

    def group_total(self, group: str) -> GroupShare:
        """A group's totals over all solutions."""
        shares = [s.share(group) for s in self.solutions]
        return GroupShare(group, ZERO, sum((s.invoiced for s in shares), ZERO),
                          sum((s.compensated for s in shares), ZERO))

    def actor_totals(self) -> dict[str, Decimal]:
        """Total invoiced per actor over the year, sorted by actor."""
        totals: dict[str, Decimal] = defaultdict(lambda: ZERO)
        for line in self.lines:
            totals[line.actor] += line.amount
        return dict(sorted(totals.items()))


def split_solution(basis: CostBasis, key: Key, groups: dict[str, Group], name: str,
                   quantum: Decimal) -> SolutionSplit:
    """Split one solution's year between the groups of ``key`` (steps 1 and 2).

    The invoiced amount is split by the key; so is the growth (invoiced less compensated). A
    compensated group's not-compensated share is its part of that growth, so it is negative only
    when the growth is; a group that is not compensated keeps its whole invoice.
    """
    percents = [p for _, p in key.shares]
    invoiced = allocate(basis.invoiced, percents, quantum)
    growth = allocate(basis.invoiced - basis.compensated, percents, quantum)
    shares = tuple(
        GroupShare(g, p, inv, inv - grown if groups[g].compensated else ZERO)
        for (g, p), inv, grown in zip(key.shares, invoiced, growth, strict=True)
    )
    return SolutionSplit(basis.solution, name, basis.year, basis.need, basis.compensated,
                         basis.repayment, key.rule, shares)


def periods(year: int, invoicing: Period) -> list[tuple[str, datetime.date]]:
    """The invoicing periods of ``year``: label and first day."""
    if invoicing == "annual":
        return [(str(year), datetime.date(year, 1, 1))]
    if invoicing == "quarterly":
        return [(f"{year}-Q{q}", datetime.date(year, 3 * q - 2, 1)) for q in range(1, 5)]
    return [(f"{year}-{m:02d}", datetime.date(year, m, 1)) for m in range(1, 13)]


def population_at(events: tuple[PopulationEvent, ...], date: datetime.date
                  ) -> tuple[dict[str, Decimal], list[NhnfinError]]:
    """Each actor's population on ``date``: figures and mergers replayed in date order."""
    population: dict[str, Decimal] = {}
    errors: list[NhnfinError] = []
    for event in events:
        if event.date > date:
            break
        if event.target is None:
            population[event.actor] = event.count or ZERO
            continue
        available = population.get(event.actor)
        moved = available if event.count is None else event.count
        if available is None or moved is None:
            errors.append(NhnfinError(event.meta, (
                f"sammenslåingen {event.date} flytter folketall fra {event.actor!r}, som ikke "
                "har noe folketall da (legg til nhnfin-ehealth-population før den)"), None))
            continue
        if moved > available:
            errors.append(NhnfinError(event.meta, (
                f"sammenslåingen {event.date} flytter {moved} av folketallet fra "
                f"{event.actor!r} til {event.target!r}, men {event.actor!r} har bare "
                f"{available} da"), None))
            continue
        population[event.actor] = available - moved
        population[event.target] = population.get(event.target, ZERO) + moved
    return population, errors


def equal_actors(config: EHealthConfig) -> frozenset[str]:
    """The actors of the groups split equally (``split: "equal"``)."""
    return frozenset(a.id for a in config.actors.values()
                     if (g := config.groups.get(a.group)) is not None and g.split == "equal")


def population_events(config: EHealthConfig, equal: frozenset[str] | None = None
                      ) -> tuple[PopulationEvent, ...]:
    """The population figures and the mergers that move population: every event but the
    mergers of an actor of a group split equally (``equal``: :func:`equal_actors`, read here
    when not given), which :func:`equal_shares_at` replays."""
    equal = equal_actors(config) if equal is None else equal
    return tuple(e for e in config.population
                 if e.target is None or (e.actor not in equal and e.target not in equal))


def equal_shares_at(config: EHealthConfig, date: datetime.date,
                    equal: frozenset[str] | None = None
                    ) -> tuple[dict[str, Decimal], list[NhnfinError]]:
    """Each actor's shares in its equally split group on ``date``: one, plus the shares of the
    actors merged into it, and none once it is merged away (mergers replayed in date order, as
    :func:`population_at` replays population). A merger that gives a number (an equal split
    has no population to move part of) or that joins an actor of another group is an error at
    it, and is not followed. Mergers naming an undeclared actor are left to
    :func:`nhnfin.ehealth.directives.validate`. ``equal``: :func:`equal_actors`, read here
    when not given."""
    equal = equal_actors(config) if equal is None else equal
    shares = {actor: Decimal(1) for actor in equal}
    errors: list[NhnfinError] = []
    for event in config.population:
        if event.date > date:
            break
        if event.target is None or (event.actor not in equal and event.target not in equal):
            continue
        source, target = config.actors.get(event.actor), config.actors.get(event.target)
        if source is None or target is None:
            continue
        if source.group != target.group:
            errors.append(NhnfinError(event.meta, (
                f"sammenslåingen {event.date} slår sammen {source.id!r} i gruppen "
                f"{source.group!r} med {target.id!r} i gruppen {target.group!r}: en gruppe som "
                "deles likt kan bare slå sammen sine egne aktører"), None))
            continue
        if event.count is not None:
            errors.append(NhnfinError(event.meta, (
                f"sammenslåingen {event.date} flytter {event.count} av folketallet fra "
                f"{source.id!r}, men gruppen {source.group!r} deles likt og har ikke "
                "folketall: en sammenslåing der flytter hele andelen til aktøren (ta bort "
                "tallet)"), None))
            continue
        shares[target.id] += shares[source.id]
        shares[source.id] = ZERO
    return shares, errors


def merger_problems(config: EHealthConfig) -> list[NhnfinError]:
    """An error at each merger that moves more of an actor's population than it has on its
    day, or moves it from an actor without one (:func:`population_at`, every event replayed
    once): only ``nhnfin invoice-basis`` of a year after it said so; and at each merger of a
    group split equally that cannot be followed (:func:`equal_shares_at`). A merger naming an
    undeclared actor is left to :func:`nhnfin.ehealth.directives.validate`."""
    known = config.actors
    equal = equal_actors(config)
    events = tuple(e for e in population_events(config, equal)
                   if e.actor in known and (e.target is None or e.target in known))
    found = population_at(events, datetime.date.max)[1]
    return [*found, *equal_shares_at(config, datetime.date.max, equal)[1]]


def split_group(amount: Decimal, group: Group, members: list[Actor],
                population: dict[str, Decimal], quantum: Decimal,
                shares: Mapping[str, Decimal] | None = None,
                ) -> tuple[list[tuple[str, Decimal]], list[NhnfinError]]:
    """Split a group's period amount over its actors (by population, or equally: each actor
    by its ``shares``, :func:`equal_shares_at`, one each when not given)."""
    if amount == 0:
        return [], []
    if group.split == "equal":
        weights = [Decimal(1) if shares is None else shares.get(a.id, Decimal(1))
                   for a in members]
    else:
        missing = [a for a in members if a.id not in population]
        if missing:
            return [], [NhnfinError(a.meta, no_population(a.id), None)
                         for a in missing]
        weights = [population[a.id] for a in members]
    if not any(w > 0 for w in weights):
        return [], [NhnfinError(group.meta, nobody_words(group), None)]
    parts = allocate(amount, weights, quantum)
    return [(a.id, p) for a, p in zip(members, parts, strict=True) if p != 0], []


def nobody_words(group: Group) -> str:
    """A group has a part to split and no one to split it on (:func:`split_group`)."""
    whom = "ingen aktør med folketall" if group.split == "population" else "ingen aktør"
    return f"gruppen {group.id!r} har {whom} å fordele andelen sin på"


def _splits(config: EHealthConfig, year: int, quantum: Decimal) -> list[SolutionSplit]:
    """Each solution's cost basis of ``year`` split between the groups of its key, in the
    order the solutions are declared (those with an unknown solution, key or group left out:
    the load gives their errors)."""
    splits: list[SolutionSplit] = []
    order = list(config.solutions)
    for basis in sorted(config.cost_bases, key=lambda b: order.index(b.solution)
                        if b.solution in order else len(order)):
        key = config.key_at(basis.solution, datetime.date(year, 1, 1))
        solution = config.solutions.get(basis.solution)
        if basis.year != year or key is None or solution is None:
            continue
        if any(g not in config.groups for g, _ in key.shares):
            continue
        splits.append(split_solution(basis, key, config.groups, solution.name, quantum))
    return splits


def _period_parts(splits: list[SolutionSplit], plan: list[tuple[str, datetime.date]],
                  quantum: Decimal) -> dict[tuple[str, str], list[Decimal]]:
    """Each (solution, group)'s invoice split evenly over the invoicing periods ``plan``."""
    return {(s.solution, g.group): allocate(g.invoiced, [Decimal(1)] * len(plan), quantum)
            for s in splits for g in s.groups}


def groups_without_anyone(config: EHealthConfig) -> list[NhnfinError]:
    """An error at each group's directive whose share of some solution's invoice has, in an
    invoicing period of a year with a cost basis, no actor to be split on: none of its actors
    is declared by the period's first day, or (split by population) none has a population
    above zero then; and at each actor of a group split by population that is declared by
    such a period's first day and given its first population only after it (an actor never
    given one is :func:`nhnfin.ehealth.directives.validate`'s). ``nhnfin invoice-basis``
    refused that year (:func:`split_group`), and the
    load said nothing: the key gives the group a share, and nobody is invoiced for it (the
    invoices would not add up to the cost basis). Once per group, at its first such period;
    without a per-actor split, so that the load stays cheap. A ledger that declares no actor at
    all does not use the invoice basis (it invoices by hand; its keys and cost bases serve note
    2 and the cost basis): nothing to check."""
    found: dict[str, NhnfinError] = {}
    late: dict[str, NhnfinError] = {}  # an actor counted only after a period it is invoiced in
    if not config.actors:
        return []
    counted: dict[str, datetime.date] = {}  # each actor's first population figure
    events: tuple[PopulationEvent, ...] | None = None  # population_events, once needed
    split_equally: frozenset[str] = frozenset()
    for event in config.population:
        if event.target is None:
            counted.setdefault(event.actor, event.date)
    for year in sorted({b.year for b in config.cost_bases}):
        options = config.options_at(datetime.date(year, 1, 1))
        # a cost basis not in whole quanta is an error of its own (directives.validate)
        whole = tuple(b for b in config.cost_bases if b.year != year or not any(
            a % options.quantum for a in (b.need, b.compensated, b.repayment)))
        splits = _splits(config.model_copy(update={"cost_bases": whole}), year,
                         options.quantum)
        plan = periods(year, options.invoicing)
        parts = _period_parts(splits, plan, options.quantum)
        for index, (label, start) in enumerate(plan):
            owing = [(s, g) for s in splits for g in s.groups
                     if g.group not in found and parts[s.solution, g.group][index]]
            if not owing:
                continue
            if events is None:  # read once, for the first period that owes anything
                split_equally = equal_actors(config)
                events = population_events(config, split_equally)
            population, _ = population_at(events, start)
            equal, _ = equal_shares_at(config, start, split_equally)
            members = _members(config, start)
            uncounted: dict[str, list[Actor]] = {}  # group -> its actors without a population
            for split, share in owing:
                group = config.groups[share.group]
                mine = members.get(group.id, [])
                missing = [] if group.split != "population" else uncounted.setdefault(
                    group.id, [a for a in mine if a.id not in population])
                if missing:
                    # split_group names these actors, not the group (one never counted: validate)
                    for actor in missing:
                        if actor.id in counted:
                            late.setdefault(actor.id, NhnfinError(actor.meta, (
                                f"{no_population(actor.id)} {start}, den første dagen i "
                                f"fakturaperioden {label}, der gruppen {group.id!r} har en "
                                f"andel av {split.solution!r}: folketallet gjelder først fra "
                                f"{counted[actor.id]}, så nhnfin invoice-basis --year {year} "
                                "stopper; gi folketallet fra den dagen aktøren er med"), None))
                    continue
                weights = equal if group.split == "equal" else population
                if group.id in found or any(weights.get(a.id, ZERO) > 0 for a in mine):
                    continue
                amount = parts[split.solution, share.group][index]
                found[group.id] = NhnfinError(group.meta, (
                    f"{nobody_words(group)} i {label}: nøkkelen for {split.solution!r} gir "
                    f"gruppen {amount} NOK for perioden, men ingen blir fakturert for dem, så "
                    f"nhnfin invoice-basis --year {year} stopper; legg til en aktør i gruppen "
                    "(nhnfin-ehealth-actor"
                    + (" med nhnfin-ehealth-population" if group.split == "population" else "")
                    + ") eller endre nøkkelen"), None)
    return [*found.values(), *late.values()]


def invoice_basis(config: EHealthConfig, year: int) -> tuple[InvoiceBasis, list[NhnfinError]]:
    """The invoice basis of ``year`` from the declared cost basis, keys and population."""
    options = config.options_at(datetime.date(year, 1, 1))
    quantum = options.quantum
    errors: list[NhnfinError] = []
    splits = _splits(config, year, quantum)
    lines: list[InvoiceLine] = []
    plan = periods(year, options.invoicing)
    per_period = _period_parts(splits, plan, quantum)
    events = population_events(config)
    for index, (label, start) in enumerate(plan):
        population, pop_errors = population_at(events, start)
        equal, equal_errors = equal_shares_at(config, start)
        errors.extend(e for e in [*pop_errors, *equal_errors] if e not in errors)
        members = _members(config, start)
        for split in splits:
            for share in split.groups:
                parts, split_errors = split_group(
                    per_period[split.solution, share.group][index], config.groups[share.group],
                    members.get(share.group, []), population, quantum, equal)
                errors.extend(e for e in split_errors if e not in errors)
                lines.extend(InvoiceLine(start, label, actor, share.group, split.solution, p)
                             for actor, p in parts)
    names = {a.id: a.name for a in config.actors.values() if a.name}
    return InvoiceBasis(year, quantum, tuple(splits), tuple(lines), names), errors


def _members(config: EHealthConfig, date: datetime.date) -> dict[str, list[Actor]]:
    """The actors of each group declared on or before ``date``, in declaration order."""
    members: dict[str, list[Actor]] = defaultdict(list)
    for actor in config.actors.values():
        if actor.date <= date:
            members[actor.group].append(actor)
    return members


def invoice_entries(basis: InvoiceBasis, config: EHealthConfig) -> list[data.Transaction]:
    """One invoice transaction per actor and period: Dr the actor's receivable, Cr the liability
    per solution (``solution`` on each posting), reproducible from the declarations alone."""
    grouped: dict[tuple[datetime.date, str, str], list[InvoiceLine]] = defaultdict(list)
    for line in basis.lines:
        grouped[line.date, line.period, line.actor].append(line)
    entries: list[data.Transaction] = []
    for (date, period, actor_id), lines in sorted(grouped.items()):
        actor = config.actors[actor_id]
        total = sum((line.amount for line in lines), ZERO)
        meta = generated_meta("ehealth-invoice", actor.meta, "<nhnfin.ehealth.basis>",
                              invoice=f"EHF-{period}-{actor_id}")
        postings = [data.Posting(actor.account, amount.Amount(total, "NOK"), None, None, None,
                                 None)]
        liability = config.options_at(date).liability
        postings.extend(
            data.Posting(liability, amount.Amount(-line.amount, "NOK"), None,
                         None, None, {"solution": line.solution})
            for line in sorted(lines, key=lambda x: x.solution))
        entries.append(data.Transaction(
            meta, date, "*", actor.name, f"Faktura nasjonale e-helseløsninger {period}",
            frozenset({GENERATED_TAG}), frozenset(), postings))
    return entries
