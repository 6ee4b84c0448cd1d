"""Shared fixtures: literal ledgers loaded through Beancount's loader (plugins run)."""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from beancount import loader

from nhnfin.ledger import Ledger
from nhnfin.ledger import from_entries

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "ledger" / "nhn.beancount"
REFERENCE = ROOT / "ledger" / "published" / "nhn-annual-report-2024.json"


def load_text(text: str) -> Ledger:
    """Load a literal ledger (dedented) into a Ledger."""
    entries, errors, options = loader.load_string(textwrap.dedent(text))
    return from_entries(entries, errors, options)


def without_line(layout: str, comment: str, key: str) -> str:
    """``layout`` (a layout's TOML) without its line ``key``, from the ``comment`` above it to
    the next line, nor its term in the formulas (a layout copied before the line existed)."""
    start = layout.index(comment)
    end = layout.index("[[statements.lines]]", layout.index(f'key = "{key}"'))
    return layout[:start] + layout[end:].replace(f" + {key}", "")


def report_caches() -> set[Path]:
    """The report caches (``.<ledger>.nhnfin-<year>.cache``) in the repository's ledger/ folder."""
    return set((ROOT / "ledger").rglob(".*.nhnfin-*.cache"))


@pytest.fixture(autouse=True)
def no_report_cache_in_the_repository() -> Iterator[None]:
    """No test leaves a report cache beside the repository's example ledgers: a test reports
    on them with ``--no-cache`` or on a copy (two tests wrote
    ``ledger/.nhn.beancount.nhnfin-2024.cache`` on every run)."""
    before = report_caches()
    yield
    written = sorted(str(p.relative_to(ROOT)) for p in report_caches() - before)
    for path in written:
        (ROOT / path).unlink()
    assert not written, f"this test wrote a report cache into the repository: {written}"


@pytest.fixture(scope="session")
def example_ledger() -> Ledger:
    """The acceptance ledger, loaded once per test session."""
    from nhnfin.ledger import load

    return load(EXAMPLE)


# Every Fava app a test makes (tests.fava.conftest.fava_app), so that its file watchers are
# stopped when the test (or the fixture that made it) ends.
FAVA_APPS: list[Any] = []


def stop_watching(app: Any) -> None:
    """Stop the file watchers of a Fava app's ledgers: Fava's watchfiles watcher runs two
    threads per ledger, each holding an inotify instance, until the process ends (the kernel
    gives a user 128: a test run that leaves them running gets "Too many open files (os error
    24)" from watchfiles). A ledger watched by polling has no thread; its ``__exit__`` is a
    no-op."""
    for ledger in app.config["LEDGERS"].ledgers:
        watcher = ledger.watcher
        if hasattr(watcher, "__exit__"):
            watcher.__exit__(None, None, None)


@pytest.fixture(autouse=True)
def _stop_fava_watchers() -> Iterator[None]:
    """The Fava apps made while a test runs have their watchers stopped after it (apps of a
    module or session fixture are made before this fixture starts, and are stopped by that
    fixture)."""
    made_before = len(FAVA_APPS)
    yield
    while len(FAVA_APPS) > made_before:
        stop_watching(FAVA_APPS.pop())


@pytest.fixture(autouse=True)
def _own_cache_home(tmp_path_factory: pytest.TempPathFactory,
                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test signs report caches with a key of its own (nhnfin.report_cache), never the
    user's."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache-home")))
