"""Note 2 built from the ledger, by value, with its tie-outs and the published inconsistency."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from nhnfin.ehealth.note2 import check_published
from nhnfin.ledger import Ledger
from nhnfin.ledger import from_entries
from nhnfin.model import Kind
from nhnfin.model import Status
from nhnfin.notes import NoteResult
from nhnfin.notes.layout_notes import build_note

Load = Callable[[str], tuple[list[Any], list[Any], dict[str, Any]]]
REFERENCES = (
    Path(__file__).resolve().parents[2] / "ledger/published/nhn-annual-report-2024.json",
    Path("/work/shared/reference/nhn-annual-report-2024.json"),
)

TWO_SOLUTIONS = """\
2023-01-01 custom "nhnfin-ehealth-solution" "kjernejournal" "Kjernejournal"
2023-01-01 custom "nhnfin-ehealth-solution" "helseid" "HelseID"
2023-01-10 * "Faktura 2023"
  Assets:1500-TradeReceivables:Helse-Vest   1500.00 NOK
  Liabilities:2920-EHealthObligations  -1000.00 NOK
    solution: "kjernejournal"
  Liabilities:2920-EHealthObligations   -500.00 NOK
    solution: "helseid"
2023-06-10 * "Drift 2023"
  Expenses:6700-ExternalServices   700.00 NOK
    solution: "kjernejournal"
  Expenses:6700-ExternalServices   500.00 NOK
    solution: "helseid"
  Assets:1920-Bank
2024-01-10 * "Faktura 2024 (lavere: tilbakebetaling)"
  Assets:1500-TradeReceivables:Helse-Vest   1200.00 NOK
  Liabilities:2920-EHealthObligations   -800.00 NOK
    solution: "kjernejournal"
  Liabilities:2920-EHealthObligations   -400.00 NOK
    solution: "helseid"
2024-06-10 * "Drift 2024"
  Expenses:6700-ExternalServices  1000.00 NOK
    solution: "kjernejournal"
  Expenses:6700-ExternalServices   350.00 NOK
    solution: "helseid"
  Assets:1920-Bank
