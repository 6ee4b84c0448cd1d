"""``nhnfin import`` and ``nhnfin saft``: bring documents into the ledger, and SAF-T out of it.

``import`` runs the importers (camt.053 bank statements, invoice runs, SAF-T Financial) on the
files given, and prints the new entries as Beancount text. With ``--ledger`` the entries already
booked there are recognised (same bank reference, invoice number or SAF-T transaction) and shown
as comments only. ``--output`` writes to a new file and refuses an existing one, a file of the
ledger (given with ``--ledger``), a file an include pattern of the ledger would load, and every
import document; ``--append`` (only with ``--ledger``: without it nhnfin cannot know whether the
file is one the ledger includes) adds to a file outside the ledger only the entries not already in
the ledger or in the output file itself, atomically (:func:`nhnfin.files.append_atomically`), and
touches nothing when there is nothing new. The text is parsed before it is written. Bank accounts
are configured in the ledger (so Fava and the CLI share them) or with ``--bank``::

    2024-01-01 custom "nhnfin-bank-account" "NO9386011117947" Assets:1920-Bank
      counter-account: "Assets:1590-Unreconciled"

``saft`` writes SAF-T Financial v1.30 for one year (``nhnfin.importers.saft_export``), validates it
against the official schema and writes it atomically (temporary file, then rename); an
existing file is replaced only with ``--force``.

Every failure is one clear message and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click
from beancount.core import data
from beancount.core.account import is_valid as is_valid_account
from beancount.parser import parser

from nhnfin.cli.bokmal import Command
from nhnfin.cli.bokmal import Group
from nhnfin.cli.common import is_stdout
from nhnfin.cli.common import not_a_file
from nhnfin.cli.common import output_path
from nhnfin.cli.common import posting_years
from nhnfin.cli.common import refuse_output
from nhnfin.cli.common import require_year
from nhnfin.cli.common import write_output
from nhnfin.cli.options import HELP
from nhnfin.cli.options import YEAR
from nhnfin.errors import location
from nhnfin.files import ROOT_OPTIONS
from nhnfin.files import Inputs
from nhnfin.files import WriteRefused
from nhnfin.files import check_beancount_text
from nhnfin.files import format_entry
from nhnfin.files import ledger_inputs
from nhnfin.files import os_error_words
from nhnfin.importers.saft_export import SaftExportError
from nhnfin.importers.saft_export import company_from_entries
from nhnfin.importers.saft_export import export_saft
from nhnfin.importers.saft_export import validate_saft
from nhnfin.ledger import load_entries
from nhnfin.reconcile.bank import bank_accounts

DUPLICATE = "__duplicate__"
DEFAULT_ROOTS = ("Assets", "Liabilities", "Equity", "Income", "Expenses")


def build_importers(accounts: dict[str, str], counter: str | None) -> list[Any]:
    """The importers ``nhnfin import`` tries, in order."""
    # Imported by name: `nhnfin.importers` is installed from the top-level `importers/` folder
    # (setuptools package-dir), which mypy cannot follow; importing late also keeps `--help` fast.
    camt053 = importlib.import_module("nhnfin.importers.camt053")
    invoice_run = importlib.import_module("nhnfin.importers.invoice_run")
    saft = importlib.import_module("nhnfin.importers.saft")
    camt = camt053.Camt053Importer(accounts, counter or camt053.DEFAULT_COUNTER_ACCOUNT)
    return [camt, invoice_run.InvoiceRunImporter(), saft.SaftImporter()]


def extract_files(
    files: Sequence[str], importers: Sequence[Any], existing: list[Any]
) -> list[tuple[str, list[Any]]]:
    """(file, entries) for each file, duplicates of ``existing`` marked ``__duplicate__``.

    Entries of earlier files count as existing for later ones, so overlapping statements in one
    run are imported once.
    """
    known = list(existing)
    result = []
    for path in files:
        importer = next((imp for imp in importers if imp.identify(path)), None)
        if importer is None and path.lower().endswith(".xml"):
            xmlsafe = importlib.import_module("nhnfin.importers.xmlsafe")
            xmlsafe.check(path)  # an unsafe or broken XML file says why
        if importer is None and path.lower().endswith((".csv", ".xlsx")):
            invoice_run = importlib.import_module("nhnfin.importers.invoice_run")
            invoice_run.parse_invoice_run(path)  # an unreadable run says why, at its line
        if importer is None:
            raise click.ClickException(f"{path}: ingen importør kjenner igjen filen")
        entries = list(importer.extract(path, known))
        importer.sort(entries)
        importer.deduplicate(entries, list(known))
        known.extend(e for e in entries if DUPLICATE not in e.meta)
        result.append((path, entries))
    return result


def render(extracted: Sequence[tuple[str, list[Any]]], *, duplicates: bool) -> str:
    """Beancount text of the new entries (duplicates as comments when ``duplicates``)."""
    parts: list[str] = []
    for path, entries in extracted:
        shown = [e for e in entries if duplicates or DUPLICATE not in e.meta]
        if not shown:
            continue  # nothing new from this file: not even its heading
        parts.append(f";; {path}\n\n")
        for entry in entries:
            duplicate = entry.meta.get(DUPLICATE)
            meta = {k: v for k, v in entry.meta.items() if k != DUPLICATE}
            text = format_entry(entry._replace(meta=meta))
            if duplicate is None:
                parts.append(text + "\n")
            elif duplicates:
                parts.append("".join(f"; {line}\n" for line in text.splitlines()) + "\n")
    return "".join(parts)


def account_name_ok(name: str, roots: Sequence[str] = DEFAULT_ROOTS) -> bool:
    """True for an account name Beancount parses, under one of the ledger's ``roots``."""
    return is_valid_account(name) and name.split(":", 1)[0] in roots


