"""What the rules of one plugin run share: one reading of each file for metadata keys given twice
(read as Beancount counts lines), the entries of a type, a reading of the entries."""

from __future__ import annotations

import datetime
from decimal import Decimal
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
        (4, ("custom \"nhnfin-asset\": metadata months er oppgitt to ganger (bare den siste "
             "ville telle)")),
        (8, ("custom \"nhnfin-grant\": metadata name er oppgitt to ganger (bare den siste ville "
             "telle)")),
    ]
    assert _messages(repeated_meta_keys(entries, ("nhnfin-grant-",))) == []


def test_lines_are_counted_as_beancount_counts_them(tmp_path: Path) -> None:
    # a line separator (U+2028) inside a narration is no line break for Beancount; counting
    # it as one would read the directive's own line instead of its metadata
    entries = _entries(tmp_path, "\u2028")
    assert [lineno for lineno, _ in _messages(repeated_meta_keys(entries, ("nhnfin-asset",)))
            ] == [4]


def test_only_the_lines_below_the_directives_asked_for_count(tmp_path: Path) -> None:
    # the lines between the directives asked for are skipped unread: indented keys there (below
    # a directive not asked for, or a stray one) count for none; a directive's metadata ends at
    # the first line that is neither metadata nor a comment, or at the end of the file
    path = tmp_path / "ledger.beancount"
    path.write_text(
        '2024-01-01 custom "a"\n  k: 1\n  k: 2\n'           # 1: not asked for
        '2024-01-02 custom "b"\n  k: 1\n  ; k: 2\n  j: 1\n'  # 4
        '  j: 2\n\n  k: 3\n  k: 4\n'                      # blank line ends 4's metadata
        '2024-01-03 custom "c"\n  k: 1\n  m: 1\n  m: 2\n'    # 12
        '2024-01-04 custom "d"\n  k: 1\n  k: 2',              # 16: last line, no newline
        "utf-8")
    assert config._scan(str(path), {0, 4, 12, 16, 99}) == {
        0: [], 4: ["j"], 12: ["m"], 16: ["k"], 99: []}
    assert config._scan(str(path), {1, 2}) == {1: ["k"], 2: []}  # one inside the other
    assert config._scan(str(tmp_path / "missing.beancount"), {1}) is None


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


def test_a_reading_of_some_kinds_is_made_again_only_when_one_of_them_is_added(
    tmp_path: Path,
) -> None:
    entries = _entries(tmp_path)
    calls: list[int] = []

    def customs(given: list[Any]) -> list[str]:
        calls.append(len(given))
        return [e.values[0].value for e in given if isinstance(e, data.Custom)]

    kinds = (data.Custom, data.Open)
    with one_plugin_run():
        assert shared(customs, entries, kinds) == ["desk", "g1", "chair"]
        entries.append(entries[1])  # a transaction, as a rule books one: the reading holds
        assert shared(customs, entries, kinds) == ["desk", "g1", "chair"]
        entries.append(entries[2])  # a custom directive: read again
        assert shared(customs, entries, kinds) == ["desk", "g1", "chair", "desk"]
        assert shared(customs, list(entries[:3]), kinds) == ["desk"]  # another list
    assert calls == [5, 7, 3]


