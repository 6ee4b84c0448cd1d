"""What a drill makes, computed from the ledger: the figures of a figure's parts, for the page
that lists them (:func:`nhnfin.fava_ext.views.parts_page`).

A part from postings makes its sign × the sum of the NOK weights of the postings its query
lists (a holding, :attr:`nhnfin.model.Drill.units`: of their units in its currency); a part from
declared data the values its directives declare under their keys (a note-data value, a
cost-basis line's amount or its part, a volume's count, an amount in a directive's metadata, a
printed cell of the published document, an asset's life or the bound of the life the notes
layout prints, a ``price`` directive's rate); a count the number of items it lists; a quotient,
an amount at a rate, units at a price and a rounding are computed from their operands as the
figure's builder computes them.

A query runs on the transactions its postings can come from, not on the whole ledger: each
alternative (``OR``) of its WHERE clause names the accounts it takes (``account ~ '…'``, matched
as beanquery matches it) and usually a period, so only the transactions with a posting to such
an account in that period can hold a posting it lists (:func:`reaches`, :class:`PostingReach`).
Beanquery still evaluates the whole clause on them, with every directive that is not a
transaction; a clause with an alternative that names no account runs on the whole ledger.
"""

from __future__ import annotations

import datetime
import functools
import json
import re
import threading
from array import array
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass
from dataclasses import replace
from decimal import ROUND_HALF_UP
from decimal import Decimal
from pathlib import Path
from typing import Any

import beanquery
from beancount.core import data
from beancount.core.compare import hash_entry
from beanquery import parser as bql
from beanquery.parser import ast as bql_ast

from nhnfin.assets.note8 import LIFE_KEYS
from nhnfin.assets.note8 import life_value
from nhnfin.config import posting_index
from nhnfin.cost_basis.directives import PARSERS as COST_BASIS_DIRECTIVES
from nhnfin.cost_basis.directives import parse as parse_cost_basis
from nhnfin.cost_basis.drills import line_value
from nhnfin.drill import PRICE_KEY
from nhnfin.drill import where
from nhnfin.fava_ext.clauses import parse_where
from nhnfin.ledger import Ledger
from nhnfin.model import Drill
from nhnfin.money import ORE
from nhnfin.notes.note_data import parse_fact

ZERO = Decimal(0)
# A cell of a published document: "is:line:2024" (a statement by its key's initials),
# "n2.0:row:column" (note 2's first table), or "n3.text:key" (a figure note 3's text quotes).
_CELL = re.compile(r"(?:n(?P<note>\w+)\.(?P<table>\d+)|(?P<statement>[a-z]+)):(?P<row>[^:]+)"
                   r":(?P<column>[^:]+)")
_TEXT_CELL = re.compile(r"n(?P<note>\w+)\.text:(?P<key>.+)")
_FIRST_NUMBER = re.compile(r"-?\d+(?:[.,]\d+)?")


def published_cell(document: dict[str, Any], cell: str) -> Decimal | None:
    """The figure a published document prints in ``cell`` (a text's figure in millions in
    kroner, the first of a range); None when the document has no such cell."""
    text = _TEXT_CELL.fullmatch(cell)
    if text is not None:
        note = document.get("notes", {}).get(text["note"], {})
        quoted = [f for f in note.get("narrative_figures", []) if f.get("key") == text["key"]]
        first = _FIRST_NUMBER.search(str(quoted[0].get("value"))) if len(quoted) == 1 else None
        if first is None:
            return None
        scale = Decimal(1_000_000) if quoted[0].get("unit") == "MNOK" else Decimal(1)
        return Decimal(first.group().replace(",", ".")) * scale
    match = _CELL.fullmatch(cell)
    if match is None:
        return None
    row, column = match["row"], match["column"]
    if match["note"] is not None:
        tables = document.get("notes", {}).get(match["note"], {}).get("tables", [])
        table = tables[int(match["table"])] if int(match["table"]) < len(tables) else {}
        found = [r["values"].get(column) for r in table.get("rows", []) if r.get("key") == row]
    else:
        statements = [rows for key, rows in document.get("statements", {}).items()
                      if "".join(w[0] for w in key.split("_")) == match["statement"]]
        found = [r.get(column) for rows in statements for r in rows if r.get("key") == row]
    return Decimal(str(found[0])) if len(found) == 1 and found[0] is not None else None


