"""The books' opening balance read by C's loops (``statements._opening_day``, issue 19) is the
plain reading it replaced, transaction for transaction: the first day with a transaction
written in the ledger, or, when that day moves no cash, the first that does; rules' entries
(``#nhnfin-generated``), transactions without postings and any order of the list given."""

from __future__ import annotations

import datetime
from decimal import Decimal
from operator import attrgetter
from typing import Any

from beancount.core import amount
from beancount.core import data
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from nhnfin.config import first_written_day
from nhnfin.config import one_plugin_run
from nhnfin.config import posting_index
from nhnfin.provenance import GENERATED_TAG
from nhnfin.provenance import OPENING_BALANCE
from nhnfin.statements import CashFlowAccounts
from nhnfin.statements import opening_balance_of
from nhnfin.statements import touches

CASH, EQUITY, RESULT, OTHER = ("Assets:1920-Bank", "Equity:2050-RetainedEarnings",
                               "Expenses:6300-Rent", "Assets:1500-Receivables")
WHERE = CashFlowAccounts(cash=frozenset({CASH}), result=frozenset({RESULT}), section={},
                         equity=frozenset({EQUITY}))


def plain(entries: list[Any], where: CashFlowAccounts) -> tuple[Any, ...]:
    """The reading before issue 19's: every transaction looked at in Python."""
    transactions = [e for e in entries if isinstance(e, data.Transaction) and e.postings
                    and GENERATED_TAG not in (e.tags or ())]
    if not transactions:
        return ()
    first = min(map(attrgetter("date"), transactions))
    if not any(touches(e, where.cash) for e in transactions if e.date == first):
        with_cash = [e.date for e in transactions if touches(e, where.cash)]
        first = min(with_cash, default=first)
    found = tuple(e for e in transactions if e.date == first and not touches(e, where.result)
                  and e.meta.get(OPENING_BALANCE) is not False)
    if not any(touches(e, where.equity) for e in found):
        return ()
    return found


def transaction(day: int, accounts: tuple[str, ...], generated: bool, opening: bool | None,
                lineno: int) -> data.Transaction:
    meta: dict[str, Any] = {"filename": "t.beancount", "lineno": lineno}
    if opening is not None:
        meta[OPENING_BALANCE] = opening
    postings = [data.Posting(a, amount.Amount(Decimal(1 if i else -1), "NOK"), None, None, None,
                             None) for i, a in enumerate(accounts)]
    return data.Transaction(meta, datetime.date(2024, 1, 1) + datetime.timedelta(days=day), "*",
                            None, "t", frozenset({GENERATED_TAG}) if generated else frozenset(),
                            frozenset(), postings)


TRANSACTIONS = st.lists(st.builds(
    transaction, st.integers(0, 20),
    st.one_of(st.just(()), st.lists(st.sampled_from((CASH, EQUITY, RESULT, OTHER)), min_size=1,
                                    max_size=3).map(tuple)),
    st.booleans(), st.sampled_from((None, True, False)), st.integers(1, 10_000)), max_size=40)


@settings(max_examples=400, deadline=None)
@given(TRANSACTIONS, st.booleans())
def test_the_opening_balance_is_the_plain_readings(transactions: list[data.Transaction],
                                                   with_other: bool) -> None:
    entries: list[Any] = list(transactions)
    if with_other:
        entries.insert(0, data.Open({"filename": "t.beancount", "lineno": 0},
                                    datetime.date(2023, 1, 1), CASH, None, None))
    assert opening_balance_of(entries, WHERE) == plain(entries, WHERE)
    with one_plugin_run():  # a rule read the shared index: the first day is taken from it
        posting_index(entries)
        assert first_written_day(entries) is not None
        assert opening_balance_of(entries, WHERE) == plain(entries, WHERE)


def test_rules_entries_before_the_books_and_a_first_day_without_cash() -> None:
    """Depreciation generated for years before the books start, a first written day that
    moves no cash: the opening balance is the first day with cash."""
    early = [transaction(d, (OTHER, RESULT), True, None, 100 + d) for d in range(12)]
    no_cash = transaction(13, (OTHER, EQUITY), False, None, 1)
    opening = transaction(15, (CASH, EQUITY), False, None, 2)
    later = transaction(16, (CASH, EQUITY), False, None, 3)
    assert opening_balance_of([*early, no_cash, later, opening], WHERE) == (opening,)


def test_the_index_gives_no_first_day_it_has_not_read() -> None:
    """Outside a plugin run, or before a rule read the index of the list, the opening balance
    is read from the list itself (no index walk is started for it)."""
    entries: list[Any] = [transaction(0, (CASH, EQUITY), False, None, 1)]
    assert first_written_day(entries) is None
    with one_plugin_run():
        assert first_written_day(entries) is None
        posting_index(entries)
        assert first_written_day(entries) == entries
        entries.append(transaction(-1, (CASH, EQUITY), False, None, 2))  # appended, earlier
        assert first_written_day(entries) == entries[1:]
