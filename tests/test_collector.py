"""Python's collector runs rarely while the rules run and during an nhnfin command, and the
caller's settings come back afterwards (issue 19)."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest
from beancount import loader
from click.testing import CliRunner

from nhnfin import COLLECTOR_THRESHOLDS
from nhnfin.cli import common
from nhnfin.cli.main import main
from nhnfin.ledger import Ledger
from nhnfin.pipeline import few_collections


@pytest.fixture
def defaults() -> Iterator[tuple[int, int, int]]:
    before = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    yield (700, 10, 10)
    gc.set_threshold(*before)


def test_rules_run_with_few_collections_and_restore(defaults: tuple[int, int, int]) -> None:
    callbacks = list(gc.callbacks)
    with few_collections():
        assert gc.get_threshold() == COLLECTOR_THRESHOLDS
    # the young generations' thresholds back at once, the oldest's kept through what the
    # loader does after the plugin, back at its next collection; the callback is gone then
    young = (*defaults[:2], COLLECTOR_THRESHOLDS[2])
    assert gc.get_threshold() == young
    gc.collect(1)
    assert gc.get_threshold() == young
    gc.collect(2)
    assert gc.get_threshold() == defaults
    assert gc.callbacks == callbacks


def test_what_is_made_right_after_the_rules_sets_off_no_collection_of_the_oldest(
        defaults: tuple[int, int, int]) -> None:
    """The loader's next plugins (pad, balance) make lists and entries of the whole ledger
    right after the rules: the collections meanwhile must not walk the oldest generation (at
    1 M postings that is a collection of the whole ledger, 3-8 s: it happened with the caller's
    thresholds back at once, and again when the young generations' were kept at nhnfin's, whose
    rare young collections cost more than the caller's)."""
    collected: list[int] = []

    def seen(phase: str, info: dict[str, int]) -> None:
        if phase == "stop":
            collected.append(info["generation"])

    gc.collect()
    with few_collections():
        pass
    gc.callbacks.insert(0, seen)
    try:
        made = [[i] for i in range(300_000)]  # tracked, alive meanwhile, like pad's lists
    finally:
        gc.callbacks.remove(seen)
    assert 2 not in collected
    # the youngest collected at the caller's pace (every 700 new objects), not nhnfin's
    assert collected.count(0) > 300_000 // defaults[0] // 2
    del made
    gc.collect(2)
    assert gc.get_threshold() == defaults


def test_thresholds_set_meanwhile_are_left_alone(defaults: tuple[int, int, int]) -> None:
    with few_collections():
        pass
    gc.set_threshold(5_000, 20, 20)  # the host changed them before the next collection
    gc.collect(2)
    assert gc.get_threshold() == (5_000, 20, 20)


def test_a_callback_after_the_restoring_one_sees_every_phase(
        defaults: tuple[int, int, int]) -> None:
    """CPython calls gc.callbacks by index: the restoring callback taking itself out of the
    list while it is called made the next one miss that collection's "stop" (it saw "start"
    alone); done, it leaves the list only when it is the last, else at the next run."""
    seen: list[str] = []

    def other(phase: str, info: dict[str, int]) -> None:
        seen.append(phase)

    callbacks = list(gc.callbacks)
    with few_collections():
        pass
    gc.callbacks.append(other)
    try:
        gc.collect(2)
        assert (seen, gc.get_threshold()) == (["start", "stop"], defaults)
        with few_collections():  # the next run takes the spent one out
            pass
        gc.collect(2)
        assert (seen, gc.get_threshold()) == (["start", "stop"] * 2, defaults)
    finally:
        gc.callbacks.remove(other)
    assert gc.callbacks == callbacks


def test_a_caller_with_rarer_collections_keeps_them(defaults: tuple[int, int, int]) -> None:
    gc.set_threshold(1_000_000, 10, 5_000)
    with few_collections():
        assert gc.get_threshold() == (1_000_000, 50, 5_000)
    assert gc.get_threshold() == (1_000_000, 10, 5_000)


def test_plugin_line_puts_the_thresholds_back(defaults: tuple[int, int, int]) -> None:
    _, errors, _ = loader.load_string('plugin "nhnfin"\n2024-01-01 open Assets:1920-Bank NOK\n')
    assert errors == []
    gc.collect(2)
    assert gc.get_threshold() == defaults


def test_command_tunes_while_it_runs_and_restores(defaults: tuple[int, int, int],
                                                  tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[tuple[int, int, int]] = []
    ledger = tmp_path / "l.beancount"
    ledger.write_text("2024-01-01 open Assets:1920-Bank NOK\n", "utf-8")
    original = common.load_ledger

    def spy(path: Path) -> Ledger:
        seen.append(gc.get_threshold())
        return original(path)

    monkeypatch.setattr(common, "load_ledger", spy)
    CliRunner().invoke(main, ["report", str(ledger), "--year", "2024", "--no-cache"])
    assert seen == [COLLECTOR_THRESHOLDS]
    assert gc.get_threshold() == defaults
