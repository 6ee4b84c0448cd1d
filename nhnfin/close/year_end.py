"""Year-end close: the checks before sign-off, the transfer of the result, and the period lock.

Before a year is signed off (regnskapsloven, bokføringsloven) everything below must hold;
:func:`run_checks` returns one :class:`Check` per item and any blocking line stops the close:

1. **bean-check clean**: no loader or plugin error. Plugin warnings (messages starting with
   ``warning:``) are listed but do not block.
2. **tie-outs**: no FAILED tie-out of :func:`nhnfin.report.build_report`; WARNING ones are listed.
3. **findings** (:mod:`nhnfin.findings`): the rules' findings of the year (under-coverage, an
   overspent grant) block unless waived (``--waive findings``): NHN bears those costs, and the
   sign-off says so.
4. **mapping**: every account lands on exactly one statement line (:mod:`nhnfin.mapping`).
5. **reconciliation** (:mod:`nhnfin.reconcile`): the bank, customer and supplier
   sections on 31 December must show no difference.
6. **months** (:func:`months_check`): the months of the year without a single posting of
   the ledger's own (the rules' entries and the year-end transfer aside). Those after the last
   month booked, "Ingen posteringer i mars–desember 2025", block unless waived (``--waive
   months``): a year booked only to February is not finished, and locking it is signed off
   explicitly; those between booked months are listed.
7. **currency** (:func:`currency_check`, :mod:`nhnfin.tieouts`): each balance-sheet account
   holding units of a foreign currency converted at a price is valued at the rate of the
   ledger's ``price`` directive of December (regnskapsloven § 5-9); a currency without one, and
   an account whose NOK differs from its units at the rate (to the øre), block unless waived
   (``--waive currency``), naming the revaluation to book against 8060 (agio) or 8160
   (disagio).
8. **SAF-T** (:func:`saft_check`): the ``nhnfin-company`` directive in force on 31 December
   gives the contact person ``nhnfin saft`` needs; a missing one blocks unless waived
   (``--waive saft``), at the directive's line: the lock holds it, and a closed year could not
   be exported without reopening it. So does whatever else would stop the year's export (the
   command line runs it: an account without a SAF-T grouping code, at its ``open``, which the
   lock holds too). A ledger without a company line is told, not stopped.

Then :func:`plan_close` prepares a new file the user includes: the transfer of the year's
result to other equity (the Accounting Act's appropriation, *disponering*: Dr
``Equity:8960-TransferToOtherEquity`` / Cr ``Equity:2050-OtherEquity`` for a profit, reversed
for a loss), only for the part not booked already, and the ``nhnfin-lock`` directive of
:mod:`nhnfin.close.period_lock`. The accounts can be set in the ledger::

    2019-12-31 custom "nhnfin-year-end" Equity:8960-TransferToOtherEquity Equity:2050-OtherEquity
"""

from __future__ import annotations

import contextlib
import datetime
import os
from collections.abc import Iterable
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from beancount.core import data
from beancount.core.amount import Amount
from beancount.parser import booking
from beancount.parser import parser

