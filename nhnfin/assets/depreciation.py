"""The depreciation engine: schedules per month and the charges an asset's life produces.

Pure arithmetic, no Beancount: the register (:mod:`nhnfin.assets`) and the delivery obligation
(:mod:`nhnfin.assets.delivery_obligation`) turn the results into transactions.

Rules (notes 1, 4 and 8 of the annual report; ``docs/fixed-assets.md``):

* **Straight-line** over N months from the date the asset is ready for use: each month takes the
  amount truncated to the øre, the last month takes the remainder, so the months add up to the
  cost exactly. A start after the 1st takes the part of its first month still left (by days) and
  the rest of that month in the month after the life ends.
* **Explicit** schedules give amounts per year or per month; a year's amount is spread evenly over
  its months (from the start month on), remainder in the last.
* **Events** re-plan the months still to come: an addition to cost or an impairment spreads the
  new book value over the remaining months in proportion to the plan; a disposal ends the life.
  A month's charge dated on the same day as an event comes first. Nothing is ever charged past
  a zero book value.
"""

from __future__ import annotations

import calendar
import datetime
import functools
from collections.abc import Mapping
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_DOWN
from decimal import Decimal
from typing import Any
from typing import Literal

from nhnfin.money import ORE
from nhnfin.money import ZERO

#: an event of an asset's life as a controller names it (in messages)
EVENT_WORDS = {"impairment": "nedskrivningen", "disposal": "avgangen", "addition": "tilgangen"}

Schedule = dict[datetime.date, Decimal]
"""Month (its first day) -> amount charged for that month."""


def month_of(day: datetime.date) -> datetime.date:
    """The first day of ``day``'s month."""
    return day.replace(day=1)


