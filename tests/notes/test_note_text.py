"""Note texts as templates (issue 20): placeholders filled in from the books, formatting, errors
at the template's line, literal figures as findings, quoted figures against the published text."""

from __future__ import annotations

import gc
import json
import textwrap
import weakref
from decimal import Decimal
from pathlib import Path

import pytest

from nhnfin.ledger import load
from nhnfin.model import Report
from nhnfin.model import TextBlock
from nhnfin.notes.text import kr
from nhnfin.notes.text import mnok
from nhnfin.notes.text import note_template_files
from nhnfin.notes.text import number
from nhnfin.notes.text import parse_blocks
from nhnfin.notes.text import percent
from nhnfin.report import ReportError
from nhnfin.report import build_report
from nhnfin.report import note_input_files

BOOKS = """\
option "title" "Testforetak"
option "operating_currency" "NOK"
plugin "nhnfin.mapping"
plugin "nhnfin.notes.note_data"
2022-12-31 open Assets:1920-Bank
2022-12-31 open Equity:2050-OtherEquity
2022-12-31 open Income:3100-Services
2022-12-31 open Expenses:6300-Rent
2022-12-31 * "Opening"
  Assets:1920-Bank         5000000.00 NOK
  Equity:2050-OtherEquity -5000000.00 NOK
2023-05-01 * "Kunde AS" "Sale"
  Assets:1920-Bank         1042953698.40 NOK
  Income:3100-Services    -1042953698.40 NOK
2023-06-01 * "Gårdeier AS" "Husleie"
  Expenses:6300-Rent       51500000.50 NOK
  Assets:1920-Bank        -51500000.50 NOK
2024-06-01 * "Gårdeier AS" "Husleie"
  Expenses:6300-Rent       56999999.52 NOK
  Assets:1920-Bank        -56999999.52 NOK
2024-12-31 custom "nhnfin-note-data" "5" "staff" "employees" 1976
2024-12-31 custom "nhnfin-note-data" "7" "pay_policy" "ceo_salary_increase" 5.2
"""


def write(directory: Path, books: str, templates: dict[str, str], extra: str = "") -> Path:
    """The ledger with one ``nhnfin-note-text`` directive per template (note number -> text)."""
    lines = [books, extra]
    for note, text in templates.items():
        name = f"note-{note}.md.j2"
        (directory / name).write_text(textwrap.dedent(text), "utf-8")
        lines.append(f'2024-12-31 custom "nhnfin-note-text" "{note}" "{name}"\n')
    path = directory / "books.beancount"
    path.write_text("".join(lines), "utf-8")
    return path


def report_of(directory: Path, templates: dict[str, str], extra: str = "") -> Report:
    return build_report(load(write(directory, BOOKS, templates, extra)), 2024)


# --- formatting ------------------------------------------------------------------------------


def test_filters_print_norwegian_figures() -> None:
    assert kr(Decimal("1042953698.40")) == "1 042 953 698"
    assert kr(Decimal("-81455995.50")) == "−81 455 996"
    assert mnok(Decimal("127664071")) == "127,7"
    assert mnok(Decimal("56999999.52")) == "57,0"
    assert mnok(Decimal("1042953698")) == "1 043,0"
    assert percent(Decimal("5.2")) == "5,2 %"
    assert percent(Decimal("4.0"), sign=" prosent") == "4,0 prosent"
    assert number(Decimal("1976")) == "1 976"


def test_blocks_of_rendered_markdown() -> None:
    text = ("## Tittel\nEn linje\nsom fortsetter.\n\n- a\n- b\n  fortsatt b\n\n"
            "<<nhnfin-table:1>>\n*fotnote")
    assert parse_blocks(text) == (
        TextBlock("heading", "Tittel"),
        TextBlock("paragraph", "En linje som fortsetter."),
        TextBlock("list", items=("a", "b fortsatt b")),
        TextBlock("table", table=1),
        TextBlock("paragraph", "*fotnote"),
    )


# --- filling in ------------------------------------------------------------------------------