from nhnfin import __version__
from nhnfin.close.digest import LockRecord
from nhnfin.close.digest import figure_files
from nhnfin.close.digest import files_digest
from nhnfin.close.digest import is_lock
from nhnfin.close.digest import is_texts_lock
from nhnfin.close.digest import lines_digest
from nhnfin.close.digest import lock_records
from nhnfin.close.digest import locked_options
from nhnfin.close.digest import options_digest
from nhnfin.close.digest import sidecar_text
from nhnfin.close.digest import texts_digest
from nhnfin.close.digest import texts_record_text
from nhnfin.close.digest import total_digest
from nhnfin.close.figures import report_figures
from nhnfin.close.period_lock import locked_texts
from nhnfin.close.period_lock import sidecar_path
from nhnfin.close.texts import report_texts
from nhnfin.config import custom_directives
from nhnfin.errors import location
from nhnfin.files import beancount_string
from nhnfin.files import format_entry
from nhnfin.findings import collect_findings
from nhnfin.findings import is_finding
from nhnfin.ledger import Ledger
from nhnfin.ledger import from_entries
from nhnfin.lock_guard import COMPANY
from nhnfin.lock_guard import LOCK_DIRECTIVE
from nhnfin.lock_guard import TEXTS_DIRECTIVE
from nhnfin.lock_guard import company_of
from nhnfin.lock_guard import lock_check_problem
from nhnfin.lock_guard import missing_contact
from nhnfin.mapping import mapping_errors
from nhnfin.model import Finding
from nhnfin.model import Report
from nhnfin.model import Status
from nhnfin.model import norwegian_date
from nhnfin.model import norwegian_list
from nhnfin.money import norwegian
from nhnfin.provenance import GENERATED_TAG
from nhnfin.report import build_report
from nhnfin.report import layout_for
from nhnfin.tieouts import REVALUATION_PREFIX
from nhnfin.tieouts import SETTLED
from nhnfin.tieouts import Holding
from nhnfin.tieouts import Revaluation
from nhnfin.tieouts import gain_and_loss_accounts
from nhnfin.tieouts import price_number
from nhnfin.tieouts import rate_text
from nhnfin.tieouts import rate_words
from nhnfin.tieouts import revaluations
from nhnfin.tieouts import text_line

YEAR_END_DIRECTIVE = "nhnfin-year-end"
DEFAULT_ACCOUNTS = ("Equity:8960-TransferToOtherEquity", "Equity:2050-OtherEquity")
YEAR_END_TAG = "year-end"
CURRENCY = "NOK"


class CloseError(Exception):
    """The close cannot be prepared (the message says why and where)."""


@dataclass(frozen=True)
class Check:
    """One pre-close check: lines that block the close, and lines listed for information."""

    name: str
    blocking: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    counts: tuple[int, int] | None = None
    """How many things the blocking and the listed lines name, when a line names several (the
    months check: "mars–desember 2025" is ten months); None: one a line."""

    @property
    def passed(self) -> bool:
        """True when nothing blocks."""
        return not self.blocking


@dataclass(frozen=True)
class ClosePlan:
    """What ``nhnfin close`` writes: the close file's text and the lock's sidecar."""

    lock_date: datetime.date
    transfer: Decimal
    already_booked: Decimal
    entries_locked: int
    digest: str
    close_text: str
    sidecar_text: str
    sidecar_name: str


def one_line(error: Any) -> str:
    """``file:line: message`` of a Beancount or nhnfin error."""
    source = getattr(error, "source", None)
    return f"{location(source)}: {error.message}" if source else str(error.message)


def bean_check(ledger: Ledger, mapping_messages: Sequence[str] = ()) -> Check:
    """Ledger errors block; ``warning:`` messages and mapping errors (own check) do not."""
    seen = set(mapping_messages)
    errors = [e for e in ledger.errors if e.message not in seen]
    warnings = tuple(one_line(e) for e in errors if str(e.message).startswith("warning:"))
    blocking = tuple(one_line(e) for e in errors if not str(e.message).startswith("warning:"))
    return Check("bean-check", blocking, warnings)


def tieout_check(report: Report) -> Check:
    """FAILED tie-outs block; WARNING ones are listed."""
    failed = tuple(text_line(t) for t in report.tieouts if t.status == Status.FAILED)
    warned = tuple(text_line(t) for t in report.tieouts
                   if t.status == Status.WARNING and not is_finding(t)  # own check
                   and not t.check_id.startswith(REVALUATION_PREFIX))  # the currency check
    return Check("tie-outs", failed, warned)


def findings_check(findings: Sequence[Finding]) -> Check:
    """The rules' findings (under-coverage, an overspent grant): legitimate states of the books,
    but each is signed off explicitly, so they block unless waived. They are the findings of the
    year as it is closed, finished (:func:`~nhnfin.findings.collect_findings`): a report of a
    year not booked to its end says a cost not covered so far may still be covered
    (:func:`~nhnfin.findings.so_far`), which the closed year's report no longer says, so
    neither does the line signed off in the lock."""
    return Check("findings", tuple(f"{f.location}: {f.message}" for f in findings))


