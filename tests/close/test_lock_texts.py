"""The lock covers what the locked year's report shows besides its figures: the title option,
the notes' texts, titles and labels (nhnfin.close.texts). Round eight's finding: a change to
those after the close changed the signed report of a locked year, and bean-check and ``nhnfin
report`` passed. Every case is an error at the lock directive naming the period and the text;
a lock written before texts were locked keeps loading, and says so where the report and the
close are made, until ``nhnfin close --add-texts`` locks them."""

from __future__ import annotations

import dataclasses
import json
import re
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import nhnfin.report as report_module
from nhnfin.cli.main import main as cli
from nhnfin.close.period_lock import PeriodLockError
from nhnfin.ledger import load
from tests.close.conftest import run_close
from tests.close.conftest import write

BOOKS = """
option "title" "Testforetaket AS"
option "operating_currency" "NOK"
plugin "nhnfin"

2023-12-31 custom "nhnfin-notes" "notes.toml"
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

2024-12-31 custom "nhnfin-note-text" "9" "note-9.md.j2"
"""

LATER = """
2025-06-01 * "Husleie"
  Expenses:6300-Rent                200.00 NOK
  Assets:1920-Bank                 -200.00 NOK
"""

LOCK_LINE = 10  # the lock directive's line in close-2024.beancount (after the transfer)
PERIOD = "låst periode til og med 2024-12-31"


def books(tmp_path: Path, text: str = BOOKS) -> Path:
    """The books with their notes layout (a copy of the packaged one) and note 9's text."""
    main = write(tmp_path / "books.beancount", text)
    notes = resources.files("nhnfin").joinpath("data/notes_nhn.toml").read_text(encoding="utf-8")
    (tmp_path / "notes.toml").write_text(notes, encoding="utf-8")
    (tmp_path / "note-9.md.j2").write_text(
        "Husleien var {{ account('6300') | kr }} kroner.\n", encoding="utf-8")
    return main


def close(main: Path, year: int) -> None:
    """``nhnfin close`` for ``year`` and its close file included."""
    result = run_close(main, "--year", year, "--waive", "months",
                       "--locked-by", "kari", "--waive", "reconciliation")
    assert result.exit_code == 0, result.output
    append(main, f'include "close-{year}.beancount"\n')
    assert load(main).errors == []


def closed_books(tmp_path: Path, text: str = BOOKS) -> Path:
    """The books closed for 2024, the lock included, and a posting in the open year."""
    main = books(tmp_path, text)
    close(main, 2024)
    append(main, LATER)
    return main


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def report(main: Path, year: int) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["report", str(main), "--year", str(year), "--format",
                                      "json", "--no-cache"])
    return result.exit_code, result.output


def lock_errors(main: Path) -> list[tuple[str, int, str]]:
    return [(Path(e.source["filename"]).name, e.source["lineno"], e.message)
            for e in load(main).errors if isinstance(e, PeriodLockError)]


def texts_error(output: str) -> str:
    """The report's error line of a changed text, with its file:line."""
    lines = [line for line in output.splitlines() if " er endret: teksten " in line]
    assert len(lines) == 1, output
    return re.sub(r"^feil: \S*/", "feil: ", lines[0]).split("; årsak:")[0]


def test_a_new_close_writes_the_texts_digest_and_the_texts(tmp_path: Path) -> None:
    main = closed_books(tmp_path)
    close_text = (tmp_path / "close-2024.beancount").read_text(encoding="utf-8")
    digest = re.search(r'\n  texts: "([0-9a-f]{64})"\n', close_text)
    assert digest is not None, close_text
    record = json.loads((tmp_path / "locks/2024-12-31.json").read_text(encoding="utf-8"))
    assert record["texts-digest"] == digest.group(1)
    texts = {t["item"]: t["text"] for t in record["texts"]}
    assert texts["tittel"] == "Testforetaket AS"
    assert texts["note 9/tittel"] == "Egenkapital"
    assert texts["note 9/1/result_for_the_year/tekst"] == "Årets resultat"
    assert texts["note 9/tekst/1"] == "paragraph: Husleien var 120 kroner."
    assert texts["income_statement/net_result_for_the_year/note"] == "9"
    assert load(main).errors == []
    assert report(main, 2024)[0] == 0
    assert report(main, 2025)[0] == 0


