"""The pages beside the annual report, through Fava's real routes: the cost basis (the figures of
``nhnfin cost-basis``, versions chosen with query parameters) and grant usage (the figures of
``nhnfin grant-usage``, each linked to postings that sum to it)."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient
from nhnfin.reports.numbers import format_value

from nhnfin.cli.grants import grant_usage_cmd
from nhnfin.cli.main import main
from tests.conftest import EXAMPLE
from tests.conftest import ROOT
from tests.conftest import stop_watching
from tests.fava.conftest import EXTENSION
from tests.fava.conftest import NBSP
from tests.fava.conftest import fava_app
from tests.fava.conftest import links
from tests.fava.conftest import parse
from tests.fava.conftest import slug
from tests.fava.conftest import tables
from tests.fava.test_count_life_drills import layout_line

COST_BASIS_EXAMPLE = ROOT / "ledger" / "examples" / "cost-basis-2022.beancount"
Tables = dict[str, dict[str, list[str]]]


def with_pages(directory: Path, ledger: Path) -> Path:
    """A ledger that includes ``ledger`` and turns the extension on (the example does not)."""
    path = directory / "with-pages.beancount"
    path.write_text(textwrap.dedent(f"""\
        option "title" "Kostnadsgrunnlag TBU"
        2020-01-01 custom "fava-extension" "nhnfin.fava_ext"
        include "{ledger}"
        """), "utf-8")
    return path


@pytest.fixture(scope="module")
def cost_basis_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """Fava on the cost-basis example, with the extension (its watchers stopped after the
    module)."""
    app = fava_app(with_pages(tmp_path_factory.mktemp("cost-basis"), COST_BASIS_EXAMPLE))
    yield app
    stop_watching(app)


def url(app: Flask, **args: str) -> str:
    """The extension page with the query parameters ``args``."""
    query = "&".join(f"{k}={v}" for k, v in args.items())
    return f"/{slug(app)}/extension/{EXTENSION}/?{query}"


def cell(value: Any, unit: str | None) -> str:
    """A cell of the CLI's JSON as the page prints it."""
    if isinstance(value, dict):
        return format_value(Decimal(value["exact"]), unit).replace(NBSP, " ")
    return "" if value is None else str(value)


def cost_basis_cli(year: int, versions: str | None = None) -> dict[str, Any]:
    """``nhnfin cost-basis EXAMPLE --year YEAR [--versions ...] --format json``, parsed."""
    args = ["cost-basis", str(COST_BASIS_EXAMPLE), "--year", str(year), "--format", "json"]
    result = CliRunner().invoke(main, args + (["--versions", versions] if versions else []))
    assert result.exit_code == 0, result.output
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def expected_grids(document: dict[str, Any]) -> Tables:
    """What the page must show for each table of a cost-basis or grant-usage JSON document."""
    return {
        t["key"]: {r["key"]: [cell(c, r["unit"]) for c in r["cells"]] for r in t["rows"]}
        for t in document["tables"]
    }


def nav_sections(page: bytes) -> list[str]:
    """The sections the page's navigation links to."""
    hrefs = links(page, "//div[@class='nhnfin']/nav/a")
    return [parse_qs(urlsplit(h).query)["section"][0] for h in hrefs]


# --- cost basis ----------------------------------------------------------------------------


def test_cost_basis_page_defaults_to_the_last_budget_year(cost_basis_app: Flask) -> None:
    response = cost_basis_app.test_client().get(url(cost_basis_app, section="cost-basis"))
    assert response.status_code == 200
    document = cost_basis_cli(2022)
    shown = tables(response.data)
    assert list(shown) == [t["key"] for t in document["tables"]]
    assert shown == expected_grids(document)
    assert shown["solutions"]["sum"] == ["Sum", "577 600 000", "590 050 000", "0",
                                         "\u221212 450 000", "577 600 000"]
    assert "data-year=\"2022\"" in response.get_data(as_text=True)


