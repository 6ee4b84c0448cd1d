"""SAF-T Financial v1.30 export of one year of the ledger (``nhnfin saft``).

The Norwegian Tax Administration requires SAF-T Financial v1.30 for periods from 2025.
:func:`export_saft` writes, for calendar year ``year``:

- the header: file version 1.30, the company (from the ``nhnfin-company`` directive), the
  default currency (the ledger's first operating currency, NOK), the selection period;
- one ``<Account>`` per NS 4102 number (``nhnfin.accounts.account_number``; sub-accounts are
  folded into their number) with its ``description``, ``GroupingCategory``/``GroupingCode``
  and its opening and closing balance. v1.30 has no ``StandardAccountID``: the grouping code
  is the mapping. It is the ``open``'s ``saft-grouping-category``/``saft-grouping-code`` if
  given, else the reviewed mapping of the chart's accounts (``nhnfin/data/saft/grouping-nhn.csv``,
  shown in docs/importers.md), never a guess from the number: an account in neither is an
  error at its ``open``, and so is a code that is not in the official næringsspesifikasjon list
  for its category. Accounts that share a number but have different codes are exported apart,
  each under its number component (``3000-SalesRevenue``);
- customers (sub-accounts of 1500–1529, or any account with ``customer-id``) and suppliers
  (sub-accounts of 2400–2459, or ``supplier-id``) with their balance account; a posting on the
  control account itself belongs to the party its ``customer:``/``supplier:`` metadata or its
  payee names. Registration numbers come from the sub-account's ``registration-number:`` or
  from ``custom "nhnfin-customer"``/``"nhnfin-supplier"`` ``"<name>" "<number>"``;
- the tax table: NHN's postings carry no VAT, so it lists the standard codes 0 (purchases
  without VAT treatment), 6 (turnover outside the VAT act) and 7 (income that is no turnover);
- every transaction of the year in one ``GL`` journal, one ``<Line>`` per posting, debit
  positive, in the default currency (a posting in another currency uses its cost or price).
  A line of a posting in another currency (``5000.00 EUR @ 11.40 NOK``, or at cost) carries
  its ``CurrencyCode``, ``CurrencyAmount`` and ``ExchangeRate`` after the ``Amount`` (the
  posting's weight): the rate is the price or cost per unit, or, when that has more than the
  schema's eight decimals, the weight over the units to eight decimals, written only when
  ``CurrencyAmount × ExchangeRate = Amount`` holds to the øre (:func:`foreign_of`). A NOK
  posting the SAF-T import wrote with ``currency-amount:`` (and ``exchange-rate:``) metadata,
  a file's line whose rate does not give its amount exactly, gives those back.

Income-statement accounts (3000–8999) open the year at zero; what earlier years left on them
is added to the opening balance of account 2050 (other equity; ``retained_earnings``), since a
Beancount ledger does not close its income accounts. :func:`trial_balance` computes the same
figures from any ledger, which is how a round trip through the SAF-T importer is checked.

The company directive (one per ledger; the latest dated on or before the year end wins)::

    2024-01-01 custom "nhnfin-company" "983658725" "Norsk helsenett SF"
      street: "Abels gate 9"
      postal-code: "7030"
      city: "Trondheim"
      country: "NO"
      contact-first-name: "Kari"
      contact-last-name: "Nordmann"
      email: "regnskap@nhn.no"
      telephone: "24 20 00 00"
      tax-registration: "983658725MVA"

The organisation number must have nine digits and a valid MOD11 check digit; the contact
person (first and last name) is required by the schema.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field
from decimal import Decimal
from importlib import resources
from typing import Any

from beancount.core import data
from beancount.core.amount import Amount
from lxml import etree
from nhnfin.importers.common import account_component
from nhnfin.importers.saft_parse import CURRENCY_AMOUNT_KEY
from nhnfin.importers.saft_parse import EXCHANGE_RATE_KEY
from nhnfin.importers.saft_parse import ISO_CODE

from nhnfin import __version__
from nhnfin.accounts import account_number
from nhnfin.accounts import is_balance_sheet
from nhnfin.errors import NhnfinError
from nhnfin.errors import location
from nhnfin.lock_guard import COMPANY as COMPANY_DIRECTIVE
from nhnfin.lock_guard import PARTIES
from nhnfin.lock_guard import company_of
from nhnfin.lock_guard import company_problems
from nhnfin.lock_guard import missing_contact
from nhnfin.lock_guard import party_problem
from nhnfin.lock_guard import party_values
from nhnfin.lock_guard import repeated_parties
from nhnfin.money import MAX_AMOUNT

NAMESPACE = "urn:StandardAuditFile-Taxation-Financial:NO"
RETAINED_EARNINGS = 2050
SCHEMA_V130 = "Norwegian_SAF-T_Financial_Schema_v_1.30.xsd"
GROUPING_LIST = "naeringsspesifikasjon.csv"
CHART_MAPPING = "grouping-nhn.csv"
TAX_CODES = "Standard_Tax_Codes.csv"
#: The tax table of a ledger whose postings carry no VAT: purchases without VAT treatment (0),
#: turnover outside the VAT act (6) and income that is no turnover, such as grants (7).
NO_VAT_TAX_CODES = ("0", "6", "7")
ZERO = Decimal(0)
CENT = Decimal("0.01")
CUSTOMER_RANGE = (1500, 1529)
SUPPLIER_RANGE = (2400, 2459)
#: ``SAFexchangerateType``: at most eight decimals.
RATE_PLACES = Decimal("0.00000001")
#: Half an øre: ``CurrencyAmount × ExchangeRate`` must come this close to ``Amount``.
HALF_ORE = Decimal("0.005")
PARTY_DIRECTIVES = dict(zip(("customer", "supplier"), PARTIES, strict=True))


class SaftExportError(ValueError):
    """Errors that stop an export; each located at a ledger ``file:line``."""

    def __init__(self, errors: Sequence[NhnfinError]) -> None:
        self.errors = list(errors)
        super().__init__("\n".join(f"{location(e.source)}: {e.message}" for e in self.errors))


@dataclass(frozen=True)
class Company:
    """The reporting company, from the ``nhnfin-company`` directive."""

    registration_number: str
    name: str
    contact_first_name: str
    contact_last_name: str
    street: str | None = None
    postal_code: str | None = None
    city: str | None = None
    country: str = "NO"
    email: str | None = None
    telephone: str | None = None
    tax_registration: str | None = None


def company_from_entries(
    entries: Iterable[data.Directive], year: int, filename: str = "<ledger>"
) -> tuple[Company | None, list[NhnfinError]]:
    """The company of the latest ``custom "nhnfin-company"`` dated on or before ``year``-12-31."""
    entry = company_of(entries, year)
    if entry is None:
        source = data.new_metadata(filename, 0)
        message = (f'ingen custom "{COMPANY_DIRECTIVE}" datert {year}-12-31 eller tidligere '
                   "(SAF-T trenger foretakets navn, organisasjonsnummer og en kontaktperson)")
        return None, [NhnfinError(source, message, None)]
    return _company(entry)


def _company(entry: Any) -> tuple[Company | None, list[NhnfinError]]:
    """The company of a directive, or its problems: those of its form, which every load
    reports too (:func:`nhnfin.lock_guard.company_problems`), and a missing contact person,
    which the schema requires."""
    meta = entry.meta
    problems = [*company_problems(entry), *missing_contact(entry)]
    if problems:
        return None, [NhnfinError(meta, p, entry) for p in problems]
    values = [v.value for v in entry.values]
    org, name = str(values[0]).replace(" ", ""), str(values[1]).strip()

    def opt(key: str) -> str | None:
        value = meta.get(key)
        return str(value) if value is not None else None

    company = Company(
        registration_number=org,
        name=name,
        contact_first_name=str(meta["contact-first-name"]),
        contact_last_name=str(meta["contact-last-name"]),
        street=opt("street"),
        postal_code=opt("postal-code"),
        city=opt("city"),
        country=opt("country") or "NO",
        email=opt("email"),
        telephone=opt("telephone"),
        tax_registration=opt("tax-registration"),
    )
    return company, []


@dataclass(frozen=True)
class Grouping:
    """A næringsspesifikasjon GroupingCategory/GroupingCode and why it was chosen."""

    category: str
    code: str
    reason: str = ""
    lineno: int = 0


def _data_text(name: str) -> str:
    return resources.files("nhnfin").joinpath(f"data/saft/{name}").read_text(encoding="utf-8-sig")


def official_groupings() -> frozenset[tuple[str, str]]:
    """Every (category, code) pair of the official næringsspesifikasjon list."""
    rows = csv.DictReader(io.StringIO(_data_text(GROUPING_LIST)), delimiter=";")
    return frozenset((row["GroupingCategory"], row["GroupingCode"]) for row in rows)


def chart_mapping() -> dict[str, Grouping]:
    """The reviewed mapping of the chart's accounts (``ledger/accounts.beancount``) to
    næringsspesifikasjon codes, from ``nhnfin/data/saft/grouping-nhn.csv`` (account → code)."""
    rows = csv.DictReader(io.StringIO(_data_text(CHART_MAPPING)), delimiter=";")
    return {
        row["account"]: Grouping(
            row["GroupingCategory"], row["GroupingCode"], row["reason"], index
        )
        for index, row in enumerate(rows, start=2)
    }


def unknown_groupings(
    mapping: dict[str, Grouping], official: frozenset[tuple[str, str]]
) -> list[str]:
    """The rows of ``mapping`` whose code is not in the official list for its category."""
    return [
        f"{CHART_MAPPING}:{g.lineno}: {account}: {g.category}/{g.code} er ikke i den "
        "offisielle listen"
        for account, g in mapping.items()
        if (g.category, g.code) not in official
    ]


@dataclass(frozen=True)
class GroupingProblem:
    """Why an account has no SAF-T grouping, and the metadata of the ``open`` at fault."""

    message: str
    meta: dict[str, Any]


def groupings_of(
    account: NumberAccount, mapping: dict[str, Grouping], official: frozenset[tuple[str, str]]
) -> dict[str, Grouping] | GroupingProblem:
    """The grouping of every account opened with one NS 4102 number (at its shallowest level),
    by account name, or the first reason one has none."""
    found: dict[str, Grouping] = {}
    for name, meta in (account.opens or {account.account: account.meta}).items():
        grouping = _grouping_of_open(name, meta, account, mapping, official)
        if isinstance(grouping, str):
            return GroupingProblem(grouping, meta)
        found[name] = grouping
    return found


def _grouping_of_open(
    name: str,
    meta: dict[str, Any],
    account: NumberAccount,
    mapping: dict[str, Grouping],
    official: frozenset[tuple[str, str]],
) -> Grouping | str:
    """``saft-grouping-category`` and ``saft-grouping-code`` on the ``open`` win; else the
    reviewed chart mapping by account name; never a guess from the number. Either way the code
    must exist in the official list for its category."""
    category, code = meta.get("saft-grouping-category"), meta.get("saft-grouping-code")
    if category is not None or code is not None:
        if category is None or code is None:
            return "oppgi både saft-grouping-category og saft-grouping-code på open-direktivet"
        grouping = Grouping(str(category), str(code), "open metadata")
    elif name in mapping:
        grouping = mapping[name]
    elif account.default is not None:
        grouping = account.default
    else:
        return (
            f"ingen SAF-T-grupperingskode for {account.number} ({name or 'ingen open'}): den "
            "er ikke i den gjennomgåtte tilordningen av kontoplanen (docs/importers.md); legg "
            "saft-grouping-category og saft-grouping-code på open-direktivet"
        )
    if (grouping.category, grouping.code) not in official:
        return (
            f"SAF-T-grupperingskoden {grouping.code} er ikke i den offisielle listen for "
            f"næringsspesifikasjonen i kategorien {grouping.category!r}"
        )
    return grouping


@dataclass
class NumberAccount:
    """One SAF-T account (an NS 4102 number) and what the ledger says about it."""

    number: int
    description: str
    meta: dict[str, Any]
    opening: Decimal = ZERO
    closing: Decimal = ZERO
    account: str = ""
    default: Grouping | None = None
    #: every account opened at the shallowest depth with this number (name → open metadata)
    opens: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: opening and closing balance per top account (the account named with the number)
    tops: dict[str, list[Decimal]] = field(default_factory=dict)

    def add(self, top: str, opening: Decimal, closing: Decimal) -> None:
        """Add to the balances of the number and of its top account ``top``."""
        self.opening += opening
        self.closing += closing
        balances = self.tops.setdefault(top, [ZERO, ZERO])
        balances[0] += opening
        balances[1] += closing


@dataclass
class PartyAccount:
    """A customer or supplier: a sub-account of a receivable or payable number."""

    kind: str
    party_id: str
    name: str
    account: str
    number: int
    registration_number: str | None = None
    opening: Decimal = ZERO
    closing: Decimal = ZERO


@dataclass
class Books:
    """The ledger reduced to what SAF-T needs for one year."""

    currency: str
    accounts: dict[int, NumberAccount] = field(default_factory=dict)
    parties: dict[str, PartyAccount] = field(default_factory=dict)
    named_parties: dict[tuple[str, str, int], PartyAccount] = field(default_factory=dict)
    registrations: dict[tuple[str, str], str] = field(default_factory=dict)
    transactions: list[data.Transaction] = field(default_factory=list)
    #: top account → its own SAF-T AccountID, for numbers whose accounts have different codes
    ids: dict[str, str] = field(default_factory=dict)

    def account_id(self, account: str, number: int) -> str:
        """The SAF-T AccountID of a posting's account: its number, or (for a number split
        because its accounts have different grouping codes) its top account's component."""
        return self.ids.get(top_account(account, number), str(number))

    def all_parties(self) -> list[PartyAccount]:
        """Sub-ledger parties and the parties named on postings to a control account."""
        return [*self.parties.values(), *self.named_parties.values()]


