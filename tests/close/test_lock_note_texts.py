"""A note text template applies to every year's report, whatever the date of the directive that
names it (tests/notes/test_note_text.py: the 2023 report tries the 2024-12-31 template). So the
lock must read every template in force, as it reads the layout: a template named after the lock
changes the locked year's notes and is an error naming the period and the file (round seven's
probe: it added a paragraph with a figure to the locked 2024 report, and bean-check and
``nhnfin report`` passed)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from nhnfin.cli.main import main as cli
from nhnfin.close.period_lock import PeriodLockError
from nhnfin.ledger import load
from tests.close.conftest import run_close
from tests.close.conftest import write

BOOKS = """
option "title" "Testforetaket AS"
option "operating_currency" "NOK"
plugin "nhnfin"

2023-12-31 open Assets:1920-Bank NOK
2023-12-31 open Equity:2000-ContributedCapital NOK
2023-12-31 open Equity:2050-OtherEquity NOK
2023-12-31 open Equity:8960-TransferToOtherEquity NOK
2023-12-31 open Income:3400-GrantIncome NOK
2023-12-31 open Expenses:6300-Rent NOK

2023-12-31 * "Innskutt kapital"
  Assets:1920-Bank                 1000.00 NOK
  Equity:2000-ContributedCapital  -1000.00 NOK

2024-03-01 * "Tilskudd"
  Assets:1920-Bank                  300.00 NOK
  Income:3400-GrantIncome          -300.00 NOK

2024-06-01 * "Husleie"
  Expenses:6300-Rent                120.00 NOK
  Assets:1920-Bank                 -120.00 NOK

2025-06-01 * "Husleie"
  Expenses:6300-Rent                200.00 NOK
  Assets:1920-Bank                 -200.00 NOK
"""

LATER_TEXT = '2025-12-31 custom "nhnfin-note-text" "9" "note-9.md.j2"\n'


def closed_books(tmp_path: Path, books: str = BOOKS) -> Path:
    """``books`` with the note text beside them, closed for 2024 and the lock included."""
    main = write(tmp_path / "books.beancount", books)
    (tmp_path / "note-9.md.j2").write_text(
        "Husleien var {{ account('6300') | kr }} kroner.\n", encoding="utf-8")
    result = run_close(main, "--year", 2024, "--waive", "months",
                       "--locked-by", "kari", "--waive", "reconciliation")
    assert result.exit_code == 0, result.output
    main.write_text(main.read_text(encoding="utf-8") + 'include "close-2024.beancount"\n',
                    encoding="utf-8")
    assert load(main).errors == []
    return main


def report(main: Path, year: int) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["report", str(main), "--year", str(year), "--format",
                                      "json", "--no-cache"])
    return result.exit_code, result.output


def test_a_note_text_named_after_the_lock_is_an_error_at_the_lock(tmp_path: Path) -> None:
    main = closed_books(tmp_path)
    main.write_text(main.read_text(encoding="utf-8") + LATER_TEXT, encoding="utf-8")
    errors = [e for e in load(main).errors if isinstance(e, PeriodLockError)]
    assert [(Path(e.source["filename"]).name, e.source["lineno"]) for e in errors] == [
        ("close-2024.beancount", 10)]
    line = BOOKS.count("\n") + 1  # the directive's line in books.beancount
    assert errors[0].message == (
        "låst periode til og med 2024-12-31 er endret siden låsen: noteteksten note-9.md.j2 "
        f"(oppgitt i books.beancount:{line}) er tatt i bruk etter låsen; de låste tallene "
        "leses fra den")
    code, output = report(main, 2024)
    assert code == 1
    assert "noteteksten note-9.md.j2" in output


def test_a_note_text_named_in_the_locked_year_holds(tmp_path: Path) -> None:
    """The same template dated in the locked year, before the close: the lock holds and the
    locked report shows the text."""
    main = closed_books(tmp_path, BOOKS + LATER_TEXT.replace("2025-12-31", "2024-12-31"))
    code, output = report(main, 2024)
    assert code == 0, output
    assert json.loads(output)["notes"]["9"]["text"] == [
        {"kind": "paragraph", "text": "Husleien var 120 kroner."}]


def test_the_check_reads_a_records_file_not_the_words_of_its_name(tmp_path: Path) -> None:
    """A file record's name is for people (its words may be translated); the check tells a
    changed template from a new one by the record's file. Here the record's names are said in
    other words, the template is changed and its directive moved to another line: still a
    change (main parsed "(oppgitt i " out of the name and called the template new)."""
    main = closed_books(tmp_path, BOOKS + LATER_TEXT.replace("2025-12-31", "2024-12-31"))
    record = tmp_path / "locks" / "2024-12-31.json"
    document = json.loads(record.read_text(encoding="utf-8"))
    assert [f["file"] for f in document["files"]] == [
        "nhnfin/data/layout_nhn.toml", "nhnfin/data/notes_nhn.toml", "note-9.md.j2"]
    record.write_text(record.read_text(encoding="utf-8").replace("(oppgitt i ", "(named in "),
                      encoding="utf-8")
    (tmp_path / "note-9.md.j2").write_text("Husleien var {{ account('6300') | kr }} kr.\n",
                                           encoding="utf-8")
    text = main.read_text(encoding="utf-8").replace(
        '2024-12-31 custom "nhnfin-note-text"', '\n2024-12-31 custom "nhnfin-note-text"')
    main.write_text(text, encoding="utf-8")
    errors = [e for e in load(main).errors if isinstance(e, PeriodLockError)]
    line = BOOKS.count("\n") + 1
    assert [e.message for e in errors] == [
        "låst periode til og med 2024-12-31 er endret siden låsen: noteteksten note-9.md.j2 "
        f"(oppgitt i books.beancount:{line}) er endret siden låsen; de låste tallene leses fra "
        "den"]
