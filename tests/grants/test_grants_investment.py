"""Investment grants: 2910 -> 2930 at purchase, 2930 -> 3920 with depreciation and disposal.

The depreciation entries are written literally, as the asset plugin generates them (transaction
meta ``asset``, credit to the accumulated-depreciation account ending in 9).
"""

from __future__ import annotations

from decimal import Decimal

from grant_testing import load_ledger as load

from nhnfin.grants import note3
from nhnfin.notes.layout_notes import build_note

D = Decimal
DEFERRED = "Liabilities:2930-InvestmentGrantsDeferred"
INVESTMENT_INCOME = "Income:3920-InvestmentGrantIncome"
LIABILITY = "Liabilities:2910-UnusedPublicGrants"

INVESTMENT = """\
plugin "nhnfin.grants"
include "ACCOUNTS"

2024-01-01 custom "nhnfin-grant" "inv"
  name: "Investeringsmidler helsenett"
  source: "Kap. 701 post 21"
  amount: 1000.00 NOK
  note-row: "public_grant"
2024-01-02 * "Utbetaling"
  grant: "inv"
  Assets:1920-Bank                       1000.00 NOK
  Liabilities:2910-UnusedPublicGrants
2024-01-15 * "Leverandør" "Server"
  Assets:1250-FixturesAndEquipment       1200.00 NOK
    asset: "srv-1"
    grant: "inv:50"
  Assets:1920-Bank
2024-12-31 * "Avskrivning srv-1" #nhnfin-generated
  asset: "srv-1"
  nhnfin-rule: "asset-depreciation"
  Expenses:6000-DepreciationTangible      300.00 NOK
  Assets:1259-FixturesAccumDepreciation  -300.00 NOK
2025-12-31 * "Avskrivning srv-1" #nhnfin-generated
  asset: "srv-1"
  nhnfin-rule: "asset-depreciation"
  Expenses:6000-DepreciationTangible      300.00 NOK
  Assets:1259-FixturesAccumDepreciation  -300.00 NOK
2026-06-30 * "Avgang srv-1" #nhnfin-generated
  asset: "srv-1"
  nhnfin-rule: "asset-disposal"
  Assets:1259-FixturesAccumDepreciation   600.00 NOK
  Expenses:7700-OtherOperatingCosts       600.00 NOK
  Assets:1250-FixturesAndEquipment      -1200.00 NOK
"""


def test_investment_grant_follows_depreciation_and_disposal() -> None:
    loaded = load(INVESTMENT)
    assert loaded.errors == []
    assert loaded.other_errors == []
    moved = loaded.generated("grant-investment")
    assert [(str(t.date), t.meta["asset"], t.postings[0].units.number) for t in moved] == [
        ("2024-01-15", "srv-1", D("600.00"))]
    income = loaded.generated("grant-investment-income")
    assert [(str(t.date), -t.postings[1].units.number) for t in income] == [
        ("2024-12-31", D("150.00")), ("2025-12-31", D("150.00")), ("2026-06-30", D("300.00"))]
    assert [loaded.closing(DEFERRED, y) for y in (2024, 2025, 2026)] == [
        D("-450.00"), D("-300.00"), D("0.00")]
    assert loaded.closing(LIABILITY, 2024) == D("-400.00")
    assert income[0].meta["nhnfin-source"] == "<string>:18"


def test_note3_shows_investments_and_the_note13_line() -> None:
    loaded = load(INVESTMENT)
    result = build_note(loaded.ledger, 2025, "3")
    assert result is not None
    assert "used_on_investments_2025" not in [c.key for c in result.note.tables[0].columns]
    investment = result.note.tables[1]
    assert {r.key: r.values for r in investment.rows} == {
        "deferred_opening": {"2025": D("450.00"), "2024": D(0)},
        "used_on_investments": {"2025": D(0), "2024": D("600.00")},
        "recognised_as_income": {"2025": D("150.00"), "2024": D("150.00")},
        "state_budget_appropriation_used_on_investments": {"2025": D("300.00"),
                                                           "2024": D("450.00")},
    }
    assert all(t.status == "passed" for t in result.tieouts)
    line = note3.investment_grant_line(loaded.ledger, 2025)
    assert line.values == {"2025": D("300.00"), "2024": D("450.00")}
    first = build_note(loaded.ledger, 2024, "3")
    assert first is not None
    assert first.note.tables[0].row("public_grant").values["used_on_investments_2024"] == D(
        "600.00")


