"""``nhnfin close``: check a year before sign-off, then write its year-end transfer and lock.

    nhnfin close LEDGER --year YYYY [--output FILE] [--dry-run] [--locked-by NAME]
                 [--waive reconciliation] [--waive findings] [--waive months]
                 [--waive currency] [--waive saft]
    nhnfin close LEDGER --year YYYY --add-texts [--output FILE] [--dry-run] [--locked-by NAME]

It prints each check (``ok``, or ``STOPPER`` with its errors) and exits 1 when one blocks, writing
nothing. Otherwise it writes a NEW file (default ``<ledger dir>/close-YYYY.beancount``; an existing
file is never overwritten) with the transfer of the result to other equity, if not booked already,
and the ``nhnfin-lock`` directive, plus the lock's per-entry digests in ``locks/YYYY-12-31.json``
beside it. With ``--dry-run`` it prints the file instead. ``--waive reconciliation`` signs off
despite reconciliation differences (a known, documented reconciling item); each waived line is
written into the lock's meta (``waived-1: "..."``) for the auditor. See docs/year-end-close.md.

``--add-texts`` locks the texts of a year locked by an nhnfin that did not lock them (the title,
the notes' texts, titles and labels): while every lock holds, it writes a NEW file (default
``close-YYYY-texts.beancount``) with a ``custom "nhnfin-lock-texts"`` directive and the texts'
record ``locks/YYYY-12-31-texts.json``; the lock, its record and the figures are not touched.
"""

from __future__ import annotations

import datetime
import getpass
import sys
from pathlib import Path

import click

from nhnfin.cli.bokmal import Command
from nhnfin.cli.common import from_here
from nhnfin.cli.common import is_stdout
from nhnfin.cli.common import ledger_path
from nhnfin.cli.common import loaded_inputs
from nhnfin.cli.common import refuse_output
from nhnfin.cli.common import say
from nhnfin.cli.common import write_output
from nhnfin.cli.options import HELP
from nhnfin.cli.options import OUTPUT
from nhnfin.cli.options import YEAR
from nhnfin.cli.progress import stage
from nhnfin.close.figures import lock_problems as figure_errors_text
from nhnfin.close.figures import uncovered_texts
from nhnfin.close.year_end import WAIVABLE
from nhnfin.close.year_end import WAIVED
from nhnfin.close.year_end import Check
from nhnfin.close.year_end import CloseError
from nhnfin.close.year_end import already_locked
from nhnfin.close.year_end import check_label
from nhnfin.close.year_end import plan_add_texts
from nhnfin.close.year_end import plan_close
from nhnfin.close.year_end import run_checks
from nhnfin.close.year_end import waive as waive_check
from nhnfin.errors import location
from nhnfin.files import Inputs
from nhnfin.files import WriteRefused
from nhnfin.files import check_value
from nhnfin.ledger import Ledger
from nhnfin.ledger import load
from nhnfin.model import Report
from nhnfin.model import norwegian_date
from nhnfin.money import norwegian
from nhnfin.report import ReportError
from nhnfin.report import build_report


def saft_export_problems(ledger: Ledger, year: int) -> tuple[str, ...]:
    """What would stop ``nhnfin saft --year`` on the year besides the company line (which
    :func:`~nhnfin.close.year_end.saft_check` reads itself): the export run as that command
    runs it, each of its errors at its file:line (an account without a SAF-T grouping code, at
    its ``open``), and the first XSD error of the file it would write. Nothing when the ledger
    declares no company with a contact person: the check says what is missing."""
    from nhnfin.importers.saft_export import SaftExportError
    from nhnfin.importers.saft_export import company_from_entries
    from nhnfin.importers.saft_export import export_saft
    from nhnfin.importers.saft_export import validate_saft

    company, _ = company_from_entries(ledger.entries, year)
    if company is None:
        return ()
    try:
        document = export_saft(ledger.entries, ledger.options_map, year, company)
    except SaftExportError as exc:
        return tuple(f"{location(e.source)}: {e.message}" for e in exc.errors)
    return tuple(f"SAF-T-filen er ikke gyldig etter XSD-en: {error}"
                 for error in validate_saft(document)[:1])


