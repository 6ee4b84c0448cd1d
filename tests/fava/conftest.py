"""Fixtures for the Fava extension: Fava apps on literal ledgers and on the example ledger, and
helpers that read the pages the way a reader sees them."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from click.testing import CliRunner
from fava.application import create_app
from flask import Flask
from flask.testing import FlaskClient
from nhnfin.reports.numbers import format_value

from nhnfin import notes
from nhnfin.cli.main import main
from nhnfin.ledger import Ledger
from nhnfin.model import Column
from nhnfin.model import Drill
from nhnfin.model import Kind
from nhnfin.model import Note
from nhnfin.model import NoteRow
from nhnfin.model import NoteTable
from nhnfin.notes import NoteResult
from nhnfin.notes import layout as notes_layout
from tests.conftest import EXAMPLE
from tests.conftest import FAVA_APPS
from tests.conftest import stop_watching

EXTENSION = "NhnfinReport"
NBSP = "\u00a0"

# A small company over two years; the depreciation entry carries the provenance keys a rule
# plugin writes on a generated entry.
SMALL = """
option "title" "Testforetak"
option "operating_currency" "NOK"
plugin "nhnfin.mapping"
2022-12-31 custom "fava-option" "fiscal-year-end" "12-31"
2022-12-31 custom "fava-extension" "nhnfin.fava_ext"
2022-12-31 open Assets:1920-Bank
2022-12-31 open Equity:2050-OtherEquity
2022-12-31 open Income:3100-Services
2022-12-31 open Expenses:7700-Other
2022-12-31 * "Opening"
  Assets:1920-Bank         5000000.00 NOK
  Equity:2050-OtherEquity -5000000.00 NOK
2023-05-01 * "Kunde AS" "Sale"
  Assets:1920-Bank         1042953698.40 NOK
  Income:3100-Services    -1042953698.40 NOK
2024-05-01 * "Leverandør AS" "Cost"
  Expenses:7700-Other      81455995.50 NOK
  Assets:1920-Bank        -81455995.50 NOK
2024-06-30 * "Generated cost"
  nhnfin-rule: "test rule"
  nhnfin-source: "rules.beancount:7"
  Expenses:7700-Other      1000.00 NOK
  Assets:1920-Bank        -1000.00 NOK
"""


def write_ledger(directory: Path, text: str, name: str = "books.beancount") -> Path:
    """Write a literal ledger (dedented) and return its absolute path."""
    path = directory / name
    path.write_text(textwrap.dedent(text), "utf-8")
    return path.resolve()


def fava_app(path: Path, *, read_only: bool = False, poll_watcher: bool = False) -> Flask:
    """A Fava app on ``path`` with the ledger loaded, in testing mode (``poll_watcher``: Fava's
    polling file watcher, which sees a change only when a request checks, not a thread's
    notice that may come at any time). Its watchers are stopped when the test that made it
    ends (:func:`tests.conftest._stop_fava_watchers`); a fixture of a wider scope stops them
    itself (:func:`tests.conftest.stop_watching`)."""
    app = create_app([str(path)], load=True, read_only=read_only, poll_watcher=poll_watcher)
    app.testing = True
    FAVA_APPS.append(app)  # its watchers are stopped when the test or fixture ends
    return app


def slug(app: Flask) -> str:
    """The URL slug of the app's (only) ledger."""
    return str(app.config["LEDGERS"].first_slug())


def page_url(app: Flask, section: str | None = None, time: str | None = None) -> str:
    """The extension page's URL for ``section`` and the time filter ``time``."""
    args = [f"{k}={v}" for k, v in (("section", section), ("time", time)) if v]
    return f"/{slug(app)}/extension/{EXTENSION}/" + ("?" + "&".join(args) if args else "")


