"""The asset register as a whole: read every asset directive and check them together.

:func:`read_register` is what the plugins and note 8 call. Besides what a single directive can get
wrong (:mod:`nhnfin.assets.directives`) it reports schedule lines that overlap or end before the
start, a schedule that does not add up to a transfer's amount, ``months`` and schedule lines
both given (or, for a transfer, neither), events and schedules of unknown assets, and accounts
without an ``open`` directive, impairments and disposals before the asset exists or after its
disposal, each at the directive's file and line. An asset with such a
problem is marked ``invalid`` and not booked.
"""

from __future__ import annotations

import datetime
from typing import Any

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


def check_accounts(spec: AssetSpec, events: list[EventDecl], opened: set[str]) -> list[NhnfinError]:
    """Every account the asset will be booked on must be opened in the ledger; one that only an
    impairment or a disposal books on is named at that directive's line, which is where it is
    needed (round twelve's probe: a 2025 impairment's 1028, missing from the chart, was named at
    the 2024 transfer, as if the transfer were wrong)."""
    needed: list[tuple[str, Any]] = [(spec.cost_account, spec.meta)]
    if spec.cls.depreciable:
        needed += [(spec.cls.accumulated, spec.meta), (spec.cls.expense, spec.meta)]
    if spec.kind == "transfer":
        needed += [(spec.obligation, spec.meta), (spec.income, spec.meta)]
    impairments = sorted((e for e in events if e.kind == "impairment"), key=lambda e: e.date)
    if impairments:
        needed += [(spec.cls.impairment, impairments[0].meta),
                   (IMPAIRMENT_EXPENSE, impairments[0].meta)]
    needed += [(e.account, e.meta) for e in events if e.account]
    first: dict[str, Any] = {}
    for account, meta in needed:
        first.setdefault(account, meta)
    return [
        NhnfinError(meta, f"{spec.id}: ukjent konto {account} (ingen open-direktiv)", None)
        for account, meta in first.items()
        if account not in opened
    ]


def check_events(spec: AssetSpec, events: list[EventDecl]) -> list[NhnfinError]:
    """Impairments and disposals dated before the asset exists (its directive's date), and any
    event after the asset's disposal."""
    problems: list[NhnfinError] = []
    disposed: EventDecl | None = None
    for event in sorted(events, key=lambda e: (e.date, int(e.meta.get("lineno", 0)))):
        if event.date < spec.date:
            problems.append(NhnfinError(event.meta, (
                f"{EVENT_WORDS[event.kind]} av {spec.id!r} {event.date} er før eiendelen finnes "
                f"({spec.date}, {location(spec.meta)})"), None))
        elif disposed is not None:
            problems.append(NhnfinError(event.meta, (
                f"{EVENT_WORDS[event.kind]} av {spec.id!r} {event.date} er etter avgangen "
                f"{disposed.date} ({location(disposed.meta)})"), None))
        if event.kind == "disposal" and disposed is None:
            disposed = event
    return problems


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
        problems = check_schedule(spec, register.schedules.get(spec.id, []))
        problems += check_accounts(spec, register.events.get(spec.id, []), opened)
        problems += check_events(spec, register.events.get(spec.id, []))
        if problems:  # not booked: a wrong schedule or account would only add more errors
            register.invalid.add(spec.id)
        register.errors += problems
    return register
