"""Which postings belong to which grant (note 3): the links controllers put on ordinary entries.

A posting is linked to grants by the ``grant`` metadata on the posting, else on its transaction,
else by one tag ``#grant-<id>`` on the transaction. The value is one grant id (the whole amount)
or shares in percent, ``"A:60,B:40"``; shares may add up to less than 100 % (the rest is NHN's own
money) but not to more. Amounts are split by largest remainder, so the parts are exact in øre.

Three kinds of linked posting matter:

- **cost**: a posting to an ``Expenses`` account; the grant covers it (income in step).
- **investment**: a debit to a fixed-asset cost account (NS 4102 1000-1299, the number not ending
  in 8 or 9) with ``asset: "<id>"`` on the posting or transaction; the grant funds the asset.
- **funding**: a posting to the grant's own liability or receivable account (a payment received).
- **deferred**: a hand-booked posting to the grant's deferred investment grant (2930) with an
  ``asset`` id, typically an opening balance; the asset's depreciation then takes it to income.

Generated transactions (tag ``#nhnfin-generated``) are never links.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from decimal import InvalidOperation
from typing import Any
from typing import Literal
from typing import NamedTuple

from beancount.core import data
from beancount.core.position import Cost

from nhnfin.accounts import account_number
from nhnfin.accounts import is_under
from nhnfin.config import marked_transactions
from nhnfin.errors import given_twice
from nhnfin.grants.models import CURRENCY
from nhnfin.grants.models import Grant
from nhnfin.grants.models import GrantError
from nhnfin.grants.models import Meta
from nhnfin.lock_guard import link_parts
from nhnfin.money import ZERO
from nhnfin.money import allocate
from nhnfin.money import norwegian
from nhnfin.provenance import GENERATED_TAG as GENERATED

__all__ = ["CURRENCY", "Link", "collect_links", "parse_shares", "split"]

TAG_PREFIX = "grant-"
HUNDRED = Decimal(100)
Kind = Literal["cost", "investment", "funding", "deferred"]
#: a kind of linked posting as a controller names it (in messages)
KIND_WORDS = {"cost": "kostnaden", "investment": "investeringen", "funding": "finansieringen",
              "deferred": "det utsatte tilskuddet"}


@dataclass(frozen=True)
class Link:
    """The part of one posting that belongs to one grant."""

    grant: str
    kind: Kind
    date: datetime.date
    account: str
    amount: Decimal
    asset: str | None
    meta: Meta
    seq: int
    brought_in: bool = False  # a posting of the books' opening balance (a balance at the start)
    # the posting's file and line (None: a posting with no place, made by code), and whether
    # the part is the whole posting (not a share of it): then the posting alone makes the part
    place: tuple[str, int] | None = None
    whole: bool = True


def parse_shares(spec: str) -> list[tuple[str, Decimal]]:
    """``"A"`` -> [("A", 100)]; ``"A:60,B:40"`` -> [("A", 60), ("B", 40)].

    Raises:
        ValueError: empty parts, a share that is not a positive number, a grant named twice, or
            shares adding up to more than 100 %.
    """
    shares: list[tuple[str, Decimal]] = []
    for (gid, share_text), part in zip(link_parts(spec), spec.split(","), strict=True):
        try:
            share = Decimal(share_text) if share_text else HUNDRED
        except InvalidOperation as exc:
            raise ValueError(f"andelen {share_text!r} av {gid!r} er ikke et tall") from exc
        if not gid or not share.is_finite() or share <= 0:
            raise ValueError(f"{part.strip()!r} er ikke 'id' eller 'id:prosent'")
        if any(gid == other for other, _ in shares):
            raise ValueError(given_twice(f"tilskuddet {gid!r}"))
        shares.append((gid, share))
    total = sum((s for _, s in shares), ZERO)
    if total > HUNDRED:
        raise ValueError(f"andelene er til sammen {total} %, mer enn 100 %")
    return shares


def split(amount: Decimal, shares: list[tuple[str, Decimal]]) -> list[Decimal]:
    """Each grant's part of ``amount`` (largest remainder; the unlinked rest is left out)."""
    return allocate(amount, split_weights(shares))[: len(shares)]