def _party_of(open_entry: Any, number: int) -> PartyAccount | None:
    meta, account = open_entry.meta, open_entry.account
    parts = account.split(":")
    base = next(i for i, p in enumerate(parts) if p[:4] == str(number))
    is_sub = len(parts) > base + 1
    for kind, (low, high) in (("customer", CUSTOMER_RANGE), ("supplier", SUPPLIER_RANGE)):
        explicit = meta.get(f"{kind}-id")
        if explicit is not None or (is_sub and low <= number <= high):
            party_id = str(explicit) if explicit is not None else "-".join(parts[base + 1 :])
            name = str(meta.get("name") or meta.get("description") or parts[-1].replace("-", " "))
            regno = meta.get("registration-number")
            return PartyAccount(
                kind, party_id[:35], name, account, number, str(regno) if regno else None
            )
    return None


def collect(
    entries: Iterable[data.Directive],
    options_map: dict[str, Any],
    year: int,
    retained_earnings: int = RETAINED_EARNINGS,
) -> Books:
    """Accounts, parties, balances and the year's transactions of a loaded ledger.

    Raises:
        SaftExportError: a posting on an account without number, or in a foreign currency
            without cost or price.
    """
    currencies = options_map.get("operating_currency") or ["NOK"]
    books = Books(currency=currencies[0])
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    errors: list[NhnfinError] = []
    entries = list(entries)
    books.registrations = registrations(entries, errors)
    for entry in entries:
        if isinstance(entry, data.Open) and entry.date <= end:
            _register_open(books, entry, errors)
    for party in books.parties.values():
        if party.registration_number is None:
            party.registration_number = books.registrations.get((party.kind, party.name))
    prior_result = ZERO
    for entry in entries:
        if not isinstance(entry, data.Transaction) or entry.date > end:
            continue
        if entry.date >= start:
            books.transactions.append(entry)
        prior_result += _post(books, entry, start, errors)
    if prior_result:
        earnings = _number_account(books, retained_earnings, f"Equity:{retained_earnings}")
        earnings.default = Grouping("egenkapital", "2050", "earlier years' results")
        earnings.add(earnings.account or f"Equity:{retained_earnings}", prior_result, prior_result)
    if errors:
        raise SaftExportError(errors)
    return books


