"""The cost basis's raw figures: every budget line and every D&F cost posting as a :class:`Fact`.

A fact is an amount for one solution, cost element, funding source, driver and year, from one
source (a version, or the books). Budget lines come from ``nhnfin-budget`` directives; actuals are
the postings to a cost account (4000-7999) with ``solution:`` on the posting or its transaction,
exactly as the e-health income rule counts D&F cost (:mod:`nhnfin.ehealth`). A posting's element
is its ``cost-element:`` (posting, then transaction) or else the element its account number is
mapped to (``accounts:`` of ``nhnfin-cost-element``).

Who pays (the funding rule): ``funding:`` on the line or posting if given; otherwise investment
funds (``satsingsmidler``) before the solution's ready-for-management date and the regulation
(``forskrift``) from it. A budget line whose period straddles that date is split by days, by
largest remainder to the øre (:func:`nhnfin.money.allocate`), so the parts add up to the line.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from decimal import Decimal
from typing import Any

from beancount.core import data

from nhnfin.accounts import account_number
from nhnfin.cost_basis.directives import INVESTMENT
from nhnfin.cost_basis.directives import REGULATION
from nhnfin.cost_basis.directives import CostBasisConfig
from nhnfin.cost_basis.directives import Period
from nhnfin.ehealth.plugin import COST_NUMBERS
from nhnfin.ehealth.plugin import RULE as EHEALTH_INCOME_RULE
from nhnfin.errors import NhnfinError
from nhnfin.money import ORE
from nhnfin.money import allocate

ACTUAL = "actual"


@dataclass(frozen=True)
class Fact:
    """An amount of one source (a version id, or ``"actual"``) for one cell of the cost basis."""

    source: str
    solution: str
    element: str
    funding: str
    driver: str
    year: int
    amount: Decimal
    note: str = ""
    # a version's fact: the budget line it comes from, and whether it is the whole line's amount
    # or the part of it the funding rule gives ``funding`` (a line split at a ready date)
    meta: Mapping[str, Any] | None = field(default=None, compare=False)
    whole: bool = field(default=True, compare=False)


def funding_split(amount: Decimal, period: Period, override: str | None,
                  ready: datetime.date | None) -> list[tuple[str, Decimal]]:
    """Split ``amount`` of ``period`` between investment funds and the regulation.

    Args:
        amount: the line's amount (a whole number of øre).
        period: the period it covers.
        override: an explicit ``funding:``, which takes it all.
        ready: the solution's ready-for-management date (None: always under the regulation).

    Returns:
        ``(funding id, part)`` pairs summing to ``amount`` (non-zero parts; one pair for 0).
    """
    if override is not None:
        return [(override, amount)]
    if ready is None or ready <= period.start:
        return [(REGULATION, amount)]
    if ready >= period.end:
        return [(INVESTMENT, amount)]
    before = Decimal((ready - period.start).days)
    after = Decimal((period.end - ready).days)
    parts = allocate(amount, [before, after], ORE)
    split = [(f, p) for f, p in zip((INVESTMENT, REGULATION), parts, strict=True) if p]
    return split or [(REGULATION, amount)]


def version_facts(config: CostBasisConfig, version: str) -> list[Fact]:
    """The facts of one version, every year, in ledger order."""
    facts = []
    for line in config.lines:
        if line.version != version:
            continue
        ready = config.ready.get(line.solution)
        parts = funding_split(line.amount, line.period, line.funding,
                              ready.date if ready else None)
        for funding, part in parts:
            facts.append(Fact(version, line.solution, line.element, funding, line.driver,
                              line.period.year, part, line.note, line.meta, len(parts) == 1))
    return facts


def _meta_value(key: str, posting: data.Posting, entry: data.Transaction) -> str | None:
    value = (posting.meta or {}).get(key, entry.meta.get(key))
    return None if value is None else str(value)


def actual_facts(entries: Iterable[Any], config: CostBasisConfig
                 ) -> tuple[list[Fact], list[NhnfinError]]:
    """The D&F cost postings of the books as facts, and the postings that cannot be placed."""
    facts: list[Fact] = []
    errors: list[NhnfinError] = []
    for entry in entries:
        if not isinstance(entry, data.Transaction) or (
                entry.meta.get("nhnfin-rule") == EHEALTH_INCOME_RULE):
            continue
        for posting in entry.postings:
            number = account_number(posting.account)
            solution = _meta_value("solution", posting, entry)
            if number is None or number not in COST_NUMBERS or solution is None:
                continue
            fact, problem = _actual(entry, posting, number, solution, config)
            if problem:
                errors.append(NhnfinError(entry.meta, problem, entry))
            elif fact is not None:
                facts.append(fact)
    return facts, errors


def _actual(entry: data.Transaction, posting: data.Posting, number: int, solution: str,
            config: CostBasisConfig) -> tuple[Fact | None, str]:
    if solution not in config.solutions:
        return None, f"kostnad for ukjent løsning {solution!r}"
    element = _meta_value("cost-element", posting, entry) or config.element_of(number)
    if element is None:
        return None, (f"kostnad på {posting.account} for {solution!r} har ikke noe "
                      f"kostnadselement: legg til cost-element: \"<id>\" eller knytt konto "
                      f"{number} til et element (nhnfin-cost-element accounts:)")
    if element not in config.elements:
        return None, f"kostnad for ukjent kostnadselement {element!r}"
    funding = _meta_value("funding", posting, entry)
    if funding is None:
        ready = config.ready.get(solution)
        funding = INVESTMENT if ready is not None and entry.date < ready.date else REGULATION
    elif funding not in config.funding:
        return None, f"kostnad for ukjent finansiering {funding!r}"
    units = posting.units
    if units is None or units.number is None or units.currency != "NOK":
        return None, f"kostnad på {posting.account} er ikke i NOK"
    amount = units.number
    return Fact(ACTUAL, solution, element, funding, "", entry.date.year, amount), ""


def total(facts: Iterable[Fact], **where: Any) -> Decimal:
    """Sum of the facts whose attributes equal ``where`` (e.g. ``source="f1", year=2026``)."""
    return sum((f.amount for f in facts
                if all(getattr(f, k) == v for k, v in where.items())), Decimal(0))
