"""Fixtures for the year-end close and period-lock tests: copies of the example ledger in tmp
directories (nothing is ever written into the repository) and the ``nhnfin close`` runner."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner
from click.testing import Result

from nhnfin.cli.close import close_cmd

ROOT = Path(__file__).resolve().parents[2]
LEDGER_DIR = ROOT / "ledger"


def run_close(*args: object) -> Result:
    """``nhnfin close ARGS`` in-process; the result's output holds stdout and stderr."""
    return CliRunner().invoke(close_cmd, [str(a) for a in args])


def copy_ledger(target: Path) -> Path:
    """The example ledger folder copied to ``target``; returns the main file."""
    shutil.copytree(LEDGER_DIR, target, ignore=shutil.ignore_patterns(".*picklecache", "tools"))
    return target / "nhn.beancount"


def enable_lock(main: Path, close_file: str) -> None:
    """Include the close file in ``main``; its ``plugin "nhnfin"`` line checks the lock."""
    text = main.read_text(encoding="utf-8")
    assert 'plugin "nhnfin"\n' in text
    main.write_text(text + f'include "{close_file}"\n', encoding="utf-8")


def write(path: Path, text: str) -> Path:
    """Write a dedented literal ledger."""
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def closed_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example ledger closed for 2024 (once per module), with the lock enabled."""
    main = copy_ledger(tmp_path_factory.mktemp("closed") / "ledger")
    result = run_close(main, "--year", 2024, "--waive", "months", "--locked-by", "controller",
                       "--waive", "reconciliation")
    assert result.exit_code == 0, result.output
    enable_lock(main, "close-2024.beancount")
    return main.parent


@pytest.fixture
def closed(closed_template: Path, tmp_path: Path) -> Path:
    """A fresh copy of the closed example ledger folder for one test to change."""
    target = tmp_path / "ledger"
    shutil.copytree(closed_template, target)
    return target


def with_contact(main: Path) -> Path:
    """Give the ``nhnfin-company`` line of a new ledger (``nhnfin init`` writes it without one)
    the contact person the close's SAF-T check asks for."""
    text = main.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if 'custom "nhnfin-company"' in line)
    lines.insert(at + 1, '  contact-first-name: "Kari"\n  contact-last-name: "Nordmann"\n')
    main.write_text("".join(lines), encoding="utf-8")
    return main
