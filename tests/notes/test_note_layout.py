"""The notes layout as data (issue 20): numbers, titles and order from a TOML file the ledger
names (NHN's 2024 notes by default), the statements' "Note" column from it, errors at file:line."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from nhnfin.ledger import load
from nhnfin.notes.layout import NoteLayoutError
from nhnfin.notes.layout import packaged_notes_layout
from nhnfin.notes.layout import parse_notes_layout
from nhnfin.report import ReportError
from nhnfin.report import build_report
from tests.conftest import REFERENCE
from tests.notes.test_note_text import BOOKS


def test_the_packaged_layout_is_nhns_2024_notes() -> None:
    reference = json.loads(REFERENCE.read_text("utf-8"))
    layout = packaged_notes_layout()
    assert [(n.number, n.title) for n in layout.notes] == [
        (number, note["title"]) for number, note in reference["notes"].items()]
    assert layout.citing("income_statement", "payroll_costs") == "5,6,7"
    assert layout.citing("balance_sheet", "delivery_obligation") == "3,4"
    assert layout.citing("cash_flow", "result_before_tax") is None


NOTES = """\
name = "Testforetak"

[[notes]]
number = "1"
title = "Egenkapital og resultat"
lines = ["balance_sheet.other_equity", "income_statement.net_result_for_the_year"]

[[notes.tables]]
key = "equity"
caption = "Egenkapital"
source = "ledger"
sign = -1
columns = [{ key = "other_equity", label = "Annen egenkapital", accounts = ["2050-8999"] }]
rows = [{ key = "closing", label = "Pr. 31.12.{year}", measure = "closing" }]

[[notes]]
number = "2"
title = "Husleie"
lines = ["income_statement.other_operating_costs"]
"""


def test_renumbering_and_a_new_text_note_need_no_code(tmp_path: Path) -> None:
    (tmp_path / "notes.toml").write_text(NOTES, "utf-8")
    (tmp_path / "husleie.md.j2").write_text("Leien var {{ account('6300') | kr }} kroner.\n")
    (tmp_path / "books.beancount").write_text(BOOKS + textwrap.dedent("""\
        2024-12-31 custom "nhnfin-notes" "notes.toml"
        2024-12-31 custom "nhnfin-note-text" "2" "husleie.md.j2"
        """), "utf-8")
    report = build_report(load(tmp_path / "books.beancount"), 2024)
    assert [(n.number, n.title, len(n.tables)) for n in report.notes] == [
        ("1", "Egenkapital og resultat", 1), ("2", "Husleie", 0)]
    assert report.note("2").text[0].text == "Leien var 57 000 000 kroner."
    notes = {r.key: r.note for s in report.statements for r in s.rows if r.note}
    assert notes == {"other_equity": "1", "net_result_for_the_year": "1",
                     "other_operating_costs": "2"}


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        (NOTES + '\n[[notes]]\nnumber = "2"\ntitle = "Igjen"\n', 22, "note 2 står to ganger"),
        (NOTES.replace('title = "Egenkapital og resultat"\n',
                       'title = "Egenkapital og resultat"\nbuilder = "eqity"\n'), 6,
         "note 1: ukjent bygger 'eqity' (byggere: ehealth_income, "),
        (NOTES.replace('title = "Husleie"\n', ""), 16, "notes.1.title: feltet mangler"),
        (NOTES.replace('"income_statement.other_operating_costs"', '"other_operating_costs"'),
         19, "notes.1.lines: linjen 'other_operating_costs': skriv oppstilling.linje"),
        (NOTES.replace('number = "2"', 'number = 2'), 17,
         "notes.1.number: må være en tekst"),
        (NOTES + "[[notes\n", 20, "ikke gyldig TOML"),
        (NOTES.replace('title = "Husleie"', 'title = "Husleie"\ntekst = "x"'), 19,
         "notes.1.tekst: ukjent felt (det er ikke tillatt her)"),
    ],
)
def test_a_bad_notes_file_is_an_error_at_its_line(
    tmp_path: Path, text: str, line: int, message: str
) -> None:
    (tmp_path / "notes.toml").write_text(text, "utf-8")
    (tmp_path / "books.beancount").write_text(
        BOOKS + '2024-12-31 custom "nhnfin-notes" "notes.toml"\n', "utf-8")
    with pytest.raises(ReportError) as caught:
        build_report(load(tmp_path / "books.beancount"), 2024)
    assert str(caught.value).startswith(f"{tmp_path / 'notes.toml'}:{line}: "), caught.value
    assert message in str(caught.value)


def test_a_missing_notes_file_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "books.beancount").write_text(
        BOOKS + '2024-12-31 custom "nhnfin-notes" "missing.toml"\n', "utf-8")
    with pytest.raises(ReportError, match=r"missing\.toml:1: kan ikke lese notefilen"):
        build_report(load(tmp_path / "books.beancount"), 2024)


def test_parse_names_the_file() -> None:
    with pytest.raises(NoteLayoutError, match=r"^x.toml:1: name: feltet mangler"):
        parse_notes_layout("[[notes]]\n", "x.toml")
