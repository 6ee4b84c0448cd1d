"""Literal ledgers for the note tests (notes 5, 6 and 9-13), and small helpers to read tables."""

from __future__ import annotations

import textwrap
from decimal import Decimal
from typing import Any

from beancount import loader

from nhnfin.ledger import Ledger
from nhnfin.ledger import from_entries
from nhnfin.model import NoteTable
from nhnfin.model import TieOut

# Accounts for notes 5, 9, 10, 11, 12 and 13; 2023 closed into other equity, 2024 not yet.
BOOKS = """\
option "operating_currency" "NOK"
plugin "nhnfin.notes.note_accounts"
plugin "nhnfin.notes.note_data"
2019-12-31 open Assets:1380-ProjectAMK NOK
  note-row: "project_emergency_medical_communication_centre"
2019-12-31 open Assets:1390-OtherLongTermReceivables NOK
  note-row: "other_receivables"
2019-12-31 open Assets:1700-PrepaidExpenses NOK
  note-row: "prepaid_expenses"
2019-12-31 open Assets:1920-Bank NOK
2019-12-31 open Assets:1950-BankTaxWithholding NOK
  note-row: "restricted_bank_deposits_tax_withholding"
2019-12-31 open Equity:2000-ContributedCapital NOK
2019-12-31 open Equity:2050-OtherEquity NOK
2019-12-31 open Liabilities:2940-HolidayPayPayable NOK
  note-row: "holiday_pay_payable"
2019-12-31 open Liabilities:2990-OtherShortTermLiabilities NOK
  note-row: "other_short_term_liabilities"
2019-12-31 open Income:3100-ServiceRevenue NOK
2019-12-31 open Expenses:5000-Salaries NOK
2019-12-31 open Expenses:5400-EmployerContribution NOK
2019-12-31 open Expenses:5420-PensionCost NOK
2019-12-31 open Equity:8960-TransferToOtherEquity NOK
2019-12-31 custom "nhnfin-note-accounts" "5" "salaries" "5000-5399"
2019-12-31 custom "nhnfin-note-accounts" "5" "employer_social_security_contributions" "5400-5419"
2019-12-31 custom "nhnfin-note-accounts" "5" "pension_costs" "5420-5499"
2019-12-31 custom "nhnfin-note-accounts" "5" "other_personnel_costs_and_benefits" "5500-5999"
2023-01-02 * "Capital paid in"
  Assets:1920-Bank                      100000.00 NOK
  Equity:2000-ContributedCapital       -100000.00 NOK
2023-03-01 * "Sales"
  Assets:1920-Bank                       50000.00 NOK
  Income:3100-ServiceRevenue            -50000.00 NOK
2023-03-31 * "Pay"
  Expenses:5000-Salaries                 20000.40 NOK
  Expenses:5400-EmployerContribution      2820.06 NOK
  Expenses:5420-PensionCost               1000.00 NOK
  Liabilities:2940-HolidayPayPayable     -2000.00 NOK
  Assets:1920-Bank                      -21820.46 NOK
2023-12-31 * "Receivables and restricted deposits"
  Assets:1380-ProjectAMK                  3000.00 NOK
  Assets:1390-OtherLongTermReceivables      60.00 NOK
  Assets:1700-PrepaidExpenses              500.00 NOK
  Assets:1950-BankTaxWithholding           700.00 NOK
  Assets:1920-Bank                       -4260.00 NOK
2023-12-31 * "Short-term loan"
  Assets:1920-Bank                         800.00 NOK
  Liabilities:2990-OtherShortTermLiabilities  -800.00 NOK
2023-12-31 * "Result 2023 to other equity"
  Equity:8960-TransferToOtherEquity      26179.54 NOK
  Equity:2050-OtherEquity               -26179.54 NOK
2024-03-31 * "Pay"
  Expenses:5000-Salaries                 24000.00 NOK
  Expenses:5400-EmployerContribution      3384.00 NOK
  Expenses:5420-PensionCost               1200.50 NOK
  Liabilities:2940-HolidayPayPayable      -400.00 NOK
  Assets:1920-Bank                      -28184.50 NOK
2024-06-30 * "Sales"
  Assets:1920-Bank                       60000.00 NOK
  Income:3100-ServiceRevenue            -60000.00 NOK
2024-12-31 * "AMK instalment"
  Assets:1920-Bank                        1000.00 NOK
  Assets:1380-ProjectAMK                 -1000.00 NOK
"""