"""


def build(ledger: Ledger, year: int) -> NoteResult | None:
    """Note 2 as the report prints it (the packaged notes layout's tables of the rule's
    figures)."""
    return build_note(ledger, year, "2")


def values(row: Any) -> list[Decimal | None]:
    return list(row.values.values())


def test_note2_by_value(load_doc: Load) -> None:
    entries, errors, options = load_doc(TWO_SOLUTIONS)
    assert errors == []
    result = build(from_entries(entries, errors, options), 2024)
    assert result is not None
    main, per_solution = result.note.tables
    assert [c.key for c in main.columns] == [
        "carried_from_previous_years", "invoiced_2024", "actual_use_2024", "set_aside_for_2025"]
    assert [c.label for c in main.columns] == [
        "Overført fra tidligere år", "Fakturert 2024", "Faktisk bruk 2024", "Avsatt til 2025"]
    assert [(r.key, r.label, r.kind) for r in main.rows] == [
        ("national_ehealth_solutions", "Nasjonale e-helseløsninger", Kind.ITEM),
        ("total", "Sum", Kind.TOTAL)]
    assert values(main.row("national_ehealth_solutions")) == [
        Decimal("300.00"), Decimal("1200.00"), Decimal("1350.00"), Decimal("150.00")]
    assert [(r.key, r.label, values(r)) for r in per_solution.rows] == [
        ("solution_helseid", "HelseID",
         [Decimal("0.00"), Decimal("400.00"), Decimal("350.00"), Decimal("50.00")]),
        ("solution_kjernejournal", "Kjernejournal",
         [Decimal("300.00"), Decimal("800.00"), Decimal("1000.00"), Decimal("100.00")]),
        ("total", "Sum",
         [Decimal("300.00"), Decimal("1200.00"), Decimal("1350.00"), Decimal("150.00")]),
    ]
    assert [(t.check_id, t.left, t.status) for t in result.tieouts] == [
        ("n2.set_aside_vs_balance_sheet", Decimal("150.00"), Status.PASSED),
        ("n2.carried_vs_opening_balance", Decimal("300.00"), Status.PASSED),
        ("n2.actual_use_vs_income", Decimal("1350.00"), Status.PASSED),
    ]


def test_income_booked_outside_the_liability_fails_the_tieout(load_doc: Load) -> None:
    entries, errors, options = load_doc(TWO_SOLUTIONS + (
        '2024-07-01 * "Inntekt direkte"\n  Assets:1920-Bank  10.00 NOK\n'
        "  Income:3000-EHealthRevenue\n"))
    result = build(from_entries(entries, errors, options), 2024)
    assert result is not None
    use = next(t for t in result.tieouts if t.check_id == "n2.actual_use_vs_income")
    assert (use.status, use.difference) == (Status.FAILED, Decimal("-10.00"))
    # the reason names the posting (before: an AVVIK with no reason)
    assert use.detail == (
        "1 postering på Income:3000-EHealthRevenue, til sammen −10 (<string>:34) er ikke "
        "inntektsført av e-helseregelen (fra 2920, i takt med kostnaden): resultatet tar dem "
        "med, noten ikke")
    assert {t.detail for t in result.tieouts if t.status == Status.PASSED} == {""}


def test_no_note_without_ehealth_postings(load_doc: Load) -> None:
    entries, errors, options = load_doc('2024-01-05 * "x"\n  Assets:1920-Bank  1.00 NOK\n'
                                        "  Expenses:6700-ExternalServices\n")
    assert build(from_entries(entries, errors, options), 2024) is None


# What ledger/nhn.beancount needs for the published 2024 figures: liability 72 848 588 on
# 1 January, costs of 988 138 159 and invoices of 1 042 953 642 (56 less than the printed
# 1 042 953 698, which does not roll forward to the balance sheet's 127 664 071).
PUBLISHED_2024 = """\
2023-01-01 custom "nhnfin-ehealth-solution" "nasjonale" "Nasjonale e-helseløsninger"
2023-12-31 * "Overført fra tidligere år"
  Liabilities:2920-EHealthObligations  -72848588 NOK
    solution: "nasjonale"
  Assets:1920-Bank
2024-06-30 * "Fakturert 2024"
  Assets:1500-TradeReceivables:Helse-Vest  1042953642 NOK
  Liabilities:2920-EHealthObligations  -1042953642 NOK
    solution: "nasjonale"
2024-06-30 * "D&F 2024"
  solution: "nasjonale"
  Expenses:6700-ExternalServices  988138159 NOK
  Assets:1920-Bank
"""


def test_published_2024_figures_and_the_inconsistency(load_doc: Load) -> None:
    entries, errors, options = load_doc(PUBLISHED_2024)
    assert errors == []
    result = build(from_entries(entries, errors, options), 2024)
    assert result is not None
    row = result.note.tables[0].row("national_ehealth_solutions")
    assert values(row) == [Decimal(72848588), Decimal(1042953642), Decimal(988138159),
                           Decimal(127664071)]
    assert all(t.status is Status.PASSED for t in result.tieouts)
    reference = next((p for p in REFERENCES if p.exists()), None)
    if reference is None:
        pytest.skip("the published reference JSON is not available")
    published = json.loads(reference.read_text())["notes"]["2"]["tables"][0]["rows"]
    findings = {r["key"]: check_published(r["key"], {k: Decimal(v) for k, v in
                                                     r["values"].items()}, 2024)
                for r in published}
    detail = findings["national_ehealth_solutions"]
    assert detail is not None
    assert (detail.published, detail.recomputed, detail.difference) == (
        Decimal(127664071), Decimal(127664127), Decimal(-56))
    assert findings["total"] is None  # the Sum row rolls forward to its own 127 681 627 ...
    total = {k: Decimal(v) for k, v in published[1]["values"].items()}
    # ... but neither its invoiced nor its set-aside is the detail row's or the balance sheet's
    assert total["invoiced_2024"] - Decimal(1042953698) == Decimal(17500)
    assert total["set_aside_for_2025"] - row.values["set_aside_for_2025"] == Decimal(17556)


@pytest.mark.parametrize("year", [2023, 2025])
def test_column_keys_carry_the_year(load_doc: Load, year: int) -> None:
    entries, errors, options = load_doc(TWO_SOLUTIONS)
    result = build(from_entries(entries, errors, options), year)
    assert result is not None
    keys = [c.key for c in result.note.tables[0].columns]
    assert keys[1:] == [f"invoiced_{year}", f"actual_use_{year}", f"set_aside_for_{year + 1}"]


REPAID = """\
2023-01-01 custom "nhnfin-ehealth-solution" "kjernejournal" "Kjernejournal"
2023-01-01 custom "nhnfin-ehealth-group" "RHF" FALSE
2023-01-01 custom "nhnfin-ehealth-key" "kjernejournal" "RHF" 100
2023-01-10 * "Faktura 2023"
  Assets:1500-TradeReceivables:Helse-Vest   1000.00 NOK
  Liabilities:2920-EHealthObligations      -1000.00 NOK
    solution: "kjernejournal"