@dataclass(frozen=True)
class Reach:
    """Where the postings of one alternative of a WHERE clause can be: on an account that
    ``pattern`` matches as beanquery's ``~`` matches (``re.search``, ignoring case), dated from
    ``start`` (None: any date) to ``end`` (exclusive; None: any date), in a transaction whose
    ``id`` passes every test of ``ids``: its conjuncts ``id IN v`` and ``NOT (id IN v)`` (or
    ``id NOT IN v``), as (the term, ``v``, whether the id must be in ``v``)."""

    pattern: str
    start: datetime.date | None = None
    end: datetime.date | None = None
    ids: tuple[tuple[Any, Any, bool], ...] = ()

    def admits(self, entry_id: str) -> bool:
        """Whether a transaction of this id passes the id tests (``operator.contains``, as
        beanquery's ``IN`` tests: a list holds the id, a string contains it)."""
        return all((entry_id in value) == inside for _, value, inside in self.ids)


def _flat(node: Any, kind: type) -> Iterator[Any]:
    """The operands of nested ``kind`` nodes (``Or`` or ``And``) as one sequence."""
    if isinstance(node, kind):
        for arg in getattr(node, "args", ()):
            yield from _flat(arg, kind)
    else:
        yield node


def _is_column(node: Any, name: str) -> bool:
    return isinstance(node, bql_ast.Column) and node.name == name


def _constant(node: Any, kind: type) -> Any:
    value = node.value if isinstance(node, bql_ast.Constant) else None
    return value if isinstance(value, kind) and not isinstance(value, bool) else None


def _id_test(term: Any) -> tuple[Any, bool] | None:
    """(``v``, whether the id must be in it) of a term ``id IN v``, ``id NOT IN v`` or
    ``NOT (id IN v)`` with ``v`` a constant list or string; None for any other term."""
    inside = True
    if isinstance(term, bql_ast.Not) and isinstance(term.operand, bql_ast.In):
        term, inside = term.operand, False
    elif isinstance(term, bql_ast.NotIn):
        inside = False
    elif not isinstance(term, bql_ast.In):
        return None
    value = term.right.value if isinstance(term.right, bql_ast.Constant) else None
    if not _is_column(term.left, "id") or not isinstance(value, list | str):
        return None
    return value, inside


def _reach(alternative: Any) -> Reach | None:
    """The reach of one alternative: its conjuncts' account match (a posting it lists must be
    on such an account), date bounds and id tests; None when it has no account match."""
    pattern = None
    start = end = None
    ids: list[tuple[Any, Any, bool]] = []
    for term in _flat(alternative, bql_ast.And):
        left, right = getattr(term, "left", None), getattr(term, "right", None)
        test = _id_test(term)
        if test is not None:
            ids.append((term, *test))
        elif isinstance(term, bql_ast.Match) and _is_column(left, "account"):
            pattern = pattern if pattern is not None else _constant(right, str)
        elif _is_column(left, "date") and _constant(right, datetime.date) is not None:
            day: datetime.date = _constant(right, datetime.date)
            if isinstance(term, bql_ast.GreaterEq | bql_ast.Greater):
                start = day if start is None else max(start, day)
            elif isinstance(term, bql_ast.Less | bql_ast.LessEq):
                last = day if isinstance(term, bql_ast.Less) else day + datetime.timedelta(1)
                end = last if end is None else min(end, last)
    return None if pattern is None else Reach(pattern, start, end, tuple(ids))


def reaches(where: Any) -> tuple[Reach, ...] | None:
    """Where the postings a parsed WHERE clause (beanquery's tree) selects can be, one reach
    per alternative; None when an alternative names no account: it can select any posting."""
    found = [_reach(alternative) for alternative in _flat(where, bql_ast.Or)]
    return None if any(r is None for r in found) else tuple(r for r in found if r is not None)


