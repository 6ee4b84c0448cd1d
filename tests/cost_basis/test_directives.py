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
    assert sorted(located(errors)) == [(4, "budsjettlinje for ukjent løsning 'kjernjournal'")]
    assert errors[0].source["filename"] == "<string>"


def test_overlapping_versions_same_kind_same_date() -> None:
    _, errors = load(VERSIONS + """\
2026-03-01 custom "nhnfin-budget-version" "F1b" "forecast" "Prognose 1, rettet"
2026-03-01 custom "nhnfin-budget-version" "F1" "forecast" "Prognose 1 igjen"
""")
    assert sorted(located(errors)) == [
        (4, "versjonene 'F1' og 'F1b' er begge prognoser datert 2026-03-01: det er uklart "
            "hvilken som gjelder (overlappende versjoner; se <string>:14)"),
        (5, "nhnfin-budget-version: versjonen 'F1' er oppgitt to ganger"),
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
        (5, "budsjettlinjen 2026-Q2 for 'kjernejournal'/'drift' i versjonen 'F1' overlapper 2026 "
            "på <string>:15"),
    ]


def test_unknown_cost_element_version_and_funding() -> None:
    _, errors = load(VERSIONS + """\
2026-03-01 custom "nhnfin-budget" "F1" "kjernejournal" "lisens" "2026" 100.00 NOK
2026-03-01 custom "nhnfin-budget" "F9" "kjernejournal" "drift" "2026" 100.00 NOK
2026-03-01 custom "nhnfin-budget" "F1" "kjernejournal" "drift" "2026" 100.00 NOK
  funding: "eu"
""")
    assert sorted(located(errors)) == [
        (4, "budsjettlinje for ukjent kostnadselement 'lisens'"),
        (5, "budsjettlinje for ukjent versjon 'F9'"),
        (6, "budsjettlinje for ukjent finansiering 'eu'"),
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
    assert messages[0].startswith("nhnfin-budget: beløpet må være et beløp i NOK")
    assert messages[1] == "nhnfin-budget: beløpet 100.005 NOK har brøkdeler av en øre"
    assert messages[2] == ("nhnfin-budget: det negative beløpet -5.00 NOK trenger en driver: som "
                           "sier hva det reduserer")
    assert messages[3].startswith('nhnfin-budget: perioden må være "2026", "2026-Q2" eller')
    assert messages[4].endswith("men er 5")  # as written, not Decimal('5') (round twelve)


def test_ready_date_and_volume_for_unknown_solution_and_twice() -> None:
    _, errors = load("""\
2026-07-01 custom "nhnfin-ready-for-management" "provesvar"
2026-07-01 custom "nhnfin-ready-for-management" "proevesvar"
2026-09-01 custom "nhnfin-ready-for-management" "proevesvar"
2026-12-31 custom "nhnfin-volume" "helsenorge" "2026" 1000 "innlogginger"
2026-12-31 custom "nhnfin-volume" "kjernejournal" "2026-Q1" 1000 "oppslag"
""")
    assert sorted(located(errors)) == [
        (1, "dato for klar til bruk for ukjent løsning 'provesvar'"),
        (3, "nhnfin-ready-for-management: datoen for klar til bruk for 'proevesvar' er oppgitt "
            "to ganger"),
        (4, "volum for ukjent løsning 'helsenorge'"),
        (5, "nhnfin-volume: et volum gjelder per år, men er '2026-Q1'"),
    ]


def test_element_accounts_must_not_overlap() -> None:
    _, errors = load("""\
2020-01-01 custom "nhnfin-cost-element" "lonn" "Lønn"
  accounts: "5000 5400-5420"
""")
    assert sorted(located(errors)) == [
        (1, "kontoene 5000-5000 i 'lonn' er også knyttet til 'personell'"),
        (1, "kontoene 5400-5420 i 'lonn' er også knyttet til 'personell'"),
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
