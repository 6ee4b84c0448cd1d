"""The Fava extension through Fava's real routes (Flask's test client): pages, figures, drill-down,
downloads, 404s, errors, and the auditor's read-only mode."""

from __future__ import annotations

import io
import subprocess
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from nhnfin.cli.main import main
from nhnfin.fava_ext import NhnfinReport
from nhnfin.fava_ext.views import drill_query
from nhnfin.model import Drill
from tests.conftest import EXAMPLE
from tests.fava.conftest import EXTENSION
from tests.fava.conftest import SMALL
from tests.fava.conftest import cli_bytes
from tests.fava.conftest import cli_json
from tests.fava.conftest import expected_note_cells
from tests.fava.conftest import expected_statement_cells
from tests.fava.conftest import fava_app
from tests.fava.conftest import links
from tests.fava.conftest import page_url
from tests.fava.conftest import parse
from tests.fava.conftest import slug
from tests.fava.conftest import tables
from tests.fava.conftest import write_ledger

STATEMENTS = ("income_statement", "balance_sheet", "cash_flow")


def extension(app: Flask) -> NhnfinReport:
    """The extension instance Fava created for the app's ledger."""
    ext = app.config["LEDGERS"][slug(app)].extensions.get_extension(EXTENSION)
    assert isinstance(ext, NhnfinReport)
    return ext


def json_of(response: TestResponse) -> Any:
    """A JSON response's body."""
    assert response.is_json, response.data
    return response.get_json()


def query(client: FlaskClient, app: Flask, bql: str) -> dict[str, Any]:
    """Run ``bql`` through Fava's query API (what the query page shows)."""
    response = client.get(f"/{slug(app)}/api/query", query_string={"query_string": bql})
    assert response.status_code == 200, response.json
    data: dict[str, Any] = json_of(response)["data"]
    return data


def column(result: dict[str, Any], name: str) -> list[Any]:
    """One column of a query result."""
    index = [t["name"] for t in result["types"]].index(name)
    return [row[index] for row in result["rows"]]


# --- pages ---------------------------------------------------------------------------------


def test_the_extension_is_listed_with_its_report_page(small_app: Flask) -> None:
    details = small_app.config["LEDGERS"][slug(small_app)].extensions.extension_details
    assert [(d.name, d.report_title) for d in details] == [(EXTENSION, "Årsregnskap")]


def test_overview_defaults_to_the_last_year_with_postings(client: FlaskClient,
                                                          small_app: Flask) -> None:
    response = client.get(page_url(small_app))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'data-year="2024"' in page
    assert "Testforetak: årsregnskap 2024" in page
    nav = links(page, "//div[@class='nhnfin']/nav/a")
    sections = [parse_qs(urlsplit(u).query)["section"][0] for u in nav]
    assert sections == ["overview", *STATEMENTS, "notes", "note-99", "tieouts"]
    overview = tables(page)["overview"]
    assert overview["tieouts.warning"] == ["Advarsler", "2"]
    assert overview["ledger_errors"] == ["Feil i regnskapet", "0"]


@pytest.mark.parametrize("key", STATEMENTS)
def test_statements_show_the_cli_figures(client: FlaskClient, small_app: Flask,
                                         small_ledger: Path, key: str) -> None:
    response = client.get(page_url(small_app, key, "2024"))
    assert response.status_code == 200
    assert tables(response.data)[key] == expected_statement_cells(cli_json(small_ledger, 2024), key)


def test_figures_are_in_norwegian_number_format(client: FlaskClient, small_app: Flask) -> None:
    rows = tables(client.get(page_url(small_app, "income_statement", "2024")).data)
    assert rows["income_statement"]["service_revenue"] == [
        "Tjenesteinntekter", "", "0", "1 042 953 698"
    ]
    assert rows["income_statement"]["operating_profit"][2] == "\u221281 456 996"


def test_the_time_filter_selects_the_fiscal_year(client: FlaskClient, small_app: Flask,
                                                 small_ledger: Path) -> None:
    for time in ("2023", "FY2023", "2023-03 - 2023-12"):
        page = client.get(page_url(small_app, "balance_sheet", time)).get_data(as_text=True)
        assert 'data-year="2023"' in page
        assert "<th>2023</th><th>2022</th>" in page
    rows = tables(client.get(page_url(small_app, "balance_sheet", "2023")).data)
    assert rows["balance_sheet"] == expected_statement_cells(
        cli_json(small_ledger, 2023), "balance_sheet"
    )


