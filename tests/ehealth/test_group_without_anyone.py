"""A group the key gives a share and that has no one to invoice it to (nhnfin.ehealth.basis.
groups_without_anyone): an error at the group's directive at load, once, naming the first
invoicing period. Before: the load said nothing and only ``nhnfin invoice-basis`` refused the
year ("gruppen 'Apotek' har ingen aktør å fordele andelen sin på").
"""

from __future__ import annotations

from pathlib import Path

import pytest
from beancount import loader

from nhnfin.ehealth.basis import invoice_basis
from nhnfin.ehealth.directives import parse
from tests.bad_input.cases import ACCOUNTS

HEAD = f'option "operating_currency" "NOK"\nplugin "nhnfin"\ninclude "{ACCOUNTS}"\n'
LINE = HEAD.count("\n")  # the body's line 1 is the file's LINE + 1


def ledger(invoicing: str, rest: str) -> str:
    """Two groups, RHF (by population, one actor) and Apotek (``rest`` declares its split and
    actors); kjernejournal's key 60/40, its cost basis 2022 1000 NOK."""
    return (
        f'2022-01-01 custom "nhnfin-ehealth-options" "invoicing" "{invoicing}"\n'   # 1
        '2022-01-01 custom "nhnfin-ehealth-group" "RHF" TRUE\n'                    # 2
        '2022-01-01 custom "nhnfin-ehealth-group" "Apotek" FALSE\n'                # 3
        + rest
        + '2022-01-01 custom "nhnfin-ehealth-solution" "kj" "Kjernejournal"\n'
        '2022-01-01 custom "nhnfin-ehealth-key" "kj" "RHF" 60 "Apotek" 40\n'
        '2022-01-01 custom "nhnfin-ehealth-cost-basis" "kj" 2022 1000 NOK\n'
        '2022-01-01 custom "nhnfin-ehealth-actor" "HV" "RHF"\n'
        '2022-01-01 custom "nhnfin-ehealth-population" "HV" 1000\n'
    )


EQUAL = '  split: "equal"\n'
PHARMACY = '{day} custom "nhnfin-ehealth-actor" "Apotek-1" "Apotek"\n'
NO_ONE = "gruppen 'Apotek' har ingen aktør å fordele andelen sin på"
NO_ONE_COUNTED = "gruppen 'Apotek' har ingen aktør med folketall å fordele andelen sin på"
CASES = [
    # the key gives Apotek 40 %, and no pharmacy is declared
    ("no-actor", ledger("annual", EQUAL),
     f"{NO_ONE} i 2022: nøkkelen for 'kj' gir gruppen 400.00 NOK for perioden, men ingen blir "
     "fakturert for dem, så nhnfin invoice-basis --year 2022 stopper; legg til en aktør i "
     "gruppen (nhnfin-ehealth-actor) eller endre nøkkelen"),
    # split by population, and its one pharmacy counts 0
    ("population-zero", ledger("annual", PHARMACY.format(day="2022-01-01")
                               + '2022-01-01 custom "nhnfin-ehealth-population" "Apotek-1" 0\n'),
     f"{NO_ONE_COUNTED} i 2022: nøkkelen for 'kj' gir gruppen 400.00 NOK for perioden, men "
     "ingen blir fakturert for dem, så nhnfin invoice-basis --year 2022 stopper; legg til en "
     "aktør i gruppen (nhnfin-ehealth-actor med nhnfin-ehealth-population) eller endre "
     "nøkkelen"),
    # the one pharmacy joins in July: the first two quarters have no one (once, at the first)
    ("actor-from-july", ledger("quarterly", EQUAL + PHARMACY.format(day="2022-07-01")),
     f"{NO_ONE} i 2022-Q1: nøkkelen for 'kj' gir gruppen 100.00 NOK for perioden, men ingen "
     "blir fakturert for dem, så nhnfin invoice-basis --year 2022 stopper; legg til en aktør i "
     "gruppen (nhnfin-ehealth-actor) eller endre nøkkelen"),
]


def _errors(body: str, tmp_path: Path) -> list[tuple[int, str]]:
    path = tmp_path / "groups.beancount"
    path.write_text(HEAD + body, encoding="utf-8")
    _entries, errors, _ = loader.load_file(str(path))
    assert not [e.message for e in errors if "Traceback" in e.message]
    return [(e.source["lineno"] - LINE, e.message) for e in errors]


