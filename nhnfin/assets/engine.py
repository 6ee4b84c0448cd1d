"""From a declared asset to its charges: cost from tagged postings, plan, events, horizon.

Shared by the fixed-asset plugin (:mod:`nhnfin.assets`) and the delivery obligation
(:mod:`.delivery_obligation`), so both depreciate the same way. The plugin configuration
(``plugin "nhnfin.assets" "{'period': 'month'}"``) is read here too:

* ``period``: ``"month"`` (default), ``"quarter"`` or ``"year"`` - how often an entry is booked.
  The schedule is always computed per month; a longer period books the sum of its months.
* ``until``: the last date to book (default: the end of the period holding the ledger's last
  entry, so a ledger that ends mid-schedule gets no entries beyond it).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable
from collections.abc import Mapping
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated
from typing import Any
from typing import Literal

from beancount.core import amount as bamount
from beancount.core import data
from pydantic import BaseModel
from pydantic import BeforeValidator
from pydantic import ConfigDict
from pydantic import ValidationError

from nhnfin.assets.classes import AUC_ACCOUNT
from nhnfin.assets.classes import IMPAIRMENT_EXPENSE
from nhnfin.assets.depreciation import Charge
from nhnfin.assets.depreciation import Event
from nhnfin.assets.depreciation import Schedule
from nhnfin.assets.depreciation import add_months
from nhnfin.assets.depreciation import explicit
from nhnfin.assets.depreciation import month_end
from nhnfin.assets.depreciation import month_of
from nhnfin.assets.depreciation import run
from nhnfin.assets.depreciation import straight_line
from nhnfin.assets.directives import AssetSpec
from nhnfin.assets.directives import Register
from nhnfin.assets.directives import describe
from nhnfin.config import last_date
from nhnfin.config import literal_dict
from nhnfin.config import marked_transactions
from nhnfin.config import period_alias
from nhnfin.errors import NhnfinError
from nhnfin.errors import pseudo_source
from nhnfin.money import MAX_AMOUNT
from nhnfin.money import ZERO
from nhnfin.money import limit_words
from nhnfin.provenance import GENERATED_TAG
from nhnfin.provenance import generated_meta

# the tags and links of every entry the register generates: one set each for all of them
GENERATED_TAGS, NO_LINKS = frozenset({GENERATED_TAG}), frozenset[str]()
Period = Literal["month", "quarter", "year"]
PeriodSetting = Annotated[
    Period, BeforeValidator(period_alias({"month": "month", "quarter": "quarter", "year": "year"}))
]


class PluginConfig(BaseModel):
    """The plugin line's configuration."""

    model_config = ConfigDict(defer_build=True, frozen=True, extra="forbid")

    period: PeriodSetting = "month"
    until: datetime.date | None = None


def read_config(config_str: str | None, name: str) -> tuple[PluginConfig, list[NhnfinError]]:
    """Parse the plugin's config string (a Python dict literal); defaults on error."""
    if not config_str:
        return PluginConfig(), []
    try:
        return PluginConfig(**literal_dict(config_str)), []
    except (ValueError, SyntaxError, TypeError, ValidationError) as exc:
        reason = describe(exc) if isinstance(exc, ValidationError | ValueError) else str(exc)
        message = f"ugyldig konfigurasjon {config_str!r}: {reason}"
        return PluginConfig(), [NhnfinError(pseudo_source(name), message, None)]


def period_end(day: datetime.date, period: Period) -> datetime.date:
    """The last day of the booking period holding ``day``."""
    if period == "year":
        return datetime.date(day.year, 12, 31)
    if period == "quarter":
        return month_end(add_months(month_of(day), 2 - (day.month - 1) % 3))
    return month_end(month_of(day))


def horizon(entries: list[Any], config: PluginConfig) -> datetime.date:
    """The last date to book: ``until``, or the end of the period of the last entry."""
    if config.until is not None:
        return config.until
    last = last_date(entries)
    return period_end(last, config.period) if last != datetime.date.min else last


@dataclass(frozen=True)
class Tagged:
    """A posting carrying ``asset: "<id>"`` (its weight in NOK)."""

    date: datetime.date
    account: str
    amount: Decimal
    meta: Mapping[str, Any]