@pytest.mark.parametrize("section", ["notes", "note-99"])
def test_note_pages_show_the_cli_figures(client: FlaskClient, small_app: Flask,
                                         small_ledger: Path, section: str) -> None:
    response = client.get(page_url(small_app, section, "2024"))
    assert response.status_code == 200
    shown = tables(response.data)
    assert list(shown.values()) == expected_note_cells(cli_json(small_ledger, 2024), "99")
    assert shown["note99.0"]["bank"] == ["Bankinnskudd", "966 496 703", "1 047 953 698",
                                         "Driftskonto"]


def test_tieouts_page_marks_each_check(client: FlaskClient, small_app: Flask,
                                       small_ledger: Path) -> None:
    page = client.get(page_url(small_app, "tieouts", "2024")).get_data(as_text=True)
    expected = {t["check_id"]: t["status"] for t in cli_json(small_ledger, 2024)["tieouts"]}
    assert set(tables(page)["tieouts"]) == set(expected)
    for check_id, status in expected.items():
        assert f'<tr class="{status}" data-key="{check_id}">' in page
    shown = tables(page)["tieouts"]
    assert shown["bs.balances.2024"][-2:] == ["OK", ""]
    details = {t["check_id"]: t["detail"] for t in cli_json(small_ledger, 2024)["tieouts"]}
    assert {k: row[-1] for k, row in shown.items()} == details


def test_published_findings_page(tmp_path: Path, sample_notes: None) -> None:
    published = EXAMPLE.parent / "published" / "nhn-annual-report-2024.json"
    path = write_ledger(tmp_path, SMALL + f'2024-12-31 custom "nhnfin-published" "{published}"\n')
    app = fava_app(path)
    page = app.test_client().get(page_url(app, "published", "2024")).get_data(as_text=True)
    findings = {f["check_id"]: f for f in cli_json(path, 2024)["inconsistencies"]}
    assert findings
    assert set(tables(page)["inconsistencies"]) == set(findings)


# --- drill-down ----------------------------------------------------------------------------


def test_every_item_figure_links_to_exactly_its_postings(client: FlaskClient, small_app: Flask,
                                                         small_ledger: Path) -> None:
    """The query behind each link, run by Fava, lists postings that sum to the figure."""
    document = cli_json(small_ledger, 2024)
    report = extension(small_app).report(2024)
    drilled = 0
    for key in STATEMENTS:
        page = client.get(page_url(small_app, key, "2024")).data
        for row in document["statements"][key]:
            hrefs = links(page, f"//table[@data-key='{key}']//tr[@data-key='{row['key']}']/td/a")
            trails = report.statement(key).row(row["key"]).drill
            years = list(trails)
            assert len(hrefs) == len(years)
            for href, year in zip(hrefs, years, strict=True):
                parts = trails[year].parts
                if len({sign * part.sign for sign, part in parts}) > 1:
                    continue  # a sum of parts with different signs: tests/fava/test_drill_sums
                url = urlsplit(href)
                assert url.path == f"/{slug(small_app)}/query/"
                args = parse_qs(url.query)
                assert set(args) == {"query_string"}  # no time filter: the query selects
                result = query(client, small_app, args["query_string"][0])
                total = sum((Decimal(str(w["number"])) for w in column(result, "weight")),
                            Decimal(0))
                assert abs(total) == abs(Decimal(row["exact"][year])), (key, row["key"], year)
                drilled += 1
    assert drilled > 20


def test_drill_down_lists_rule_and_source_of_generated_entries(client: FlaskClient,
                                                               small_app: Flask) -> None:
    page = client.get(page_url(small_app, "income_statement", "2024")).data
    row = tables(page)["income_statement"]["other_operating_costs"]
    assert row[2] == "81 456 996"
    href = links(page, "//tr[@data-key='other_operating_costs']/td/a")[0]
    result = query(client, small_app, parse_qs(urlsplit(href).query)["query_string"][0])
    assert column(result, "narration") == ["Cost", "Generated cost"]
    assert column(result, "rule") == [None, "test rule"]
    assert column(result, "source") == [None, "rules.beancount:7"]
    assert all(len(i) == 32 for i in column(result, "id"))  # Fava links these to the entry
    lines = [location.rsplit(":", 1)[-1] for location in column(result, "location")]
    assert lines == ["17", "20"]


