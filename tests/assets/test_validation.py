"""Bad configurations of the asset register and the delivery obligation (issue 4): each gives a
Beancount error at the declaring directive's line, and nothing is booked from it (from an
impairment or a disposal with an error: only that event is left out)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.assets.conftest import HEADER_LINES
from tests.assets.conftest import Line
from tests.assets.conftest import Loaded
from tests.assets.conftest import amounts
from tests.assets.conftest import generated
from tests.assets.conftest import load
from tests.assets.conftest import messages


def test_unknown_account(load_doc: Loaded, line: Line) -> None:
    """
    plugin "nhnfin.assets.delivery_obligation"
    2024-01-01 custom "nhnfin-transfer" "t1" 1000.00 NOK
      months: 12
      obligation: Liabilities:2181-Nope
    2024-12-31 balance Assets:1920-Bank 0 NOK
    """
    entries, errors, _ = load_doc
    assert messages(errors) == [
        (line(2), "t1: ukjent konto Liabilities:2181-Nope (ingen open-direktiv)")
    ]
    assert generated(entries) == []


def test_an_account_only_a_later_disposal_books_on_is_named_at_the_disposal(
    load_doc: Loaded, line: Line
) -> None:
    """
    plugin "nhnfin.assets.delivery_obligation"
    2024-01-01 custom "nhnfin-transfer" "t1" 1000.00 NOK
      months: 12
    2025-06-30 custom "nhnfin-disposal" "t1"
      account: Expenses:7799-Nope
    2024-12-31 balance Assets:1920-Bank 0 NOK
    """
    entries, errors, _ = load_doc
    # round twelve: named at the transfer (line 2) before, as if the transfer were wrong
    assert messages(errors) == [
        (line(4), "t1: ukjent konto Expenses:7799-Nope (ingen open-direktiv)")
    ]
    # round thirteen: the disposal is left out, not the transfer (nothing was booked before)
    assert [(str(e.date), e.meta["nhnfin-rule"]) for e in generated(entries)][:2] == [
        ("2024-01-01", "delivery-obligation-transfer"), ("2024-01-31", "delivery-obligation")]
    assert amounts(entries, "delivery-obligation", "Income:3410-DeliveryObligationIncome") == [
        (f"2024-{m:02d}-{d}", Decimal("-83.33") if m < 12 else Decimal("-83.37"))
        for m, d in zip(range(1, 13), (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31),
                        strict=True)]
    assert generated(entries, "delivery-obligation-disposal") == []


_LATER_EVENT = """
plugin "nhnfin"
2024-01-01 custom "nhnfin-asset" "srv" "fixtures"
  months: 36
2024-01-01 * "Server"
  Assets:1250-FixturesAndEquipment  3600.00 NOK
    asset: "srv"
  Assets:1920-Bank
