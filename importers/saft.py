"""SAF-T Financial (v1.10, v1.30) into a Beancount ledger: accounts, opening balances, journals.

What a SAF-T file becomes:

- every general-ledger account an ``open`` directive named by our convention ``Root:NNNN-Name``
  (``1920`` "Bankinnskudd" → ``Assets:1920-Bankinnskudd``), with ``description`` and
  ``saft-account-id`` metadata. The root follows the NS 4102 number: 1xxx Assets, 20xx Equity,
  21xx–29xx Liabilities, 3xxx Income, 4xxx–7xxx Expenses, 80xx Income (financial income),
  81xx–87xx Expenses (financial costs, tax), 88xx–89xx Equity (result and appropriation).
  An account id without a leading four-digit number goes under ``Equity:Unmapped`` with a
  warning. An account already open in the existing ledger with the same number is reused;
  ``accounts=`` maps ids to names explicitly;
- every customer and supplier a sub-account of its balance account
  (``Assets:1500-Kundefordringer:Leketoysbutikk-Toyen``) with ``customer-id``/``supplier-id``,
  ``name`` and ``registration-number``; lines with that party on that account post there;
- the opening balances one transaction at the period start (``^saft-<org>-opening-<date>``);
  a party's opening balance goes to its sub-account and the rest stays on the control account.
  Opening balances that do not sum to zero are balanced against ``Equity:2050-OpeningBalance
  Difference`` (configurable) with a warning;
- every journal transaction a transaction linked ``^saft-<org>-<journal>-<id>``; a line with
  ``CurrencyCode``/``CurrencyAmount`` in another currency and an ``ExchangeRate`` for which
  ``CurrencyAmount × ExchangeRate`` is the line's ``Amount`` exactly is a posting in that
  currency at that price (``5000.00 EUR @ 11.40 NOK``), its account opened for the currency
  too; any other such line stays in NOK with ``currency-amount:`` (and ``exchange-rate:``)
  metadata, which the export writes back. An account with lines in another currency gets no
  closing ``balance`` (the file gives its balance in NOK only);
- the closing balances ``balance`` assertions the day after the period end, for the accounts
  where opening + movements = closing. Where they differ (the official 2018 example has three
  such accounts) the file is not rejected: a ``note`` on the account gives the figures and
  carries ``nhnfin-warning: "saft-closing-mismatch"``; ``nhnfin import`` prints it;
- customers' (suppliers') opening or closing balances that do not add up to their control
  account's balance (the 2018 example: 46 800 on its customers against 15 000 on 1500) are a
  warning ``note`` too (``saft-customer-balances``), the difference left on the control account.
"""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from collections.abc import Iterable
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from decimal import Decimal
from typing import Any

import beangulp
from beancount.core import account as beancount_account
from beancount.core import data
from beancount.core.amount import Amount
from nhnfin.importers import xmlsafe
from nhnfin.importers.common import DocumentError
from nhnfin.importers.common import account_component
from nhnfin.importers.common import link_token
from nhnfin.importers.common import same_import
from nhnfin.importers.saft_parse import CURRENCY_AMOUNT_KEY
from nhnfin.importers.saft_parse import EXCHANGE_RATE_KEY
from nhnfin.importers.saft_parse import NAMESPACE
from nhnfin.importers.saft_parse import GLAccount
from nhnfin.importers.saft_parse import Header
from nhnfin.importers.saft_parse import Line
from nhnfin.importers.saft_parse import Party
from nhnfin.importers.saft_parse import SaftTransaction
from nhnfin.importers.saft_parse import read_saft

from nhnfin.accounts import account_number

ZERO = Decimal(0)
ONE_DAY = datetime.timedelta(days=1)
DEFAULT_DIFFERENCE_ACCOUNT = "Equity:2050-OpeningBalanceDifference"
DEFAULT_UNMAPPED_ROOT = "Equity:Unmapped"
WARNING_KEY = "nhnfin-warning"
#: The parties of a control account, as the warnings name them.
PARTIES = {"customer": "kundenes", "supplier": "leverandørenes"}
#: An account id that is already a Beancount component with its number: "3000-SalesRevenue".
_NAMED_ID = re.compile(r"\d{4}-[^\W\d_][\w-]*")  # "3000-SalesRevenue", "6700-Rådgivning"