def test_note_figures_link_to_their_postings(client: FlaskClient, small_app: Flask) -> None:
    page = client.get(page_url(small_app, "note-99", "2024")).data
    hrefs = links(page)
    assert len(hrefs) == 2  # the bank row's two years; the sum row has no drill
    result = query(client, small_app, parse_qs(urlsplit(hrefs[0]).query)["query_string"][0])
    assert column(result, "weight_balance")[-1]["NOK"] == pytest.approx(966496702.9)
    assert "rule" in [t["name"] for t in result["types"]]


def test_drill_query_keeps_the_where_clause_and_adds_provenance() -> None:
    drill = Drill(("Income:3400-GrantIncome",), "2024-01-01", "2025-01-01",
                  "SELECT date, narration, account, position, any_meta('grant') AS grant "
                  "WHERE account ~ '^(Income:3400-GrantIncome)' AND any_meta('grant') IN ('a')")
    assert drill_query(drill) == (
        "SELECT id, date, narration, account, position, any_meta('grant') AS grant, "
        "str(entry_meta('filename')) + ':' + str(entry_meta('lineno')) AS location, "
        "str(entry_meta('nhnfin-rule')) AS rule, str(entry_meta('nhnfin-source')) AS source "
        "WHERE account ~ '^(Income:3400-GrantIncome)' AND any_meta('grant') IN ('a')"
    )
    star = Drill((), None, "2025-01-01", "SELECT * WHERE date < 2025-01-01")
    assert drill_query(star).startswith(
        "SELECT id, date, flag, payee, narration, account, position, weight, weight_balance, "
        "str(entry_meta("
    )


# --- downloads -----------------------------------------------------------------------------


def xlsx_parts(content: bytes) -> dict[str, bytes]:
    """The workbook's parts, without the creation timestamp openpyxl writes."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {n: archive.read(n) for n in archive.namelist() if n != "docProps/core.xml"}


@pytest.mark.parametrize("fmt", ["csv", "json", "xlsx"])
def test_downloads_are_the_cli_files(client: FlaskClient, small_app: Flask, small_ledger: Path,
                                     tmp_path: Path, fmt: str) -> None:
    response = client.get(f"/{slug(small_app)}/extension/{EXTENSION}/{fmt}?time=2024")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="{slug(small_app)}-2024.{fmt}"'
    )
    expected = cli_bytes(small_ledger, 2024, fmt, tmp_path)
    if fmt == "xlsx":
        assert xlsx_parts(response.data) == xlsx_parts(expected)
    else:
        assert response.data == expected


def docx_tables(content: bytes) -> list[list[list[str]]]:
    """The text of every table of a Word document (python-docx)."""
    from docx import Document

    document = Document(io.BytesIO(content))
    return [[[c.text for c in row.cells] for row in t.rows] for t in document.tables]


def pdf_text(content: bytes, tmp_path: Path) -> str:
    """The text of a PDF (pdftotext from poppler-utils)."""
    source = tmp_path / "download.pdf"
    source.write_bytes(content)
    return subprocess.run(["pdftotext", "-layout", str(source), "-"], check=True,
                          capture_output=True, text=True).stdout


def test_document_downloads_are_the_cli_documents(client: FlaskClient, small_app: Flask,
                                                  small_ledger: Path, tmp_path: Path) -> None:
    base = f"/{slug(small_app)}/extension/{EXTENSION}"
    docx = client.get(f"{base}/docx?time=2024")
    assert docx.headers["Content-Disposition"].endswith('-2024.docx"')
    assert docx_tables(docx.data) == docx_tables(cli_bytes(small_ledger, 2024, "docx", tmp_path))
    pdf = client.get(f"{base}/pdf?time=2024")
    assert pdf.mimetype == "application/pdf"
    expected = pdf_text(cli_bytes(small_ledger, 2024, "pdf", tmp_path), tmp_path)
    assert pdf_text(pdf.data, tmp_path) == expected
    assert "Bankinnskudd" in expected


def test_download_links_keep_the_year(client: FlaskClient, small_app: Flask) -> None:
    page = client.get(page_url(small_app, "overview", "2023")).data
    hrefs = links(page, "//span[@class='downloads']/a")
    base = f"/{slug(small_app)}/extension/{EXTENSION}"
    assert hrefs == [f"{base}/{fmt}?time=2023" for fmt in ("xlsx", "csv", "json", "docx", "pdf")
                     ] + [f"{base}/{fmt}?time=2023&checks=1" for fmt in ("docx", "pdf")]
    labels = parse(page).xpath("//span[@class='downloads']/a/text()")
    assert labels[-2:] == ["DOCX med avstemminger", "PDF med avstemminger"]
    assert json_of(client.get(hrefs[2]))["year"] == "2023"


def test_document_downloads_with_checks_are_the_cli_documents_with_checks(
        client: FlaskClient, small_app: Flask, small_ledger: Path, tmp_path: Path) -> None:
    base = f"/{slug(small_app)}/extension/{EXTENSION}"
    docx = client.get(f"{base}/docx?time=2024&checks=1")
    assert docx.headers["Content-Disposition"].endswith('-2024-med-avstemminger.docx"')
    tables = docx_tables(docx.data)
    assert tables == docx_tables(cli_bytes(small_ledger, 2024, "docx", tmp_path,
                                           "--with-checks"))
    assert tables != docx_tables(client.get(f"{base}/docx?time=2024").data)
    assert [t[0][:2] for t in tables].count(["Kontroll", "Verdi"]) == 1
    pdf = client.get(f"{base}/pdf?time=2024&checks=1")
    assert pdf.headers["Content-Disposition"].endswith('-2024-med-avstemminger.pdf"')
    text = pdf_text(pdf.data, tmp_path)
    assert text == pdf_text(cli_bytes(small_ledger, 2024, "pdf", tmp_path, "--with-checks"),
                            tmp_path)
    assert "Avstemminger" in text
    assert "Avstemminger" not in pdf_text(client.get(f"{base}/pdf?time=2024").data, tmp_path)


# --- 404s and errors -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", f"extension/{EXTENSION}/?section=nope"),
        ("GET", f"extension/{EXTENSION}/?section=note-1"),
        ("GET", f"extension/{EXTENSION}/?section=published"),  # no published report given
        ("GET", f"extension/{EXTENSION}/odt"),
        ("GET", "extension/NoSuchExtension/"),
        ("POST", f"extension/{EXTENSION}/xlsx"),
        ("PUT", f"extension/{EXTENSION}/csv"),
        ("DELETE", f"extension/{EXTENSION}/json"),
    ],
)
def test_not_found(client: FlaskClient, small_app: Flask, method: str, path: str) -> None:
    response = client.open(f"/{slug(small_app)}/{path}", method=method)
    assert response.status_code == 404


def test_a_year_without_postings_is_a_message_not_a_crash(client: FlaskClient,
                                                          small_app: Flask) -> None:
    response = client.get(page_url(small_app, "income_statement", "2019"))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Årsregnskapet kan ikke lages" in page
    assert "regnskapet har ingen posteringer i 2019 (det har 2022, 2023 og 2024)" in page
    download = client.get(f"/{slug(small_app)}/extension/{EXTENSION}/xlsx?time=2019")
    assert download.status_code == 422
    assert download.get_data(as_text=True).startswith("regnskapet har ingen posteringer i 2019")


def fava_errors(app: Flask) -> list[dict[str, Any]]:
    """Fava's error list (what its error page shows)."""
    errors: list[dict[str, Any]] = json_of(app.test_client().get(f"/{slug(app)}/api/errors"))[
        "data"
    ]
    return errors