def mapping_check(errors: Sequence[Any]) -> Check:
    """Every account on exactly one statement line (``errors`` from :func:`mapping_errors`)."""
    return Check("mapping", tuple(one_line(e) for e in errors))


def reconciliation_check(ledger: Ledger, year: int) -> Check:
    """:func:`nhnfin.reconcile.run.reconcile` on 31 December: a section with a difference blocks,
    an empty one is listed. Its tie-out section is left out (the tie-out check covers it)."""
    from nhnfin.reconcile.model import BankResult
    from nhnfin.reconcile.model import open_items
    from nhnfin.reconcile.run import reconcile as run  # a job of its own, loaded when closing

    result = run(ledger, year, datetime.date(year, 12, 31))
    blocking: list[str] = []
    notes: list[str] = []
    for name in ("bank", "customers", "suppliers"):
        section = getattr(result, name, None)
        outcome = str(getattr(section, "outcome", "")) if section is not None else ""
        label = SECTION_LABELS[name]
        if outcome == "avvik":
            difference = getattr(section, "difference", None)
            shown = norwegian(difference) if isinstance(difference, Decimal) else "?"
            items = open_items(section) if isinstance(section, BankResult) else ""
            blocking.append(f"{label}: differanse {shown}" + (f"; {items}" if items else "")
                            + " (se nhnfin reconcile)")
        elif outcome == "empty":
            notes.append(f"{label}: ingenting å avstemme")
    return Check("reconciliation", tuple(blocking), tuple(notes))


MONTHS = ("januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september",
          "oktober", "november", "desember")


def month_ranges(months: Sequence[int]) -> str:
    """Months (1-12, ascending) in bokmål, runs of two or more joined by a dash: ``mars–desember``,
    ``februar, april–mai og desember``."""
    runs: list[list[int]] = []
    for month in months:
        if runs and runs[-1][-1] == month - 1:
            runs[-1].append(month)
        else:
            runs.append([month])
    words = [MONTHS[r[0] - 1] if len(r) == 1 else f"{MONTHS[r[0] - 1]}–{MONTHS[r[-1] - 1]}"
             for r in runs]
    return norwegian_list(words)


def own_posting(entry: Any, transfer: frozenset[str]) -> bool:
    """A transaction the ledger's keepers booked: not a rule's (``#nhnfin-generated``), not
    Beancount's padding, not the year-end transfer (postings only to the ``transfer``
    accounts), which the close itself writes."""
    return (isinstance(entry, data.Transaction) and GENERATED_TAG not in (entry.tags or ())
            and entry.flag != "P"
            and not all(p.account in transfer for p in entry.postings))


def empty_months(entries: Sequence[Any], year: int) -> tuple[int, ...]:
    """The months of ``year`` without a posting of the ledger's own (:func:`own_posting`),
    from the month its books begin (the first such posting, in any year)."""
    transfer = frozenset(year_end_accounts(entries, year))
    dates = [e.date for e in entries if own_posting(e, transfer)]
    if not dates:
        return ()
    begins = min(dates)
    first = 1 if begins.year < year else begins.month if begins.year == year else 13
    booked = {d.month for d in dates if d.year == year}
    return tuple(m for m in range(first, 13) if m not in booked)


def months_check(ledger: Ledger, year: int) -> Check:
    """The months of the year with no posting at all: those after the last month booked (a
    year not booked to its end) block, waivable, "Ingen posteringer i mars–desember 2025";
    those between booked months are listed."""
    return months_said(empty_months(ledger.entries, year), year)


