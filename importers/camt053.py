"""ISO 20022 camt.053 bank statements (001.02, 001.03, 001.04 and 001.08) as Beancount entries.

One statement entry (``<Ntry>``) becomes one transaction: the bank account configured for the
statement's IBAN (e.g. ``Assets:1920-Bank``) against a suspense account, by default
``Assets:1590-Unreconciled`` (NS 4102 1590 "Andre omløpsmidler": an unreconciled bank item is a
short-term claim until the controller moves it to its real account)::

    2025-01-31 * "Oslo kommune" "Faktura 10042" ^camt-NO-REF-0042
      bank-ref: "NO-REF-0042"
      end-to-end-id: "E2E-10042"
      kid: "000100420007"
      Assets:1920-Bank           125000.00 NOK
      Assets:1590-Unreconciled  -125000.00 NOK

What is kept, and where:

- amount and sign from ``<Amt>`` and ``<CdtDbtInd>`` (CRDT increases the bank account), the
  booking date (``<BookgDt>``, date or date-time), ``value-date`` in metadata. An amount is
  unsigned in ISO 20022: a negative ``<Amt>`` is an error, and so is an amount with more
  decimals than its currency has (ISO 4217, e.g. ``12500.005 NOK``; ``18.150 EUR`` is 18.15);
- references: ``bank-ref`` (``<AcctSvcrRef>``), ``entry-ref`` (``<NtryRef>``), ``end-to-end-id``,
  ``kid`` (the structured creditor reference, KID in Norway), ``proprietary-ref`` (every
  ``<Refs><Prtry>`` as "type: ref"), the unstructured remittance information as narration, the
  counterparty (debtor of a credit, creditor of a debit) as payee, and both parties:
  ``debtor``, ``debtor-account``, ``creditor``, ``creditor-account`` (name and IBAN or other id);
- the bank transaction code: ``bank-tx-domain``, ``bank-tx-family``, ``bank-tx-subfamily``
  (``<BkTxCd><Domn>``) and ``bank-tx-proprietary`` (``<Prtry>``: "code (issuer)");
- the statement's additional information (``<AddtlStmtInf>``) as ``statement-info``;
- batch bookings (several ``<TxDtls>`` under one entry whose amounts add up to it) get one
  suspense posting per payment, each with its own references as posting metadata;
- reversals (``<RvslInd>true``) keep the sign the bank gives and carry tag ``#reversal``;
- foreign-currency payments: the posting is in the entry (account) currency, the instructed
  amount and the rate go to ``original-amount`` and ``exchange-rate``;
- zero-amount entries are kept (both postings zero) so their references are on file;
- only booked entries (status BOOK) are imported; pending and information entries are not;
- the opening booked balance (OPBD) becomes a ``balance`` assertion on its date; without an
  OPBD the previously closed booked balance (PRCD) is the opening, asserted the day after its
  date; the closing booked balance (CLBD) is asserted the day after its date (Beancount checks
  balances at the start of a day). Other balance types (available, interim, forward) are not
  assertions;
- a statement is refused (every problem at its line) when its opening plus its booked entries
  is not its closing balance, or when a balance or entry is in another currency than the
  account's (``<Acct><Ccy>``, else the opening's) or than the ledger's ``open`` allows.

Every transaction carries the link ``^camt-<bank reference>`` (or a digest of account, date,
amount and references when the bank gives no ``<AcctSvcrRef>``), so importing the same file
twice adds nothing: ``cmp`` matches the link. Parsing is streaming and hardened (see
``nhnfin.importers.xmlsafe``); a file that is not a readable camt.053 is a ``DocumentError``
naming the file, the line and the element.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from collections.abc import Iterator
from collections.abc import Mapping
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field
from decimal import Decimal
from decimal import InvalidOperation
from typing import Any

import beangulp
from babel.numbers import get_currency_precision
from beancount.core import data
from beancount.core.amount import Amount
from nhnfin.importers import xmlsafe
from nhnfin.importers.common import DocumentError
from nhnfin.importers.common import DocumentErrors
from nhnfin.importers.common import link_token
from nhnfin.importers.common import negate
from nhnfin.importers.common import same_import
from nhnfin.importers.common import signed
from nhnfin.importers.common import stable_id

from nhnfin.money import MAX_AMOUNT

VERSIONS = {
    f"urn:iso:std:iso:20022:tech:xsd:camt.053.001.{version}": f"001.{version}"
    for version in ("02", "03", "04", "08")
}
DEFAULT_COUNTER_ACCOUNT = "Assets:1590-Unreconciled"
OPENING, PREVIOUS_CLOSING, CLOSING = "OPBD", "PRCD", "CLBD"
ONE_DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class TxDetail:
    """One payment inside an entry (``<TxDtls>``); amount is signed, None when not given."""

    amount: Decimal | None = None
    end_to_end_id: str | None = None
    kid: str | None = None
    remittance: str | None = None
    counterparty: str | None = None
    debtor: str | None = None
    debtor_account: str | None = None
    creditor: str | None = None
    creditor_account: str | None = None
    proprietary_refs: str | None = None
    bank_tx_code: tuple[str | None, str | None, str | None] = (None, None, None)
    original_amount: str | None = None
    exchange_rate: Decimal | None = None


@dataclass(frozen=True)
class CamtEntry:
    """One booked statement entry (``<Ntry>``); ``amount`` is signed (+ = money in)."""

    lineno: int
    amount: Decimal
    currency: str
    booking_date: datetime.date
    value_date: datetime.date | None
    status: str
    reversal: bool
    bank_ref: str | None
    entry_ref: str | None
    info: str | None
    details: tuple[TxDetail, ...]
    bank_tx_code: tuple[str | None, str | None, str | None] = (None, None, None)
    bank_tx_proprietary: str | None = None


@dataclass(frozen=True)
class StatementBalance:
    """A balance of the statement (``<Bal>``) with its type code, signed amount and date."""

    lineno: int
    code: str
    amount: Decimal
    currency: str
    date: datetime.date


@dataclass
class Statement:
    """One ``<Stmt>``: the account it is for, its balances and entries (filled while parsing)."""

    lineno: int
    statement_id: str = ""
    account_id: str = ""
    currency: str | None = None
    info: str | None = None
    balances: list[StatementBalance] = field(default_factory=list)
    entries: list[CamtEntry] = field(default_factory=list)


def normalise_account_id(account_id: str) -> str:
    """An IBAN or account number without spaces, upper-cased, as the config keys are."""
    return account_id.replace(" ", "").upper()


def _fail(filepath: str, elem: Any, where: str, message: str) -> DocumentError:
    return DocumentError(filepath, getattr(elem, "sourceline", None), where, message)


def parse_amount(filepath: str, elem: Any, path: str) -> tuple[Decimal, str]:
    """The number and currency of the ``<Amt Ccy="…">`` element at ``path``."""
    node = xmlsafe.find(elem, path)
    if node is None:
        raise _fail(filepath, elem, f"<{xmlsafe.local(elem)}>", f"<{path}> mangler")
    raw = (node.text or "").strip()
    try:
        number = Decimal(raw)
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite() or not abs(number) < MAX_AMOUNT:
        raise _fail(filepath, node, f"<{path}>", f"ikke et beløp: {raw!r}")
    if number < 0 or raw.startswith("-"):
        raise _fail(
            filepath,
            node,
            f"<{path}>",
            f"negativt beløp {raw!r}: beløp i camt har ikke fortegn, fortegnet er <CdtDbtInd>",
        )
    currency = node.get("Ccy")
    if not currency:
        raise _fail(filepath, node, f"<{path}>", "attributtet Ccy mangler")
    return in_minor_units(filepath, node, path, number, currency), currency


def in_minor_units(filepath: str, node: Any, path: str, number: Decimal, currency: str) -> Decimal:
    """``number`` with the decimals of ``currency`` (ISO 4217: NOK 2, JPY 0, KWD 3).

    Trailing zeros are dropped (``18.150 EUR`` is 18.15); a value that needs more decimals than
    the currency has (``12500.005 NOK``) is refused, never rounded.
    """
    places = get_currency_precision(currency)
    exact = number.quantize(Decimal(1).scaleb(-places))
    if exact != number:
        raise _fail(
            filepath,
            node,
            f"<{path}>",
            f"beløpet {number} {currency} har flere desimaler enn {currency} har ({places})",
        )
    return exact


def parse_sign(filepath: str, elem: Any, default: Decimal | None = None) -> Decimal:
    """+1 for CRDT, -1 for DBIT (``<CdtDbtInd>`` of ``elem``), or ``default`` when absent."""
    indicator = xmlsafe.text(elem, "CdtDbtInd")
    if indicator == "CRDT":
        return Decimal(1)
    if indicator == "DBIT":
        return Decimal(-1)
    if indicator is None and default is not None:
        return default
    raise _fail(filepath, elem, "<CdtDbtInd>", f"må være CRDT eller DBIT, ikke {indicator!r}")


def parse_date(filepath: str, elem: Any, path: str) -> datetime.date | None:
    """The date of ``path`` (a ``<Dt>`` or the date part of a ``<DtTm>``), None when absent."""
    node = xmlsafe.find(elem, path)
    if node is None:
        return None
    raw = xmlsafe.text(node, "Dt") or xmlsafe.text(node, "DtTm") or ""
    try:
        return datetime.date.fromisoformat(raw[:10])
    except ValueError:
        raise _fail(filepath, node, f"<{path}>", f"ikke en dato: {raw!r}") from None


def parse_account_id(elem: Any) -> str | None:
    """IBAN or other identification of an ``<Acct>``-like element."""
    value = xmlsafe.text(elem, "Id/IBAN") or xmlsafe.text(elem, "Id/Othr/Id")
    return normalise_account_id(value) if value else None


def party_name(elem: Any, role: str) -> str | None:
    """Name of the debtor or creditor (``role`` Dbtr/Cdtr) of a ``<TxDtls>`` (001.02-.08)."""
    return xmlsafe.text(elem, f"RltdPties/{role}/Nm") or xmlsafe.text(
        elem, f"RltdPties/{role}/Pty/Nm"
    )


def party_account(elem: Any, role: str) -> str | None:
    """IBAN or other id of the debtor's or creditor's account (``<DbtrAcct>``/``<CdtrAcct>``)."""
    acct = xmlsafe.find(elem, f"RltdPties/{role}Acct")
    return parse_account_id(acct) if acct is not None else None


def bank_transaction_code(elem: Any) -> tuple[str | None, str | None, str | None]:
    """(domain, family, subfamily) of the ``<BkTxCd>/<Domn>`` of ``elem``."""
    return (
        xmlsafe.text(elem, "BkTxCd/Domn/Cd"),
        xmlsafe.text(elem, "BkTxCd/Domn/Fmly/Cd"),
        xmlsafe.text(elem, "BkTxCd/Domn/Fmly/SubFmlyCd"),
    )


def proprietary_code(elem: Any) -> str | None:
    """The bank's own transaction code ``<BkTxCd>/<Prtry>``: "code" or "code (issuer)"."""
    code = xmlsafe.text(elem, "BkTxCd/Prtry/Cd")
    issuer = xmlsafe.text(elem, "BkTxCd/Prtry/Issr")
    return f"{code} ({issuer})" if code and issuer else code


