"""Notes 4 and 8 built from a small ledger (issue 4), checked by value."""

from __future__ import annotations

from decimal import Decimal

import pytest
from beancount import loader

from nhnfin.assets.note8 import life_text
from nhnfin.ledger import Ledger
from nhnfin.ledger import from_entries
from nhnfin.notes.layout_notes import build_note
from tests.assets.conftest import load

D = Decimal

LEDGER = """
plugin "nhnfin.assets" "{'period': 'year', 'until': '2024-12-31'}"
plugin "nhnfin.assets.delivery_obligation" "{'period': 'year', 'until': '2024-12-31'}"
2023-01-01 custom "nhnfin-transfer" "t1" 1200.00 NOK
  months: 24
2023-01-01 * "Servers"
  Assets:1200-Infrastructure   3600.00 NOK
    asset: "srv"
  Assets:1920-Bank
2023-01-01 custom "nhnfin-asset" "srv" "infrastructure"
  months: 36
2024-07-01 * "Desks"
  Assets:1250-FixturesAndEquipment   1200.00 NOK
    asset: "desk"
  Assets:1920-Bank
2024-07-01 custom "nhnfin-asset" "desk" "fixtures"
  months: 60
2024-12-31 custom "nhnfin-impairment" "desk" 100.00 NOK
2023-01-01 * "Licence"
  Assets:1040-Software   1800.00 NOK
    asset: "lic"
  Assets:1920-Bank
2023-01-01 custom "nhnfin-asset" "lic" "software"
  months: 36
2023-05-01 * "Painting"
  Assets:1060-Art   999.00 NOK
    asset: "art"
  Assets:1920-Bank
2023-05-01 custom "nhnfin-asset" "art" "art"
"""


@pytest.fixture(scope="module")
def ledger() -> Ledger:
    entries, errors, options = load(LEDGER)
    assert errors == []
    return from_entries(entries, errors, options)


def column(table: object, key: str) -> dict[str, Decimal | None]:
    """row key -> value of column ``key``."""
    return {row.key: row.values.get(key) for row in table.rows if row.values}  # type: ignore[attr-defined]


def test_note4(ledger: Ledger) -> None:
    result = build_note(ledger, 2024, "4")
    assert result is not None
    (table,) = result.note.tables
    assert [(r.key, r.label, r.kind.value) for r in table.rows] == [
        ("transferred_intangible_assets", "Overførte immaterielle eiendeler", "item"),
        ("accumulated_recognised_at_2024_01_01", "Akk. inntektsført pr 01.01.24", "item"),
        ("book_value_at_2024_01_01", "Bokført verdi 01.01.24", "subtotal"),
        ("recognised_2024", "Inntektsført 2024", "item"),
        ("book_value_at_2024_12_31", "Bokført verdi 31.12.24", "total"),
    ]
    assert column(table, "national_ehealth_solutions") == {
        "transferred_intangible_assets": D("1200.00"),
        "accumulated_recognised_at_2024_01_01": D("-600.00"),
        "book_value_at_2024_01_01": D("600.00"),
        "recognised_2024": D("-600.00"),
        "book_value_at_2024_12_31": D("0.00"),
    }
    assert {t.check_id: t.status.value for t in result.tieouts} == {
        "n4.asset_equals_obligation.2023": "passed",
        "n4.asset_equals_obligation.2024": "passed",
        "n4.recognised_vs_income_statement": "passed",
        "n4.book_value_vs_balance_sheet": "passed",
    }
    # a passing check says nothing more (it quoted NHN's published 2023 figures on every ledger)
    assert {t.detail for t in result.tieouts} == {""}


