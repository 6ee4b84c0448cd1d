"""Shared fixtures: literal ledgers loaded through Beancount's loader (plugins run)."""

from __future__ import annotations

import textwrap
from pathlib import Path

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


@pytest.fixture(scope="session")
def example_ledger() -> Ledger:
    """The acceptance ledger, loaded once per test session."""
    from nhnfin.ledger import load

    return load(EXAMPLE)


@pytest.fixture(autouse=True)
def _own_cache_home(tmp_path_factory: pytest.TempPathFactory,
                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test signs report caches with a key of its own (nhnfin.report_cache), never the
    user's."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache-home")))