def parse_bank_option(item: str, roots: Sequence[str] = ()) -> tuple[str, str]:
    """``IBAN=ACCOUNT`` of ``--bank`` as (IBAN, account).

    Raises:
        click.ClickException: no ``=``, an empty side, or an account name Beancount cannot
            parse (it would be written into the output and break the ledger).
    """
    iban, sep, account = item.partition("=")
    iban, account = iban.strip(), account.strip()
    if not sep or not iban or not account:
        raise click.ClickException(f"--bank {item!r}: skriv IBAN=KONTO")
    if not account_name_ok(account, roots or DEFAULT_ROOTS):
        raise click.ClickException(
            f"--bank {item!r}: {account!r} er ikke et Beancount-kontonavn "
            f"({'/'.join(roots or DEFAULT_ROOTS)}:Komponent, f.eks. Assets:1920-Bank); "
            "skriver ikke Beancount-tekst som ikke kan leses"
        )
    return iban, account


def bank_configuration(
    existing: Sequence[Any], bank: Sequence[str], counter_account: str | None,
    roots: Sequence[str],
) -> tuple[dict[str, str], str | None]:
    """IBAN → account and the counter account: the ledger's directives, then ``--bank`` and
    ``--counter-account`` (names Beancount cannot parse are refused)."""
    accounts, counter = bank_accounts(existing)
    for item in bank:
        iban, account = parse_bank_option(item, roots)
        accounts[iban] = account
    if counter_account is not None and not account_name_ok(counter_account, roots):
        raise click.ClickException(
            f"--counter-account {counter_account!r}: ikke et Beancount-kontonavn "
            "(f.eks. Assets:1590-Unreconciled)"
        )
    return accounts, counter_account or counter


def _warnings(extracted: Sequence[tuple[str, list[Any]]]) -> list[str]:
    return [
        f"{location(e.meta)}: advarsel: {e.comment}"
        for _path, entries in extracted
        for e in entries
        if isinstance(e, data.Note) and "nhnfin-warning" in e.meta and DUPLICATE not in e.meta
    ]


def _load_existing(ledger: str | None) -> tuple[list[Any], Inputs, tuple[str, ...]]:
    """The entries of ``--ledger``, the files it reads and its five root names (Beancount's
    defaults without a ledger)."""
    if ledger is None:
        return [], Inputs(()), DEFAULT_ROOTS
    entries, errors, options = load_entries(ledger)
    if errors:
        click.echo(f"merk: {ledger} har {len(errors)} feil; dubletter fjernes likevel", err=True)
    roots = tuple(str(options[key]) for key in ROOT_OPTIONS)
    return list(entries), ledger_inputs(entries, options, Path(ledger)), roots


