"""The cost basis on literal ledgers (issue 11): a service moving to the regulation mid-year, the
change log between two forecasts, actuals by cost element, unit costs, the CLI and the grids."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from nhnfin.reports.cost_basis import cost_basis_grids

from nhnfin.cli.cost_basis import cost_basis_cmd
from nhnfin.cost_basis.basis import CostBasisError
from nhnfin.cost_basis.basis import build
from nhnfin.ledger import from_entries

from .conftest import HEADER
from .conftest import load

MID_YEAR = """
2025-07-01 custom "nhnfin-ready-for-management" "proevesvar"
  note: "Betalingsplikt fra 1. juli 2025"
2025-01-10 custom "nhnfin-budget-version" "B2025" "budget" "Budsjett 2025"
2025-01-10 custom "nhnfin-budget" "B2025" "proevesvar" "drift" "2025" 3650.00 NOK
2025-01-10 custom "nhnfin-budget" "B2025" "proevesvar" "personell" "2025-Q3" 920.00 NOK
2025-01-10 custom "nhnfin-budget" "B2025" "kjernejournal" "drift" "2025" 1000.00 NOK
2025-03-15 * "Drift prøvesvar (før klar for forvaltning)"
  solution: "proevesvar"
  Expenses:6700-ExternalServices   500.00 NOK
  Assets:1920-Bank
2025-07-01 * "Lønn prøvesvar (fra klar for forvaltning)"
  solution: "proevesvar"
  Expenses:5000-Salaries   700.00 NOK
  Assets:1920-Bank
2025-08-01 * "Lisens kjernejournal, ført på drift men merket"
  Expenses:6700-ExternalServices   300.00 NOK
    solution: "kjernejournal"
    cost-element: "personell"
  Assets:1920-Bank
"""


def test_service_moving_to_the_regulation_mid_year() -> None:
    entries, errors = load(MID_YEAR)
    assert errors == []
    basis = build(entries, 2025)
    funding = {(r.solution, r.funding): r.figures for r in basis.funding}
    # the yearly line is split by days: 181 days before 1 July, 184 from it (of 365)
    investment = funding[("proevesvar", "satsingsmidler")]
    regulation = funding[("proevesvar", "forskrift")]
    assert investment.budget == Decimal("1810.00")
    assert regulation.budget == Decimal("1840.00") + Decimal("920.00")  # Q3 wholly after
    assert investment.budget + regulation.budget == Decimal("4570.00")
    # actuals by posting date: before 1 July investment funds, from 1 July the regulation
    assert (investment.actual, regulation.actual) == (Decimal("500.00"), Decimal("700.00"))
    assert next(r for r in basis.funding if r.solution == "proevesvar").ready is not None
    sums = {r.funding: r.figures for r in basis.funding if r.solution == ""}
    assert sums["forskrift"].budget == Decimal("3760.00")  # 1840 + 920 + 1000
    assert sums["forskrift"].actual == Decimal("1000.00")  # 700 + 300


def test_actuals_by_cost_element_mapping_and_meta() -> None:
    entries, _ = load(MID_YEAR)
    basis = build(entries, 2025)
    detail = {r.key: (r.budget, r.actual) for r in basis.detail}
    assert detail["proevesvar/drift"] == (Decimal("3650.00"), Decimal("500.00"))  # account 6700
    assert detail["proevesvar/personell"] == (Decimal("920.00"), Decimal("700.00"))  # 5000
    assert detail["kjernejournal/personell"] == (Decimal(0), Decimal("300.00"))  # meta wins
    total = basis.solutions[-1]
    assert (total.budget, total.forecast, total.actual) == (Decimal("5570.00"), None,
                                                            Decimal("1500.00"))
    assert total.actual_variance == Decimal("4070.00")
    assert total.forecast_variance is None


def test_cost_without_element_is_an_error_at_the_transaction() -> None:
    entries, _ = load("""\
