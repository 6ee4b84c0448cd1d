"""The parts page runs each part's query on the transactions it can list postings of
(:class:`nhnfin.fava_ext.drill_values.PostingReach`), once per load: the sums are beanquery's on
the whole ledger, to the øre, and a reload never shows the previous files' sums."""

from __future__ import annotations

import datetime
import os
from decimal import Decimal as D
from pathlib import Path

import pytest
from beancount.core import data
from beancount.core.compare import hash_entry
from beanquery import parser as bql
from beanquery.parser import ast as bql_ast
from beanquery.query import run_query
from flask import Flask

from nhnfin.fava_ext.drill_values import DrillValues
from nhnfin.fava_ext.drill_values import PostingReach
from nhnfin.fava_ext.drill_values import Reach
from nhnfin.fava_ext.drill_values import reaches
from nhnfin.ledger import Ledger
from nhnfin.ledger import load
from tests.fava.conftest import fava_app
from tests.fava.conftest import page_url
from tests.fava.conftest import parse
from tests.fava.conftest import slug
from tests.fava.conftest import write_ledger

LEDGER = """
    option "title" "Rekkevidde"
    option "operating_currency" "NOK"
    2023-12-31 open Assets:1920-Bank
    2023-12-31 open Assets:1920-Bank:Drift
    2023-12-31 open Assets:1500-TradeReceivables
    2023-12-31 open Equity:2050-OtherEquity
    2023-12-31 open Income:3000-Sales
    2023-12-31 open Expenses:6300-Rent
    2023-12-31 open Expenses:7700-Other
    2023-12-31 open Liabilities:2400-TradePayables
    2023-12-31 * "Inngående balanse"
      Assets:1920-Bank         500.00 NOK
      Equity:2050-OtherEquity -500.00 NOK
    2024-01-01 * "Salg" #salg
      Assets:1500-TradeReceivables  1000.00 NOK
      Income:3000-Sales            -1000.00 NOK
    2024-02-29 * "Husleie"
      rule: "husleie"
      Expenses:6300-Rent        300.00 NOK
        grant: "g1"
      Assets:1920-Bank:Drift   -300.00 NOK
    2024-06-30 * "Innbetaling"
      Assets:1920-Bank          1000.00 NOK
      Assets:1500-TradeReceivables -1000.00 NOK
    2024-12-31 * "Annet"
      Expenses:7700-Other       45.50 NOK
      Liabilities:2400-TradePayables -45.50 NOK
    2025-01-01 * "Neste år"
      Expenses:7700-Other       10.00 NOK
      Assets:1920-Bank         -10.00 NOK
"""

CLAUSES = [
    "account ~ '^(Assets:1920-Bank)(:|$)'",
    "account ~ '^(Assets:1920-Bank)(:|$)' AND date >= 2024-01-01 AND date < 2025-01-01",
    "account ~ 'assets:1920'",  # beanquery's ~ ignores case
    "account ~ 'Bank$' AND date <= 2024-06-30",
    "account ~ '^(Expenses)(:|$)' AND date > 2024-02-29",
    "account ~ '^(Expenses)(:|$)' AND number > 0 AND has_account('^Liabilities')",
    "(account ~ '^(Income)(:|$)' AND date < 2024-06-01) OR (account ~ 'Rent' AND date >= "
    "2024-01-01)",
    "account ~ '^(Expenses:6300-Rent)(:|$)' AND str(meta('grant')) = 'g1'",
    "account ~ 'Bank' AND str(entry_meta('rule')) = 'husleie'",
    "account ~ '^(Assets)(:|$)' AND NOT (account ~ 'Drift')",
    "account ~ '^(Income)(:|$)' AND 'salg' IN tags",
    "NOT (account ~ '^(Assets)(:|$)')",  # no account it must be on: the whole ledger
    "account ~ 'Bank' OR date >= 2024-12-31",  # one alternative names no account
    "date >= 2024-01-01 AND account ~ 'Other' AND date < 2024-12-31",
    "account ~ '^(Income)(:|$)' AND FALSE",
    "account ~ 'NoSuchAccount'",
]


def full_sum(entries: list, options: dict, clause: str) -> D:
    """beanquery's sum of NOK weights on the whole ledger: what the parts page must print."""
    _, rows = run_query(entries, options, f"SELECT sum(weight) AS total WHERE {clause}")
    inventory = rows[0][0] if rows else None
    positions = list(inventory) if inventory is not None else []
    return sum((p.units.number for p in positions if p.units.currency == "NOK"), D(0))


