"""A locked year never opens silently: the lock record ``nhnfin close`` wrote beside the ledger
(locks/2024-12-31.json) with no ``nhnfin-lock`` for its period in the ledger is an error naming
the period and the record. Before, removing the one ``include`` of the close file unlocked 2024
without a word (bean-check clean, the 2024 figures free to change; found by round seven's
probe). Reopening is done in the open: the record is moved out of locks/ as well."""

from __future__ import annotations

import shutil
from pathlib import Path

from nhnfin.ledger import load

INCLUDE = 'include "close-2024.beancount"\n'


def test_removing_the_close_include_is_an_error_at_the_record(closed: Path) -> None:
    main = closed / "nhn.beancount"
    record = closed / "locks" / "2024-12-31.json"
    assert record.is_file()
    assert [e for e in load(main).errors if "låst periode" in e.message] == []
    main.write_text(main.read_text("utf-8").replace(INCLUDE, ""), "utf-8")
    [error] = [e for e in load(main).errors if "låst periode" in e.message]
    assert (error.source["filename"], error.source["lineno"]) == (str(record), 1)
    assert error.message.startswith(
        f"låst periode til og med 2024-12-31 har ikke lenger noen lås: låseposten {record} står "
        'der, men hovedboken har ingen custom "nhnfin-lock" for 2024-12-31')


def test_reopening_in_the_open_moves_the_record_out(closed: Path) -> None:
    main = closed / "nhn.beancount"
    main.write_text(main.read_text("utf-8").replace(INCLUDE, ""), "utf-8")
    kept = closed / "reopened"
    kept.mkdir()
    shutil.move(closed / "locks" / "2024-12-31.json", kept / "2024-12-31.json")
    assert [e for e in load(main).errors if "låst periode" in e.message] == []


def test_a_file_in_locks_not_named_as_a_record_is_not_a_lock(closed: Path) -> None:
    main = closed / "nhn.beancount"
    (closed / "locks" / "README.json").write_text("{}", "utf-8")
    (closed / "locks" / "2024-13-31.json").write_text("{}", "utf-8")
    assert [e for e in load(main).errors if "låst periode" in e.message] == []


def test_nhnfin_report_refuses_a_year_whose_lock_is_gone(closed: Path) -> None:
    """Round nine's probe: with the include removed and a 2024 amount changed, bean-check failed
    but `nhnfin report` wrote the changed 2024 report and exited 0 (the lock problems were read
    only when some lock was left). The record without its lock refuses the report as any lock
    that does not hold does."""
    from click.testing import CliRunner

    from nhnfin.cli.main import main as cli

    ledger = closed / "nhn.beancount"
    ledger.write_text(ledger.read_text("utf-8").replace(INCLUDE, ""), "utf-8")
    out = closed / "out.json"
    result = CliRunner().invoke(cli, ["report", str(ledger), "--year", "2024", "--format",
                                      "json", "--output", str(out), "--no-cache"])
    assert result.exit_code == 1, result.output
    assert "har ikke lenger noen lås" in result.stderr
    assert "en lås holder ikke (se over); ingen rapport skrevet" in result.stderr
    assert not out.exists()