def test_the_year_comes_from_the_time_filter(cost_basis_app: Flask) -> None:
    page = cost_basis_app.test_client().get(url(cost_basis_app, section="cost-basis",
                                                 time="2021")).data
    assert tables(page) == expected_grids(cost_basis_cli(2021))


def test_query_parameters_choose_the_versions(cost_basis_app: Flask) -> None:
    client = cost_basis_app.test_client()
    swapped = client.get(url(cost_basis_app, section="cost-basis", time="2022",
                             budget="host-2021", forecast="vaar-2021")).data
    assert tables(swapped) == expected_grids(cost_basis_cli(2022, "host-2021,vaar-2021"))
    assert tables(swapped)["solutions"]["sum"][1:3] == ["590 050 000", "577 600 000"]
    form = parse(swapped).xpath("//form[@class='versions']")[0]
    assert [s.xpath("./option[@selected]/@value")[0] for s in form.xpath(".//select")] == [
        "host-2021", "vaar-2021"
    ]
    # one given: the other is the default of its kind
    budget_only = client.get(url(cost_basis_app, section="cost-basis", time="2022",
                                 budget="vaar-2021")).data
    assert tables(budget_only) == expected_grids(cost_basis_cli(2022))


def test_an_unknown_version_is_explained_on_the_page(cost_basis_app: Flask) -> None:
    response = cost_basis_app.test_client().get(url(cost_basis_app, section="cost-basis",
                                                    budget="vaar-2020"))
    assert response.status_code == 200
    error = parse(response.data).xpath("//pre[@class='report-error']")[0].text_content()
    assert error == "ukjent versjon 'vaar-2020' (kjente versjoner: vaar-2021, host-2021)"
    assert tables(response.data) == {}


def test_pages_are_listed_only_for_what_the_ledger_declares(cost_basis_app: Flask,
                                                            example_app: Flask) -> None:
    cost_basis_page = cost_basis_app.test_client().get(
        url(cost_basis_app, section="cost-basis", time="2022")).data
    assert nav_sections(cost_basis_page) == ["cost-basis"]  # no report for 2022: no postings
    example = example_app.test_client()
    sections = nav_sections(example.get(url(example_app, section="overview", time="2024")).data)
    assert sections[-1] == "grant-usage"
    assert "cost-basis" not in sections
    assert example.get(url(example_app, section="cost-basis")).status_code == 404
    assert cost_basis_app.test_client().get(
        url(cost_basis_app, section="grant-usage")).status_code == 404


# --- grant usage ---------------------------------------------------------------------------


def usage_cli(path: Path, year: int) -> dict[str, Any]:
    """``nhnfin grant-usage PATH --year YEAR --format json``, parsed; rows' cells as grids."""
    result = CliRunner().invoke(grant_usage_cmd, [str(path), "--year", str(year), "--format",
                                                  "json"])
    assert result.exit_code == 0, result.output
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def expected_usage(document: dict[str, Any]) -> Tables:
    """The usage tables as the page prints them, from the command's JSON."""
    return {
        f"grant-usage.{i}": {
            r["key"]: [r["label"], *(cell({"exact": r["exact"][c["key"]]}, None)
                                     if c["key"] in r["exact"] else "" for c in t["columns"])]
            for r in t["rows"]
        }
        for i, t in enumerate(document["tables"])
    }


def api_sum(client: FlaskClient, app: Flask, href: str) -> tuple[Decimal, int]:
    """Run a figure's drill query through Fava's query API: the sum of the positions, rows."""
    bql = parse_qs(urlsplit(href).query)["query_string"][0]
    response = client.get(f"/{slug(app)}/api/query", query_string={"query_string": bql})
    assert response.status_code == 200, response.json
    data = response.get_json()["data"]
    index = [t["name"] for t in data["types"]].index("position")
    rows = [row[index]["units"] for row in data["rows"]]
    assert {u["currency"] for u in rows} <= {"NOK"}  # none when the drill lists nothing
    return sum((Decimal(str(u["number"])) for u in rows), Decimal(0)), len(rows)