2025-12-31 note Assets:1920-Bank "Årets siste dag"
{event}
"""


def _booked(event: str) -> tuple[list[tuple[str, Decimal]], list[tuple[int, str]]]:
    entries, errors, _ = load(_LATER_EVENT.format(event=event))
    return (amounts(entries, "asset-depreciation", "Assets:1259-FixturesAccumDepreciation"),
            [(lineno - HEADER_LINES, message) for lineno, message in messages(errors)])


@pytest.mark.parametrize(("event", "message"), [
    ('2025-06-30 custom "nhnfin-disposal" "srv"\n  account: Expenses:7799-Nope\n'
     '2025-07-31 custom "nhnfin-impairment" "srv" 10.00 NOK',
     [(9, "srv: ukjent konto Expenses:7799-Nope (ingen open-direktiv)")]),
    ('2025-06-30 custom "nhnfin-disposal" "srv"\n  account: Expenses:7700-OtherOperatingCosts\n'
     '2025-07-31 custom "nhnfin-impairment" "srv" 10.00 NOK',
     [(11, "nedskrivningen av 'srv' 2025-07-31 er etter avgangen 2025-06-30 (<string>:"
           f"{HEADER_LINES + 9})")]),
])
def test_a_bad_later_event_leaves_the_years_before_it_booked(
        event: str, message: list[tuple[int, str]]) -> None:
    """An error in a 2025 event of an asset kept 2024's depreciation booked (before round
    thirteen the whole asset was unbooked, so a locked 2024 changed): the event is left out,
    the rest is booked as if it were not written."""
    alone, _ = _booked("")
    booked, errors = _booked(event)
    assert errors == message
    assert [row for row in booked if row[0] < "2025-06"] == [
        row for row in alone if row[0] < "2025-06"]
    assert booked[:12] == [(f"2024-{m:02d}-{d}", Decimal("-100.00")) for m, d in zip(
        range(1, 13), (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31), strict=True)]


def test_schedule_not_adding_up(load_doc: Loaded, line: Line) -> None:
    """
    plugin "nhnfin.assets.delivery_obligation"
    2024-01-01 custom "nhnfin-transfer" "t1" 1000.00 NOK
    2024-01-01 custom "nhnfin-schedule" "t1" "2024" 600.00 NOK
    2024-01-01 custom "nhnfin-schedule" "t1" "2025" 300.00 NOK
    """
    _, errors, _ = load_doc
    assert messages(errors) == [
        (line(2), "t1: planen summerer til 900.00, ikke 1000.00 (-100.00)")
    ]


def test_start_before_the_transfer(load_doc: Loaded, line: Line) -> None:
    """
    plugin "nhnfin.assets.delivery_obligation"
    2024-03-01 custom "nhnfin-transfer" "t1" 1000.00 NOK
      months: 12
      start: 2024-01-01
    2024-03-01 custom "nhnfin-transfer" "t2" 100.00 NOK
    2024-03-01 custom "nhnfin-schedule" "t2" "2023" 100.00 NOK
    """
    _, errors, _ = load_doc
    assert messages(errors) == [
        (line(2), "nhnfin-transfer: start 2024-01-01 er før direktivets dato 2024-03-01"),
        (line(6), "t2: perioden 2023 slutter før start 2024-03-01"),
    ]


def test_overlapping_schedule_lines(load_doc: Loaded, line: Line) -> None:
    """
    plugin "nhnfin.assets.delivery_obligation"
    2024-01-01 custom "nhnfin-transfer" "t1" 1000.00 NOK
    2024-01-01 custom "nhnfin-schedule" "t1" "2024" 900.00 NOK
    2024-01-01 custom "nhnfin-schedule" "t1" "2024-05" 100.00 NOK
    """
    entries, errors, _ = load_doc
    assert messages(errors) == [(line(4), f"t1: perioden 2024-05 overlapper linje {line(3)}")]
    assert generated(entries) == []


def test_months_and_schedule_or_neither(load_doc: Loaded, line: Line) -> None:
    """
    plugin "nhnfin.assets.delivery_obligation"
    2024-01-01 custom "nhnfin-transfer" "t1" 1000.00 NOK
      months: 12
    2024-01-01 custom "nhnfin-schedule" "t1" "2024" 1000.00 NOK
    2024-01-01 custom "nhnfin-transfer" "t2" 1000.00 NOK
    2024-01-01 custom "nhnfin-transfer" "t2" 1000.00 NOK
      months: 12
    2024-04-01 custom "nhnfin-transfer" "t3" 1000 USD
    """
    _, errors, _ = load_doc
    assert sorted(messages(errors)) == [
        (line(2), "t1: oppgi enten months eller planlinjer, ikke begge"),
        (line(5), "t2: ingen avskrivningsplan (oppgi months: N eller planlinjer)"),
        (line(6), ("nhnfin-transfer: eiendels-id-en 't2' er oppgitt to ganger (første gang på "
                   f"<string>:{line(5)})")),
        (line(8), "nhnfin-transfer: det overførte beløpet må være et beløp i NOK (f.eks. 1000.00 "
                  "NOK), men er 1000 USD"),
    ]  # fmt: skip


def test_asset_directive_errors(load_doc: Loaded, line: Line) -> None:
    """
    plugin "nhnfin.assets"
    2024-01-01 custom "nhnfin-asset" "x" "furniture" 10.00 NOK
    2024-01-01 custom "nhnfin-asset" "y" "software"
      monhts: 36
    2024-01-01 custom "nhnfin-asset" "z" "software"
    2024-01-01 custom "nhnfin-asset" "w" "software" 100.00 NOK
      months: 24
    2024-02-01 custom "nhnfin-impairment" "nope" 10.00 NOK
    2024-03-01 custom "nhnfin-disposal" "w"
    """
    _, errors, _ = load_doc
    assert sorted(messages(errors)) == [
        (line(2), "nhnfin-asset: ukjent eiendelsklasse 'furniture' (bruk art, ehealth, fixtures, "
                  "infrastructure, software)"),
        (line(3), "nhnfin-asset: monhts: ukjent felt (det er ikke tillatt her)"),
        (line(5), ("z: ingen kostpris: oppgi den på direktivet eller merk kjøpet med asset: "
                   "\"<id>\"")),
        (line(6), "w: en levetid på 24 måneder er utenfor klassen software sine 36-60 måneder"),
        (line(8), "hendelse for ukjent eiendel 'nope'"),
        (line(9), "w: avgangen etterlater 91.68; oppgi kontoen (account: ...)"),
    ]  # fmt: skip


def test_tagged_cost_must_match_the_directive(load_doc: Loaded, line: Line) -> None:
    """
    plugin "nhnfin.assets"
    2024-01-01 * "Licence"
      Assets:1040-Software   500.00 NOK
        asset: "lic"
      Assets:1920-Bank
    2024-01-01 custom "nhnfin-asset" "lic" "software" 600.00 NOK
    2024-12-31 custom "nhnfin-asset" "late" "software" 600.00 NOK
    2024-06-01 * "Late project cost"
      Assets:1280-AssetsUnderConstruction   50.00 NOK
        asset: "lic"
      Assets:1920-Bank
    """
    _, errors, _ = load_doc
    assert sorted(messages(errors)) == [
        (line(6), "lic: de merkede posteringene summerer til 500.00, direktivet sier 600.00"),
        (line(6), "lic: kostnad bokført på Assets:1280-AssetsUnderConstruction 2024-06-01, etter "
                  "at eiendelen er klar til bruk"),
    ]  # fmt: skip


def test_invalid_plugin_configuration(load_doc: Loaded) -> None:
    """
    plugin "nhnfin.assets" "{'period': 'week'}"
    """
    _, errors, _ = load_doc
    assert [(e.source["filename"], e.message) for e in errors] == [
        ("<nhnfin.assets>", "ugyldig konfigurasjon \"{'period': 'week'}\": period: må være "
                            "'month', 'quarter' eller 'year'"),
    ]  # fmt: skip


def test_a_value_of_the_wrong_type_is_refused_not_converted(load_doc: Loaded, line: Line) -> None:
    """
    plugin "nhnfin.assets.delivery_obligation"
    2024-01-01 custom "nhnfin-transfer" "t1" 1200.00 NOK
      months: TRUE
    2024-01-01 custom "nhnfin-transfer" "t2" 1200.00 NOK
      months: "12"
    2024-01-01 custom "nhnfin-transfer" "t3" 1200.00 NOK
      months: 12
      start: 1740787200
    2024-01-01 custom "nhnfin-transfer" "t4" 1200.00 NOK
      months: 12
      start: "2024-03-01"
    2024-12-31 balance Assets:1920-Bank 0 NOK
    """
    entries, errors, _ = load_doc
    # round 13's probe: pydantic's lax mode took TRUE as 1 month, "12" as 12, a Unix time
    # 1740787200 as the date 2025-03-01 and a text as a date, without a word
    assert messages(errors) == [
        (line(2), "nhnfin-transfer: months: må være et heltall, men er TRUE"),
        (line(4), "nhnfin-transfer: months: må være et heltall, men er '12'"),
        (line(6), "nhnfin-transfer: start: må være en dato (ÅÅÅÅ-MM-DD), men er 1740787200"),
        (line(9), "nhnfin-transfer: start: må være en dato (ÅÅÅÅ-MM-DD), men er '2024-03-01'"),
    ]  # fmt: skip
    assert generated(entries) == []