class PostingReach:
    """The transactions of one entry list by the accounts they post to: the entries a query
    with known :func:`reaches` can list postings of."""

    def __init__(self, entries: list[Any]) -> None:
        self.entries = entries
        self.dates = [e.date for e in entries]
        self.ordered = all(a <= b for a, b in zip(self.dates, self.dates[1:], strict=False))
        self.others = [i for i, e in enumerate(entries) if not isinstance(e, data.Transaction)]
        # account -> positions of the transactions posting to it, ascending (the rules' index)
        self.accounts: dict[str, array[int]] = posting_index(entries).accounts
        self._matched: dict[str, list[str]] = {}
        self._ids: dict[int, str] = {}

    def entry_id(self, seq: int) -> str:
        """Beanquery's ``id`` of the transaction at ``seq`` (Beancount's ``hash_entry``), each
        computed once."""
        found = self._ids.get(seq)
        if found is None:
            found = self._ids[seq] = hash_entry(self.entries[seq])
        return found

    def matched(self, pattern: str) -> list[str]:
        """The accounts posted to that beanquery's ``account ~ pattern`` takes."""
        if pattern not in self._matched:
            self._matched[pattern] = [a for a in self.accounts
                                      if re.search(pattern, a, re.IGNORECASE)]
        return self._matched[pattern]

    def _positions(self, reach: Reach) -> Iterator[int]:
        """The positions of the transactions with a posting within ``reach``."""
        if self.ordered:
            low = 0 if reach.start is None else bisect_left(self.dates, reach.start)
            high = (len(self.dates) if reach.end is None
                    else bisect_left(self.dates, reach.end))
            for account in self.matched(reach.pattern):
                held = self.accounts[account]
                yield from held[bisect_left(held, low):bisect_left(held, high)]
            return
        for account in self.matched(reach.pattern):
            for seq in self.accounts[account]:
                day = self.dates[seq]
                if ((reach.start is None or day >= reach.start)
                        and (reach.end is None or day < reach.end)):
                    yield seq

    def _within(self, reach: Reach) -> Iterator[int]:
        """The positions of the transactions with a posting within ``reach``, its id tests
        passed."""
        if not reach.ids:
            return self._positions(reach)
        return (seq for seq in set(self._positions(reach)) if reach.admits(self.entry_id(seq)))

    def narrowed(self, where: Any) -> tuple[list[Any], Any]:
        """The entries a parsed WHERE clause can list postings of, in their order (the
        transactions within its reaches and, unless it reads nothing but the postings' own
        transactions, every other directive; all entries when its reach is unknown), and the
        clause to run on them: ``where`` itself, or, when it is one
        alternative, ``where`` with its id tests made ``TRUE`` (every transaction left passes
        them, and beanquery would hash each posting's transaction again to see so)."""
        found = reaches(where)
        if found is None:
            return self.entries, where
        taken = set(self.others) if reads_other_directives(where) else set()
        for reach in found:
            taken.update(self._within(reach))
        entries = [self.entries[seq] for seq in sorted(taken)]
        if len(found) == 1 and found[0].ids:
            return entries, _passed(where, {id(term) for term, _, _ in found[0].ids})
        return entries, where


# beanquery's functions that read nothing but their operands (the posting's own transaction):
# a clause that calls no other needs no directive but the transactions it lists (the postings
# table has a column per posting or transaction field; the accounts, prices and commodities
# that `open_date`, `getprice`, `commodity_meta` ... read are other directives)
OWN_TRANSACTION_FUNCTIONS = frozenset({
    "str", "coalesce", "has_account", "meta", "entry_meta", "any_meta", "lower", "upper",
    "length", "parent", "leaf", "root", "grep", "number", "currency", "abs", "neg", "units",
    "date", "year", "month", "day", "quarter",
})


def reads_other_directives(where: Any) -> bool:
    """Whether a parsed WHERE clause may read directives other than the transactions whose
    postings it tests: it calls a function not in :data:`OWN_TRANSACTION_FUNCTIONS`."""
    return any(isinstance(node, bql_ast.Function) and node.fname not in OWN_TRANSACTION_FUNCTIONS
               for node in bql_ast.walk(where))


def _passed(node: Any, terms: set[int]) -> Any:
    """``node`` with each conjunct in ``terms`` (by identity) made ``TRUE``."""
    if id(node) in terms:
        return bql_ast.Constant(True)
    if isinstance(node, bql_ast.And):
        return bql_ast.And([_passed(arg, terms) for arg in node.args])
    return node


@functools.cache
def _sum_query() -> Any:
    """``SELECT sum(weight) AS total``, parsed by beanquery (its WHERE clause is filled in)."""
    return bql.parse("SELECT sum(weight) AS total WHERE TRUE")


@functools.cache
def _position_targets() -> Any:
    """The targets of ``SELECT sum(position) AS total`` (a holding's units), parsed once."""
    return bql.parse("SELECT sum(position) AS total WHERE TRUE").targets


def parsed_sum(clause: str) -> Any:
    """``SELECT sum(weight) AS total WHERE clause`` as beanquery's syntax tree: the clause read
    by :func:`nhnfin.fava_ext.clauses.parse_where`, or by beanquery's parser when that does not
    read it."""
    tree = parse_where(clause)
    if tree is None:
        return bql.parse(f"SELECT sum(weight) AS total WHERE {clause}")
    return replace(_sum_query(), where_clause=tree)


