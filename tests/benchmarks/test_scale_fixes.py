"""The faster paths of issue 10's scale work give what the slower ones gave: the same accounts in
the same order."""

from __future__ import annotations

from beancount import loader

from nhnfin.layout import LineSpec
from nhnfin.layout import line_accounts
from nhnfin.mapping import ledger_accounts
from nhnfin.mapping import mapping_errors
from nhnfin.mapping import packaged_layout

LEDGER = """
2024-01-01 open Assets:1920-Bank
2024-01-01 open Income:3100-Services
2024-01-02 * "unopened accounts, in order of first posting"
  Liabilities:2400-TradePayables:Supplier-2   -10.00 NOK
  Assets:1920-Bank                             10.00 NOK
2024-01-03 * "second"
  Liabilities:2400-TradePayables:Supplier-1   -10.00 NOK
  Liabilities:2400-TradePayables:Supplier-2    10.00 NOK
2024-01-04 open Liabilities:2400-TradePayables:Supplier-3
"""


def test_ledger_accounts_opens_first_then_unopened_by_first_posting() -> None:
    entries, _, _ = loader.load_string(LEDGER)
    accounts = ledger_accounts(entries)
    assert list(accounts) == [
        "Assets:1920-Bank",
        "Income:3100-Services",
        "Liabilities:2400-TradePayables:Supplier-3",
        "Liabilities:2400-TradePayables:Supplier-2",
        "Liabilities:2400-TradePayables:Supplier-1",
    ]
    assert accounts["Liabilities:2400-TradePayables:Supplier-1"] is None
    assert accounts["Assets:1920-Bank"] is not None


def test_line_accounts_takes_every_sub_account_of_a_matching_number() -> None:
    line = LineSpec(key="payables", label="Leverandørgjeld", accounts=("2400-2499",),
                    measure="closing")
    accounts = {
        "Liabilities:2400-TradePayables:Supplier-2": 2400,
        "Assets:1920-Bank": 1920,
        "Liabilities:2400-TradePayables:Supplier-1": 2400,
        "Liabilities:2500-Other": 2500,
    }
    assert line_accounts(line, accounts) == (
        "Liabilities:2400-TradePayables:Supplier-1",
        "Liabilities:2400-TradePayables:Supplier-2",
    )


def test_packaged_layout_is_read_once_and_unchanged() -> None:
    assert packaged_layout() is packaged_layout()
    entries, _, _ = loader.load_string(LEDGER)
    assert mapping_errors(packaged_layout(), entries) == []
