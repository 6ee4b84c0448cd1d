"""``--output -`` is standard out in every command with an ``--output FIL`` (round twelve's
probe: ``nhnfin report --output -`` wrote a file named ``-`` in the current folder). What is
printed is what the file would hold; no file named ``-`` is written; ``--output ./-`` is still
that file. A file format (xlsx, docx, pdf) is written to a pipe, refused on a terminal;
``nhnfin close`` refuses ``-`` (its file is included in the ledger, with a lock beside it)."""

from __future__ import annotations

import runpy
import shutil
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from nhnfin.cli import common
from nhnfin.cli.imports import ingest
from nhnfin.cli.main import main
from tests.bad_input.cases import ACCOUNTS
from tests.bad_input.cases import ROOT

EXAMPLES = ROOT / "ledger" / "examples"
DATA = ROOT / "tests" / "data"
LEDGER = (
    f'option "title" "Prøve SF"\noption "operating_currency" "NOK"\ninclude "{ACCOUNTS}"\n'
    '2024-01-10 * "Renter"\n  Assets:1920-Bank 100.00 NOK\n  Income:3900-OtherIncome -100.00 NOK\n'
)
CAMT = DATA / "camt" / "camt053.nhn.reversal.xml"

# (command line with {ledger} and {out}, the file's suffix): each wrote a file named "-" before
COMMANDS = [
    (("report", "{ledger}", "--year", "2024", "--no-cache", "--output", "{out}"), "md"),
    (("report", "{ledger}", "--year", "2024", "--no-cache", "--format", "csv", "--output",
      "{out}"), "csv"),
    (("grant-usage", str(EXAMPLES / "grants.beancount"), "--year", "2024", "--output", "{out}"),
     "md"),
    (("cost-basis", str(EXAMPLES / "cost-basis-2022.beancount"), "--year", "2022", "--output",
      "{out}"), "md"),
    (("investment-plan", str(EXAMPLES / "investment-plan.beancount"), "--format", "json",
      "--output", "{out}"), "json"),
    (("invoice-basis", str(EXAMPLES / "invoice-basis-2022.beancount"), "--year", "2022",
      "--format", "json", "--output", "{out}"), "json"),
    (("import", str(CAMT), "--bank", "NO9386011117947=Assets:1920-Bank", "--output", "{out}"),
     "beancount"),
    (("saft", str(ROOT / "ledger" / "nhn.beancount"), "--year", "2024", "--output", "{out}"),
     "xml"),
]


