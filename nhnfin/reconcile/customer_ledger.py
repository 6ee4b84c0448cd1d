"""The customer ledger (kundereskontro): open items per customer and the control-account check.

Each customer is a sub-account of the control account (``Assets:1500-TradeReceivables:<Customer>``).
An item is identified by its invoice reference: the posting's or transaction's ``invoice`` meta,
else its first link (``^ehf-2024-Q1-Helse-Vest``); a payment carrying the same reference settles
it. Postings with no reference are grouped as one unreferenced item per customer, so nothing is
hidden. The check :func:`subledger_check` compares the sum of all open items with the balance of
the control account including anything posted to the control account itself (which belongs to no
customer and makes the check fail).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from beancount.core import data

from nhnfin.accounts import is_under
from nhnfin.model import Status
from nhnfin.model import TieOut
from nhnfin.money import ZERO
from nhnfin.money import norwegian

CONTROL = "Assets:1500-TradeReceivables"


@dataclass(frozen=True)
class OpenItem:
    """What is still owed on one invoice reference by one customer."""

    customer: str
    account: str
    reference: str
    date: datetime.date
    invoiced: Decimal
    open: Decimal


def customer_of(account: str, control: str = CONTROL) -> str | None:
    """The customer of a sub-account of ``control`` (None for other accounts and the control)."""
    prefix = control + ":"
    return account[len(prefix):] if account.startswith(prefix) else None


def _reference(posting: data.Posting, entry: data.Transaction) -> str:
    value = (posting.meta or {}).get("invoice", entry.meta.get("invoice"))
    if value:
        return str(value)
    return sorted(entry.links)[0] if entry.links else ""


def _postings(entries: Iterable[Any], control: str, as_of: datetime.date | None
              ) -> Iterable[tuple[data.Transaction, data.Posting, Decimal]]:
    """The postings to the control account tree with their number, up to ``as_of``."""
    for entry in entries:
        if not isinstance(entry, data.Transaction) or (as_of and entry.date > as_of):
            continue
        for posting in entry.postings:
            in_tree = is_under(posting.account, control)
            if in_tree and posting.units is not None and posting.units.number is not None:
                yield entry, posting, posting.units.number


def fifo_date(debits: list[tuple[datetime.date, Decimal]], credited: Decimal
              ) -> datetime.date | None:
    """The date of the oldest debit that ``credited`` (paid, positive) has not covered, the
    payments settling the oldest debits first; None when everything is covered."""
    left = credited
    for date, amount in sorted(debits, key=lambda d: d[0]):
        if left < amount:
            return date
        left -= amount
    return None


def open_items(entries: Iterable[Any], control: str = CONTROL,
               as_of: datetime.date | None = None) -> dict[str, list[OpenItem]]:
    """Open items per customer (sorted), on ``as_of`` (inclusive; None = everything).

    An item is dated by its oldest debit that its payments have not covered (first in, first
    out), so a customer paying in bulk without references shows the age of what is really open.
    """
    total: dict[tuple[str, str], Decimal] = defaultdict(lambda: ZERO)
    debits: dict[tuple[str, str], list[tuple[datetime.date, Decimal]]] = defaultdict(list)
    first: dict[tuple[str, str], datetime.date] = {}
    for entry, posting, number in _postings(entries, control, as_of):
        if customer_of(posting.account, control) is None:
            continue
        item = (posting.account, _reference(posting, entry))
        total[item] += number
        if number > 0:
            debits[item].append((entry.date, number))
        first.setdefault(item, entry.date)
    result: dict[str, list[OpenItem]] = defaultdict(list)
    for (account, reference), amount in sorted(total.items()):
        if amount != 0:
            customer = customer_of(account, control) or account
            invoiced = sum((d for _, d in debits[account, reference]), ZERO)
            date = fifo_date(debits[account, reference], invoiced - amount)
            result[customer].append(OpenItem(customer, account, reference,
                                             date or first[account, reference],
                                             invoiced, amount))
    return dict(result)


def control_balance(entries: Iterable[Any], control: str = CONTROL,
                    as_of: datetime.date | None = None) -> tuple[Decimal, Decimal]:
    """Balance of the control account tree and the part posted to the control account itself."""
    tree = own = ZERO
    for _entry, posting, number in _postings(entries, control, as_of):
        tree += number
        if posting.account == control:
            own += number
    return tree, own


def subledger_check(entries: list[Any], control: str = CONTROL,
                    as_of: datetime.date | None = None) -> TieOut:
    """Sum of the customers' open items = balance of the control account."""
    items = sum((i.open for per in open_items(entries, control, as_of).values() for i in per),
                ZERO)
    tree, own = control_balance(entries, control, as_of)
    detail = ("" if own == 0 else
              f"{norwegian(own)} NOK er ført på {control} selv, ikke på en kunde")
    return TieOut(
        check_id="customer_ledger.control",
        description=f"Kundereskontro = {control}" + (f" per {as_of}" if as_of else ""),
        left=items, right=tree, status=Status.PASSED if items == tree else Status.FAILED,
        detail=detail)