@click.command("import", cls=Command)
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option(
    "--ledger",
    type=click.Path(exists=True, dir_okay=False),
    help="Et eksisterende regnskap: poster som alt er bokført der, importeres ikke på nytt.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, allow_dash=True),
    help="Skriv de nye postene til denne filen (avvises om den finnes, se --append); «-» er "
         "standard ut, som uten --output.",
)
@click.option(
    "--append",
    is_flag=True,
    help="Legg til i --output: bare poster som ikke alt står der eller i regnskapet (krever "
         "--ledger; aldri i en fil regnskapet leser).",
)
@click.option(
    "--bank",
    multiple=True,
    metavar="IBAN=KONTO",
    help="Bankkontoen til en kontoutskrifts IBAN (i tillegg til oppsettet i regnskapet).",
)
@click.option("--counter-account", metavar="KONTO",
              help="Mellomkontoen for bankposter som ikke er avstemt.")
@HELP
def import_cmd(
    *,
    files: tuple[str, ...],
    ledger: str | None,
    output: str | None,
    append: bool,
    bank: tuple[str, ...],
    counter_account: str | None,
) -> None:
    """Importer kontoutskrifter (camt.053), fakturakjøringer (CSV/XLSX) og SAF-T-filer."""
    try:
        _run_import(
            files=files,
            ledger=ledger,
            output=output,
            append=append,
            bank=bank,
            counter_account=counter_account,
        )
    except OSError as exc:
        raise click.ClickException(os_error_words(exc)) from None
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None


def refuse_append_without(output: str | None, ledger: str | None, append: bool) -> None:
    """A usage error when ``--append`` lacks a file or the ledger: without ``--ledger`` nhnfin
    cannot know whether ``--output`` is a file the ledger includes."""
    if append and (not output or is_stdout(output)):
        raise click.UsageError("--append krever --output FIL" + (" (ikke -)" if output else ""))
    if append and ledger is None:
        raise click.UsageError(
            "--append krever --ledger REGNSKAP: uten regnskapet kan ikke nhnfin se om "
            "--output er en fil regnskapet leser, og legger ikke til i den")


def _run_import(
    *,
    files: tuple[str, ...],
    ledger: str | None,
    output: str | None,
    append: bool,
    bank: tuple[str, ...],
    counter_account: str | None,
) -> None:
    for path in files:
        problem = not_a_file(path)
        if problem is not None:
            raise click.ClickException(problem)
    refuse_append_without(output, ledger, append)
    if is_stdout(output):  # standard out, as without --output
        output = None
    documents = Inputs(tuple(sorted({Path(p).absolute() for p in files})))
    if output:
        refuse_output(Path(output), documents)
    existing, ledger_files, roots = _load_existing(ledger)
    if output:  # not even --append: a command never writes onto the ledger it reads
        refuse_output(Path(output), ledger_files)
    if output and Path(output).exists() and not append:
        hint = "bruk --append" if ledger else "bruk --append med --ledger REGNSKAP"
        raise click.ClickException(f"{output} finnes allerede; den overskrives ikke ({hint})")
    accounts, counter = bank_configuration(existing, bank, counter_account, roots)
    if output and append and Path(output).exists():
        appended, _errors, _options = parser.parse_file(output)
        existing = existing + list(appended)
    importers = build_importers(accounts, counter)
    extracted = extract_files(files, importers, existing)
    for warning in _warnings(extracted):
        click.echo(warning, err=True)
    text = render(extracted, duplicates=output is None)
    try:
        check_beancount_text(text, output or "<stdout>", roots)
    except WriteRefused as exc:
        raise click.ClickException(str(exc)) from None
    if output is None:
        click.echo(text, nl=False)
        return
    if not text:  # nothing new: the output is not touched, not even by a comment
        click.echo(f"{output}: 0 nye poster skrevet (ingenting nytt: filen er urørt)",
                   err=True)
        return
    write_output(Path(output), text.encode("utf-8"), documents, append=append,
                 exclusive=not append)
    added = sum(DUPLICATE not in e.meta for _p, entries in extracted for e in entries)
    click.echo(f"{output}: {added} nye poster skrevet", err=True)