def _run(args: tuple[str, ...], ledger: Path, out: str) -> click.testing.Result:
    line = [a.format(ledger=ledger, out=out) for a in args]
    return CliRunner().invoke(main, line)


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The current folder, with the literal ledger in it."""
    (tmp_path / "l.beancount").write_text(LEDGER)
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize(("args", "suffix"), COMMANDS, ids=lambda v: "-".join(v[:1] + v[-3:-2])
                         if isinstance(v, tuple) else v)
def test_output_dash_prints_the_file(args: tuple[str, ...], suffix: str, folder: Path) -> None:
    ledger = folder / "l.beancount"
    written = _run(args, ledger, str(folder / f"out.{suffix}"))
    assert written.exit_code == 0, written.output
    expected = (folder / f"out.{suffix}").read_bytes()
    assert expected
    printed = _run(args, ledger, "-")
    assert printed.exit_code == 0, printed.output
    assert printed.stdout_bytes == expected
    assert not (folder / "-").exists()
    assert "skrev -" not in printed.stderr
    assert "-: " not in printed.stderr


def test_output_dot_slash_dash_is_a_file(folder: Path) -> None:
    result = _run(COMMANDS[0][0], folder / "l.beancount", "./-")
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes == b""
    assert (folder / "-").read_bytes().startswith(b"# ")
    assert result.stderr.startswith("skrev -\n")


@pytest.mark.parametrize("args", [
    ("report", "{ledger}", "--year", "2024", "--no-cache", "--format", "xlsx"),
    ("grant-usage", str(EXAMPLES / "grants.beancount"), "--year", "2024", "--format", "xlsx"),
    ("invoice-basis", str(EXAMPLES / "invoice-basis-2022.beancount"), "--year", "2022",
     "--format", "xlsx"),
], ids=lambda v: v[0])
def test_a_spreadsheet_goes_to_a_pipe(args: tuple[str, ...], folder: Path) -> None:
    result = _run((*args, "--output", "-"), folder / "l.beancount", "-")
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes.startswith(b"PK\x03\x04")  # the workbook (a zip), not text
    assert not (folder / "-").exists()


@pytest.mark.parametrize(("fmt", "what"), [("xlsx", "et regneark"), ("docx", "et dokument"),
                                           ("pdf", "et dokument")])
def test_a_file_format_is_refused_on_a_terminal(fmt: str, what: str, folder: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(common, "stdout_is_terminal", lambda: True)
    result = _run(("report", "{ledger}", "--year", "2024", "--no-cache", "--format", fmt,
                   "--output", "-"), folder / "l.beancount", "-")
    assert result.exit_code == 1
    assert result.stderr == (
        f"Feil: --format {fmt} --output -: {what} skrives ikke til terminalen; send det videre "
        "(| program eller > fil) eller oppgi --output FIL\n")
    assert result.stdout_bytes == b""
    assert not (folder / "-").exists()


def test_text_goes_to_a_terminal(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(common, "stdout_is_terminal", lambda: True)
    result = _run(COMMANDS[0][0], folder / "l.beancount", "-")
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes.startswith(b"# ")


def test_close_refuses_output_dash(folder: Path) -> None:
    result = _run(("close", "{ledger}", "--year", "2024", "--output", "-"),
                  folder / "l.beancount", "-")
    assert result.exit_code == 1
    assert result.stderr == (
        "Feil: --output -: årsavslutningen skrives til en fil som tas med i regnskapet, med en "
        "lås ved siden av, ikke til standard ut; --dry-run viser filen\n")
    assert sorted(p.name for p in folder.iterdir()) == ["l.beancount"]


def test_import_append_to_dash_is_refused(folder: Path) -> None:
    result = _run(("import", str(CAMT), "--output", "-", "--append"), folder / "l.beancount",
                  "-")
    assert result.exit_code == 2  # a usage error
    assert result.stderr.endswith("\nFeil: --append krever --output FIL (ikke -)\n")
    assert not (folder / "-").exists()


def test_extract_output_dash_prints_the_file(folder: Path) -> None:
    downloads = folder / "downloads"
    downloads.mkdir()
    shutil.copy(DATA / "camt" / "camt053.nhn.v4.xml", downloads)
    config = runpy.run_path(str(ROOT / "ledger" / "import.py"))["CONFIG"]
    written = CliRunner().invoke(ingest(config), ["extract", str(downloads), "-o",
                                                  str(folder / "new.beancount")])
    assert written.exit_code == 0, written.output
    printed = CliRunner().invoke(ingest(config), ["extract", str(downloads), "-o", "-"])
    assert printed.exit_code == 0, printed.output
    assert printed.stdout_bytes == (folder / "new.beancount").read_bytes()
    assert " ^camt-NHN-V4-0001\n" in printed.stdout
    assert not (folder / "-").exists()


def _output_options() -> dict[str, click.Parameter]:
    """Every command's ``--output`` (the ``nhnfin`` group's commands and ``import.py
    extract``), by command name."""
    from nhnfin.cli.imports import _safe_extract

    ctx = click.Context(main, info_name="nhnfin")
    assert isinstance(main, click.Group)
    commands = {name: main.get_command(ctx, name) for name in main.list_commands(ctx)}
    commands["extract"] = _safe_extract
    return {name: param for name, command in commands.items() if command is not None
            for param in command.params if "--output" in param.opts}


def test_every_output_option_takes_dash() -> None:
    options = _output_options()
    assert sorted(options) == ["close", "cost-basis", "extract", "grant-usage", "import",
                               "investment-plan", "invoice-basis", "report", "saft"]
    for name, param in options.items():
        assert isinstance(param.type, click.Path), name
        assert param.type.allow_dash, name  # '-' is standard out (close refuses it in words)
    tried = {args[0] for args, _suffix in COMMANDS} | {"close", "extract"}
    assert tried == set(options)
