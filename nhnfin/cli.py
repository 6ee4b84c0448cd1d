"""The ``nhnfin`` command line: reports, Fava, and the commands each rule adds.

    nhnfin report LEDGER --year 2024 [--format md|html|csv|xlsx|json] [--output PATH]
    nhnfin fava LEDGER [--read-only] [--host 127.0.0.1] [--port 5000]

Bad input ends with a one-line message on stderr and a non-zero exit code, never a traceback.
"""

from __future__ import annotations

import os
import sys
import tempfile
from importlib import import_module
from pathlib import Path

import click

from nhnfin import __version__
from nhnfin import report_cache
from nhnfin.ledger import Ledger
from nhnfin.ledger import load
from nhnfin.mapping import layout_directive
from nhnfin.model import Status
from nhnfin.progress import stage
from nhnfin.report import ReportError
from nhnfin.report import build_report
from nhnfin.report import published_path
from nhnfin.reports import FORMATS
from nhnfin.reports import renderer

# Commands contributed by the rule modules: (module, click command attribute).
EXTRA_COMMANDS: tuple[tuple[str, str], ...] = (
    ("nhnfin.cli_ehealth", "invoice_basis_cmd"),
    ("nhnfin.cli_import", "import_cmd"),
    ("nhnfin.cli_import", "saft_cmd"),
    ("nhnfin.cli_reconcile", "reconcile_cmd"),
    ("nhnfin.cli_close", "close_cmd"),
    ("nhnfin.cli_cost_basis", "cost_basis_cmd"),
    ("nhnfin.cli_cost_basis", "investment_plan_cmd"),
    ("nhnfin.cli_grants", "grant_usage_cmd"),
)


def write_atomically(path: Path, content: bytes) -> None:
    """Write ``content`` to ``path`` through a temporary file and a rename, so a reader never sees
    a half-written file and an interrupted run leaves the old file as it was."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def load_ledger(path: Path) -> Ledger:
    """Load ``path`` with progress on a terminal; Beancount's own failures (it raises on some
    malformed input instead of reporting it) become a one-line message, not a traceback."""
    try:
        with stage(f"loading {path}"):
            return load(path)
    except Exception as exc:  # the boundary to a third-party loader
        raise click.ClickException(
            f"{path}: Beancount could not load the ledger ({type(exc).__name__}: {exc})"
        ) from exc


def report_inputs(ledger: Ledger, published: Path | None) -> list[Path]:
    """Every file a report of ``ledger`` is built from: the ledger's includes, and the layout and
    published files its directives name."""
    files = [Path(f) for f in ledger.options_map.get("include", [])]
    directive = layout_directive(ledger.entries)
    if directive is not None and directive.values:
        files.append(Path(directive.meta["filename"]).parent / str(directive.values[0].value))
    named = published or published_path(ledger.entries)
    if named is not None:
        files.append(named)
    if ledger.path is not None:  # the period locks' digests (nhnfin.period_lock)
        files.extend(sorted((ledger.path.parent / "locks").glob("*.json")))
    return files


def ledger_path(value: str) -> Path:
    """The ledger argument as a path that exists."""
    path = Path(value)
    if not path.is_file():
        raise click.ClickException(f"{value}: no such ledger file")
    return path


@click.group()
@click.version_option(__version__, prog_name="nhnfin")
def main() -> None:
    """nhnfin: the annual accounts of Norsk helsenett SF from a Beancount ledger."""


@main.command("report")
@click.argument("ledger")
@click.option("--year", type=int, required=True, help="Fiscal year (the prior year is beside it).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="md", show_default=True)
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), help="File to write.")
@click.option(
    "--published",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Published report (JSON) to compare with; default: the ledger's nhnfin-published.",
)
@click.option(
    "--strict", is_flag=True, help="Exit 1 when a tie-out fails or the ledger has errors."
)
@click.option("--no-cache", is_flag=True, help="Build the report even if a cached one is current.")
def report_cmd(
    ledger: str,
    year: int,
    fmt: str,
    output: Path | None,
    published: Path | None,
    strict: bool,
    no_cache: bool,
) -> None:
    """Statements, notes and tie-outs for YEAR from LEDGER."""
    path = ledger_path(ledger).resolve()
    key = (__version__, str(year), str(published.resolve()) if published else "")
    report = None if no_cache else report_cache.read(path, year, key)
    if report is None:
        loaded = load_ledger(path)
        try:
            with stage(f"building the {year} report"):
                report = build_report(loaded, year, published)
        except ReportError as exc:
            raise click.ClickException(str(exc)) from exc
        if not no_cache:
            report_cache.write(path, year, key, report_inputs(loaded, published), report)
    content = renderer(fmt)(report)
    if output is None:
        sys.stdout.buffer.write(content)
    else:
        write_atomically(output, content)
        click.echo(f"wrote {output}", err=True)
    failed = [t for t in report.tieouts if t.status == Status.FAILED]
    for error in report.ledger_errors:
        click.echo(f"ledger error: {error}", err=True)
    for tieout in failed:
        click.echo(f"tie-out failed: {tieout.description}: {tieout.difference}", err=True)
    if strict and (failed or report.ledger_errors):
        sys.exit(1)


@main.command("fava")
@click.argument("ledger")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--read-only", is_flag=True, help="Auditor mode: no page may change a file.")
def fava_cmd(ledger: str, host: str, port: int, read_only: bool) -> None:
    """Browse LEDGER in Fava with the nhnfin pages (http://HOST:PORT)."""
    from fava.cli import main as fava_main

    args = [str(ledger_path(ledger)), "--host", host, "--port", str(port)]
    if read_only:
        args.append("--read-only")
    fava_main.main(args=args, prog_name="nhnfin fava")


for module_name, attribute in EXTRA_COMMANDS:
    main.add_command(getattr(import_module(module_name), attribute))