def split_weights(shares: list[tuple[str, Decimal]]) -> list[Decimal]:
    """The weights :func:`split` allocates by: each grant's share and, when the shares add up
    to less than 100 %, the unlinked rest last."""
    weights = [s for _, s in shares]
    rest = HUNDRED - sum(weights, ZERO)
    return [*weights, rest] if rest > 0 else weights


class _Reading(NamedTuple):
    """One link spec as :func:`collect_links` reads it once for all its postings: the shares,
    the weights :func:`split` takes (:func:`split_weights`) and whether every grant it names is
    declared."""

    shares: list[tuple[str, Decimal]]
    weights: list[Decimal]
    declared: bool


def is_fixed_asset(account: str) -> bool:
    """Balance-sheet fixed assets: NS 4102 1000-1299 (cost, depreciation and impairment)."""
    number = account_number(account)
    return account.startswith("Assets:") and number is not None and 1000 <= number <= 1299


def is_asset_cost(account: str) -> bool:
    """A fixed asset's cost account (not accumulated depreciation x9 nor impairment x8)."""
    number = account_number(account)
    return is_fixed_asset(account) and number is not None and number % 10 not in (8, 9)


def asset_of(txn: data.Transaction, posting: data.Posting) -> str | None:
    """The asset id of a posting: its own ``asset`` meta, else the transaction's."""
    value = (posting.meta or {}).get("asset", txn.meta.get("asset"))
    return str(value) if value is not None else None


def weight_nok(posting: data.Posting) -> Decimal | None:
    """The posting's weight in NOK (at cost or price if it has one), or None."""
    units = posting.units
    if units is None or units.number is None:
        return None
    cost, price = posting.cost, posting.price
    if isinstance(cost, Cost):
        return units.number * cost.number if cost.currency == CURRENCY else None
    if price is not None and price.number is not None:
        return units.number * price.number if price.currency == CURRENCY else None
    return units.number if units.currency == CURRENCY else None


def place_of(posting: data.Posting) -> tuple[str, int] | None:
    """The posting's file and line, from its metadata (None when it has none)."""
    meta = posting.meta or {}
    if "filename" not in meta or "lineno" not in meta:
        return None
    return str(meta["filename"]), int(meta["lineno"])


def _txn_spec(txn: data.Transaction) -> tuple[str | None, str | None]:
    """The transaction-level link (meta ``grant`` or one ``#grant-<id>`` tag), or an error."""
    if "grant" in txn.meta:
        return str(txn.meta["grant"]), None
    if not txn.tags:  # the common case, without building a sorted list
        return None, None
    tags = sorted(t[len(TAG_PREFIX):] for t in txn.tags if t.startswith(TAG_PREFIX))
    if len(tags) > 1:
        return None, f"flere tilskuddsmerker {tags}: bruk grant: \"A:60,B:40\" for å fordele"
    return (tags[0] if tags else None), None


def _kind(posting: data.Posting, grant: Grant) -> Kind | None:
    account = posting.account
    if account.startswith("Expenses:"):
        return "cost"
    if is_asset_cost(account):
        return "investment"
    if is_under(account, grant.liability) or is_under(account, grant.receivable):
        return "funding"
    if is_under(account, grant.deferred):
        return "deferred"
    return None


def _period_error(grant: Grant, kind: Kind, day: datetime.date) -> str | None:
    if kind in ("funding", "deferred"):
        return None
    if day < grant.start:
        return f"tilskuddet {grant.id!r} er brukt før perioden: {day} er før start {grant.start}"
    if grant.end is not None and day > grant.end:
        return f"tilskuddet {grant.id!r} er brukt etter perioden: {day} er etter slutt {grant.end}"
    ready = grant.ready_for_management
    if kind == "cost" and ready is not None and day > ready:
        return (f"tilskuddet {grant.id!r} dekker drift bare til tjenesten er klar til bruk "
                f"({ready}); kostnaden {day} er ikke dekket")
    return None