def cli_json(path: Path, year: int) -> dict[str, Any]:
    """``nhnfin report PATH --year YEAR --format json --no-cache``, parsed (no report cache
    is left beside the repository's ledgers)."""
    args = ["report", str(path), "--year", str(year), "--format", "json", "--no-cache"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def cli_bytes(path: Path, year: int, fmt: str, directory: Path, *options: str) -> bytes:
    """``nhnfin report PATH --year YEAR --format FMT --output FILE --no-cache [OPTIONS]``, the
    file's bytes."""
    out = directory / f"cli.{fmt}"
    result = CliRunner().invoke(
        main, ["report", str(path), "--year", str(year), "--format", fmt, "--output", str(out),
               "--no-cache", *options]
    )
    assert result.exit_code == 0, result.output
    return out.read_bytes()


def parse(html: bytes | str) -> Any:
    """An HTML page (UTF-8 when bytes) as an lxml tree."""
    return lxml.html.fromstring(html.decode("utf-8") if isinstance(html, bytes) else html)


def tables(html: bytes | str) -> dict[str, dict[str, list[str]]]:
    """The page's tables: table key -> row key -> the cells' text (NBSP as space)."""
    root = parse(html)
    result: dict[str, dict[str, list[str]]] = {}
    for table in root.xpath("//table[contains(@class, 'nhnfin-table')]"):
        rows = result.setdefault(table.get("data-key"), {})
        for row in table.xpath("./tbody/tr"):
            rows[row.get("data-key")] = [
                td.text_content().replace(NBSP, " ").strip() for td in row.xpath("./td")
            ]
    return result


FIGURE_LINKS = "//table[contains(@class, 'nhnfin-table')]//td/a"


def links(html: bytes | str, xpath: str = FIGURE_LINKS) -> list[str]:
    """The ``href`` of every link matching ``xpath`` (default: the figures' drill-down links)."""
    return [str(a.get("href")) for a in parse(html).xpath(xpath)]


def shown(presented: str | None, unit: str | None = None) -> str:
    """A JSON figure (whole kroner, or a plain decimal) as the page prints it."""
    if presented is None:
        return ""
    return str(format_value(Decimal(presented), unit)).replace(NBSP, " ")


def expected_statement_cells(document: dict[str, Any], key: str) -> dict[str, list[str]]:
    """What the page must show for statement ``key``, from the CLI's JSON."""
    years = [document["year"], str(int(document["year"]) - 1)]
    return {
        row["key"]: [row["label"], row["note"] or "", *(shown(row[y]) for y in years)]
        for row in document["statements"][key]
    }


def expected_note_cells(document: dict[str, Any], number: str) -> list[dict[str, list[str]]]:
    """What the page must show for each table of note ``number``, from the CLI's JSON."""
    result = []
    for table in document["notes"][number]["tables"]:
        rows = {}
        for row in table["rows"]:
            unit = row.get("unit") or table["unit"]
            text = row.get("text_values", {})
            values = [
                shown(row["values"][c["key"]], unit)
                if row["values"].get(c["key"]) is not None
                else text.get(c["key"], "")
                for c in table["columns"]
            ]
            texts = [text.get(c["key"], "") for c in table["text_columns"]]
            rows[row["key"]] = [row["label"], *values, *texts]
        result.append(rows)
    return result


def sample_note(ledger: Ledger, year: int) -> NoteResult:
    """Note 99 for the small ledger: the bank balance at the end of each year, drillable."""
    bank = ("Assets:1920-Bank",)
    columns = tuple(Column(f"closing_{y}", f"31.12.{y}") for y in (year, year - 1))
    drills = {
        f"closing_{y}": Drill(
            bank, None, f"{y + 1}-01-01",
            f"SELECT * WHERE account ~ '^(Assets:1920-Bank)(:|$)' AND date < {y + 1}-01-01",
        )
        for y in (year, year - 1)
    }
    values = {f"closing_{y}": ledger.closing(bank, y) for y in (year, year - 1)}
    rows = (
        NoteRow("bank", "Bankinnskudd", dict(values), drill=drills,
                text_values={"comment": "Driftskonto"}),
        NoteRow("total", "Sum", dict(values), kind=Kind.TOTAL),
    )
    table = NoteTable("Bank", columns, rows, text_columns=(Column("comment", "Merknad"),))
    return NoteResult(Note("99", "Bankinnskudd", (table,)))


@pytest.fixture
def sample_notes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only :func:`sample_note` is registered (as note 99) while the test runs, and the packaged
    notes layout shapes no tables (its notes' numbers, titles and "Note" lines stay)."""
    monkeypatch.setattr(notes, "BUILDER_PATHS", {"99": "tests.fava.conftest:sample_note"})
    packaged = notes_layout.packaged_notes_layout()
    bare = packaged.model_copy(update={"notes": tuple(
        n.model_copy(update={"tables": ()}) for n in packaged.notes)})
    monkeypatch.setattr(notes_layout, "packaged_notes_layout", lambda: bare)


@pytest.fixture
def small_ledger(tmp_path: Path, sample_notes: None) -> Path:
    """The small literal ledger in a temporary folder, with note 99 registered."""
    return write_ledger(tmp_path, SMALL)


@pytest.fixture
def small_app(small_ledger: Path) -> Flask:
    """Fava on the small ledger."""
    return fava_app(small_ledger)


@pytest.fixture
def client(small_app: Flask) -> FlaskClient:
    """A test client of Fava on the small ledger."""
    return small_app.test_client()


@pytest.fixture(scope="session")
def example_app() -> Iterator[Flask]:
    """Fava on the example ledger (``ledger/nhn.beancount``), loaded once per session."""
    app = fava_app(EXAMPLE.resolve())
    yield app
    stop_watching(app)