@pytest.mark.parametrize(("body", "message"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_a_group_with_a_share_and_no_one_to_invoice_is_an_error_at_load(
        body: str, message: str, tmp_path: Path) -> None:
    assert _errors(body, tmp_path) == [(3, message)]
    # the invoice basis refuses the year, at the same directive
    config, _ = parse(loader.load_string(HEAD + body)[0])
    _, refused = invoice_basis(config, 2022)
    assert [e.source["lineno"] - LINE for e in refused] == [3]


FINE = [
    # no share: the key does not name the group, so it has nothing to split
    ("no-share", ledger("annual", EQUAL).replace('"RHF" 60 "Apotek" 40', '"RHF" 100')),
    # a share of 0 %
    ("zero-share", ledger("annual", EQUAL).replace('"RHF" 60 "Apotek" 40',
                                                   '"RHF" 100 "Apotek" 0')),
    # split equally: a pharmacy needs no population
    ("equal-one-actor", ledger("annual", EQUAL + PHARMACY.format(day="2022-01-01"))),
    # no actor at all: the ledger invoices by hand and does not use the invoice basis
    ("no-actor-at-all", ledger("annual", EQUAL).replace(
        '2022-01-01 custom "nhnfin-ehealth-actor" "HV" "RHF"\n'
        '2022-01-01 custom "nhnfin-ehealth-population" "HV" 1000\n', "")),
    # no cost basis for the year the group is empty in: nothing is invoiced then
    ("empty-before-its-year", ledger("annual", EQUAL + PHARMACY.format(day="2023-01-01"))
     .replace('"kj" 2022 1000 NOK', '"kj" 2023 1000 NOK')),
]


@pytest.mark.parametrize("body", [c[1] for c in FINE], ids=[c[0] for c in FINE])
def test_a_group_with_someone_or_nothing_to_split_loads_cleanly(body: str,
                                                               tmp_path: Path) -> None:
    assert _errors(body, tmp_path) == []


MERGERS = (
    '2022-01-01 custom "nhnfin-ehealth-group" "Kommune" TRUE\n'                  # 1
    '2022-01-01 custom "nhnfin-ehealth-actor" "K-A" "Kommune"\n'                 # 2
    '2022-01-01 custom "nhnfin-ehealth-population" "K-A" 100\n'                  # 3
    '2022-01-01 custom "nhnfin-ehealth-actor" "K-B" "Kommune"\n'                 # 4
    '2022-01-01 custom "nhnfin-ehealth-population" "K-B" 200\n'                  # 5
    '2024-01-01 custom "nhnfin-ehealth-merger" "K-A" "K-B" 150\n'                # 6: A has 100
    '2025-01-01 custom "nhnfin-ehealth-merger" "K-A" "K-B"\n'                    # 7: the rest
    '2026-01-01 custom "nhnfin-ehealth-merger" "K-B" "K-A" 500\n'                # 8: B has 300
    '2022-01-01 custom "nhnfin-ehealth-group" "Apotek" FALSE\n  split: "equal"\n'  # 9
    '2022-01-01 custom "nhnfin-ehealth-actor" "Ap-1" "Apotek"\n'                 # 11
    '2022-01-01 custom "nhnfin-ehealth-actor" "Ap-2" "Apotek"\n'                 # 12
    '2024-01-01 custom "nhnfin-ehealth-merger" "Ap-1" "Ap-2"\n'                  # 13: no count
    '2022-01-01 custom "nhnfin-ehealth-actor" "K-C" "Kommune"\n'                 # 14
    '2024-01-01 custom "nhnfin-ehealth-merger" "K-C" "K-B"\n'                    # 15: none yet
    '2025-01-01 custom "nhnfin-ehealth-population" "K-C" 50\n'                  # 16
)


def test_a_merger_moving_more_than_the_actor_has_is_an_error_at_load(tmp_path: Path) -> None:
    """Before: only ``nhnfin invoice-basis`` of a year after the merger refused it. The merger
    of Ap-1 in a group split equally (line 13) moves its share and needs no population (before
    round 14 it was refused like line 15's)."""
    assert _errors(MERGERS, tmp_path) == [
        (6, "sammenslåingen 2024-01-01 flytter 150 av folketallet fra 'K-A' til 'K-B', men "
            "'K-A' har bare 100 da"),
        (15, "sammenslåingen 2024-01-01 flytter folketall fra 'K-C', som ikke har noe "
             "folketall da (legg til nhnfin-ehealth-population før den)"),
        (8, "sammenslåingen 2026-01-01 flytter 500 av folketallet fra 'K-B' til 'K-A', men "
            "'K-B' har bare 300 da")]


def test_an_actor_counted_only_after_a_period_it_is_invoiced_in_is_an_error_at_load(
        tmp_path: Path) -> None:
    """An actor declared on 1 January whose population is given from 1 March: the first quarter
    has it without a population. Before: only ``nhnfin invoice-basis`` refused the year."""
    body = ledger("quarterly", EQUAL + PHARMACY.format(day="2022-01-01")).replace(
        '2022-01-01 custom "nhnfin-ehealth-population" "HV" 1000\n',
        '2022-03-01 custom "nhnfin-ehealth-population" "HV" 1000\n')
    assert _errors(body, tmp_path) == [
        (9, "aktøren 'HV' har ikke noe folketall 2022-01-01, den første dagen i "
            "fakturaperioden 2022-Q1, der gruppen 'RHF' har en andel av 'kj': folketallet "
            "gjelder først fra 2022-03-01, så nhnfin invoice-basis --year 2022 stopper; gi "
            "folketallet fra den dagen aktøren er med")]


def test_the_actors_split_equally_given_once_read_as_when_read_each_time() -> None:
    """``population_events`` and ``equal_shares_at`` take the actors split equally
    (``equal_actors``) from a caller that reads them once for every period: the same events
    and shares as reading them on each call."""
    import datetime
    from decimal import Decimal

    from beancount.loader import load_string

    from nhnfin.ehealth.basis import equal_actors
    from nhnfin.ehealth.basis import equal_shares_at
    from nhnfin.ehealth.basis import population_events

    config, _ = parse(load_string(HEAD + MERGERS)[0])
    equal = equal_actors(config)
    assert equal == frozenset({"Ap-1", "Ap-2"})
    events = population_events(config, equal)
    assert events == population_events(config)
    assert [(e.actor, e.target) for e in events if e.target] == [
        ("K-A", "K-B"), ("K-C", "K-B"), ("K-A", "K-B"), ("K-B", "K-A")]
    day = datetime.date(2024, 1, 1)
    assert equal_shares_at(config, day, equal) == equal_shares_at(config, day)
    assert equal_shares_at(config, day, equal)[0] == {"Ap-1": Decimal(0), "Ap-2": Decimal(2)}
