"""The shared posting index of a plugin run (``nhnfin.config.PostingIndex``, issue 19) holds, for
any list of entries indexed in any pieces, what a plain reading of that list gives: the
accounts' positions, each mark's positions and texts, the transactions with an invoice number,
the first written day and the last date; and the invoice check reads from it what it reads of
every transaction."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from beancount.core import amount
from beancount.core import data
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from nhnfin.config import MARK_TAG
from nhnfin.config import MARKS
from nhnfin.config import one_plugin_run
from nhnfin.config import posting_index
from nhnfin.config import with_invoice
from nhnfin.provenance import GENERATED_TAG
from nhnfin.provenance import invoiced_twice

ACCOUNTS = ("Assets:1500-TradeReceivables:A", "Assets:1920-Bank", "Income:3100-ServiceRevenue")
KEYS = (*sorted(MARKS), "invoice", "other")
TEXTS = ("g1", "g2:50,g3:50", "x")
DAY = datetime.date(2024, 1, 1)


def _meta(lineno: int, keys: list[str], text: str) -> dict[str, Any]:
    return {"filename": "t.beancount", "lineno": lineno, **dict.fromkeys(keys, text)}


POSTING_META = st.one_of(
    st.none(), st.just({}),
    st.builds(_meta, st.integers(1, 50), st.lists(st.sampled_from(KEYS), max_size=2),
              st.sampled_from(TEXTS)))
POSTINGS = st.lists(st.builds(
    lambda account, number, meta: data.Posting(account, amount.Amount(Decimal(number), "NOK"),
                                               None, None, None, meta),
    st.sampled_from(ACCOUNTS), st.integers(-2, 2), POSTING_META), max_size=3)
TRANSACTIONS = st.builds(
    lambda lineno, day, keys, text, tags, postings: data.Transaction(
        _meta(lineno, keys, text), DAY + datetime.timedelta(days=day), "*", None, "t",
        frozenset(tags), frozenset(), postings),
    st.integers(1, 50), st.integers(0, 5), st.lists(st.sampled_from(KEYS), max_size=3),
    st.sampled_from(TEXTS),
    st.lists(st.sampled_from((f"{MARK_TAG}g1", f"{MARK_TAG}g4", GENERATED_TAG, "other"))),
    POSTINGS)
OTHERS = st.builds(lambda day: data.Open(_meta(0, [], ""), DAY + datetime.timedelta(days=day),
                                         ACCOUNTS[1], None, None), st.integers(-3, 9))
ENTRIES = st.lists(st.one_of(TRANSACTIONS, OTHERS), max_size=30)


def plain(entries: list[Any]) -> dict[str, Any]:
    """The index's contents read entry by entry, as the rules read them before the index."""
    txns = [(seq, e) for seq, e in enumerate(entries) if isinstance(e, data.Transaction)]
    accounts: dict[str, list[int]] = {}
    for seq, txn in txns:
        for posting in txn.postings:
            held = accounts.setdefault(posting.account, [])
            if not held or held[-1] != seq:
                held.append(seq)
    metas = {seq: [txn.meta, *(p.meta for p in txn.postings if p.meta)] for seq, txn in txns}
    grant_tags = {seq: [t[len(MARK_TAG):] for t in txn.tags if t.startswith(MARK_TAG)]
                  for seq, txn in txns}
    marked = {key: [seq for seq, _ in txns if any(key in m for m in metas[seq])
                    or (key == "grant" and grant_tags[seq])] for key in MARKS}
    values = {key: {str(m[key]) for seq, _ in txns for m in metas[seq] if key in m}
              for key in MARKS}
    values["grant"].update(t for seq, _ in txns for t in grant_tags[seq])
    written = [(seq, txn.date) for seq, txn in txns
               if txn.postings and GENERATED_TAG not in txn.tags]
    first = min((day for _, day in written), default=None)
    return {"accounts": accounts, "order": list(accounts), "marked": marked, "values": values,
            "invoiced": [seq for seq, txn in txns if "invoice" in txn.meta],
            "first_date": first, "first_day": [seq for seq, day in written if day == first],
            "last_date": max((e.date for e in entries), default=datetime.date.min)}


@settings(max_examples=300, deadline=None)
@given(ENTRIES, st.lists(st.integers(0, 30), max_size=4))
def test_the_index_of_a_list_indexed_in_pieces_is_the_plain_reading(
        entries: list[Any], cuts: list[int]) -> None:
    growing: list[Any] = []
    with one_plugin_run():
        for cut in [*sorted(cuts), len(entries)]:  # a rule appends its entries, then a reading
            growing.extend(entries[len(growing):max(cut, len(growing))])
            index = posting_index(growing)
    assert {
        "accounts": {account: list(held) for account, held in index.accounts.items()},
        "order": list(index.accounts), "marked": {k: list(v) for k, v in index.marked.items()},
        "values": index.values, "invoiced": list(index.invoiced),
        "first_date": index.first_date, "first_day": index.first_day,
        "last_date": index.last_date} == plain(entries)


@settings(max_examples=200, deadline=None)
@given(ENTRIES)
def test_the_invoice_check_reads_from_the_index_what_it_reads_of_every_transaction(
        entries: list[Any]) -> None:
    every = [e for e in entries if isinstance(e, data.Transaction)]
    alone = invoiced_twice(every)
    with one_plugin_run():
        shared = invoiced_twice(with_invoice(entries))
    assert [(e.source, e.message) for e in shared] == [(e.source, e.message) for e in alone]
    assert with_invoice(entries) == [e for e in every if "invoice" in e.meta]  # outside a run


def test_an_invoice_with_two_lines_named_twice_is_named_by_its_first_line_by_text() -> None:
    """Of a copy's lines that an earlier invoice has, the error names the first by text."""
    def invoice(lineno: int) -> data.Transaction:
        postings = [data.Posting(account, amount.Amount(Decimal(number), "NOK"), None, None,
                                 None, {"filename": "t.beancount", "lineno": lineno + 1})
                    for account, number in (("Assets:1500-TradeReceivables:B", "20.00"),
                                            ("Assets:1500-TradeReceivables:A", "10.00"),
                                            ("Income:3100-ServiceRevenue", "-30.00"))]
        return data.Transaction({"filename": "t.beancount", "lineno": lineno, "invoice": "7"},
                                DAY, "*", None, "t", frozenset(), frozenset(), postings)

    entries: list[Any] = [invoice(1), invoice(10)]
    with one_plugin_run():
        errors = invoiced_twice(with_invoice(entries))
    assert [(e.source["lineno"], e.message.split(";")[0]) for e in errors] == [(
        10, "fakturaen 7 er ført to ganger: den står også på t.beancount:1 med samme dato "
            "(2024-01-01) og postering (10.00 NOK på Assets:1500-TradeReceivables:A)")]