def test_a_changed_title_option_is_an_error_at_every_load(tmp_path: Path) -> None:
    main = closed_books(tmp_path)
    replace(main, '"Testforetaket AS"', '"Testforetaket ASA"')
    message = (f"{PERIOD} er endret siden låsen: teksten tittel (option \"title\") er "
               "«Testforetaket ASA», men var «Testforetaket AS» da året ble låst; den står i "
               "den låste rapporten")
    assert lock_errors(main) == [("close-2024.beancount", LOCK_LINE, message)]
    code, output = report(main, 2024)
    assert code == 1
    assert texts_error(output) == (
        f"feil: close-2024.beancount:{LOCK_LINE}: {PERIOD} er endret: teksten tittel er "
        "«Testforetaket ASA», men var «Testforetaket AS» da året ble låst")


def test_a_title_removed_from_the_lock_is_an_error_at_every_load(tmp_path: Path) -> None:
    """Without title: no load compared the title option: the option could then change with
    bean-check and Fava's load clean (round 11's probe)."""
    main = closed_books(tmp_path)
    replace(tmp_path / "close-2024.beancount", '  title: "Testforetaket AS"\n', "")
    assert lock_errors(main) == [("close-2024.beancount", LOCK_LINE, (
        'låsen har texts:, men ingen title: (rapportens tittel da året ble låst, som hver '
        'lasting sammenligner med option "title"): title: er fjernet fra låsen'))]


def test_a_title_changed_in_the_lock_with_the_option_names_the_lock_as_the_cause(
    tmp_path: Path,
) -> None:
    """The lock's title: edited to the new title option: every load compares the two and sees
    nothing, and the report named as the cause that the books and files were unchanged."""
    main = closed_books(tmp_path)
    replace(main, '"Testforetaket AS"', '"Testforetaket ASA"')
    replace(tmp_path / "close-2024.beancount", '  title: "Testforetaket AS"\n',
            '  title: "Testforetaket ASA"\n')
    assert lock_errors(main) == []  # what a load can see without the record
    code, output = report(main, 2024)
    assert code == 1
    line = next(line for line in output.splitlines() if " er endret: teksten " in line)
    assert line.split("; årsak: ")[1] == (
        f"låsens title: ({tmp_path}/close-2024.beancount:{LOCK_LINE}) er endret til den nye "
        "tittelen «Testforetaket ASA», så lastingen og bean-check ser ingen endring")


@pytest.mark.parametrize(("written", "shown"), [("13", "13"), ('"12"', "'12'")])
def test_an_edited_entries_count_in_the_lock_is_an_error_at_every_load(
    tmp_path: Path, written: str, shown: str,
) -> None:
    """The lock's entries: was edited without an error (round 11's probe)."""
    main = closed_books(tmp_path)
    close_file = tmp_path / "close-2024.beancount"
    assert "\n  entries: 12\n" in close_file.read_text(encoding="utf-8")
    replace(close_file, "  entries: 12\n", f"  entries: {written}\n")
    assert lock_errors(main) == [("close-2024.beancount", LOCK_LINE, (
        f"{PERIOD}: låsens entries: er {shown}, men låsen dekker 12 poster (de stemmer med låsens "
        "digest): entries: er endret etter låsen"))]


def test_an_edited_note_text_template_names_the_text(tmp_path: Path) -> None:
    main = closed_books(tmp_path)
    (tmp_path / "note-9.md.j2").write_text(
        "Husleien var {{ account('6300') | kr }} kroner i året.\n", encoding="utf-8")
    code, output = report(main, 2024)
    assert code == 1
    assert texts_error(output) == (
        f"feil: close-2024.beancount:{LOCK_LINE}: {PERIOD} er endret: teksten note 9/tekst/1 er "
        "«paragraph: Husleien var 120 kroner i året.», men var «paragraph: Husleien var 120 "
        "kroner.» da året ble låst")


