"""nhnfin's reading of its drills' WHERE clauses (:mod:`nhnfin.fava_ext.clauses`) gives the very
tree beanquery's parser gives, or nothing: on every clause of NHN's reports, on literal edge
cases, and on generated clauses inside and outside the part of BQL it reads."""

from __future__ import annotations

import datetime
from decimal import Decimal as D
from pathlib import Path

import pytest
from beanquery import parser as bql
from beanquery.parser import ast
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from nhnfin.drill import where
from nhnfin.fava_ext import views
from nhnfin.fava_ext.clauses import parse_where
from nhnfin.fava_ext.drill_values import parsed_sum
from nhnfin.ledger import load
from nhnfin.report import build_report

ROOT = Path(__file__).resolve().parents[2]


def beanquery_where(clause: str) -> object:
    """beanquery's tree of ``WHERE clause``; the exception class when it does not parse."""
    try:
        return bql.parse(f"SELECT sum(weight) AS total WHERE {clause}").where_clause
    except Exception as error:
        return type(error)


def report_clauses(ledger: str, year: int) -> list[str]:
    """The WHERE clause of every drill (and of every part of one) on the report's pages."""
    report = build_report(load(ROOT / "ledger" / ledger), year)
    shown = [d for key, _ in views.sections(report)
             for d in views.page_drills(views.page(report, key, "") or views.Page("", "", ()))]
    parts = [p for d in views.parted(shown) for _, _, p in views.steps(d) if p is not None]
    found: dict[str, None] = {}
    for drill in [*shown, *parts]:
        if drill.query:
            found[where(drill)] = None
    return list(found)


@pytest.mark.parametrize(("ledger", "year", "compared"), [("nhn.beancount", 2024, True),
                                                          ("nhn-2025.beancount", 2025, False)])
def test_every_clause_of_nhns_reports_is_read_as_beanquery_reads_it(
        ledger: str, year: int, compared: bool) -> None:
    """Every clause is read (the fast path is the path); on the 2024 report each tree is
    compared with beanquery's (about 0.15 s of beanquery's parser per clause)."""
    clauses = report_clauses(ledger, year)
    assert len(clauses) > 300
    unread = [c for c in clauses if parse_where(c) is None]
    assert unread == []  # nhnfin's drills write nothing this does not read
    if compared:
        differing = [c for c in clauses if parse_where(c) != beanquery_where(c)]
        assert differing == []


EDGES = [
    ("account ~ '^(Assets:1920-Bank)(:|$)' AND date >= 2024-01-01 AND date < 2025-01-01",
     ast.And([ast.Match(ast.Column("account"), ast.Constant("^(Assets:1920-Bank)(:|$)")),
              ast.GreaterEq(ast.Column("date"), ast.Constant(datetime.date(2024, 1, 1))),
              ast.Less(ast.Column("date"), ast.Constant(datetime.date(2025, 1, 1)))])),
    ("id IN ('a')", ast.In(ast.Column("id"), ast.Constant("a"))),  # a string, not a list
    ("id IN ('a', 'b')", ast.In(ast.Column("id"), ast.Constant(["a", "b"]))),
    ("NOT (id IN ('a', 'b'))", ast.Not(ast.In(ast.Column("id"), ast.Constant(["a", "b"])))),
    ("x NOT IN (1, 2.5)", ast.NotIn(ast.Column("x"), ast.Constant([1, D("2.5")]))),
    ("narration ~ 'it''s'", ast.Match(ast.Column("narration"), ast.Constant("it''s"))),
    ("Account ~ 'a' AND HAS_ACCOUNT('b')",
     ast.And([ast.Match(ast.Column("account"), ast.Constant("a")),
              ast.Function("has_account", [ast.Constant("b")])])),
    ("(a AND b) AND c", ast.And([ast.And([ast.Column("a"), ast.Column("b")]),
                                 ast.Column("c")])),
    ("a OR b AND NOT c", ast.Or([ast.Column("a"), ast.And([ast.Column("b"),
                                                          ast.Not(ast.Column("c"))])])),
    ("COALESCE(str(meta('g')), '') IS NULL",
     ast.IsNull(ast.Function("coalesce", [ast.Function("str", [ast.Function(
         "meta", [ast.Constant("g")])]), ast.Constant("")]))),
    ("x IS NOT NULL", ast.IsNotNull(ast.Column("x"))),
    ("FALSE", ast.Constant(False)),
    ("f() = NULL", ast.Equal(ast.Function("f", []), ast.Constant(None))),
    ("number > 0", ast.Greater(ast.Column("number"), ast.Constant(0))),
]


