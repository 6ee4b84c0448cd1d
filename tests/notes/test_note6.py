"""Note 6 from the actuary's figures declared as data, tied to the booked obligation (issue 7)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from nhnfin.fava_ext import views
from nhnfin.model import Kind
from nhnfin.model import Status
from nhnfin.notes.layout_notes import build_note
from tests.fava.drill_check import Checker
from tests.notes.ledgers import PENSIONS
from tests.notes.ledgers import ledger
from tests.notes.ledgers import tie
from tests.notes.ledgers import values

D = Decimal


def test_tables_by_value() -> None:
    result = build_note(ledger(PENSIONS), 2024, "6")
    assert result is not None
    cost, balance, assumptions, membership = result.note.tables
    assert values(cost, "2024")["net_pension_cost"] == D(500)
    assert values(cost, "2023")["net_pension_cost"] == D(900)
    assert values(cost, "2023")["return_on_plan_assets"] is None
    assert values(balance, "2024") == {
        "accrued_pension_obligations": D(10000),
        "plan_assets_at_market_value": D(-9000),
        "net_obligation_before_employer_tax": D(1000),
        "employer_tax_on_obligation": D(136),
        "unrecognised_effect_of_estimate_deviations": D(364),
        "recognised_pension_obligation": D(1500),
    }
    assert balance.row("net_obligation_before_employer_tax").kind is Kind.SUBTOTAL
    assert values(balance, "2023")["recognised_pension_obligation"] == D(1000)
    assert assumptions.unit == "percent"
    assert values(assumptions, "2024")["discount_rate"] == D("3.9")
    assert assumptions.row("amortisation_period").unit == "years"
    assert values(assumptions, "2024")["amortisation_period"] == D(10)
    assert membership.row("active_members").unit == "count"
    assert membership.row("average_pensionable_salary_active").unit == "NOK"
    assert values(membership, "2024")["active_members"] == D(899)


def test_obligation_ties_to_balance_sheet_in_kroner() -> None:
    result = build_note(ledger(PENSIONS), 2024, "6")
    assert result is not None
    check = tie(result.tieouts, "n6.obligation_vs_balance_sheet.2024")
    # the books hold 1500.40 (øre); the actuary reports 1500 (kroner)
    assert (check.status, check.left, check.right) == (Status.PASSED, D(1500), D(1500))
    assert tie(result.tieouts, "n6.obligation_vs_balance_sheet.2023").status is Status.PASSED


def test_obligation_tie_fails_when_the_books_differ() -> None:
    text = PENSIONS.replace('"unrecognised_effect_of_estimate_deviations" 364 NOK',
                            '"unrecognised_effect_of_estimate_deviations" 400 NOK')
    result = build_note(ledger(text), 2024, "6")
    assert result is not None
    check = tie(result.tieouts, "n6.obligation_vs_balance_sheet.2024")
    assert (check.status, check.left, check.right) == (Status.FAILED, D(1536), D(1500))
    assert tie(result.tieouts, "n6.obligation_vs_balance_sheet.2023").status is Status.PASSED


def test_employer_tax_against_rate() -> None:
    result = build_note(ledger(PENSIONS), 2024, "6")
    assert result is not None
    assert tie(result.tieouts, "n6.employer_tax_vs_rate.2024").status is Status.PASSED
    text = PENSIONS.replace(
        '"employer_tax_on_obligation" 136 NOK', '"employer_tax_on_obligation" 140 NOK'
    )
    result = build_note(ledger(text), 2024, "6")
    assert result is not None
    check = tie(result.tieouts, "n6.employer_tax_vs_rate.2024")
    assert (check.status, check.left, check.right) == (Status.WARNING, D(140), D(136))


def test_absent_without_data() -> None:
    text = "\n".join(x for x in PENSIONS.splitlines() if "nhnfin-note-data" not in x)
    assert build_note(ledger(text), 2024, "6") is None


def test_both_ties_open_what_makes_each_side_as_rounded() -> None:
    """Each side of both ties opens what makes it and sums to the side as the tie shows it: the
    booked obligation (1500.40 in the books) rounded to kroner, 1500; the computed tax, the net
    obligation 1000 (a sum of two directives) × the declared rate 13.6 %, 136."""
    books = ledger(PENSIONS)
    result = build_note(books, 2024, "6")
    assert result is not None
    checker = Checker(books)
    obligation = tie(result.tieouts, "n6.obligation_vs_balance_sheet.2024")
    tax = tie(result.tieouts, "n6.employer_tax_vs_rate.2024")
    assert obligation.left_drill is not None
    assert obligation.right_drill is not None
    assert tax.left_drill is not None
    assert tax.right_drill is not None
    assert checker.shown(obligation.left_drill) == [D(1500)]
    assert set(checker.shown(obligation.right_drill)) == {D(1500)}
    assert set(checker.shown(replace(obligation.right_drill, rounded=None))) == {D("1500.40")}
    assert checker.shown(tax.left_drill) == [D(136)]
    assert checker.shown(tax.right_drill) == [D(136)]
    assert checker.shown(replace(tax.right_drill, rounded=None)) == [D("136.000")]
    difference = views.tieout_drills(tax)[3]
    assert difference is not None
    assert checker.shown(difference) == [D(0)]
    rate = result.note.tables[2].row("employer_social_security_rate").drill["2024"]
    places = views.drill_places(tax.right_drill)
    assert len(places) == 3  # the net obligation's two rows and the rate
    assert places[-1] == rate.declared[0][:2]