@pytest.mark.parametrize("clause", CLAUSES)
def test_a_narrowed_query_sums_as_beanquery_does_on_the_whole_ledger(
        tmp_path: Path, clause: str) -> None:
    ledger = load(write_ledger(tmp_path, LEDGER))
    values = DrillValues(ledger)
    assert values._sum(clause) == full_sum(ledger.entries, ledger.options_map, clause)


def test_the_reach_of_each_alternative() -> None:
    def of(clause: str) -> tuple[Reach, ...] | None:
        return reaches(bql.parse(f"SELECT date WHERE {clause}").where_clause)

    day = datetime.date
    assert of(CLAUSES[1]) == (Reach("^(Assets:1920-Bank)(:|$)", day(2024, 1, 1),
                                    day(2025, 1, 1)),)
    assert of(CLAUSES[3]) == (Reach("Bank$", None, day(2024, 7, 1)),)
    assert of(CLAUSES[6]) == (Reach("^(Income)(:|$)", None, day(2024, 6, 1)),
                              Reach("Rent", day(2024, 1, 1), None))
    assert of(CLAUSES[9]) == (Reach("^(Assets)(:|$)"),)  # the NOT narrows nothing
    assert of(CLAUSES[11]) is None
    assert of(CLAUSES[12]) is None


def test_only_the_transactions_within_reach_are_read(tmp_path: Path) -> None:
    ledger = load(write_ledger(tmp_path, LEDGER))
    reach = PostingReach(ledger.entries)
    clause = bql.parse("SELECT date WHERE account ~ '^(Expenses:7700-Other)(:|$)' AND date >= "
                       "2024-01-01 AND date < 2025-01-01").where_clause
    narrowed, run = reach.narrowed(clause)
    # the clause reads nothing but the postings' own transactions: no other directive
    assert [e.narration for e in narrowed] == ["Annet"]
    assert run is clause
    # a function that reads the accounts' open directives: every directive that is not a
    # transaction is kept
    opened = bql.parse("SELECT date WHERE account ~ '^(Expenses:7700-Other)(:|$)' AND "
                       "open_date(account) < 2024-01-01").where_clause
    narrowed, _ = reach.narrowed(opened)
    assert [e.narration for e in narrowed if hasattr(e, "postings")] == ["Annet", "Neste år"]
    assert len(narrowed) == len(reach.others) + 2
    everything = bql.parse("SELECT date WHERE NOT (account ~ 'x')").where_clause
    assert reach.narrowed(everything) == (ledger.entries, everything)


def _hashes(ledger: Ledger, *narrations: str) -> list[str]:
    """beanquery's ``id`` of the transactions with these narrations."""
    return [hash_entry(e) for e in ledger.entries
            if isinstance(e, data.Transaction) and e.narration in narrations]


def _id_clauses(ledger: Ledger) -> list[str]:
    rent, other = _hashes(ledger, "Husleie")[0], _hashes(ledger, "Annet")[0]
    return [
        f"account ~ '^(Expenses)(:|$)' AND id IN ('{rent}', '{other}')",
        f"account ~ '^(Expenses)(:|$)' AND NOT (id IN ('{rent}', 'x'))",
        f"account ~ '^(Expenses)(:|$)' AND id NOT IN ('{other}')",
        f"account ~ '^(Expenses)(:|$)' AND id IN ('{rent}')",  # one id: beanquery's substring
        f"account ~ '^(Expenses)(:|$)' AND id IN ('x{rent}x')",
        f"account ~ '^(Expenses)(:|$)' AND id IN ('{rent[:5]}')",
        f"account ~ '^(Expenses)(:|$)' AND date < 2024-12-31 AND ((id IN ('{rent}', "
        f"'{other}') AND account ~ 'Rent'))",
        f"(account ~ '^(Expenses)(:|$)' AND NOT (id IN ('{rent}', 'y'))) OR "
        f"(account ~ '^(Assets:1920-Bank)(:|$)' AND id IN ('{rent}', 'z'))",
        f"account ~ '^(Assets)(:|$)' AND NOT (id IN ('{other}', 'y')) AND "
        f"open_date(account) <= 2023-12-31",
    ]