def test_note4_asset_apart_from_the_obligation_names_the_posting() -> None:
    """2180 posted by hand against 3410: the book value and the obligation part, and the
    tie-out names the posting; a transfer booked by hand on both sides (book: FALSE) is not
    named (before: the rule's words only, with no posting)."""
    entries, errors, options = load(LEDGER + """
2024-01-01 custom "nhnfin-transfer" "t2" 500.00 NOK
  months: 12
  book: FALSE
2024-01-01 * "Overføring t2"
  Assets:1020-EHealthSolutions          500.00 NOK
    asset: "t2"
  Liabilities:2180-DeliveryObligation  -500.00 NOK
2024-03-01 * "Feil" "2180 for hånd"
  Liabilities:2180-DeliveryObligation    40.00 NOK
  Income:3410-DeliveryObligationIncome
""")
    assert errors == []
    result = build_note(from_entries(entries, errors, options), 2024, "4")
    assert result is not None
    apart = next(t for t in result.tieouts if t.check_id == "n4.asset_equals_obligation.2024")
    assert (apart.status.value, apart.left, apart.right) == ("failed", D("0.00"), D("-40.00"))
    assert apart.detail == (
        "regelen holder dem like: 1 postering på Liabilities:2180-DeliveryObligation, til sammen "
        "40 (<string>:59) er postert utenom regelen (nhnfin-transfer, -impairment, -disposal)")


def test_note8_tangible(ledger: Ledger) -> None:
    result = build_note(ledger, 2024, "8")
    assert result is not None
    tangible, _ = result.note.tables
    assert [c.key for c in tangible.columns] == [
        "infrastructure", "fixtures_fittings_and_equipment", "total"
    ]  # fmt: skip
    assert column(tangible, "infrastructure") == {
        "cost_at_01_01": D("3600.00"),
        "accumulated_depreciation_and_impairment_at_01_01": D("-1200.00"),
        "book_value_at_01_01": D("2400.00"),
        "additions": D(0),
        "disposals": D(0),
        "depreciation_for_year": D("-1200.00"),
        "impairment_for_year": D(0),
        "book_value_at_31_12": D("1200.00"),
    }
    assert column(tangible, "total") == {
        "cost_at_01_01": D("3600.00"),
        "accumulated_depreciation_and_impairment_at_01_01": D("-1200.00"),
        "book_value_at_01_01": D("2400.00"),
        "additions": D("1200.00"),
        "disposals": D(0),
        "depreciation_for_year": D("-1320.00"),
        "impairment_for_year": D("-100.00"),
        "book_value_at_31_12": D("2180.00"),
    }
    texts = {r.key: r.text_values for r in tangible.rows if r.text_values}
    assert texts == {
        "useful_life": {"infrastructure": "3-7 år", "fixtures_fittings_and_equipment": "3-10 år"},
        "depreciation_method": {
            "infrastructure": "Lineær", "fixtures_fittings_and_equipment": "Lineær"
        },
    }  # fmt: skip


def test_note8_intangible_and_tieouts(ledger: Ledger) -> None:
    result = build_note(ledger, 2024, "8")
    assert result is not None
    _, intangible = result.note.tables
    assert [r.key for r in intangible.rows] == [
        "cost_at_01_01",
        "accumulated_amortisation_and_impairment_at_01_01",
        "book_value_at_01_01",
        "additions",
        "amortisation_for_year",
        "book_value_at_31_12",
        "useful_life",
        "depreciation_method",
    ]
    assert column(intangible, "total") == {
        "cost_at_01_01": D("3999.00"),
        "accumulated_amortisation_and_impairment_at_01_01": D("-1200.00"),
        "book_value_at_01_01": D("2799.00"),
        "additions": D(0),
        "amortisation_for_year": D("-1200.00"),
        "book_value_at_31_12": D("1599.00"),
    }
    assert intangible.row("useful_life").text_values == {
        "national_ehealth_solutions": "10 år", "software": "3-5 år", "art": "Evig"
    }  # fmt: skip
    statuses = {t.check_id: t.status.value for t in result.tieouts}
    assert statuses == {
        "n8.t0.book_value_vs_balance_sheet": "passed",
        "n8.t1.book_value_vs_balance_sheet": "passed",
        "n8.depreciation_vs_income_statement": "passed",
        "n8.impairment_vs_income_statement": "passed",
        "n8.useful_life.ehealth": "warning",
        "n8.useful_life.software": "passed",
        "n8.useful_life.infrastructure": "passed",
        "n8.useful_life.fixtures": "passed",
    }