def test_a_note_text_named_after_the_lock_names_the_new_text(tmp_path: Path) -> None:
    main = closed_books(tmp_path)
    (tmp_path / "note-12.md.j2").write_text("Bankinnskudd er frie midler.\n", encoding="utf-8")
    append(main, '2025-12-31 custom "nhnfin-note-text" "12" "note-12.md.j2"\n')
    code, output = report(main, 2024)
    assert code == 1
    # note 12 had no table in 2024; its text makes it a note of the locked year's report
    assert texts_error(output) == (
        f"feil: close-2024.beancount:{LOCK_LINE}: {PERIOD} er endret: teksten note 12/tittel er "
        "ny («Bundne midler og kassekreditt»)")


def test_a_note_title_changed_in_the_notes_layout_names_the_title(tmp_path: Path) -> None:
    main = closed_books(tmp_path)
    replace(tmp_path / "notes.toml", 'title = "Egenkapital"', 'title = "Egenkapitalen"')
    code, output = report(main, 2024)
    assert code == 1
    assert texts_error(output) == (
        f"feil: close-2024.beancount:{LOCK_LINE}: {PERIOD} er endret: teksten note 9/tittel er "
        "«Egenkapitalen», men var «Egenkapital» da året ble låst")


def test_a_row_label_changed_in_the_notes_layout_names_the_label(tmp_path: Path) -> None:
    main = closed_books(tmp_path)
    replace(tmp_path / "notes.toml", 'label = "Årets resultat"', 'label = "Resultat i året"')
    code, output = report(main, 2024)
    assert code == 1
    assert texts_error(output) == (
        f"feil: close-2024.beancount:{LOCK_LINE}: {PERIOD} er endret: teksten "
        "note 9/1/result_for_the_year/tekst er «Resultat i året», men var «Årets resultat» da "
        "året ble låst")


def test_a_change_in_the_open_year_is_not_an_error(tmp_path: Path) -> None:
    """The open year's posting changes the 2025 text of note 9; the 2024 texts stay."""
    main = closed_books(tmp_path)
    append(main, LATER.replace("2025-06-01", "2025-07-01"))
    assert lock_errors(main) == []
    code, output = report(main, 2025)
    assert code == 0, output
    assert json.loads(output)["notes"]["9"]["text"] == [
        {"kind": "paragraph", "text": "Husleien var 400 kroner."}]
    assert report(main, 2024)[0] == 0


def old_lock(tmp_path: Path) -> Path:
    """The books locked as an nhnfin that did not lock the texts locked them: no ``texts:`` in
    the lock and none in its record (its other digests unchanged)."""
    main = closed_books(tmp_path)
    close_file = tmp_path / "close-2024.beancount"
    close_file.write_text(re.sub(r'  texts: "[0-9a-f]{64}"\n', "",
                                 close_file.read_text(encoding="utf-8")), encoding="utf-8")
    record = tmp_path / "locks/2024-12-31.json"
    document = json.loads(record.read_text(encoding="utf-8"))
    document.pop("texts-digest", None)
    document.pop("texts", None)
    record.write_text(json.dumps(document), encoding="utf-8")
    return main


UNCOVERED = (
    f"merknad: close-2024.beancount:{LOCK_LINE}: låsen til og med 2024-12-31 dekker tallene, "
    "men ikke rapportens tekster (tittelen, notetekstene, titler og etiketter; låst med en "
    "eldre nhnfin): en endring i dem endrer den låste rapporten uten feil; lås dem med nhnfin "
    "close books.beancount --year 2024 --add-texts (docs/year-end-close.md)")


def _shown(output: str, marker: str) -> list[str]:
    """The lines with ``marker``, their folder left out."""
    return [re.sub(r"(: |\s)/\S*/", r"\1", line).strip().removeprefix("- ")
            for line in output.splitlines() if marker in line]


def test_an_old_lock_loads_clean_and_the_report_and_the_close_say_the_texts_are_not_locked(
        tmp_path: Path) -> None:
    main = old_lock(tmp_path)
    replace(main, '"Testforetaket AS"', '"Testforetaket ASA"')
    assert lock_errors(main) == []
    code, output = report(main, 2024)
    assert code == 0, output
    assert _shown(output, "merknad:") == [UNCOVERED]
    result = run_close(main, "--year", 2025, "--waive", "months",
                       "--dry-run", "--waive", "reconciliation")
    assert result.exit_code == 0, result.output
    assert _shown(result.output, "dekker tallene") == [UNCOVERED.removeprefix("merknad: ")]