def test_id_tests_narrow_the_reach_and_sum_as_beanquery_does(tmp_path: Path) -> None:
    """A part that lists some transactions (``id IN``) or leaves some out (``NOT (id IN``)
    is summed over the transactions that pass, each hashed once, not once per posting: the
    sums are still beanquery's on the whole ledger."""
    ledger = load(write_ledger(tmp_path, LEDGER))
    values = DrillValues(ledger)
    sums = {clause: values._sum(clause) for clause in _id_clauses(ledger)}
    assert sums == {clause: full_sum(ledger.entries, ledger.options_map, clause)
                    for clause in sums}
    assert list(sums.values())[:7] == [D("345.50"), D("55.50"), D("310.00"), D("300.00"),
                                       D("300.00"), D("0"), D("300.00")]


def test_a_single_alternative_runs_with_its_id_tests_passed(tmp_path: Path) -> None:
    ledger = load(write_ledger(tmp_path, LEDGER))
    reach = PostingReach(ledger.entries)
    clauses = _id_clauses(ledger)
    one = bql.parse(f"SELECT date WHERE {clauses[1]}").where_clause
    narrowed, run = reach.narrowed(one)
    assert [e.narration for e in narrowed] == ["Annet", "Neste år"]
    assert run == bql_ast.And([one.args[0], bql_ast.Constant(True)])
    two = bql.parse(f"SELECT date WHERE {clauses[7]}").where_clause
    narrowed, run = reach.narrowed(two)
    assert [e.narration for e in narrowed] == ["Husleie", "Annet", "Neste år"]
    assert run is two  # the alternatives' id tests differ: beanquery tests each posting


def _parts_sums(app: Flask) -> list[str]:
    """The "Sum av det som listes" column of the cash flow's cash at the end of 2024."""
    client = app.test_client()
    flows = parse(client.get(page_url(app, "cash_flow", "2024")).data)
    link = flows.xpath("//tr[@data-key='cash_at_end_of_year']/td/a")[0].get("href")
    parts = parse(client.get(link).data)
    return [row.xpath("./td")[2].text_content() for row in
            parts.xpath("//table[@data-key='parts']/tbody/tr")[:-1]]


def test_a_reload_computes_the_parts_again(tmp_path: Path) -> None:
    """The sums of one load are kept for the next request, and forgotten when Fava loads the
    changed files (before the change to the page of parts they were computed per request)."""
    path = write_ledger(tmp_path, LEDGER + """
    2023-12-31 custom "fava-option" "fiscal-year-end" "12-31"
    2023-12-31 custom "fava-extension" "nhnfin.fava_ext"
    """)
    app = fava_app(path, poll_watcher=True)
    ledger = app.config["LEDGERS"][slug(app)]
    assert ledger.extensions.get_extension("NhnfinReport").ready(timeout=120)
    before = _parts_sums(app)
    assert before == _parts_sums(app)
    assert before[-1] == "500,00"  # the cash at the start of the year
    text = path.read_text("utf-8")
    for was, now in (("Assets:1920-Bank          1000.00", "Assets:1920-Bank          1200.00"),
                     ("Assets:1500-TradeReceivables -1000.00",
                      "Assets:1500-TradeReceivables -1200.00")):
        assert was in text
        text = text.replace(was, now)
    path.write_text(text, "utf-8")
    stat = path.stat()
    os.utime(path, (stat.st_atime, stat.st_mtime + 5))
    ledger.changed()
    assert ledger.extensions.get_extension("NhnfinReport").ready(timeout=120)
    after = _parts_sums(app)
    assert after != before
    fresh = fava_app(path)
    assert fresh.config["LEDGERS"][slug(fresh)].extensions.get_extension(
        "NhnfinReport").ready(timeout=120)
    assert after == _parts_sums(fresh)


def test_the_parts_are_computed_in_the_background_after_the_report(tmp_path: Path) -> None:
    """After the load's report, the extension computes what its figures' parts pages show,
    without a page asking: the first visit finds the sums computed, and they are the page's."""
    path = write_ledger(tmp_path, LEDGER + """
    2023-12-31 custom "fava-option" "fiscal-year-end" "12-31"
    2023-12-31 custom "fava-extension" "nhnfin.fava_ext"
    """)
    app = fava_app(path)
    extension = app.config["LEDGERS"][slug(app)].extensions.get_extension("NhnfinReport")
    assert extension.ready(timeout=120)
    assert extension.parts_ready(timeout=120)
    computed = dict(extension.drill_values()._sums)
    assert computed  # no parts page has been asked for yet
    sums = _parts_sums(app)
    assert sums[-1] == "500,00"
    assert extension.drill_values()._sums == computed  # the page computed nothing more