def _post(books: Books, entry: Any, start: datetime.date, errors: list[NhnfinError]) -> Decimal:
    """Add one transaction to the balances; returns what it left on earlier years' results."""
    prior_result = ZERO
    for posting in entry.postings:
        number = account_number(posting.account)
        weight = _weight(posting, books.currency, entry, errors)
        if number is None:
            errors.append(NhnfinError(entry.meta, f"{posting.account} har ikke noe kontonummer",
                                      entry))
            continue
        if weight is None:
            continue
        problem = _foreign_problem(posting, books.currency)
        if problem is not None:
            errors.append(NhnfinError(posting.meta or entry.meta, problem, entry))
        account = _number_account(books, number, posting.account)
        top = top_account(posting.account, number)
        party = party_of_posting(books, entry, posting)
        if party is not None:
            party.closing += weight
        if entry.date >= start:
            account.add(top, ZERO, weight)
        elif is_balance_sheet(number):
            account.add(top, weight, weight)
            if party is not None:
                party.opening += weight
        else:
            prior_result += weight
    return prior_result


def top_account(account: str, number: int) -> str:
    """``account`` up to the component that carries ``number``
    (``Assets:1500-TradeReceivables:RHF`` → ``Assets:1500-TradeReceivables``)."""
    parts = account.split(":")
    index = next((i for i, p in enumerate(parts) if p[:4] == str(number)), len(parts) - 1)
    return ":".join(parts[: index + 1])


