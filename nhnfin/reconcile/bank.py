"""Bank reconciliation: the ledger's bank accounts against the bank's statements.

For a bank account configured with ``custom "nhnfin-bank-account"`` (docs/importers.md):

- every statement balance is compared with the ledger's balance at the same moment: the
  ``balance`` assertions in the ledger (those ``nhnfin import`` wrote from the statements'
  opening and closing booked balances, and any entered by hand), and the opening/closing
  booked balances of camt.053 files read with the importer (:mod:`nhnfin.importers.camt053`);
- a statement entry of a file whose importer link (``^camt-<bank reference>``) is on no ledger
  transaction is *not booked*;
- a ledger posting to the bank account inside a statement's period (first to last day of the
  statement) that carries neither ``statement:`` nor the link of a file's entry is *not on the
  statement*;
- what is left on the suspense account (``Assets:1590-Unreconciled``) is listed as open items,
  one per importer link (postings without one are one item together).

Every item has its age in days on the reconciliation date. Amounts are exact.
"""

from __future__ import annotations

import dataclasses
import datetime
import importlib
from collections import defaultdict
from collections.abc import Iterable
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from beancount.core import data

from nhnfin.errors import location
from nhnfin.money import ZERO
from nhnfin.reconcile.model import BalanceCheck
from nhnfin.reconcile.model import BankAccount
from nhnfin.reconcile.model import BankItem

SUSPENSE = "Assets:1590-Unreconciled"
ONE_DAY = datetime.timedelta(days=1)
KIND = {"OPBD": "inngående", "CLBD": "utgående"}

BANK_DIRECTIVE = "nhnfin-bank-account"


def bank_accounts(entries: Iterable[Any]) -> tuple[dict[str, str], str | None]:
    """IBAN → account and the counter account from ``nhnfin-bank-account`` directives."""
    accounts: dict[str, str] = {}
    counter: str | None = None
    for entry in entries:
        if isinstance(entry, data.Custom) and entry.type == BANK_DIRECTIVE:
            values = [v.value for v in entry.values or []]
            if len(values) == 2:
                accounts[str(values[0])] = str(values[1])
                counter = entry.meta.get("counter-account") or counter
    return accounts, counter



@dataclass(frozen=True)
class _Span:
    """A statement's account, id, period and the importer links of its entries."""

    account: str
    statement_id: str
    start: datetime.date
    end: datetime.date
    links: frozenset[str]


def read_statements(paths: Sequence[str], entries: Iterable[Any]) -> list[data.Directive]:
    """The entries of camt.053 files, as ``nhnfin import`` would extract them.

    Raises:
        ValueError: a file that is not a readable camt.053 statement of a configured account,
            or one with a balance or entry in another currency than the account (its
            ``<Acct><Ccy>``, or what its ``open`` in ``entries`` allows): the importer's
            ``DocumentError``, naming file, line and element.
    """
    camt053 = importlib.import_module("nhnfin.importers.camt053")
    entries = list(entries)
    accounts, counter = bank_accounts(entries)
    configured = {camt053.normalise_account_id(k): v for k, v in accounts.items()}
    result: list[data.Directive] = []
    for path in paths:
        result.extend(
            camt053.extract_statements(path, configured,
                                       counter or camt053.DEFAULT_COUNTER_ACCOUNT, entries)
        )
    return result


def units(posting: data.Posting) -> tuple[Decimal, str] | None:
    """The number and currency of a posting (None for an incomplete one)."""
    amount = posting.units
    if amount is None or amount.number is None:
        return None
    return amount.number, amount.currency


def balance_at(entries: Iterable[Any], account: str, currency: str, day: datetime.date) -> Decimal:
    """The balance of ``account`` in ``currency`` at the end of ``day``."""
    total = ZERO
    for entry in entries:
        if isinstance(entry, data.Transaction) and entry.date <= day:
            for posting in entry.postings:
                number = units(posting) if posting.account == account else None
                if number is not None and number[1] == currency:
                    total += number[0]
    return total


def _camt_links(entry: Any) -> frozenset[str]:
    return frozenset(link for link in getattr(entry, "links", ()) if link.startswith("camt-"))


def _spans(directives: Iterable[Any], account: str) -> dict[str, _Span]:
    """Statement periods on ``account`` from directives carrying ``statement:`` meta."""
    dates: dict[str, list[datetime.date]] = defaultdict(list)
    links: dict[str, set[str]] = defaultdict(set)
    for entry in directives:
        statement_id = (entry.meta or {}).get("statement")
        if statement_id is None:
            continue
        if isinstance(entry, data.Balance) and entry.account == account:
            closing = entry.meta.get("balance-type") == "CLBD"
            dates[statement_id].append(entry.date - ONE_DAY if closing else entry.date)
        elif isinstance(entry, data.Transaction) and any(p.account == account
                                                         for p in entry.postings):
            dates[statement_id].append(entry.date)
            links[statement_id].update(_camt_links(entry))
    return {sid: _Span(account, sid, min(d), max(d), frozenset(links[sid]))
            for sid, d in dates.items()}