def proprietary_references(elem: Any) -> str | None:
    """Every ``<Refs>/<Prtry>`` of a ``<TxDtls>`` as "type: reference", joined by "; "."""
    refs = [
        f"{kind}: {ref}" if kind else ref
        for node in xmlsafe.findall(elem, "Refs/Prtry")
        if (ref := xmlsafe.text(node, "Ref"))
        for kind in [xmlsafe.text(node, "Tp")]
    ]
    return "; ".join(refs) or None


def parse_detail(elem: Any, currency: str, sign: Decimal, filepath: str) -> TxDetail:
    """One ``<TxDtls>``: references, parties, codes, own amount and foreign amount."""
    role = "Dbtr" if sign > 0 else "Cdtr"
    e2e = xmlsafe.text(elem, "Refs/EndToEndId")
    ustrd = [n.text.strip() for n in xmlsafe.findall(elem, "RmtInf/Ustrd") if n.text]
    kid = next(
        (
            ref
            for strd in xmlsafe.findall(elem, "RmtInf/Strd")
            if (ref := xmlsafe.text(strd, "CdtrRefInf/Ref"))
        ),
        None,
    )
    return TxDetail(
        amount=_detail_amount(elem, currency, sign, filepath),
        end_to_end_id=None if e2e in (None, "NOTPROVIDED") else e2e,
        kid=kid,
        remittance=" ".join(ustrd) or xmlsafe.text(elem, "AddtlTxInf"),
        counterparty=party_name(elem, role),
        debtor=party_name(elem, "Dbtr"),
        debtor_account=party_account(elem, "Dbtr"),
        creditor=party_name(elem, "Cdtr"),
        creditor_account=party_account(elem, "Cdtr"),
        proprietary_refs=proprietary_references(elem),
        bank_tx_code=bank_transaction_code(elem),
        original_amount=_original_amount(elem, currency, filepath),
        exchange_rate=_exchange_rate(elem),
    )