def test_a_bad_layout_is_a_located_error_and_a_clear_page(tmp_path: Path,
                                                          sample_notes: None) -> None:
    path = write_ledger(tmp_path, SMALL + '2024-01-01 custom "nhnfin-layout" "missing.toml"\n')
    app = fava_app(path)
    [error] = fava_errors(app)
    assert error["source"]["filename"] == str(path)
    assert error["source"]["lineno"] == 25
    assert error["message"].startswith("kan ikke lese layouten")
    response = app.test_client().get(page_url(app, "income_statement"))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Årsregnskapet kan ikke lages" in page
    assert f"{path}:25: kan ikke lese layouten" in page
    assert f'href="/{slug(app)}/errors/"' in page
    assert app.test_client().get(f"/{slug(app)}/extension/{EXTENSION}/csv").status_code == 422


def test_an_unmapped_account_is_a_located_error_and_the_pages_still_render(
    tmp_path: Path, sample_notes: None
) -> None:
    path = write_ledger(tmp_path, SMALL + "2024-01-01 open Assets:Cash NOK\n")
    app = fava_app(path)
    [error] = fava_errors(app)
    assert (error["source"]["filename"], error["source"]["lineno"]) == (str(path), 25)
    assert "Assets:Cash har ikke noe NS 4102-nummer" in error["message"]
    page = app.test_client().get(page_url(app, "overview")).get_data(as_text=True)
    assert "Regnskapet har 1 feil" in page
    assert tables(page)["overview"]["ledger_errors"] == ["Feil i regnskapet", "1"]
    assert "Assets:Cash har ikke noe NS 4102-nummer" in page


