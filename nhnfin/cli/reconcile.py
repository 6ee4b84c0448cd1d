"""``nhnfin reconcile``: does the ledger agree with the bank, the sub-ledgers and itself?

    nhnfin reconcile LEDGER [--year YYYY] [--statement FILE.xml ...] [--as-of DATE]
                     [--format text|json]

Prints one section per comparison (Bank, Kunder, Leverandører, Avstemminger), each ``OK``,
``AVVIK`` with the difference, or ``IKKE AKTUELT`` when there is nothing to compare, then the
open and unmatched items with their age. Exit code 0 when everything reconciles, 1 when
something does not, 2 for bad input (a missing file, an unreadable statement: one line on
stderr). ``--year`` defaults to the ledger's last year with postings (up to the year of
``--as-of``); ``--as-of`` defaults to 31 December of that year. See docs/reconcile.md and
:mod:`nhnfin.reconcile` for what is compared.
"""

from __future__ import annotations

import dataclasses
import datetime
import json
import sys
from decimal import Decimal
from enum import Enum
from typing import Any

import click

from nhnfin.cli.bokmal import Command
from nhnfin.cli.common import not_a_file
from nhnfin.cli.common import say
from nhnfin.cli.options import DAY
from nhnfin.cli.options import FORMAT_HELP
from nhnfin.cli.options import HELP
from nhnfin.cli.options import YEAR
from nhnfin.files import os_error_words
from nhnfin.ledger import Ledger
from nhnfin.ledger import load
from nhnfin.model import Status
from nhnfin.model import norwegian_date as day
from nhnfin.money import norwegian as nok
from nhnfin.reconcile.bank import read_statements
from nhnfin.reconcile.model import AgedItem
from nhnfin.reconcile.model import BankItem
from nhnfin.reconcile.model import BankResult
from nhnfin.reconcile.model import Outcome
from nhnfin.reconcile.model import Reconciliation
from nhnfin.reconcile.model import SubledgerResult
from nhnfin.reconcile.model import TieOutResult
from nhnfin.reconcile.model import open_items
from nhnfin.reconcile.run import reconcile
from nhnfin.reconcile.run import refused
from nhnfin.report import ReportError
from nhnfin.tieouts import text_line

LABEL = {Outcome.OK: "OK", Outcome.DIFFERENCE: "AVVIK", Outcome.EMPTY: "IKKE AKTUELT"}
SOURCE_WORDS = {True: "hovedbok", False: "kontoutskrift"}
"""Where a statement balance or an item was read: the ledger, or a --statement file."""


class BadInput(click.ClickException):
    """Bad input (missing file, unreadable statement, no such year): exit code 2."""

    exit_code = 2


def _header(title: str, outcome: Outcome, difference: Decimal, note: str = "",
            open_items: str = "") -> str:
    text = f"{title}: {LABEL[outcome]}"
    if outcome == Outcome.DIFFERENCE:
        text += f" (differanse {nok(difference)}" + (f"; {open_items})" if open_items else ")")
    return text + (f" {note}" if note else "")


def _bank_item(item: BankItem) -> str:
    return (f"    {day(item.date)}  {nok(item.amount):>16} {item.currency}  "
            f"{item.age_days} dager  {item.reference or '-'}  {item.text}  "
            f"[{SOURCE_WORDS[item.in_ledger]} {item.source}]")


def render_bank(bank: BankResult) -> list[str]:
    """The Bank section as text lines."""
    lines = [_header("Bank", bank.outcome, bank.difference, open_items=open_items(bank))]
    if not bank.accounts:
        lines.append('  ingen bankkonto konfigurert (custom "nhnfin-bank-account")')
    for account in bank.accounts:
        lines.append(f"  {account.account} ({account.bank_id})")
        if not account.checks and not account.statements:
            lines.append("    ingen importerte kontoutskrifter (ingen saldokontroller "
                         "(balance) i perioden, ingen --statement)")
        for c in account.checks:
            mark = "OK" if not c.difference else f"AVVIK {nok(c.difference)}"
            lines.append(f"    {kind_label(c.kind)} {day(c.date)} {c.statement_id or '-'}: "
                         f"kontoutskrift {nok(c.statement)}, regnskap {nok(c.ledger)} "
                         f"{c.currency}: {mark}  [{SOURCE_WORDS[c.in_ledger]} {c.source}]")
        if account.not_booked:
            lines.append(f"    Ikke bokført ({len(account.not_booked)}):")
            lines += [_bank_item(i) for i in account.not_booked]
        if account.not_on_statement:
            lines.append(f"    Ikke på kontoutskrift ({len(account.not_on_statement)}):")
            lines += [_bank_item(i) for i in account.not_on_statement]
    lines.append(f"  {bank.suspense_account}: saldo {nok(bank.suspense_balance)}"
                 + (f", {len(bank.suspense)} åpne poster:" if bank.suspense else ""))
    lines += [_bank_item(i) for i in bank.suspense]
    return lines


def kind_label(kind: str) -> str:
    """Capitalised balance kind ("Utgående saldo")."""
    return f"{kind.capitalize()} saldo" if kind != "saldo" else "Saldo"


def _aged(item: AgedItem) -> str:
    return (f"    {item.party:<24} {item.reference or '(uten referanse)':<28} {day(item.date)}  "
            f"{nok(item.amount):>16}  {item.age_days} dager")