def test_add_texts_locks_the_texts_of_an_old_lock(tmp_path: Path) -> None:
    main = old_lock(tmp_path)
    before = (tmp_path / "close-2024.beancount").read_bytes()
    result = run_close(main, "--year", 2024, "--add-texts", "--locked-by", "kari")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "close-2024.beancount").read_bytes() == before
    added = (tmp_path / "close-2024-texts.beancount").read_text(encoding="utf-8")
    assert '2024-12-31 custom "nhnfin-lock-texts" "' in added
    append(main, 'include "close-2024-texts.beancount"\n')
    assert lock_errors(main) == []
    code, output = report(main, 2024)
    assert code == 0
    assert "merknad:" not in output
    # a second time: refused, nothing written over
    again = run_close(main, "--year", 2024, "--add-texts")
    assert again.exit_code == 1
    assert "close-2024-texts.beancount finnes" in again.output
    replace(main, '"Testforetaket AS"', '"Testforetaket ASA"')
    assert lock_errors(main) == [("close-2024.beancount", LOCK_LINE, (
        f"{PERIOD} er endret siden låsen: teksten tittel (option \"title\") er "
        "«Testforetaket ASA», men var «Testforetaket AS» da året ble låst; den står i den "
        "låste rapporten"))]


def test_add_texts_refuses_a_lock_that_does_not_hold(tmp_path: Path) -> None:
    main = old_lock(tmp_path)
    replace(main, "Expenses:6300-Rent                120.00 NOK\n  Assets:1920-Bank"
                  "                 -120.00 NOK",
            "Expenses:6300-Rent                121.00 NOK\n  Assets:1920-Bank"
            "                 -121.00 NOK")
    result = run_close(main, "--year", 2024, "--add-texts")
    assert result.exit_code == 1
    assert "tekstene låses bare i et år som er som da det ble låst" in result.output
    assert not (tmp_path / "close-2024-texts.beancount").exists()
    assert not (tmp_path / "locks/2024-12-31-texts.json").exists()


def test_texts_of_a_lock_that_is_gone_are_an_error_at_their_directive(tmp_path: Path) -> None:
    main = old_lock(tmp_path)
    assert run_close(main, "--year", 2024, "--add-texts").exit_code == 0
    append(main, 'include "close-2024-texts.beancount"\n')
    replace(tmp_path / "close-2024-texts.beancount", '  lock: "', '  lock: "0')
    text = (tmp_path / "close-2024-texts.beancount").read_text(encoding="utf-8")
    text = re.sub(r'lock: "0([0-9a-f]{63})[0-9a-f]"', r'lock: "0\1"', text)
    (tmp_path / "close-2024-texts.beancount").write_text(text, encoding="utf-8")
    errors = lock_errors(main)
    assert [(name, line) for name, line, _ in errors] == [("close-2024-texts.beancount", 5)]
    assert errors[0][2].startswith(
        "tekstene til låst periode til og med 2024-12-31 hører til en lås som ikke er i "
        "regnskapet")


def test_a_chain_of_locks_checks_each_years_texts(tmp_path: Path) -> None:
    main = closed_books(tmp_path)
    close(main, 2025)
    assert report(main, 2025)[0] == 0
    replace(main, '"Testforetaket AS"', '"Testforetaket ASA"')
    lines = [(name, line) for name, line, _ in lock_errors(main)]
    close_2025 = (tmp_path / "close-2025.beancount").read_text(encoding="utf-8").splitlines()
    lock_2025 = next(i for i, t in enumerate(close_2025, 1) if '"nhnfin-lock"' in t)
    assert lines == [("close-2024.beancount", LOCK_LINE), ("close-2025.beancount", lock_2025)]


def test_a_malformed_texts_digest_is_an_error_at_the_lock(tmp_path: Path) -> None:
    main = closed_books(tmp_path)
    close_file = tmp_path / "close-2024.beancount"
    close_file.write_text(re.sub(r'  texts: "[0-9a-f]{64}"\n', '  texts: "abc"\n',
                                 close_file.read_text(encoding="utf-8")), encoding="utf-8")
    assert lock_errors(main) == [("close-2024.beancount", LOCK_LINE, (
        "låsens texts: må være SHA-256 (64 heksadesimale tegn, små bokstaver) av tekstene"))]