def test_the_asset_register_is_read_once_per_run_and_anew_in_the_next(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from nhnfin.assets import delivery_obligation
    from nhnfin.assets import plugin
    from nhnfin.assets import register
    from tests.assets.conftest import HEADER

    ledger = HEADER + """\
plugin "nhnfin"
2024-01-01 custom "nhnfin-asset" "pc" "fixtures" 3600.00 NOK
  months: {months}
2024-01-01 * "Laptops"
  Assets:1250-FixturesAndEquipment   3600.00 NOK
    asset: "pc"
  Assets:1920-Bank  -3600.00 NOK
2024-01-01 custom "nhnfin-transfer" "t1" 1200.00 NOK
  months: {months}
2024-12-31 balance Assets:1920-Bank -3600.00 NOK
"""
    readings: list[int] = []

    def counted(entries: list[Any]) -> Any:
        readings.append(len(entries))
        return register.read_register(entries)

    monkeypatch.setattr(plugin, "read_register", counted)
    monkeypatch.setattr(delivery_obligation, "read_register", counted)
    charges = []
    for months in (36, 72):  # the ledger changed between two runs in one process
        entries, errors, _ = loader.load_string(ledger.format(months=months))
        assert errors == []
        charges.append(sorted(
            (e.meta["asset"], p.units.number) for e in entries
            if isinstance(e, data.Transaction) and e.date == datetime.date(2024, 1, 31)
            for p in e.postings if p.account.startswith("Expenses:")))
    # one reading per run, shared by the asset rule and the delivery obligation, though the
    # asset rule's depreciation was appended between them
    assert len(readings) == 2
    assert charges == [[("pc", Decimal("100.00")), ("t1", Decimal("33.33"))],
                       [("pc", Decimal("50.00")), ("t1", Decimal("16.66"))]]


def test_the_layouts_are_read_once_per_run_and_anew_in_the_next(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from nhnfin import mapping
    from nhnfin.notes import layout as notes_layout
    from tests.notes.test_note_layout import NOTES
    from tests.test_mapping import PACKAGED

    parsed: list[str] = []
    parse, load_layout = notes_layout.parse_notes_layout, mapping.load_layout

    def parse_counted(text: str, name: str) -> Any:
        parsed.append("notes")
        return parse(text, name)

    def load_counted(path: Path | None = None) -> Any:
        parsed.append("layout")
        return load_layout(path)

    monkeypatch.setattr(notes_layout, "parse_notes_layout", parse_counted)
    monkeypatch.setattr(mapping, "load_layout", load_counted)
    (tmp_path / "layout.toml").write_text(PACKAGED.read_text("utf-8"), "utf-8")
    (tmp_path / "ledger.beancount").write_text(
        '2024-01-01 custom "nhnfin-layout" "layout.toml"\n'
        '2024-01-01 custom "nhnfin-notes" "notes.toml"\n', "utf-8")
    entries, _, _ = loader.load_file(str(tmp_path / "ledger.beancount"))
    entries = list(entries)

    def titles() -> list[str]:
        return [n.title for n in notes_layout.load_notes_layout(entries).notes]

    (tmp_path / "notes.toml").write_text(NOTES, "utf-8")
    with one_plugin_run():
        assert titles() == titles() == ["Egenkapital og resultat", "Husleie"]
        assert mapping.resolve_layout(entries) == mapping.resolve_layout(entries)
        entries.append(entries[0])  # a custom directive added: read again
        assert titles() == ["Egenkapital og resultat", "Husleie"]
    assert parsed == ["notes", "layout", "notes"]
    parsed.clear()
    # the files changed between two runs in one process: the next run reads them anew
    (tmp_path / "notes.toml").write_text(NOTES.replace('title = "Husleie"', 'title = "Leie"'),
                                         "utf-8")
    (tmp_path / "layout.toml").write_text("name = 1\n", "utf-8")
    with one_plugin_run():
        assert titles() == ["Egenkapital og resultat", "Leie"]
        layout, errors = mapping.resolve_layout(entries)
        assert layout is None
        again = mapping.resolve_layout(entries)[1]
        assert [e.message for e in errors] == [e.message for e in again]
        assert "layout.toml:1 er ikke gyldig: name: må være en tekst" in errors[0].message
    assert parsed == ["notes", "layout"]
    parsed.clear()
    # an invalid notes file is the same error for every check of the run, read once
    (tmp_path / "notes.toml").write_text(NOTES.replace('number = "2"', "number = 2"), "utf-8")
    with one_plugin_run():
        messages = []
        for _ in range(2):
            with pytest.raises(notes_layout.NoteLayoutError) as caught:
                notes_layout.load_notes_layout(entries)
            messages.append(str(caught.value))
    assert messages[0] == messages[1]
    assert messages[0].startswith(f"{tmp_path / 'notes.toml'}:17: notes.1.number")
    assert parsed == ["notes"]