2023-06-10 * "Drift 2023"
  solution: "kjernejournal"
  Expenses:6700-ExternalServices   700.00 NOK
  Assets:1920-Bank
2024-01-01 custom "nhnfin-ehealth-cost-basis" "kjernejournal" 2024 1000.00 NOK
  repayment: 200.00 NOK
2024-01-10 * "Faktura 2024: behovet fratrukket avtalt tilbakebetaling"
  Assets:1500-TradeReceivables:Helse-Vest   800.00 NOK
  Liabilities:2920-EHealthObligations      -800.00 NOK
    solution: "kjernejournal"
2024-06-10 * "Drift 2024"
  solution: "kjernejournal"
  Expenses:6700-ExternalServices   950.00 NOK
  Assets:1920-Bank
2024-06-30 custom "nhnfin-ehealth-repayment" "kjernejournal" 50.00 NOK Assets:1920-Bank
"""


def test_a_year_with_repayments_rolls_them_forward(load_doc: Load) -> None:
    """Issue 17: the agreed repayment through lower invoicing (declared on the cost basis) and an
    explicit repayment are rows of note 2's roll-forward, each with the drill that makes it."""
    from tests.fava.drill_check import Checker
    entries, errors, options = load_doc(REPAID)
    assert errors == []
    ledger = from_entries(entries, errors, options)
    result = build(ledger, 2024)
    assert result is not None
    main, repayment = result.note.tables
    assert values(main.row("total")) == [
        Decimal("300.00"), Decimal("750.00"), Decimal("950.00"), Decimal("100.00")]
    assert repayment.caption == "Tilbakebetaling av netto ubenyttede midler"
    assert [c.label for c in repayment.columns] == ["2024"]
    assert [(r.label, r.kind, values(r)) for r in repayment.rows] == [
        ("Overført fra tidligere år", Kind.ITEM, [Decimal("300.00")]),
        ("Avtalt tilbakebetalt gjennom lavere fakturering 2024", Kind.ITEM, [Decimal("-200.00")]),
        ("Tilbakebetalt kundene 2024", Kind.ITEM, [Decimal("-50.00")]),
        ("Fakturert 2024 med tillegg av avtalt tilbakebetaling", Kind.ITEM, [Decimal("1000.00")]),
        ("Faktisk bruk 2024", Kind.ITEM, [Decimal("-950.00")]),
        ("Avsatt til 2025", Kind.TOTAL, [Decimal("100.00")]),
    ]
    checker = Checker(ledger)
    for row in repayment.rows:
        [drill] = row.drill.values()
        assert set(checker.shown(drill)) == set(row.values.values()), row.label
    agreed = repayment.row("agreed_repayment_lower_invoicing").drill["movement_2024"]
    assert [line for _, line, key in agreed.declared if key == "repayment"] == [19]
    # the year before has no repayment: the published table alone
    before = build(ledger, 2023)
    assert before is not None
    assert len(before.note.tables) == 1
