"""Two ledgers in one folder, one of them locked: the lock record ``locks/2024-12-31.json`` of
the other ledger lies beside this one. Each ledger reads the records in ``locks/`` beside its
main file as its own (by date, ``period_lock.records_without_lock``), so the record with no lock
of this ledger stops bean-check; the error says the record is another ledger's (the files its
entries are in are not this ledger's) and what to do. ``nhnfin close --dry-run`` refused before
any check with a misleading "skriver ikke over locks/2024-12-31.json, som kommandoen leser": a
dry run writes nothing, and the real close refuses an existing record ("finnes")."""

from __future__ import annotations

from pathlib import Path

import pytest

from nhnfin.ledger import load
from tests.close.conftest import run_close
from tests.close.conftest import write
from tests.close.test_currency import BOOKS
from tests.close.test_currency import RATE
from tests.close.test_currency import REVALUED


def two_ledgers(tmp_path: Path) -> tuple[Path, Path]:
    """``other.beancount`` closed for 2024 (its close file included) and ``books.beancount``,
    not locked, in one folder."""
    other = write(tmp_path / "other.beancount", BOOKS + RATE + REVALUED)
    result = run_close(other, "--year", 2024, "--waive", "months", "--locked-by", "kari")
    assert result.exit_code == 0, result.output
    other.write_text(other.read_text("utf-8") + 'include "close-2024.beancount"\n', "utf-8")
    assert [e.message for e in load(other).errors] == []
    return other, write(tmp_path / "books.beancount", BOOKS + RATE + REVALUED)


def test_the_record_of_another_ledger_is_named_as_such(tmp_path: Path) -> None:
    _, books = two_ledgers(tmp_path)
    record = tmp_path / "locks" / "2024-12-31.json"
    [error] = load(books).errors
    assert (error.source["filename"], error.source["lineno"]) == (str(record), 1)
    assert error.message == (
        f"låst periode til og med 2024-12-31 har ingen lås i dette regnskapet: låseposten "
        f"{record} hører til et annet regnskap (postene den låser, står i "
        "close-2024.beancount og other.beancount, som regnskapet ikke leser); et regnskap leser "
        "låsepostene i locks/ ved siden av hovedfilen som sine, så to regnskaper kan ikke dele "
        "mappe når ett av dem er låst: flytt regnskapet (eller det andre) til en egen mappe "
        "(docs/year-end-close.md)")


def test_close_dry_run_shows_the_checks_not_a_refusal_to_write(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _, books = two_ledgers(tmp_path)
    monkeypatch.chdir(tmp_path)  # the close names files from the current folder
    result = run_close(books, "--year", 2024, "--dry-run", "--waive", "months")
    assert result.exit_code == 1, result.output
    assert "som kommandoen leser" not in result.output
    lines = result.output.splitlines()
    assert lines[1] == "STOPPER bean-check: 1 feil"
    assert lines[2].startswith(
        "         ✗ locks/2024-12-31.json:1: låst periode til og med 2024-12-31 har ingen lås i "
        "dette regnskapet: låseposten locks/2024-12-31.json hører til et annet regnskap")
    assert lines[-1] == ("årsavslutning 2024 stoppes av: bean-check, tidligere låser; ingenting "
                         "er skrevet")
    assert not (tmp_path / "close-2024.beancount").read_text("utf-8").count("books")
    # without --dry-run the close file and record that exist are refused, as before
    again = run_close(books, "--year", 2024, "--waive", "months")
    assert again.exit_code == 1
    assert "finnes; årsavslutningen skriver aldri over en fil" in again.output
