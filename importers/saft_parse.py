"""Streaming reader of Norwegian SAF-T Financial files (v1.10 and v1.30) into plain records.

:func:`read_saft` yields, in file order, one :class:`Header`, the :class:`GLAccount` and
:class:`Party` (customer, supplier) records of the master files, then one
:class:`SaftTransaction` per ``<Transaction>`` of the general ledger entries. Elements are
cleared once read, so a file with 200 000 lines is never in memory as a tree. Elements are
matched by local name, so files that put the elements in the SAF-T namespace (as the schema
says) and files that do not (as the official XMLSpy example) both read.

Differences between the versions handled here: v1.10 keeps a customer's or supplier's balance
directly in the party (``<AccountID>``, ``<OpeningDebitBalance>``, …), v1.30 in one or more
``<BalanceAccount>`` structures; v1.10 maps accounts with ``<StandardAccountID>``, v1.30 with
``<GroupingCategory>``/``<GroupingCode>``. Amounts are Decimal, debit positive.
"""

from __future__ import annotations

import calendar
import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from decimal import InvalidOperation
from typing import Any

from nhnfin.importers import xmlsafe
from nhnfin.importers.common import DocumentError

from nhnfin.money import MAX_AMOUNT
from nhnfin.money import ORE

NAMESPACE = "urn:StandardAuditFile-Taxation-Financial:NO"
ZERO = Decimal(0)
#: Posting metadata the SAF-T import writes on a NOK posting of a line in another currency
#: whose rate does not give its NOK amount exactly (``currency-amount: 123.45 EUR``,
#: ``exchange-rate: 11.4037``); the export writes them back.
CURRENCY_AMOUNT_KEY = "currency-amount"
EXCHANGE_RATE_KEY = "exchange-rate"
#: A currency as ISO 4217 writes it, what ``<CurrencyCode>`` holds (not a share or a unit).
ISO_CODE = re.compile(r"[A-Z]{3}")


@dataclass(frozen=True)
class Header:
    """The file's header: version, company, currency and the period it covers."""

    lineno: int
    version: str
    registration_number: str
    company_name: str
    currency: str
    start: datetime.date
    end: datetime.date


@dataclass(frozen=True)
class GLAccount:
    """A general-ledger account of the master files; balances signed (debit positive)."""

    lineno: int
    account_id: str
    description: str
    opening: Decimal
    closing: Decimal
    created: datetime.date | None
    grouping_category: str | None
    grouping_code: str | None
    standard_account: str | None


@dataclass(frozen=True)
class PartyBalance:
    """A customer's or supplier's balance on one general-ledger account."""

    account_id: str | None
    opening: Decimal
    closing: Decimal


@dataclass(frozen=True)
class Party:
    """A customer or supplier (``kind``) of the master files."""

    lineno: int
    kind: str
    party_id: str
    name: str
    registration_number: str | None
    balances: tuple[PartyBalance, ...]


@dataclass(frozen=True)
class Line:
    """A journal line; ``amount`` is debit minus credit in the default currency.

    ``currency``, ``currency_amount`` (signed as ``amount``) and ``exchange_rate`` are the
    line's ``CurrencyCode``, ``CurrencyAmount`` and ``ExchangeRate``, None when not given.
    """

    lineno: int
    account_id: str
    amount: Decimal
    description: str | None
    customer_id: str | None
    supplier_id: str | None
    tax_code: str | None
    currency: str | None = None
    currency_amount: Decimal | None = None
    exchange_rate: Decimal | None = None


@dataclass(frozen=True)
class SaftTransaction:
    """A journal transaction with its lines."""

    lineno: int
    journal_id: str
    transaction_id: str
    date: datetime.date
    description: str
    lines: tuple[Line, ...]


Record = Header | GLAccount | Party | SaftTransaction


def _fail(filepath: str, elem: Any, message: str) -> DocumentError:
    return DocumentError(filepath, elem.sourceline, f"<{xmlsafe.local(elem)}>", message)


def _decimal(raw: str) -> Decimal:
    """``raw`` as a Decimal; NaN when it is none (the caller names the element)."""
    try:
        return Decimal(raw)
    except InvalidOperation:
        return Decimal("NaN")


def amount(filepath: str, elem: Any, path: str) -> Decimal:
    """The Decimal at ``path`` below ``elem`` (0 when absent), 2 decimals when exact."""
    raw = xmlsafe.text(elem, path)
    if raw is None:
        return ZERO
    number = _decimal(raw)
    if not number.is_finite() or not abs(number) < MAX_AMOUNT:
        raise _fail(filepath, xmlsafe.find(elem, path), f"ikke et beløp: {raw!r}")
    return number.quantize(ORE) if number == number.quantize(ORE) else number