def _register_open(books: Books, entry: Any, errors: list[NhnfinError]) -> None:
    number = account_number(entry.account)
    if number is None:
        errors.append(NhnfinError(entry.meta, f"{entry.account} har ikke noe NS 4102-nummer",
                                  entry))
        return
    account = _number_account(books, number, entry.account)
    parts = entry.account.split(":")
    if account.meta == {} or len(parts) <= account.meta.get("_depth", 99):
        if len(parts) < account.meta.get("_depth", 99):
            account.opens = {}
        description = entry.meta.get("description")
        if description or not account.description:
            account.description = str(description or _plain_name(entry.account, number))
        account.meta = {**entry.meta, "_depth": len(parts)}
        account.account = entry.account
        account.opens[entry.account] = account.meta
    party = _party_of(entry, number)
    if party is not None:
        books.parties[entry.account] = party


def _plain_name(account: str, number: int) -> str:
    component = next(p for p in account.split(":") if p.startswith(str(number)))
    return component[5:].replace("-", " ") or str(number)


def _number_account(books: Books, number: int, account: str) -> NumberAccount:
    if number not in books.accounts:
        books.accounts[number] = NumberAccount(number, _plain_name(account, number), {})
    return books.accounts[number]


def registrations(
    entries: Iterable[data.Directive], errors: list[NhnfinError]
) -> dict[tuple[str, str], str]:
    """(kind, name) → registration number, from ``custom "nhnfin-customer"``/``"nhnfin-supplier"``
    directives (``"<name>" "<registration number>"``); a malformed one is an error
    (:func:`nhnfin.lock_guard.party_problem`), and so is one that repeats an earlier one's name
    or number (:func:`nhnfin.lock_guard.repeated_parties`), as at every load."""
    found: dict[tuple[str, str], str] = {}
    kinds = {directive: kind for kind, directive in PARTY_DIRECTIVES.items()}
    parties = []
    for entry in entries:
        if not isinstance(entry, data.Custom) or entry.type not in kinds:
            continue
        problem = party_problem(entry)
        if problem is not None:
            errors.append(NhnfinError(entry.meta, problem, entry))
            continue
        parties.append(entry)
        name, number = party_values(entry)
        found.setdefault((kinds[entry.type], name), number[:35])  # a second one is an error
    errors.extend(repeated_parties(parties))
    return found


