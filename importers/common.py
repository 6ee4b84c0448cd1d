"""Helpers shared by the nhnfin importers: document errors, names, links, ids and dedup.

Every importer reports a document it cannot read with :class:`DocumentError`, whose message
starts with ``file:line:`` and names the element or column at fault, so the CLI prints one clear
line. Account-name components are built with :func:`account_component` (every letter kept:
Beancount accepts æøå in an account name, and "Ås kommune" and "As kommune" must stay apart),
Beancount links (ASCII) with :func:`link_token`, and ids that must be the same on every import
with :func:`stable_id`.
:func:`same_import` is the ``cmp`` the importers give beangulp: two entries are the same when
they share an importer link (``^camt-…``, ``^inv-…``, ``^saft-…``) or, for the directives
without links, when their account, date and amount agree.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from decimal import Decimal
from typing import Any

from beancount.core import account
from beancount.core import data

from nhnfin.provenance import IMPORT_LINK_PREFIXES

#: Link prefixes the importers own; ``same_import`` compares only these links.
LINK_PREFIXES = IMPORT_LINK_PREFIXES

_TRANSLIT = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "Æ": "Ae", "Ø": "O", "Å": "A"})
_NOT_WORD = re.compile(r"[^\w]|_", re.UNICODE)
_NOT_LINK = re.compile(r"[^A-Za-z0-9\-_/.]+")


class DocumentError(ValueError):
    """A document the importer cannot read, located at ``filepath:lineno`` and an element."""

    def __init__(self, filepath: str, lineno: int | None, where: str, message: str) -> None:
        self.filepath = filepath
        self.lineno = lineno
        self.where = where
        self.message = message
        location = f"{filepath}:{lineno}" if lineno else filepath
        super().__init__(f"{location}: {where}: {message}")


class DocumentErrors(ValueError):
    """Several :class:`DocumentError` of one document, reported together (one per line)."""

    def __init__(self, errors: list[DocumentError]) -> None:
        self.errors = errors
        super().__init__("\n".join(str(error) for error in errors))


def negate(number: Decimal) -> Decimal:
    """``-number``, but zero stays ``0.00`` (Decimal keeps a sign on zero: ``-0.00``)."""
    return -number if number else abs(number)


def signed(number: Decimal, sign: Decimal) -> Decimal:
    """``number * sign`` without a negative zero."""
    return number * sign if number else abs(number)


def account_component(text: str, fallback: str = "Unnamed") -> str:
    """A Beancount account component from free text, keeping every letter ("Ærlig Øl" →
    "Ærlig-Øl"), so "Ås kommune" and "As kommune" get distinct accounts.

    The text is NFC-normalised; each run of characters that are neither letters nor digits
    becomes one dash; the first letter is upper-cased (a component that cannot start with a
    capital, e.g. in a script without case, starts with ``X-``). Beancount's own check
    (``account.is_valid``) decides; text it would still refuse gives ``fallback``.
    """
    text = unicodedata.normalize("NFC", text)
    cleaned = "-".join(part for part in _NOT_WORD.split(text) if part)
    if not cleaned:
        return fallback
    first = cleaned[0].upper()
    component = (first if len(first) == 1 else cleaned[0]) + cleaned[1:]
    if not account.is_valid(f"Assets:{component}"):
        component = f"X-{component}"
    return component if account.is_valid(f"Assets:{component}") else fallback


def _ascii(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text.translate(_TRANSLIT))
    return ascii_text.encode("ascii", "ignore").decode("ascii")


def link_token(text: str) -> str:
    """``text`` with every character a Beancount link cannot hold replaced by ``_``."""
    return _NOT_LINK.sub("_", text.strip()) or "_"


def unique_link(prefix: str, *parts: str) -> str:
    """A link for the thing ``parts`` name (an invoice number and its customer): a readable
    ASCII form of the first part and a digest of all of them in full Unicode, so ``Ø-1`` and
    ``Å-1``, or one number for two customers, never share a link (Beancount links are ASCII)."""
    readable = _NOT_LINK.sub("_", _ascii(parts[0]).strip()).strip("_") or "x"
    return f"{prefix}{readable[:40]}-{stable_id(*parts)[:10]}"


def stable_id(*parts: object) -> str:
    """A 16-hex-digit digest of ``parts``: the same input gives the same id on every run."""
    joined = "\x1f".join(str(part) for part in parts)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:16]


def importer_links(entry: data.Directive) -> frozenset[str]:
    """The links of ``entry`` that one of our importers made (empty for non-transactions)."""
    links = getattr(entry, "links", None) or frozenset()
    return frozenset(link for link in links if link.startswith(LINK_PREFIXES))


def same_import(entry1: data.Directive, entry2: data.Directive) -> bool:
    """True when ``entry1`` (just extracted) is already booked as ``entry2``.

    Transactions match on a shared importer link; Balance, Open and Note directives match on
    their type, account, date and amount (or comment), which is what makes them unique.
    """
    if type(entry1) is not type(entry2):
        return False
    if isinstance(entry1, data.Transaction):
        return bool(importer_links(entry1) & importer_links(entry2)) or _same_invoice(
            entry1, entry2
        )
    return _key(entry1) == _key(entry2)


def _same_invoice(entry1: data.Directive, entry2: data.Directive) -> bool:
    """Both are the invoice of one number to one customer (their ``invoice:`` and ``customer:``
    metadata, in full Unicode): also an invoice booked before the links held the customer."""
    keys = [(e.meta.get("invoice"), e.meta.get("customer")) for e in (entry1, entry2)]
    return all(isinstance(v, str) for v in keys[0]) and keys[0] == keys[1]


def _key(entry: Any) -> tuple[Any, ...]:
    if isinstance(entry, data.Balance):
        return (entry.date, entry.account, entry.amount)
    if isinstance(entry, data.Open):
        return (entry.account,)
    if isinstance(entry, data.Note):
        return (entry.date, entry.account, entry.comment)
    return (id(entry),)