def render_subledger(title: str, result: SubledgerResult) -> list[str]:
    """A sub-ledger section (Kunder, Leverandører) as text lines."""
    none = "kunde" if title == "Kunder" else "leverandør"
    if not result.subledgers:
        return [_header(title, result.outcome, result.difference),
                f"  ingen {none}reskontro (ingen underkontoer til {result.number})"]
    lines = [_header(title, result.outcome, result.difference)]
    for sub in result.subledgers:
        check = sub.check
        shown = check.missing if check.difference is None else nok(check.difference)
        mark = "OK" if check.status == Status.PASSED else f"AVVIK {shown}"
        ledger = check.missing if check.right is None else nok(check.right)
        lines.append(f"  {check.description}: reskontro {nok(check.left)}, "
                     f"hovedbok {ledger}: {mark}")
        if check.detail:
            lines.append(f"    {check.detail}")
        lines.append(f"  Åpne poster ({len(sub.items)}):" if sub.items else "  Ingen åpne poster")
        lines += [_aged(i) for i in sub.items]
    return lines


def render_tieouts(result: TieOutResult) -> list[str]:
    """The Avstemminger section as text lines: counts, then every failed tie-out and warning."""
    counts = {s: sum(t.status == s for t in result.tieouts) for s in Status}
    errors = f"{len(result.ledger_errors)} feil i regnskapet" if result.ledger_errors else ""
    # errors of the ledger only (a failed balance): no tie-out fails, so no difference to name
    header = (f"Avstemminger: {LABEL[result.outcome]} ({errors})" if errors and not result.failed
              else _header("Avstemminger", result.outcome, result.difference,
                           open_items=errors))
    lines = [header,
             f"  {len(result.tieouts)} kontroller: {counts[Status.PASSED]} OK, "
             f"{counts[Status.FAILED]} AVVIK, {counts[Status.WARNING]} "
             + ("ADVARSEL" if counts[Status.WARNING] == 1 else "ADVARSLER")]
    for t in result.tieouts:
        if t.status != Status.PASSED:
            word = "AVVIK" if t.status == Status.FAILED else "ADVARSEL"
            lines.append(f"  {word} {text_line(t)}")
    lines += [f"  Feil i regnskapet: {error.splitlines()[0]}" for error in result.ledger_errors]
    return lines


def render_text(result: Reconciliation) -> str:
    """The readable summary."""
    lines = [f"Avstemming {result.entity} {result.year} per {day(result.as_of)}", ""]
    for section in (render_bank(result.bank), render_subledger("Kunder", result.customers),
                    render_subledger("Leverandører", result.suppliers),
                    render_tieouts(result.tieouts)):
        lines += [*section, ""]
    lines.append("Resultat: " + ("alt er avstemt" if result.reconciled else "AVVIK"))
    return "\n".join(lines) + "\n"


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
        for name in ("difference", "outcome", "suspense_balance", "reconciled"):
            if hasattr(type(value), name) and isinstance(getattr(type(value), name), property):
                fields[name] = _plain(getattr(value, name))
        return fields
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def render_json(result: Reconciliation) -> str:
    """The result as JSON: exact amounts as strings, dates ISO, each section's outcome."""
    return json.dumps(_plain(result), ensure_ascii=False, indent=2) + "\n"


def _dates(ledger: Ledger, year: int | None, as_of: datetime.date | None
           ) -> tuple[int, datetime.date]:
    """The fiscal year (given, else the ledger's last year up to ``as_of``) and the date."""
    if year is None:
        limit = as_of.year if as_of else datetime.MAXYEAR
        years = [y for y in ledger.years() if y <= limit]
        if not years:
            upto = f" til og med {as_of.year}" if as_of else ""
            raise BadInput(f"regnskapet har ingen posteringer{upto}; angi --year")
        year = years[-1]
    return year, as_of or datetime.date(year, 12, 31)


@click.command("reconcile", cls=Command)
@click.argument("ledger")
@click.option("--year", type=YEAR,
              help="Regnskapsåret for avstemmingene (standard: det siste året til og med "
                   "--as-of).")
@click.option("--statement", "statements", multiple=True, metavar="FILE.xml",
              help="Kontoutskrift (camt.053) som regnskapet sammenlignes med (kan gjentas).")
@click.option("--as-of", "as_of", type=DAY,
              help="Avstemmingsdatoen: alderen på åpne poster regnes til den (standard: "
                   "31. desember i --year).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help=FORMAT_HELP)
@HELP
def reconcile_cmd(ledger: str, year: int | None, statements: tuple[str, ...],
                  as_of: datetime.date | None, fmt: str) -> None:
    """Avstem LEDGER: bank, kunder, leverandører og rapportens avstemminger (kode 1 ved AVVIK)."""
    for path, what in ((ledger, "en regnskapsfil"), *((s, "en fil") for s in statements)):
        problem = not_a_file(path, what=what)
        if problem is not None:
            raise BadInput(problem)
    loaded = load(ledger)
    fiscal_year, date = _dates(loaded, year, as_of)
    problem = refused(loaded, fiscal_year, date)  # before the statements and the report are read
    if problem is not None:
        raise BadInput(problem.splitlines()[0])
    try:
        files = read_statements(statements, loaded.entries)
        result = reconcile(loaded, fiscal_year, date, files)
    except OSError as exc:
        raise BadInput(os_error_words(exc)) from None
    except (ValueError, ReportError) as exc:
        raise BadInput(str(exc).splitlines()[0]) from None
    output = render_json(result) if fmt == "json" else render_text(result)
    say(output, nl=False)
    sys.exit(0 if result.reconciled else 1)
