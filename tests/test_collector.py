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
    # kept through what the loader does right after the plugin (its sort), back at the next
    # collection of generation 1, and the callback that put them back is gone
    assert gc.get_threshold() == COLLECTOR_THRESHOLDS
    gc.collect(0)
    assert gc.get_threshold() == COLLECTOR_THRESHOLDS
    gc.collect(1)
    assert gc.get_threshold() == defaults
    assert gc.callbacks == callbacks


def test_what_is_made_right_after_the_rules_does_not_age_into_the_oldest_generation(
        defaults: tuple[int, int, int]) -> None:
    """The loader's sort after the plugin makes a key per entry and holds them all while it
    sorts; the collections meanwhile must not carry them into generation 2, where they would
    set off a collection of the whole ledger soon after (failed before: the caller's
    thresholds were back at once, and the keys aged there)."""
    with few_collections():
        pass
    made = [[i] for i in range(300_000)]  # tracked, alive meanwhile, like the sort's keys
    oldest = {id(o) for o in gc.get_objects(generation=2)}
    assert sum(id(m) in oldest for m in made) == 0
    del made
    gc.collect(1)
    assert gc.get_threshold() == defaults


def test_thresholds_set_meanwhile_are_left_alone(defaults: tuple[int, int, int]) -> None:
    with few_collections():
        pass
    gc.set_threshold(5_000, 20, 20)  # the host changed them before the next collection
    gc.collect(1)
    assert gc.get_threshold() == (5_000, 20, 20)


def test_a_caller_with_rarer_collections_keeps_them(defaults: tuple[int, int, int]) -> None:
    gc.set_threshold(1_000_000, 10, 5_000)
    with few_collections():
        assert gc.get_threshold() == (1_000_000, 50, 5_000)
    gc.collect(1)
    assert gc.get_threshold() == (1_000_000, 10, 5_000)


def test_plugin_line_puts_the_thresholds_back(defaults: tuple[int, int, int]) -> None:
    _, errors, _ = loader.load_string('plugin "nhnfin"\n2024-01-01 open Assets:1920-Bank NOK\n')
    assert errors == []
    gc.collect(1)
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