@pytest.mark.parametrize("year", [2023, 2024])
def test_grant_usage_shows_the_cli_figures_linked_to_their_postings(example_app: Flask,
                                                                   year: int) -> None:
    client = example_app.test_client()
    response = client.get(url(example_app, section="grant-usage", time=str(year)))
    assert response.status_code == 200
    document = usage_cli(EXAMPLE, year)
    shown = tables(response.data)
    assert shown == expected_usage(document)
    figures = {r["key"]: r["exact"][f"linked_{year}"] for r in document["tables"][0]["rows"]
               if r["drill"] and ":" in r["key"]}  # the accounts' rows (sums: test_drill_sums)
    root = parse(response.data)
    checked = 0
    for key, exact in figures.items():
        href = root.xpath(f"//tr[@data-key='{key}']/td/a/@href")
        assert len(href) == 1
        total, count = api_sum(client, example_app, href[0])
        assert (total, count) == (Decimal(exact), 12)  # a month's salaries each month
        checked += 1
    assert checked == 2


def test_a_sum_of_declared_figures_opens_the_page_of_its_parts(example_app: Flask) -> None:
    """The auditor's "Sum" (note 5) is made of two declared fees: its link opens the page of
    its parts, each fee's directive (a link to the editor at its line) with its value, and the
    sum, which is the figure."""
    client = example_app.test_client()
    page = client.get(url(example_app, section="note-5", time="2024"))
    assert page.status_code == 200
    root = parse(page.data)
    hrefs = [h for h in root.xpath("//td/a/@href") if "parts=1" in h]
    pages = [client.get(h) for h in hrefs]
    assert {p.status_code for p in pages} == {200}
    shown = next(p for p in pages if "Revisjonshonorar 2024" in p.data.decode("utf-8"))
    listed = tables(shown.data)["parts"]
    fees = [r for k, r in listed.items() if k.startswith("part-")]
    assert [r[0] for r in fees] == ["+", "+"]
    assert [r[1].split(":")[1].strip() for r in fees] == [
        "Revisjonshonorar 2024", "Andre tjenester 2024"]
    values = [Decimal(r[3].replace(" ", "").replace(",", ".")) for r in fees]
    total = Decimal(listed["total"][4].replace(" ", "").replace(",", "."))
    assert total == sum(values) > 0
    assert "differs" not in listed
    editors = parse(shown.data).xpath("//table[@data-key='parts']//td/a/@href")
    assert len(editors) == 2
    assert all("/editor/?" in h for h in editors)


def test_a_change_in_a_balance_lists_the_years_postings_and_a_signed_sum_its_parts(
        example_app: Flask) -> None:
    """The tie-out "result = change in retained earnings": its right side's link lists the
    year's postings to the retained earnings (not everything before the year's end), and run by
    Fava they sum to minus the figure, as its hover says. The cash flow's cash at the end is
    opening cash plus the year's flows, parts of both signs: its link opens the page of its
    parts, and each part's query, run by Fava, sums to the part's figure the page prints."""
    client = example_app.test_client()
    page = parse(client.get(url(example_app, section="tieouts", time="2024")).data)
    right = page.xpath("//tr[@data-key='eq.result_equals_change.2024']/td/a")[1]
    bql = parse_qs(urlsplit(right.get("href")).query)["query_string"][0]
    assert "date >= 2024-01-01 AND date < 2025-01-01" in bql
    total, _ = api_sum(client, example_app, right.get("href"))
    figure = Decimal(right.text_content().replace(NBSP, "").replace("−", "-"))
    assert right.get("title").endswith("vist med motsatt fortegn")
    assert (-total).quantize(Decimal(1)) == figure
    flows = parse(client.get(url(example_app, section="cash_flow", time="2024")).data)
    end = flows.xpath("//tr[@data-key='cash_at_end_of_year']/td/a")[0]
    assert "parts=1" in end.get("href")
    shown = client.get(end.get("href"))
    assert shown.status_code == 200
    root = parse(shown.data)
    assert root.xpath("//div[@data-section='parts']")
    rows = root.xpath("//table[@data-key='parts']/tbody/tr")
    titles = [r.xpath("./td/a")[0].get("title") for r in rows[:-1]]
    assert len({t.endswith("vist med motsatt fortegn") for t in titles}) == 2  # both signs
    for row in rows[:-1]:
        cells = row.xpath("./td")
        link = cells[1].xpath("./a")[0]
        listed, _ = api_sum(client, example_app, link.get("href"))
        part = Decimal(cells[3].text_content().replace(NBSP, "").replace(",", ".")
                       .replace("−", "-"))
        opposite = link.get("title").endswith("vist med motsatt fortegn")
        assert (-listed if opposite else listed) == part
    result = rows[-1].xpath("./td")[4].text_content().replace(NBSP, "").replace(",", ".")
    shown_figure = end.text_content().replace(NBSP, "").replace("−", "-")
    assert Decimal(result.replace("−", "-")).quantize(Decimal(1)) == Decimal(shown_figure)


