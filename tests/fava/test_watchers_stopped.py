"""The Fava apps a test makes have their file watchers stopped when it ends: Fava's watchfiles
watcher runs two threads per ledger, each holding one of the user's 128 inotify instances, and
a test run that left them running got "Too many open files (os error 24)" from watchfiles in
later tests (tests.conftest._stop_fava_watchers)."""

from __future__ import annotations

import threading
from pathlib import Path

from tests.fava.conftest import fava_app
from tests.fava.conftest import slug

MADE: list[threading.Thread] = []


def test_a_test_makes_a_fava_app_with_running_watchers(small_ledger: Path) -> None:
    app = fava_app(small_ledger)
    watcher = app.config["LEDGERS"][slug(app)].watcher
    threads = list(watcher._watchers or ())
    assert len(threads) == 2
    assert all(t.is_alive() for t in threads)
    MADE.extend(threads)


def test_the_watchers_of_the_test_before_are_stopped() -> None:
    """(Runs after the test above, as pytest runs a file's tests in order.)"""
    assert len(MADE) == 2
    assert [t.is_alive() for t in MADE] == [False, False]