@click.command("saft", cls=Command)
@click.argument("ledger", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--year", type=YEAR, required=True, help="Kalenderåret som eksporteres."
)
@click.option(
    "--output",
    "-o",
    required=True,
    type=click.Path(dir_okay=False, allow_dash=True),
    help="SAF-T-filen (XML) som skal skrives; «-» er standard ut.",
)
@click.option("--force", is_flag=True, help="Erstatt en fil som finnes fra før.")
@HELP
def saft_cmd(ledger: str, year: int, output: str, force: bool) -> None:
    """Eksporter ett år av LEDGER som SAF-T Financial v1.30 (kontrollert mot XSD-en)."""
    target = output_path(output)
    assert target is not None  # required
    if not is_stdout(target) and target.exists() and not force:
        raise click.ClickException(f"{output} finnes allerede; den overskrives ikke (bruk --force)")
    entries, errors, options = load_entries(ledger)
    inputs = ledger_inputs(entries, options, Path(ledger))
    refuse_output(target, inputs)
    if errors:
        first = errors[0]
        raise click.ClickException(
            f"{ledger} har {len(errors)} feil; rett dem først "
            f"(den første: {location(first.source)}: {first.message.splitlines()[0]})"
        )
    require_year(year, posting_years(entries))
    company, problems = company_from_entries(entries, year, ledger)
    if company is None:
        raise click.ClickException(
            "\n".join(f"{location(p.source)}: {p.message}" for p in problems)
        )
    try:
        document = export_saft(entries, options, year, company)
    except SaftExportError as exc:
        raise click.ClickException(str(exc)) from None
    schema_errors = validate_saft(document)
    if schema_errors:
        raise click.ClickException(f"eksporten er ikke gyldig etter XSD-en: {schema_errors[0]}")
    write_output(target, document, inputs, exclusive=not force)
    if not is_stdout(target):
        click.echo(f"{output}: SAF-T Financial 1.30 for {year} skrevet", err=True)


# ---- beangulp's command line (an ``import.py``), with nhnfin's safety -------------------------


def ingest(importers: Sequence[Any], hooks: Sequence[Any] | None = None) -> click.Group:
    """beangulp's command line for an ``import.py`` (``identify``, ``extract``, ``archive``),
    with ``extract`` made safe as every nhnfin command is: its ``-e`` ledger is loaded without
    Beancount's pickle cache (beangulp's own ``extract`` reads ``.LEDGER.picklecache``, and a
    planted pickle runs its code), and its ``-o`` is refused when it exists, is a file the ledger
    reads or is one of the documents (beangulp's opens it for writing, so emptying it, before
    anything is read), and is written atomically. The output is beangulp's, entry for entry.

    The group and its commands are nhnfin's (:mod:`nhnfin.cli.bokmal`): their help and their
    usage errors are bokmål; ``identify`` and ``archive`` run beangulp's own, whose progress
    lines (``* file ... OK``) and error reports stay beangulp's English."""
    import beangulp

    config = beangulp.Ingest(importers, hooks)

    @click.group("beangulp", cls=Group)
    @click.version_option(package_name="beangulp", message="%(prog)s, versjon %(version)s",
                          help="Vis versjonen og avslutt.")
    @HELP
    @click.pass_context
    def commands(ctx: click.Context) -> None:
        """Importer dokumenter fra banker og andre, og arkiver dem (beangulps kommandolinje,
        med nhnfins vern av filene)."""
        ctx.obj = config

    for command in (_safe_extract, _identify, _archive):
        commands.add_command(command)
    return commands


def _beangulp_command(name: str) -> click.Command:
    """beangulp's own ``identify`` or ``archive`` (nhnfin's run it with the same parameters)."""
    import beangulp

    command: click.Command = getattr(beangulp, f"_{name}")
    return command


@click.command("identify", cls=Command)
@click.argument("src", nargs=-1, type=click.Path(exists=True, resolve_path=True))
@click.option("--failfast", "-x", is_flag=True, help="Stopp ved den første feilen.")
@click.option("--verbose", "-v", is_flag=True, help="Vis kontoen til hvert dokument også.")
@HELP
def _identify(src: tuple[str, ...], failfast: bool, verbose: bool) -> None:
    """Finn dokumentene i SRC (filer eller mapper) som en importør kjenner igjen (beangulps
    identify)."""
    click.get_current_context().invoke(_beangulp_command("identify"), src=src,
                                       failfast=failfast, verbose=verbose)