def test_the_declared_page_without_places_is_a_400(example_app: Flask) -> None:
    response = example_app.test_client().get(url(example_app, section="declared"))
    assert response.status_code == 400


def test_the_example_opens_what_its_counts_and_lives_are_made_of(example_app: Flask) -> None:
    """On the tie-out page of the example, note 5's count of mapping errors (0) opens the page
    of what it counts, which says none; the e-health life check's printed bound (10 år, 120
    months) opens the note 8 column's line of the packaged notes layout, not Fava's editor;
    its registered life (60 months) opens the asset's directive in the editor."""
    client = example_app.test_client()
    root = parse(client.get(url(example_app, section="tieouts", time="2024")).data)
    count = root.xpath("//tr[@data-key='n5.accounts_mapped']/td/a")[0]
    counted = parse(client.get(count.get("href")).data)
    assert [h.text_content() for h in counted.xpath("//h3")] == [
        "Det som telles: ingen (tallet er 0)"]
    assert counted.xpath("//table[@data-key='declared']/tbody/tr") == []
    life, printed = root.xpath("//tr[@data-key='n8.useful_life.ehealth']/td/a")[:2]
    assert "/editor/" in life.get("href")
    assert "/editor/" not in printed.get("href")
    shown = parse(client.get(printed.get("href")).data)
    (row,) = shown.xpath("//table[@data-key='declared']/tbody/tr")
    cells = [c.text_content().strip() for c in row.xpath("./td")]
    assert cells[:2] == ["nhnfin/data/notes_nhn.toml",
                         str(layout_line("national_ehealth_solutions"))]
    assert 'useful_life = "10 år"' in cells[2]


def test_the_example_links_an_invoice_run_and_a_grant_letter_to_their_documents(
        example_app: Flask) -> None:
    """Figure -> transaction -> source document: the invoice EH-2024-RHF-Q1 and the 2024 award
    of hod-kap701 cite illustrative files in ledger/documents/, which Fava lists as documents
    and links to the entries (``fava.plugins.link_documents``)."""
    from beancount.core import data

    entries = example_app.config["LEDGERS"][slug(example_app)].all_entries
    documents = {Path(e.filename).name: e for e in entries if isinstance(e, data.Document)}
    assert set(documents) == {"EH-2024-RHF-Q1.txt", "tildelingsbrev-hod-kap701-2024.txt"}
    assert all(Path(d.filename).read_text("utf-8").startswith("ILLUSTRASJON")
               for d in documents.values())
    invoice = next(e for e in entries if isinstance(e, data.Transaction)
                   and e.meta.get("invoice") == "EH-2024-RHF-Q1" and "document" in e.meta)
    assert invoice.links & documents["EH-2024-RHF-Q1.txt"].links
    award = next(e for e in entries if isinstance(e, data.Custom)
                 and e.type == "nhnfin-grant-award" and "document" in e.meta)
    assert (award.values[0].value, award.date.year) == ("hod-kap701", 2024)
    assert "linked" in documents["tildelingsbrev-hod-kap701-2024.txt"].tags
    page = example_app.test_client().get(f"/{slug(example_app)}/documents/")
    assert page.status_code == 200