def root_for_number(number: int) -> str | None:
    """The Beancount root of an NS 4102 account number (None outside 1000–8999)."""
    ranges = (
        (1000, 1999, "Assets"),
        (2000, 2099, "Equity"),
        (2100, 2999, "Liabilities"),
        (3000, 3999, "Income"),
        (4000, 7999, "Expenses"),
        (8000, 8099, "Income"),
        (8100, 8799, "Expenses"),
        (8800, 8999, "Equity"),
    )
    return next((root for low, high, root in ranges if low <= number <= high), None)


def leading_number(account_id: str) -> int | None:
    """The four-digit NS 4102 number an account id starts with ("19201" → 1920)."""
    head = account_id.strip()[:4]
    return int(head) if len(head) == 4 and head.isdigit() else None


def gl_account_name(account: GLAccount, unmapped_root: str) -> str:
    """``Root:NNNN-Description`` for a SAF-T account (``unmapped_root:<Id>`` without number)."""
    number = leading_number(account.account_id)
    root = root_for_number(number) if number is not None else None
    if number is None or root is None:
        return f"{unmapped_root}:{account_component(account.account_id)}"
    named = f"{root}:{account.account_id.strip()}"  # "3000-SalesRevenue", as nhnfin exports
    if _NAMED_ID.fullmatch(account.account_id.strip()) and beancount_account.is_valid(named):
        return named
    name = f"{root}:{number}-{account_component(account.description, fallback='Account')}"
    return name if account.account_id.strip() == str(number) else f"{name}-{account.account_id}"


def existing_by_number(existing: Iterable[data.Directive]) -> dict[int, str]:
    """Number → the shallowest account opened in ``existing`` that carries it."""
    found: dict[int, str] = {}
    for entry in existing:
        if isinstance(entry, data.Open):
            number = account_number(entry.account)
            if number is None:
                continue
            current = found.get(number)
            if current is None or entry.account.count(":") < current.count(":"):
                found[number] = entry.account
    return found


def account_names(
    accounts: Iterable[GLAccount],
    explicit: Mapping[str, str],
    existing: Mapping[int, str],
    unmapped_root: str,
) -> dict[str, str]:
    """SAF-T account id → Beancount account: explicit map, existing ledger, then generated."""
    names: dict[str, str] = {}
    taken: set[str] = set()
    for account in accounts:
        number = leading_number(account.account_id)
        name = explicit.get(account.account_id)
        if name is None and number is not None and account.account_id.strip() == str(number):
            name = existing.get(number)
        name = name or gl_account_name(account, unmapped_root)
        if name in taken:
            name = f"{name}-{link_token(account.account_id)}"
        taken.add(name)
        names[account.account_id] = name
    return names


def party_accounts(
    parties: Iterable[Party], names: Mapping[str, str]
) -> dict[tuple[str, str, str], str]:
    """(kind, party id, account id) → the party's sub-account of that balance account."""
    result: dict[tuple[str, str, str], str] = {}
    taken: set[str] = set()
    for party in parties:
        for balance in party.balances:
            parent = names.get(balance.account_id or "")
            if parent is None:
                continue
            name = f"{parent}:{account_component(party.name or party.party_id)}"
            if name in taken:
                name = f"{name}-{account_component(party.party_id)}"
            taken.add(name)
            result[(party.kind, party.party_id, balance.account_id or "")] = name
    return result


@dataclass
class Ledger:
    """One file being imported: its header, master data and the names they got."""

    filepath: str
    header: Header | None = None
    accounts: list[GLAccount] = field(default_factory=list)
    parties: list[Party] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)
    sub_accounts: dict[tuple[str, str, str], str] = field(default_factory=dict)

    @property
    def head(self) -> Header:
        """The header (an error when the file has none before its master files)."""
        if self.header is None:
            raise DocumentError(self.filepath, None, "<Header>", "mangler foran dataene")
        return self.header

    def name_accounts(
        self, explicit: Mapping[str, str], existing: Mapping[int, str], unmapped_root: str
    ) -> None:
        """Give every account and party its Beancount name (once, before the journals)."""
        if not self.names:
            self.names = account_names(self.accounts, explicit, existing, unmapped_root)
            self.sub_accounts = party_accounts(self.parties, self.names)


def _meta(filepath: str, lineno: int, **values: Any) -> dict[str, Any]:
    meta = data.new_metadata(filepath, lineno)
    meta.update({key.replace("_", "-"): v for key, v in values.items() if v is not None})
    return meta


def _posting(account: str, number: Decimal, currency: str, meta: Any = None) -> data.Posting:
    return data.Posting(account, Amount(number, currency), None, None, None, meta or None)


