"""``nhnfin grant-usage``: the usage table in every format, by value, and its one-line errors."""

from __future__ import annotations

import json
import textwrap
from decimal import Decimal as D
from pathlib import Path

import openpyxl
from click.testing import CliRunner
from click.testing import Result

from nhnfin.cli.grants import grant_usage_cmd
from nhnfin.ledger import load
from tests.grant_usage.usage_testing import LINKS
from tests.grant_usage.usage_testing import listed_sum
from tests.grants.grant_testing import ACCOUNTS

A_ROW = "a:Expenses:6700-ExternalServices"


def write(directory: Path, text: str = LINKS) -> Path:
    """A literal ledger as a file (the chart of accounts included by its real path)."""
    path = directory / "books.beancount"
    path.write_text(textwrap.dedent(text).replace('"ACCOUNTS"', f'"{ACCOUNTS}"'), "utf-8")
    return path


def invoke(*args: str) -> Result:
    return CliRunner().invoke(grant_usage_cmd, list(args))


def test_markdown(tmp_path: Path) -> None:
    result = invoke(str(write(tmp_path)), "--year", "2024")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "# Testforetak: bruk av offentlig tilskudd 2024",
        "",
        "## Bruk av offentlig tilskudd per kostnadskonto",
        "",
        "|  | Knyttet til tilskuddet 2024 | Dekket av tilskuddet 2024 | Ikke dekket 2024 |",
        "| --- | ---: | ---: | ---: |",
        "| Expenses:6700-ExternalServices | 1 200 |  |  |",
        "| **Sum Grant A (Kap. 1 post 21)** | **1 200** | **1 200** | **0** |",
        "| Expenses:6700-ExternalServices | 350 |  |  |",
        "| **Sum Grant B (EU)** | **350** | **350** | **0** |",
    ]


def test_json_has_exact_figures_and_the_drill_queries(tmp_path: Path) -> None:
    result = invoke(str(write(tmp_path)), "--year", "2024", "--format", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert (document["year"], document["title"]) == ("2024", "Bruk av offentlig tilskudd")
    rows = {r["key"]: r for r in document["tables"][0]["rows"]}
    assert list(rows) == [A_ROW, "a", "b:Expenses:6700-ExternalServices", "b"]
    assert rows[A_ROW]["values"] == {"linked_2024": "1200", "covered_2024": None,
                                     "not_covered_2024": None}
    assert rows[A_ROW]["exact"] == {"linked_2024": "1200.00"}
    assert rows["b"]["exact"] == {"linked_2024": "350.00", "covered_2024": "350.00",
                                  "not_covered_2024": "0.00"}
    query = rows[A_ROW]["drill"]["linked_2024"]
    assert query.startswith("SELECT date, location, narration, account, position, ")
    assert "account = 'Expenses:6700-ExternalServices'" in query
    # the sum row links each of its figures: the accounts' postings, the grant's use; "not
    # covered" (linked less covered) by its parts and their signs, each a query that sums
    assert set(rows["a"]["drill"]) == {"linked_2024", "covered_2024"}
    assert "drill_parts" not in rows[A_ROW]
    parts = rows["a"]["drill_parts"]["not_covered_2024"]
    assert [p["sign"] for p in parts] == [1, -1]
    assert parts[0]["query"] == rows[A_ROW]["drill"]["linked_2024"]
    ledger = load(write(tmp_path))
    assert [listed_sum(ledger, p["query"]) for p in parts] == [D("1200.00"), D("1200.00")]
    assert listed_sum(ledger, rows["a"]["drill"]["covered_2024"]) == D("1200.00")


def test_csv(tmp_path: Path) -> None:
    out = tmp_path / "usage.csv"
    result = invoke(str(write(tmp_path)), "--year", "2024", "--format", "csv", "--output",
                    str(out))
    assert result.exit_code == 0, result.output
    assert out.read_text("utf-8-sig").splitlines() == [
        "table;key;;Knyttet til tilskuddet 2024;Dekket av tilskuddet 2024;Ikke dekket 2024",
        f"grant-usage.0;{A_ROW};Expenses:6700-ExternalServices;1200;;",
        "grant-usage.0;a;Sum Grant A (Kap. 1 post 21);1200;1200;0",
        "grant-usage.0;b:Expenses:6700-ExternalServices;Expenses:6700-ExternalServices;350;;",
        "grant-usage.0;b;Sum Grant B (EU);350;350;0",
    ]


def test_xlsx_stores_whole_kroner_as_numbers(tmp_path: Path) -> None:
    out = tmp_path / "usage.xlsx"
    result = invoke(str(write(tmp_path)), "--year", "2024", "--format", "xlsx", "--output",
                    str(out))
    assert result.exit_code == 0, result.output
    sheet = openpyxl.load_workbook(out).active
    assert [[c.value for c in row] for row in sheet.iter_rows(min_row=3, max_row=4)] == [
        ["Expenses:6700-ExternalServices", 1200, None, None],
        ["Sum Grant A (Kap. 1 post 21)", 1200, 1200, 0],
    ]


def test_the_example_ledger_2024(tmp_path: Path) -> None:
    example = Path(__file__).resolve().parents[2] / "ledger" / "examples" / "grants.beancount"
    result = invoke(str(example), "--year", "2024", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = {r["key"]: r["exact"] for r in json.loads(result.stdout)["tables"][0]["rows"]}
    assert rows["hod-0701-21:Expenses:5000-Salaries"] == {"linked_2024": "150000000.00"}
    assert rows["hod-0701-21:Expenses:6700-ExternalServices"] == {"linked_2024": "83191205.00"}
    assert rows["myhealth-eu"] == {"linked_2024": "8708209.00", "covered_2024": "8708209.00",
                                   "not_covered_2024": "0.00"}


def test_ledger_errors_are_reported_with_file_and_line(tmp_path: Path) -> None:
    bad = LINKS + """
    2024-08-01 * "Leverandør" "Ukjent tilskudd"
      grant: "c"
      Expenses:6700-ExternalServices         10.00 NOK
      Assets:1920-Bank
    """
    path = write(tmp_path, bad)
    result = invoke(str(path), "--year", "2024")
    assert result.exit_code == 0
    assert "| **Sum Grant A (Kap. 1 post 21)** | **1 200** |" in result.stdout
    lineno = textwrap.dedent(bad).splitlines().index('2024-08-01 * "Leverandør" "Ukjent tilskudd"')
    assert f"feil i regnskapet: {path}:{lineno + 1}:" in result.stderr
    assert "ukjent tilskudd 'c'" in result.stderr


def test_bad_input_gives_one_line_and_exit_1(tmp_path: Path) -> None:
    no_grants = write(tmp_path, 'option "operating_currency" "NOK"\n')
    cases = [
        ((str(no_grants), "--year", "2024"),
         f'Feil: {no_grants}: ingen tilskudd er oppgitt (custom "nhnfin-grant")'),
        ((str(tmp_path / "missing.beancount"), "--year", "2024"),
         f"Feil: {tmp_path / 'missing.beancount'}: regnskapsfilen finnes ikke"),
        ((str(no_grants), "--year", "2024", "--format", "xlsx"),
         "Feil: --format xlsx krever --output FIL (et regneark skrives ikke til skjermen)"),
    ]
    for args, message in cases:
        result = invoke(*args)
        assert result.exit_code == 1
        assert result.stderr.strip().splitlines() == [message]