def debit_credit(filepath: str, elem: Any, debit: str, credit: str) -> Decimal:
    """``debit`` minus ``credit`` amount below ``elem``."""
    return amount(filepath, elem, debit) - amount(filepath, elem, credit)


def date_at(filepath: str, elem: Any, path: str) -> datetime.date | None:
    """The ISO date at ``path`` (None when absent)."""
    raw = xmlsafe.text(elem, path)
    if raw is None:
        return None
    try:
        return datetime.date.fromisoformat(raw[:10])
    except ValueError:
        raise _fail(filepath, xmlsafe.find(elem, path), f"ikke en dato: {raw!r}") from None


def _required(filepath: str, elem: Any, path: str) -> str:
    value = xmlsafe.text(elem, path)
    if value is None:
        raise _fail(filepath, elem, f"<{path}> mangler")
    return value


def selection_period(filepath: str, header: Any) -> tuple[datetime.date, datetime.date]:
    """Start and end date of ``<SelectionCriteria>``: dates, else months and years."""
    criteria = xmlsafe.find(header, "SelectionCriteria")
    if criteria is None:
        raise _fail(filepath, header, "<SelectionCriteria> (filens periode) mangler")
    start = date_at(filepath, criteria, "SelectionStartDate")
    end = date_at(filepath, criteria, "SelectionEndDate")
    if start and end:
        return start, end
    try:
        first_year = int(_required(filepath, criteria, "PeriodStartYear"))
        first = datetime.date(first_year, int(_required(filepath, criteria, "PeriodStart")), 1)
        last_year = int(_required(filepath, criteria, "PeriodEndYear"))
        last_month = int(_required(filepath, criteria, "PeriodEnd"))
        last_day = calendar.monthrange(last_year, last_month)[1]
        return first, datetime.date(last_year, last_month, last_day)
    except ValueError:
        raise _fail(filepath, criteria, "ugyldig periode: PeriodStartYear og PeriodEndYear må "
                    "være år, PeriodStart og PeriodEnd måneder 1-12") from None


def parse_header(filepath: str, elem: Any) -> Header:
    """The ``<Header>`` element."""
    start, end = selection_period(filepath, elem)
    return Header(
        lineno=elem.sourceline or 0,
        version=xmlsafe.text(elem, "AuditFileVersion") or "",
        registration_number=_required(filepath, elem, "Company/RegistrationNumber"),
        company_name=xmlsafe.text(elem, "Company/Name") or "",
        currency=_required(filepath, elem, "DefaultCurrencyCode").upper(),
        start=start,
        end=end,
    )


def parse_account(filepath: str, elem: Any) -> GLAccount:
    """One ``<GeneralLedgerAccounts>/<Account>``."""
    return GLAccount(
        lineno=elem.sourceline or 0,
        account_id=_required(filepath, elem, "AccountID"),
        description=xmlsafe.text(elem, "AccountDescription") or "",
        opening=debit_credit(filepath, elem, "OpeningDebitBalance", "OpeningCreditBalance"),
        closing=debit_credit(filepath, elem, "ClosingDebitBalance", "ClosingCreditBalance"),
        created=date_at(filepath, elem, "AccountCreationDate"),
        grouping_category=xmlsafe.text(elem, "GroupingCategory"),
        grouping_code=xmlsafe.text(elem, "GroupingCode"),
        standard_account=xmlsafe.text(elem, "StandardAccountID"),
    )


def parse_party(filepath: str, elem: Any, kind: str) -> Party:
    """One ``<Customer>`` or ``<Supplier>`` (``kind`` is "customer" or "supplier")."""
    id_tag = "CustomerID" if kind == "customer" else "SupplierID"
    holders = xmlsafe.findall(elem, "BalanceAccount") or [elem]
    balances = tuple(
        PartyBalance(
            account_id=xmlsafe.text(holder, "AccountID"),
            opening=debit_credit(filepath, holder, "OpeningDebitBalance", "OpeningCreditBalance"),
            closing=debit_credit(filepath, holder, "ClosingDebitBalance", "ClosingCreditBalance"),
        )
        for holder in holders
    )
    return Party(
        lineno=elem.sourceline or 0,
        kind=kind,
        party_id=_required(filepath, elem, id_tag),
        name=xmlsafe.text(elem, "Name") or "",
        registration_number=xmlsafe.text(elem, "RegistrationNumber"),
        balances=balances,
    )


