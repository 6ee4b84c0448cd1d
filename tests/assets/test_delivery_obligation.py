"""The delivery-obligation plugin (issue 4): amortisation and equal release, by value."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from beancount import loader

from nhnfin.ledger import from_entries
from nhnfin.money import round_krone
from nhnfin.notes.layout_notes import build_note
from tests.assets.conftest import Loaded
from tests.assets.conftest import amounts
from tests.assets.conftest import generated
from tests.assets.conftest import legs

D = Decimal
RULE = "delivery-obligation"
ROOT = Path(__file__).resolve().parents[2]


def test_straight_line_with_remainder_and_equal_release(load_doc: Loaded) -> None:
    """
    plugin "nhnfin.assets.delivery_obligation"
    2024-01-01 custom "nhnfin-transfer" "t1" 1000.00 NOK
      months: 3
    2024-06-30 balance Assets:1020-EHealthSolutions 1000.00 NOK
    """
    entries, errors, _ = load_doc
    assert errors == []
    (transfer,) = generated(entries, "delivery-obligation-transfer")
    assert legs(transfer) == {
        "Assets:1020-EHealthSolutions": D("1000.00"),
        "Liabilities:2180-DeliveryObligation": D("-1000.00"),
    }
    months = generated(entries, RULE)
    assert [(str(e.date), legs(e)) for e in months] == [
        (day, {
            "Expenses:6010-AmortisationIntangible": amount,
            "Assets:1029-EHealthSolutionsAccumAmortisation": -amount,
            "Liabilities:2180-DeliveryObligation": amount,
            "Income:3410-DeliveryObligationIncome": -amount,
        })
        for day, amount in [
            ("2024-01-31", D("333.33")), ("2024-02-29", D("333.33")), ("2024-03-31", D("333.34"))
        ]
    ]  # fmt: skip
    first = months[0]
    assert first.meta["nhnfin-source"] == "<string>:24"
    assert first.meta["asset"] == "t1"
    assert first.meta["lineno"] == 24


def test_explicit_schedule_per_year(load_doc: Loaded) -> None:
    """
    plugin "nhnfin.assets.delivery_obligation" "{'period': 'year'}"
    2022-11-01 custom "nhnfin-transfer" "t1" 300.00 NOK
    2022-11-01 custom "nhnfin-schedule" "t1" "2022" 100.00 NOK
    2022-11-01 custom "nhnfin-schedule" "t1" "2023" 150.00 NOK
    2022-11-01 custom "nhnfin-schedule" "t1" "2024-01" 50.00 NOK
    2024-12-31 balance Assets:1920-Bank 0 NOK
    """
    entries, errors, _ = load_doc
    assert errors == []
    assert amounts(entries, RULE, "Income:3410-DeliveryObligationIncome") == [
        ("2022-12-31", D("-100.00")),
        ("2023-12-31", D("-150.00")),
        ("2024-12-31", D("-50.00")),
    ]


def test_mid_month_start(load_doc: Loaded) -> None:
    """
    plugin "nhnfin.assets.delivery_obligation"
    2024-04-16 custom "nhnfin-transfer" "t1" 600.00 NOK
      months: 2
    2024-12-31 balance Assets:1920-Bank 0 NOK
    """
    entries, errors, _ = load_doc
    assert errors == []
    # 15 of April's 30 days, May in full, the other half of April's share in June
    assert amounts(entries, RULE, "Liabilities:2180-DeliveryObligation") == [
        ("2024-04-30", D("150.00")),
        ("2024-05-31", D("300.00")),
        ("2024-06-30", D("150.00")),
    ]


def test_two_overlapping_transfers(load_doc: Loaded) -> None:
    """
    plugin "nhnfin.assets.delivery_obligation" "{'period': 'quarter'}"
    2024-01-01 custom "nhnfin-transfer" "a" 1200.00 NOK
      months: 6
    2024-02-01 custom "nhnfin-transfer" "b" 300.00 NOK
      months: 3
    2024-12-31 balance Liabilities:2180-DeliveryObligation 0 NOK
    """
    entries, errors, _ = load_doc
    assert errors == []
    per_asset = [(str(e.date), e.meta["asset"], legs(e)["Expenses:6010-AmortisationIntangible"])
                 for e in generated(entries, RULE)]  # fmt: skip
    assert sorted(per_asset) == [
        ("2024-03-31", "a", D("600.00")),
        ("2024-03-31", "b", D("200.00")),
        ("2024-06-30", "a", D("600.00")),
        ("2024-06-30", "b", D("100.00")),
    ]


def test_impairment_releases_and_reduces_the_schedule(load_doc: Loaded) -> None:
    """
    plugin "nhnfin.assets.delivery_obligation"
    2024-01-01 custom "nhnfin-transfer" "t1" 1200.00 NOK
      months: 4
    2024-02-29 custom "nhnfin-impairment" "t1" 200.00 NOK
    2024-12-31 balance Liabilities:2180-DeliveryObligation 0 NOK
    2024-12-31 balance Assets:1028-EHealthSolutionsAccumImpairment -200.00 NOK
    """
    entries, errors, _ = load_doc
    assert errors == []
    (impairment,) = generated(entries, "delivery-obligation-impairment")
    assert legs(impairment) == {
        "Expenses:6050-Impairment": D("200.00"),
        "Assets:1028-EHealthSolutionsAccumImpairment": D("-200.00"),
        "Liabilities:2180-DeliveryObligation": D("200.00"),
        "Income:3410-DeliveryObligationIncome": D("-200.00"),
    }
    assert amounts(entries, RULE, "Assets:1029-EHealthSolutionsAccumAmortisation") == [
        ("2024-01-31", D("-300.00")),
        ("2024-02-29", D("-300.00")),
        ("2024-03-31", D("-200.00")),
        ("2024-04-30", D("-200.00")),
    ]


def test_disposal_stops_the_schedule_and_releases_the_rest(load_doc: Loaded) -> None:
    """
    plugin "nhnfin.assets.delivery_obligation"
    2024-01-01 custom "nhnfin-transfer" "t1" 1200.00 NOK
      months: 4
    2024-02-15 custom "nhnfin-disposal" "t1"
      account: Expenses:7700-OtherOperatingCosts
    2024-12-31 balance Liabilities:2180-DeliveryObligation 0 NOK
    2024-12-31 balance Assets:1020-EHealthSolutions 0 NOK
    """
    entries, errors, _ = load_doc
    assert errors == []
    assert len(generated(entries, RULE)) == 1
    (disposal,) = generated(entries, "delivery-obligation-disposal")
    assert legs(disposal) == {
        "Assets:1029-EHealthSolutionsAccumAmortisation": D("300.00"),
        "Expenses:7700-OtherOperatingCosts": D("900.00"),
        "Assets:1020-EHealthSolutions": D("-1200.00"),
        "Liabilities:2180-DeliveryObligation": D("900.00"),
        "Income:3410-DeliveryObligationIncome": D("-900.00"),
    }


def test_ledger_ending_mid_schedule_books_nothing_beyond_it(load_doc: Loaded) -> None:
    """
    plugin "nhnfin.assets.delivery_obligation"
    2024-01-01 custom "nhnfin-transfer" "t1" 6000.00 NOK
      months: 60
    2024-03-10 balance Assets:1920-Bank 0 NOK
    """
    entries, errors, _ = load_doc
    assert errors == []
    assert [str(e.date) for e in generated(entries, RULE)] == [
        "2024-01-31",
        "2024-02-29",
        "2024-03-31",
    ]


def test_example_ledger_reproduces_the_published_figures() -> None:
    """ledger/examples/delivery-obligation.beancount: note 4, note 8's column and the lines."""
    path = ROOT / "ledger" / "examples" / "delivery-obligation.beancount"
    entries, errors, options = loader.load_file(str(path))
    assert errors == []
    ledger = from_entries(entries, errors, options)
    result = build_note(ledger, 2024, "4")
    assert result is not None
    (table,) = result.note.tables
    column = "national_ehealth_solutions"
    exact = {row.key: row.values[column] for row in table.rows}
    assert exact == {
        "transferred_intangible_assets": D("407283603.00"),
        "accumulated_recognised_at_2024_01_01": D("-304069663.42"),
        "book_value_at_2024_01_01": D("103213939.58"),
        "recognised_2024": D("-81455995.36"),
        "book_value_at_2024_12_31": D("21757944.22"),
    }
    income = ledger.movement(["Income:3410-DeliveryObligationIncome"], 2023)
    assert round_krone(-income) == D("81455995")
    assert [round_krone(v or D(0)) for v in exact.values()] == [
        D("407283603"),
        D("-304069663"),
        D("103213940"),
        D("-81455995"),
        D("21757944"),
    ]
    assert all(t.status == "passed" for t in result.tieouts)
