"""Notes 5 (pay costs), 10, 11, 12 and 13 from a small ledger, by value, and their ties."""

from __future__ import annotations

from decimal import Decimal

import pytest

from nhnfin.ledger import Ledger
from nhnfin.ledger import from_entries
from nhnfin.model import Status
from nhnfin.notes.layout_notes import build_note
from tests.notes.ledgers import BOOKS
from tests.notes.ledgers import ledger
from tests.notes.ledgers import load
from tests.notes.ledgers import tie
from tests.notes.ledgers import values

D = Decimal


@pytest.fixture(scope="module")
def books() -> Ledger:
    return ledger(BOOKS)


def test_note5_pay_costs_by_number_range(books: Ledger) -> None:
    result = build_note(books, 2024, "5")
    assert result is not None
    table = result.note.tables[0]
    assert [c.key for c in table.columns] == ["2024", "2023"]
    assert values(table, "2024") == {
        "salaries": D("24000.00"),
        "employer_social_security_contributions": D("3384.00"),
        "pension_costs": D("1200.50"),
        "other_personnel_costs_and_benefits": D(0),
        "total": D("28584.50"),
    }
    assert values(table, "2023")["total"] == D("23820.46")
    assert values(table, "2023")["salaries"] == D("20000.40")


def test_note5_total_ties_to_payroll_costs(books: Ledger) -> None:
    result = build_note(books, 2024, "5")
    assert result is not None
    check = tie(result.tieouts, "n5.total_vs_income_statement.2024")
    assert (check.status, check.left, check.right) == (Status.PASSED, D("28584.50"), D("28584.50"))
    assert tie(result.tieouts, "n5.accounts_mapped").status is Status.PASSED


def test_note5_tie_fails_when_a_pay_account_is_mapped_to_no_row(books: Ledger) -> None:
    text = BOOKS.replace(
        '"other_personnel_costs_and_benefits" "5500-5999"', '"salaries" "5010-5099"'
    )
    text = text.replace('"salaries" "5000-5399"', '"salaries" "5001-5009"')
    entries, errors, options = load(text)
    assert [e.message.split(" havner")[0] for e in errors] == ["Expenses:5000-Salaries"]
    result = build_note(from_entries(entries, [], options), 2024, "5")
    assert result is not None
    check = tie(result.tieouts, "n5.total_vs_income_statement.2024")
    assert (check.status, check.left, check.right) == (Status.FAILED, D("4584.50"), D("28584.50"))
    assert tie(result.tieouts, "n5.accounts_mapped").status is Status.FAILED


def test_note10_long_term_receivables(books: Ledger) -> None:
    result = build_note(books, 2024, "10")
    assert result is not None
    table = result.note.tables[0]
    assert values(table, "2024") == {
        "project_emergency_medical_communication_centre": D("2000.00"),
        "backbone_network_helse_sor_ost": D(0),
        "other_receivables": D("60.00"),
        "total": D("2060.00"),
    }
    assert values(table, "2023")["total"] == D("3060.00")
    assert tie(result.tieouts, "n10.total_vs_balance_sheet.2024").status is Status.PASSED
    assert tie(result.tieouts, "n10.total_vs_balance_sheet.2023").status is Status.PASSED


def test_note11_other_short_term_receivables(books: Ledger) -> None:
    result = build_note(books, 2024, "11")
    assert result is not None
    assert values(result.note.tables[0], "2024") == {
        "earned_not_invoiced_income": D(0),
        "prepaid_expenses": D("500.00"),
        "other_short_term_receivables": D(0),
        "total": D("500.00"),
    }
    assert tie(result.tieouts, "n11.total_vs_balance_sheet.2024").status is Status.PASSED