def months_said(months: Sequence[int], year: int) -> Check:
    """The months check of ``year`` whose ``months`` (1-12, ascending) have no posting: those
    after the last month booked block, those between are listed, each run named
    (:func:`month_ranges`) and counted in months."""
    after = tuple(m for m in months if m > max(set(range(1, 13)) - set(months), default=0))
    between = tuple(m for m in months if m not in after)

    def said(chosen: tuple[int, ...]) -> tuple[str, ...]:
        return (f"Ingen posteringer i {month_ranges(chosen)} {year}",) if chosen else ()

    return Check("months", said(after), said(between), (len(after), len(between)))


def currency_check(ledger: Ledger, year: int) -> Check:
    """Foreign units on a balance-sheet account valued at the rate of 31 December
    (regnskapsloven § 5-9, :mod:`nhnfin.tieouts`): a currency held without a rate of December,
    and an account whose NOK differs from its units at the rate, block, waivable, naming the
    transaction that revalues it; an account at the rate is listed."""
    day = datetime.date(year, 12, 31)
    found = revaluations(ledger.entries, day)
    gain, loss = gain_and_loss_accounts(ledger.entries)
    blocking: list[str] = []
    notes: list[str] = []
    unrated: dict[str, list[Holding]] = {}
    for item in found:
        for holding in item.holdings:
            if holding.at_rate is None:
                unrated.setdefault(holding.currency, []).append(holding)
    for currency, holdings in unrated.items():
        holders = norwegian_list([f"{r.account} ({norwegian(h.units)} {currency})"
                                  for r in found for h in r.holdings if h in holdings])
        conflict = holdings[0].conflict
        if conflict is not None:
            forward, backward = conflict
            blocking.append(
                f"to kurser for {currency} pr. {norwegian_date(day)} som ikke stemmer med "
                f"hverandre: {rate_text(price_number(forward))} NOK pr. {currency} "
                f"({location(forward.meta)}) og {rate_text(price_number(backward))} {currency} "
                f"pr. NOK ({location(backward.meta)}), som ikke er den omvendte kursen; behold "
                f"én av dem, for {holders}")
            continue
        older = holdings[0].older
        last = (f"; siste kurs er fra {norwegian_date(older.date)} ({location(older.meta)})"
                if older is not None else "")
        blocking.append(
            f"ingen kurs for {currency} pr. {norwegian_date(day)}: legg til en price-direktiv "
            f"({day} price {currency} <kurs> NOK) for {holders}{last}")
    for item in found:
        difference = item.difference
        if difference is None:
            continue
        held = norwegian_list([f"{norwegian(h.units)} {h.currency}" for h in item.holdings])
        cost = (f" (med {norwegian(item.at_cost)} NOK til kost)" if item.at_cost else "")
        text = f"{item.account}: {held} er bokført til {norwegian(item.booked)} NOK{cost}"
        if not difference:
            notes.append(f"{text}, som til kursen {norwegian_date(day)} ({rates_text(item)})")
            continue
        amount = norwegian(abs(difference))
        booking_text = (f"Dr {item.account} / Cr {gain} {amount} NOK (agio)" if difference < 0
                        else f"Dr {loss} / Cr {item.account} {amount} NOK (disagio)")
        blocking.append(
            f"{text}, men er {norwegian(item.booked - difference)} NOK til kursen "
            f"{norwegian_date(day)} ({rates_text(item)}); differanse {norwegian(difference)}: "
            f"bokfør {booking_text} datert {norwegian_date(day)}")
    return Check("currency", tuple(blocking), tuple(notes))


