"""The ``nhnfin`` command line: reports, Fava, and the commands each rule adds.

    nhnfin report LEDGER --year 2024 [--format md|html|csv|xlsx|json|docx|pdf] [--output PATH]
    nhnfin report LEDGER --period 2025-Q1 | --period 2025-03 | --as-of 2025-03-31
    nhnfin fava LEDGER [--read-only] [--host 127.0.0.1] [--port 5000]

Bad input ends with a one-line message on stderr and a non-zero exit code, never a traceback.
"""

from __future__ import annotations

import dataclasses
import datetime
import sys
import time
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING

import click

from nhnfin import __version__
from nhnfin.cli.bokmal import Group
from nhnfin.cli.options import DAY
from nhnfin.cli.options import FORMAT_HELP
from nhnfin.cli.options import HELP
from nhnfin.cli.options import OUTPUT
from nhnfin.cli.options import OUTPUT_HELP
from nhnfin.cli.options import YEAR
from nhnfin.reports import FORMATS

if TYPE_CHECKING:
    from nhnfin.ledger import Ledger
    from nhnfin.model import Report

# Commands contributed by the rule modules: (module, click command attribute). The command's
# name is the attribute's without "_cmd", "-" for "_"; a module is imported only when its command
# runs or ``--help`` lists it, so ``nhnfin --version`` imports neither Beancount nor Fava.
EXTRA_COMMANDS: tuple[tuple[str, str], ...] = (
    ("nhnfin.cli.ehealth", "invoice_basis_cmd"),
    ("nhnfin.cli.imports", "import_cmd"),
    ("nhnfin.cli.imports", "saft_cmd"),
    ("nhnfin.cli.reconcile", "reconcile_cmd"),
    ("nhnfin.cli.close", "close_cmd"),
    ("nhnfin.cli.cost_basis", "cost_basis_cmd"),
    ("nhnfin.cli.cost_basis", "investment_plan_cmd"),
    ("nhnfin.cli.grants", "grant_usage_cmd"),
    ("nhnfin.cli.init", "init_cmd"),
)


def refuse_changed_locks(ledger: Ledger, report: Report) -> None:
    """Exit 1 with one line per problem when a lock of the ledger does not hold
    (docs/year-end-close.md): a changed locked year gets no report. A lock is compared with its
    year's report: ``report`` when it is that, the year's built afresh when ``report`` is a
    period report (its figures are the period's, never the locked year's)."""
    from nhnfin.close.figures import lock_problems
    from nhnfin.report import build_report

    def build(year: int) -> Report:
        whole = year == report.year and report.prior_to is None
        return report if whole else build_report(ledger, year)

    problems = lock_problems(ledger, build)
    if problems:
        for problem in problems:
            click.echo(f"feil: {problem}", err=True)
        raise click.ClickException("en lås holder ikke (se over); ingen rapport skrevet")


def note_uncovered_texts(ledger: Ledger) -> bool:
    """A line on stderr for each lock whose texts are not locked (a lock written by an nhnfin
    that did not lock them), and how to lock them (docs/year-end-close.md); True if any (the
    report is then not cached, so every report says it)."""
    from nhnfin.close.figures import uncovered_texts

    lines = uncovered_texts(ledger)
    for line in lines:
        click.echo(f"merknad: {line}", err=True)
    return bool(lines)


def as_written(report: Report, folder: Path, no_findings: bool) -> Report:
    """The report as ``nhnfin report`` writes it: files named from the ledger's ``folder``
    (:func:`nhnfin.model.as_filed`), without the "Avvik" list with ``--no-findings``."""
    from nhnfin.model import as_filed

    shown = as_filed(report, folder)
    return dataclasses.replace(shown, published_findings=()) if no_findings else shown


def command_name(attribute: str) -> str:
    """The command name of ``attribute`` (``invoice_basis_cmd`` -> ``invoice-basis``)."""
    return attribute.removesuffix("_cmd").replace("_", "-")