def _rate(filepath: str, elem: Any, path: str) -> Decimal | None:
    """The exchange rate at ``path`` below ``elem``; None when absent or not positive (the
    XMLSpy example file writes 0 where it gives no rate)."""
    raw = xmlsafe.text(elem, path)
    if raw is None:
        return None
    number = _decimal(raw)
    if not number.is_finite() or not number < MAX_AMOUNT:
        raise _fail(filepath, xmlsafe.find(elem, path), f"ikke en valutakurs: {raw!r}")
    return number if number > 0 else None


def _foreign(
    filepath: str, elem: Any
) -> tuple[str | None, Decimal | None, Decimal | None]:
    """A line's ``CurrencyCode``, signed ``CurrencyAmount`` and ``ExchangeRate``; none of
    them when the code is no ISO 4217 code (three capital letters: the XMLSpy example's
    ``aaa``), which a Beancount posting could not carry."""
    for side, sign in (("DebitAmount", 1), ("CreditAmount", -1)):
        node = xmlsafe.find(elem, side)
        if node is None:
            continue
        currency = xmlsafe.text(node, "CurrencyCode")
        if currency is None or not ISO_CODE.fullmatch(currency) or xmlsafe.find(
            node, "CurrencyAmount"
        ) is None:
            return None, None, None
        number = amount(filepath, node, "CurrencyAmount")
        return currency, sign * number, _rate(filepath, node, "ExchangeRate")
    return None, None, None


def parse_line(filepath: str, elem: Any) -> Line:
    """One ``<Line>`` of a transaction."""
    if xmlsafe.find(elem, "DebitAmount") is None and xmlsafe.find(elem, "CreditAmount") is None:
        raise _fail(filepath, elem, "<DebitAmount> eller <CreditAmount> mangler")
    currency, currency_amount, exchange_rate = _foreign(filepath, elem)
    return Line(
        lineno=elem.sourceline or 0,
        account_id=_required(filepath, elem, "AccountID"),
        amount=debit_credit(filepath, elem, "DebitAmount/Amount", "CreditAmount/Amount"),
        description=xmlsafe.text(elem, "Description"),
        customer_id=xmlsafe.text(elem, "CustomerID"),
        supplier_id=xmlsafe.text(elem, "SupplierID"),
        tax_code=xmlsafe.text(elem, "TaxInformation/TaxCode"),
        currency=currency,
        currency_amount=currency_amount,
        exchange_rate=exchange_rate,
    )


def parse_transaction(filepath: str, elem: Any, journal_id: str) -> SaftTransaction:
    """One ``<Transaction>`` of journal ``journal_id``."""
    date = date_at(filepath, elem, "TransactionDate")
    if date is None:
        raise _fail(filepath, elem, "<TransactionDate> mangler")
    lines = tuple(parse_line(filepath, line) for line in xmlsafe.findall(elem, "Line"))
    if not lines:
        raise _fail(filepath, elem, "en transaksjon uten <Line>")
    return SaftTransaction(
        lineno=elem.sourceline or 0,
        journal_id=journal_id,
        transaction_id=_required(filepath, elem, "TransactionID"),
        date=date,
        description=xmlsafe.text(elem, "Description") or "",
        lines=lines,
    )


def read_saft(filepath: str) -> Iterator[Record]:
    """Stream the records of a SAF-T Financial file in file order.

    Raises:
        DocumentError: not a SAF-T ``<AuditFile>``, unsafe or malformed XML, missing elements.
    """
    journal_id = ""
    for event, elem in xmlsafe.iterparse(filepath):
        parent_elem = elem.getparent()
        if event == "start":
            if parent_elem is None:
                _check_root(filepath, elem)
            continue
        name = xmlsafe.local(elem)
        parent = xmlsafe.local(parent_elem) if parent_elem is not None else ""
        if name == "Header" and parent == "AuditFile":
            yield parse_header(filepath, elem)
        elif name == "Account" and parent == "GeneralLedgerAccounts":
            yield parse_account(filepath, elem)
        elif name in ("Customer", "Supplier") and parent in ("Customers", "Suppliers"):
            yield parse_party(filepath, elem, name.lower())
        elif name == "JournalID" and parent == "Journal":
            journal_id = (elem.text or "").strip()
        elif name == "Transaction" and parent == "Journal":
            yield parse_transaction(filepath, elem, journal_id)
        else:
            continue
        xmlsafe.release(elem)


def _check_root(filepath: str, elem: Any) -> None:
    if xmlsafe.local(elem) != "AuditFile" or xmlsafe.namespace(elem) not in (NAMESPACE, ""):
        raise _fail(filepath, elem, "ikke en SAF-T Financial <AuditFile>")