def _detail_amount(elem: Any, currency: str, sign: Decimal, filepath: str) -> Decimal | None:
    for path in ("Amt", "AmtDtls/TxAmt/Amt", "AmtDtls/CntrValAmt/Amt"):
        if xmlsafe.find(elem, path) is not None:
            number, ccy = parse_amount(filepath, elem, path)
            if ccy == currency:
                return signed(number, parse_sign(filepath, elem, sign))
    return None


def _original_amount(elem: Any, currency: str, filepath: str) -> str | None:
    if xmlsafe.find(elem, "AmtDtls/InstdAmt/Amt") is None:
        return None
    number, ccy = parse_amount(filepath, elem, "AmtDtls/InstdAmt/Amt")
    return None if ccy == currency else f"{number} {ccy}"


def _exchange_rate(elem: Any) -> Decimal | None:
    for path in ("AmtDtls/InstdAmt/CcyXchg/XchgRate", "AmtDtls/TxAmt/CcyXchg/XchgRate"):
        raw = xmlsafe.text(elem, path)
        if raw:
            try:
                return Decimal(raw)
            except InvalidOperation:
                return None
    return None


def parse_entry(filepath: str, elem: Any) -> CamtEntry:
    """One ``<Ntry>`` element as a :class:`CamtEntry`."""
    number, currency = parse_amount(filepath, elem, "Amt")
    sign = parse_sign(filepath, elem)
    booking = parse_date(filepath, elem, "BookgDt")
    if booking is None:
        raise _fail(filepath, elem, "<Ntry>", "<BookgDt> mangler")
    status = xmlsafe.text(elem, "Sts/Cd") or xmlsafe.text(elem, "Sts") or "BOOK"
    details = tuple(
        parse_detail(tx, currency, sign, filepath)
        for dtls in xmlsafe.findall(elem, "NtryDtls")
        for tx in xmlsafe.findall(dtls, "TxDtls")
    )
    return CamtEntry(
        lineno=elem.sourceline or 0,
        amount=signed(number, sign),
        currency=currency,
        booking_date=booking,
        value_date=parse_date(filepath, elem, "ValDt"),
        status=status,
        reversal=(xmlsafe.text(elem, "RvslInd") or "").lower() in ("true", "1"),
        bank_ref=xmlsafe.text(elem, "AcctSvcrRef"),
        entry_ref=xmlsafe.text(elem, "NtryRef"),
        info=xmlsafe.text(elem, "AddtlNtryInf"),
        details=details,
        bank_tx_code=bank_transaction_code(elem),
        bank_tx_proprietary=proprietary_code(elem),
    )