def tagged_postings(entries: list[Any]) -> dict[str, list[Tagged]]:
    """Postings tagged with an asset id, per id (posting meta wins over transaction meta)."""
    result: dict[str, list[Tagged]] = defaultdict(list)
    for _, entry in marked_transactions(entries, ("asset",)):  # those with an asset id among them
        if not isinstance(entry, data.Transaction) or GENERATED_TAG in entry.tags:
            continue
        default = entry.meta.get("asset")
        for posting in entry.postings:
            meta = posting.meta
            asset_id = meta.get("asset", default) if meta else default
            if asset_id is None:  # most postings
                continue
            units = posting.units
            if not isinstance(asset_id, str) or units is None or units.number is None:
                continue
            if units.currency == "NOK":
                result[asset_id].append(
                    Tagged(entry.date, posting.account, units.number, entry.meta)
                )
    return result


@dataclass(frozen=True)
class Plan:
    """What the register says about one asset: its charges and the AUC cost moved when ready."""

    spec: AssetSpec
    charges: tuple[Charge, ...]
    auc_moved: Decimal
    errors: tuple[NhnfinError, ...]


def too_large(cost: Decimal, additions: list[Event]) -> bool:
    """Whether the cost or an addition is beyond what can be booked exactly (``MAX_AMOUNT``)."""
    return not all(abs(x) < MAX_AMOUNT for x in (cost, *(a.amount for a in additions)))


def initial_cost(
    spec: AssetSpec, tagged: list[Tagged]
) -> tuple[Decimal, Decimal, list[Event], list[str]]:
    """Cost at the start, the part moved from AUC, later additions, and problems."""
    problems: list[str] = []
    on_cost = [t for t in tagged if t.account == spec.cost_account]
    on_auc = [t for t in tagged if t.account == AUC_ACCOUNT]
    auc = sum((t.amount for t in on_auc if t.date <= spec.date), ZERO)
    problems += [
        f"kostnad bokført på {AUC_ACCOUNT} {t.date}, etter at eiendelen er klar til bruk"
        for t in on_auc
        if t.date > spec.date
    ]
    before = sum((t.amount for t in on_cost if t.date <= spec.start), ZERO) + auc
    additions = [
        Event(t.date, "addition", t.amount, t.meta) for t in on_cost if t.date > spec.start
    ]
    if spec.kind == "transfer":
        return spec.amount or ZERO, ZERO, [], []
    if spec.amount is not None and before not in (ZERO, spec.amount):
        problems.append(f"de merkede posteringene summerer til {before}, direktivet sier "
                        f"{spec.amount}")
    cost = before if before != ZERO else spec.amount or ZERO
    if cost <= 0:
        problems.append('ingen kostpris: oppgi den på direktivet eller merk kjøpet med asset: '
                        '"<id>"')
    elif too_large(cost, additions):
        problems.append(f"den merkede kostprisen er for stor til å bokføres ({limit_words()})")
    return cost, auc, additions, problems


def monthly_plan(spec: AssetSpec, register: Register, cost: Decimal) -> tuple[Schedule, list[str]]:
    """The month-by-month plan: the explicit schedule lines, else straight-line over the life."""
    lines = register.schedules.get(spec.id, [])
    if lines:
        total = sum((line.amount for line in lines), ZERO)
        problems = (
            []
            if total == cost or spec.kind == "transfer"
            else [f"planen summerer til {total}, ikke kostprisen {cost}"]
        )
        return explicit([(*line.months, line.amount) for line in lines], spec.start), problems
    if not spec.cls.depreciable:
        return {}, []
    months = spec.months or spec.cls.default_months
    problems = []
    if spec.kind == "asset" and not spec.cls.min_months <= months <= spec.cls.max_months:
        problems.append(
            f"en levetid på {months} måneder er utenfor klassen {spec.asset_class} sine "
            f"{spec.cls.min_months}-{spec.cls.max_months} måneder"
        )
    return straight_line(cost, months, spec.start), problems