# Note 6: the books hold the recognised obligation on 2100, the actuary's report is data.
PENSIONS = """\
option "operating_currency" "NOK"
plugin "nhnfin.notes.note_data"
2019-12-31 open Liabilities:2100-PensionObligations NOK
2019-12-31 open Expenses:5420-PensionCost NOK
2023-12-31 * "Pension cost 2023"
  Expenses:5420-PensionCost               1000.00 NOK
  Liabilities:2100-PensionObligations    -1000.00 NOK
2024-12-31 * "Pension cost 2024"
  Expenses:5420-PensionCost                500.40 NOK
  Liabilities:2100-PensionObligations     -500.40 NOK
2024-12-31 custom "nhnfin-note-data" "6" "pension_cost" "service_cost" 700 NOK
2024-12-31 custom "nhnfin-note-data" "6" "pension_cost" "return_on_plan_assets" -200 NOK
2023-12-31 custom "nhnfin-note-data" "6" "pension_cost" "service_cost" 900 NOK
2024-12-31 custom "nhnfin-note-data" "6" "pension_balance" "accrued_pension_obligations" 10000 NOK
2024-12-31 custom "nhnfin-note-data" "6" "pension_balance" "plan_assets_at_market_value" -9000 NOK
2024-12-31 custom "nhnfin-note-data" "6" "pension_balance" "employer_tax_on_obligation" 136 NOK
2024-12-31 custom "nhnfin-note-data" "6" "pension_balance" \
"unrecognised_effect_of_estimate_deviations" 364 NOK
2023-12-31 custom "nhnfin-note-data" "6" "pension_balance" "accrued_pension_obligations" 8000 NOK
2023-12-31 custom "nhnfin-note-data" "6" "pension_balance" "plan_assets_at_market_value" -7500 NOK
2023-12-31 custom "nhnfin-note-data" "6" "pension_balance" "employer_tax_on_obligation" 68 NOK
2023-12-31 custom "nhnfin-note-data" "6" "pension_balance" \
"unrecognised_effect_of_estimate_deviations" 432 NOK
2024-12-31 custom "nhnfin-note-data" "6" "assumptions" "discount_rate" 3.9
2024-12-31 custom "nhnfin-note-data" "6" "assumptions" "employer_social_security_rate" 13.6
2024-12-31 custom "nhnfin-note-data" "6" "assumptions" "amortisation_period" 10
2023-12-31 custom "nhnfin-note-data" "6" "assumptions" "employer_social_security_rate" 13.6
2024-12-31 custom "nhnfin-note-data" "6" "membership" "active_members" 899
2024-12-31 custom "nhnfin-note-data" "6" "membership" "average_pensionable_salary_active" 799756 NOK
"""


def load(text: str) -> tuple[list[Any], list[Any], dict[str, Any]]:
    """Load a literal ledger (dedented), running its plugins."""
    entries, errors, options = loader.load_string(textwrap.dedent(text))
    return entries, errors, options


def ledger(text: str) -> Ledger:
    """A literal ledger as the note builders see it; it must load without errors."""
    entries, errors, options = load(text)
    assert errors == [], errors
    return from_entries(entries, errors, options)


def values(table: NoteTable, column: str) -> dict[str, Decimal | None]:
    """row key -> the value in ``column``."""
    return {row.key: row.values.get(column) for row in table.rows}


def tie(tieouts: tuple[TieOut, ...], check_id: str) -> TieOut:
    """The tie-out ``check_id``."""
    return next(t for t in tieouts if t.check_id == check_id)


def messages(text: str) -> list[tuple[int, str]]:
    """(line, message) of every error a literal ledger gives."""
    _, errors, _ = load(text)
    return [(e.source["lineno"], e.message) for e in errors]
