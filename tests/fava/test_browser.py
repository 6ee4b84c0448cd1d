"""The Fava pages in a real browser: Debian's headless Chromium driven by Playwright, against
``nhnfin fava ledger/nhn.beancount --read-only`` on a free localhost port.

Each page's figures are checked against ``nhnfin report --format json``, a drill-down link is
followed to the transactions it lists, a generated entry is opened in Fava's entry view, a write
is refused, a figure in a note's text is followed to its postings, and screenshots are saved to
``tests/screenshots/`` (the notes page also to ``docs/img/fava-notes.png`` and note 2's text to
``docs/img/fava-note-text.png``, shown in ``docs/fava.md``, when NHNFIN_UPDATE_DOCS_SCREENSHOT=1).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import textwrap
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs
from urllib.parse import urlsplit

import beanquery
import pytest
from beancount import loader

from tests.conftest import EXAMPLE
from tests.conftest import ROOT
from tests.fava.conftest import EXTENSION
from tests.fava.conftest import NBSP
from tests.fava.conftest import expected_note_cells
from tests.fava.conftest import expected_statement_cells
from tests.fava.test_drill_sums import SECOND
from tests.fava.test_ledger_pages import COST_BASIS_EXAMPLE
from tests.fava.test_ledger_pages import cost_basis_cli
from tests.fava.test_ledger_pages import expected_grids
from tests.fava.test_ledger_pages import expected_usage
from tests.fava.test_ledger_pages import usage_cli
from tests.fava.test_ledger_pages import with_pages

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = ROOT / "tests" / "screenshots"
README_SCREENSHOT = ROOT / "docs" / "img" / "fava-notes.png"
STATEMENTS = ("income_statement", "balance_sheet", "cash_flow")
TIMEOUT_MS = 15_000

# The figures of every nhnfin table on the page: table key -> row key -> cell texts.
READ_TABLES = """() => {
  const result = {};
  for (const table of document.querySelectorAll("table.nhnfin-table")) {
    const rows = {};
    for (const tr of table.querySelectorAll("tbody tr")) {
      rows[tr.dataset.key] = [...tr.querySelectorAll("td")].map((td) => td.textContent.trim());
    }
    result[table.dataset.key] = rows;
  }
  return result;
}"""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until_up(url: str, process: subprocess.Popen[bytes], seconds: float = 30) -> None:
    """Poll ``url`` until Fava answers; fail with Fava's output if it exits or never answers."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = process.stdout.read().decode() if process.stdout else ""
            pytest.fail(f"nhnfin fava exited with {process.returncode}:\n{output}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            # TimeoutError: listening, but Fava loads the ledger in its first request
            time.sleep(0.1)
    pytest.fail(f"nhnfin fava did not answer on {url} within {seconds} s")


@pytest.fixture(scope="module")
def chromium_available() -> None:
    """Skip the module when Debian's Chromium or Playwright is missing."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    pytest.importorskip("playwright.sync_api")


@contextmanager
def serve(ledger: Path, *, read_only: bool = True) -> Iterator[str]:
    """``nhnfin fava LEDGER --read-only`` (or without it) on a free port while the block runs;
    its base URL."""
    port = free_port()
    nhnfin = Path(sys.executable).parent / "nhnfin"
    process = subprocess.Popen(
        [str(nhnfin), "fava", str(ledger), *(["--read-only"] if read_only else []),
         "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"{base}/", process)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def fava_url(chromium_available: None) -> Iterator[str]:
    """``nhnfin fava ledger/nhn.beancount --read-only`` on a free port; its base URL."""
    with serve(EXAMPLE) as base:
        yield base


@pytest.fixture(scope="module")
def report_json(chromium_available: None) -> dict[str, Any]:
    """``nhnfin report ledger/nhn.beancount --year 2024 --format json --no-cache``, run as a
    command (no report cache is left beside the repository's ledger)."""
    nhnfin = Path(sys.executable).parent / "nhnfin"
    output = subprocess.run(
        [str(nhnfin), "report", str(EXAMPLE), "--year", "2024", "--format", "json",
         "--no-cache"],
        check=True, capture_output=True,
    ).stdout
    document: dict[str, Any] = json.loads(output)
    return document


@pytest.fixture(scope="module")
def browser(chromium_available: None) -> Iterator[Any]:
    """Headless Chromium (Debian's), launched by Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh browser tab, 1400×1000."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    tab = context.new_page()
    tab.set_default_timeout(TIMEOUT_MS)
    yield tab
    context.close()


def open_section(page: Any, fava_url: str, section: str) -> dict[str, dict[str, list[str]]]:
    """Open a section of the report for 2024; its tables as the reader sees them."""
    page.goto(f"{fava_url}/norsk-helsenett-sf/extension/{EXTENSION}/?section={section}&time=2024")
    page.wait_for_selector(f"div.nhnfin[data-section='{section}']")
    shown: dict[str, dict[str, list[str]]] = page.evaluate(READ_TABLES)
    return {
        table: {row: [c.replace(NBSP, " ") for c in cells] for row, cells in rows.items()}
        for table, rows in shown.items()
    }


def screenshot(page: Any, name: str) -> None:
    """Save the whole page to ``tests/screenshots/<name>.png``."""
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def test_every_page_shows_the_cli_figures(page: Any, fava_url: str,
                                          report_json: dict[str, Any]) -> None:
    overview = open_section(page, fava_url, "overview")
    assert overview["overview"]["tieouts.passed"][0] == "Avstemminger OK"
    hrefs = page.eval_on_selector_all("div.nhnfin nav > a", "els => els.map(e => e.href)")
    sections = [parse_qs(urlsplit(h).query)["section"][0] for h in hrefs]
    notes = [f"note-{n}" for n in report_json["notes"]]
    assert sections[:4] == ["overview", *STATEMENTS]
    assert [s for s in sections if s.startswith("note-")] == notes
    for section in sections:
        shown = open_section(page, fava_url, section)
        if section in STATEMENTS:
            assert shown[section] == expected_statement_cells(report_json, section)
        elif section.startswith("note-"):
            expected = expected_note_cells(report_json, section.removeprefix("note-"))
            assert list(shown.values()) == expected
        elif section == "tieouts":
            statuses = {t["check_id"]: t["status"] for t in report_json["tieouts"]}
            assert set(shown["tieouts"]) == set(statuses)
        elif section == "published":
            # each finding once: one row per place and pair of figures
            first: dict[tuple[str, str, str], str] = {}
            for f in report_json["inconsistencies"]:
                first.setdefault((f["where"], f["published"], f["recomputed"]), f["check_id"])
            assert set(shown["inconsistencies"]) == set(first.values())
        screenshot(page, section)
        if section == "notes" and os.environ.get("NHNFIN_UPDATE_DOCS_SCREENSHOT"):
            # the README's picture is refreshed on request only, so a test run leaves the
            # repository as it found it
            README_SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(README_SCREENSHOT))


def drill_rows(query: str, ledger: Path = EXAMPLE) -> list[tuple[Any, ...]]:
    """The oracle: what the drill-down query selects, run by beanquery on the ledger file."""
    entries, errors, options = loader.load_file(str(ledger))
    connection = beanquery.connect("beancount:", entries=entries, errors=errors, options=options)
    return list(connection.execute(query).fetchall())


def test_a_figure_leads_to_its_transactions_and_their_rule(page: Any, fava_url: str) -> None:
    from playwright.sync_api import expect

    shown = open_section(page, fava_url, "income_statement")
    key = "delivery_obligation_income"
    figure = page.locator(f"tr[data-key='{key}'] td.num a").first
    assert figure.inner_text().replace(NBSP, " ") == shown["income_statement"][key][2]
    query = parse_qs(urlsplit(figure.get_attribute("href")).query)["query_string"][0]
    expected = drill_rows(query)
    assert expected
    figure.click()  # Fava's router loads its query page and runs the statement
    page.wait_for_url("**/query/**")
    page.wait_for_selector("article table tbody tr")
    ids = page.eval_on_selector_all(
        "article table tbody tr td:first-child a", "els => els.map(e => e.textContent.trim())"
    )
    assert ids == [row[0] for row in expected]
    header = page.eval_on_selector_all("article table thead th", "els => els.map(e => e.innerText)")
    assert [h.strip() for h in header][-3:] == ["location", "rule", "source"]
    screenshot(page, "drill-down")
    generated = [i for i, row in enumerate(expected) if row[-2]]
    if not generated:
        pytest.skip("the example ledger has no generated entry behind this figure")
    row = page.locator("article table tbody tr").nth(generated[0])
    assert row.locator("td").nth(-2).inner_text() == expected[generated[0]][-2]
    assert row.locator("td").nth(-1).inner_text() == expected[generated[0]][-1]
    row.locator("td").first.locator("a").click()  # Fava's entry view
    page.wait_for_selector("text=Location:")
    location = expected[generated[0]][-3]
    assert location in page.inner_text("body")  # the entry view opens the source directive
    source_file, source_line = expected[generated[0]][-1].rsplit(":", 1)
    directive = Path(source_file).read_text("utf-8").splitlines()[int(source_line) - 1]
    expect(page.locator("body")).to_contain_text(directive.strip())
    screenshot(page, "entry-view")


FIGURE_PAGES = (*STATEMENTS, "notes", "note-2", "note-3", "note-4", "note-5", "note-6", "note-8",
                "note-9", "note-10", "note-11", "note-12", "note-13", "tieouts")
DOCS_DRILLS = {"note-2": ROOT / "docs" / "img" / "fava-drill-note2.png",
               "note-8": ROOT / "docs" / "img" / "fava-drill-note8.png"}


def follow_a_figure(page: Any, fava_url: str, section: str) -> None:
    """Click the first figure of ``section`` that opens a query; the postings Fava lists are
    the ones beanquery selects with the same statement, in the same order. On a page of
    declared figures only, the figure opens Fava's editor on its directive."""
    open_section(page, fava_url, section)
    queries = page.locator("table.nhnfin-table td.num a[href*='/query/']")
    if queries.count() == 0:  # a page of declared data only (note 6): the editor at the line
        figure = page.locator("table.nhnfin-table td.num a").first
        assert figure.get_attribute("title").startswith("Oppgitt")
        figure.click()
        page.wait_for_url("**/editor/**")
        page.wait_for_selector(".cm-content")
        assert "nhnfin-note-data" in page.inner_text(".cm-content")
        return
    figure = queries.first
    title = figure.get_attribute("title")
    assert title  # the hover text says in Norwegian what the link selects
    open_and_compare(page, figure)


def open_and_compare(page: Any, figure: Any, ledger: Path = EXAMPLE) -> list[tuple[Any, ...]]:
    """Click a figure's query link: Fava lists the entries beanquery selects with the same
    statement on ``ledger``, in the same order. Returns beanquery's rows."""
    query = parse_qs(urlsplit(figure.get_attribute("href")).query)["query_string"][0]
    expected = drill_rows(query, ledger)
    figure.click()
    page.wait_for_url("**/query/**")
    if not expected:
        return expected
    page.wait_for_selector("article table tbody tr")
    ids = page.eval_on_selector_all(
        "article table tbody tr td:first-child a", "els => els.map(e => e.textContent.trim())"
    )
    assert ids == [row[0] for row in expected]
    return expected


NOTE_TEXT_SCREENSHOT = ROOT / "docs" / "img" / "fava-note-text.png"


def test_a_figure_in_a_note_text_opens_its_postings(page: Any, fava_url: str) -> None:
    """Note 2's text: "127,7 millioner kroner" opens the postings that make the carried-forward
    total it rounds; the declared repayment opens the editor at its directive."""
    open_section(page, fava_url, "note-2")
    figures = page.locator("p.note-text a.text-figure")
    assert [figures.nth(i).inner_text() for i in range(figures.count())] == [
        "127,7", "34,5", "83,5"]
    if os.environ.get("NHNFIN_UPDATE_DOCS_SCREENSHOT"):
        page.screenshot(path=str(NOTE_TEXT_SCREENSHOT))
    screenshot(page, "note-text")
    assert "editor/" in str(figures.nth(1).get_attribute("href"))
    first = figures.first
    assert first.get_attribute("title")
    query = parse_qs(urlsplit(first.get_attribute("href")).query)["query_string"][0]
    expected = drill_rows(query)
    assert expected
    first.click()
    page.wait_for_url("**/query/**")
    page.wait_for_selector("article table tbody tr")
    ids = page.eval_on_selector_all(
        "article table tbody tr td:first-child a", "els => els.map(e => e.textContent.trim())"
    )
    assert ids == [row[0] for row in expected]


@pytest.mark.parametrize("section", FIGURE_PAGES)
def test_a_figure_on_every_page_opens_its_postings(page: Any, fava_url: str,
                                                   section: str) -> None:
    follow_a_figure(page, fava_url, section)
    screenshot(page, f"drill-{section}")
    if section in DOCS_DRILLS and os.environ.get("NHNFIN_UPDATE_DOCS_SCREENSHOT"):
        page.screenshot(path=str(DOCS_DRILLS[section]))


def test_read_only_mode_is_visible_and_the_editor_cannot_save(page: Any, fava_url: str) -> None:
    page.goto(f"{fava_url}/norsk-helsenett-sf/editor/")
    page.wait_for_selector("#nhnfin-read-only")
    assert page.inner_text("#nhnfin-read-only") == "Skrivebeskyttet: revisorvisning"
    page.wait_for_selector(".cm-content")
    page.wait_for_function(
        "() => [...document.querySelectorAll('.cm-content')]"
        ".every((e) => e.getAttribute('contenteditable') === 'false')")
    saving = page.eval_on_selector_all(
        "button", "els => els.filter(e => /^(save|lagre)$/i.test(e.textContent.trim()))"
        ".map(e => e.disabled)")
    assert saving
    assert all(saving)
    screenshot(page, "read-only-editor")


def test_read_only_mode_refuses_a_write(page: Any, fava_url: str) -> None:
    """The page refuses a write itself, in Norwegian (no request leaves it); the server refuses
    one sent past the page with 401. The file is untouched."""
    before = EXAMPLE.read_bytes()
    open_section(page, fava_url, "overview")
    put = """async ([url, path]) => {
        try {
          return (await fetch(url, {
            method: "PUT",
            headers: {"Content-Type": "application/json"},
            body: JSON.stringify({file_path: path, source: "", sha256sum: ""}),
          })).status;
        } catch (error) { return error.message; }
      }"""
    url = f"{fava_url}/norsk-helsenett-sf/api/source"
    refused = page.evaluate(put, [url, str(EXAMPLE)])
    assert refused == "Skrivebeskyttet: revisorvisning: endringer lagres ikke"
    request = urllib.request.Request(url, method="PUT", data=b"{}",
                                     headers={"Content-Type": "application/json"})
    with pytest.raises(urllib.error.HTTPError) as status:
        urllib.request.urlopen(request, timeout=30)
    assert status.value.code == 401
    assert EXAMPLE.read_bytes() == before


def test_read_only_entry_dialog_cannot_save_or_delete(page: Any, fava_url: str) -> None:
    """An entry opened from a figure's postings (Fava's entry dialog with its slice editor):
    its source is not editable, Save and Delete are disabled, the dialog can be closed."""
    open_section(page, fava_url, "income_statement")
    page.locator("tr[data-key='delivery_obligation_income'] td.num a").first.click()
    page.wait_for_url("**/query/**")
    page.wait_for_selector("article table tbody tr td:first-child a")
    page.locator("article table tbody tr td:first-child a").first.click()
    page.wait_for_selector("dialog form[data-nhnfin-read-only] .cm-content")
    page.wait_for_function(
        "() => [...document.querySelectorAll('dialog form .cm-content')]"
        ".every((e) => e.getAttribute('contenteditable') === 'false')")
    submits = page.eval_on_selector_all(
        "dialog form button[type=submit]", "els => els.map(e => e.disabled)")
    assert submits
    assert all(submits)
    row = page.eval_on_selector_all(
        "dialog form button[type=submit]",
        "els => [...els[0].parentElement.querySelectorAll(':scope > button')].map(e => e.disabled)")
    assert len(row) >= 2  # Delete beside Save
    assert all(row)
    assert page.eval_on_selector("dialog button.close", "e => e.disabled") is False
    screenshot(page, "read-only-entry")


def test_read_only_hides_adding_and_keeps_the_query_editable(page: Any, fava_url: str) -> None:
    """Fava's add-entry link is hidden; the query page (it only reads) still takes a query."""
    page.goto(f"{fava_url}/norsk-helsenett-sf/query/")
    page.wait_for_selector("#nhnfin-read-only")
    page.wait_for_selector(".cm-content")
    assert page.eval_on_selector('a[href="#add-transaction"]', "e => e.hidden") is True
    assert page.eval_on_selector(".cm-content", "e => e.getAttribute('contenteditable')") == (
        "true")
    submit = page.locator("form button[type=submit]").first
    assert submit.is_enabled()


def test_the_csv_download_is_the_cli_file(page: Any, fava_url: str, tmp_path: Path) -> None:
    open_section(page, fava_url, "overview")
    with page.expect_download() as download:
        page.click("span.downloads a:has-text('CSV')")
    shown = tmp_path / "fava.csv"
    download.value.save_as(str(shown))
    nhnfin = Path(sys.executable).parent / "nhnfin"
    expected = subprocess.run(
        [str(nhnfin), "report", str(EXAMPLE), "--year", "2024", "--format", "csv",
         "--no-cache"],
        check=True, capture_output=True,
    ).stdout
    assert shown.read_bytes() == expected


def read_tables(page: Any) -> dict[str, dict[str, list[str]]]:
    """The nhnfin tables on the page as the reader sees them (NBSP as space)."""
    shown: dict[str, dict[str, list[str]]] = page.evaluate(READ_TABLES)
    return {table: {row: [c.replace(NBSP, " ") for c in cells] for row, cells in rows.items()}
            for table, rows in shown.items()}


def follow_cost_basis_figures(page: Any, ledger: Path, booked_year: int) -> None:
    """On the cost-basis page of ``ledger``: a budget figure opens its budget lines (the
    declared page lists nhnfin-budget directives); on the page of ``booked_year``, an actual
    figure opens the postings beanquery selects with the same statement."""
    here = f"{page.url.split('?')[0]}?section=cost-basis&time={booked_year}"
    declared = page.locator(
        "table.nhnfin-table td.num a[href*='parts=1'][title^='Linjer i versjon']").first
    declared.click()
    page.wait_for_url("**parts=1**")
    page.wait_for_selector("div.nhnfin[data-section='parts'] table")
    assert "Tallet" in page.inner_text("div.nhnfin[data-section='parts']")
    assert page.locator("div.nhnfin[data-section='parts'] td a[href*='/editor/']").count() > 1
    page.goto(here)
    page.wait_for_selector("div.nhnfin[data-section='cost-basis'] table")
    figure = page.locator("table.nhnfin-table td.num a[href*='/query/']").first
    assert open_and_compare(page, figure, ledger)
    screenshot(page, "drill-cost-basis")


def test_cost_basis_and_grant_usage_pages(page: Any, fava_url: str,
                                          tmp_path: Path) -> None:
    """The cost basis of the example cost-basis ledger (versions chosen in the form) and the
    grant usage of the acceptance ledger, with a figure followed to its postings."""
    with serve(with_pages(tmp_path, COST_BASIS_EXAMPLE)) as cost_basis_url:
        page.goto(f"{cost_basis_url}/kostnadsgrunnlag-tbu/extension/{EXTENSION}/"
                  "?section=cost-basis")
        page.wait_for_selector("div.nhnfin[data-section='cost-basis'] table")
        assert read_tables(page) == expected_grids(cost_basis_cli(2022))
        screenshot(page, "cost-basis")
        page.select_option("form.versions select[name='budget']", "host-2021")
        page.select_option("form.versions select[name='forecast']", "vaar-2021")
        page.click("form.versions button")
        page.wait_for_url("**budget=host-2021**")
        page.wait_for_selector("div.nhnfin[data-section='cost-basis'] table")
        assert read_tables(page) == expected_grids(cost_basis_cli(2022, "host-2021,vaar-2021"))
        follow_cost_basis_figures(page, tmp_path / "with-pages.beancount", 2020)

    open_section(page, fava_url, "grant-usage")
    assert read_tables(page) == expected_usage(usage_cli(EXAMPLE, 2024))
    screenshot(page, "grant-usage")
    figure = page.locator("tr[data-key='myhealth-eu:Expenses:5000-Salaries'] td.num a")
    assert figure.inner_text().replace(NBSP, " ") == "8 708 209"
    figure.click()
    page.wait_for_url("**/query/**")
    page.wait_for_selector("article table tbody tr")
    assert page.locator("article table tbody tr").count() == 12


def test_normal_mode_warns_before_a_save_changes_a_generating_directive(
        page: Any, tmp_path: Path) -> None:
    """Without --read-only: saving a file whose asset directive (it generates the depreciation)
    was edited asks first, naming the directive and what it generates; cancelled, nothing is
    written. An edit elsewhere saves without asking."""
    ledger = tmp_path / "books.beancount"
    ledger.write_text(textwrap.dedent(SECOND), "utf-8")
    with serve(ledger, read_only=False) as base:
        page.goto(f"{base}/andre-testforetak/editor/")
        page.wait_for_function("() => window.__nhnfinGuard === true")
        before = ledger.read_text("utf-8")
        result = page.evaluate(SAVE_EDITED, [f"{base}/andre-testforetak", str(ledger),
                                            "  months: 36", "  months: 48"])
        assert result[0].startswith("Error: Avbrutt")
        [message] = result[1]
        assert message.startswith("Endringen endrer eller sletter direktiv")
        assert "books.beancount:" in message
        assert "depreciation" in message
        assert ledger.read_text("utf-8") == before
        result = page.evaluate(SAVE_EDITED, [f"{base}/andre-testforetak", str(ledger),
                                            '"Lønn"', '"Lønn mars"'])
        assert result == ["saved", []]
        assert '"Lønn mars"' in ledger.read_text("utf-8")


# Replace ``old`` by ``new`` in the file and save it through Fava's API, with confirm()
# answering no and recording what it was asked: [outcome, messages].
SAVE_EDITED = """async ([base, path, old, replacement]) => {
  const messages = [];
  window.confirm = (message) => { messages.push(message); return false; };
  const answer = await (await fetch(`${base}/api/source?filename=${encodeURIComponent(path)}`))
    .json();
  const file = answer.data;
  try {
    const response = await fetch(`${base}/api/source`, {
      method: "PUT", headers: {"Content-Type": "application/json"},
      body: JSON.stringify({file_path: path, source: file.source.replace(old, replacement),
                            sha256sum: file.sha256sum}),
    });
    return [response.ok ? "saved" : `status ${response.status}`, messages];
  } catch (error) {
    return [String(error), messages];
  }
}"""


def open_editor_at_directive(page: Any, figure: Any, directive: str) -> None:
    """Click a figure that opens Fava's editor: it opens at the line its link names, and that
    line of the file is ``directive``."""
    query = parse_qs(urlsplit(figure.get_attribute("href")).query)
    path, line = query["file_path"][0], int(query["line"][0])
    assert directive in Path(path).read_text("utf-8").splitlines()[line - 1]
    figure.click()
    page.wait_for_url("**/editor/**")
    page.wait_for_selector(".cm-content")
    assert directive in page.inner_text(".cm-content")


def test_a_published_difference_opens_its_directive_and_its_postings(
        page: Any, fava_url: str) -> None:
    """On the published-differences page: the printed figure opens the nhnfin-published
    directive in the editor (its hover names the document's cell), the recomputed figure the
    postings beanquery selects for the note figure, the difference both; a figure quoted in a
    note's text links too."""
    key = "ledger.note8.1.amortisation_for_year.software"
    shown = open_section(page, fava_url, "published")
    assert shown["inconsistencies"][key][1:4] == ["−2 035 492", "−2 035 493", "1"]
    screenshot(page, "published")
    row = f"tr[data-key='{key}'] td.num"
    printed = page.locator(f"{row} a").nth(0)
    assert "celle n8.1:amortisation_for_year:software" in printed.get_attribute("title")
    open_editor_at_directive(page, printed, 'custom "nhnfin-published"')
    open_section(page, fava_url, "published")
    assert open_and_compare(page, page.locator(f"{row} a").nth(1))
    open_section(page, fava_url, "published")
    page.locator(f"{row} a").nth(2).click()
    page.wait_for_url("**parts=1**")
    listing = page.inner_text("div.nhnfin[data-section='parts']")
    assert "Trykt tall" in listing  # the printed figure's directive, and the ledger's postings
    assert page.locator("div.nhnfin[data-section='parts'] td a[href*='/editor/']").count() == 1
    assert page.locator("div.nhnfin[data-section='parts'] td a[href*='/query/']").count() >= 1
    open_section(page, fava_url, "published")
    quoted = page.locator("tr[data-key='narrative.note6.members_in_scheme'] td.num a")
    assert quoted.count() == 3  # a figure quoted in a note's text links like the others
    assert "celle n6.text:members_in_scheme" in quoted.nth(0).get_attribute("title")


def test_a_mapping_checks_zero_says_why_on_hover(page: Any, fava_url: str) -> None:
    """The count of mapping errors and its difference link to the errors counted; the zero it
    must be has no link, and its hover says why."""
    open_section(page, fava_url, "tieouts")
    figures = page.locator("tr[data-key='n5.accounts_mapped'] td.num")
    assert figures.locator("a").count() == 2
    title = figures.nth(1).locator("span.unlinked").get_attribute("title")
    assert title.startswith("Ingen lenke: antallet feil som er tillatt")


def test_a_figure_in_a_text_only_note_opens_its_directive(page: Any, fava_url: str) -> None:
    """Note 7 is text only: its quoted figures open their note-data directive."""
    open_section(page, fava_url, "note-7")
    figure = page.locator("p.note-text a.text-figure, li a.text-figure").first
    assert figure.get_attribute("title").startswith("Oppgitt")
    open_editor_at_directive(page, figure, "nhnfin-note-data")


def test_an_overview_count_opens_its_list(page: Any, fava_url: str) -> None:
    open_section(page, fava_url, "overview")
    page.locator("tr[data-key='published'] td.num a").click()
    page.wait_for_selector("div.nhnfin[data-section='published']")
    assert page.locator("table.nhnfin-table tbody tr").count() > 0


def fava_number(cell: str) -> Decimal:
    """The number of an amount as Fava's query page prints it (``−1050.00 NOK``)."""
    return Decimal(cell.split(maxsplit=1)[0].replace("\u2212", "-").replace(",", ""))


def test_a_figure_of_foreign_and_at_cost_postings_adds_up_on_the_query_page(
        page: Any, tmp_path: Path) -> None:
    """The bank line of a ledger with 1 000 EUR @ 11,20 NOK and the balance sheet's at-cost
    shares (10 AKSJE {105 NOK}): on Fava's query page the ``weight`` column the reader sees
    sums to the figure and the last ``weight_balance`` is it (before, only the positions,
    1 000 EUR and NOK, were listed, with their running balance in two currencies)."""
    from tests.fava.test_drill_weights import FOREIGN

    ledger = tmp_path / "books.beancount"
    ledger.write_text(FOREIGN, "utf-8")
    figures = {"cash_and_bank_deposits": "15 700", "other_long_term_receivables": "1 050"}
    with serve(ledger) as base:
        for key, shown in figures.items():
            page.goto(f"{base}/valutatest-as/extension/{EXTENSION}/?section=balance_sheet"
                      "&time=2024")
            figure = page.locator(f"tr[data-key='{key}'] td.num a").first
            assert figure.inner_text().replace(NBSP, " ") == shown
            figure.click()
            page.wait_for_url("**/query/**")
            page.wait_for_selector("article table tbody tr")
            header = [h.strip() for h in page.eval_on_selector_all(
                "article table thead th", "els => els.map(e => e.innerText)")]
            cells = page.eval_on_selector_all(
                "article table tbody tr",
                "rows => rows.map(r => [...r.querySelectorAll('td')].map(td => td.innerText))")
            weights = [row[header.index("weight")] for row in cells]
            total = sum((fava_number(w) for w in weights), Decimal(0))
            assert all(w.endswith("NOK") for w in weights), weights
            assert total == Decimal(shown.replace(" ", "")), weights
            last = cells[-1][header.index("weight_balance")]
            assert (fava_number(last), last.split()[-1]) == (total, "NOK")
    screenshot(page, "drill-weights")