def test_a_text_edited_in_the_record_is_an_error_naming_the_record(tmp_path: Path) -> None:
    """The books are unchanged; the record's texts no longer match the lock's texts:."""
    main = closed_books(tmp_path)
    replace(tmp_path / "locks/2024-12-31.json", '"item": "note 9/tittel", "text": "Egenkapital"}',
            '"item": "note 9/tittel", "text": "Egenkapitalen"}')
    assert lock_errors(main) == []
    code, output = report(main, 2024)
    assert code == 1
    assert output.startswith(f"feil: {tmp_path}/close-2024.beancount:{LOCK_LINE}: {PERIOD}: ")
    assert re.search(r"låsens fil \S*locks/2024-12-31.json er endret etter låsen \(postene i "
                     r"den stemmer ikke med dens sjekksum\); bøkene er uendret", output), output


def test_fava_says_an_old_locks_texts_are_not_locked(tmp_path: Path) -> None:
    from tests.fava.conftest import fava_app
    from tests.fava.conftest import page_url

    main = old_lock(tmp_path)
    append(main, '2025-12-31 custom "fava-extension" "nhnfin.fava_ext"\n')
    app = fava_app(main.resolve())
    page = app.test_client().get(page_url(app)).get_data(as_text=True)
    assert '<div class="lock-notes" role="note">' in page
    assert "låsen til og med 2024-12-31 dekker tallene, men ikke rapportens tekster" in page
    assert "lock-problems" not in page


def test_a_malformed_texts_directive_is_an_error_at_its_line(tmp_path: Path) -> None:
    main = old_lock(tmp_path)
    append(main, '2024-12-31 custom "nhnfin-lock-texts" "abc"\n')
    line = main.read_text(encoding="utf-8").count("\n")
    assert lock_errors(main) == [("books.beancount", line, (
        'custom "nhnfin-lock-texts" tar én streng: SHA-256 av tekstene, med lock: låsens '
        "SHA-256, slik nhnfin close --add-texts skriver den"))]


def test_texts_removed_from_a_new_lock_are_an_error_naming_the_lock(tmp_path: Path) -> None:
    """Deleting the lock's texts: line does not make it an old lock: its record has them."""
    main = closed_books(tmp_path)
    close_file = tmp_path / "close-2024.beancount"
    close_file.write_text(re.sub(r'  texts: "[0-9a-f]{64}"\n', "",
                                 close_file.read_text(encoding="utf-8")), encoding="utf-8")
    code, output = report(main, 2024)
    assert code == 1
    assert re.search(
        rf"feil: \S*close-2024.beancount:{LOCK_LINE}: {PERIOD}: låsen ved \S*close-2024.beancount:"
        rf"{LOCK_LINE} har ingen texts:, men låsens fil \S*locks/2024-12-31.json har tekstene: "
        "texts: er fjernet fra låsen, så tekstene kontrolleres ikke", output), output


def test_a_text_that_changes_while_every_input_is_unchanged_is_named(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What no digest of the inputs sees: an nhnfin that words a statement's line otherwise
    (here the report's citing of notes, changed in-process). bean-check passes; the report
    names the text, and the cause says the books and files are unchanged."""
    main = closed_books(tmp_path)
    original = report_module.cite_notes

    def changed(statements: Any, layout: Any) -> Any:
        first, *rest = original(statements, layout)
        row = dataclasses.replace(first.rows[0], label=first.rows[0].label + " (ny)")
        return (dataclasses.replace(first, rows=(row, *first.rows[1:])), *rest)

    monkeypatch.setattr("nhnfin.report.cite_notes", changed)
    assert lock_errors(main) == []
    code, output = report(main, 2024)
    assert code == 1
    line = next(line for line in output.splitlines() if "teksten" in line)
    assert re.sub(r"^feil: \S*/", "feil: ", line) == (
        f"feil: close-2024.beancount:{LOCK_LINE}: {PERIOD} er endret: teksten "
        "income_statement/revenue_national_ehealth_solutions/tekst er «Inntekt nasjonale "
        "e-helseløsninger (ny)», men var «Inntekt nasjonale e-helseløsninger» da året ble "
        "låst; årsak: postene og filene til og med 2024-12-31 er uendret")