def plan_asset(
    spec: AssetSpec, register: Register, tagged: list[Tagged], until: datetime.date
) -> Plan:
    """Run the depreciation engine for one declared asset or transfer."""
    cost, auc, additions, problems = initial_cost(spec, tagged)
    errors = [NhnfinError(spec.meta, f"{spec.id}: {p}", None) for p in problems]
    if cost <= 0 or too_large(cost, additions):
        return Plan(spec, (), ZERO, tuple(errors))
    plan, plan_problems = monthly_plan(spec, register, cost)
    errors += [NhnfinError(spec.meta, f"{spec.id}: {p}", None) for p in plan_problems]
    events = [Event(e.date, e.kind, e.amount, e.meta) for e in register.events.get(spec.id, [])]
    charges, run_problems = run(cost, plan, [*additions, *events], until)
    errors += [NhnfinError(dict(p.source), f"{spec.id}: {p.message}", None) for p in run_problems]
    return Plan(spec, tuple(charges), auc, tuple(errors))


def by_period(
    charges: tuple[Charge, ...], period: Period, until: datetime.date
) -> list[tuple[datetime.date, Decimal]]:
    """Monthly depreciation charges summed per booking period (dated at its end, or ``until``)."""
    sums: dict[datetime.date, Decimal] = defaultdict(lambda: ZERO)
    for charge in charges:
        if charge.kind == "depreciation":
            sums[min(period_end(charge.date, period), until)] += charge.amount
    return sorted(sums.items())


def transaction(
    source: Mapping[str, Any],
    rule: str,
    asset_id: str,
    date: datetime.date,
    *,
    narration: str,
    postings: list[tuple[str, Decimal]],
) -> data.Transaction:
    """A generated, balanced transaction located at ``source`` and naming its rule and asset."""
    meta = generated_meta(rule, source, asset=asset_id)
    legs = [
        data.Posting(account, bamount.Amount(number, "NOK"), None, None, None, None)
        for account, number in postings
        if number != 0
    ]
    return data.Transaction(
        meta, date, "*", None, narration, GENERATED_TAGS, NO_LINKS, legs
    )


def event_legs(spec: AssetSpec, charge: Charge) -> tuple[list[tuple[str, Decimal]], str]:
    """The postings of an impairment or a disposal, or why a disposal cannot be booked."""
    cls = spec.cls
    if charge.kind == "impairment":
        return [(IMPAIRMENT_EXPENSE, charge.amount), (cls.impairment, -charge.amount)], ""
    account = str((charge.source or {}).get("account") or "")
    if charge.amount != 0 and not account:
        return (
            [],
            f"{spec.id}: avgangen etterlater {charge.amount}; oppgi kontoen (account: ...)",
        )
    legs = [
        (cls.accumulated, charge.depreciated),
        (cls.impairment, charge.impaired),
        (account, charge.amount),
        (spec.cost_account, -charge.cost),
    ]
    return legs, ""


Legs = list[tuple[str, Decimal]]


def event_entries(
    spec: AssetSpec,
    charges: Sequence[Charge],
    rule: str,
    narration: Mapping[str, str],
    extra_legs: Callable[[Decimal], Legs] = lambda _amount: [],
) -> tuple[list[data.Transaction], list[NhnfinError]]:
    """The impairment and disposal entries of one asset (its depreciation is booked by period).

    Args:
        spec: the asset.
        charges: its planned charges; depreciation charges are skipped.
        rule: the rule name prefix (``asset``, ``delivery-obligation``).
        narration: the narration per charge kind.
        extra_legs: legs to add for the charge's amount (a transfer's release of the obligation).
    """
    entries: list[data.Transaction] = []
    errors: list[NhnfinError] = []
    for charge in charges:
        if charge.kind == "depreciation":
            continue
        source = dict(charge.source or spec.meta)
        legs, problem = event_legs(spec, charge)
        if problem:
            errors.append(NhnfinError(source, problem, None))
            continue
        text = f"{narration[charge.kind]} {spec.id}"
        entries.append(
            transaction(
                source,
                f"{rule}-{charge.kind}",
                spec.id,
                charge.date,
                narration=text,
                postings=legs + extra_legs(charge.amount),
            )
        )
    return entries, errors