def saft_check(ledger: Ledger, year: int, export_problems: Sequence[str] = ()) -> Check:
    """The company details ``nhnfin saft --year`` needs of the year (:func:`~nhnfin.lock_guard.
    company_of`: the ``nhnfin-company`` directive in force on 31 December, with a contact
    person, :func:`~nhnfin.lock_guard.missing_contact`): a missing one blocks, waivable, at the
    directive's file:line, since the lock holds the line and a closed year could not be
    exported without reopening it. So does each of ``export_problems``, what else would stop
    the year's export (``file:line: why``, an account without a SAF-T grouping code at its
    ``open``): the command line runs the export's own checks (:mod:`nhnfin.importers` sits
    above the jobs) and hands them in. A malformed directive is an error of every load (the
    bean-check check's). A ledger that declares no company does not export SAF-T through
    nhnfin (``nhnfin init`` writes the line): listed, not blocking."""
    entry = company_of(ledger.entries, year)
    words = f"nhnfin saft --year {year}"
    if entry is None:
        where = f"{ledger.path}: " if ledger.path is not None else ""
        return Check("saft", (), (
            f'{where}ingen custom "{COMPANY}" datert {year}-12-31 eller tidligere; {words} '
            "trenger foretakets navn, organisasjonsnummer og en kontaktperson",))
    problems = (*(f"{location(entry.meta)}: {problem}" for problem in missing_contact(entry)),
                *export_problems)
    return Check("saft", tuple(f"{problem}; {words} kan ikke eksportere året når det er låst "
                               "uten" for problem in problems))


def rates_text(item: Revaluation) -> str:
    """``11,7500 NOK pr. EUR, regnskap.beancount:9``: the rate of each currency of the account
    and its ``price`` directive (:func:`~nhnfin.tieouts.rate_words`)."""
    if item.settled:
        return SETTLED
    return "; ".join(filter(None, (rate_words(h) for h in item.holdings)))


WAIVABLE = ("reconciliation", "findings", "months", "currency", "saft")
WAIVED = "fraveket: "  # the prefix of a waived check's lines
SECTION_LABELS = {"bank": "bank", "customers": "kunder", "suppliers": "leverandører"}
# what each check is called in the close's output (the names stay the ids --waive takes)
CHECK_LABELS = {"bean-check": "bean-check", "tie-outs": "avstemminger",
                "mapping": "linjeoppsett", "reconciliation": "bank og reskontro",
                "findings": "funn", "months": "måneder uten posteringer",
                "currency": "valuta til kursen 31.12",
                "saft": "SAF-T-opplysninger om foretaket",
                "locks": "tidligere låser"}


def check_label(name: str, blocking: bool = True) -> str:
    """A check as a reader sees it: its Norwegian label, and for a blocking check that may be
    waived the option that waives it (``bank og reskontro [--waive reconciliation]``)."""
    label = CHECK_LABELS.get(name, name)
    return f"{label} [--waive {name}]" if blocking and name in WAIVABLE else label


def waive(check: Check) -> Check:
    """The check with its blocking lines listed as waived (recorded in the lock's meta)."""
    lines = tuple(f"{WAIVED}{line}" for line in check.blocking)
    counts = None if check.counts is None else (0, sum(check.counts))
    return Check(check.name, (), lines + check.notes, counts)


def run_checks(ledger: Ledger, report: Report,
               saft_problems: Sequence[str] = ()) -> tuple[Check, ...]:
    """All pre-close checks, in the order they are shown; ``saft_problems``: what would stop
    the year's SAF-T export besides the company line (:func:`saft_check`)."""
    unmapped = mapping_errors(layout_for(ledger), ledger.entries)
    return (
        bean_check(ledger, [e.message for e in unmapped]),
        tieout_check(report),
        findings_check(collect_findings(ledger, report.year)),
        mapping_check(unmapped),
        reconciliation_check(ledger, report.year),
        months_check(ledger, report.year),
        currency_check(ledger, report.year),
        saft_check(ledger, report.year, saft_problems),
    )


def year_end_accounts(entries: Sequence[Any], year: int) -> tuple[str, str]:
    """(transfer account, other-equity account): the last ``nhnfin-year-end`` dated in or
    before ``year``, or the defaults.

    Raises:
        CloseError: the directive does not name two accounts (message with its file:line).
    """
    found = [
        e for e in entries
        if isinstance(e, data.Custom) and e.type == YEAR_END_DIRECTIVE and e.date.year <= year
    ]
    if not found:
        return DEFAULT_ACCOUNTS
    directive = found[-1]
    values = [v.value for v in directive.values]
    if len(values) != 2 or not all(isinstance(v, str) and ":" in v for v in values):
        raise CloseError(
            f'{location(directive.meta)}: custom "{YEAR_END_DIRECTIVE}" tar to kontoer: '
            "overføringskontoen (8960) og kontoen for annen egenkapital (2050)"
        )
    return str(values[0]), str(values[1])


