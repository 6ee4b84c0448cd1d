"""Property: the e-health liability (2920) never goes negative, whatever the invoices, costs,
credit notes and repayments (hypothesis).

For random ledgers over three years with one or two solutions:

- without credit notes, each solution's liability is ≥ 0 at the end of every day; the only
  errors are repayments refused at their own line (more than the liability carried), and every
  repayment not refused is booked in full;
- with credit notes, a day that ends with a negative liability has an error at a credit note
  dated on or before it;
- income never exceeds cost, per solution and year.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from beancount import loader
from beancount.core import data
from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from tests.ehealth.conftest import HEADER

LIABILITY = "Liabilities:2920-EHealthObligations"
INCOME = "Income:3000-EHealthRevenue"
COST = "Expenses:6700-ExternalServices"
SOLUTIONS = ("kj", "hid")
ZERO = Decimal(0)
amounts = st.integers(1, 200_000).map(lambda cents: Decimal(cents) / 100)
dates = st.dates(datetime.date(2023, 1, 1), datetime.date(2025, 12, 31))
HEADER_LINES = HEADER.count("\n")


@dataclass(frozen=True)
class Event:
    """One line group of the ledger: what it is, for which solution, when and how much."""

    kind: str  # invoice, credit, cost, repayment
    solution: str
    day: datetime.date
    amount: Decimal

    def text(self) -> str:
        if self.kind == "repayment":
            return (f'{self.day} custom "nhnfin-ehealth-repayment" "{self.solution}" '
                    f"{self.amount} NOK Assets:1920-Bank\n")
        if self.kind == "cost":
            return (f'{self.day} * "Drift"\n  solution: "{self.solution}"\n'
                    f"  {COST}  {self.amount} NOK\n  Assets:1920-Bank  {-self.amount} NOK\n")
        sign = 1 if self.kind == "invoice" else -1
        return (f'{self.day} * "Faktura"\n'
                f"  Assets:1500-TradeReceivables:Helse-Vest  {sign * self.amount} NOK\n"
                f"  {LIABILITY}  {-sign * self.amount} NOK\n"
                f'    solution: "{self.solution}"\n')


@st.composite
def ledgers(draw: st.DrawFn, credits: bool) -> tuple[str, dict[int, Event]]:
    """A ledger text and the event that starts at each of its lines."""
    solutions = SOLUTIONS[: draw(st.integers(1, 2))]
    kinds = ["invoice", "cost", "repayment", *(["credit"] if credits else [])]
    events = draw(st.lists(st.builds(Event, st.sampled_from(kinds), st.sampled_from(solutions),
                                     dates, amounts), min_size=1, max_size=14))
    text = HEADER + "".join(f'2023-01-01 custom "nhnfin-ehealth-solution" "{s}" "{s}"\n'
                            for s in solutions)
    starts: dict[int, Event] = {}
    for event in events:
        starts[text.count("\n") + 1] = event
        text += event.text()
    return text, starts


def liability_by_day(entries: list[Any]) -> dict[str, dict[datetime.date, Decimal]]:
    """Per solution, the liability's credit balance at the end of each day with a movement."""
    moves: dict[str, dict[datetime.date, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    for entry in entries:
        if isinstance(entry, data.Transaction):
            for posting in entry.postings:
                if posting.account == LIABILITY and posting.units is not None:
                    sid = str((posting.meta or {}).get("solution", entry.meta.get("solution")))
                    moves[sid][entry.date] -= posting.units.number
    balances: dict[str, dict[datetime.date, Decimal]] = {}
    for sid, by_day in moves.items():
        running, balances[sid] = ZERO, {}
        for day in sorted(by_day):
            running += by_day[day]
            balances[sid][day] = running
    return balances


def booked(entries: list[Any], rule: str | None, account: str) -> dict[str, Decimal]:
    """Per solution, the sum of ``account`` postings of entries of ``rule`` (None: by hand)."""
    sums: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for entry in entries:
        if isinstance(entry, data.Transaction) and entry.meta.get("nhnfin-rule") == rule:
            for posting in entry.postings:
                if posting.account == account and posting.units is not None:
                    sid = str((posting.meta or {}).get("solution", entry.meta.get("solution")))
                    sums[sid] += posting.units.number
    return sums


SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(ledgers(credits=False))
def test_the_liability_never_goes_negative(ledger: tuple[str, dict[int, Event]]) -> None:
    text, starts = ledger
    entries, errors, _ = loader.load_string(text)
    for error in errors:  # only repayments beyond the liability, each at its own line
        event = starts.get(error.source["lineno"])
        assert event is not None, error.message
        assert event.kind == "repayment", error.message
        assert "er mer enn forpliktelsen har" in error.message
    for sid, balances in liability_by_day(entries).items():
        assert all(balance >= 0 for balance in balances.values()), (sid, balances)
    repaid = booked(entries, "ehealth-repayment", LIABILITY)
    wanted = defaultdict(lambda: ZERO)
    for line, event in starts.items():
        if event.kind == "repayment" and not any(e.source["lineno"] == line for e in errors):
            wanted[event.solution] += event.amount
    assert {k: v for k, v in repaid.items() if v} == {k: v for k, v in wanted.items() if v}


@SETTINGS
@given(ledgers(credits=True))
def test_a_negative_liability_is_an_error_at_a_credit_note(
        ledger: tuple[str, dict[int, Event]]) -> None:
    text, starts = ledger
    entries, errors, _ = loader.load_string(text)
    located = [starts[e.source["lineno"]] for e in errors if e.source["lineno"] in starts]
    for sid, balances in liability_by_day(entries).items():
        for day, balance in balances.items():
            if balance < 0:
                assert any(e.kind == "credit" and e.solution == sid and e.day <= day
                           for e in located), (sid, day, balance, [e.message for e in errors])


@SETTINGS
@given(ledgers(credits=True))
def test_income_never_exceeds_cost(ledger: tuple[str, dict[int, Event]]) -> None:
    text, _ = ledger
    entries, _, _ = loader.load_string(text)
    income: dict[tuple[str, int], Decimal] = defaultdict(lambda: ZERO)
    cost: dict[tuple[str, int], Decimal] = defaultdict(lambda: ZERO)
    for entry in entries:
        if isinstance(entry, data.Transaction):
            sid = str(entry.meta.get("solution"))
            for posting in entry.postings:
                if posting.units is None:
                    continue
                if posting.account == INCOME:
                    income[(sid, entry.date.year)] -= posting.units.number
                elif posting.account == COST:
                    cost[(sid, entry.date.year)] += posting.units.number
    for key, amount in income.items():
        assert amount <= cost[key], key
