"""A published report to compare with that has no figure the report has (a JSON object of
something else, another layout's keys, an empty report) is refused: round seven's probe gave
``--published`` such files and the report said nothing, as if every figure matched."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from nhnfin.cli.main import main

BOOKS = """
option "title" "Testforetak"
option "operating_currency" "NOK"
2023-12-31 open Assets:1920-Bank
2023-12-31 open Equity:2050-OtherEquity
2023-12-31 open Income:3100-Services
2024-05-01 * "Salg"
  Assets:1920-Bank         1000.00 NOK
  Income:3100-Services    -1000.00 NOK
"""

MATCHING = {"statements": {"income_statement": [{"key": "service_revenue", "2024": 1000}]}}


def run(tmp_path: Path, published: object, *extra: str) -> tuple[int, str]:
    ledger = tmp_path / "books.beancount"
    ledger.write_text(textwrap.dedent(BOOKS) + "".join(extra), encoding="utf-8")
    (tmp_path / "published.json").write_text(json.dumps(published), encoding="utf-8")
    args = ["report", str(ledger), "--year", "2024", "--format", "json", "--no-cache"]
    if not extra:
        args += ["--published", str(tmp_path / "published.json")]
    result = CliRunner().invoke(main, args)
    return result.exit_code, result.stdout if result.exit_code == 0 else result.output


@pytest.mark.parametrize("published", [
    {"x": {"y": "z"}},
    {"statements": {}, "notes": {}},
    {"statements": {"income_statement": [{"key": "revenue_of_another_layout", "2024": 5}]}},
    {"statements": {"another_statement": [{"key": "service_revenue", "2024": 5}]}},
    {"notes": {"77": {"tables": [{"rows": [{"key": "x", "values": {"2024": 5}}]}]}}},
])
def test_a_published_report_that_compares_with_nothing_is_refused(
    tmp_path: Path, published: object
) -> None:
    code, output = run(tmp_path, published)
    assert code == 1
    assert (f"Feil: den publiserte rapporten {tmp_path / 'published.json'} har ingen tall "
            "rapporten kan sammenlignes med (ingen oppstillingslinje for 2024 og 2023 eller "
            "notecelle med samme nøkkel): er det riktig fil?") in output


def test_the_ledgers_own_published_directive_is_an_error_at_its_line(tmp_path: Path) -> None:
    """Named by the ledger, the file is an error at the directive; the report is built."""
    code, output = run(tmp_path, {"statements": {"income_statement": [
        {"key": "other", "2024": 5}]}}, '2024-12-31 custom "nhnfin-published" "published.json"\n')
    assert code == 0, output
    assert json.loads(output)["ledger_errors"] == [  # files named from the ledger's folder
        "books.beancount:10: den publiserte rapporten published.json har ingen tall rapporten "
        "kan sammenlignes med (ingen oppstillingslinje for 2024 og 2023 eller notecelle med "
        "samme nøkkel): er det riktig fil?"]


def test_a_published_report_of_another_year_named_by_the_ledger_is_left_alone(
    tmp_path: Path
) -> None:
    """The directive names the published report of 2026, which the 2024 report does not show:
    nothing to compare, and no error."""
    code, output = run(tmp_path, {"statements": {"income_statement": [
        {"key": "service_revenue", "2026": 5, "2025": 4}]}},
        '2024-12-31 custom "nhnfin-published" "published.json"\n')
    assert code == 0, output


def test_a_published_report_with_one_figure_of_the_report_is_compared(tmp_path: Path) -> None:
    code, output = run(tmp_path, MATCHING)
    assert code == 0, output
    assert json.loads(output)["inconsistencies"] == []
    code, output = run(tmp_path, {"statements": {"income_statement": [
        {"key": "service_revenue", "2024": 900}]}})
    assert code == 0, output
    [finding] = json.loads(output)["inconsistencies"]
    assert (finding["published"], finding["recomputed"]) == ("900", "1000")