def locks_check(ledger: Ledger, report: Report) -> Check:
    """The earlier locks still hold: their entries, files, figures and texts (a chain of locks);
    a lock whose texts are not locked is listed."""

    def build(year: int) -> Report:
        return report if year == report.year else build_report(ledger, year)

    return Check("locks", tuple(figure_errors_text(ledger, build)),
                 tuple(uncovered_texts(ledger)))


LINE_WORDS = {("findings", True): ("funn", "funn"),
              ("bean-check", False): ("advarsel", "advarsler"),
              ("tie-outs", False): ("advarsel", "advarsler"),
              ("months", True): ("måned", "måneder"),
              ("months", False): ("måned", "måneder")}
"""What a check's (name, blocking) lines are called, (one, several), or what they name when
the check counts them (:attr:`Check.counts`: the months check counts months, "10 måneder" for
"mars–desember 2025"); else ``feil`` for blocking lines and ``listet`` for listed ones."""


def counted(name: str, count: int, blocking: bool) -> str:
    """``1 funn``, ``2 advarsler``, ``1 feil``, ``2 listet``: the count of a check's blocking or
    listed lines, with their word in singular or plural."""
    one, several = LINE_WORDS.get((name, blocking), ("feil", "feil") if blocking
                                  else ("listet", "listet"))
    return f"{count} {one if count == 1 else several}"


def check_lines(check: Check) -> list[str]:
    """How a check is printed: a status line, then its blocking and listed lines."""
    label = check_label(check.name, bool(check.blocking))
    blocking, listed_count = check.counts or (len(check.blocking), len(check.notes))
    if check.blocking:
        head = f"STOPPER {label}: {counted(check.name, blocking, True)}"
    elif check.notes:
        listed = counted(check.name, listed_count, False)
        head = f"ok      {label}: {listed}, stopper ikke"
    else:
        head = f"ok      {label}"
    return [
        head,
        *(f"{BULLET_INDENT}✗ {_indented(line)}" for line in check.blocking),
        *(f"{BULLET_INDENT}- {_indented(line)}" for line in check.notes),
    ]


BULLET_INDENT = " " * 9


def _indented(line: str) -> str:
    """A listed line's continuation lines (a quoted error) start under its text."""
    return line.replace("\n", "\n" + BULLET_INDENT + "  ")


def _login() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "ukjent"


def _today() -> datetime.date:
    """Today's local date (the lock's ``locked-on``)."""
    return datetime.datetime.now(datetime.UTC).astimezone().date()


def _refuse_targets(target: Path, record: Path, inputs: Inputs) -> None:
    """The close file and its lock record refused when either is an input (or, the close file,
    a file nhnfin keeps; the record may be only a lock record, its own). The lock records in
    ``locks/`` beside the ledger, which every load looks for, are no input the record would be
    written over: one that exists is refused as existing (:func:`_refuse_existing`, not in a
    dry run, which writes nothing), and one of another ledger stops bean-check, saying so."""
    refuse_output(target, inputs, patterns=False)
    refuse_output(record, inputs.without_watched(), patterns=False, record=True)


def _finish(path: Path, target: Path, record_name: str, texts: tuple[str, str],
            inputs: Inputs, dry_run: bool) -> None:
    """Print the close file (``--dry-run``), or write the lock record ``record_name`` beside
    it, then the close file (``texts``: both, new, atomic; the record is removed again when the
    close file cannot be written), and say what to include."""
    close_text, record_text = texts
    record = target.parent / record_name
    if dry_run:
        say(f"--dry-run: ville skrevet {target} og {record_name}:")
        click.echo(close_text, nl=False)  # the file as it would be written
        return
    write_output(record, record_text.encode("utf-8"), inputs, exclusive=True,
                 patterns=False, record=True)
    try:
        write_output(target, close_text.encode("utf-8"), inputs, exclusive=True,
                     patterns=False)
    except BaseException:
        record.unlink(missing_ok=True)
        raise
    say(f"skrev {target}")
    say(f"skrev {record}")
    say(f'ta den med i {path.name}: include "{target.name}"')