def _line_posting(account: str, line: Line, currency: str, meta: dict[str, Any]) -> data.Posting:
    """A journal line's posting: in its foreign currency at its rate when that gives the NOK
    amount exactly, else in NOK with the foreign amount (and rate) as metadata."""
    foreign, number = line.currency, line.currency_amount
    if foreign is None or number is None or foreign == currency:
        return _posting(account, line.amount, currency, meta)
    rate = line.exchange_rate
    if rate is not None and number * rate == line.amount:
        price = Amount(rate, currency)
        return data.Posting(account, Amount(number, foreign), None, price, None, meta)
    meta[CURRENCY_AMOUNT_KEY] = Amount(number, foreign)
    if rate is not None:
        meta[EXCHANGE_RATE_KEY] = rate
    return _posting(account, line.amount, currency, meta)


def opening_transaction(
    book: Ledger, difference_account: str
) -> tuple[data.Transaction | None, Decimal]:
    """The opening-balance transaction and the imbalance posted to ``difference_account``."""
    header = book.head
    on_parties: dict[str, Decimal] = defaultdict(Decimal)
    postings = []
    for party in book.parties:
        for balance in party.balances:
            sub = book.sub_accounts.get((party.kind, party.party_id, balance.account_id or ""))
            if sub and balance.opening:
                postings.append(_posting(sub, balance.opening, header.currency))
                on_parties[balance.account_id or ""] += balance.opening
    for account in book.accounts:
        rest = account.opening - on_parties.get(account.account_id, ZERO)
        if rest:
            postings.append(_posting(book.names[account.account_id], rest, header.currency))
    imbalance = sum(
        (p.units.number for p in postings if p.units is not None and p.units.number is not None),
        ZERO,
    )
    if imbalance:
        postings.append(_posting(difference_account, -imbalance, header.currency))
    if not postings:
        return None, ZERO
    link = f"saft-{link_token(header.registration_number)}-opening-{header.start}"
    meta = _meta(book.filepath, header.lineno, saft_opening=True)
    narration = f"Inngående balanse {header.company_name} (SAF-T)".replace("  ", " ")
    txn = data.Transaction(
        meta, header.start, "*", None, narration, data.EMPTY_SET, frozenset({link}), postings
    )
    return txn, imbalance


def journal_transaction(book: Ledger, txn: SaftTransaction) -> data.Transaction:
    """One SAF-T journal transaction as a Beancount transaction."""
    header = book.head
    postings = []
    for line in txn.lines:
        account = book.names.get(line.account_id)
        if account is None:
            raise DocumentError(
                book.filepath,
                line.lineno,
                "<Line>/<AccountID>",
                f"kontoen {line.account_id!r} finnes ikke i <GeneralLedgerAccounts>",
            )
        customer = book.sub_accounts.get(("customer", line.customer_id or "", line.account_id))
        supplier = book.sub_accounts.get(("supplier", line.supplier_id or "", line.account_id))
        meta = _meta(
            book.filepath,
            line.lineno,
            description=line.description if line.description != txn.description else None,
            customer=None if customer else line.customer_id,
            supplier=None if supplier else line.supplier_id,
            tax_code=line.tax_code,
        )
        target = customer or supplier or account
        postings.append(_line_posting(target, line, header.currency, meta))
    link = "saft-" + link_token(
        f"{header.registration_number}-{txn.journal_id}-{txn.transaction_id}"
    )
    meta = _meta(
        book.filepath,
        txn.lineno,
        saft_journal=txn.journal_id,
        saft_transaction_id=txn.transaction_id,
    )
    return data.Transaction(
        meta, txn.date, "*", None, txn.description, data.EMPTY_SET, frozenset({link}), postings
    )


def closing_checks(
    book: Ledger, movements: Mapping[str, Decimal], foreign: Iterable[str] = ()
) -> list[data.Directive]:
    """A ``balance`` per account that ties out, a warning ``note`` per account that does not.

    An account id in ``foreign`` (lines in another currency) ties out or not as well, but gets
    no ``balance``: Beancount asserts one currency's units, and the file gives only NOK.
    """
    foreign = set(foreign)
    header = book.head
    result: list[data.Directive] = []
    day_after = header.end + ONE_DAY
    for account in book.accounts:
        moved = movements.get(account.account_id, ZERO)
        computed = account.opening + moved
        meta = _meta(book.filepath, account.lineno)
        name = book.names[account.account_id]
        if computed == account.closing:
            if account.account_id in foreign:
                continue
            amount = Amount(account.closing, header.currency)
            result.append(data.Balance(meta, day_after, name, amount, None, None))
            continue
        meta[WARNING_KEY] = "saft-closing-mismatch"
        comment = (
            f"SAF-T-konto {account.account_id}: inngående {account.opening} + bevegelser {moved}"
            f" = {computed}, men filens utgående saldo er {account.closing}"
            f" (differanse {account.closing - computed})"
        )
        result.append(data.Note(meta, header.end, name, comment, None, None))
    return result


