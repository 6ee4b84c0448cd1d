"""Reconciliation before closing: bank against statements, sub-ledgers against control accounts,
and the report's tie-outs, in one result a controller (or a pipeline) reads at month or year end.

What is compared (``nhnfin reconcile``, docs/reconcile.md):

- **Bank** (:mod:`nhnfin.reconcile.bank`), for each account configured with ``custom
  "nhnfin-bank-account"``: statement balances (``balance`` assertions in the ledger, and the
  booked balances of camt.053 files) against the ledger's balance, statement entries not booked,
  ledger postings not on the statement, and the open items on the suspense account, each item
  with its age in days on the reconciliation date.
- **Customers and suppliers**: the sub-ledger of 1500 (2400) against its control account, with
  the open items per customer (supplier), via :mod:`nhnfin.reconcile.customer_ledger`.
- **Tie-outs** of :func:`nhnfin.report.build_report` for the year, or for the period from 1
  January to the reconciliation date when it lies in the year (a month's close), and the
  ledger's errors.

A section with nothing to compare (no statements, no supplier sub-accounts) is ``EMPTY``, not a
failure. Everything is exact (Decimal, to the øre); nothing is rounded here.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Iterable
from collections.abc import Sequence
from typing import Any

from nhnfin.accounts import account_number
from nhnfin.ledger import Ledger
from nhnfin.ledger import before_the_books
from nhnfin.ledger import books_start
from nhnfin.model import norwegian_date
from nhnfin.reconcile.bank import SUSPENSE
from nhnfin.reconcile.bank import bank_account
from nhnfin.reconcile.bank import bank_accounts
from nhnfin.reconcile.bank import suspense_items
from nhnfin.reconcile.customer_ledger import OpenItem
from nhnfin.reconcile.customer_ledger import open_items
from nhnfin.reconcile.customer_ledger import subledger_check
from nhnfin.reconcile.model import AgedItem
from nhnfin.reconcile.model import BankResult
from nhnfin.reconcile.model import Reconciliation
from nhnfin.reconcile.model import Subledger
from nhnfin.reconcile.model import SubledgerResult
from nhnfin.reconcile.model import TieOutResult
from nhnfin.report import ReportError
from nhnfin.report import build_report
from nhnfin.report import missing_year

CUSTOMER_NUMBER, SUPPLIER_NUMBER = 1500, 2400


def control_accounts(accounts: Iterable[str], number: int) -> list[str]:
    """Accounts numbered ``number`` with sub-accounts (``…:2400-X`` of ``…:2400-X:Y``)."""
    result = set()
    for account in accounts:
        if account_number(account) != number:
            continue
        parts = account.split(":")
        depth = next(i for i, c in enumerate(parts) if i and c.startswith(str(number)))
        if depth + 1 < len(parts):
            result.add(":".join(parts[: depth + 1]))
    return sorted(result)


def subledger(entries: list[Any], accounts: Iterable[str], number: int,
              as_of: datetime.date) -> SubledgerResult:
    """Each control account numbered ``number``: sub-ledger check and aged open items."""
    label = "Kundereskontro" if number == CUSTOMER_NUMBER else "Leverandørreskontro"
    result = []
    for control in control_accounts(accounts, number):
        check = subledger_check(entries, control, as_of)
        check = dataclasses.replace(check, check_id=f"subledger.{number}",
                                    description=f"{label} = {control}")
        items = [_aged(i, as_of) for per in open_items(entries, control, as_of).values()
                 for i in per]
        result.append(Subledger(control, check, tuple(items)))
    return SubledgerResult(number, tuple(result))


def _aged(item: OpenItem, as_of: datetime.date) -> AgedItem:
    return AgedItem(item.customer, item.account, item.reference, item.date, item.open,
                    (as_of - item.date).days)


def date_problem(entries: Iterable[Any], year: int, as_of: datetime.date) -> str | None:
    """Why ``as_of`` cannot be the reconciliation date of fiscal ``year``, or None: it is before
    the year begins, before the books begin (nothing would be compared, and the result would say
    OK), or more than a year after the fiscal year (the closing of a year is done in the year
    after it; ``--year`` names a later one)."""
    asked = f"avstemmingsdatoen (--as-of) {norwegian_date(as_of)}"
    if as_of < datetime.date(year, 1, 1):
        return (f"{asked} er før regnskapsåret {year} begynner (01.01.{year}); avstem per en "
                f"dato i {year} eller senere, eller angi et annet år med --year")
    first = books_start(entries)
    if first is not None and as_of < first.date:
        return before_the_books(asked, first)
    if as_of.year > year + 1:
        return (f"{asked} er mer enn ett år etter regnskapsåret {year} (senest 31.12.{year + 1}); "
                "angi året som skal avstemmes med --year")
    return None


def refused(ledger: Ledger, year: int, as_of: datetime.date) -> str | None:
    """Why ``ledger`` cannot be reconciled for ``year`` on ``as_of``, found before anything is
    computed: a year without postings (:func:`nhnfin.report.missing_year`), then a date it cannot
    be reconciled on (:func:`date_problem`); None when it can."""
    return missing_year(ledger, year) or date_problem(ledger.entries, year, as_of)


def reconcile(ledger: Ledger, year: int, as_of: datetime.date,
              statement_entries: Sequence[Any] = ()) -> Reconciliation:
    """Reconcile ``ledger`` for ``year`` on ``as_of``.

    Args:
        ledger: the loaded ledger.
        year: fiscal year of the tie-outs; its first day starts the window of ledger statements.
            For an ``as_of`` before its 31 December, the tie-outs are the period report's
            (:func:`nhnfin.report.build_report` with ``as_of``).
        as_of: the reconciliation date (ages are counted to it; balances taken at its end).
        statement_entries: entries of camt.053 files (:func:`read_statements`).

    Raises:
        ValueError: ``as_of`` is before ``year`` or the books begin, or more than a year after
            ``year`` (:func:`date_problem`).
        nhnfin.report.ReportError: the report for ``year`` cannot be built.
    """
    missing = missing_year(ledger, year)  # checked before anything is computed
    if missing is not None:
        raise ReportError(missing)
    problem = date_problem(ledger.entries, year, as_of)
    if problem is not None:
        raise ValueError(problem)
    # a date in the year: the tie-outs of the period report to it, not of the whole year
    period_end = as_of if as_of < datetime.date(year, 12, 31) else None
    report = build_report(ledger, year, as_of=period_end)
    entries, files = list(ledger.entries), list(statement_entries)
    configured, counter = bank_accounts(entries)
    window = (datetime.date(year, 1, 1), as_of)
    accounts = tuple(bank_account(entries, files, account, bank_id, window, as_of)
                     for bank_id, account in sorted(configured.items(), key=lambda kv: kv[1]))
    suspense = counter or SUSPENSE
    return Reconciliation(
        entity=report.entity, year=year, as_of=as_of,
        bank=BankResult(accounts, suspense, tuple(suspense_items(entries, suspense, as_of))),
        customers=subledger(entries, ledger.accounts(), CUSTOMER_NUMBER, as_of),
        suppliers=subledger(entries, ledger.accounts(), SUPPLIER_NUMBER, as_of),
        tieouts=TieOutResult(report.tieouts, report.ledger_errors))