def test_placeholders_are_filled_in_from_the_books(tmp_path: Path) -> None:
    report = report_of(tmp_path, {
        "8": """\
        I {{ year }} var leiekostnaden {{ account("6300") | mnok | narrative("lease") }}
        millioner kroner mot {{ account("6300", year=prior) | mnok }} millioner kroner i
        {{ prior }}; inntektene var {{ line("service_revenue", year=prior) | kr }} kroner.
        """,
        "5": "Det var {{ data('staff', 'employees') | number }} ansatte.",
        "7": "Lønnsøkning på {{ data('pay_policy', 'ceo_salary_increase') | percent }}.",
    })
    [paragraph] = report.note("8").text
    assert (paragraph.kind, paragraph.text) == ("paragraph", (
        "I 2024 var leiekostnaden 57,0 millioner kroner mot 51,5 millioner kroner i 2023; "
        "inntektene var 1 042 953 698 kroner."))
    # each printed figure: where it stands, the exact figure it rounds, its unit, its postings
    assert [(paragraph.text[f.start:f.end], f.value, f.scale, f.quantum, f.key,
             f.drill.start if f.drill else None) for f in paragraph.figures] == [
        ("57,0", Decimal("56999999.52"), Decimal(1_000_000), Decimal("0.1"), "lease",
         "2024-01-01"),
        ("51,5", Decimal("51500000.50"), Decimal(1_000_000), Decimal("0.1"), "", "2023-01-01"),
        ("1 042 953 698", Decimal("1042953698.40"), Decimal(1), Decimal(1), "", "2023-01-01"),
    ]
    assert {f.drill.accounts for f in paragraph.figures[:2] if f.drill} == {
        ("Expenses:6300-Rent",)}
    assert report.note("5").text[0].text == "Det var 1 976 ansatte."
    assert report.note("7").text[0].text == "Lønnsøkning på 5,2 %."
    assert [(f.key, f.text, f.value, f.source) for f in report.note("8").figures] == [
        ("lease", "57,0", "57.0", "note-8.md.j2:1")]
    # text-only notes are numbered, titled and ordered by the packaged notes layout
    assert [(n.number, n.title) for n in report.notes] == [
        ("5", "Lønnskostnader"), ("7", "Lederlønnspolitikk"),
        ("8", "Varige driftsmidler og immaterielle eiendeler"), ("9", "Egenkapital")]
    assert report.note("7").tables == ()
    assert report.text_findings == ()


def test_tables_go_where_the_template_places_them(tmp_path: Path) -> None:
    extra = '2024-12-31 custom "nhnfin-note-data" "5" "auditor" "audit_fee" 625737 NOK\n'
    report = report_of(tmp_path, {"5": "Før.\n\n{{ table(1) }}\n\nEtter."}, extra)
    note = report.note("5")
    kinds = [(b.kind, b.table) for b in note.blocks()]
    assert kinds == [("paragraph", None), ("table", 1), ("paragraph", None), ("table", 0)]
    assert [t.caption for t in note.tables] == ["Godtgjørelse til revisor", "Ansatte og årsverk"]


@pytest.mark.parametrize(
    ("template", "line", "message"),
    [
        ("Tekst\n\n{{ ansatte }}", 3, "ukjent plassholder 'ansatte' (kjente: line, cell, "),
        ("Tekst\n{{ year | kroner }}", 2, "No filter named 'kroner'"),
        ("{% include 'x.md.j2' %}", 1, "en notemal kan ikke ta med andre filer"),
        ("a\n{{ line('no_such_line') }}", 2, "ingen oppstilling har linjen 'no_such_line'"),
        ("a\n{{ cell('x', 'y') }}", 2, "tabell 0 i note 5 har ingen rad 'x' (rader: employees, "),
        ("{{ year ", 1, "unexpected end of template"),
        ("ok\n{{ year | narrative('Bad Key') }}", 2,
         "en nøkkel består av små bokstaver, sifre og _"),
    ],
)
def test_template_errors_at_file_and_line(
    tmp_path: Path, template: str, line: int, message: str
) -> None:
    with pytest.raises(ReportError) as caught:
        report_of(tmp_path, {"5": template})
    text = str(caught.value)
    assert text.startswith(f"{tmp_path / 'note-5.md.j2'}:{line}: "), text
    assert message in text


def test_a_template_for_a_note_not_in_the_layout_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ReportError,
                       match=r"books.beancount:23: note 99 finnes ikke i noteoppsettet"):
        report_of(tmp_path, {"99": "Tekst"})


def test_the_sandbox_runs_no_code(tmp_path: Path) -> None:
    with pytest.raises(ReportError, match=r"note-5.md.j2:1: .*unsafe"):
        report_of(tmp_path, {"5": "{{ line.__globals__ }}"})


# --- literal figures and the published text -------------------------------------------------


def test_a_typed_in_amount_the_books_do_not_give_is_a_finding(tmp_path: Path) -> None:
    report = report_of(tmp_path, {"8": """\
        Leien var 57,0 millioner kroner (riktig), og
        tilskuddet 232,8 millioner kroner; salget 1 042 953 698 kroner og 12 kroner.
        Lovens § 2-32 og 10 % er ingen beløp.
        """})
    assert [(f.where, f.figure) for f in report.text_findings] == [
        ("note-8.md.j2:2", "232,8 millioner kroner"),
        ("note-8.md.j2:2", "12 kroner"),
    ]


def test_quoted_figures_are_compared_with_the_published_text(tmp_path: Path) -> None:
    published = tmp_path / "published.json"
    published.write_text(json.dumps({"statements": {}, "notes": {"8": {"narrative_figures": [
        {"key": "lease_cost_2024_mnok", "text": "leiekostnaden totalt 57,0 millioner kroner",
         "value": "57.0", "unit": "MNOK"},
        {"key": "lease_cost_2023_mnok", "text": "mot 50,0 millioner kroner i 2023",
         "value": "50.0", "unit": "MNOK"},
        {"key": "other_mnok", "text": "noe annet", "value": "1.0", "unit": "MNOK"},
    ]}}}), "utf-8")
    template = {"8": """\
        {{ account("6300") | mnok | narrative("lease_cost_2024_mnok") }} og
        {{ account("6300", year=prior) | mnok | narrative("lease_cost_2023_mnok") }}
        """}
    named = '2024-12-31 custom "nhnfin-published" "published.json"\n'
    report = report_of(tmp_path, template, named)
    narrative = [f for f in report.published_findings if f.severity == "narrative"]
    assert [(f.check_id, f.published, f.recomputed, f.formula) for f in narrative] == [
        ("narrative.note8.lease_cost_2023_mnok", Decimal("50000000.0"), Decimal("51500000.0"),
         "note-8.md.j2:2"),
        ("narrative.note8.other_mnok", Decimal("1000000.0"), Decimal(0),
         "ikke sitert i notens tekst"),
    ]


