"""Debits and credits per account and year, and small helpers the asset notes (4 and 8) share.

The ledger's movement table nets each account per year; a roll-forward needs the two sides
apart (additions are debits to a cost account, depreciation credits to its NNN9 account), so this
module sums them from the transactions. Nothing is rounded.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from beancount.core import data

from nhnfin import drill as drills
from nhnfin.accounts import account_number
from nhnfin.ledger import Ledger
from nhnfin.ledger import year_bounds
from nhnfin.mapping import resolve_layout
from nhnfin.model import Drill
from nhnfin.money import ZERO
from nhnfin.statements import BROUGHT_IN
from nhnfin.statements import books_opening_balance
from nhnfin.statements import cash_flow_accounts


@dataclass(frozen=True)
class Flows:
    """Debits (positive) and credits (negative) per account and year."""

    debits: dict[tuple[str, int], Decimal]
    credits: dict[tuple[str, int], Decimal]

    def debit(self, accounts: Iterable[str], year: int) -> Decimal:
        """Sum of debits to ``accounts`` in ``year``."""
        return sum((self.debits.get((a, year), ZERO) for a in accounts), ZERO)

    def credit(self, accounts: Iterable[str], year: int) -> Decimal:
        """Sum of credits to ``accounts`` in ``year`` (negative)."""
        return sum((self.credits.get((a, year), ZERO) for a in accounts), ZERO)

    def debit_until(self, accounts: Iterable[str], year: int) -> Decimal:
        """Sum of debits to ``accounts`` up to the end of ``year``."""
        wanted = set(accounts)
        return sum((v for (a, y), v in self.debits.items() if a in wanted and y <= year), ZERO)

    def credit_until(self, accounts: Iterable[str], year: int) -> Decimal:
        """Sum of credits to ``accounts`` up to the end of ``year`` (negative)."""
        wanted = set(accounts)
        return sum((v for (a, y), v in self.credits.items() if a in wanted and y <= year), ZERO)


def flows(ledger: Ledger, accounts: Iterable[str]) -> Flows:
    """The debits and credits of ``accounts`` in NOK, per year."""
    return _of(ledger.derived(all_flows), set(accounts))


def all_flows(entries: list[Any]) -> Flows:
    """The debits and credits in NOK of every account, per year (one pass over ``entries``)."""
    debits: dict[tuple[str, int], Decimal] = defaultdict(lambda: ZERO)
    credits: dict[tuple[str, int], Decimal] = defaultdict(lambda: ZERO)
    for entry in entries:
        if not isinstance(entry, data.Transaction):
            continue
        for posting in entry.postings:
            units = posting.units
            if units is None or units.currency != "NOK":
                continue
            number = units.number
            if number is None:
                continue
            side = debits if number > 0 else credits
            side[(posting.account, entry.date.year)] += number
    return Flows(dict(debits), dict(credits))


def select(ledger: Ledger, keep: Callable[[int], bool]) -> tuple[str, ...]:
    """The ledger's accounts whose NS 4102 number satisfies ``keep``."""
    result = []
    for account in ledger.accounts():
        number = account_number(account)
        if number is not None and keep(number):
            result.append(account)
    return tuple(result)


def balance_sheet_accounts(ledger: Ledger, key: str) -> tuple[str, ...]:
    """The accounts of the balance-sheet line ``key`` in the ledger's layout (the one the
    statements use); none when the layout is invalid or has no such line."""
    layout, _ = ledger.derived(resolve_layout)
    if layout is None:
        return ()
    line = next((x for x in layout.statement("balance_sheet").lines if x.key == key), None)
    return select(ledger, line.matches) if line is not None else ()


def drill(accounts: tuple[str, ...], year: int, *, opening: bool = False, sign: int = 1) -> Drill:
    """The postings behind a figure: the year's, or everything before it for an opening."""
    start, end = year_bounds(year)
    if opening:
        return drills.postings(accounts, None, start, sign=sign, nok_only=True)
    return drills.postings(accounts, start, end, sign=sign, nok_only=True)


def side_drill(accounts: Iterable[str], year: int, side: str, *, sign: int = 1,
               period: str = "year", without: Iterable[data.Transaction] = ()) -> Drill:
    """The debits or credits (``side``) behind a :class:`Flows` figure: in ``year``
    (``period="year"``, as :meth:`Flows.debit`), up to its end (``"until"``, as
    :meth:`Flows.debit_until`) or before it (``"before"``); without the transactions
    ``without`` (the books' opening balance, :func:`year_flows`)."""
    start, end = year_bounds(year)
    since = start if period == "year" else None
    last = start if period == "before" else end
    away = [e for e in without if (since is None or since <= e.date) and e.date < last]
    if not away:
        return drills.postings(accounts, since, last, sign=sign, side=side, nok_only=True)
    return drills.postings(accounts, since, last, sign=sign, side=side, nok_only=True,
                           condition=drills.not_in_transactions(away),
                           condition_text="uten inngående balanse")


def opening_balance(ledger: Ledger) -> tuple[data.Transaction, ...]:
    """The books' opening balance (:func:`nhnfin.statements.books_opening_balance`, the
    definition the cash flow reads) by the ledger's layout; none when the layout is invalid."""
    layout, _ = ledger.derived(resolve_layout)
    if layout is None:
        return ()
    return books_opening_balance(ledger, cash_flow_accounts(layout, ledger))


def opening_balance_in(ledger: Ledger, year: int) -> tuple[data.Transaction, ...]:
    """The transactions of the books' opening balance (:func:`opening_balance`) dated in
    ``year``: what a note of that year reads as brought in, not as the year's flows."""
    return tuple(e for e in opening_balance(ledger) if e.date.year == year)


def year_flows(ledger: Ledger, accounts: Iterable[str], year: int
               ) -> tuple[Flows, Flows, tuple[data.Transaction, ...]]:
    """A roll-forward's readings of ``accounts`` in ``year``: every debit and credit
    (:func:`flows`), those of the books' opening balance dated in the year (:func:`opening_balance`:
    the balances the books start from, brought in, no flow of their year), and its transactions
    (for the drills: :func:`side_drill`'s ``without``, :func:`brought_in_drill`)."""
    opening = opening_balance_in(ledger, year)
    wanted = tuple(accounts)
    return flows(ledger, wanted), _of(all_flows(list(opening)), set(wanted)), opening


def _of(every: Flows, wanted: set[str]) -> Flows:
    return Flows({k: v for k, v in every.debits.items() if k[0] in wanted},
                 {k: v for k, v in every.credits.items() if k[0] in wanted})


def brought_in_drill(accounts: Iterable[str], year: int,
                     opening: Iterable[data.Transaction], *, sign: int = 1) -> Drill:
    """The postings of the books' opening balance (``opening``, dated in ``year``) to
    ``accounts``."""
    start, end = year_bounds(year)
    chosen = list(opening)
    return drills.postings(accounts, start, end, sign=sign, nok_only=True,
                           condition=drills.in_transactions(chosen) if chosen else "FALSE",
                           condition_text=BROUGHT_IN)


def balance_drill(accounts: Iterable[str], year: int, *, opening: bool, sign: int = 1) -> Drill:
    """The postings behind a balance of ``accounts`` at the start (``opening``) or end of
    ``year``."""
    start, end = year_bounds(year)
    return drills.postings(accounts, None, start if opening else end, sign=sign)