def parse_balance(filepath: str, elem: Any) -> StatementBalance:
    """One ``<Bal>`` element: type code, signed amount and date."""
    code = xmlsafe.text(elem, "Tp/CdOrPrtry/Cd") or xmlsafe.text(elem, "Tp/CdOrPrtry/Prtry") or ""
    number, currency = parse_amount(filepath, elem, "Amt")
    date = parse_date(filepath, elem, "Dt")
    if date is None:
        raise _fail(filepath, elem, "<Bal>", "<Dt> mangler")
    return StatementBalance(
        elem.sourceline or 0, code, signed(number, parse_sign(filepath, elem)), currency, date
    )


def parse_statements(filepath: str) -> Iterator[Statement]:
    """Stream the statements of a camt.053 file, one :class:`Statement` at a time.

    Raises:
        DocumentError: not camt.053 001.02/.03/.04/.08, unsafe or malformed XML, a missing element.
    """
    current: Statement | None = None
    seen_statement = False
    for event, elem in xmlsafe.iterparse(filepath):
        name = xmlsafe.local(elem)
        parent_elem = elem.getparent()
        parent = xmlsafe.local(parent_elem) if parent_elem is not None else ""
        if event == "start":
            if not parent:
                _check_root(filepath, elem)
            elif name == "Stmt":
                current, seen_statement = Statement(lineno=elem.sourceline or 0), True
            continue
        if current is not None and parent == "Stmt":
            _read_statement_child(filepath, current, name, elem)
        elif name == "Stmt" and current is not None:
            if not current.account_id:
                raise _fail(filepath, elem, "<Stmt>", "<Acct>/<Id> mangler")
            yield current
            current = None
            xmlsafe.release(elem)
        elif name == "BkToCstmrStmt" and not seen_statement:
            raise _fail(filepath, elem, "<BkToCstmrStmt>", "ingen <Stmt> (kontoutskrift) i filen")
        elif not parent and not seen_statement:
            raise _fail(filepath, elem, "<Document>", "ingen <BkToCstmrStmt> i filen")


