"""The fixed-asset plugin (issue 4): depreciation, impairment, disposal and assets under
construction, checked by value on literal ledgers."""

from __future__ import annotations

from decimal import Decimal

from tests.assets.conftest import Line
from tests.assets.conftest import Loaded
from tests.assets.conftest import amounts
from tests.assets.conftest import generated
from tests.assets.conftest import legs
from tests.assets.conftest import messages

D = Decimal
DEPRECIATION = "asset-depreciation"
ACCUM = "Assets:1209-InfrastructureAccumDepreciation"


def test_tagged_purchase_is_depreciated_yearly_with_remainder(load_doc: Loaded) -> None:
    """
    plugin "nhnfin.assets" "{'period': 'year'}"
    2024-01-01 * "Servers"
      Assets:1200-Infrastructure   1000.00 NOK
        asset: "srv"
      Assets:1920-Bank            -1000.00 NOK
    2024-01-01 custom "nhnfin-asset" "srv" "infrastructure"
      months: 36
    2027-06-30 balance Assets:1920-Bank -1000.00 NOK
    """
    entries, errors, _ = load_doc
    assert errors == []
    # 27.77 a month (truncated), the 36th month takes 27.82
    assert amounts(entries, DEPRECIATION, ACCUM) == [
        ("2024-12-31", D("-333.24")),
        ("2025-12-31", D("-333.24")),
        ("2026-12-31", D("-333.52")),
    ]
    first = generated(entries, DEPRECIATION)[0]
    assert legs(first)["Expenses:6000-DepreciationTangible"] == D("333.24")
    assert first.meta["nhnfin-rule"] == DEPRECIATION
    assert first.meta["asset"] == "srv"


def test_asset_under_construction_starts_when_declared(load_doc: Loaded) -> None:
    """
    plugin "nhnfin.assets"
    2024-01-15 * "Project, first invoice"
      Assets:1280-AssetsUnderConstruction   400.00 NOK
        asset: "dc"
      Assets:1920-Bank
    2024-02-15 * "Project, second invoice"
      Assets:1280-AssetsUnderConstruction   200.00 NOK
        asset: "dc"
      Assets:1920-Bank
    2024-04-01 custom "nhnfin-asset" "dc" "infrastructure"
      months: 36
    2024-05-31 balance Assets:1280-AssetsUnderConstruction 0 NOK
    """
    entries, errors, _ = load_doc
    assert errors == []
    (ready,) = generated(entries, "asset-ready")
    assert str(ready.date) == "2024-04-01"
    assert legs(ready) == {
        "Assets:1200-Infrastructure": D("600.00"),
        "Assets:1280-AssetsUnderConstruction": D("-600.00"),
    }
    assert amounts(entries, DEPRECIATION, ACCUM) == [
        ("2024-04-30", D("-16.66")),
        ("2024-05-31", D("-16.66")),
    ]


def test_no_depreciation_while_under_construction(load_doc: Loaded) -> None:
    """
    plugin "nhnfin.assets"
    2024-01-15 * "Project"
      Assets:1280-AssetsUnderConstruction   400.00 NOK
        asset: "dc"
      Assets:1920-Bank
    2024-12-31 balance Assets:1280-AssetsUnderConstruction 400.00 NOK
    """
    entries, errors, _ = load_doc
    assert errors == []
    assert generated(entries) == []


def test_impairment_and_disposal(load_doc: Loaded, line: Line) -> None:
    """
    plugin "nhnfin.assets"
    2024-01-01 custom "nhnfin-asset" "pc" "fixtures" 3600.00 NOK
      months: 36
    2024-01-01 * "Laptops"
      Assets:1250-FixturesAndEquipment   3600.00 NOK
        asset: "pc"
      Assets:1920-Bank
    2024-03-31 custom "nhnfin-impairment" "pc" 330.00 NOK
    2024-06-30 custom "nhnfin-disposal" "pc"
      account: Expenses:7700-OtherOperatingCosts
    2024-12-31 balance Assets:1250-FixturesAndEquipment 0 NOK
    2024-12-31 balance Assets:1259-FixturesAccumDepreciation 0 NOK
    """
    entries, errors, _ = load_doc
    assert errors == []
    acc = "Assets:1259-FixturesAccumDepreciation"
    # 100 a month; after the impairment 3600 - 300 - 330 = 2970 over 33 months = 90
    assert [a for _, a in amounts(entries, DEPRECIATION, acc)] == [D(-100)] * 3 + [D(-90)] * 3
    (impairment,) = generated(entries, "asset-impairment")
    assert legs(impairment) == {
        "Expenses:6050-Impairment": D("330.00"),
        "Assets:1258-FixturesAccumImpairment": D("-330.00"),
    }
    assert impairment.meta["lineno"] == line(8)
    (disposal,) = generated(entries, "asset-disposal")
    assert legs(disposal) == {
        acc: D("570.00"),
        "Assets:1258-FixturesAccumImpairment": D("330.00"),
        "Expenses:7700-OtherOperatingCosts": D("2700.00"),
        "Assets:1250-FixturesAndEquipment": D("-3600.00"),
    }


def test_book_value_never_goes_negative(load_doc: Loaded, line: Line) -> None:
    """
    plugin "nhnfin.assets"
    2024-01-01 custom "nhnfin-asset" "pc" "fixtures" 360.00 NOK
      months: 36
    2024-01-01 * "Laptop"
      Assets:1250-FixturesAndEquipment   360.00 NOK
        asset: "pc"
      Assets:1920-Bank
    2024-01-31 custom "nhnfin-impairment" "pc" 500.00 NOK
    2025-12-31 balance Assets:1920-Bank -360.00 NOK
    """
    entries, errors, _ = load_doc
    assert messages(errors) == [
        (line(8), ("pc: nedskrivningen 500.00 er større enn bokført verdi 350.00; begrenset til "
                   "350.00"))
    ]
    assert [a for _, a in amounts(entries, "asset-impairment", "Expenses:6050-Impairment")] == [
        D("350.00")
    ]
    assert len(generated(entries, DEPRECIATION)) == 1


def test_addition_after_start_is_spread_over_the_rest_of_the_life(load_doc: Loaded) -> None:
    """
    plugin "nhnfin.assets" "{'period': 'quarter'}"
    2024-01-01 * "Switch"
      Assets:1200-Infrastructure   3600.00 NOK
        asset: "sw"
      Assets:1920-Bank
    2024-01-01 custom "nhnfin-asset" "sw" "infrastructure"
      months: 36
    2024-07-01 * "Extra line cards"
      Assets:1200-Infrastructure   300.00 NOK
        asset: "sw"
      Assets:1920-Bank
    2024-12-31 balance Assets:1920-Bank -3900.00 NOK
    """
    entries, errors, _ = load_doc
    assert errors == []
    # 100 a month to June; then (3600 - 600 + 300) / 30 = 110 a month
    assert amounts(entries, DEPRECIATION, ACCUM) == [
        ("2024-03-31", D("-300.00")),
        ("2024-06-30", D("-300.00")),
        ("2024-09-30", D("-330.00")),
        ("2024-12-31", D("-330.00")),
    ]


def test_art_is_not_depreciated(load_doc: Loaded) -> None:
    """
    plugin "nhnfin.assets"
    2024-01-01 * "Painting"
      Assets:1060-Art   50000.00 NOK
        asset: "art-1"
      Assets:1920-Bank
    2024-01-01 custom "nhnfin-asset" "art-1" "art"
    2024-12-31 balance Assets:1060-Art 50000.00 NOK
    """
    entries, errors, _ = load_doc
    assert errors == []
    assert generated(entries) == []