def control_kind(number: int) -> str | None:
    """"customer" for the receivable numbers, "supplier" for the payable numbers."""
    for kind, (low, high) in (("customer", CUSTOMER_RANGE), ("supplier", SUPPLIER_RANGE)):
        if low <= number <= high:
            return kind
    return None


def party_of_posting(books: Books, entry: Any, posting: Any) -> PartyAccount | None:
    """The customer or supplier of a posting: its sub-ledger account's party, else (on a
    control account) the one named by ``customer:``/``supplier:`` metadata or the payee."""
    party = _party_for(books, posting.account)
    number = account_number(posting.account)
    kind = control_kind(number) if party is None and number is not None else None
    if kind is None or number is None:
        return party
    named = (posting.meta or {}).get(kind) or entry.meta.get(kind) or entry.payee
    if not isinstance(named, str) or not named.strip():
        return None
    name = named.strip()
    key = (kind, name, number)
    if key not in books.named_parties:
        taken = {p.party_id for p in books.all_parties() if p.kind == kind}
        party_id = account_component(name)[:35]
        suffix = 2
        while party_id in taken:
            party_id, suffix = f"{account_component(name)[:30]}-{suffix}", suffix + 1
        regno = books.registrations.get((kind, name))
        books.named_parties[key] = PartyAccount(
            kind, party_id, name, posting.account, number, regno
        )
    return books.named_parties[key]


def _party_for(books: Books, account: str) -> PartyAccount | None:
    while account:
        if account in books.parties:
            return books.parties[account]
        account = account.rpartition(":")[0]
    return None


def weight_of(posting: Any) -> tuple[Decimal, str]:
    """The amount a posting weighs in its transaction: at cost, else at price, else units."""
    units = posting.units
    if posting.cost is not None and posting.cost.number is not None:
        return units.number * posting.cost.number, str(posting.cost.currency)
    if posting.price is not None:
        return units.number * posting.price.number, str(posting.price.currency)
    return units.number, str(units.currency)


@dataclass(frozen=True)
class Foreign:
    """What a SAF-T line of a posting carries besides its NOK amount: the foreign amount
    (signed as the posting), its currency and the NOK per unit (None: not written)."""

    currency: str
    amount: Decimal
    rate: Decimal | None


def _fits(currency: str, number: Decimal) -> bool:
    return (
        bool(ISO_CODE.fullmatch(currency))
        and number == number.quantize(CENT)
        and abs(number) < MAX_AMOUNT
    )


def _holds(amount: Decimal, rate: Decimal, weight: Decimal) -> bool:
    """``amount × rate = weight`` to the øre, the rate within the schema's eight decimals."""
    return (
        rate > 0
        and rate == rate.quantize(RATE_PLACES)
        and abs(rate) < Decimal(10) ** 10
        and abs(amount * rate - weight) <= HALF_ORE
    )


