"""The asset register as a whole: read every asset directive and check them together.

:func:`read_register` is what the plugins and note 8 call. Besides what a single directive can get
wrong (:mod:`nhnfin.assets.directives`) it reports schedule lines that overlap or end before the
start, a schedule that does not add up to a transfer's amount, ``months`` and schedule lines
both given (or, for a transfer, neither), events and schedules of unknown assets, and accounts
without an ``open`` directive, impairments and disposals before the asset exists or after its
disposal, each at the directive's file and line. An asset whose own directive, schedule or
accounts have such a problem is marked ``invalid`` and not booked; an impairment or a disposal
with one (misdated, or on an account never opened) is left out, and the asset is booked as if it
were not written, so an error in a later event never unbooks the years before it.
"""

from __future__ import annotations

import datetime
from typing import Any
from typing import NamedTuple

from beancount.core import data

from nhnfin.assets.classes import IMPAIRMENT_EXPENSE
from nhnfin.assets.depreciation import EVENT_WORDS
from nhnfin.assets.depreciation import add_months
from nhnfin.assets.depreciation import month_end
from nhnfin.assets.directives import ASSET
from nhnfin.assets.directives import DISPOSAL
from nhnfin.assets.directives import IMPAIRMENT
from nhnfin.assets.directives import SCHEDULE
from nhnfin.assets.directives import TRANSFER
from nhnfin.assets.directives import AssetSpec
from nhnfin.assets.directives import EventDecl
from nhnfin.assets.directives import Register
from nhnfin.assets.directives import ScheduleLine
from nhnfin.assets.directives import read_entry
from nhnfin.config import entries_of
from nhnfin.config import repeated_meta_keys
from nhnfin.errors import NhnfinError
from nhnfin.errors import location
from nhnfin.money import ZERO


def _overlaps(spec: AssetSpec, lines: list[ScheduleLine]) -> list[tuple[dict[str, Any], str]]:
    """Schedule lines ending before the start, or covering a month another line covers."""
    found: list[tuple[dict[str, Any], str]] = []
    seen: dict[datetime.date, ScheduleLine] = {}
    for line in lines:
        first, last = line.months
        if month_end(last) < spec.start:
            found.append((line.meta, f"perioden {line.period} slutter før start {spec.start}"))
        month = first
        while month <= last:
            if month in seen:
                other = seen[month].meta["lineno"]
                found.append((line.meta, f"perioden {line.period} overlapper linje {other}"))
                break
            seen[month] = line
            month = add_months(month, 1)
    return found


def check_schedule(spec: AssetSpec, lines: list[ScheduleLine]) -> list[NhnfinError]:
    """Overlaps, periods before the start, and (for a transfer) the sum against the amount."""
    found = _overlaps(spec, lines)
    if lines and spec.months is not None:
        found.append((spec.meta, "oppgi enten months eller planlinjer, ikke begge"))
    if not lines and spec.months is None and spec.kind == "transfer":
        found.append((spec.meta, "ingen avskrivningsplan (oppgi months: N eller planlinjer)"))
    total = sum((line.amount for line in lines), ZERO)
    if lines and spec.amount is not None and total != spec.amount:
        difference = total - spec.amount
        found.append(
            (spec.meta, f"planen summerer til {total}, ikke {spec.amount} ({difference})")
        )
    return [NhnfinError(meta, f"{spec.id}: {message}", None) for meta, message in found]


class Problems(NamedTuple):
    """What is wrong with one asset's directives: the errors, whether the asset itself cannot be
    booked (its own directive or schedule is wrong), and the events that cannot be (each
    left out, the rest of the asset booked as if it were not written)."""

    errors: list[NhnfinError]
    asset: bool
    events: list[EventDecl]