def _check_root(filepath: str, elem: Any) -> None:
    if xmlsafe.local(elem) != "Document" or xmlsafe.namespace(elem) not in VERSIONS:
        raise _fail(
            filepath,
            elem,
            f"<{xmlsafe.local(elem)}>",
            f"ikke et camt.053-dokument 001.02/.03/.04/.08 (navnerom {xmlsafe.namespace(elem)!r})",
        )


def _read_statement_child(filepath: str, statement: Statement, name: str, elem: Any) -> None:
    if name == "Id":
        statement.statement_id = (elem.text or "").strip()
    elif name == "Acct":
        statement.account_id = parse_account_id(elem) or ""
        statement.currency = xmlsafe.text(elem, "Ccy")
    elif name == "AddtlStmtInf":
        statement.info = " ".join((elem.text or "").split()) or None
    elif name == "Bal":
        statement.balances.append(parse_balance(filepath, elem))
    elif name == "Ntry":
        entry = parse_entry(filepath, elem)
        if entry.status == "BOOK":
            statement.entries.append(entry)
        xmlsafe.release(elem)


def first_account_id(filepath: str) -> str | None:
    """The account id of the first statement in ``filepath`` (None if unreadable)."""
    try:
        for event, elem in xmlsafe.iterparse(filepath):
            parent = elem.getparent()
            at_account = event == "end" and xmlsafe.local(elem) == "Acct"
            if at_account and parent is not None and xmlsafe.local(parent) == "Stmt":
                return parse_account_id(elem)
    except DocumentError:
        return None
    return None


def entry_link(account_id: str, entry: CamtEntry, occurrence: int) -> str:
    """``camt-<bank reference>``, or ``camt-<digest>`` of the entry when the bank gives none."""
    if entry.bank_ref:
        return "camt-" + link_token(entry.bank_ref)
    first = entry.details[0] if entry.details else TxDetail()
    digest = stable_id(
        account_id,
        entry.booking_date,
        entry.amount,
        entry.currency,
        entry.entry_ref,
        first.end_to_end_id,
        first.kid,
        first.remittance,
        first.counterparty,
        occurrence,
    )
    return "camt-" + digest


def _code_meta(code: tuple[str | None, str | None, str | None]) -> dict[str, str]:
    keys = ("bank-tx-domain", "bank-tx-family", "bank-tx-subfamily")
    return {key: value for key, value in zip(keys, code, strict=True) if value is not None}