def unopened_accounts(entries: Sequence[Any], accounts: tuple[str, str],
                      day: datetime.date) -> None:
    """Refuse a transfer to an account the ledger has not opened by ``day``: the close file
    would make the ledger fail bean-check once it is included.

    Raises:
        CloseError: the accounts not opened, and how to open or name them.
    """
    opened = {e.account for e in entries if isinstance(e, data.Open) and e.date <= day}
    missing = [a for a in accounts if a not in opened]
    if missing:
        raise CloseError(
            f"årsoverføringen kan ikke bokføres: {' og '.join(missing)} er ikke åpnet i regnskapet "
            f"innen {norwegian_date(day)}; åpne {'den' if len(missing) == 1 else 'dem'} "
            f'(open), eller oppgi kontoene med custom "{YEAR_END_DIRECTIVE}"')


def amount_to_transfer(report: Report) -> tuple[Decimal, Decimal]:
    """(result not yet transferred, transfers already booked) for the report's year.

    Raises:
        CloseError: the layout has no ``net_result_for_the_year``/``total_transfers`` lines.
    """
    year = str(report.year)
    income = report.statement("income_statement")
    try:
        result = income.row("net_result_for_the_year").amounts[year]
        # a transfer to equity is negative (as printed); the result it allocates is positive
        booked = -income.row("total_transfers").amounts[year]
    except KeyError as exc:
        raise CloseError(
            f"resultatregnskapet i linjeoppsettet har ingen linje {exc}: årsresultatet som skal "
            "overføres til egenkapitalen, kan ikke beregnes"
        ) from exc
    return result - booked, booked


def transfer_text(
    year: int, amount: Decimal, accounts: tuple[str, str], payee: str, partial: bool
) -> str:
    """The transfer transaction: +amount to the transfer account, −amount to other equity."""
    what = "resterende årsresultat" if partial else "årsresultat"
    entry = data.Transaction(
        data.new_metadata("<close>", 0, {"nhnfin-close": str(year)}),
        datetime.date(year, 12, 31), "*", payee,
        f"Årsoppgjør {year}: {what} overført til annen egenkapital",
        frozenset({YEAR_END_TAG}), frozenset(),
        [
            data.Posting(accounts[0], Amount(amount, CURRENCY), None, None, None, None),
            data.Posting(accounts[1], Amount(-amount, CURRENCY), None, None, None, None),
        ],
    )
    return format_entry(entry)


def booked_entries(text: str, filename: Path, options_map: dict[str, Any]) -> list[Any]:
    """``text`` parsed and booked as the loader will when the file is included."""
    entries, errors, _ = parser.parse_string(text, report_filename=str(filename))
    booked, book_errors = booking.book(entries, options_map)
    if errors or book_errors:
        raise CloseError("årsavslutningsfilen som skulle skrives, kan ikke leses: "
                         f"{errors or book_errors}")
    return list(booked)


@dataclass(frozen=True)
class LockDigests:
    """What a lock directive records: the entries' digest and count, the files' and figures'
    digests, and the lock it follows in a chain (date and digest)."""

    digest: str
    count: int
    files: str
    figures: str
    after: data.Custom | None = None
    texts: str = ""
    title: str = ""
    options: str = ""  # the digest of the options the figures are computed under