def foreign_of(posting: Any, currency: str) -> Foreign | None:
    """The foreign amount a line of ``posting`` in default ``currency`` carries, if any.

    A posting in another ISO currency at a price or at cost in ``currency``: its units, and
    the price (cost) per unit as the rate, or the weight over the units to eight decimals
    when the price has more; the rate is left out when neither holds to the øre. A posting in
    ``currency`` with the import's ``currency-amount:`` metadata: that amount and its
    ``exchange-rate:``.
    """
    units = posting.units
    if units.currency != currency:
        weight, weight_currency = weight_of(posting)
        if weight_currency != currency or not _fits(str(units.currency), units.number):
            return None
        cost = posting.cost
        per_unit = cost.number if cost is not None and cost.number is not None else (
            posting.price.number if posting.price is not None else None
        )
        if per_unit is None or per_unit <= 0:
            return None
        rate: Decimal | None = per_unit
        if not _holds(units.number, per_unit, weight):
            rate = (weight / units.number).quantize(RATE_PLACES) if units.number else None
            if rate is not None and not _holds(units.number, rate, weight):
                rate = None
        return Foreign(str(units.currency), units.number, rate)
    given = (posting.meta or {}).get(CURRENCY_AMOUNT_KEY)
    if not isinstance(given, Amount) or given.number is None:
        return None
    if given.currency == currency or not _fits(str(given.currency), given.number):
        return None
    rate = (posting.meta or {}).get(EXCHANGE_RATE_KEY)
    return Foreign(str(given.currency), given.number, rate if isinstance(rate, Decimal) else None)


def _foreign_problem(posting: Any, currency: str) -> str | None:
    """Why a posting's ``currency-amount:``/``exchange-rate:`` metadata cannot be written."""
    meta = posting.meta or {}
    if posting.units.currency != currency or not (
        CURRENCY_AMOUNT_KEY in meta or EXCHANGE_RATE_KEY in meta
    ):
        return None
    given, rate = meta.get(CURRENCY_AMOUNT_KEY), meta.get(EXCHANGE_RATE_KEY)
    where = f"{posting.account}: {CURRENCY_AMOUNT_KEY}"
    if not isinstance(given, Amount) or given.number is None:
        return f"{where}: må være et beløp i en annen valuta, f.eks. 123.45 EUR, men er {given!r}"
    if given.currency == currency or not _fits(str(given.currency), given.number):
        return f"{where}: {given} er ikke et beløp med to desimaler i en ISO 4217-valuta"
    if given.number and posting.units.number and (given.number > 0) != (posting.units.number > 0):
        return f"{where}: {given} har motsatt fortegn av {posting.units.number} {currency}"
    if EXCHANGE_RATE_KEY in meta and not (
        isinstance(rate, Decimal) and _holds(given.number, rate, posting.units.number)
    ):
        return (
            f"{posting.account}: {given} × {EXCHANGE_RATE_KEY} {rate} er ikke "
            f"{posting.units.number} {currency} (til nærmeste øre, kursen med høyst 8 desimaler)"
        )
    return None


def _weight(posting: Any, currency: str, entry: Any, errors: list[NhnfinError]) -> Decimal | None:
    number, weight_currency = weight_of(posting)
    if weight_currency != currency:
        message = f"{posting.account}: {number} {weight_currency} kan ikke regnes om til {currency}"
        errors.append(NhnfinError(entry.meta, message, entry))
        return None
    return number


def trial_balance(
    entries: Iterable[data.Directive],
    options_map: dict[str, Any],
    year: int,
    retained_earnings: int = RETAINED_EARNINGS,
) -> dict[int, Decimal]:
    """Closing balance per NS 4102 number for ``year`` as SAF-T shows it (non-zero only).

    Balance-sheet numbers are cumulative, income-statement numbers cover the year, and what
    earlier years left on income-statement numbers is in ``retained_earnings``.
    """
    books = collect(entries, options_map, year, retained_earnings)
    return {n: a.closing for n, a in sorted(books.accounts.items()) if a.closing}


def _money(value: Decimal) -> str:
    quantized = value.quantize(CENT)
    if quantized != value:
        raise ValueError(f"{value} har mer enn to desimaler")
    return f"{quantized:f}"


def _sub(parent: Any, tag: str, text: str | None = None) -> Any:
    node = etree.SubElement(parent, f"{{{NAMESPACE}}}{tag}")
    if text is not None:
        node.text = text
    return node


def _balances(parent: Any, opening: Decimal, closing: Decimal) -> None:
    for label, value in (("Opening", opening), ("Closing", closing)):
        side = "Debit" if value >= 0 else "Credit"
        _sub(parent, f"{label}{side}Balance", _money(abs(value)))