def test_notes_are_absent_without_assets() -> None:
    entries, errors, options = loader.load_string("2024-01-01 open Assets:1920-Bank NOK\n")
    ledger = from_entries(entries, errors, options)
    assert build_note(ledger, 2024, "4") is None
    assert build_note(ledger, 2024, "8") is None


@pytest.mark.parametrize(("lives", "sides"), [
    ([60, 48], (60, 84)),  # all inside 36-84 months: the longest life, not "84 mot 84"
    ([60, 120], (120, 84)),  # one beyond the upper bound
    ([12, 60], (12, 36)),  # one below the lower bound: that bound
    ([30, 100], (100, 84)),  # the one further outside (16 months) is shown
])
def test_a_life_check_shows_the_registered_life_beside_the_printed_bound(
    lives: list[int], sides: tuple[int, int]
) -> None:
    from nhnfin.assets.note8 import life_compared

    assert life_compared(lives, (36, 84)) == sides


@pytest.mark.parametrize(("months", "text"), [
    ([60], "5 år"), ([36, 84, 60], "3-7 år"), ([30, 60], "30-60 måneder"), ([48, 48], "4 år"),
    ([0], "Ubegrenset"), ([60, 0], "5 år, ubegrenset"), ([], None)])
def test_the_life_printed_for_registered_assets(months: list[int], text: str | None) -> None:
    """A column of note 8 that states no life prints its registered assets' lives: whole years
    when both ends are, else months; art (never depreciated) "Ubegrenset"."""
    assert life_text(months) == text


def test_note4_income_apart_from_the_obligation_names_the_posting() -> None:
    """3410 posted by hand against the bank (not 2180): the note's recognised (2180's debits)
    and the income line part, and the tie-out names the posting at file:line; the rule's own
    release (2180 against 3410) is not named (before: no detail at all)."""
    entries, errors, options = load(LEDGER + """
2024-03-01 * "Feil" "3410 for hånd"
  Income:3410-DeliveryObligationIncome  -70.00 NOK
  Assets:1920-Bank
""")
    assert errors == []
    result = build_note(from_entries(entries, errors, options), 2024, "4")
    assert result is not None
    tie = next(t for t in result.tieouts if t.check_id == "n4.recognised_vs_income_statement")
    assert (tie.status.value, tie.left, tie.right) == ("failed", D("-600.00"), D("-670.00"))
    assert tie.detail == (
        "1 postering på Income:3410-DeliveryObligationIncome, til sammen −70 (<string>:52) er "
        "ikke ført mot leveranseforpliktelsen (2180): resultatregnskapet tar den med, noten "
        "ikke")


def test_note4_obligation_released_against_other_income_names_the_posting() -> None:
    """2180 debited by hand against another income account than 3410: the tie-out names the
    2180 posting (the note counts it, the income line does not)."""
    entries, errors, options = load(LEDGER + """
2024-03-01 * "Feil" "2180 mot 3900"
  Liabilities:2180-DeliveryObligation    30.00 NOK
  Income:3900-OtherIncome
""")
    assert errors == []
    result = build_note(from_entries(entries, errors, options), 2024, "4")
    assert result is not None
    tie = next(t for t in result.tieouts if t.check_id == "n4.recognised_vs_income_statement")
    assert (tie.status.value, tie.left, tie.right) == ("failed", D("-630.00"), D("-600.00"))
    assert tie.detail == (
        "1 postering på Liabilities:2180-DeliveryObligation, til sammen 30 (<string>:52) er "
        "ikke ført mot inntektslinjen (3410-3419): noten tar den med, resultatregnskapet ikke")