@click.command("archive", cls=Command)
@click.argument("src", nargs=-1, type=click.Path(exists=True, resolve_path=True))
@click.option("--destination", "-o", metavar="MAPPE",
              type=click.Path(exists=True, file_okay=False, resolve_path=True),
              help="Rotmappen dokumentene arkiveres under.")
@click.option("--overwrite", "-f", is_flag=True,
              help="Skriv over filer med samme navn i arkivet.")
@click.option("--dry-run", "-n", is_flag=True, help="Vis bare hvor filene ville blitt flyttet.")
@click.option("--failfast", "-x", is_flag=True, help="Stopp ved den første feilen.")
@click.option("--quiet", "-q", count=True, help="Skriv ingenting underveis.")
@HELP
def _archive(src: tuple[str, ...], destination: str | None, overwrite: bool, dry_run: bool,
             failfast: bool, quiet: int) -> None:
    """Flytt dokumentene i SRC som en importør kjenner igjen, til en mappe per konto med
    dokumentets dato i navnet (beangulps archive; ingenting flyttes om ett dokument feiler)."""
    click.get_current_context().invoke(_beangulp_command("archive"), src=src,
                                       destination=destination, overwrite=overwrite,
                                       dry_run=dry_run, failfast=failfast, quiet=quiet)


@click.command("extract", cls=Command)
@click.argument("src", nargs=-1, type=click.Path(exists=True, resolve_path=True))
@click.option("--output", "-o", type=click.Path(dir_okay=False, allow_dash=True),
              help="Filen som skal skrives (en ny fil; avvises om den finnes); «-» er standard "
                   "ut. Standard: skjermen.")
@click.option("--existing", "-e", type=click.Path(exists=True, dir_okay=False),
              help="Et eksisterende Beancount-regnskap: poster som alt står der, tas ikke med "
                   "igjen.")
@click.option("--reverse", "-r", is_flag=True,
              help="Godtas som i beangulp; som der, endrer det ingenting.")
@click.option("--failfast", "-x", is_flag=True, help="Stopp ved den første feilen.")
@click.option("--quiet", "-q", count=True, help="Skriv ingenting underveis.")
@HELP
@click.pass_obj
def _safe_extract(ingest: Any, src: tuple[str, ...], output: str | None, existing: str | None,
                  reverse: bool, failfast: bool, quiet: int) -> None:
    """Hent ut transaksjoner fra dokumenter (beangulps extract, med nhnfins vern av filene)."""
    import io

    from beangulp import exceptions
    from beangulp import extract
    from beangulp import identify
    from beangulp import utils

    found = list(utils.walk(src))  # the folders are walked once, for the refusal and the work
    documents = Inputs(tuple(sorted({Path(p).absolute() for p in found})))
    target = output_path(output)
    refuse_output(target, documents)
    entries_before: list[Any] = []
    if existing:
        entries_before, _errors, options = load_entries(existing)
        refuse_output(target, ledger_inputs(entries_before, options, Path(existing)))
    if target is not None and not is_stdout(target) and target.exists():
        raise click.ClickException(f"{output} finnes allerede; den overskrives ikke")
    log = utils.logger(-quiet, err=True)
    errors = exceptions.ExceptionsTrap(log)
    known = list(entries_before)
    extracted = []
    for filename in found:
        log(f"* {filename}", nl=False)
        if os.path.getsize(filename) > identify.FILE_TOO_LARGE_THRESHOLD:
            log(" ... SKIP")
            continue
        with errors:
            importer = identify.identify(ingest.importers, filename)
            if not importer:
                log("")
                continue
            log(" ...", nl=False)
            entries = extract.extract_from_file(importer, filename, known)
            extracted.append((filename, entries, importer.account(filename), importer))
            log(" OK", fg="green")
        if failfast and errors:
            break
    extract.sort_extracted_entries(extracted)
    for _name, entries, _account, importer in extracted:
        importer.deduplicate(entries, known)
        known.extend(entries)
    for hook in ingest.hooks:
        extracted = hook(extracted, known)
    text = io.StringIO()
    extract.print_extracted_entries(extracted, text)
    if target is None or is_stdout(target):
        click.echo(text.getvalue(), nl=False)
    else:
        write_output(target, text.getvalue().encode("utf-8"), documents, exclusive=True)
    if errors:
        raise SystemExit(1)