def _header(root: Any, company: Company, year: int, currency: str, created: datetime.date) -> None:
    header = _sub(root, "Header")
    for tag, value in (
        ("AuditFileVersion", "1.30"),
        ("AuditFileCountry", "NO"),
        ("AuditFileDateCreated", created.isoformat()),
        ("SoftwareCompanyName", "Norsk helsenett SF"),
        ("SoftwareID", "nhnfin"),
        ("SoftwareVersion", __version__),
    ):
        _sub(header, tag, value)
    node = _sub(header, "Company")
    _sub(node, "RegistrationNumber", company.registration_number)
    _sub(node, "Name", company.name[:256])
    address = _sub(node, "Address")
    optional: tuple[tuple[str, str | None], ...] = (
        ("StreetName", company.street),
        ("City", company.city),
        ("PostalCode", company.postal_code),
        ("Country", company.country),
    )
    for tag, text in optional:
        if text:
            _sub(address, tag, text)
    contact = _sub(node, "Contact")
    person = _sub(contact, "ContactPerson")
    _sub(person, "FirstName", company.contact_first_name)
    _sub(person, "LastName", company.contact_last_name)
    if company.telephone:
        _sub(contact, "Telephone", company.telephone[:18])
    if company.email:
        _sub(contact, "Email", company.email[:70])
    if company.tax_registration:
        tax = _sub(node, "TaxRegistration")
        _sub(tax, "TaxRegistrationNumber", company.tax_registration)
    _sub(header, "DefaultCurrencyCode", currency)
    criteria = _sub(header, "SelectionCriteria")
    for tag, value in (
        ("SelectionStartDate", f"{year}-01-01"),
        ("SelectionEndDate", f"{year}-12-31"),
    ):
        _sub(criteria, tag, value)
    _sub(header, "TaxAccountingBasis", "A")


def _accounts(master: Any, books: Books) -> list[NhnfinError]:
    errors: list[NhnfinError] = []
    mapping, official = chart_mapping(), official_groupings()
    node = _sub(master, "GeneralLedgerAccounts")
    for number, account in sorted(books.accounts.items()):
        found = groupings_of(account, mapping, official)
        if isinstance(found, GroupingProblem):
            source = found.meta or data.new_metadata("<nhnfin.saft>", 0)
            source = {k: v for k, v in source.items() if k != "_depth"}
            errors.append(NhnfinError(source, found.message, None))
            continue
        if len({(g.category, g.code) for g in found.values()}) == 1:
            grouping = next(iter(found.values()))
            _account(node, str(number), account.description or str(number), grouping,
                     (account.opening, account.closing))
            continue
        # Accounts that share a number but mean different things (different codes) stay apart:
        # each is its own SAF-T account, named by its number component ("3000-SalesRevenue").
        for top, grouping in sorted(found.items()):
            books.ids[top] = top.split(":")[-1][:70]
            description = str(account.opens[top].get("description") or _plain_name(top, number))
            balances = account.tops.get(top, [ZERO, ZERO])
            _account(node, books.ids[top], description, grouping, (balances[0], balances[1]))
    return errors


def _account(
    node: Any, account_id: str, description: str, grouping: Grouping,
    balances: tuple[Decimal, Decimal],
) -> None:
    item = _sub(node, "Account")
    _sub(item, "AccountID", account_id)
    _sub(item, "AccountDescription", description[:256])
    _sub(item, "GroupingCategory", grouping.category)
    _sub(item, "GroupingCode", grouping.code)
    _sub(item, "AccountType", "GL")
    _balances(item, *balances)


def _parties(master: Any, books: Books, kind: str) -> None:
    parties = [p for p in books.all_parties() if p.kind == kind]
    if not parties:
        return
    tag = "Customer" if kind == "customer" else "Supplier"
    node = _sub(master, f"{tag}s")
    for party in sorted(parties, key=lambda p: p.party_id):
        item = _sub(node, tag)
        if party.registration_number:
            _sub(item, "RegistrationNumber", party.registration_number[:35])
        _sub(item, "Name", party.name[:256])
        _sub(item, f"{tag}ID", party.party_id)
        balance = _sub(item, "BalanceAccount")
        _sub(balance, "AccountID", books.account_id(party.account, party.number))
        _balances(balance, party.opening, party.closing)


def tax_codes(codes: Sequence[str] = NO_VAT_TAX_CODES) -> list[dict[str, str]]:
    """The rows of the Tax Administration's standard VAT code list for ``codes``."""
    rows = csv.DictReader(io.StringIO(_data_text(TAX_CODES)), delimiter=";")
    found = {row["Code"]: row for row in rows}
    return [found[code] for code in codes]


