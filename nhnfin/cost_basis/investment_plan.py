"""The six-year investment plan (periodeplan) per initiative, and planned vs booked investment.

The plan is data in the ledger, one directive a line::

    2024-01-01 custom "nhnfin-initiative" "pll" "Pasientens legemiddelliste (SFM)"
    2024-01-01 custom "nhnfin-investment-margin" 20 25   ; min = plan − 20 %, max = plan + 25 %
    2024-01-01 custom "nhnfin-investment-plan" "pll" 2024 116000000 NOK
      min: 92800000 NOK                                   ; optional: overrides the margin
      max: 145000000 NOK

*Booked* investment of an initiative in a year is the sum of the postings to fixed-asset accounts
(1000-1299, including 1280 assets under construction) in that year that carry ``initiative:``
(on the posting or its transaction), leaving out nhnfin's generated entries (depreciation, the
transfer from 1280 when an asset is ready), which would count the same money twice. A plan line
without ``min:``/``max:`` gets them from the margin (to the krone, half up); with no margin
either, min = max = plan. Errors are at the directive's or transaction's file:line.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP
from decimal import Decimal
from typing import Any

from beancount.core import amount as bc_amount
from beancount.core import data

from nhnfin.accounts import account_number
from nhnfin.errors import NhnfinError
from nhnfin.errors import as_written
from nhnfin.money import KRONE
from nhnfin.money import ZERO
from nhnfin.provenance import GENERATED_TAG

ASSET_NUMBERS = range(1000, 1300)
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class PlanLine:
    """Planned investment of one initiative in one year, with its range."""

    initiative: str
    label: str
    year: int
    plan: Decimal
    low: Decimal
    high: Decimal
    booked: Decimal

    @property
    def variance(self) -> Decimal:
        """Booked − plan."""
        return self.booked - self.plan

    @property
    def status(self) -> str:
        """Where the booked amount lies against the range."""
        if self.booked < self.low:
            return "under min"
        return "over maks" if self.booked > self.high else "innenfor"


def _nok(value: Any, what: str) -> Decimal:
    if isinstance(value, bc_amount.Amount) and value.currency == "NOK" and value.number is not None:
        return value.number
    raise ValueError(f"{what} må være et beløp i NOK, men er {as_written(value)}")


def _year(value: Any) -> int:
    if isinstance(value, Decimal) and value == value.to_integral_value() and 1900 < value < 3000:
        return int(value)
    raise ValueError(f"året må være et tall som 2024, men er {as_written(value)}")


def _values(entry: data.Custom) -> list[Any]:
    return [v.value for v in entry.values or []]


def parse(entries: Iterable[Any]) -> tuple[dict[str, str], list[tuple[data.Custom, int]],
                                            tuple[Decimal, Decimal], list[NhnfinError]]:
    """The initiatives, the plan directives with their year, the margin, and the errors."""
    initiatives: dict[str, str] = {}
    plans: list[tuple[data.Custom, int]] = []
    margin = (ZERO, ZERO)
    errors: list[NhnfinError] = []
    for entry in entries:
        if not isinstance(entry, data.Custom):
            continue
        values = _values(entry)
        try:
            if entry.type == "nhnfin-initiative":
                if len(values) != 2 or not all(isinstance(v, str) for v in values):
                    raise ValueError('ventet "tiltak-id" "Navn"')
                if values[0] in initiatives:
                    raise ValueError(f"tiltaket {values[0]!r} er oppgitt to ganger")
                initiatives[values[0]] = values[1]
            elif entry.type == "nhnfin-investment-margin":
                if len(values) != 2 or not all(isinstance(v, Decimal) and v >= 0 for v in values):
                    raise ValueError("ventet to prosentsatser ≥ 0: under og over planen")
                margin = (values[0], values[1])
            elif entry.type == "nhnfin-investment-plan":
                if len(values) != 3 or not isinstance(values[0], str):
                    raise ValueError('ventet "tiltak-id" ÅR BELØP NOK')
                plans.append((entry, _year(values[1])))
        except ValueError as exc:
            errors.append(NhnfinError(entry.meta, f"{entry.type}: {exc}", entry))
    return initiatives, plans, margin, errors


def booked(entries: Iterable[Any], initiatives: dict[str, str]
           ) -> tuple[dict[tuple[str, int], Decimal], list[NhnfinError]]:
    """Booked investment per (initiative, year) from the asset postings tagged ``initiative:``."""
    result: dict[tuple[str, int], Decimal] = {}
    errors: list[NhnfinError] = []
    for entry in entries:
        if not isinstance(entry, data.Transaction) or GENERATED_TAG in entry.tags:
            continue
        for posting in entry.postings:
            tag = (posting.meta or {}).get("initiative", entry.meta.get("initiative"))
            if tag is None or account_number(posting.account) not in ASSET_NUMBERS:
                continue
            if tag not in initiatives:
                errors.append(NhnfinError(entry.meta, f"investering for ukjent tiltak "
                                          f"{tag!r}", entry))
                continue
            if posting.units is None or posting.units.number is None:
                continue
            key = (str(tag), entry.date.year)
            result[key] = result.get(key, ZERO) + posting.units.number
    return result, errors


def _bound(plan: Decimal, percent: Decimal, sign: int) -> Decimal:
    if not percent:
        return plan
    return (plan * (HUNDRED + sign * percent) / HUNDRED).quantize(KRONE, rounding=ROUND_HALF_UP)


def plan_vs_booked(entries: list[Any]) -> tuple[list[PlanLine], list[NhnfinError]]:
    """One line per initiative and year of the plan (years without a plan line plan 0)."""
    initiatives, plans, margin, errors = parse(entries)
    spent, booked_errors = booked(entries, initiatives)
    errors.extend(booked_errors)
    given: dict[tuple[str, int], tuple[Decimal, Decimal, Decimal]] = {}
    for entry, year in plans:
        sid, meta = entry.values[0].value, entry.meta
        try:
            if sid not in initiatives:
                raise ValueError(f"plan for ukjent tiltak {sid!r}")
            if (sid, year) in given:
                raise ValueError(f"planen for {sid!r} {year} er oppgitt to ganger")
            plan = _nok(entry.values[2].value, "plan")
            low = _nok(meta["min"], "min") if "min" in meta else _bound(plan, margin[0], -1)
            high = _nok(meta["max"], "max") if "max" in meta else _bound(plan, margin[1], 1)
            if not ZERO <= low <= plan <= high:
                raise ValueError(f"krever 0 ≤ min ≤ plan ≤ max, men er {low} / {plan} / {high}")
        except ValueError as exc:
            errors.append(NhnfinError(meta, f"{entry.type}: {exc}", entry))
            continue
        given[(sid, year)] = (plan, low, high)
    years = sorted({y for _, y in given} | {y for _, y in spent})
    lines = []
    for sid, label in initiatives.items():
        for year in range(years[0], years[-1] + 1) if years else ():
            plan, low, high = given.get((sid, year), (ZERO, ZERO, ZERO))
            lines.append(PlanLine(sid, label, year, plan, low, high, spent.get((sid, year), ZERO)))
    return lines, errors
