"""A text in a drill's query is a BQL string constant beanquery reads back as the very text,
whatever quotes it holds (a ledger's folder named O'Neil broke a drill by file and line)."""

from __future__ import annotations

import pytest
from beancount import loader
from beanquery.query import run_query

from nhnfin.drill import literal
from nhnfin.drill import member_of

TEXTS = ["plain", "", "O'Neil", 'say "hi"', "O'Neil \"NHN\"", "''", "'a'\"b\"'", "\"'\"",
         "/tmp/x y/o'n/books.beancount"]


@pytest.mark.parametrize("text", TEXTS)
def test_beanquery_reads_the_literal_back_as_the_text(text: str) -> None:
    entries, errors, options = loader.load_string(
        '2024-01-01 open Assets:A\n2024-01-01 open Assets:B\n'
        '2024-01-02 * "x"\n  Assets:A 1 NOK\n  Assets:B\n')
    assert errors == []
    _, rows = run_query(entries, options,
                        f"SELECT account WHERE {literal(text)} = {literal(text)} "
                        f"AND account = 'Assets:A' AND length({literal(text)}) = {len(text)}")
    assert rows == [("Assets:A",)]


def test_the_literal_is_single_quoted_when_it_can_be() -> None:
    assert (literal("a/b.beancount"), literal("O'Neil"), literal("O'Neil \"N\"")) == (
        "'a/b.beancount'", '"O\'Neil"', "('O' + \"'\" + 'Neil \"N\"')")


def test_member_of_selects_each_value_whatever_quotes_it_holds() -> None:
    """``drill.member_of``: beanquery's IN (…) takes plain quoted texts only, so a value with
    both quote kinds is compared on its own; every value of TEXTS is found, no other."""
    narrations = [t for t in TEXTS if t]
    body = "".join(f'2024-01-02 * "{t.replace(chr(34), chr(92) + chr(34))}"\n'
                   f"  Assets:A 1 NOK\n  Assets:B\n" for t in [*narrations, "other"])
    entries, errors, options = loader.load_string(
        "2024-01-01 open Assets:A\n2024-01-01 open Assets:B\n" + body)
    assert errors == []
    _, rows = run_query(entries, options, "SELECT narration WHERE account = 'Assets:A' AND "
                        + member_of("narration", narrations))
    assert sorted(r[0] for r in rows) == sorted(narrations)
    assert member_of("x", []) == "x IN ('')"
