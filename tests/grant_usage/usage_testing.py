"""Helpers for the grant-usage tests: a literal ledger with every way of linking a cost to a
grant, and the oracle that runs a drill query with beanquery and sums what it lists."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import beanquery

from nhnfin.ledger import Ledger
from nhnfin.ledger import from_entries
from tests.grants.grant_testing import load_ledger

# Grant a is linked on the transaction, b by posting meta (overriding the transaction's a) and by
# a #grant-b tag; a transaction tagged #nhnfin-generated is never a link, and the last cost is
# linked to nothing. Payments: a's on the transaction, b's by tag.
LINKS = """
    option "title" "Testforetak"
    option "operating_currency" "NOK"
    include "ACCOUNTS"
    plugin "nhnfin.grants"
    2024-01-01 custom "nhnfin-grant" "a"
      name: "Grant A"
      source: "Kap. 1 post 21"
      amount: 10000.00 NOK
      note-row: "public_grant"
    2024-01-01 custom "nhnfin-grant" "b"
      name: "Grant B"
      source: "EU"
      amount: 10000.00 NOK
      note-row: "myhealth_eu"
    2024-01-10 * "HOD" "Utbetaling A"
      grant: "a"
      Assets:1920-Bank                      10000.00 NOK
      Liabilities:2910-UnusedPublicGrants
    2024-01-10 * "EU" "Utbetaling B" #grant-b
      Assets:1920-Bank                      10000.00 NOK
      Liabilities:2910-UnusedPublicGrants
    2024-02-01 * "Leverandør" "Kostnad, tilskuddet på transaksjonen"
      grant: "a"
      Expenses:6700-ExternalServices         1000.00 NOK
      Assets:1920-Bank
    2024-03-01 * "Leverandør" "Posteringen sier b"
      grant: "a"
      Expenses:6700-ExternalServices          300.00 NOK
        grant: "b"
      Expenses:6700-ExternalServices          200.00 NOK
      Assets:1920-Bank
    2024-04-01 * "Leverandør" "Merket" #grant-b
      Expenses:6700-ExternalServices           50.00 NOK
      Assets:1920-Bank
    2024-05-01 * "Laget av en regel" #nhnfin-generated
      grant: "a"
      Expenses:6700-ExternalServices           70.00 NOK
      Assets:1920-Bank
    2024-06-01 * "Leverandør" "Uten tilskudd"
      Expenses:6700-ExternalServices          999.00 NOK
      Assets:1920-Bank
"""

SPLIT = LINKS + """
    2024-07-01 * "Leverandør" "Delt kostnad"
      Expenses:7700-OtherOperatingCosts      1000.01 NOK
        grant: "a:60,b:40"
      Assets:1920-Bank
"""


def links_ledger(text: str = LINKS, *, bare_postings: bool = False) -> Ledger:
    """The literal ledger loaded with its plugin; ``bare_postings``: the postings of hand-made
    transactions that have no ``grant`` of their own lose their metadata (``meta=None``, as a
    plugin builds postings)."""
    ledger = load_ledger(text).ledger
    assert ledger.errors == []
    if not bare_postings:
        return ledger
    entries = [
        e._replace(postings=[p if "grant" in (p.meta or {}) else p._replace(meta=None)
                             for p in e.postings])
        if hasattr(e, "postings") and "nhnfin-generated" not in e.tags else e
        for e in ledger.entries
    ]
    return from_entries(entries, [], ledger.options_map)


def run(ledger: Ledger, query: str) -> list[dict[str, Any]]:
    """The rows ``query`` lists (column name -> value), run by beanquery on the ledger."""
    connection = beanquery.connect("beancount:", entries=ledger.entries, errors=[],
                                   options=ledger.options_map)
    cursor = connection.execute(query)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def listed_sum(ledger: Ledger, query: str) -> Decimal:
    """The sum of the NOK positions ``query`` lists."""
    return sum((r["position"].units.number for r in run(ledger, query)), Decimal(0))
