"""The column a drill's listing adds to beanquery's postings: ``weight_balance``.

A figure is a sum of NOK: each posting counts with its weight (``weight``: its units at their
price, ``1 000 EUR @ 11,20 NOK`` is 11 200 NOK, or at their cost, ``10 AKSJE {105 NOK}`` is
1 050 NOK), as the statements and the drill walk sum it. beanquery's ``balance`` is the running
sum of the postings' positions (1 000 EUR, 10 AKSJE {105 NOK}), so on Fava's query page it does
not end at a NOK figure made of foreign or at-cost postings; ``weight_balance`` is the running
sum of their weights, so its last row is the figure (or minus it) whatever the postings hold.

:func:`install` registers it among beanquery's postings columns, once per process; the
extension's package does so when Fava imports it, before any query page runs a drill.
"""

from __future__ import annotations

import copy
from functools import lru_cache
from typing import Any

from beancount.core import convert
from beancount.core.inventory import Inventory
from beanquery.sources.beancount import PostingsTable

WEIGHT_BALANCE = "weight_balance"
_RUNNING = "nhnfin_weight_balance"  # the running inventory, kept on the query's row context


@lru_cache(maxsize=1)
def _weight_balance(context: Any) -> Inventory:
    """The running sum of the weights of the postings listed so far, this one's included.

    Cached like beanquery's ``balance``: the row context hashes as its row number, so a column
    asked twice for one row adds its posting once; each query has a context of its own, so a
    query starts from nothing."""
    running: Inventory | None = getattr(context, _RUNNING, None)
    if running is None:
        running = Inventory()
        setattr(context, _RUNNING, running)
    running.add_amount(convert.get_weight(context.posting))
    return copy.copy(running)


def weight_balance(context: Any) -> Inventory:
    """The running balance of the postings' weights (each posting at its price or cost, in
    NOK for a NOK ledger): the figure on the last row."""
    return _weight_balance(context)


def install() -> None:
    """Register ``weight_balance`` among beanquery's postings columns (idempotent)."""
    if WEIGHT_BALANCE not in PostingsTable.columns:
        PostingsTable.columns.register(Inventory)(weight_balance)