FINAL_PERIOD = """\
plugin "nhnfin.grants"
include "ACCOUNTS"

2024-01-01 custom "nhnfin-grant" "inv"
  name: "Investeringsmidler"
  source: "Kap. 701 post 21"
  amount: 1000.00 NOK
  note-row: "public_grant"
2024-01-02 * "Utbetaling"
  grant: "inv"
  Assets:1920-Bank                       1000.00 NOK
  Liabilities:2910-UnusedPublicGrants
2024-01-15 * "Programvare"
  asset: "sw-1"
  Assets:1040-Software                   1000.00 NOK
    grant: "inv:33.33"
  Assets:1920-Bank
2024-12-31 * "Avskrivning sw-1" #nhnfin-generated
  asset: "sw-1"
  Expenses:6010-AmortisationIntangible    333.33 NOK
  Assets:1049-SoftwareAccumAmortisation  -333.33 NOK
2025-12-31 * "Avskrivning sw-1" #nhnfin-generated
  asset: "sw-1"
  Expenses:6010-AmortisationIntangible    333.33 NOK
  Assets:1049-SoftwareAccumAmortisation  -333.33 NOK
2026-12-31 * "Avskrivning sw-1, siste" #nhnfin-generated
  asset: "sw-1"
  Expenses:6010-AmortisationIntangible    333.34 NOK
  Assets:1049-SoftwareAccumAmortisation  -333.34 NOK
"""


def test_final_depreciation_clears_the_deferred_grant_exactly() -> None:
    loaded = load(FINAL_PERIOD)
    assert loaded.errors == []
    income = [-t.postings[1].units.number for t in loaded.generated("grant-investment-income")]
    assert income == [D("111.10"), D("111.10"), D("111.10")]
    assert loaded.closing(DEFERRED, 2026) == D("0.00")


def test_investment_without_asset_id_is_an_error() -> None:
    loaded = load(FINAL_PERIOD.replace('  asset: "sw-1"\n  Assets:1040', "  Assets:1040"))
    assert [(e.source["lineno"], e.message) for e in loaded.errors] == [
        (14, "investeringen koblet til tilskuddet 'inv' på Assets:1040-Software har ingen "
             "eiendels-id (asset: \"<id>\"), så avskrivningen kan ikke følges")]


OPENING = """\
plugin "nhnfin.grants"
include "ACCOUNTS"

2022-01-01 custom "nhnfin-grant" "inv"
  name: "Investeringsmidler"
  source: "Kap. 701 post 21"
  note-row: "public_grant"
2022-12-31 * "Inngående balanse" "Eiendel og utsatt investeringstilskudd"
  asset: "infra-1"
  Assets:1200-Infrastructure                  900.00 NOK
  Assets:1209-InfrastructureAccumDepreciation -300.00 NOK
  Liabilities:2930-InvestmentGrantsDeferred   -300.00 NOK
    grant: "inv"
  Equity:2050-OtherEquity                     -300.00 NOK
2023-12-31 * "Avskrivning infra-1"
  asset: "infra-1"
  Expenses:6000-DepreciationTangible          200.00 NOK
  Assets:1209-InfrastructureAccumDepreciation
"""


def test_opening_deferred_balance_follows_depreciation() -> None:
    loaded = load(OPENING)
    assert loaded.errors == []
    income = [-t.postings[1].units.number for t in loaded.generated("grant-investment-income")]
    assert income == [D("100.00")]
    assert loaded.closing(DEFERRED, 2023) == D("-200.00")
    result = build_note(loaded.ledger, 2023, "3")
    assert result is not None
    assert all(t.status == "passed" for t in result.tieouts)


# round fourteen's probe: under plugin "nhnfin" the depreciation the asset rule generates is
# appended after the hand entries, and the rule walked the asset's book value in that order, so
# a later addition to the asset's cost (36 000 on 2026-01-02) was in the book value before
# 2025's depreciation: each month of 2025 took 10 000 x 360 000 / 396 000 = 9 090.91 of the
# grant to income instead of 10 000, and a year closed before the addition no longer held
ADDED_LATER = """\
plugin "nhnfin"
include "ACCOUNTS"

2025-01-01 custom "nhnfin-grant" "inv"
  name: "Investeringsmidler"
  source: "Kap. 701 post 21"
  amount: 360000.00 NOK
  note-row: "public_grant"
2025-02-01 custom "nhnfin-asset" "srv-a" "infrastructure"
  months: 36
2025-01-02 * "Utbetaling"
  grant: "inv"
  Assets:1920-Bank                       360000.00 NOK
  Liabilities:2910-UnusedPublicGrants
2025-01-10 * "Leverandør" "Server"
  Assets:1200-Infrastructure             360000.00 NOK
    asset: "srv-a"
    grant: "inv"
  Assets:1920-Bank
2026-01-02 * "Leverandør" "Utvidelse"
  Assets:1200-Infrastructure              36000.00 NOK
    asset: "srv-a"
  Assets:1920-Bank
"""


def test_a_later_addition_to_the_asset_leaves_earlier_grant_income_alone() -> None:
    loaded = load(ADDED_LATER)
    assert loaded.errors == []
    assert loaded.other_errors == []
    income = {str(t.date): -t.postings[1].units.number
              for t in loaded.generated("grant-investment-income")}
    assert income["2025-02-28"] == D("10000.00")
    assert income["2025-12-31"] == D("10000.00")
    assert loaded.movement(INVESTMENT_INCOME, 2025) == D("-110000.00")
    # 2026: the book value 250 000 + 36 000 over the 25 months left, 11 440 a month, of which
    # the grant's 250 000 / 286 000 follows
    assert income["2026-01-31"] == D("10000.00")  # booked to January, the last entry's month