def _shares_of(spec: str, grants: dict[str, Grant], read: dict[str, _Reading | str]
               ) -> _Reading | str:
    """:func:`parse_shares` of ``spec`` (with its weights and whether ``grants`` declares each
    grant) or the message of what is wrong with it, from ``read`` (one reading per spec for one
    :func:`collect_links`: thousands of postings share a few)."""
    found = read.get(spec)
    if found is None:
        try:
            shares = parse_shares(spec)
        except ValueError as exc:
            found = read[spec] = f"ugyldig tilskuddskobling {spec!r}: {exc}"
        else:
            found = read[spec] = _Reading(shares, split_weights(shares),
                                          all(g in grants for g, _ in shares))
    return found


def _posting_links(
    txn: data.Transaction, posting: data.Posting, spec: str, grants: dict[str, Grant], seq: int,
    read: dict[str, _Reading | str], brought_in: bool = False,
) -> tuple[list[Link], list[str]]:
    """The links of one posting and the messages of what is wrong with them (``read``: the
    specs read so far, :func:`_shares_of`)."""
    amount = weight_nok(posting)
    if amount is None:
        return [], []
    reading = _shares_of(spec, grants, read)
    if isinstance(reading, str):
        return [], [reading]
    shares = reading.shares
    if not reading.declared:  # the error at the mark: lock_guard.dangling_marks
        return [], []
    try:
        parts = allocate(amount, reading.weights)[: len(shares)]  # split(amount, shares)
    except ValueError as exc:
        return [], [f"kan ikke fordele {norwegian(amount)} NOK på {spec!r}: {exc}"]
    links: list[Link] = []
    problems: list[str] = []
    for (gid, _), part in zip(shares, parts, strict=True):
        kind = _kind(posting, grants[gid])
        if kind is None or (kind == "investment" and part <= 0):
            continue
        asset = asset_of(txn, posting)
        problem = _period_error(grants[gid], kind, txn.date)
        if problem is None and kind in ("investment", "deferred") and asset is None:
            problem = (f"{KIND_WORDS[kind]} koblet til tilskuddet {gid!r} på {posting.account} "
                       "har ingen "
                       "eiendels-id (asset: \"<id>\"), så avskrivningen kan ikke følges")
        if problem is not None:
            problems.append(problem)
            continue
        links.append(Link(gid, kind, txn.date, posting.account, part, asset, txn.meta, seq,
                          brought_in, place_of(posting), part == amount))
    return links, problems


def collect_links(
    entries: list[Any], grants: dict[str, Grant], opening: frozenset[int] = frozenset()
) -> tuple[list[Link], list[GrantError]]:
    """Every linked posting part in the ledger, and an error for each bad link; those of the
    transactions whose ``id`` is in ``opening`` (the books' opening balance) are brought in."""
    links: list[Link] = []
    errors: list[GrantError] = []
    read: dict[str, _Reading | str] = {}
    for seq, txn in marked_transactions(entries, ("grant",)):  # those with a grant link among them
        if not isinstance(txn, data.Transaction) or GENERATED in txn.tags:
            continue
        txn_spec, problem = _txn_spec(txn)
        seen: set[tuple[Any, str]] = set()
        if problem:
            errors.append(GrantError(txn.meta, problem, txn))
        for posting in txn.postings:
            meta = posting.meta
            own = meta.get("grant") if meta else None
            spec = str(own) if own is not None else txn_spec
            if spec is None:
                continue
            found, problems = _posting_links(txn, posting, spec, grants, seq, read,
                                             id(txn) in opening)
            links.extend(found)
            where = posting.meta if own is not None and posting.meta else txn.meta
            for message in problems:
                if (where.get("lineno"), message) not in seen:
                    seen.add((where.get("lineno"), message))
                    errors.append(GrantError(where, message, txn))
    return links, errors