def lock_text(
    lock_date: datetime.date, digests: LockDigests, sidecar: str, locked_by: str,
    locked_on: datetime.date, waived: Sequence[str] = (),
) -> str:
    """The ``nhnfin-lock`` directive (``waived:`` lists what was signed off despite a check)."""
    waivers = "".join(f"  waived-{i}: {beancount_string(w, 'unntaket')}\n"
                      for i, w in enumerate(waived, 1))
    chain = ""
    if digests.after is not None:
        chain = (f"  after: {digests.after.date}\n"
                 f'  after-digest: "{digests.after.values[0].value}"\n')
    return (
        f'{lock_date} custom "{LOCK_DIRECTIVE}" "{digests.digest}"\n'
        f"  entries: {digests.count}\n"
        f'  files: "{digests.files}"\n'
        f'  figures: "{digests.figures}"\n'
        f'  texts: "{digests.texts}"\n'
        f"  title: {beancount_string(digests.title, 'title')}\n"
        + (f'  options: "{digests.options}"\n' if digests.options else "")
        + f"{chain}"
        f"  digests: {beancount_string(sidecar, 'digests')}\n"
        f"  locked-by: {beancount_string(locked_by, 'locked-by')}\n"
        f"  locked-on: {locked_on}\n"
        f'  nhnfin-version: "{__version__}"\n'
        f"{waivers}"
    )


def relative_paths(text: str, filenames: Iterable[str], base: Path) -> str:
    """``text`` with each absolute path of ``filenames`` (the ledger's files, as Beancount names
    them) written relative to ``base``, as the lock's records name files
    (:func:`nhnfin.close.digest.where`): a lock must not depend on where the books are checked
    out. The longest names first, so a name is never replaced inside a longer one."""
    for name in sorted({f for f in filenames if os.path.isabs(f)}, key=len, reverse=True):
        with contextlib.suppress(ValueError):  # another drive (Windows)
            text = text.replace(name, os.path.relpath(name, base))
    return text


def ledger_files(ledger: Ledger) -> set[str]:
    """The files the ledger's entries were read from, and its main file."""
    names = {str(e.meta["filename"]) for e in ledger.entries if "filename" in (e.meta or {})}
    return names | ({str(ledger.path)} if ledger.path is not None else set())


def already_locked(entries: Sequence[Any], year: int) -> str | None:
    """Why ``year`` cannot be closed because a lock covers it already: the first lock dated
    31 December ``year`` or later, at its file:line, with its lock record; or None."""
    lock_date = datetime.date(year, 12, 31)
    existing = [e for e in entries if is_lock(e) and e.date >= lock_date]
    if not existing:
        return None
    lock = min(existing, key=lambda e: e.date)
    return (
        f"{location(lock.meta)}: regnskapet er allerede låst til og med {lock.date} "
        f"(låseposten {sidecar_path(lock)}); et låst år kan ikke avsluttes på nytt"
    )


def plan_close(
    ledger: Ledger, report: Report, output: Path, locked_by: str, locked_on: datetime.date,
    waived: Sequence[str] = (),
) -> ClosePlan:
    """The close file and sidecar for ``report.year``, to be written beside ``output``.

    Raises:
        CloseError: the period is already locked, or the transfer cannot be prepared.
    """
    year = report.year
    lock_date = datetime.date(year, 12, 31)
    locked = already_locked(ledger.entries, year)
    if locked is not None:
        raise CloseError(locked)
    unchecked = lock_check_problem(ledger.options_map)
    if unchecked is not None:
        raise CloseError(f"{ledger.path}: låsen ville ikke bli kontrollert: {unchecked}")
    earlier = sorted((e for e in ledger.entries if is_lock(e)), key=lambda e: e.date)
    previous = earlier[-1] if earlier else None
    accounts = year_end_accounts(ledger.entries, year)
    transfer, booked = amount_to_transfer(report)
    payee = str(ledger.options_map.get("title") or "")
    header = (
        f"; Årsavslutning {year}, skrevet av nhnfin close {__version__} "
        "(docs/year-end-close.md).\n"
        "; Ta med denne filen i regnskapet (include) og ikke endre den: låsen beskytter hver\n"
        f"; post datert til og med {norwegian_date(lock_date)}. Rettelser føres i en senere "
        "periode.\n\n"
    )
    body = header
    if transfer:
        unopened_accounts(ledger.entries, accounts, lock_date)
        body += transfer_text(year, transfer, accounts, payee, partial=bool(booked)) + "\n"
    written = booked_entries(body, output, ledger.options_map)
    base = output.parent
    entries = sorted([*ledger.entries, *written], key=data.entry_sortkey)
    if written:  # the figures as they will be once the close file is included
        closed = from_entries(entries, ledger.errors, ledger.options_map, ledger.path)
        report = build_report(closed, year)
    after = previous.date if previous is not None else None
    records: list[LockRecord] = lock_records(entries, lock_date, base, after)
    files = figure_files(entries, lock_date, base)
    figures = report_figures(report)
    texts = report_texts(report)
    options = locked_options(ledger.options_map)
    digests = LockDigests(total_digest(r.sha256 for r in records), len(records),
                          files_digest(files), lines_digest(figures), previous,
                          texts_digest(texts), report.entity, options_digest(options))
    sidecar = f"locks/{lock_date}.json"
    files_read = ledger_files(ledger)
    waived = [relative_paths(line, files_read, base) for line in waived]
    body += lock_text(lock_date, digests, sidecar, locked_by, locked_on, waived)
    plugins = [(str(n), None if c is None else str(c))
               for n, c in ledger.options_map.get("plugin", [])]
    return ClosePlan(
        lock_date, transfer, booked, len(records), digests.digest, body,
        sidecar_text(lock_date, records, files, figures, plugins, texts, options), sidecar,
    )


