"""`nhnfin report` reuses a cached report only while nothing it was built from has changed."""

from __future__ import annotations

import json
import os
import textwrap
from pathlib import Path

from click.testing import CliRunner

from nhnfin.cli.main import main
from nhnfin.report_cache import cache_path

MAIN = """
option "title" "Testforetak"
include "sales.beancount"
2022-12-31 open Assets:1920-Bank
2022-12-31 open Equity:2050-OtherEquity
2022-12-31 open Income:3100-Services
"""
SALES = """
2024-05-01 * "Sale"
  Assets:1920-Bank         {amount} NOK
  Income:3100-Services    -{amount} NOK
"""


def write(tmp_path: Path, amount: str) -> Path:
    (tmp_path / "sales.beancount").write_text(textwrap.dedent(SALES.format(amount=amount)))
    ledger = tmp_path / "books.beancount"
    ledger.write_text(textwrap.dedent(MAIN))
    return ledger


def revenue(ledger: Path, *options: str) -> str:
    result = CliRunner().invoke(
        main, ["report", str(ledger), "--year", "2024", "--format", "json", *options]
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)["statements"]["income_statement"]
    return next(r["2024"] for r in rows if r["key"] == "service_revenue")


def test_cached_report_is_reused_until_an_included_file_changes(tmp_path: Path) -> None:
    ledger = write(tmp_path, "1000.00")
    assert revenue(ledger) == "1000"
    cache = cache_path(ledger.resolve(), 2024)
    assert cache.is_file()
    built = cache.stat().st_mtime_ns
    assert revenue(ledger) == "1000"
    assert cache.stat().st_mtime_ns == built  # read, not rebuilt
    # change the included file (keep its size, move its time): the report is built again
    sales = tmp_path / "sales.beancount"
    sales.write_text(sales.read_text().replace("1000.00", "2000.00"))
    stat = sales.stat()
    os.utime(sales, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    assert revenue(ledger) == "2000"


def test_no_cache_neither_reads_nor_writes(tmp_path: Path) -> None:
    ledger = write(tmp_path, "1000.00")
    assert revenue(ledger, "--no-cache") == "1000"
    assert not cache_path(ledger.resolve(), 2024).exists()


def test_a_corrupt_cache_is_ignored(tmp_path: Path) -> None:
    ledger = write(tmp_path, "1000.00")
    cache_path(ledger.resolve(), 2024).write_bytes(b"not a pickle")
    assert revenue(ledger) == "1000"
