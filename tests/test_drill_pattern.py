"""A drill's account pattern names each account once and leaves out the sub-accounts a listed
account takes already: the same postings, a much shorter query (a line with a customer account
per municipality made a 66 000-character query and link before)."""

from __future__ import annotations

import re

import pytest

from nhnfin.drill import account_pattern
from nhnfin.drill import covering

ACCOUNTS = ["Assets:1500-TradeReceivables", "Assets:1500-TradeReceivables:Kommune-0301",
            "Assets:1500-TradeReceivablesX", "Assets:1920-Bank:Drift",
            "Assets:1500-TradeReceivables:Kommune-0301:Sub", "Assets:1920-Bank:Drift",
            "Liabilities:2400-TradePayables:Supplier-1"]
CANDIDATES = [*ACCOUNTS, "Assets:1500-TradeReceivables:Ny", "Assets:1920-Bank",
              "Assets:1920-Bank:Driftx", "assets:1500-tradereceivables:ny",
              "Assets:1500-TradeReceivablesX:Y", "Liabilities:2400-TradePayables",
              "Assets:1500", "Expenses:6300-Rent"]


def test_sub_accounts_of_a_listed_account_are_left_out() -> None:
    assert covering(ACCOUNTS) == [
        "Assets:1500-TradeReceivables", "Assets:1500-TradeReceivablesX",
        "Assets:1920-Bank:Drift", "Liabilities:2400-TradePayables:Supplier-1"]
    assert account_pattern(ACCOUNTS) == (
        "^(Assets:1500-TradeReceivables|Assets:1500-TradeReceivablesX|Assets:1920-Bank:Drift|"
        "Liabilities:2400-TradePayables:Supplier-1)(:|$)")
    assert account_pattern([]) == "^((?!))(:|$)"


@pytest.mark.parametrize("flags", [0, re.IGNORECASE])  # beanquery's ~ ignores case
def test_the_pattern_takes_what_the_full_list_takes(flags: int) -> None:
    full = "^(" + "|".join(re.escape(a) for a in dict.fromkeys(ACCOUNTS)) + ")(:|$)"
    for account in CANDIDATES:
        assert bool(re.search(account_pattern(ACCOUNTS), account, flags)) == bool(
            re.search(full, account, flags)), account
