"""Bad cost-basis input gives errors at file and line (issue 11): bean-check shows them through
``plugin "nhnfin.cost_basis.directives"``, and ``nhnfin cost-basis`` stops on them."""

from __future__ import annotations

import datetime
from decimal import Decimal

from nhnfin.cost_basis.directives import parse_period

from .conftest import load
from .conftest import located

VERSIONS = """
2026-01-15 custom "nhnfin-budget-version" "B2026" "budget" "Budsjett 2026"
2026-03-01 custom "nhnfin-budget-version" "F1" "forecast" "Prognose 1"
"""


def test_budget_for_an_unknown_solution() -> None:
    _, errors = load(VERSIONS + """\
2026-01-15 custom "nhnfin-budget" "B2026" "kjernjournal" "drift" "2026" 100.00 NOK
""")
    assert sorted(located(errors)) == [(4, "budget line for unknown solution 'kjernjournal'")]
    assert errors[0].source["filename"] == "<string>"


def test_overlapping_versions_same_kind_same_date() -> None:
    _, errors = load(VERSIONS + """\
2026-03-01 custom "nhnfin-budget-version" "F1b" "forecast" "Prognose 1, rettet"
2026-03-01 custom "nhnfin-budget-version" "F1" "forecast" "Prognose 1 igjen"
""")
    assert sorted(located(errors)) == [
        (4, "versions 'F1' and 'F1b' are both forecasts dated 2026-03-01: which one is current "
            "is ambiguous (overlapping versions; see <string>:14)"),
        (5, "nhnfin-budget-version: version 'F1' given twice"),
    ]


def test_overlapping_periods_within_a_version() -> None:
    _, errors = load(VERSIONS + """\
2026-03-01 custom "nhnfin-budget" "F1" "kjernejournal" "drift" "2026" 1200.00 NOK
2026-03-01 custom "nhnfin-budget" "F1" "kjernejournal" "drift" "2026-Q2" 300.00 NOK
2026-03-01 custom "nhnfin-budget" "F1" "kjernejournal" "drift" "2026-Q2" 10.00 NOK
  driver: "Nytt lovkrav"
2026-03-01 custom "nhnfin-budget" "B2026" "kjernejournal" "drift" "2026-05" 100.00 NOK
""")
    assert sorted(located(errors)) == [
        (5, "budget line 2026-Q2 for 'kjernejournal'/'drift' in version 'F1' overlaps 2026 at "
            "<string>:15"),
    ]


def test_unknown_cost_element_version_and_funding() -> None:
    _, errors = load(VERSIONS + """\
2026-03-01 custom "nhnfin-budget" "F1" "kjernejournal" "lisens" "2026" 100.00 NOK
2026-03-01 custom "nhnfin-budget" "F9" "kjernejournal" "drift" "2026" 100.00 NOK
2026-03-01 custom "nhnfin-budget" "F1" "kjernejournal" "drift" "2026" 100.00 NOK
  funding: "eu"
""")
    assert sorted(located(errors)) == [
        (4, "budget line for unknown cost element 'lisens'"),
        (5, "budget line for unknown version 'F9'"),
        (6, "budget line for unknown funding 'eu'"),
    ]


def test_bad_amounts_and_periods() -> None:
    _, errors = load(VERSIONS + """\
2026-03-01 custom "nhnfin-budget" "F1" "kjernejournal" "drift" "2026" 100.00 EUR
2026-03-01 custom "nhnfin-budget" "F1" "kjernejournal" "drift" "2026" 100.005 NOK
2026-03-01 custom "nhnfin-budget" "F1" "kjernejournal" "drift" "2026" -5.00 NOK
2026-03-01 custom "nhnfin-budget" "F1" "kjernejournal" "drift" "2026-13" 5.00 NOK
2026-03-01 custom "nhnfin-budget" "F1" "kjernejournal" "drift" "2026" 5
""")
    assert [line for line, _ in located(errors)] == [4, 5, 6, 7, 8]
    messages = [m for _, m in located(errors)]
    assert messages[0].startswith("nhnfin-budget: amount must be an amount in NOK")
    assert messages[1] == "nhnfin-budget: amount 100.005 NOK has fractions of an øre"
    assert messages[2] == ("nhnfin-budget: negative amount -5.00 NOK needs a driver: saying "
                           "what it reduces")
    assert messages[3].startswith('nhnfin-budget: period must be "2026", "2026-Q2" or')
    assert messages[4].endswith("got Decimal('5')")


def test_ready_date_and_volume_for_unknown_solution_and_twice() -> None:
    _, errors = load("""\
2026-07-01 custom "nhnfin-ready-for-management" "provesvar"
2026-07-01 custom "nhnfin-ready-for-management" "proevesvar"
2026-09-01 custom "nhnfin-ready-for-management" "proevesvar"
2026-12-31 custom "nhnfin-volume" "helsenorge" "2026" 1000 "innlogginger"
2026-12-31 custom "nhnfin-volume" "kjernejournal" "2026-Q1" 1000 "oppslag"
""")
    assert sorted(located(errors)) == [
        (1, "ready-for-management date for unknown solution 'provesvar'"),
        (3, "nhnfin-ready-for-management: ready-for-management date for 'proevesvar' given "
            "twice"),
        (4, "volume for unknown solution 'helsenorge'"),
        (5, "nhnfin-volume: a volume is per year, got '2026-Q1'"),
    ]


def test_element_accounts_must_not_overlap() -> None:
    _, errors = load("""\
2020-01-01 custom "nhnfin-cost-element" "lonn" "Lønn"
  accounts: "5000 5400-5420"
""")
    assert sorted(located(errors)) == [
        (1, "accounts 5000-5000 of 'lonn' are also mapped to 'personell'"),
        (1, "accounts 5400-5420 of 'lonn' are also mapped to 'personell'"),
    ]


def test_periods() -> None:
    q2 = parse_period("2026-Q2")
    assert (q2.start, q2.end) == (datetime.date(2026, 4, 1), datetime.date(2026, 7, 1))
    december = parse_period("2026-12")
    assert (december.start, december.end) == (datetime.date(2026, 12, 1),
                                               datetime.date(2027, 1, 1))
    assert parse_period(Decimal(2026)).label == "2026"
    assert parse_period("2026").overlaps(december)
    assert not q2.overlaps(december)