def test_the_template_files_are_inputs_of_the_report(tmp_path: Path) -> None:
    path = write(tmp_path, BOOKS, {"5": "a", "14": "b"},
                 '2024-12-31 custom "nhnfin-notes" "notes.toml"\n')
    ledger = load(path)
    assert note_template_files(ledger.entries) == [tmp_path / "note-14.md.j2",
                                                   tmp_path / "note-5.md.j2"]
    assert note_input_files(ledger.entries) == [
        tmp_path / "notes.toml", tmp_path / "note-14.md.j2", tmp_path / "note-5.md.j2"]


def test_a_changed_template_is_not_served_from_the_report_cache(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from nhnfin.cli.main import main

    path = write(tmp_path, BOOKS, {"14": "Ingen mellomværende."})
    args = ["report", str(path), "--year", "2024", "--format", "md"]
    assert "Ingen mellomværende." in CliRunner().invoke(main, args).stdout
    (tmp_path / "note-14.md.j2").write_text("Mellomværende med eier: ingen.", "utf-8")
    shown = CliRunner().invoke(main, args).stdout
    assert "Mellomværende med eier: ingen." in shown
    assert "Ingen mellomværende." not in shown


def test_a_year_without_the_declared_figure_gets_the_report_and_a_finding(tmp_path: Path
                                                                          ) -> None:
    """The template quotes data declared for 2024 only: the 2023 report is built (the note
    without its text) and says at the template's line what is missing; 2024 is filled in."""
    templates = {"5": "Antall ansatte: {{ data('staff', 'employees') | number }}.\n"}
    directory = tmp_path
    path = write(directory, BOOKS, templates)
    report = build_report(load(path), 2023)
    assert [n.text for n in report.notes if n.number == "5"] in ([], [()])
    [finding] = report.text_findings
    assert finding.where.endswith("note-5.md.j2:1")
    assert finding.message == (
        "teksten til note 5 er ikke fylt inn for 2023: data('staff', 'employees'): note 5 "
        "har ikke oppgitt 'value' for 2023 (custom \"nhnfin-note-data\")")
    filled = build_report(load(path), 2024)
    assert next(n for n in filled.notes if n.number == "5").text != ()
    assert filled.text_findings == ()


@pytest.mark.parametrize(
    ("template", "line", "message"),
    [
        ("a\nb\n{{ data('staff', 'fte') }}", 3, "note 5 har ikke oppgitt 'value' for 2024"),
        ("a\n{{ cell('x', 'y', note='7') }}", 2, "cell('x', 'y'): note 7 har ingen tabeller"),
    ],
)
def test_a_figure_the_year_lacks_is_a_finding_at_the_template_line(
    tmp_path: Path, template: str, line: int, message: str
) -> None:
    [finding] = report_of(tmp_path, {"5": template}).text_findings
    assert finding.where == f"note-5.md.j2:{line}"  # as the ledger's folder sees it
    assert message in finding.message


def test_a_printed_figure_compares_as_printed(tmp_path: Path) -> None:
    """A template may test what a filter prints; the figure is still printed once and linked."""
    report = report_of(tmp_path, {"8": """\
        {% if account("6300") | mnok == "57,0" %}Leien var {{ account("6300") | mnok }}
        millioner kroner.{% endif %}{% if account("6300") | mnok != "57,0" %}Feil.{% endif %}
        """})
    [paragraph] = report.note("8").text
    assert paragraph.text == "Leien var 57,0 millioner kroner."
    assert [(f.text, paragraph.text[f.start:f.end]) for f in paragraph.figures] == [
        ("57,0", "57,0")]


def test_a_filled_in_text_keeps_no_hold_on_the_ledger(tmp_path: Path) -> None:
    """The template's context and its filters pointed at each other, so each report with a note
    text kept its ledger until a full run of Python's cyclic collector: in a long-lived Fava with
    nhnfin's collector thresholds, every reload kept the previous load's entries. With the
    collector off, only reference counting frees them."""
    path = write(tmp_path, BOOKS, {
        "8": 'Leie {{ account("6300") | mnok | narrative("lease") }} millioner kroner.\n'})
    collecting = gc.isenabled()
    gc.disable()
    try:
        ledger = load(path)
        held = weakref.ref(ledger)
        report = build_report(ledger, 2024)
        assert report.note("8").text[0].text == "Leie 57,0 millioner kroner."
        del ledger, report
        assert held() is None, "something still holds the ledger"
    finally:
        if collecting:
            gc.enable()