def _tax_table(master: Any) -> None:
    """One ``MVA`` entry with the standard codes a ledger without VAT postings uses."""
    entry = _sub(_sub(master, "TaxTable"), "TaxTableEntry")
    _sub(entry, "TaxType", "MVA")
    _sub(entry, "Description", "Merverdiavgift")
    for row in tax_codes():
        details = _sub(entry, "TaxCodeDetails")
        _sub(details, "TaxCode", row["Code"])
        _sub(details, "Description", row["DescriptionNOB"])
        _sub(details, "TaxPercentage", "0")
        _sub(details, "Country", "NO")
        _sub(details, "StandardTaxCode", row["Code"])
        _sub(details, "BaseRate", "100")


def _journal(root: Any, books: Books) -> None:
    lines: list[tuple[Any, Any, Decimal]] = []
    for txn in books.transactions:
        for posting in txn.postings:
            lines.append((txn, posting, weight_of(posting)[0]))
    entries = _sub(root, "GeneralLedgerEntries")
    _sub(entries, "NumberOfEntries", str(len(books.transactions)))
    _sub(entries, "TotalDebit", _money(sum((w for *_, w in lines if w > 0), ZERO)))
    _sub(entries, "TotalCredit", _money(-sum((w for *_, w in lines if w < 0), ZERO)))
    journal = _sub(entries, "Journal")
    _sub(journal, "JournalID", "GL")
    _sub(journal, "Description", "General ledger")
    _sub(journal, "Type", "GL")
    for index, txn in enumerate(books.transactions, start=1):
        _transaction(journal, books, txn, index)


def _transaction(journal: Any, books: Books, txn: Any, index: int) -> None:
    description = (txn.narration or txn.payee or "-")[:256]
    node = _sub(journal, "Transaction")
    _sub(node, "TransactionID", str(index))
    _sub(node, "Period", str(txn.date.month))
    _sub(node, "PeriodYear", str(txn.date.year))
    _sub(node, "TransactionDate", txn.date.isoformat())
    _sub(node, "Description", description)
    _sub(node, "SystemEntryDate", txn.date.isoformat())
    _sub(node, "GLPostingDate", txn.date.isoformat())
    for record, posting in enumerate(txn.postings, start=1):
        weight = weight_of(posting)[0]
        line = _sub(node, "Line")
        _sub(line, "RecordID", str(record))
        number = account_number(posting.account)
        _sub(line, "AccountID", books.account_id(posting.account, number or 0))
        party = party_of_posting(books, txn, posting)
        if party is not None:
            _sub(line, "CustomerID" if party.kind == "customer" else "SupplierID", party.party_id)
        _sub(line, "Description", description)
        amount = _sub(line, "DebitAmount" if weight >= 0 else "CreditAmount")
        _sub(amount, "Amount", _money(abs(weight)))
        foreign = foreign_of(posting, books.currency)
        if foreign is not None:
            _sub(amount, "CurrencyCode", foreign.currency)
            _sub(amount, "CurrencyAmount", _money(abs(foreign.amount)))
            if foreign.rate is not None:
                _sub(amount, "ExchangeRate", f"{foreign.rate:f}")


def export_saft(
    entries: Iterable[data.Directive],
    options_map: dict[str, Any],
    year: int,
    company: Company,
    *,
    created: datetime.date | None = None,
    retained_earnings: int = RETAINED_EARNINGS,
) -> bytes:
    """SAF-T Financial v1.30 XML of ``year`` (UTF-8 bytes).

    Args:
        entries: the loaded ledger (after plugins).
        options_map: its options (the first operating currency is the default currency).
        year: the calendar year to export.
        company: the reporting company (see :func:`company_from_entries`).
        created: the file's creation date (default: today in Norway).
        retained_earnings: the number that receives earlier years' unclosed results.

    Raises:
        SaftExportError: an account without number or grouping code, a foreign-currency
            posting without cost or price.
    """
    books = collect(entries, options_map, year, retained_earnings)
    today = created or datetime.datetime.now(tz=datetime.UTC).date()
    root = etree.Element(f"{{{NAMESPACE}}}AuditFile", nsmap={None: NAMESPACE})
    _header(root, company, year, books.currency, today)
    master = _sub(root, "MasterFiles")
    errors = _accounts(master, books)
    if errors:
        raise SaftExportError(errors)
    _parties(master, books, "customer")
    _parties(master, books, "supplier")
    _tax_table(master)
    _journal(root, books)
    result: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return result


def validate_saft(document: bytes) -> list[str]:
    """Schema errors of ``document`` against the official v1.30 XSD (empty when valid)."""
    import xmlschema

    xsd = resources.files("nhnfin").joinpath(f"data/saft/{SCHEMA_V130}")
    with resources.as_file(xsd) as path:
        schema = xmlschema.XMLSchema(str(path))
    return [str(error.reason or error) for error in schema.iter_errors(io.BytesIO(document))]