2025-03-15 * "Drift uten element"
  solution: "kjernejournal"
  Expenses:7700-Other   500.00 NOK
  Assets:1920-Bank
2025-01-01 open Expenses:7700-Other NOK
""")
    basis = build(entries, 2025)
    assert [(e.source["lineno"] - HEADER.count("\n"), e.message) for e in basis.errors] == [
        (1, "kostnad på Expenses:7700-Other for 'kjernejournal' har ikke noe kostnadselement: "
            "legg til cost-element: \"<id>\" eller knytt konto 7700 til et element "
            "(nhnfin-cost-element accounts:)")]


FORECASTS = """
2026-03-01 custom "nhnfin-budget-version" "F1" "forecast" "Prognose 1 2026"
2026-03-01 custom "nhnfin-budget" "F1" "kjernejournal" "drift" "2026" 100000.00 NOK
2026-03-01 custom "nhnfin-budget" "F1" "kjernejournal" "personell" "2026" 50000.00 NOK
2026-03-01 custom "nhnfin-budget" "F1" "proevesvar" "drift" "2027" 18500.00 NOK
2026-09-01 custom "nhnfin-budget-version" "F2" "forecast" "Prognose 2 2026"
2026-09-01 custom "nhnfin-budget" "F2" "kjernejournal" "drift" "2026" 112000.00 NOK
  note: "Utfasing av Portalløsningen utsatt til 2027"
2026-09-01 custom "nhnfin-budget" "F2" "kjernejournal" "personell" "2026" 50000.00 NOK
  note: "uendret"
2026-09-01 custom "nhnfin-budget" "F2" "kjernejournal" "drift" "2026" -4000.00 NOK
  driver: "Effektivisering 5 %"
  note: "Årlig effektiviseringsmål"
2026-12-31 custom "nhnfin-volume" "kjernejournal" "2026" 3200 "oppslag"
"""


def test_change_log_between_two_forecasts() -> None:
    entries, errors = load(FORECASTS)
    assert errors == []
    basis = build(entries, 2026, ["F1", "F2"])
    assert basis.changes is not None
    lines = [(c.solution, c.year, c.element, c.driver, c.before, c.change, c.note)
             for c in basis.changes.lines]
    assert lines == [
        ("kjernejournal", 2026, "drift", "", Decimal("100000.00"), Decimal("12000.00"),
         "Utfasing av Portalløsningen utsatt til 2027"),
        ("kjernejournal", 2026, "drift", "Effektivisering 5 %", Decimal(0), Decimal("-4000.00"),
         "Årlig effektiviseringsmål"),
        ("proevesvar", 2027, "drift", "", Decimal("18500.00"), Decimal("-18500.00"), ""),
    ]
    assert basis.changes.unexplained == 1  # the 2027 line was dropped without a note
    assert basis.changes.net_change == Decimal("-10500.00")
    row = basis.solutions[0]
    assert (row.budget, row.forecast, row.forecast_variance) == (
        Decimal("150000.00"), Decimal("158000.00"), Decimal("-8000.00"))


def test_default_versions_and_unit_costs() -> None:
    entries, _ = load(FORECASTS)
    basis = build(entries, 2026)
    assert basis.budget is None
    assert basis.forecast is not None
    assert basis.forecast.id == "F2"
    assert basis.changes is None
    [unit] = basis.unit_costs
    assert (unit.volume, unit.unit, unit.forecast, unit.actual) == (
        Decimal(3200), "oppslag", Decimal("49.38"), Decimal("0.00"))  # 158000 / 3200 = 49.375
    with pytest.raises(CostBasisError, match="ukjent versjon 'F3'"):
        build(entries, 2026, ["F1", "F3"])


def test_grids_for_the_fava_page() -> None:
    entries, errors = load(FORECASTS)
    grids = cost_basis_grids(from_entries(entries, errors, {}), 2026, ["F1", "F2"])
    keys = [g.key for g in grids]
    assert keys == ["versions", "solutions", "elements", "detail", "funding", "unit-costs",
                    "bridge/kjernejournal", "changes"]
    solutions = grids[1]
    assert solutions.header[1:3] == ("Budsjett (F1)", "Prognose (F2)")
    assert solutions.rows[-1].cells[1:4] == (Decimal("150000.00"), Decimal("158000.00"),
                                             Decimal(0))
    changes = grids[-1]
    assert changes.rows[-2].cells[-1] == "(ingen forklaring)"


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "books.beancount"
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def test_cli_md_json_xlsx(tmp_path: Path) -> None:
    ledger = _write(tmp_path, FORECASTS)
    runner = CliRunner()
    md = runner.invoke(cost_basis_cmd, [str(ledger), "--year", "2026", "--versions", "F1,F2"])
    assert md.exit_code == 0, md.output
    assert "| Kjernejournal | 150 000 | 158 000 | 0 | −8 000 | 150 000 |" in md.output
    assert "Utfasing av Portalløsningen utsatt til 2027" in md.output
    js = runner.invoke(cost_basis_cmd, [str(ledger), "--year", "2026", "--versions", "F1,F2",
                                        "--format", "json"])
    document = json.loads(js.output)
    assert document["unexplained_changes"] == 1
    solutions = next(t for t in document["tables"] if t["key"] == "solutions")
    assert solutions["rows"][0]["cells"][2] == {"presented": "158000", "exact": "158000.00"}
    out = tmp_path / "tb.xlsx"
    xlsx = runner.invoke(cost_basis_cmd, [str(ledger), "--year", "2026", "--format", "xlsx",
                                          "--output", str(out)])
    assert xlsx.exit_code == 0
    assert out.read_bytes()[:2] == b"PK"


def test_cli_errors_are_one_line_at_file_and_line(tmp_path: Path) -> None:
    ledger = _write(tmp_path, FORECASTS + """\
