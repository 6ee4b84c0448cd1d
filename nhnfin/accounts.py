"""NS 4102 account numbers in Beancount account names.

An account carries its four-digit number as the start of one of its components, e.g.
``Assets:1920-Bank`` or ``Assets:1500-TradeReceivables:Oslo-kommune``; the first such component
wins, so sub-accounts inherit their parent's number.
"""

from __future__ import annotations

import functools
import re

_NUMBER = re.compile(r"^(\d{4})(?:\b|-|$)")
#: assets under construction: an asset's costs before it is declared ready (the asset rule moves
#: them to its cost account then; the mark check takes an asset id here as known)
UNDER_CONSTRUCTION = "Assets:1280-AssetsUnderConstruction"


@functools.cache  # a ledger has thousands of accounts and asks for their numbers many times
def account_number(account: str) -> int | None:
    """The NS 4102 number of ``account``, or None when no component starts with four digits."""
    for component in account.split(":")[1:]:
        match = _NUMBER.match(component)
        if match:
            return int(match.group(1))
    return None


def is_balance_sheet(number: int) -> bool:
    """Class 1 (assets) and 2 (equity and liabilities) are balance-sheet accounts."""
    return 1000 <= number <= 2999


def is_under(account: str, root: str) -> bool:
    """Whether ``account`` is ``root`` or one of its sub-accounts (``Assets:1570-X:g1`` is
    under ``Assets:1570-X``; ``Assets:1570-XY`` is not)."""
    return account == root or account.startswith(root + ":")