def test_the_report_follows_changes_to_the_file(small_app: Flask, small_ledger: Path) -> None:
    client = small_app.test_client()
    before = tables(client.get(page_url(small_app, "income_statement", "2024")).data)
    assert before["income_statement"]["other_operating_costs"][2] == "81 456 996"
    ext = extension(small_app)
    small_ledger.write_text(
        small_ledger.read_text("utf-8").replace("81455995.50", "81455000.00"), "utf-8"
    )
    small_app.config["LEDGERS"][slug(small_app)].load_file()  # what Fava does on a change
    # the reload rebuilt the last year's report from the changed file (and nothing else)
    assert ext.ready(timeout=60)
    assert set(ext._reports) == {(2024, None)}
    rebuilt = ext._reports[(2024, None)]
    assert not isinstance(rebuilt, Exception)
    costs = rebuilt.statement("income_statement").row("other_operating_costs")
    assert costs.amounts["2024"] == Decimal("81456000.00")
    after = tables(client.get(page_url(small_app, "income_statement", "2024")).data)
    assert after["income_statement"]["other_operating_costs"][2] == "81 456 000"


# --- auditor mode --------------------------------------------------------------------------


def test_extension_endpoints_only_read(small_app: Flask) -> None:
    assert set(extension(small_app).endpoints) == {
        (fmt, "GET") for fmt in ("xlsx", "csv", "json", "docx", "pdf", "read_only", "generating")}


WRITES: list[tuple[str, str, dict[str, Any] | None]] = [
    ("PUT", "api/source", {"file_path": "{path}", "source": "", "sha256sum": ""}),
    ("PUT", "api/source_slice", {"entry_hash": "x", "source": "", "sha256sum": ""}),
    ("DELETE", "api/source_slice?entry_hash=x&sha256sum=x", None),
    ("PUT", "api/add_entries", {"entries": []}),
    ("PUT", "api/format_source", {"source": ""}),
    ("PUT", "api/move?account=Assets:1920-Bank&new_name=x&filename=x", None),
    ("DELETE", "api/document?filename=x", None),
    ("POST", f"extension/{EXTENSION}/xlsx", None),
]


@pytest.mark.parametrize(("method", "path", "body"), WRITES)
def test_read_only_mode_refuses_every_write(tmp_path: Path, sample_notes: None, method: str,
                                            path: str, body: dict[str, Any] | None) -> None:
    ledger = write_ledger(tmp_path, SMALL)
    before = ledger.read_bytes()
    app = fava_app(ledger, read_only=True)
    if body is not None:
        body = {k: (str(ledger) if v == "{path}" else v) for k, v in body.items()}
    response = app.test_client().open(f"/{slug(app)}/{path}", method=method, json=body)
    assert response.status_code == 401
    assert ledger.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["books.beancount"]


def test_read_only_mode_still_serves_the_pages(tmp_path: Path, sample_notes: None) -> None:
    app = fava_app(write_ledger(tmp_path, SMALL), read_only=True)
    client = app.test_client()
    for section in ("overview", *STATEMENTS, "notes", "note-99", "tieouts"):
        assert client.get(page_url(app, section)).status_code == 200
    assert client.get(f"/{slug(app)}/extension/{EXTENSION}/xlsx").status_code == 200


def test_without_read_only_fava_would_write(tmp_path: Path, sample_notes: None) -> None:
    """The control for the read-only tests: the same request is accepted and writes."""
    ledger = write_ledger(tmp_path, SMALL)
    app = fava_app(ledger)
    client = app.test_client()
    source = client.get(f"/{slug(app)}/api/source", query_string={"filename": str(ledger)})
    sha = json_of(source)["data"]["sha256sum"]
    new = json_of(source)["data"]["source"] + "; reviewed\n"
    response = client.put(f"/{slug(app)}/api/source",
                          json={"file_path": str(ledger), "source": new, "sha256sum": sha})
    assert response.status_code == 200
    assert ledger.read_text("utf-8").endswith("; reviewed\n")