class DrillValues:
    """Computes drills on one ledger (each query once, on the transactions it can list
    postings of: :class:`PostingReach`)."""

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger
        self._sums: dict[tuple[str, str], Decimal] = {}
        self._reach: PostingReach | None = None
        self._customs = {
            (str(e.meta.get("filename")), int(e.meta.get("lineno", 0))): e
            for e in ledger.entries if isinstance(e, data.Custom)
        }
        self._prices = {
            (str(e.meta.get("filename")), int(e.meta.get("lineno", 0))): e
            for e in ledger.entries if isinstance(e, data.Price)
        }
        self._cost_basis: Any = None
        # Fava's request threads and the extension's background thread share one instance
        self._guard = threading.RLock()

    def listed(self, drill: Drill) -> Decimal:
        """The sum of the NOK weights of the postings the drill's query lists (a holding's:
        of their units in its currency, :attr:`Drill.units`)."""
        key = (where(drill), drill.units)
        with self._guard:
            if key not in self._sums:
                self._sums[key] = self._sum(*key)
            return self._sums[key]

    def _sum(self, clause: str, units: str = "") -> Decimal:
        """What beanquery's ``sum(weight)`` of the postings ``clause`` selects holds in NOK
        (with ``units``: what ``sum(position)`` holds in units of that currency), run on the
        entries the clause can list postings of (parsed once)."""
        statement = parsed_sum(clause)
        if units:
            statement = replace(statement, targets=_position_targets())
        if self._reach is None:
            self._reach = PostingReach(self.ledger.entries)
        entries, where_clause = self._reach.narrowed(statement.where_clause)
        statement = replace(statement, where_clause=where_clause)
        connection = beanquery.connect("beancount:", entries=entries, errors=[],
                                       options=self.ledger.options_map)
        rows = connection.execute(statement).fetchall()
        inventory: Any = rows[0][0] if rows else None
        positions = list(inventory) if inventory is not None else []
        currency = units or "NOK"
        return sum((p.units.number for p in positions if p.units.currency == currency), ZERO)

    def declared_value(  # noqa: PLR0911 - one per kind of directive
            self, file: str, line: int, key: str) -> Decimal | None:
        """The value ``key`` of the directive at ``file:line``; None when there is none. A life
        check's keys read the asset's life there, or the printed life's bound at that line of
        the notes layout (:func:`nhnfin.assets.note8.life_value`)."""
        if key in LIFE_KEYS:
            return life_value(self.ledger, file, line, key)
        price = self._prices.get((file, line)) if key == PRICE_KEY else None
        if price is not None:
            number = price.amount.number
            return number if isinstance(number, Decimal) else None
        entry = self._customs.get((file, line))
        if entry is None:
            return None
        if entry.type == "nhnfin-published":
            path = Path(file).parent / str(entry.values[0].value)
            try:
                document = json.loads(path.read_text("utf-8"))
            except (OSError, ValueError):
                return None
            return published_cell(document, key)
        if entry.type in COST_BASIS_DIRECTIVES:
            if self._cost_basis is None:
                self._cost_basis, _ = parse_cost_basis(self.ledger.entries)
            return line_value(entry, key, self._cost_basis)
        if entry.type == "nhnfin-ehealth-cost-basis" and key == "need" and len(entry.values) > 2:
            number = getattr(entry.values[2].value, "number", None)
            return number if isinstance(number, Decimal) else None
        if key in entry.meta:
            number = getattr(entry.meta[key], "number", None)
            return number if isinstance(number, Decimal) else None
        fact, _ = parse_fact(entry)
        found = fact.values.get(key) if fact is not None else None
        return found if isinstance(found, Decimal) else None

    def value(self, drill: Drill) -> Decimal | None:  # noqa: PLR0911 - one per kind of drill
        """What ``drill`` makes; None when a directive it names gives no value."""
        if drill.counted:
            return Decimal(len(drill.declared))
        if drill.rounded is not None:
            inner = self.value(replace(drill, rounded=None))
            return None if inner is None else inner.quantize(drill.rounded, ROUND_HALF_UP)
        if drill.per is not None:
            base, by = self.value(replace(drill, per=None)), self.value(drill.per)
            if base is None or not by:
                return None
            return (base / by).quantize(ORE, ROUND_HALF_UP)
        if drill.rate is not None:
            base, by = self.value(replace(drill, rate=None)), self.value(drill.rate)
            return None if base is None or by is None else base * by / 100
        if drill.price is not None:
            base, by = self.value(replace(drill, price=None)), self.value(drill.price)
            return None if base is None or by is None else base * by
        if drill.parts:
            values = [(s, self.value(p)) for s, p in drill.parts]
            if any(v is None for _, v in values):
                return None
            return sum((s * v for s, v in values if v is not None), ZERO)
        if drill.declared:
            found = [self.declared_value(*place) for place in drill.declared]
            if any(v is None for v in found):
                return None
            return sum((v for v in found if v is not None), ZERO)
        return drill.sign * self.listed(drill) if drill.query else ZERO