def open_directives(
    book: Ledger,
    first_use: Mapping[str, datetime.date],
    currencies: Mapping[str, set[str]] | None = None,
) -> list[data.Open]:
    """``open`` for each account and party sub-account (never later than its first use), for
    the default currency and the foreign ones its postings use (``currencies``)."""
    currencies = currencies or {}

    def allowed(name: str) -> list[str]:
        return [header.currency, *sorted(currencies.get(name, set()) - {header.currency})]

    header = book.head
    result: list[data.Open] = []
    for account in book.accounts:
        name = book.names[account.account_id]
        date = min(d for d in (account.created, header.start, first_use.get(name)) if d)
        meta = _meta(
            book.filepath,
            account.lineno,
            description=account.description or None,
            saft_account_id=account.account_id,
            saft_grouping_category=account.grouping_category,
            saft_grouping_code=account.grouping_code,
            saft_standard_account=account.standard_account,
        )
        result.append(data.Open(meta, date, name, allowed(name), None))
    for party in book.parties:
        for balance in party.balances:
            key = (party.kind, party.party_id, balance.account_id or "")
            sub_account = book.sub_accounts.get(key)
            if sub_account is None:
                continue
            date = min(d for d in (header.start, first_use.get(sub_account)) if d)
            meta = _meta(
                book.filepath,
                party.lineno,
                name=party.name or None,
                registration_number=party.registration_number,
            )
            meta[f"{party.kind}-id"] = party.party_id
            result.append(data.Open(meta, date, sub_account, allowed(sub_account), None))
    return result