def _detail_meta(
    meta: dict[str, Any], detail: TxDetail, entry_code: tuple[str | None, ...] = (None,) * 3
) -> dict[str, Any]:
    pairs = (
        ("end-to-end-id", detail.end_to_end_id),
        ("kid", detail.kid),
        ("debtor", detail.debtor),
        ("debtor-account", detail.debtor_account),
        ("creditor", detail.creditor),
        ("creditor-account", detail.creditor_account),
        ("proprietary-ref", detail.proprietary_refs),
        *(_code_meta(detail.bank_tx_code).items() if detail.bank_tx_code != entry_code else ()),
        ("remittance", detail.remittance),
        ("original-amount", detail.original_amount),
        ("exchange-rate", detail.exchange_rate),
    )
    return {**meta, **{key: value for key, value in pairs if value is not None}}


def counter_postings(entry: CamtEntry, counter_account: str) -> list[data.Posting]:
    """Suspense postings: one per payment of a batch whose amounts add up, else one in all."""
    amounts = [d.amount for d in entry.details]
    complete = len(entry.details) > 1 and all(a is not None for a in amounts)
    if complete and sum(a for a in amounts if a is not None) == entry.amount:
        return [
            data.Posting(
                counter_account,
                Amount(negate(d.amount or Decimal(0)), entry.currency),
                None,
                None,
                None,
                _detail_meta({}, d, entry.bank_tx_code),
            )
            for d in entry.details
        ]
    return [
        data.Posting(
            counter_account, Amount(negate(entry.amount), entry.currency), None, None, None, None
        )
    ]


def build_transaction(
    filepath: str,
    statement: Statement,
    entry: CamtEntry,
    *,
    account: str,
    counter_account: str,
    link: str,
) -> data.Transaction:
    """The Beancount transaction for one statement entry."""
    meta = data.new_metadata(filepath, entry.lineno)
    if entry.bank_ref:
        meta["bank-ref"] = entry.bank_ref
    if entry.entry_ref:
        meta["entry-ref"] = entry.entry_ref
    if entry.value_date and entry.value_date != entry.booking_date:
        meta["value-date"] = entry.value_date
    meta["statement"] = statement.statement_id
    if statement.info:
        meta["statement-info"] = statement.info
    meta.update(_code_meta(entry.bank_tx_code))
    if entry.bank_tx_proprietary:
        meta["bank-tx-proprietary"] = entry.bank_tx_proprietary
    single = entry.details[0] if len(entry.details) == 1 else None
    if single is not None:
        meta = _detail_meta(meta, single, entry.bank_tx_code)
        meta.pop("remittance", None)
    if len(entry.details) > 1:
        meta["batch-size"] = Decimal(len(entry.details))
    payee = single.counterparty if single else None
    batch = f"Samlebetaling av {len(entry.details)} betalinger" if len(entry.details) > 1 else ""
    narration = (single.remittance if single else None) or entry.info or batch
    if single and not single.remittance and single.kid:
        narration = narration or f"KID {single.kid}"
    postings = [
        data.Posting(account, Amount(entry.amount, entry.currency), None, None, None, None),
        *counter_postings(entry, counter_account),
    ]
    tags = frozenset({"reversal"}) if entry.reversal else data.EMPTY_SET
    return data.Transaction(
        meta, entry.booking_date, "*", payee, narration, tags, frozenset({link}), postings
    )


def opening_balance(statement: Statement) -> StatementBalance | None:
    """The statement's opening: its OPBD, else its PRCD (previously closed booked) balance."""
    for code in (OPENING, PREVIOUS_CLOSING):
        found = next((bal for bal in statement.balances if bal.code == code), None)
        if found is not None:
            return found
    return None


def closing_balance(statement: Statement) -> StatementBalance | None:
    """The statement's closing booked balance (CLBD), None when it gives none."""
    return next((bal for bal in statement.balances if bal.code == CLOSING), None)


def account_currency(statement: Statement) -> str | None:
    """``<Acct>/<Ccy>``, else the currency of the opening balance or of the first entry."""
    if statement.currency:
        return statement.currency
    opening = opening_balance(statement)
    if opening is not None:
        return opening.currency
    return statement.entries[0].currency if statement.entries else None


