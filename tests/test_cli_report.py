"""`nhnfin report` in every format, on a literal ledger file."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

from click.testing import CliRunner
from openpyxl import load_workbook

from nhnfin.cli.main import main

LEDGER = """
option "title" "Testforetak"
plugin "nhnfin.mapping"
2022-12-31 open Assets:1920-Bank
2022-12-31 open Equity:2050-OtherEquity
2022-12-31 open Income:3100-Services
2022-12-31 open Expenses:7700-Other
2022-12-31 * "Opening"
  Assets:1920-Bank         5000000.00 NOK
  Equity:2050-OtherEquity -5000000.00 NOK
2023-05-01 * "Sale"
  Assets:1920-Bank         1042953698.40 NOK
  Income:3100-Services    -1042953698.40 NOK
2024-05-01 * "Cost"
  Expenses:7700-Other      81455995.50 NOK
  Assets:1920-Bank        -81455995.50 NOK
"""


def run(tmp_path: Path, *args: str) -> tuple[int, str, str]:
    ledger = tmp_path / "books.beancount"
    ledger.write_text(textwrap.dedent(LEDGER), "utf-8")
    result = CliRunner().invoke(main, ["report", str(ledger), *args])
    return result.exit_code, result.stdout, result.stderr


def test_markdown_in_norwegian_number_format(tmp_path: Path) -> None:
    code, out, _ = run(tmp_path, "--year", "2024", "--format", "md")
    assert code == 0
    assert "| Tjenesteinntekter |  | 0 | 1 042 953 698 |" in out
    assert "| Annen driftskostnad |  | 81 455 996 | 0 |" in out
    assert "| **Driftsresultat** |  | **\u221281 455 996** | **1 042 953 698** |" in out


def test_json_has_the_reference_shape(tmp_path: Path) -> None:
    code, out, _ = run(tmp_path, "--year", "2024", "--format", "json")
    assert code == 0
    document = json.loads(out)
    row = next(
        r for r in document["statements"]["income_statement"] if r["key"] == "service_revenue"
    )
    assert row == {
        "key": "service_revenue",
        "label": "Tjenesteinntekter",
        "note": None,
        "2024": "0",
        "2023": "1042953698",
        "section": "driftsinntekter",
        "kind": "item",
        "exact": {"2024": "0", "2023": "1042953698.40"},
    }
    assert set(document["statements"]) == {"income_statement", "balance_sheet", "cash_flow"}
    statuses = {t["check_id"]: t["status"] for t in document["tieouts"]}
    assert statuses["bs.balances.2024"] == "passed"
    assert statuses["is.result_transferred.2024"] == "warning"


def test_xlsx_stores_numbers_as_numbers(tmp_path: Path) -> None:
    out = tmp_path / "out" / "report.xlsx"
    code, _, err = run(tmp_path, "--year", "2024", "--format", "xlsx", "--output", str(out))
    assert code == 0, err
    workbook = load_workbook(out)
    sheet = workbook["income_statement"]
    rows = {r[0]: r for r in sheet.iter_rows(values_only=True) if r and r[0]}
    assert rows["Tjenesteinntekter"][2:] == (0, 1042953698)
    assert rows["Driftsresultat"][2:] == (-81455996, 1042953698)
    assert isinstance(rows["Annen driftskostnad"][2], int)


def test_csv_and_html(tmp_path: Path) -> None:
    code, out, _ = run(tmp_path, "--year", "2024", "--format", "csv")
    assert code == 0
    assert "income_statement;operating_profit;Driftsresultat;;-81455996;1042953698" in out
    code, out, _ = run(tmp_path, "--year", "2024", "--format", "html")
    assert code == 0
    assert "<td>\u221281\u00a0455\u00a0996</td>" in out


def test_missing_ledger_and_year_without_postings_are_messages_not_tracebacks(
    tmp_path: Path,
) -> None:
    result = CliRunner().invoke(
        main, ["report", str(tmp_path / "none.beancount"), "--year", "2024"]
    )
    assert result.exit_code == 1
    assert "regnskapsfilen finnes ikke" in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)
    code, _, err = run(tmp_path, "--year", "2030")
    assert code == 1
    assert "regnskapet har ingen posteringer i 2030" in err


def test_strict_fails_on_ledger_errors(tmp_path: Path) -> None:
    ledger = tmp_path / "bad.beancount"
    ledger.write_text(textwrap.dedent(LEDGER) + "2022-12-31 open Assets:Unnumbered\n", "utf-8")
    result = CliRunner().invoke(main, ["report", str(ledger), "--year", "2024", "--strict"])
    assert result.exit_code == 1
    assert "kontoen Assets:Unnumbered har ikke noe NS 4102-nummer" in result.stderr


def test_a_warning_says_why_in_every_tabular_format(tmp_path: Path) -> None:
    """The result of 2023 is not transferred to equity yet: the tie-out's row says why (it did
    not in Markdown, CSV, XLSX, DOCX, PDF or on Fava's tie-out page, only in JSON). (The
    warning this test read before, the opening year's cash flow, is gone: it ends at the bank.)"""
    code, out, _ = run(tmp_path, "--year", "2023", "--format", "md")
    assert code == 0
    assert "| Kontroll | Verdi | Skal være | Differanse | Status | Forklaring |" in out
    [row] = [x for x in out.splitlines() if "Årsresultatet 2023 er overført" in x]
    assert row.endswith(
        "| ADVARSEL | årsresultatet er ikke overført til egenkapitalen ennå (1 042 953 698,40 av "
        "1 042 953 698,40 gjenstår): nhnfin close lager disponeringen når året avsluttes |")
    [row] = [x for x in out.splitlines() if "bankbeholdningen 31.12.2022" in x]
    assert row.endswith("| OK |  |")


def test_the_file_written_is_said_in_norwegian(tmp_path: Path) -> None:
    """`--output` says what it wrote as `nhnfin close` and `nhnfin cost-basis` do, in Norwegian
    (before: "wrote out.json")."""
    target = tmp_path / "out.json"
    code, out, err = run(tmp_path, "--year", "2024", "--format", "json", "--output", str(target))
    assert (code, out, err) == (0, "", f"skrev {target}\n")
    assert json.loads(target.read_text("utf-8"))["year"] == "2024"


def test_a_folder_as_ledger_names_the_main_file_in_it(tmp_path: Path) -> None:
    """Round 13's probe: ``nhnfin report books --year 2025`` (the folder ``nhnfin init`` wrote)
    said "books: regnskapsfilen finnes ikke" of a folder that is there; now it says what it is,
    and names the main file ``nhnfin init`` writes in it."""
    books = tmp_path / "books"
    books.mkdir()
    result = CliRunner().invoke(main, ["report", str(books), "--year", "2025"])
    assert (result.exit_code, result.stderr) == (
        1, f"Feil: {books}: er en mappe, ikke en regnskapsfil\n")
    (books / "regnskap.beancount").write_text("")
    for command in (["report", str(books), "--year", "2025"],
                    ["close", str(books), "--year", "2025", "--dry-run"]):
        result = CliRunner().invoke(main, command)
        assert (result.exit_code, result.stderr) == (1, (
            f"Feil: {books}: er en mappe, ikke en regnskapsfil (mente du "
            f"{books / 'regnskap.beancount'}?)\n")), command
