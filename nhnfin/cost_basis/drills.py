"""What makes each figure of the cost basis, as :class:`nhnfin.model.Drill` (see
:mod:`nhnfin.drill`), built beside the figure from the same facts and the same rules:

- a version's figure (budget, forecast) is declared data: the ``nhnfin-budget`` lines it sums,
  each a ``(file, line, key)`` place. The key is ``amount`` for the whole line, or
  ``amount@<funding>`` for the part the funding rule gives that source when the line's period
  straddles the solution's ready-for-management date (:func:`line_value` says what a key
  means). A figure no line makes (0) names the version's own directive with the key ``""``.
- the actual figure is the D&F cost postings :func:`nhnfin.cost_basis.facts.actual_facts`
  counts, selected in BQL by the same rules: a cost account (4000-7999), ``solution:`` of the
  posting else of its transaction, the cost element (``cost-element:`` else the account's
  mapping), who pays (``funding:`` else the ready-for-management date), NOK, and not the
  e-health income rule's own entries;
- a variance, growth or change is a sum of those (:func:`nhnfin.drill.combine`), a unit cost a
  quotient (:func:`nhnfin.drill.ratio`).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from nhnfin import drill as drills
from nhnfin.accounts import account_number
from nhnfin.cost_basis.directives import INVESTMENT
from nhnfin.cost_basis.directives import PARSERS
from nhnfin.cost_basis.directives import REGULATION
from nhnfin.cost_basis.directives import CostBasisConfig
from nhnfin.cost_basis.directives import Version
from nhnfin.cost_basis.facts import Fact
from nhnfin.cost_basis.facts import funding_split
from nhnfin.ehealth.plugin import COST_NUMBERS
from nhnfin.ehealth.plugin import NOT_RECOGNITION
from nhnfin.model import Drill

AMOUNT = "amount"
NO_VALUE = ""


SOLUTION, ELEMENT, FUNDING = (drills.meta_value("solution"), drills.meta_value("cost-element"),
                              drills.meta_value("funding"))


def place_key(fact: Fact) -> str:
    """The key of a version fact's place: the whole line, or its part for one funding source."""
    return AMOUNT if fact.whole else f"{AMOUNT}@{fact.funding}"


def line_value(entry: Any, key: str, config: CostBasisConfig) -> Decimal | None:
    """The value a place's ``key`` names on a cost-basis directive (``amount``, ``count``, or
    ``amount@<funding>``: that source's part of a budget line by the funding rule); None when
    the directive has no such value, 0 for :data:`NO_VALUE`."""
    if key == NO_VALUE:
        return Decimal(0)
    model = PARSERS[entry.type](entry, [v.value for v in entry.values or []])
    name, _, funding = key.partition("@")
    value = getattr(model, name, None)
    if not isinstance(value, Decimal):
        return None
    if not funding:
        return value
    ready = config.ready.get(model.solution)
    parts = dict(funding_split(value, model.period, model.funding, ready.date if ready else None))
    return parts.get(funding, Decimal(0))


def cost_accounts(entries: Iterable[Any]) -> tuple[str, ...]:
    """Every account of the ledger's postings that is a cost account (4000-7999)."""
    found = {p.account for e in entries for p in getattr(e, "postings", None) or ()
             if (account_number(p.account) or 0) in COST_NUMBERS}
    return tuple(sorted(found))


def version_drill(facts: Iterable[Fact], version: Version) -> Drill:
    """The budget lines (or their parts) ``facts`` of ``version`` come from; the version's own
    directive (value 0) when there are none."""
    mine = [f for f in facts if f.meta is not None]
    if not mine:
        return drills.declared([(version.meta, NO_VALUE)],
                               f"Ingen linjer i versjon {version.id} (0)")
    return drills.declared([(f.meta or {}, place_key(f)) for f in mine],
                           f"Linjer i versjon {version.id}")


@dataclass(frozen=True)
class CellDrills:
    """Makes the drills of the cost basis of ``year`` for figures filtered by solution, element
    and funding (the same ``where`` as :func:`nhnfin.cost_basis.facts.total`)."""

    config: CostBasisConfig
    accounts: tuple[str, ...]
    year: int

    def version(self, facts: Sequence[Fact], version: Version) -> Drill:
        """The budget lines (or parts) of ``version`` that ``facts`` (already filtered) are."""
        return version_drill((f for f in facts if f.source == version.id), version)

    def _element(self, element: str | None) -> tuple[str, str]:
        known = list(self.config.elements) if element is None else [element]
        mapped = [a for a in self.accounts
                  if self.config.element_of(account_number(a) or 0) in known]
        by_account = (f" OR ({ELEMENT} IS NULL AND {drills.account_condition(mapped)})"
                      if mapped else "")
        words = "" if element is None else f"kostnadselement {element}"
        return f"({drills.member_of(ELEMENT, known)}{by_account})", words

    def _investment(self) -> str:
        """BQL: the posting falls before its solution's ready-for-management date."""
        dated = [f"({SOLUTION} = {drills.literal(r.solution)} AND date < {r.date.isoformat()})"
                 for r in self.config.ready.values()]
        return f"({' OR '.join(dated)})" if dated else "FALSE"

    def _funding(self, funding: str | None) -> tuple[str, str]:
        if funding is None:
            return f"({FUNDING} IS NULL OR {drills.member_of(FUNDING, self.config.funding)})", ""
        rule = {INVESTMENT: self._investment(),
                REGULATION: f"NOT {self._investment()}"}.get(funding, "FALSE")
        return (f"({FUNDING} = {drills.literal(funding)} OR ({FUNDING} IS NULL AND {rule}))",
                f"finansiering {funding}")

    def actual(self, solution: str | None = None, element: str | None = None,
               funding: str | None = None) -> Drill:
        """The D&F cost postings of the year for the solution, element and funding given."""
        solutions = list(self.config.solutions) if solution is None else [solution]
        element_clause, element_words = self._element(element)
        funding_clause, funding_words = self._funding(funding)
        condition = " AND ".join((drills.member_of(SOLUTION, solutions), element_clause,
                                  funding_clause, NOT_RECOGNITION))
        words = ", ".join(w for w in ("D&F-kostnad" + (f" for {solution}" if solution else ""),
                                      element_words, funding_words) if w)
        if not datetime.MINYEAR <= self.year < datetime.MAXYEAR:  # no date, so no posting
            return drills.postings((), None, datetime.date.min, condition_text=words)
        start = datetime.date(self.year, 1, 1)
        return drills.postings(self.accounts, start, datetime.date(self.year + 1, 1, 1),
                               condition=condition, condition_text=words, nok_only=True)

    def comparison(self, facts: Sequence[Fact], budget: Version | None,
                   forecast: Version | None, **where: Any) -> dict[str, Drill]:
        """Budget, forecast, actual and the two variances of one row (``facts``: the year's)."""
        chosen = [f for f in facts if all(getattr(f, k) == v for k, v in where.items())]
        result = {"actual": self.actual(where.get("solution"), where.get("element"),
                                        where.get("funding"))}
        if budget is not None:
            result["budget"] = self.version(chosen, budget)
            result["actual_variance"] = drills.total(
                ((1, result["budget"]), (-1, result["actual"])), "Budsjett − regnskap")
        if forecast is not None:
            result["forecast"] = self.version(chosen, forecast)
        if budget is not None and forecast is not None:
            result["forecast_variance"] = drills.total(
                ((1, result["budget"]), (-1, result["forecast"])), "Budsjett − prognose")
        return result