def party_warnings(book: Ledger) -> list[data.Directive]:
    """A warning ``note`` per control account whose customers' (or suppliers') opening or
    closing balances do not add up to the account's own balance in the master files."""
    header = book.head
    result: list[data.Directive] = []
    for kind in ("customer", "supplier"):
        sums: dict[str, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
        for party in (p for p in book.parties if p.kind == kind):
            for balance in party.balances:
                if balance.account_id is not None:
                    sums[balance.account_id][0] += balance.opening
                    sums[balance.account_id][1] += balance.closing
        for account in book.accounts:
            if account.account_id not in sums:
                continue
            for label, parties, own, date in (
                ("inngående", sums[account.account_id][0], account.opening, header.start),
                ("utgående", sums[account.account_id][1], account.closing, header.end),
            ):
                if parties == own:
                    continue
                meta = _meta(book.filepath, account.lineno, nhnfin_warning=f"saft-{kind}-balances")
                comment = (
                    f"SAF-T: {PARTIES[kind]} {label} saldoer på konto {account.account_id} er til "
                    f"sammen {parties}, men kontoens {label} saldo er {own} "
                    f"(differanse {own - parties})"
                )
                name = book.names[account.account_id]
                result.append(data.Note(meta, date, name, comment, None, None))
    return result


def unmapped_warnings(book: Ledger, unmapped_root: str) -> list[data.Directive]:
    """A warning ``note`` for each account that got no NS 4102 number."""
    return [
        data.Note(
            _meta(book.filepath, account.lineno, nhnfin_warning="saft-unmapped-account"),
            book.head.start,
            book.names[account.account_id],
            f"SAF-T-kontoen {account.account_id!r} har ikke noe NS 4102-nummer; den er lagt under "
            f"{unmapped_root} og må tilordnes for hånd",
            None,
            None,
        )
        for account in book.accounts
        if book.names[account.account_id].startswith(unmapped_root + ":")
    ]


def imbalance_directives(
    book: Ledger, imbalance: Decimal, difference_account: str, already_open: set[str]
) -> list[data.Directive]:
    """Open the difference account (if needed) and warn about unbalanced opening balances."""
    if not imbalance:
        return []
    header = book.head
    result: list[data.Directive] = []
    if difference_account not in already_open:
        meta = _meta(book.filepath, header.lineno,
                     description="Differanse i inngående balanse (SAF-T)")
        result.append(data.Open(meta, header.start, difference_account, [header.currency], None))
    meta = _meta(book.filepath, header.lineno, nhnfin_warning="saft-opening-imbalance")
    comment = (
        f"SAF-T: de inngående saldoene går ikke i balanse: debet − kredit = {imbalance}; "
        f"differansen er ført på {difference_account}"
    )
    result.append(data.Note(meta, header.start, difference_account, comment, None, None))
    return result


def extract_saft(
    filepath: str,
    existing: Iterable[data.Directive] = (),
    explicit: Mapping[str, str] | None = None,
    difference_account: str = DEFAULT_DIFFERENCE_ACCOUNT,
    unmapped_root: str = DEFAULT_UNMAPPED_ROOT,
) -> list[data.Directive]:
    """All directives of a SAF-T file (see the module docstring).

    Raises:
        DocumentError: unreadable file, missing header, or a line on an unknown account.
    """
    existing = list(existing)
    by_number = existing_by_number(existing)
    book = Ledger(filepath)
    transactions: list[data.Directive] = []
    movements: dict[str, Decimal] = defaultdict(Decimal)
    first_use: dict[str, datetime.date] = {}
    currencies: dict[str, set[str]] = defaultdict(set)
    foreign: set[str] = set()
    for record in read_saft(filepath):
        if isinstance(record, Header):
            book.header = record
        elif isinstance(record, GLAccount):
            book.accounts.append(record)
        elif isinstance(record, Party):
            book.parties.append(record)
        else:
            book.name_accounts(explicit or {}, by_number, unmapped_root)
            txn = journal_transaction(book, record)
            for line in record.lines:
                movements[line.account_id] += line.amount
            for line, posting in zip(record.lines, txn.postings, strict=True):
                first_use[posting.account] = min(txn.date, first_use.get(posting.account, txn.date))
                if posting.price is not None and posting.units is not None:
                    currencies[posting.account].add(posting.units.currency)
                    foreign.add(line.account_id)
            transactions.append(txn)
    book.name_accounts(explicit or {}, by_number, unmapped_root)
    already_open = {e.account for e in existing if isinstance(e, data.Open)}
    opening, imbalance = opening_transaction(book, difference_account)
    entries: list[data.Directive] = [
        entry
        for entry in open_directives(book, first_use, currencies)
        if entry.account not in already_open
    ]
    entries.extend(imbalance_directives(book, imbalance, difference_account, already_open))
    if opening is not None:
        entries.append(opening)
    entries.extend(transactions)
    entries.extend(closing_checks(book, movements, foreign))
    entries.extend(party_warnings(book))
    entries.extend(unmapped_warnings(book, unmapped_root))
    return entries


def warnings_of(entries: Iterable[data.Directive]) -> list[str]:
    """``file:line: message`` of every warning note an import produced."""
    return [
        f"{entry.meta.get('filename')}:{entry.meta.get('lineno')}: advarsel: {entry.comment}"
        for entry in entries
        if isinstance(entry, data.Note) and WARNING_KEY in entry.meta
    ]


class SaftImporter(beangulp.Importer):
    """beangulp importer for SAF-T Financial v1.10 and v1.30 files.

    Args:
        accounts: optional SAF-T account id → Beancount account overrides.
        difference_account: where unbalanced opening balances are balanced.
        unmapped_root: parent of accounts whose id has no NS 4102 number.
    """

    def __init__(
        self,
        accounts: Mapping[str, str] | None = None,
        difference_account: str = DEFAULT_DIFFERENCE_ACCOUNT,
        unmapped_root: str = DEFAULT_UNMAPPED_ROOT,
    ) -> None:
        self.accounts = dict(accounts or {})
        self.difference_account = difference_account
        self.unmapped_root = unmapped_root

    def identify(self, filepath: str) -> bool:
        """True for an XML file whose root is a SAF-T ``<AuditFile>``."""
        if not filepath.lower().endswith(".xml"):
            return False
        root = xmlsafe.root_element(filepath)
        return (
            root is not None
            and xmlsafe.local(root) == "AuditFile"
            and xmlsafe.namespace(root) in (NAMESPACE, "")
        )

    def account(self, filepath: str) -> data.Account:
        """SAF-T files are filed under the equity root (they hold a whole ledger)."""
        return "Equity"

    def date(self, filepath: str) -> datetime.date | None:
        """The archive date: the end of the period the file covers (None if unreadable)."""
        try:
            for record in read_saft(filepath):
                return record.end if isinstance(record, Header) else None
        except (DocumentError, OSError):
            return None
        return None

    def extract(self, filepath: str, existing: data.Entries) -> data.Entries:
        """Open directives, opening balances, journal transactions and closing checks."""
        return extract_saft(
            filepath, existing or [], self.accounts, self.difference_account, self.unmapped_root
        )

    cmp = staticmethod(same_import)
