"""`nhnfin report` reuses a cached report only while nothing it was built from has changed."""

from __future__ import annotations

import importlib
import json
import os
import sys
import textwrap
from pathlib import Path

import pytest
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


OWN_PLUGIN = '''
import datetime
from decimal import Decimal

from beancount.core import amount, data

__plugins__ = ("sale",)


def sale(entries, options_map):
    posting = lambda account, number: data.Posting(
        account, amount.Amount(Decimal(number), "NOK"), None, None, None, None)
    entry = data.Transaction(data.new_metadata("own_plugin.py", 1), datetime.date(2024, 6, 1),
                             "*", None, "Salg fra egen plugin", frozenset(), frozenset(),
                             [posting("Assets:1920-Bank", "{amount}"),
                              posting("Income:3100-Services", "-{amount}")])
    return entries + [entry], []
'''


def test_an_edit_of_the_ledgers_own_plugin_code_is_a_changed_input(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A plugin beside the ledger (``option "insert_pythonpath"``) makes figures as the ledger's
    files do: round seven's probe changed its amount and the cached report kept the old
    revenue. Its source is an input now: of the cache's key and of the write refusals."""
    monkeypatch.setattr(sys, "path", list(sys.path))  # the loader inserts the ledger's folder
    name = "r7_own_plugin"
    monkeypatch.delitem(sys.modules, name, raising=False)
    ledger = write(tmp_path, "1000.00")
    ledger.write_text('option "insert_pythonpath" "TRUE"\n'
                      f'plugin "{name}"\n' + ledger.read_text())
    code = tmp_path / f"{name}.py"
    code.write_text(OWN_PLUGIN.format(amount="100.00"))
    assert revenue(ledger) == "1100"
    code.write_text(OWN_PLUGIN.format(amount="300.00"))  # the same size
    del sys.modules[name]  # a new process would import the new code
    importlib.invalidate_caches()
    assert revenue(ledger) == "1300"
    refused = CliRunner().invoke(main, ["report", str(ledger), "--year", "2024",
                                        "--output", str(code)])
    assert refused.exit_code == 1
    assert "skriver ikke over" in refused.output
    assert code.read_text() == OWN_PLUGIN.format(amount="300.00")


HELPED_PLUGIN = '''
import datetime
from decimal import Decimal

from beancount.core import amount, data

import {helper}

__plugins__ = ("sale",)


def sale(entries, options_map):
    posting = lambda account, number: data.Posting(
        account, amount.Amount(Decimal(number), "NOK"), None, None, None, None)
    entry = data.Transaction(data.new_metadata("own_plugin.py", 1), datetime.date(2024, 6, 1),
                             "*", None, "Salg fra egen plugin", frozenset(), frozenset(),
                             [posting("Assets:1920-Bank", {helper}.AMOUNT),
                              posting("Income:3100-Services", "-" + {helper}.AMOUNT)])
    return entries + [entry], []
'''


def test_an_edit_of_a_module_the_ledgers_plugin_imports_is_a_changed_input(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Round twelve's probe: a plugin beside the ledger that reads its amount from a module of its
    own (``import myhelper``) kept the cached figure after that module was edited (100 010 shown,
    120 000 built): only the plugin's file was keyed. Every module the plugin's folder gave the
    load is an input now, of the key and of the write refusals."""
    monkeypatch.setattr(sys, "path", list(sys.path))  # the loader inserts the ledger's folder
    name, helper = "r12_helped_plugin", "r12_plugin_helper"
    for module in (name, helper):
        monkeypatch.delitem(sys.modules, module, raising=False)
    ledger = write(tmp_path, "1000.00")
    ledger.write_text('option "insert_pythonpath" "TRUE"\n'
                      f'plugin "{name}"\n' + ledger.read_text())
    (tmp_path / f"{name}.py").write_text(HELPED_PLUGIN.format(helper=helper))
    code = tmp_path / f"{helper}.py"
    code.write_text('AMOUNT = "100.00"\n')
    assert revenue(ledger) == "1100"
    code.write_text('AMOUNT = "300.00"\n')  # the same size
    for module in (name, helper):  # a new process would import the new code
        del sys.modules[module]
    importlib.invalidate_caches()
    assert revenue(ledger) == "1300"
    refused = CliRunner().invoke(main, ["report", str(ledger), "--year", "2024",
                                        "--output", str(code)])
    assert refused.exit_code == 1
    assert "skriver ikke over" in refused.output
    assert code.read_text() == 'AMOUNT = "300.00"\n'


def test_installed_code_below_the_plugins_folder_is_not_the_ledgers_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A ledger's repository with its virtualenv inside: the modules the plugin's folder gave
    the load are its own code, those of the site-packages below it are installed code (keyed
    by their installer, not counted towards the limit that turns the cache off)."""
    from nhnfin import files

    site = tmp_path / "venv" / "site-packages"
    site.mkdir(parents=True)
    (tmp_path / "r12_own_module.py").write_text("X = 1\n")
    (site / "r12_installed_module.py").write_text("Y = 2\n")
    monkeypatch.setattr(sys, "path", [str(tmp_path), str(site), *sys.path])
    for name in ("r12_own_module", "r12_installed_module"):
        monkeypatch.delitem(sys.modules, name, raising=False)
        importlib.import_module(name)
    monkeypatch.setattr(files, "_installed_roots", lambda: {site.absolute()})
    assert files._modules_beside(tmp_path.absolute()) == [
        (tmp_path / "r12_own_module.py").absolute()]
    assert files._modules_beside(site.absolute()) == []