def check_accounts(spec: AssetSpec, events: list[EventDecl], opened: set[str]) -> Problems:
    """Every account the asset will be booked on must be opened in the ledger; one that only an
    impairment or a disposal books on is named at that directive's line, which is where it is
    needed (round twelve's probe: a 2025 impairment's 1028, missing from the chart, was named at
    the 2024 transfer, as if the transfer were wrong), and leaves out the events that need it,
    not the asset (round thirteen: a later event's error unbooked the asset's earlier, locked
    years)."""
    needed: list[tuple[str, Any, EventDecl | None]] = [(spec.cost_account, spec.meta, None)]
    if spec.cls.depreciable:
        needed += [(spec.cls.accumulated, spec.meta, None), (spec.cls.expense, spec.meta, None)]
    if spec.kind == "transfer":
        needed += [(spec.obligation, spec.meta, None), (spec.income, spec.meta, None)]
    impairments = sorted((e for e in events if e.kind == "impairment"), key=lambda e: e.date)
    needed += [(account, event.meta, event) for event in impairments
               for account in (spec.cls.impairment, IMPAIRMENT_EXPENSE)]
    needed += [(e.account, e.meta, e) for e in events if e.account]
    first: dict[str, Any] = {}
    for account, meta, event in needed:
        first.setdefault(account, (meta, event))
    missing = {account for account in first if account not in opened}
    return Problems(
        [NhnfinError(meta, f"{spec.id}: ukjent konto {account} (ingen open-direktiv)", None)
         for account, (meta, _) in first.items() if account in missing],
        any(first[account][1] is None for account in missing),
        [event for account, _, event in needed if account in missing and event is not None])


def check_events(spec: AssetSpec, events: list[EventDecl]) -> Problems:
    """Impairments and disposals dated before the asset exists (its directive's date), and any
    event after the asset's disposal: each is left out, the asset booked without it."""
    problems: list[NhnfinError] = []
    dropped: list[EventDecl] = []
    disposed: EventDecl | None = None
    for event in sorted(events, key=lambda e: (e.date, int(e.meta.get("lineno", 0)))):
        if event.date < spec.date:
            problems.append(NhnfinError(event.meta, (
                f"{EVENT_WORDS[event.kind]} av {spec.id!r} {event.date} er før eiendelen finnes "
                f"({spec.date}, {location(spec.meta)})"), None))
            dropped.append(event)
        elif disposed is not None:
            problems.append(NhnfinError(event.meta, (
                f"{EVENT_WORDS[event.kind]} av {spec.id!r} {event.date} er etter avgangen "
                f"{disposed.date} ({location(disposed.meta)})"), None))
            dropped.append(event)
        elif event.kind == "disposal":
            disposed = event
    return Problems(problems, False, dropped)


# the entries the register reads: a reading stays valid while none of these is added
REGISTER_KINDS: tuple[type, ...] = (data.Custom, data.Open)


def read_register(entries: list[Any]) -> Register:
    """Read every asset directive of ``entries`` and validate the register as a whole (from its
    :data:`REGISTER_KINDS` alone)."""
    register = Register()
    kinds = (ASSET, TRANSFER, SCHEDULE, IMPAIRMENT, DISPOSAL)
    for entry in entries_of(entries, data.Custom):
        if entry.type in kinds:
            read_entry(entry, register)
    opened = {entry.account for entry in entries_of(entries, data.Open)}
    orphans = [
        (item.meta, f"{what} for ukjent eiendel {asset_id!r}")
        for what, table in (("planlinje", register.schedules), ("hendelse", register.events))
        for asset_id, items in table.items()
        if asset_id not in register.specs
        for item in items
    ]
    register.errors += [NhnfinError(meta, message, None) for meta, message in orphans]
    register.errors += repeated_meta_keys(entries, kinds)
    for spec in register.specs.values():
        events = register.events.get(spec.id, [])
        schedule = check_schedule(spec, register.schedules.get(spec.id, []))
        accounts = check_accounts(spec, events, opened)
        if schedule or accounts.asset:  # not booked: a wrong schedule or account would only
            register.invalid.add(spec.id)  # add more errors
        left_out = {id(event) for event in accounts.events}
        dated = check_events(spec, [e for e in events if id(e) not in left_out])
        left_out.update(id(event) for event in dated.events)
        if left_out:
            register.events[spec.id] = [e for e in events if id(e) not in left_out]
        register.errors += [*schedule, *accounts.errors, *dated.errors]
    return register
