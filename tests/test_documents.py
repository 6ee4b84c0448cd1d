"""The whole annual report as documents (issue 20), read back: every figure of the JSON report
(statements, note tables, and with ``--with-checks`` the tie-outs, beside the "Avvik" list's
findings) is in the DOCX tables (python-docx) and in the PDF text (pdftotext), notes 1-15 come
in order, and each figure the notes' text quotes is printed as the ledger computes it, or
flagged."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from nhnfin.reports import renderer
from nhnfin.reports.numbers import format_value

from nhnfin.cli.main import main
from nhnfin.ledger import Ledger
from nhnfin.model import Report
from nhnfin.report import build_report
from tests.conftest import EXAMPLE
from tests.conftest import REFERENCE

NBSP = "\u00a0"
# a figure in pdftotext's text (it prints no-break spaces as spaces; columns are two or more
# spaces apart): digits grouped by single spaces, true minus sign, decimal comma
FIGURE = re.compile(r"(?<![\d,])−?\d{1,3}(?: \d{3})*(?:,\d+)?(?![\d,]| \d)")


@pytest.fixture(scope="module")
def report(example_ledger: Ledger) -> Report:
    return build_report(example_ledger, 2024)


@pytest.fixture(scope="module")
def document(report: Report) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(renderer("json")(report))
    return result


@pytest.fixture(scope="module")
def docx(report: Report) -> Any:
    from docx import Document

    return Document(io.BytesIO(renderer("docx", checks=True)(report)))


@pytest.fixture(scope="module")
def pdf_text(report: Report, tmp_path_factory: pytest.TempPathFactory) -> str:
    assert shutil.which("pdftotext"), "pdftotext (poppler-utils) is needed: .ci/run installs it"
    path = tmp_path_factory.mktemp("pdf") / "report.pdf"
    path.write_bytes(renderer("pdf", checks=True)(report))
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout


def json_figures(document: dict[str, Any]) -> list[tuple[str, str, str]]:
    """Every figure of the JSON report's statements and note tables: (label, figure as printed
    in the documents, where)."""
    figures = []
    for key, rows in document["statements"].items():
        for row in rows:
            for year in (document["year"], str(int(document["year"]) - 1)):
                if row.get(year) is not None:
                    shown = format_value(Decimal(row[year]), None, NBSP)
                    figures.append((row["label"], shown, f"{key}.{row['key']}.{year}"))
    for number, note in document["notes"].items():
        for table in note["tables"]:
            for row in table["rows"]:
                unit = row.get("unit") or table["unit"]
                for column, value in row["values"].items():
                    if value is not None:
                        shown = format_value(Decimal(value), unit, NBSP)
                        figures.append((row["label"], shown, f"n{number}.{row['key']}.{column}"))
    return figures


def test_every_figure_is_in_the_docx_tables(document: dict[str, Any], docx: Any) -> None:
    rows: dict[str, list[set[str]]] = {}
    for table in docx.tables:
        for row in table.rows:
            cells = [c.text for c in row.cells]
            rows.setdefault(cells[0], []).append(set(cells[1:]))
    figures = json_figures(document)
    assert len(figures) > 400
    missing = [f for f in figures if not any(f[1] in cells for cells in rows.get(f[0], []))]
    assert missing == []


def test_the_docx_has_heading_styles_and_word_tables(docx: Any) -> None:
    headings = [p.text for p in docx.paragraphs if p.style.name == "Heading 1"]
    assert headings[:3] == ["Resultatregnskap", "Balanse", "Kontantstrømoppstilling"]
    first = docx.tables[0]
    assert [c.text for c in first.rows[0].cells] == ["", "Note", "2024", "2023"]
    assert [c.text for c in first.rows[1].cells] == [
        "Inntekt nasjonale e-helseløsninger", "2", f"988{NBSP}138{NBSP}159",
        f"878{NBSP}360{NBSP}343"]
    assert first.rows[7].cells[2].paragraphs[0].runs[0].bold  # Sum driftsinntekter


def test_every_figure_is_in_the_pdf_text(document: dict[str, Any], pdf_text: str) -> None:
    printed = Counter(m.group(0) for m in FIGURE.finditer(pdf_text))
    wanted = Counter(shown.replace(NBSP, " ").removesuffix(" %").removesuffix(" år")
                     for _, shown, _ in json_figures(document))
    short = {figure: (count, printed[figure]) for figure, count in wanted.items()
             if printed[figure] < count}
    assert short == {}


def test_notes_1_to_15_come_in_order(docx: Any, pdf_text: str, report: Report) -> None:
    titles = [f"Note {n.number} {n.title}" for n in report.notes]
    assert [n.number for n in report.notes] == [str(n) for n in range(1, 16)]
    assert [p.text for p in docx.paragraphs if p.text.startswith("Note ")
            and p.style.name == "Heading 1"] == titles
    body = pdf_text.split("Avvik i publisert årsregnskap", 1)[1]  # after the contents
    positions = [body.find(f"\n{title}\n") for title in titles]
    assert -1 not in positions
    assert positions == sorted(positions)
    assert "Side 3 av" in pdf_text  # page numbers


def flat(text: str) -> str:
    return " ".join(text.replace(NBSP, " ").split())


def test_each_narrative_figure_is_reproduced_or_flagged(
    report: Report, docx: Any, pdf_text: str
) -> None:
    reference = json.loads(REFERENCE.read_text("utf-8"))
    published = [(number, item) for number, note in reference["notes"].items()
                 for item in note.get("narrative_figures", [])]
    assert len(published) == 17
    flagged = {f.check_id for f in report.published_findings if f.severity == "narrative"}
    docx_text = flat(" ".join(p.text for p in docx.paragraphs))
    pdf = flat(pdf_text)
    outcome = {}
    for number, item in published:
        ours = {f.key: f for f in report.note(number).figures}[item["key"]]
        printed = item["value"].replace(".", ",")
        sentence = flat(item["text"]).replace(printed, ours.text, 1)
        assert sentence in docx_text, sentence
        assert sentence in pdf, sentence
        if ours.value == item["value"]:
            outcome[item["key"]] = "reproduced"
        else:
            assert f"narrative.note{number}.{item['key']}" in flagged
            outcome[item["key"]] = f"flagged: {printed} published, {ours.text} computed"
    assert {k: v for k, v in outcome.items() if v != "reproduced"} == {
        "grant_awarded_2024_mnok": "flagged: 232,8 published, 307,6 computed",
        "members_in_scheme": "flagged: 869 published, 899 computed",
    }
    assert len([v for v in outcome.values() if v == "reproduced"]) == 15


def test_the_findings_list_is_optional(report: Report, tmp_path: Path) -> None:
    out = tmp_path / "report.docx"
    args = ["report", str(EXAMPLE), "--year", "2024", "--format", "docx", "--output", str(out),
            "--no-cache"]
    assert CliRunner().invoke(main, [*args, "--no-findings"]).exit_code == 0
    from docx import Document

    headings = [p.text for p in Document(str(out)).paragraphs if p.style.name == "Heading 1"]
    assert "Avvik i publisert årsregnskap" not in headings
    assert headings[-1] == "Note 15 Finansiell markedsrisiko"


CHECKS_HEADER = ["Kontroll", "Verdi", "Skal være", "Differanse", "Status", "Forklaring"]
FINDINGS_HEADER = ["Sted", "Publisert", "Beregnet", "Differanse", "Art", "Forklaring"]


def kroner(value: str) -> str:
    return format_value(Decimal(value), None, NBSP)


def docx_table(docx: Any, header: list[str]) -> list[list[str]]:
    [table] = [t for t in docx.tables if [c.text for c in t.rows[0].cells] == header]
    return [[c.text for c in row.cells] for row in table.rows[1:]]


def test_the_tieouts_and_findings_are_in_the_docx_by_value(
    document: dict[str, Any], docx: Any
) -> None:
    """With checks: every tie-out of the JSON report is a row of "Avstemminger" (Norwegian
    description, both sides, the difference, OK/AVVIK/ADVARSEL), and every inconsistency a row
    of "Avvik i publisert årsregnskap"."""
    status = {"passed": "OK", "failed": "AVVIK", "warning": "ADVARSEL"}
    assert len(document["tieouts"]) > 20
    assert docx_table(docx, CHECKS_HEADER) == [
        [t["description"], kroner(t["left"]), kroner(t["right"]), kroner(t["difference"]),
         status[t["status"]], t["detail"]] for t in document["tieouts"]]
    art = {"error": "feil", "rounding": "avrunding", "narrative": "tekst",
           "presentation": "presentasjon"}
    assert len(document["inconsistencies"]) > 5
    assert docx_table(docx, FINDINGS_HEADER) == [
        [f["where"], kroner(f["published"]), kroner(f["recomputed"]), kroner(f["difference"]),
         art[f["severity"]], f["explanation"]] for f in document["inconsistencies"]]
    headings = [p.text for p in docx.paragraphs if p.style.name == "Heading 1"]
    assert headings[-2:] == ["Avstemminger", "Avvik i publisert årsregnskap"]


def test_the_tieouts_and_findings_are_in_the_pdf_text(
    document: dict[str, Any], pdf_text: str
) -> None:
    """Every figure of the tie-outs and inconsistencies, as often as the JSON has it, in the
    appendix of the PDF (after the notes), and both appendices in the contents."""
    appendix = pdf_text.split("\nAvstemminger\n", 1)[1]
    printed = Counter(m.group(0) for m in FIGURE.finditer(appendix))
    values = [t[k] for t in document["tieouts"] for k in ("left", "right", "difference")]
    values += [f[k] for f in document["inconsistencies"]
               for k in ("published", "recomputed", "difference")]
    wanted = Counter(kroner(v).replace(NBSP, " ") for v in values)
    assert {f: (n, printed[f]) for f, n in wanted.items() if printed[f] < n} == {}
    contents = pdf_text.split("Innhold", 1)[1].split("\f", 1)[0]
    assert re.search(r"Avstemminger \.+ \d+", contents)
    assert re.search(r"Avvik i publisert årsregnskap \.+ \d+", contents)
    assert "Skal være" in appendix
    assert "AVVIK" in appendix or "OK" in appendix


def test_the_tieouts_are_in_the_documents_only_when_asked_for(
    report: Report, tmp_path: Path
) -> None:
    from docx import Document

    plain = Document(io.BytesIO(renderer("docx")(report)))
    assert "Avstemminger" not in [p.text for p in plain.paragraphs]
    out = tmp_path / "report.docx"
    args = ["report", str(EXAMPLE), "--year", "2024", "--format", "docx", "--output", str(out),
            "--with-checks", "--no-findings", "--no-cache"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    headings = [p.text for p in Document(str(out)).paragraphs if p.style.name == "Heading 1"]
    assert headings[-1] == "Avstemminger"
    assert "Avvik i publisert årsregnskap" not in headings


def note_paragraphs(docx: Any) -> dict[str, str]:
    """The text of each note in the DOCX: note number -> its paragraphs and list items."""
    texts: dict[str, list[str]] = {}
    current = None
    for paragraph in docx.paragraphs:
        if paragraph.style.name == "Heading 1":
            match = re.match(r"Note (\d+) ", paragraph.text)
            current = match.group(1) if match else None
        elif current is not None:
            texts.setdefault(current, []).append(paragraph.text)
    return {number: flat(" ".join(parts)) for number, parts in texts.items()}


def test_every_quoted_figure_of_the_json_is_in_its_note_in_the_docx(
    document: dict[str, Any], docx: Any
) -> None:
    """Each figure the JSON says a note's text quotes (the 17 narrative figures of 2024, one of
    them the range "15-20") is printed in that note's text in the DOCX, in its sentence."""
    notes = note_paragraphs(docx)
    quoted = [(number, figure) for number, note in document["notes"].items()
              for figure in note.get("narrative_figures", [])]
    assert len(quoted) == 17
    for number, figure in quoted:
        sentences = [flat(b["text"]) for b in document["notes"][number]["text"]
                     if b["kind"] == "paragraph" and figure["text"] in b["text"]]
        assert sentences, figure
        assert any(sentence in notes[number] for sentence in sentences), figure
