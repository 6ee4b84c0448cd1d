"""Labels are data: the words a note's builder prints for rows of its own (e-health's "every
solution together" and "postings that name no solution") are the note's ``labels`` in the notes
layout (nhnfin.notes.BUILDER_LABELS), not text typed in the rule's code. A layout without them
(written before they were data) takes the packaged layout's; a label no builder prints is an
error at its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from nhnfin.ledger import load
from nhnfin.notes import BUILDER_LABELS
from nhnfin.notes.layout import NoteLayoutError
from nhnfin.notes.layout import packaged_notes_layout
from nhnfin.notes.layout_notes import build_note
from tests.ehealth.test_note2 import TWO_SOLUTIONS

ACCOUNTS = Path(__file__).resolve().parents[2] / "ledger" / "accounts.beancount"
BOOKS = f"""\
option "title" "Testforetak"
option "operating_currency" "NOK"
include "{ACCOUNTS}"
2023-01-01 custom "nhnfin-notes" "notes.toml"
""" + TWO_SOLUTIONS + """\
2024-02-01 * "Faktura uten løsning"
  Assets:1500-TradeReceivables:Helse-Vest   100.00 NOK
  Liabilities:2920-EHealthObligations      -100.00 NOK
"""
NOTES = """\
name = "Testforetak"

[[notes]]
number = "2"
title = "E-helse"
builder = "ehealth_income"
LABELS
lines = ["income_statement.revenue_national_ehealth_solutions"]

[[notes.tables]]
key = "all"
caption = "Alle"
source = "groups"
groups = "all"
columns = [{ key = "invoiced_{year}", label = "Fakturert {year}", figure = "invoiced" }]
rows = [{ key = "total", label = "Sum", kind = "total", formula = "groups" }]

[[notes.tables]]
key = "per_solution"
caption = "Per løsning"
source = "groups"
groups = "solutions"
columns = [{ key = "invoiced_{year}", label = "Fakturert {year}", figure = "invoiced" }]
rows = [{ key = "total", label = "Sum", kind = "total", formula = "groups" }]
"""


def rows(tmp_path: Path, labels: str) -> list[list[tuple[str, object]]]:
    (tmp_path / "notes.toml").write_text(NOTES.replace("LABELS\n", labels), "utf-8")
    path = tmp_path / "books.beancount"
    path.write_text(BOOKS, "utf-8")
    result = build_note(load(path), 2024, "2")
    assert result is not None
    return [[(r.label, r.values.get("invoiced_2024")) for r in t.rows]
            for t in result.note.tables]


def test_the_layout_gives_the_words_of_the_rules_own_rows(tmp_path: Path) -> None:
    labels = 'labels = { all = "Samlet", unattributed = "Uten løsning" }\n'
    assert [[label for label, _ in table] for table in rows(tmp_path, labels)] == [
        ["Samlet", "Sum"], ["Uten løsning", "HelseID", "Kjernejournal", "Sum"]]


def test_a_layout_without_them_takes_the_packaged_layouts(tmp_path: Path) -> None:
    found = rows(tmp_path, 'labels = { unattributed = "Uten løsning" }\n')
    assert [label for label, _ in found[0]] == ["Alle løsninger", "Sum"]
    assert [label for label, _ in rows(tmp_path, "")[1]] == [
        "Ikke knyttet til løsning", "HelseID", "Kjernejournal", "Sum"]


def test_the_packaged_layout_gives_every_label_a_builder_prints() -> None:
    layout = packaged_notes_layout()
    for builder, needed in BUILDER_LABELS.items():
        note = layout.by_builder(builder)
        assert note is not None, builder
        assert set(note.labels) == set(needed), builder
        assert all(note.labels.values())


@pytest.mark.parametrize(("labels", "message"), [
    ('labels = { all = "Samlet", unatributed = "Uten" }\n',
     "notes.toml:7: notes.0.labels: note 2: etiketten 'unatributed' skrives ikke ut av noen "
     "bygger (notens bygger: ehealth_income; den skriver ut: all, unattributed)"),
    ('labels = { all = "" }\n', "notes.toml:7: notes.0.labels.all"),
])
def test_a_label_no_builder_prints_is_an_error_at_its_line(
        tmp_path: Path, labels: str, message: str) -> None:
    (tmp_path / "notes.toml").write_text(NOTES.replace("LABELS\n", labels), "utf-8")
    path = tmp_path / "books.beancount"
    path.write_text(BOOKS, "utf-8")
    with pytest.raises(NoteLayoutError) as caught:
        build_note(load(path), 2024, "2")
    assert message in str(caught.value)
