"""``nhnfin --version`` and ``--help`` stay light: the rule modules' commands, Beancount, Fava and
pydantic are imported only when a command runs; each listed command is the one its name runs."""

from __future__ import annotations

import subprocess
import sys
from importlib import import_module
from pathlib import Path

import pytest
from click.testing import CliRunner

from nhnfin.cli.main import EXTRA_COMMANDS
from nhnfin.cli.main import command_name
from nhnfin.cli.main import main

PROBE = """
import sys
from nhnfin.cli.main import main
try:
    main(["--version"])
except SystemExit:
    pass
print(",".join(sorted(m for m in sys.modules if m.split(".")[0] in {"beancount", "fava",
      "pydantic", "openpyxl"} or m in {"nhnfin.ledger", "nhnfin.cli.ehealth"})))
"""


def test_version_imports_nothing_heavy() -> None:
    result = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,
                            check=True)
    assert "nhnfin, versjon" in result.stdout
    assert result.stdout.splitlines()[-1] == ""


def test_each_extra_command_runs_under_its_own_name() -> None:
    for module_name, attribute in EXTRA_COMMANDS:
        command = getattr(import_module(module_name), attribute)
        assert command.name == command_name(attribute), attribute


def test_help_lists_every_command() -> None:
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    for _, attribute in EXTRA_COMMANDS:
        assert f"  {command_name(attribute)} " in result.output
    assert "  report " in result.output
    assert "  fava " in result.output


def test_an_extra_command_runs() -> None:
    result = CliRunner().invoke(main, ["grant-usage", "--help"])
    assert result.exit_code == 0
    assert "grant-usage [VALG]" in result.output


WARM = """
import sys
from nhnfin.cli.main import main
try:
    main(["report", sys.argv[1], "--year", "2024", "--format", sys.argv[3], "--output",
          sys.argv[2]])
except SystemExit:
    pass
print(",".join(sorted(m for m in sys.modules if m.split(".")[0] in {"beancount", "pydantic"}
      or m in {"nhnfin.report", "nhnfin.ledger", "nhnfin.layout", "nhnfin.statements"})))
"""


@pytest.mark.parametrize("form", ["json", "md"])
def test_a_warm_report_imports_no_builder(tmp_path: Path, form: str) -> None:
    """A report served from the report cache imports neither the builders nor Beancount (the
    warm report's 0.3 s goal, issue 19): writing it names its files from the ledger's folder
    without :mod:`nhnfin.report` (fails before: ``as_filed`` lived there, 0.23 s of imports),
    and the Markdown's number format (:mod:`nhnfin.money`) imports no Beancount either (failed
    before: round fifteen's ``money.nok_weight`` imported Beancount at the module's top, 0.04 s
    more for a warm Markdown report)."""
    ledger = tmp_path / "books.beancount"
    ledger.write_text('option "title" "T"\nplugin "nhnfin.mapping"\n'
                      "2024-01-01 open Assets:1920-Bank\n2024-01-01 open Equity:2050-OtherEquity\n"
                      '2024-01-02 * "Inngående"\n  Assets:1920-Bank 10.00 NOK\n'
                      "  Equity:2050-OtherEquity -10.00 NOK\n", "utf-8")
    out = tmp_path / f"r.{form}"
    args = [sys.executable, "-c", WARM, str(ledger), str(out), form]
    first = subprocess.run(args, capture_output=True, text=True, check=True)  # writes the cache
    assert "nhnfin.report" in first.stdout.splitlines()[-1]
    warm = subprocess.run(args, capture_output=True, text=True, check=True)
    assert out.is_file()
    assert warm.stdout.splitlines()[-1] == ""