def add_months(month: datetime.date, count: int) -> datetime.date:
    """The first day of the month ``count`` months after ``month``."""
    index = month.year * 12 + month.month - 1 + count
    return datetime.date(index // 12, index % 12 + 1, 1)


@functools.cache  # a register of a hundred assets asks for the same few hundred months
def month_end(month: datetime.date) -> datetime.date:
    """The last day of ``month``."""
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def scaled(total: Decimal, weights: Sequence[Decimal]) -> list[Decimal]:
    """Split ``total`` in proportion to ``weights``: each part truncated to the øre, the
    remainder in the last part (so the parts add up to ``total``)."""
    weight_sum = sum(weights, ZERO)
    if not weights:
        return []
    if weight_sum == 0:
        weights, weight_sum = [Decimal(1)] * len(weights), Decimal(len(weights))
    parts = [(total * w / weight_sum).quantize(ORE, rounding=ROUND_DOWN) for w in weights[:-1]]
    return [*parts, total - sum(parts, ZERO)]


def straight_line(total: Decimal, months: int, start: datetime.date) -> Schedule:
    """Straight-line over ``months`` months from ``start`` (a partial first month by days)."""
    first = month_of(start)
    days = calendar.monthrange(start.year, start.month)[1]
    left = days - start.day + 1
    weights = [Decimal(days)] * months
    weights[0] = Decimal(left)
    if left != days:
        weights.append(Decimal(days - left))
    return {add_months(first, i): part for i, part in enumerate(scaled(total, weights))}


def explicit(
    lines: Sequence[tuple[datetime.date, datetime.date, Decimal]], start: datetime.date
) -> Schedule:
    """Amounts per period (first month, last month, amount), each spread over its months from
    the start month on."""
    result: Schedule = {}
    for first, last, amount in lines:
        month = max(first, month_of(start))
        months: list[datetime.date] = []
        while month <= last:
            months.append(month)
            month = add_months(month, 1)
        for key, part in zip(months, scaled(amount, [Decimal(1)] * len(months)), strict=True):
            result[key] = result.get(key, ZERO) + part
    return result


EventKind = Literal["addition", "impairment", "disposal"]
ChargeKind = Literal["depreciation", "impairment", "disposal"]


@dataclass(frozen=True)
class Event:
    """Something that changes an asset's plan: ``amount`` is the cost added or the impairment
    (zero for a disposal); ``source`` the meta of the directive or posting that caused it."""

    date: datetime.date
    kind: EventKind
    amount: Decimal
    source: Mapping[str, Any]


@dataclass(frozen=True)
class Charge:
    """An amount to book: a month's depreciation (dated at month end), an impairment, or a
    disposal (``amount`` = book value written off, with the cost and accumulated figures it
    reverses)."""

    date: datetime.date
    kind: ChargeKind
    amount: Decimal
    source: Mapping[str, Any] | None = None
    cost: Decimal = ZERO
    depreciated: Decimal = ZERO
    impaired: Decimal = ZERO


@dataclass(frozen=True)
class Problem:
    """Something the plan cannot do, located at ``source``."""

    message: str
    source: Mapping[str, Any]


def replan(plan: Schedule, after: datetime.date, book_value: Decimal) -> Schedule | None:
    """``plan`` with the months ending after ``after`` rescaled to add up to ``book_value``;
    None when no month is left to take a positive book value."""
    future = sorted(m for m in plan if month_end(m) > after)
    if not future:
        return None if book_value > 0 else dict(plan)
    parts = scaled(book_value, [plan[m] for m in future])
    return {**plan, **dict(zip(future, parts, strict=True))}


@dataclass
class _Life:
    """The running state of one asset while its timeline is played."""

    plan: Schedule
    book: Decimal
    cost: Decimal
    depreciated: Decimal = ZERO
    impaired: Decimal = ZERO
    disposed: Event | None = None

    def month(self, day: datetime.date, month: datetime.date) -> list[Charge]:
        """The month's planned charge, never past a zero book value."""
        amount = min(self.plan[month], self.book)
        if amount <= 0:
            return []
        self.book -= amount
        self.depreciated += amount
        return [Charge(day, "depreciation", amount)]

    def event(self, event: Event, depreciable: bool) -> tuple[list[Charge], list[Problem]]:
        """Apply an addition, impairment or disposal; re-plan the months left."""
        if event.kind == "disposal":
            self.disposed = event
            charge = Charge(
                event.date, "disposal", self.book, event.source, self.cost, self.depreciated,
                self.impaired,
            )  # fmt: skip
            return [charge], []
        charges, problems = [], []
        if event.kind == "impairment":
            amount = min(event.amount, self.book)
            if amount < event.amount:
                message = f"nedskrivningen {event.amount} er større enn bokført verdi {self.book}"
                problems.append(Problem(f"{message}; begrenset til {self.book}", event.source))
            self.book -= amount
            self.impaired += amount
            charges.append(Charge(event.date, "impairment", amount, event.source))
        else:
            self.book += event.amount
            self.cost += event.amount
        if depreciable:
            new_plan = replan(self.plan, event.date, self.book)
            if new_plan is None:
                message = (f"{EVENT_WORDS[event.kind]} {event.date} kommer etter slutten av "
                           "eiendelens levetid")
                problems.append(Problem(message, event.source))
            else:
                self.plan = new_plan
        return charges, problems


def run(
    cost: Decimal, plan: Schedule, events: Sequence[Event], until: datetime.date
) -> tuple[list[Charge], list[Problem]]:
    """The charges of an asset with ``cost`` and monthly ``plan`` up to ``until`` (inclusive).

    An empty plan means the asset is not depreciated (art): events still apply.
    """
    timeline: list[tuple[datetime.date, int, datetime.date | Event]] = [
        (month_end(m), 0, m) for m in plan
    ]
    timeline += [(e.date, 1, e) for e in events]
    timeline.sort(key=lambda item: (item[0], item[1]))
    life = _Life(dict(plan), cost, cost)
    charges: list[Charge] = []
    problems: list[Problem] = []
    for day, _, item in timeline:
        if day > until:
            break
        if life.disposed is not None:
            if isinstance(item, Event):
                message = f"{EVENT_WORDS[item.kind]} etter avgangen {life.disposed.date}"
                problems.append(Problem(message, item.source))
        elif isinstance(item, Event):
            more, trouble = life.event(item, bool(plan))
            charges += more
            problems += trouble
        else:
            charges += life.month(day, item)
    return charges, problems
