"""A command that finds nothing to show (no postings in the year, no grant, no cost basis, no
plan) says so with the ledger's errors when it has any: round seven's probe gave every command
a file that is not a ledger, and five of them said only "no postings in 2024" or "no grants
declared", as if the books were empty."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from nhnfin.cli.main import main

COMMANDS = [
    ("report", "--year", "2024"),
    ("close", "--year", "2024", "--dry-run"),
    ("reconcile", "--year", "2024"),
    ("grant-usage", "--year", "2024"),
    ("cost-basis", "--year", "2024"),
    ("invoice-basis", "--year", "2024"),
    ("investment-plan",),
]


@pytest.mark.parametrize("command", COMMANDS, ids=[c[0] for c in COMMANDS])
def test_nothing_found_names_the_first_error(tmp_path: Path, command: tuple[str, ...]) -> None:
    ledger = tmp_path / "books.beancount"
    ledger.write_text('option "title" "X"\ngarbage\n', encoding="utf-8")
    result = CliRunner().invoke(main, [command[0], str(ledger), *command[1:]])
    assert result.exit_code in (1, 2), result.output  # reconcile: 2, as for its other refusals
    assert "Traceback" not in result.output
    assert f"; regnskapet har 1 feil, den første: {ledger}:2: " in result.output
