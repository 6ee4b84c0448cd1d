"""A link spec read once for all its postings (nhnfin.grants.links.collect_links): each posting
of a spec shared by many gets the parts ``split`` gives it, a spec naming an undeclared grant
links nothing, and a bad spec is an error at each posting that carries it; and the period end
a cost link is summed into, kept per day and period (nhnfin.grants.engine.period_end)."""

from __future__ import annotations

from decimal import Decimal

from grant_testing import load_ledger as load

from nhnfin.grants.directives import parse_directives
from nhnfin.grants.links import collect_links
from nhnfin.grants.links import split
from nhnfin.grants.links import split_weights
from nhnfin.grants.plugin import parse_config

D = Decimal
SHARED = """\
plugin "nhnfin.grants"
include "ACCOUNTS"

2024-01-01 custom "nhnfin-grant" "a"
  name: "Tilskudd A"
  source: "Kap. 701 post 21"
  amount: 1000.00 NOK
  note-row: "public_grant"
2024-01-01 custom "nhnfin-grant" "b"
  name: "Tilskudd B"
  source: "Kap. 701 post 70"
  amount: 1000.00 NOK
  note-row: "public_grant"
2024-02-01 * "Kostnad"
  Expenses:6700-ExternalServices          100.01 NOK
    grant: "a:60,b:30"
  Expenses:6700-ExternalServices           33.33 NOK
    grant: "a:60,b:30"
  Expenses:6700-ExternalServices           10.00 NOK
    grant: "a:50,zz:50"
  Expenses:6700-ExternalServices            5.00 NOK
    grant: "a:70,b:40"
  Assets:1920-Bank
2024-02-02 * "Kostnad"
  grant: "a:60,b:30"
  Expenses:6700-ExternalServices           -7.77 NOK
  Assets:1920-Bank
"""


def test_a_shared_spec_splits_each_posting_as_split_does() -> None:
    entries = load(SHARED).ledger.entries
    directives, _ = parse_directives(entries, parse_config(None)[0])
    links, errors = collect_links(entries, directives.grants)
    assert split_weights([("a", D(60)), ("b", D(30))]) == [D(60), D(30), D(10)]
    assert split_weights([("a", D(60)), ("b", D(40))]) == [D(60), D(40)]
    got = [(link.grant, link.amount, link.place[1] if link.place else None) for link in links
           if link.kind == "cost"]
    assert got == [("a", D("60.01"), 15), ("b", D("30.00"), 15),
                   ("a", D("20.00"), 17), ("b", D("10.00"), 17),
                   ("a", D("-4.66"), 26), ("b", D("-2.33"), 26)]
    for amount, line in ((D("100.01"), 15), (D("33.33"), 17), (D("-7.77"), 26)):
        assert [p for g, p, n in got if n == line] == split(amount, [("a", D(60)), ("b", D(30))])
    # zz is not declared: no link (the error is lock_guard's, at the mark); a:70,b:40 is bad
    assert [(e.source["lineno"], e.message) for e in errors] == [
        (21, "ugyldig tilskuddskobling 'a:70,b:40': andelene er til sammen 110 %, mer enn 100 %")]


def test_period_end_kept_per_day_and_period() -> None:
    """``period_end`` (kept per day and period: thousands of cost links share a few hundred
    days) gives each period's last day and label, the same when asked again."""
    import datetime

    from nhnfin.grants.engine import period_end

    day = datetime.date
    cases = {(day(2024, 2, 10), "monthly"): (day(2024, 2, 29), "2024-02"),
             (day(2023, 2, 10), "monthly"): (day(2023, 2, 28), "2023-02"),
             (day(2024, 2, 10), "quarterly"): (day(2024, 3, 31), "2024-Q1"),
             (day(2024, 11, 30), "quarterly"): (day(2024, 12, 31), "2024-Q4"),
             (day(2024, 7, 1), "yearly"): (day(2024, 12, 31), "2024")}
    for (when, period), expected in cases.items():
        assert period_end(when, period) == expected
        assert period_end(when, period) == expected
    assert period_end.cache_info().hits >= len(cases)