@dataclass(frozen=True)
class TextsPlan:
    """What ``nhnfin close --add-texts`` writes: the file with the ``nhnfin-lock-texts``
    directive and its record of the texts."""

    lock: data.Custom
    count: int
    digest: str
    close_text: str
    record_text: str
    record_name: str


def plan_add_texts(
    ledger: Ledger, report: Report, locked_by: str, locked_on: datetime.date,
) -> TextsPlan:
    """The texts of ``report.year``'s lock, for a lock written without them: a new file with a
    ``custom "nhnfin-lock-texts"`` directive (the texts' digest, the lock's digest) and its
    record. Only the texts are locked; the lock, its record and the figures stay as they are.
    The caller has checked that the lock holds.

    Raises:
        CloseError: the year has no lock, or its texts are locked already.
    """
    year = report.year
    lock_date = datetime.date(year, 12, 31)
    customs = custom_directives(ledger.entries)
    lock = next((e for e in customs if is_lock(e) and e.date == lock_date), None)
    if lock is None:
        raise CloseError(f"{ledger.path}: {year} er ikke låst (ingen custom \"{LOCK_DIRECTIVE}\" "
                         f"datert {lock_date}); lukk året med nhnfin close")
    if locked_texts(lock, [e for e in customs if is_texts_lock(e)]) is not None:
        raise CloseError(f"{location(lock.meta)}: tekstene til låsen til og med {lock_date} er "
                         "låst allerede")
    texts = report_texts(report)
    digest = texts_digest(texts)
    record = f"locks/{lock_date}-texts.json"
    header = (
        f"; Tekstene i årsregnskapet {year}, låst av nhnfin close --add-texts {__version__} "
        "(docs/year-end-close.md).\n"
        f"; Låsen i årsavslutningen for {year} ble skrevet før nhnfin låste rapportens tekster;\n"
        "; dette direktivet låser dem også. Ta med filen i regnskapet (include) og ikke endre "
        "den.\n\n")
    text = (
        f'{header}{lock_date} custom "{TEXTS_DIRECTIVE}" "{digest}"\n'
        f'  lock: "{lock.values[0].value}"\n'
        f"  title: {beancount_string(report.entity, 'title')}\n"
        f"  digests: {beancount_string(record, 'digests')}\n"
        f"  locked-by: {beancount_string(locked_by, 'locked-by')}\n"
        f"  locked-on: {locked_on}\n"
        f'  nhnfin-version: "{__version__}"\n'
    )
    return TextsPlan(lock, len(texts), digest, text,
                     texts_record_text(lock_date, str(lock.values[0].value), texts), record)