@pytest.mark.parametrize(("clause", "tree"), EDGES)
def test_edge_cases_read_as_beanquery_reads_them(clause: str, tree: object) -> None:
    assert parse_where(clause) == tree
    assert beanquery_where(clause) == tree


UNREAD = [
    "number + 1 > 2",  # arithmetic
    "x = \"a\"",  # a double-quoted string may be a column to beanquery
    "x IN (1,)",  # a trailing comma
    "x IN (1, , 2)",
    "account ~ 'a' and date > 2024-01-01",  # a keyword not in capitals
    "x = any(y)",  # beanquery's ANY, not a function
    "x BETWEEN 1 AND 2",
    "x = %s",
    "date = 2024-13-01",  # no such day: beanquery's parser says so
    "meta['x'] = 1",
    "entry.meta = 1",
    "a = 1 /* comment */",
    "a = 1 ; comment",
    "a = b = c",
    "",
    "(a",
]


@pytest.mark.parametrize("clause", UNREAD)
def test_what_it_does_not_read_is_left_to_beanquery(clause: str) -> None:
    assert parse_where(clause) is None


def test_a_clause_it_does_not_read_is_parsed_by_beanquery() -> None:
    statement = parsed_sum("number + 1 > 2")
    assert statement.where_clause == ast.Greater(
        ast.Add(ast.Column("number"), ast.Constant(1)), ast.Constant(2))
    assert statement == bql.parse("SELECT sum(weight) AS total WHERE number + 1 > 2")
    read = parsed_sum("number > 2")
    assert read == bql.parse("SELECT sum(weight) AS total WHERE number > 2")


ATOMS = st.sampled_from([
    "account", "date", "number", "id", "tags", "x", "Account", "1", "0.5", ".5", "2024-02-29",
    "'s'", "'it''s'", "''", "TRUE", "FALSE", "NULL", "str(meta('k'))", "has_account('^A')",
    "f()", "('a', 'b')", "('a')", "(1, 2)", "(1,)", "\"q\"", "-1", "a.b", "null", "true",
])
OPERATORS = st.sampled_from([
    "<", "<=", ">", ">=", "=", "!=", "~", "!~", "?~", "IN", "NOT IN", "+", "*", "IS",
    "IS NOT", "and", "=<",
])
JOINS = st.sampled_from([" AND ", " OR ", " AND NOT ", " or "])


@st.composite
def clauses(draw: st.DrawFn, depth: int = 2) -> str:
    """A clause of BQL-like text: mostly what drills write, sometimes what they do not."""
    kind = draw(st.integers(0, 4 if depth else 1))
    if kind == 0:
        return draw(ATOMS)
    if kind == 1:
        return f"{draw(ATOMS)} {draw(OPERATORS)} {draw(ATOMS)}"
    if kind == 2:
        return f"NOT ({draw(clauses(depth - 1))})"
    if kind == 3:
        return f"({draw(clauses(depth - 1))})"
    parts = draw(st.lists(clauses(depth - 1), min_size=2, max_size=3))
    return draw(JOINS).join(parts)


@settings(max_examples=400, deadline=None)
@given(clauses())
def test_a_generated_clause_is_read_as_beanquery_reads_it_or_not_at_all(clause: str) -> None:
    tree = parse_where(clause)
    if tree is not None:
        assert tree == beanquery_where(clause)
