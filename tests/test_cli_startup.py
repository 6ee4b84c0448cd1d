"""``nhnfin --version`` and ``--help`` stay light: the rule modules' commands, Beancount, Fava and
pydantic are imported only when a command runs; each listed command is the one its name runs."""

from __future__ import annotations

import subprocess
import sys
from importlib import import_module

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
    assert "grant-usage [OPTIONS]" in result.output