def add_texts_cmd(path: Path, year: int, output: Path | None, dry_run: bool,
                  locked_by: str) -> None:
    """``nhnfin close --add-texts``: lock the texts of YEAR's lock, which has none, while every
    lock holds (docs/year-end-close.md)."""
    target, record = _targets(path, output, dry_run, f"close-{year}-texts.beancount",
                              f"{year}-12-31-texts.json")
    with stage(f"leser {path}"):
        loaded = load(path)
    inputs = loaded_inputs(loaded)
    _refuse_targets(target, record, inputs)
    with stage(f"kontrollerer låsene og lager rapporten for {year}"):
        try:
            report = build_report(loaded, year)
            problems = locks_check(loaded, report).blocking
            plan = None if problems else plan_add_texts(loaded, report, locked_by, _today())
        except (ReportError, CloseError, WriteRefused) as exc:
            raise click.ClickException(str(exc)) from exc
    if plan is None:
        for problem in problems:
            say(f"feil: {_indented(problem)}", err=True)
        raise click.ClickException(
            "en lås holder ikke (se over); tekstene låses bare i et år som er som da det ble "
            "låst, og ingenting er skrevet")
    say(f"tekstene i årsregnskapet {year}: {plan.count} tekster, sha256 {plan.digest}, "
               f"til låsen ved {location(plan.lock.meta)}")
    _finish(path, target, plan.record_name, (plan.close_text, plan.record_text), inputs,
            dry_run)


def add_texts_only(path: Path, year: int, output: Path | None, dry_run: bool,
                   locked_by: str | None, waive: tuple[str, ...]) -> None:
    """``--add-texts`` given: its own command line (no ``--waive``: nothing is closed)."""
    if waive:
        raise click.UsageError("--waive gjelder årsavslutningen, ikke --add-texts")
    _check_name(locked_by)
    add_texts_cmd(path, year, output, dry_run, locked_by or _login())


def _check_name(locked_by: str | None) -> None:
    """A ``--locked-by`` that cannot be written into the lock (a newline) is refused."""
    try:
        check_value(locked_by or "", "--locked-by")
    except WriteRefused as exc:
        raise click.ClickException(str(exc)) from None


def _targets(path: Path, output: Path | None, dry_run: bool, close_name: str,
             record_name: str, exists: bool = True) -> tuple[Path, Path]:
    """The close file (``output``, else ``close_name`` beside the ledger) and the lock record
    ``locks/record_name`` beside it that ``nhnfin close`` writes; refused when either is a file
    nhnfin keeps or (unless ``dry_run``, and when ``exists``) exists."""
    target = output or path.parent / close_name
    sidecar = target.parent / "locks" / record_name
    _refuse_targets(target, sidecar, Inputs(()))  # a file nhnfin keeps, before any work
    if exists:
        _refuse_existing((target, sidecar), dry_run)
    return target, sidecar


def _refuse_existing(targets: tuple[Path, Path], dry_run: bool) -> None:
    """A close file or lock record that exists is refused (unless ``dry_run``)."""
    for existing in targets:
        if existing.exists() and not dry_run:
            raise click.ClickException(
                f"{existing} finnes; årsavslutningen skriver aldri over en fil")


