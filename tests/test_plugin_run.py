"""What the rules of one plugin run share: one reading of each file for metadata keys given twice
(read as Beancount counts lines), the entries of a type, a reading of the entries."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from beancount import loader
from beancount.core import data

from nhnfin import config
from nhnfin.config import entries_of
from nhnfin.config import one_plugin_run
from nhnfin.config import repeated_meta_keys
from nhnfin.config import shared

LEDGER = """\
2024-01-01 open Assets:1920-Bank NOK
2024-01-02 * "Kaffe{separator}og kake"
  Assets:1920-Bank  0.00 NOK
2024-01-10 custom "nhnfin-asset" "desk" "fixtures"
  months: 36
  ; a comment between the lines
  months: 60
2024-01-11 custom "nhnfin-grant" "g1" "Tilskudd"
  name: "Første"
  name: "Andre"
  note: "ingen gjentakelse"
2024-01-12 custom "nhnfin-asset" "chair" "fixtures"
  months: 36
"""


def _entries(tmp_path: Path, separator: str = " ") -> list[Any]:
    path = tmp_path / "ledger.beancount"
    path.write_text(LEDGER.format(separator=separator), "utf-8")
    entries, _errors, _options = loader.load_file(str(path))
    return list(entries)


def _messages(errors: list[Any]) -> list[tuple[int, str]]:
    return [(e.source["lineno"], e.message) for e in errors]


def test_each_directive_reports_the_keys_written_twice_below_it(tmp_path: Path) -> None:
    entries = _entries(tmp_path)
    assert _messages(repeated_meta_keys(entries, ("nhnfin-asset", "nhnfin-grant"))) == [
        (4, 'custom "nhnfin-asset": metadata months given twice (only the last would count)'),
        (8, 'custom "nhnfin-grant": metadata name given twice (only the last would count)'),
    ]
    assert _messages(repeated_meta_keys(entries, ("nhnfin-grant-",))) == []


def test_lines_are_counted_as_beancount_counts_them(tmp_path: Path) -> None:
    # a line separator (U+2028) inside a narration is no line break for Beancount; counting
    # it as one would read the directive's own line instead of its metadata
    entries = _entries(tmp_path, "\u2028")
    assert [lineno for lineno, _ in _messages(repeated_meta_keys(entries, ("nhnfin-asset",)))
            ] == [4]


def test_one_reading_serves_every_rule_of_a_plugin_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    entries = _entries(tmp_path)
    alone = [repeated_meta_keys(entries, (t,)) for t in ("nhnfin-asset", "nhnfin-grant")]
    scans: list[set[int]] = []
    scan = config._scan

    def counted(filename: str, linenos: set[int]) -> dict[int, list[str]] | None:
        scans.append(linenos)
        return scan(filename, linenos)

    monkeypatch.setattr(config, "_scan", counted)
    with one_plugin_run():
        shared = [repeated_meta_keys(entries, (t,)) for t in ("nhnfin-asset", "nhnfin-grant")]
    assert [_messages(x) for x in shared] == [_messages(x) for x in alone]
    assert scans == [{4, 8, 12}]  # one reading, for every custom directive of the file


def test_outside_a_plugin_run_the_file_is_read_again(tmp_path: Path) -> None:
    entries = _entries(tmp_path)
    assert len(repeated_meta_keys(entries, ("nhnfin-asset",))) == 1
    path = tmp_path / "ledger.beancount"
    path.write_text(LEDGER.format(separator=" ").replace("  months: 60\n", ""), "utf-8")
    assert repeated_meta_keys(entries, ("nhnfin-asset",)) == []


def test_entries_of_a_type_follow_what_the_pipeline_appends(tmp_path: Path) -> None:
    entries = _entries(tmp_path)
    opened = data.Open({"filename": "x", "lineno": 1}, entries[0].date, "Assets:1500-Kunder",
                       None, None)
    with one_plugin_run():
        assert [e.values[0].value for e in entries_of(entries, data.Custom)] == [
            "desk", "g1", "chair"]
        assert [e.account for e in entries_of(entries, data.Open)] == ["Assets:1920-Bank"]
        entries.append(opened)  # as the pipeline appends a rule's entries
        assert [e.account for e in entries_of(entries, data.Open)] == [
            "Assets:1920-Bank", "Assets:1500-Kunder"]
        assert entries_of(list(entries[:1]), data.Custom) == []  # another list, its own index


def test_a_shared_reading_is_made_again_for_a_longer_list(tmp_path: Path) -> None:
    entries = _entries(tmp_path)
    calls: list[int] = []

    def count(given: list[Any]) -> int:
        calls.append(len(given))
        return len(given)

    with one_plugin_run():
        assert shared(count, entries) == shared(count, entries) == 5
        entries.append(entries[0])
        assert shared(count, entries) == 6
    assert shared(count, entries) == 6  # outside a run: computed each time
    assert calls == [5, 6, 6]