def test_note13_other_short_term_debt(books: Ledger) -> None:
    result = build_note(books, 2024, "13")
    assert result is not None
    table = result.note.tables[0]
    assert values(table, "2024")["holiday_pay_payable"] == D("2400.00")
    assert values(table, "2024")["other_short_term_liabilities"] == D("800.00")
    assert values(table, "2024")["total"] == D("3200.00")
    assert values(table, "2023")["total"] == D("2800.00")
    check = tie(result.tieouts, "n13.total_vs_balance_sheet.2024")
    assert (check.status, check.left, check.right) == (Status.PASSED, D("3200.00"), D("3200.00"))


def test_note13_tie_fails_for_an_unmapped_account() -> None:
    text = BOOKS.replace(
        "2019-12-31 open Income:3100-ServiceRevenue NOK\n",
        "2019-12-31 open Income:3100-ServiceRevenue NOK\n"
        "2019-12-31 open Liabilities:2960-AccruedItems NOK\n",
    ) + '2024-12-31 * "Accrual"\n  Expenses:5000-Salaries  150.00 NOK\n' \
        "  Liabilities:2960-AccruedItems  -150.00 NOK\n"
    entries, errors, options = load(text)
    assert len(errors) == 1
    result = build_note(from_entries(entries, [], options), 2024, "13")
    assert result is not None
    check = tie(result.tieouts, "n13.total_vs_balance_sheet.2024")
    assert (check.status, check.left, check.right) == (Status.FAILED, D("3200.00"), D("3350.00"))
    mapped = tie(result.tieouts, "n13.accounts_mapped")
    assert (mapped.status, mapped.left) == (Status.FAILED, D(1))
    expected = "Liabilities:2960-AccruedItems havner på linjen 'Annen kortsiktig gjeld'"
    assert expected in mapped.detail


def test_note12_restricted_deposits_within_cash(books: Ledger) -> None:
    result = build_note(books, 2024, "12")
    assert result is not None
    table = result.note.tables[0]
    assert [r.key for r in table.rows] == ["restricted_bank_deposits_tax_withholding"]
    assert values(table, "2024") == {"restricted_bank_deposits_tax_withholding": D("700.00")}
    check = tie(result.tieouts, "n12.within_balance_sheet.2024")
    assert (check.status, check.left, check.right) == (Status.PASSED, D("700.00"), D("158235.04"))


def test_note12_fails_when_restricted_exceeds_cash() -> None:
    text = BOOKS + (
        '2024-12-31 * "Overdraft"\n  Assets:1920-Bank  -158000.00 NOK\n'
        "  Liabilities:2990-OtherShortTermLiabilities  158000.00 NOK\n"
    )
    result = build_note(ledger(text), 2024, "12")
    assert result is not None
    check = tie(result.tieouts, "n12.within_balance_sheet.2024")
    assert (check.status, check.left, check.right) == (Status.FAILED, D("700.00"), D("235.04"))
    assert tie(result.tieouts, "n12.within_balance_sheet.2023").status is Status.PASSED


def test_note12_absent_without_restricted_accounts() -> None:
    text = BOOKS.replace('  note-row: "restricted_bank_deposits_tax_withholding"\n', "")
    assert build_note(ledger(text), 2024, "12") is None


def test_rounding_warning_when_rounded_rows_do_not_add_up() -> None:
    text = BOOKS + (
        '2024-12-31 * "Half kroner"\n  Assets:1920-Bank  -1.00 NOK\n'
        "  Liabilities:2940-HolidayPayPayable  0.50 NOK\n"
        "  Liabilities:2990-OtherShortTermLiabilities  0.50 NOK\n"
    )
    result = build_note(ledger(text), 2024, "13")
    assert result is not None
    check = tie(result.tieouts, "n13.t0.rounded_sum.2024")
    # 2399.50 and 799.50 print as 2400 and 800 (3200); their sum 3199.00 prints as 3199
    assert (check.status, check.left, check.right) == (Status.WARNING, D(3199), D(3200))
    assert tie(result.tieouts, "n13.t0.rounded_sum.2023").status is Status.PASSED
