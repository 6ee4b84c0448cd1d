"""The plugin returns its result in the loader's order (:func:`nhnfin.pipeline.in_loader_order`),
so that Beancount's sort after the plugin has nothing to do and is skipped
(:class:`nhnfin.pipeline.InLoaderOrder`), and only then."""

from __future__ import annotations

import datetime
import pickle
import textwrap
from pathlib import Path
from typing import Any

import pytest
from beancount import loader
from beancount.core import data
from hypothesis import given
from hypothesis import strategies as st

from nhnfin.pipeline import InLoaderOrder
from nhnfin.pipeline import in_loader_order

DAY = datetime.date(2025, 1, 1)


def _entry(kind: str, day: int, lineno: int) -> Any:
    meta = data.new_metadata("x.beancount", lineno)
    date = DAY + datetime.timedelta(days=day)
    if kind == "open":
        return data.Open(meta, date, "Assets:Bank", None, None)
    if kind == "balance":
        return data.Balance(meta, date, "Assets:Bank", None, None, None)
    return data.Transaction(meta, date, "*", None, "", frozenset(), frozenset(), [])


ENTRY = st.builds(_entry, st.sampled_from(["open", "balance", "txn"]),
                  st.integers(0, 5), st.integers(0, 6))


@given(st.lists(ENTRY, max_size=30), st.lists(ENTRY, max_size=12))
def test_the_merge_is_the_loaders_stable_sort(given_: list[Any], added: list[Any]) -> None:
    given_.sort(key=data.entry_sortkey)
    merged = in_loader_order(given_, added)
    expected = sorted([*given_, *added], key=data.entry_sortkey)
    assert [id(e) for e in merged] == [id(e) for e in expected]


def test_the_first_sort_by_the_loaders_key_is_skipped_and_only_it() -> None:
    late, early = _entry("txn", 3, 1), _entry("txn", 1, 2)
    merged = InLoaderOrder([late, early])  # not in order: a skipped sort shows
    merged.sort(key=data.entry_sortkey)
    assert list(merged) == [late, early]
    merged.sort(key=data.entry_sortkey)
    assert list(merged) == [early, late]


@pytest.mark.parametrize("change", [
    lambda e: e.append(_entry("txn", 0, 9)),
    lambda e: e.extend([_entry("txn", 0, 9)]),
    lambda e: e.insert(0, _entry("txn", 0, 9)),
    lambda e: e.__setitem__(0, e[0]),
    lambda e: e.__delitem__(slice(0, 0)),
    lambda e: e.__iadd__([]),
    lambda e: e.reverse(),
    lambda e: e.pop(),
])
def test_a_list_changed_after_the_plugin_is_sorted(change: Any) -> None:
    late, early = _entry("txn", 3, 1), _entry("txn", 1, 2)
    merged = InLoaderOrder([late, early, _entry("txn", 5, 3)])
    change(merged)
    merged.sort(key=data.entry_sortkey)
    assert list(merged) == sorted(merged, key=data.entry_sortkey)
    assert merged.index(early) < merged.index(late)


def test_another_key_is_sorted() -> None:
    late, early = _entry("txn", 3, 1), _entry("txn", 1, 2)
    merged = InLoaderOrder([late, early])
    merged.sort(key=lambda e: e.date)
    assert list(merged) == [early, late]


def test_it_pickles_as_the_list_it_is() -> None:
    merged = InLoaderOrder([_entry("txn", 1, 1)])
    again = pickle.loads(pickle.dumps(merged))
    assert list(again) == list(merged)


LEDGER = textwrap.dedent("""\
    plugin "nhnfin"
    2024-01-01 open Assets:1250-FixturesAndEquipment NOK
    2024-01-01 open Assets:1259-FixturesAccumDepreciation NOK
    2024-01-01 open Expenses:6000-DepreciationTangible NOK
    2024-01-01 open Assets:1920-Bank NOK
    2024-07-01 * "Pulter"
      Assets:1250-FixturesAndEquipment   1200.00 NOK
        asset: "desk"
      Assets:1920-Bank
    2024-07-01 custom "nhnfin-asset" "desk" "fixtures"
      months: 60
    2024-08-31 * "Samme dag"
      Assets:1920-Bank  0.00 NOK
    2024-09-01 balance Assets:1920-Bank  -1200.00 NOK
    2024-10-15 * "Siste"
      Assets:1920-Bank  0.00 NOK
""")


def test_a_load_gives_the_entries_in_the_loaders_order(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """Each month's depreciation sits among the hand entries where Beancount's own sort would
    put it (31.08 before the hand entry of that day: it has the line of its directive, line
    10, the hand entry line 12), and that sort was skipped (called once,
    on a list still in order)."""
    path = tmp_path / "l.beancount"
    path.write_text(LEDGER, "utf-8")
    sorts: list[bool] = []
    real_sort = InLoaderOrder.sort

    def counted(self: InLoaderOrder, **kwargs: Any) -> None:
        sorts.append(self.in_order)
        real_sort(self, **kwargs)

    monkeypatch.setattr(InLoaderOrder, "sort", counted)
    entries, errors, _ = loader.load_file(str(path))
    assert [e.message for e in errors] == []
    assert sorts == [True]
    assert [id(e) for e in entries] == [id(e) for e in sorted(entries, key=data.entry_sortkey)]
    said = [(e.date.isoformat(), e.narration) for e in entries
            if isinstance(e, data.Transaction)]
    assert said == [("2024-07-01", "Pulter"), ("2024-07-31", "Avskrivning desk"),
                    ("2024-08-31", "Avskrivning desk"), ("2024-08-31", "Samme dag"),
                    ("2024-09-30", "Avskrivning desk"), ("2024-10-15", "Siste"),
                    ("2024-10-31", "Avskrivning desk")]