def test_nhnfin_fava_serves_on_localhost_and_passes_read_only(
    small_ledger: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import fava.cli
    import fava.core
    from click.testing import CliRunner

    from nhnfin.cli.main import main
    from nhnfin.fava_ext.loading import load_uncached as nhnfin_load

    calls: list[list[str]] = []

    class FakeFava:
        def main(self, args: list[str], prog_name: str) -> None:
            calls.append(args)

    monkeypatch.setattr(fava.cli, "main", FakeFava())
    monkeypatch.setattr(fava.core, "load_uncached", fava.core.load_uncached)  # restored after
    for extra in ([], ["--read-only"]):
        result = CliRunner().invoke(main, ["fava", str(small_ledger), *extra])
        assert result.exit_code == 0, result.output
    assert calls == [
        [str(small_ledger), "--host", "127.0.0.1", "--port", "5000"],
        [str(small_ledger), "--host", "127.0.0.1", "--port", "5000", "--read-only"],
    ]
    assert fava.core.load_uncached is nhnfin_load  # Fava loads as every nhnfin command


# --- the example ledger --------------------------------------------------------------------


def test_example_ledger_pages_show_the_cli_figures(example_app: Flask) -> None:
    client = example_app.test_client()
    document = cli_json(EXAMPLE, 2024)
    overview = client.get(page_url(example_app, time="2024"))
    assert overview.status_code == 200
    sections = [parse_qs(urlsplit(u).query)["section"][0]
                for u in links(overview.data, "//div[@class='nhnfin']/nav/a")]
    assert sections[:4] == ["overview", *STATEMENTS]
    assert {s.removeprefix("note-") for s in sections if s.startswith("note-")} == set(
        document["notes"]
    )
    for section in sections:
        response = client.get(page_url(example_app, section, "2024"))
        assert response.status_code == 200, section
        shown = tables(response.data)
        if section in STATEMENTS:
            assert shown[section] == expected_statement_cells(document, section)
        elif section.startswith("note-"):
            number = section.removeprefix("note-")
            assert list(shown.values()) == expected_note_cells(document, number)


@pytest.mark.parametrize("query", ["time=99999", "filter=(("])
def test_a_filter_that_does_not_parse_is_a_400_with_a_message(client: FlaskClient,
                                                              small_app: Flask,
                                                              query: str) -> None:
    response = client.get(f"/{slug(small_app)}/extension/{EXTENSION}/?{query}")
    assert response.status_code == 400
    assert response.data.decode().startswith("Ugyldig filter i adressen")


def test_findings_are_norwegian_and_each_once(example_app: Flask) -> None:
    """The published-differences page names rows and columns by their labels, explains in
    Norwegian, and lists a place whose printed and recomputed figures agree with another
    finding's once; the overview counts the same findings and links to their list."""
    client = example_app.test_client()
    page = client.get(f"/{slug(example_app)}/extension/{EXTENSION}/?section=published&time=2024")
    assert page.status_code == 200
    rows = list(tables(page.data)["inconsistencies"].values())
    places = [(r[0], r[1], r[2]) for r in rows]
    assert len(places) == len(set(places))
    assert not [r for r in rows if "_" in r[0] or "the " in r[5]]
    assert {r[4] for r in rows} <= {"feil", "avrunding", "tekst", "presentasjon"}
    fixed = [r for r in rows if r[0] == "Balanse 2024: Sum anleggsmidler"]
    assert [r[5] for r in fixed] == [
        "det publiserte årsregnskapet motsier seg selv: dokumentet registrerer selv avviket som "
        "bs.total_fixed_assets.2024 (avrunding), og tallet her er det dokumentets egen kontroll "
        "gir"]
    transfers = [r for r in rows if r[0] == "Resultatregnskap 2024: Sum overføringer"]
    assert [r[4] for r in transfers] == ["presentasjon"]
    overview = client.get(f"/{slug(example_app)}/extension/{EXTENSION}/?time=2024")
    errors, rounding = (int(x) for x in tables(overview.data)["overview"]["published"][1]
                        .split(" / "))
    assert errors + rounding == len(rows)
    assert "section=published" in links(overview.data)[3]


@pytest.mark.parametrize("read_only", [True, False])
def test_read_only_mode_is_visible(small_ledger: Path, read_only: bool) -> None:
    """Read-only: the page says so, the endpoint the JS module asks says so (the module then
    disables Fava's editing controls on every page); normal mode shows no banner."""
    app = fava_app(small_ledger, read_only=read_only)
    client = app.test_client()
    page = client.get(f"/{slug(app)}/extension/{EXTENSION}/")
    assert page.status_code == 200
    assert ("Skrivebeskyttet: revisorvisning" in page.data.decode()) is read_only
    answer = client.get(f"/{slug(app)}/extension/{EXTENSION}/read_only")
    assert answer.get_json() == {"read_only": read_only}
    module = client.get(f"/{slug(app)}/extension_js_module/{EXTENSION}.js")
    assert module.status_code == 200
    assert b"Skrivebeskyttet: revisorvisning" in module.data


def test_tieouts_read_as_norwegian(example_app: Flask) -> None:
    """No internal key (``payroll_costs``, ``other_equity``) and no English on the tie-out page."""
    client = example_app.test_client()
    page = client.get(f"/{slug(example_app)}/extension/{EXTENSION}/?section=tieouts&time=2024")
    rows = list(tables(page.data)["tieouts"].values())
    assert len(rows) > 50
    english = ("the ", "balance sheet", "months", "equals", "grant income", "book value")
    assert [r[0] for r in rows if "_" in r[0] or any(w in r[0].lower() for w in english)] == []


def test_the_generating_directives_are_listed_with_what_they_generate(
        example_app: Flask) -> None:
    """What the JS module warns with before a save or delete: each directive a rule generates
    entries from, as written, with its entry hash and the entries it generates per rule."""
    found = example_app.test_client().get(
        f"/{slug(example_app)}/extension/{EXTENSION}/generating").get_json()["directives"]
    award = next(d for d in found if d["file"].endswith("grants.beancount") and d["line"] == 21)
    assert award["block"].splitlines()[0] == (
        '2024-01-01 custom "nhnfin-grant-award" "hod-kap701"')
    assert award["generates"] == {"grant-receivable": 1}
    assert len(award["hash"]) == 32
    transfer = next(d for d in found if '"nhnfin-transfer" "ehealth-2020"' in d["block"])
    assert set(transfer["generates"]) == {"delivery-obligation", "delivery-obligation-transfer"}


# --- the notes' text -----------------------------------------------------------------------


def page_text_blocks(html: bytes) -> list[tuple[str, str]]:
    """The note text a page shows, in order: (kind, text) for each heading, paragraph and list
    item the templates gave."""
    kinds = {"p": "paragraph", "h4": "heading", "li": "list"}
    found = []
    for element in parse(html).xpath(
            "//p[@class='note-text'] | //h4[@class='note-text'] | //ul[@class='note-text']/li"):
        found.append((kinds[element.tag], element.text_content()))
    return found


def test_note_pages_show_the_texts_the_report_prints(example_app: Flask) -> None:
    """Notes 1, 7, 14 and 15 (text only) and the text around the tables are on the note pages
    as ``nhnfin report`` fills them in (the JSON's text blocks), figures computed."""
    client = example_app.test_client()
    document = cli_json(EXAMPLE, 2024)
    with_text = [n for n, note in document["notes"].items() if note.get("text")]
    assert {"1", "7", "14", "15"} <= set(with_text)
    for number in with_text:
        page = client.get(page_url(example_app, f"note-{number}", "2024"))
        assert page.status_code == 200
        expected = [
            pair for b in document["notes"][number]["text"] if b["kind"] != "table"
            for pair in ([("list", i) for i in b["items"]] if b["kind"] == "list"
                         else [(b["kind"], b["text"])])]
        assert page_text_blocks(page.data) == expected, number
    note2 = client.get(page_url(example_app, "note-2", "2024")).data
    assert ("paragraph", "For de nasjonale e-helseløsningene (Helsenorge, kjernejournal, "
            "e-resept, grunndata og HelseID) inntektsfører vi i takt med kostnadspådraget. I den "
            "grad kostnadspådraget er lavere enn fakturert beløp, balanseføres netto ubenyttede "
            "midler som en forpliktelse. For 2024 utgjør dette 127,7 millioner kroner. Det er "
            "avtalt at 34,5 millioner kroner skal tilbakebetales kundene gjennom lavere "
            "fakturering i 2025. Det er forslag om å tilbakebetale ytterligere 83,5 millioner "
            "kroner i 2026.") in page_text_blocks(note2)
    figures = parse(note2).xpath("//p[@class='note-text']/a[@class='text-figure']")
    assert [a.text_content() for a in figures] == ["127,7", "34,5", "83,5"]
    assert figures[0].get("href").startswith(f"/{slug(example_app)}/query/?query_string=")
    assert "/editor/?file_path=" in figures[1].get("href")
    assert figures[0].get("title")  # what the link shows
    everything = client.get(page_url(example_app, "notes", "2024")).data
    titles = [h.text_content() for h in parse(everything).xpath("//h3[@class='note-title']")]
    assert titles[0] == "Note 1 Regnskapsprinsipper"
    assert "Note 15 Finansiell markedsrisiko" in titles


def test_a_note_page_says_what_is_wrong_with_its_text(example_app: Flask) -> None:
    """Note 3: the published text's 232,8 millioner disagrees with the table the text quotes;
    the note's page says so under its text, in Norwegian."""
    client = example_app.test_client()
    page = client.get(page_url(example_app, "note-3", "2024")).data
    [remarks] = parse(page).xpath("//div[@class='text-remarks']")
    assert remarks.xpath("./h4")[0].text_content() == "Merknader til teksten"
    items = [li.text_content() for li in remarks.xpath(".//li")]
    assert items == ["Note 3, tekst: «tildelt offentlig tilskudd fra staten med 232,8 millioner "
                     "kroner»: den publiserte teksten sier 232,8; regnskapet gir 307,6"]
    note2 = client.get(page_url(example_app, "note-2", "2024")).data
    assert parse(note2).xpath("//div[@class='text-remarks']") == []


def test_a_text_finding_is_on_its_note_page(tmp_path: Path, sample_notes: None) -> None:
    """A figure typed into a template that no figure gives, and a figure the year lacks: both on
    the note's page, in Norwegian, at the template's line."""
    (tmp_path / "note-99.md.j2").write_text(
        "Banken hadde 12,3 millioner kroner.\n\n{{ table() }}\n", "utf-8")
    (tmp_path / "note-5.md.j2").write_text(
        "Ansatte: {{ data('staff', 'employees') | number }}.\n", "utf-8")
    path = write_ledger(tmp_path, SMALL + '2024-12-31 custom "nhnfin-note-text" "99" '
                        '"note-99.md.j2"\n2024-12-31 custom "nhnfin-note-text" "5" '
                        '"note-5.md.j2"\n')
    app = fava_app(path)
    client = app.test_client()
    page = client.get(page_url(app, "note-99", "2024")).data
    items = [li.text_content() for li in parse(page).xpath("//div[@class='text-remarks']//li")]
    typed = ("note-99.md.j2:1: «12,3 millioner kroner» står som tekst i malen, og ingen figur i "
             "oppstillingene eller notene gir det; skriv det som en plassholder")
    assert items == [typed]
    assert page_text_blocks(page) == [("paragraph", "Banken hadde 12,3 millioner kroner.")]
    # note 5's text cannot be filled in (no staff declared): the overview counts and lists both
    overview = tables(client.get(page_url(app, "overview", "2024")).data)["overview"]
    assert overview["text_findings"] == ["Merknader til notetekstene", "2"]
    listed = [cells[0] for key, cells in overview.items() if key.startswith("text_finding.")]
    assert listed == [typed, (
        "note-5.md.j2:1: teksten til note 5 er ikke fylt inn for 2024: data('staff', "
        "'employees'): note 5 har ikke oppgitt 'value' for 2024 (custom \"nhnfin-note-data\")")]


def test_document_downloads_follow_the_year_chosen_and_read_only(tmp_path: Path,
                                                                 sample_notes: None) -> None:
    """Read-only Fava (the auditor's) serves the documents; each is the CLI's document of the
    year or period Fava's time filter chooses, not the last year's."""
    path = write_ledger(tmp_path, SMALL)
    app = fava_app(path, read_only=True)
    client = app.test_client()
    base = f"/{slug(app)}/extension/{EXTENSION}"
    for time in ("2023", "2024"):
        docx = client.get(f"{base}/docx?time={time}")
        assert docx.status_code == 200
        assert docx.headers["Content-Disposition"].endswith(f'-{time}.docx"')
        assert docx_tables(docx.data) == docx_tables(cli_bytes(path, int(time), "docx",
                                                               tmp_path))
    assert docx_tables(client.get(f"{base}/docx?time=2023").data) != docx_tables(
        client.get(f"{base}/docx?time=2024").data)
    pdf = client.get(f"{base}/pdf?time=2023")
    assert pdf.status_code == 200
    assert pdf_text(pdf.data, tmp_path) == pdf_text(cli_bytes(path, 2023, "pdf", tmp_path),
                                                    tmp_path)
    # a period: the statements to 30.06.2024, as `nhnfin report --period 2024-06`
    out = tmp_path / "period.pdf"
    result = CliRunner().invoke(main, ["report", str(path), "--period", "2024-06", "--format",
                                       "pdf", "--output", str(out)])
    assert result.exit_code == 0, result.output
    period = pdf_text(client.get(f"{base}/pdf?time=2024-06").data, tmp_path)
    assert period == pdf_text(out.read_bytes(), tmp_path)
    assert "bokført til" in period