@click.command("close", cls=Command)
@click.argument("ledger")
@click.option("--year", type=YEAR, required=True, help="Regnskapsåret som skal avsluttes.")
@click.option(
    "--output",
    type=OUTPUT,
    help="Årsavslutningsfilen som skal skrives (en ny fil); standard: "
    "<regnskapets mappe>/close-YYYY.beancount. «-» avvises (filen tas med i regnskapet og får "
    "en lås ved siden av); --dry-run viser den.",
)
@click.option("--dry-run", is_flag=True, help="Kjør kontrollene og vis filen; skriv ingenting.")
@click.option("--locked-by", default=None, help="Hvem som avslutter året (standard: brukernavnet).")
@click.option(
    "--waive",
    type=click.Choice(WAIVABLE),
    multiple=True,
    help="Avslutt året tross avvikene i denne kontrollen; de skrives inn i låsen.",
)
@click.option(
    "--add-texts",
    is_flag=True,
    help="Lås tekstene (tittelen, notetekstene, titlene og etikettene) i låsen for --year når "
    "den ble skrevet av en nhnfin som ikke låste dem; skriver en ny fil og endrer ingen lås.",
)
@HELP
def close_cmd(
    ledger: str,
    year: int,
    output: Path | None,
    dry_run: bool,
    locked_by: str | None,
    waive: tuple[str, ...],
    add_texts: bool,
) -> None:
    """Kontroller regnskapsåret --year i LEDGER før årsavslutningen; skriv årsoverføringen og
    periodelåsen."""
    try:
        close_year(ledger, year, output, dry_run, locked_by, waive, add_texts)
    except click.UsageError:
        raise
    except click.ClickException as exc:  # its files named from the current folder, as the rest
        raise click.ClickException(from_here(exc.format_message())) from None


def close_year(ledger: str, year: int, output: Path | None, dry_run: bool,
               locked_by: str | None, waive: tuple[str, ...], add_texts: bool) -> None:
    """``nhnfin close``: what it prints names the files from the current folder (``say``)."""
    path = ledger_path(ledger)
    if is_stdout(output):
        raise click.ClickException(
            "--output -: årsavslutningen skrives til en fil som tas med i regnskapet, med en lås "
            "ved siden av, ikke til standard ut; --dry-run viser filen")
    if add_texts:
        add_texts_only(path, year, output, dry_run, locked_by, waive)
        return
    target, sidecar = _targets(path, output, dry_run, f"close-{year}.beancount",
                               f"{year}-12-31.json", exists=False)
    _check_name(locked_by)
    with stage(f"leser {path}"):
        loaded = load(path, through=datetime.date(year, 12, 31))  # the rules book the year
    locked = already_locked(loaded.entries, year)  # said first: no check runs on a locked year
    if locked is not None:
        raise click.ClickException(locked)
    _refuse_existing((target, sidecar), dry_run)
    inputs = loaded_inputs(loaded)
    _refuse_targets(target, sidecar, inputs)
    with stage(f"kontrollerer {year}"):
        try:
            report = build_report(loaded, year)
            checks = (
                *(waive_check(c) if c.name in waive else c
                  for c in run_checks(loaded, report, saft_export_problems(loaded, year))),
                locks_check(loaded, report),
            )
        except (ReportError, CloseError) as exc:
            raise click.ClickException(str(exc)) from exc
    say(f"årsavslutning {year} av {path}")
    for check in checks:
        for line in check_lines(check):
            say(line)
    blocked = [c.name for c in checks if not c.passed]
    if blocked:
        names = ", ".join(check_label(b) for b in blocked)
        say(f"årsavslutning {year} stoppes av: {names}; ingenting er skrevet", err=True)
        sys.exit(1)
    with stage("beregner låsen"):
        try:
            plan = plan_close(
                loaded, report, target, locked_by or _login(), _today(),
                [f"{c.name}: {n[len(WAIVED):]}" for c in checks for n in c.notes
                 if n.startswith(WAIVED)],
            )
        except (CloseError, WriteRefused) as exc:
            raise click.ClickException(str(exc)) from exc
    if plan.transfer:
        say(f"årsoverføring: {norwegian(plan.transfer)} NOK til annen egenkapital "
                   f"(bokført før: {norwegian(plan.already_booked)})")
    else:
        say(f"årsoverføring: allerede bokført ({norwegian(plan.already_booked)} NOK), "
                   "gjentas ikke")
    say(f"lås: {plan.entries_locked} poster til og med {norwegian_date(plan.lock_date)}, "
               f"sha256 {plan.digest}")
    _finish(path, target, plan.sidecar_name, (plan.close_text, plan.sidecar_text), inputs,
            dry_run)
