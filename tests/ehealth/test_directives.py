"""Bad declarations give Beancount errors at the directive's file and line."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Load = Callable[[str], tuple[list[Any], list[Any], dict[str, Any]]]

BASE = """\
2022-01-01 custom "nhnfin-ehealth-group" "RHF" TRUE
2022-01-01 custom "nhnfin-ehealth-group" "Kommune" TRUE
2022-01-01 custom "nhnfin-ehealth-solution" "kjernejournal" "Kjernejournal"
2022-01-01 custom "nhnfin-ehealth-key" "kjernejournal" "RHF" 60 "Kommune" 40
2022-01-01 custom "nhnfin-ehealth-actor" "Helse-Vest" "RHF"
2022-01-01 custom "nhnfin-ehealth-population" "Helse-Vest" 1130000
"""  # lines 8-13 after the 7-line header


def located(errors: list[Any]) -> list[tuple[int, str]]:
    return [(e.source["lineno"], e.message) for e in errors]


def test_clean_declarations_load_without_errors(load_doc: Load) -> None:
    assert load_doc(BASE)[1] == []


def test_key_not_summing_to_100_percent(load_doc: Load) -> None:
    _, errors, _ = load_doc(BASE + '2023-01-01 custom "nhnfin-ehealth-key" "kjernejournal" '
                            '"RHF" 60 "Kommune" 39.5\n')
    assert located(errors) == [
        (14, "nhnfin-ehealth-key: nøkkelen for 'kjernejournal' summerer til 99.5 %, ikke 100 %")]


def test_actor_with_no_population(load_doc: Load) -> None:
    _, errors, _ = load_doc(BASE + '2022-01-01 custom "nhnfin-ehealth-actor" "Helse-Nord" "RHF"\n')
    assert located(errors) == [
        (14, "aktøren 'Helse-Nord' har ikke noe folketall (legg til nhnfin-ehealth-population)")]


def test_cost_basis_for_unknown_solution(load_doc: Load) -> None:
    _, errors, _ = load_doc(BASE + '2022-01-01 custom "nhnfin-ehealth-cost-basis" "kjernjournal" '
                            "2022 100 NOK\n")
    assert located(errors) == [(14, "kostnadsgrunnlag for ukjent løsning 'kjernjournal'")]


def test_cost_posting_for_unknown_solution(load_doc: Load) -> None:
    _, errors, _ = load_doc(BASE + '2022-03-01 * "Drift"\n  solution: "helsenorge"\n'
                            "  Expenses:6700-ExternalServices  10.00 NOK\n"
                            "  Assets:1920-Bank\n")
    assert located(errors) == [
        (14, "ukjent løsning 'helsenorge': ingen custom \"nhnfin-ehealth-solution\" oppgir den")]


def test_unknown_group_in_key_and_actor(load_doc: Load) -> None:
    _, errors, _ = load_doc(BASE + '2023-01-01 custom "nhnfin-ehealth-key" "kjernejournal" '
                            '"RHF" 60 "Kommuner" 40\n'
                            '2022-01-01 custom "nhnfin-ehealth-actor" "Apotek-1" "Apotek"\n')
    assert sorted(located(errors)) == [
        (14, "nøkkelen for 'kjernejournal' nevner ukjent gruppe 'Kommuner'"),
        (15, "aktøren 'Apotek-1' er i ukjent gruppe 'Apotek'")]


def test_malformed_values(load_doc: Load) -> None:
    _, errors, _ = load_doc(
        BASE
        + '2022-01-01 custom "nhnfin-ehealth-cost-basis" "kjernejournal" 2022 100 EUR\n'
        + '2022-01-01 custom "nhnfin-ehealth-group" "Apotek" "nei"\n'
        + '2022-01-01 custom "nhnfin-ehealth-options" "rounding" "mil"\n'
        + '2022-01-01 custom "nhnfin-ehealth-population" "Helse-Vest" 10.5\n'
        + '2022-01-01 custom "nhnfin-ehealth-populasjon" "Helse-Vest" 10\n')
    messages = located(errors)
    assert messages[:4] == [
        (14, "nhnfin-ehealth-cost-basis: behovet må være et beløp i NOK (f.eks. 1000.00 NOK), "
             "men er 100 EUR"),
        (15, "nhnfin-ehealth-group: compensated må være TRUE eller FALSE, men er 'nei'"),
        (16, "nhnfin-ehealth-options: rounding: må være 'krone' eller 'øre'"),
        (17, "nhnfin-ehealth-population: folketallet må være et helt tall ≥ 0, men er "
             "10.5"),
    ]
    assert messages[4][0] == 18
    assert messages[4][1].startswith("nhnfin-ehealth-populasjon: ukjent direktiv; bruk ett av:")


def test_cost_basis_checks(load_doc: Load) -> None:
    _, errors, _ = load_doc(
        '2022-01-01 custom "nhnfin-ehealth-options" "rounding" "krone"\n' + BASE
        + '2022-01-01 custom "nhnfin-ehealth-cost-basis" "kjernejournal" 2022 100.50 NOK\n'
        + '2022-01-01 custom "nhnfin-ehealth-cost-basis" "kjernejournal" 2022 100 NOK\n'
        + '2021-01-01 custom "nhnfin-ehealth-cost-basis" "kjernejournal" 2021 100 NOK\n')
    assert sorted(located(errors)) == [
        # BASE declares an actor (an invoice basis) and none in Kommune, which the key gives 40 %
        (10, "gruppen 'Kommune' har ingen aktør med folketall å fordele andelen sin på i 2022: "
             "nøkkelen for 'kjernejournal' gir gruppen 40 NOK for perioden, men ingen blir "
             "fakturert for dem, så nhnfin invoice-basis --year 2022 stopper; legg til en aktør i "
             "gruppen (nhnfin-ehealth-actor med nhnfin-ehealth-population) eller endre "
             "nøkkelen"),
        (15, "100.50 er ikke et helt antall krone"),
        (16, "kostnadsgrunnlaget for 'kjernejournal' 2022 er oppgitt to ganger"),
        (17, "ingen nøkkel for 'kjernejournal' gjelder 2021-01-01"),
    ]


def test_merger_with_unknown_actor(load_doc: Load) -> None:
    _, errors, _ = load_doc(BASE + '2023-01-01 custom "nhnfin-ehealth-merger" "Helse-Vest" '
                            '"Helse-Vestland"\n')
    assert located(errors) == [(14, "folketall for ukjent aktør 'Helse-Vestland'")]


def test_an_actors_account_is_the_default_receivables_unless_named(load_doc: Load) -> None:
    """An actor without ``account`` is the default options' receivables account plus its id
    (``DEFAULT_RECEIVABLES``, the field's default); an ``account`` of its own is kept, and the
    ledger's options move only the default ones."""
    from nhnfin.ehealth.directives import DEFAULT_RECEIVABLES
    from nhnfin.ehealth.directives import Options
    from nhnfin.ehealth.directives import parse

    assert DEFAULT_RECEIVABLES == Options().receivables == "Assets:1500-TradeReceivables"
    own = ('2022-01-01 custom "nhnfin-ehealth-actor" "Helse-Nord" "RHF"\n'
           '  account: "Assets:1510-Other:Nord"\n'
           '2022-01-01 custom "nhnfin-ehealth-population" "Helse-Nord" 480000\n')
    config, errors = parse(load_doc(BASE + own)[0])
    assert errors == []
    assert {a.id: a.account for a in config.actors.values()} == {
        "Helse-Vest": "Assets:1500-TradeReceivables:Helse-Vest",
        "Helse-Nord": "Assets:1510-Other:Nord"}
    moved = '2022-01-01 custom "nhnfin-ehealth-options" "receivables" "Assets:1550-Actors"\n'
    config, errors = parse(load_doc(BASE + own + moved)[0])
    assert {a.id: a.account for a in config.actors.values()} == {
        "Helse-Vest": "Assets:1550-Actors:Helse-Vest", "Helse-Nord": "Assets:1510-Other:Nord"}