2026-09-01 custom "nhnfin-budget" "F2" "helsenorge" "drift" "2026" 1.00 NOK
""")
    result = CliRunner().invoke(cost_basis_cmd, [str(ledger), "--year", "2026"])
    assert result.exit_code == 1
    line = HEADER.count("\n") + FORECASTS.count("\n") + 1
    assert result.output.strip() == (f"Feil: {ledger}:{line}: budsjettlinje for ukjent løsning "
                                     "'helsenorge'")
    unknown = CliRunner().invoke(cost_basis_cmd, [str(_write(tmp_path, FORECASTS)), "--year",
                                                  "2026", "--versions", "F1,F9"])
    assert unknown.exit_code == 1
    assert unknown.output.strip() == "Feil: ukjent versjon 'F9' (kjente versjoner: F1, F2)"
    assert "Traceback" not in result.output + unknown.output


def test_drills_of_ids_with_quotes_run_and_add_up() -> None:
    """A solution id with ' and a cost element with both ' and ": every actual figure's drill is
    a query beanquery reads and sums to the figure (failed before: ids were put in '...' with
    ' written \\', which beanquery does not read, so every cost-basis drill of such a ledger
    failed)."""
    from beancount import loader

    from nhnfin.fava_ext.drill_values import DrillValues

    text = (HEADER + MID_YEAR).replace('"proevesvar"', '"prøve\'svar"').replace(
        '"drift"', '"dr\\"i\'ft"')
    entries, errors, options = loader.load_string(text)
    assert errors == []
    basis = build(entries, 2025)
    values = DrillValues(from_entries(entries, errors, options))
    rows = [*basis.solutions, *basis.detail, *basis.elements]
    assert {r.key for r in basis.detail} >= {"prøve'svar/dr\"i'ft", "prøve'svar/personell"}
    shown = {r.key: (values.value(r.drills["actual"]), r.actual) for r in rows}
    assert all(value == actual for value, actual in shown.values()), shown
    assert shown["prøve'svar/dr\"i'ft"] == (Decimal("500.00"), Decimal("500.00"))
