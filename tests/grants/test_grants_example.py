"""The worked example ledger loads clean and gives the published note 3 (2024) to the krone."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from nhnfin.grants import note3
from nhnfin.grants import usage as grant_usage
from nhnfin.ledger import load
from nhnfin.model import Status
from nhnfin.money import round_krone
from nhnfin.notes.layout_notes import build_note

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "ledger" / "examples" / "grants.beancount"
REFERENCE = Path("/work/shared/reference/nhn-annual-report-2024.json")
D = Decimal


def test_example_loads_clean() -> None:
    ledger = load(EXAMPLE)
    assert ledger.errors == []


def test_example_reproduces_published_note3() -> None:
    result = build_note(load(EXAMPLE), 2024, "3")
    assert result is not None
    table = result.note.tables[0]
    published = {
        "public_grant": ["17480552", "0", "307644000", "325124552", "233191205", "91933347"],
        "myhealth_eu": ["1300000", "9300000", "0", "10600000", "8708209", "1891791"],
        # published sum of set aside is 93 825 137: its rows add up to 93 825 138
        "total": ["18780552", "9300000", "307644000", "335724552", "241899414", "93825138"],
    }
    if REFERENCE.exists():
        reference = json.loads(REFERENCE.read_text())["notes"]["3"]["tables"][0]
        assert [c.key for c in table.columns] == [c["key"] for c in reference["columns"]]
        assert [(c.key, c.label) for c in table.columns] == [
            (c["key"], c["label"]) for c in reference["columns"]]
    for key, values in published.items():
        row = table.row(key)
        assert [round_krone(v) for v in row.values.values() if v is not None] == [
            D(v) for v in values]
    assert [(t.check_id, t.status) for t in result.tieouts] == [
        (check, Status.PASSED) for check in (
            "note3.set_aside.2910", "note3.carried.2910", "note3.actual_use.3400",
            "note3.receivable.1570", "note13.investment_grants.2930",
            "note3.investment_income.3920")]


def test_example_note13_line_both_years() -> None:
    line = note3.investment_grant_line(load(EXAMPLE), 2024)
    assert line.key == "state_budget_appropriation_used_on_investments"
    assert line.values == {"2024": D("8856051.00"), "2023": D("16403902.00")}


def test_example_income_lines() -> None:
    ledger = load(EXAMPLE)
    assert ledger.movement(["Income:3400-GrantIncome"], 2024) == D("-241899414.00")
    assert ledger.movement(["Income:3400-GrantIncome"], 2023) == D("-285846757.00")
    assert ledger.movement(["Income:3920-InvestmentGrantIncome"], 2024) == D("-7547851.00")
    assert ledger.closing(["Assets:1570-GrantsReceivable"], 2024) == D("9300000.00")


def test_grant_usage_per_cost_account_with_drill() -> None:
    result = grant_usage.build(load(EXAMPLE), 2024)
    assert result is not None
    table = result.note.tables[0]
    salaries = table.row("hod-0701-21:Expenses:5000-Salaries")
    assert salaries.values["linked_2024"] == D("150000000.00")
    assert salaries.drill["linked_2024"].accounts == ("Expenses:5000-Salaries",)
    assert table.row("myhealth-eu").values == {
        "linked_2024": D("8708209.00"), "covered_2024": D("8708209.00"),
        "not_covered_2024": D("0.00")}
