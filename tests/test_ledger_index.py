"""One reading of the entries per ledger (issue 19): what ``Ledger.derived`` shares, and the
debits and credits every asset note reads from it."""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from beancount import loader

from nhnfin.ledger import from_entries
from nhnfin.ledger import load
from nhnfin.notes.flows import flows

LEDGER = """
2023-01-01 open Assets:1200-Infrastructure
2023-01-01 open Assets:1920-Bank
2023-01-01 open Expenses:6000-DepreciationTangible
2023-03-01 * "purchase"
  Assets:1200-Infrastructure    1000.00 NOK
  Assets:1920-Bank             -1000.00 NOK
2024-02-01 * "second purchase and a credit note"
  Assets:1200-Infrastructure     300.00 NOK
  Assets:1200-Infrastructure    -100.00 NOK
  Assets:1920-Bank              -200.00 NOK
2024-12-31 * "depreciation"
  Expenses:6000-DepreciationTangible   50.00 NOK
  Assets:1200-Infrastructure          -50.00 NOK
"""


def _ledger() -> Any:
    entries, errors, options = loader.load_string(LEDGER)
    assert errors == []
    return from_entries(entries, errors, options)


def test_derived_is_computed_once_per_ledger() -> None:
    calls: list[int] = []

    def count(entries: list[Any]) -> int:
        calls.append(1)
        return len(entries)

    ledger = _ledger()
    assert ledger.derived(count) == ledger.derived(count) == len(ledger.entries)
    assert len(calls) == 1
    assert _ledger().derived(count) == len(ledger.entries)  # another ledger: its own reading
    assert len(calls) == 2


def test_accounts_are_sorted_and_a_copy() -> None:
    ledger = _ledger()
    first = ledger.accounts()
    first.append("Assets:9999-Changed")
    assert ledger.accounts() == [
        "Assets:1200-Infrastructure", "Assets:1920-Bank", "Expenses:6000-DepreciationTangible"]


def test_flows_keep_debits_and_credits_apart_per_account_and_year() -> None:
    ledger = _ledger()
    moved = flows(ledger, ["Assets:1200-Infrastructure"])
    assert moved.debits == {("Assets:1200-Infrastructure", 2023): Decimal("1000.00"),
                            ("Assets:1200-Infrastructure", 2024): Decimal("300.00")}
    assert moved.credits == {("Assets:1200-Infrastructure", 2024): Decimal("-150.00")}
    assert moved.debit_until(["Assets:1200-Infrastructure"], 2024) == Decimal("1300.00")
    bank = flows(ledger, ["Assets:1920-Bank"])
    assert bank.debits == {}
    assert bank.credit(["Assets:1920-Bank"], 2024) == Decimal("-200.00")


def test_load_writes_no_pickle_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ledger = tmp_path / "l.beancount"
    ledger.write_text(LEDGER, "utf-8")
    cache = tmp_path / ".l.beancount.picklecache"
    monkeypatch.setattr(loader, "PICKLE_CACHE_THRESHOLD", -1.0)  # Beancount caches every load
    loader.initialize(use_cache=True)
    try:
        loaded = load(ledger)
        assert not cache.exists()
        assert loaded.errors == []
        assert loaded.entries[0].meta["filename"] == str(ledger)
        loader.load_file(str(ledger))  # Beancount's own load would have written it
        assert cache.exists()
    finally:
        monkeypatch.undo()
        loader.initialize(os.getenv("BEANCOUNT_DISABLE_LOAD_CACHE") is None)