class LazyGroup(Group):
    """The ``nhnfin`` group: the rule modules' commands are imported when they are asked for;
    its help and errors are bokmål (:mod:`nhnfin.cli.bokmal`)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        extra = [command_name(attribute) for _, attribute in EXTRA_COMMANDS]
        return sorted({*super().list_commands(ctx), *extra})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        for module_name, attribute in EXTRA_COMMANDS:
            if command_name(attribute) == cmd_name:
                command: click.Command = getattr(import_module(module_name), attribute)
                return command
        return super().get_command(ctx, cmd_name)


@click.group(cls=LazyGroup)
@click.version_option(__version__, prog_name="nhnfin", message="%(prog)s, versjon %(version)s",
                      help="Vis versjonen og avslutt.")
@HELP
def main() -> None:
    """nhnfin: årsregnskapet for Norsk helsenett SF fra et Beancount-regnskap."""
    from nhnfin.cli.common import tune_collector

    tune_collector(click.get_current_context())


@main.command("report")
@click.argument("ledger")
@click.option("--year", type=YEAR, help="Regnskapsåret (med året før ved siden av).")
@click.option(
    "--as-of",
    "as_of",
    type=DAY,
    help="En perioderapport: oppstillingene og notene til og med denne datoen, med samme dato "
    "året før ved siden av.",
)
@click.option(
    "--period",
    help="En perioderapport til utgangen av 2025-Q1 (et kvartal) eller 2025-03 (en måned).",
)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="md", show_default=True,
              help=FORMAT_HELP)
@click.option("--output", type=OUTPUT, help=OUTPUT_HELP)
@click.option(
    "--published",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Det publiserte årsregnskapet (JSON) som det sammenlignes med; standard: "
    "regnskapets nhnfin-published.",
)
@click.option(
    "--strict", is_flag=True,
    help="Avslutt med kode 1 når en avstemming feiler, regnskapet har feil, reglene gir funn "
         "(underdekning, et overforbrukt tilskudd) eller en notetekst har funn.",
)
@click.option("--no-cache", is_flag=True,
              help="Lag rapporten på nytt selv om en lagret rapport er gjeldende.")
@click.option(
    "--no-findings",
    is_flag=True,
    help="Utelat listen «Avvik» (der det publiserte årsregnskapet avviker) fra dokumentet.",
)
@click.option(
    "--with-checks",
    is_flag=True,
    help="Ta også med avstemmingene («Avstemminger») i docx- eller pdf-dokumentet (de andre "
         "formatene har dem alltid).",
)
@HELP
def report_cmd(
    ledger: str,
    year: int | None,
    as_of: datetime.date | None,
    period: str | None,
    fmt: str,
    output: Path | None,
    published: Path | None,
    strict: bool,
    no_cache: bool,
    no_findings: bool,
    with_checks: bool,
) -> None:
    """Oppstillinger, noter og avstemminger for regnskapsåret --year (eller til en dato) fra
    regnskapet LEDGER."""
    from nhnfin import report_cache
    from nhnfin.cli.common import ledger_path
    from nhnfin.cli.common import refuse_binary_to_screen
    from nhnfin.cli.common import refuse_output
    from nhnfin.cli.common import write_result
    from nhnfin.reports import renderer

    refuse_binary_to_screen(fmt, output)
    path = ledger_path(ledger).resolve()
    year, end = report_period(year, as_of, period)
    no_cache = no_cache or end is not None  # the cache keeps whole years
    cached = None if no_cache else report_cache.read(path, year, published)
    if cached is not None:
        report, inputs = cached.report, cached.inputs.plus([published])
        refuse_output(output, inputs)
    else:  # only now the loader and the builders: a warm report needs neither
        from nhnfin.cli.common import load_ledger
        from nhnfin.cli.common import loaded_inputs
        from nhnfin.cli.progress import stage
        from nhnfin.report import ReportError
        from nhnfin.report import build_report
        from nhnfin.report import note_input_files
        from nhnfin.report import published_path

        started = time.time_ns()  # a file changed from now on is not what the load read
        loaded = load_ledger(path)
        inputs = loaded_inputs(loaded, published, published_path(loaded.entries),
                               *note_input_files(loaded.entries))
        refuse_output(output, inputs)
        as_loaded = {} if no_cache else report_cache.content_key(inputs)
        try:
            with stage(f"lager rapporten for {year}"):
                report = build_report(loaded, year, published, as_of=end)
        except ReportError as exc:
            raise click.ClickException(str(exc)) from exc
        refuse_changed_locks(loaded, report)
        uncovered = note_uncovered_texts(loaded)
        if not no_cache and not uncovered:
            report_cache.write(path, year, published, inputs, report, loaded=as_loaded,
                               started=started)
    # the report as written, and the lines on stderr, name the files from the ledger's folder
    report = as_written(report, path.parent, no_findings)
    content = renderer(fmt, checks=with_checks)(report)
    write_result(output, content, inputs)
    if say_what_fails(report) and strict:
        sys.exit(1)


def say_what_fails(report: Report) -> bool:
    """The report's failed tie-outs, ledger errors, findings and note-text findings, one line
    each on stderr (a tie-out as reconcile names it, both sides in Norwegian numbers); True if
    there is any (``--strict`` then exits 1)."""
    from nhnfin.model import Status

    failed = [t for t in report.tieouts if t.status == Status.FAILED]
    for error in report.ledger_errors:
        click.echo(f"feil i regnskapet: {error}", err=True)
    if failed:  # a warm report imports no more than it needs
        from nhnfin.tieouts import text_line

    for tieout in failed:
        click.echo(f"avstemming feilet: {text_line(tieout)}", err=True)
    for finding in report.findings:
        click.echo(f"funn: {finding.location}: {finding.message}", err=True)
    for text_finding in report.text_findings:
        click.echo(f"funn i notetekst: {text_finding.where}: {text_finding.message}", err=True)
    return bool(failed or report.ledger_errors or report.findings or report.text_findings)


def report_period(
    year: int | None, as_of: datetime.date | None, period: str | None
) -> tuple[int, datetime.date | None]:
    """The fiscal year and the end date of a period report (None for the whole year), from
    ``--year``, ``--as-of`` or ``--period`` (one of the last two; --year, if given, agrees)."""
    if as_of is not None and period is not None:
        raise click.UsageError("oppgi --as-of eller --period, ikke begge")
    end: datetime.date | None = as_of
    if period is not None:
        from nhnfin.report import period_end

        try:
            end = period_end(period)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--period") from exc
    if end is None:
        if year is None:
            raise click.UsageError("oppgi --year, --as-of eller --period")
        return year, None
    if year is not None and year != end.year:
        raise click.UsageError(
            f"--year {year} og perioden som slutter {end.isoformat()}, er ikke samme år")
    return end.year, end


@main.command("fava")
@click.argument("ledger")
@click.option("-H", "--host", default="127.0.0.1", show_default=True,
              help="Adressen Fava lytter på.")
@click.option("-p", "--port", default=5000, show_default=True, type=int,
              help="Porten Fava lytter på (make fava PORT=...).")
@click.option("--read-only", is_flag=True, help="Revisorvisning: ingen side kan endre en fil.")
@HELP
def fava_cmd(ledger: str, host: str, port: int, read_only: bool) -> None:
    """Åpne regnskapet LEDGER i Fava med nhnfin-sidene (http://HOST:PORT)."""
    from fava.cli import main as fava_main

    import nhnfin.fava_ext  # noqa: F401  imported before Fava listens, not in its first request
    from nhnfin.cli.common import ledger_path
    from nhnfin.fava_ext.loading import install

    install()  # Fava loads as every nhnfin command: nhnfin.loading.load

    args = [str(ledger_path(ledger)), "--host", host, "--port", str(port)]
    if read_only:
        args.append("--read-only")
    fava_main.main(args=args, prog_name="nhnfin fava")
