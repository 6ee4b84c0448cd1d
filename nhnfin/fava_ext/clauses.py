"""The WHERE clauses of nhnfin's drills, parsed to beanquery's own syntax tree without its
parser (issue 19: beanquery's TatSu parser takes 0.1-0.3 s for one clause of a figure's parts).

:func:`parse_where` reads the part of BQL that drills write (:mod:`nhnfin.drill`): ``AND``,
``OR``, ``NOT``, parentheses, the comparisons ``< <= > >= = != ~ !~ ?~``, ``IN``, ``NOT IN``,
``IS NULL`` and ``IS NOT NULL``,
function calls, columns, and constants (dates, decimals, integers, single-quoted strings, lists
of literals, ``TRUE``, ``FALSE``, ``NULL``). It builds the very nodes beanquery's parser builds
(:mod:`beanquery.parser.ast`, with beanquery's values: a string keeps its quotes' inside as
written, an identifier is lower-cased, ``a AND b AND c`` is one ``And`` of three). Anything
else, or anything it is not sure of (arithmetic, double quotes, comments, placeholders, a
keyword not in capitals, ``any``/``all``, a trailing comma), gives None, and the caller uses
beanquery's parser: what a clause means is always beanquery's meaning.
``tests/fava/test_clauses.py`` checks the trees equal beanquery's, on every clause of NHN's
reports and on generated clauses.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from typing import Any

from beanquery.parser import ast

# beanquery's keywords (beanquery.parser.parser.KEYWORDS) and its literal words
KEYWORDS = frozenset({
    "AND", "AS", "ASC", "BY", "DESC", "DISTINCT", "FALSE", "FROM", "GROUP", "HAVING", "IN", "IS",
    "LIMIT", "NOT", "OR", "ORDER", "PIVOT", "SELECT", "TRUE", "WHERE", "CREATE", "TABLE", "USING",
    "INSERT", "INTO", "BALANCES", "JOURNAL", "PRINT", "NULL", "BETWEEN",
})
CONSTANT_WORDS = {"TRUE": True, "FALSE": False, "NULL": None}
COMPARISONS: dict[str, type] = {
    "<": ast.Less, "<=": ast.LessEq, ">": ast.Greater, ">=": ast.GreaterEq, "=": ast.Equal,
    "!=": ast.NotEqual, "~": ast.Match, "!~": ast.NotMatch, "?~": ast.Matches,
}
# beanquery's own patterns, tried in its order: a date before a decimal before an integer
_TOKEN = re.compile(r"""
    (?P<space>[ \t\r\n]+)
  | (?P<date>[0-9]{4}-[0-9]{2}-[0-9]{2})
  | (?P<decimal>[0-9]+\.[0-9]*|[0-9]*\.[0-9]+)
  | (?P<integer>[0-9]+)
  | (?P<string>'(?:[^']|'')*')
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<symbol><=|>=|!=|!~|\?~|[<>=~(),])
""", re.X)
_LITERALS = ("date", "decimal", "integer", "string")


class _Unsure(Exception):
    """The clause is outside what :func:`parse_where` reads."""


def tokens(text: str) -> list[tuple[str, str]]:
    """``text`` as (kind, text) tokens without the spaces; a keyword's or a symbol's kind is
    itself."""
    found: list[tuple[str, str]] = []
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:
            raise _Unsure(position)
        kind, value = match.lastgroup or "", match.group()
        position = match.end()
        if kind == "space":
            continue
        if kind == "symbol":
            kind = value
        elif kind == "word" and value.upper() in KEYWORDS:
            if value != value.upper():
                raise _Unsure(value)  # beanquery takes keywords in any case: leave it to it
            kind = value
        elif kind == "word" and value.lower() in {"any", "all"}:
            raise _Unsure(value)  # beanquery's `x = any(...)` is no function call
        found.append((kind, value))
    return found


def literal(kind: str, value: str) -> Any:
    """A literal's value as beanquery's parser gives it."""
    if kind == "date":
        return datetime.date.fromisoformat(value)
    if kind == "decimal":
        return Decimal(value)
    if kind == "integer":
        return int(value)
    return value[1:-1]  # beanquery keeps '' inside a string as written


class _Parser:
    """Recursive descent over :func:`tokens`, one method per level of beanquery's grammar."""

    def __init__(self, found: list[tuple[str, str]]) -> None:
        self.found = found
        self.at = 0

    def peek(self, offset: int = 0) -> str:
        index = self.at + offset
        return self.found[index][0] if index < len(self.found) else ""

    def take(self, kind: str) -> str:
        if self.peek() != kind:
            raise _Unsure(self.at)
        self.at += 1
        return self.found[self.at - 1][1]

    def expression(self) -> Any:
        args = [self.conjunction()]
        while self.peek() == "OR":
            self.take("OR")
            args.append(self.conjunction())
        return args[0] if len(args) == 1 else ast.Or(args)

    def conjunction(self) -> Any:
        args = [self.inversion()]
        while self.peek() == "AND":
            self.take("AND")
            args.append(self.inversion())
        return args[0] if len(args) == 1 else ast.And(args)

    def inversion(self) -> Any:
        if self.peek() == "NOT":
            self.take("NOT")
            return ast.Not(self.inversion())
        return self.comparison()

    def comparison(self) -> Any:
        left = self.factor()
        kind = self.peek()
        if kind in COMPARISONS:
            self.take(kind)
            return COMPARISONS[kind](left, self.factor())
        if kind == "IN":
            self.take("IN")
            return ast.In(left, self.factor())
        if kind == "IS":
            self.take("IS")
            negated = self.peek() == "NOT"
            if negated:
                self.take("NOT")
            self.take("NULL")
            return ast.IsNotNull(left) if negated else ast.IsNull(left)
        if kind == "NOT" and self.peek(1) == "IN":
            self.take("NOT")
            self.take("IN")
            return ast.NotIn(left, self.factor())
        return left

    def factor(self) -> Any:
        kind = self.peek()
        if kind == "(":
            if self.peek(1) in _LITERALS and self.peek(2) == ",":
                return ast.Constant(self.literals())
            self.take("(")
            inner = self.expression()
            self.take(")")
            return inner
        if kind in _LITERALS:
            return ast.Constant(literal(kind, self.take(kind)))
        if kind in CONSTANT_WORDS:
            self.take(kind)
            return ast.Constant(CONSTANT_WORDS[kind])
        if kind == "word":
            name = self.take("word").lower()
            if self.peek() != "(":
                return ast.Column(name)
            self.take("(")
            operands = [] if self.peek() == ")" else self.operands()
            self.take(")")
            return ast.Function(name, operands)
        raise _Unsure(self.at)

    def operands(self) -> list[Any]:
        found = [self.expression()]
        while self.peek() == ",":
            self.take(",")
            found.append(self.expression())
        return found

    def literals(self) -> list[Any]:
        """``(literal, literal, ...)``: beanquery's list constant (no empty item, no trailing
        comma: beanquery reads those otherwise)."""
        self.take("(")
        values = []
        while True:
            kind = self.peek()
            if kind not in _LITERALS:
                raise _Unsure(self.at)
            values.append(literal(kind, self.take(kind)))
            if self.peek() == ")":
                self.take(")")
                return values
            self.take(",")


def parse_where(clause: str) -> Any | None:
    """The syntax tree beanquery's parser makes of ``WHERE clause``; None when ``clause`` is
    outside the part of BQL this reads (then ask beanquery's parser)."""
    try:
        parser = _Parser(tokens(clause))
        tree = parser.expression()
        if parser.at != len(parser.found):
            return None
        return tree
    except (_Unsure, ValueError):
        return None