def check_statement(
    filepath: str, statement: Statement, declared: Sequence[str] = ()
) -> list[DocumentError]:
    """What makes a statement unbookable: a balance or entry in another currency than the
    account's (or than the Beancount account's ``open`` allows), or an opening balance plus
    the booked entries that is not the closing balance."""
    errors = currency_problems(filepath, statement, declared)
    opening, closing = opening_balance(statement), closing_balance(statement)
    if errors or opening is None or closing is None:
        return errors
    moved = sum((entry.amount for entry in statement.entries), Decimal(0))
    if opening.amount + moved != closing.amount:
        message = (
            f"kontoutskriften går ikke opp: inngående {opening.code} {opening.amount} + "
            f"{len(statement.entries)} bokførte poster {moved} = {opening.amount + moved}, men "
            f"utgående saldo er {closing.amount} {closing.currency} "
            f"(differanse {closing.amount - opening.amount - moved})"
        )
        errors.append(DocumentError(filepath, closing.lineno, "<Bal> CLBD", message))
    return errors


def currency_problems(
    filepath: str, statement: Statement, declared: Sequence[str] = ()
) -> list[DocumentError]:
    """Each balance and entry of ``statement`` in another currency than its account's
    (``<Acct><Ccy>``, else the opening's) or than the Beancount account's ``open`` allows
    (``declared``), at its line: such a statement cannot be compared with the books."""
    currency = account_currency(statement)
    allowed = {currency} if currency else set()
    if declared:
        allowed &= set(declared) if currency in declared else set()
    errors = []
    where = f"konto {statement.account_id}"
    account_is = f"{where} er i {currency}" + (
        f" (kontoen i regnskapet tillater {', '.join(declared)})" if declared else ""
    )
    opening, closing = opening_balance(statement), closing_balance(statement)
    for bal in (b for b in (opening, closing) if b is not None):
        if bal.currency not in allowed:
            message = f"{bal.amount} {bal.currency} avvist: {account_is}"
            errors.append(DocumentError(filepath, bal.lineno, f"<Bal> {bal.code}", message))
    for entry in statement.entries:
        if entry.currency not in allowed:
            message = f"{entry.amount} {entry.currency} avvist: {account_is}"
            errors.append(DocumentError(filepath, entry.lineno, "<Ntry>", message))
    return errors


def build_balances(filepath: str, statement: Statement, account: str) -> list[data.Balance]:
    """``balance`` assertions: the opening (OPBD on its date, or PRCD the day after its date when
    there is no OPBD) and CLBD on the day after its date."""
    result = []
    for bal in (opening_balance(statement), closing_balance(statement)):
        if bal is None:
            continue
        date = bal.date if bal.code == OPENING else bal.date + ONE_DAY
        meta = data.new_metadata(filepath, bal.lineno)
        meta["statement"] = statement.statement_id
        meta["balance-type"] = bal.code
        if statement.info:
            meta["statement-info"] = statement.info
        result.append(
            data.Balance(meta, date, account, Amount(bal.amount, bal.currency), None, None)
        )
    return result


def counter_currency_problems(
    filepath: str, statement: Statement, counter_account: str, declared: Sequence[str]
) -> list[DocumentError]:
    """Each entry of ``statement`` in a currency the counter (suspense) account's ``open``
    does not allow (``declared``; none: any), at its line: its suspense posting would be
    Beancount's error "Invalid currency" in the file written."""
    if not declared:
        return []
    allowed = ", ".join(declared)
    return [
        DocumentError(
            filepath, entry.lineno, "<Ntry>",
            f"{entry.amount} {entry.currency} avvist: motkontoen {counter_account} tillater "
            f"{allowed}, så posten kan ikke føres mot den: åpne den også for {entry.currency} "
            f"(open {counter_account} {','.join((*declared, entry.currency))}), eller oppgi en "
            "annen motkonto med --counter-account eller counter-account: på nhnfin-bank-account",
        )
        for entry in statement.entries
        if entry.currency not in declared
    ]


def declared_currencies(existing: Iterable[data.Directive]) -> dict[str, tuple[str, ...]]:
    """Account → the currencies its ``open`` directive allows (accounts that restrict them)."""
    return {
        entry.account: tuple(entry.currencies)
        for entry in existing
        if isinstance(entry, data.Open) and entry.currencies
    }