def _check(ledger_entries: list[Any], balance: data.Balance, *, in_file: bool
           ) -> BalanceCheck:
    """The check of one ``balance`` directive (an importer's OPBD/CLBD or a manual one)."""
    kind = KIND.get(str(balance.meta.get("balance-type", "")), "saldo")
    return BalanceCheck(
        account=balance.account, kind=kind,
        date=balance.date - ONE_DAY if kind == KIND["CLBD"] else balance.date,
        statement_id=str(balance.meta.get("statement", "")),
        source=location(balance.meta), in_ledger=not in_file,
        statement=balance.amount.number or ZERO, currency=balance.amount.currency,
        ledger=balance_at(ledger_entries, balance.account, balance.amount.currency,
                          balance.date - ONE_DAY))


def _item(entry: data.Transaction, posting: data.Posting, as_of: datetime.date, *,
          in_ledger: bool) -> BankItem:
    refs = sorted(_camt_links(entry)) or sorted(entry.links)
    number, currency = units(posting) or (ZERO, "")
    return BankItem(
        account=posting.account, date=entry.date, amount=number, currency=currency,
        reference=refs[0] if refs else "",
        text=" ".join(t for t in (entry.payee, entry.narration) if t),
        source=location(entry.meta), age_days=(as_of - entry.date).days, in_ledger=in_ledger)


def _order(check: BalanceCheck) -> tuple[datetime.date, bool, bool, str]:
    return check.date, check.kind == KIND["CLBD"], check.in_ledger, check.source


def balance_checks(ledger_in_window: list[Any], ledger_entries: list[Any],
                   file_entries: list[Any], account: str) -> list[BalanceCheck]:
    """Every ``balance`` of ``account`` in the ledger's window, then those of the files that
    the ledger does not already assert, in date order."""
    checks = [_check(ledger_entries, b, in_file=False) for b in ledger_in_window
              if isinstance(b, data.Balance) and b.account == account]
    asserted = {(c.date, c.kind, c.statement, c.currency) for c in checks}
    for entry in file_entries:
        if isinstance(entry, data.Balance) and entry.account == account:
            check = _check(ledger_entries, entry, in_file=True)
            if (check.date, check.kind, check.statement, check.currency) not in asserted:
                checks.append(check)
    return sorted(checks, key=_order)


def not_booked(ledger_entries: list[Any], file_entries: list[Any], account: str,
               as_of: datetime.date) -> list[BankItem]:
    """Statement entries of the files whose importer link is on no ledger transaction."""
    booked = {link for e in ledger_entries for link in _camt_links(e)}
    return [_item(e, p, as_of, in_ledger=False) for e in file_entries
            if isinstance(e, data.Transaction) and not _camt_links(e) & booked
            for p in e.postings if p.account == account]


def not_on_statement(ledger_entries: list[Any], spans: Iterable[_Span], account: str,
                     as_of: datetime.date) -> list[BankItem]:
    """Ledger postings to ``account`` inside a statement period that are on no statement.

    A transaction is on a statement when it carries ``statement:`` (the importer wrote it) or
    the importer link of an entry of a statement file.
    """
    spans = list(spans)
    links = {link for span in spans for link in span.links}
    return [_item(e, p, as_of, in_ledger=True) for e in ledger_entries
            if isinstance(e, data.Transaction) and "statement" not in e.meta
            and any(s.start <= e.date <= s.end for s in spans) and not _camt_links(e) & links
            for p in e.postings if p.account == account]


def bank_account(ledger_entries: list[Any], file_entries: list[Any], account: str,
                 bank_id: str, window: tuple[datetime.date, datetime.date],
                 as_of: datetime.date) -> BankAccount:
    """Balances, unbooked statement entries and unmatched ledger postings of one bank account.

    ``window`` (inclusive) limits what is taken from the ledger's own imported statements and
    balance assertions; statements from files are always compared in full.
    """
    start, end = window
    last = end + ONE_DAY if end < datetime.date.max else end  # a CLBD on `end`
    in_window = [e for e in ledger_entries if start <= e.date <= last]
    spans = {sid: s for sid, s in _spans(in_window, account).items() if s.end <= end}
    spans_in_files = _spans(file_entries, account)
    return BankAccount(
        account, bank_id, tuple(sorted({*spans, *spans_in_files})),
        tuple(balance_checks(in_window, ledger_entries, file_entries, account)),
        tuple(not_booked(ledger_entries, file_entries, account, as_of)),
        tuple(not_on_statement(ledger_entries, [*spans.values(), *spans_in_files.values()],
                               account, as_of)))


def suspense_items(entries: Iterable[Any], account: str, as_of: datetime.date) -> list[BankItem]:
    """Open items on the suspense account on ``as_of``: postings grouped by importer link, in
    date order (an item's date is its first posting's)."""
    groups: dict[str, list[BankItem]] = defaultdict(list)
    for entry in entries:
        if isinstance(entry, data.Transaction) and entry.date <= as_of:
            for posting in entry.postings:
                if posting.account == account and units(posting) is not None:
                    item = _item(entry, posting, as_of, in_ledger=True)
                    groups[item.reference if item.reference.startswith("camt-") else ""].append(
                        item)
    result = []
    for reference, items in sorted(groups.items()):
        total = sum((i.amount for i in items), ZERO)
        if total:
            first = min(items, key=lambda i: i.date)
            text = first.text if len(items) == 1 or reference else "uten importlenke"
            result.append(dataclasses.replace(first, amount=total, reference=reference,
                                              text=text))
    return sorted(result, key=lambda i: (i.date, i.reference, i.source))