def extract_statements(
    filepath: str,
    accounts: Mapping[str, str],
    counter_account: str,
    existing: Iterable[data.Directive] = (),
    *,
    strict: bool = False,
) -> list[data.Directive]:
    """All transactions and balance assertions of ``filepath``.

    With ``strict`` (what the importer does) every statement is checked first
    (:func:`check_statement`, and :func:`counter_currency_problems`: an entry in a currency the
    counter account's ``open`` does not allow); without it a statement is read as the bank
    wrote it, which is what ``nhnfin reconcile`` compares with the ledger: only a balance or
    entry in another currency than the account's, or than its ``open`` in ``existing`` allows,
    is refused (:func:`currency_problems`), since no balance of the books can be compared with it.

    Raises:
        DocumentError: unreadable file, or a statement for an account not in ``accounts``.
        DocumentErrors: statements in another currency than their account, and (``strict``)
            statements that do not add up (every one of the file, each at its line).
    """
    entries: list[data.Directive] = []
    problems: list[DocumentError] = []
    currencies = declared_currencies(existing)
    seen: dict[str, int] = {}
    for statement in parse_statements(filepath):
        account = accounts.get(statement.account_id)
        if account is None:
            raise DocumentError(
                filepath,
                statement.lineno,
                "<Stmt>/<Acct>",
                f"konto {statement.account_id} er ikke satt opp med nhnfin-bank-account "
                f"(satt opp: {', '.join(sorted(accounts)) or 'ingen'})",
            )
        check = check_statement if strict else currency_problems
        problems.extend(check(filepath, statement, currencies.get(account, ())))
        if strict:  # what is booked against the counter account; reconcile books nothing
            problems.extend(counter_currency_problems(filepath, statement, counter_account,
                                                      currencies.get(counter_account, ())))
        entries.extend(build_balances(filepath, statement, account))
        for entry in statement.entries:
            base = entry_link(statement.account_id, entry, 0)
            occurrence = seen.get(base, 0)
            seen[base] = occurrence + 1
            link = base if occurrence == 0 or entry.bank_ref else None
            link = link or entry_link(statement.account_id, entry, occurrence)
            entries.append(
                build_transaction(
                    filepath,
                    statement,
                    entry,
                    account=account,
                    counter_account=counter_account,
                    link=link,
                )
            )
    if len(problems) == 1:
        raise problems[0]
    if problems:
        raise DocumentErrors(problems)
    return entries


class Camt053Importer(beangulp.Importer):
    """beangulp importer for camt.053 statements of the configured bank accounts.

    Args:
        accounts: IBAN (or other account id) → Beancount account, e.g.
            ``{"NO9386011117947": "Assets:1920-Bank"}``. Spaces and case in keys do not matter.
        counter_account: the suspense account every entry is booked against.
    """

    def __init__(
        self, accounts: Mapping[str, str], counter_account: str = DEFAULT_COUNTER_ACCOUNT
    ) -> None:
        self.accounts = {normalise_account_id(k): v for k, v in accounts.items()}
        self.counter_account = counter_account

    def identify(self, filepath: str) -> bool:
        """True for an XML document in a camt.053 001.02, .03, .04 or .08 namespace."""
        if not filepath.lower().endswith(".xml"):
            return False
        root = xmlsafe.root_element(filepath)
        return root is not None and xmlsafe.namespace(root) in VERSIONS

    def account(self, filepath: str) -> data.Account:
        """The Beancount account of the file's first statement."""
        account_id = first_account_id(filepath)
        if account_id in self.accounts:
            return self.accounts[account_id]
        return next(iter(self.accounts.values()))

    def date(self, filepath: str) -> datetime.date | None:
        """The archive date: the last statement's closing balance date, else its last booking
        date (None for a file that cannot be read)."""
        try:
            statements = list(parse_statements(filepath))
        except (DocumentError, OSError):
            return None
        dates = [
            bal.date for s in statements for bal in s.balances if bal.code == CLOSING
        ] or [entry.booking_date for s in statements for entry in s.entries]
        return max(dates, default=None)

    def extract(self, filepath: str, existing: data.Entries) -> data.Entries:
        """Transactions and balance assertions of every statement in the file."""
        return extract_statements(
            filepath, self.accounts, self.counter_account, existing or [], strict=True
        )

    cmp = staticmethod(same_import)
