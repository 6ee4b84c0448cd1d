"""Bank reconciliation: statement balances, unmatched items both ways, the suspense account."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path

from nhnfin.reconcile.bank import balance_at
from nhnfin.reconcile.model import BankItem
from nhnfin.reconcile.model import Outcome
from tests.reconcile.conftest import BOOKS
from tests.reconcile.conftest import FEE
from tests.reconcile.conftest import PAYMENT
from tests.reconcile.conftest import books
from tests.reconcile.conftest import loaded
from tests.reconcile.conftest import run_reconcile
from tests.reconcile.conftest import statement

D = Decimal

#: The December statement as `nhnfin import` writes it into the books (still on 1590).
IMPORTED = """\
2024-12-02 balance Assets:1920-Bank 1000000.00 NOK
  statement: "NHN-2024-12"
  balance-type: "OPBD"
2024-12-20 * "Oslo kommune" "Faktura 10042" ^camt-REF-1
  statement: "NHN-2024-12"
  Assets:1920-Bank            200000.00 NOK
  Assets:1590-Unreconciled   -200000.00 NOK
2024-12-30 * "DNB" "Gebyr" ^camt-REF-2
  statement: "NHN-2024-12"
  Assets:1920-Bank               -250.00 NOK
  Assets:1590-Unreconciled        250.00 NOK
2025-01-01 balance Assets:1920-Bank 1199750.00 NOK
  statement: "NHN-2024-12"
  balance-type: "CLBD"
"""


def test_reconciled_account_from_a_statement_file(tmp_path: Path) -> None:
    result = run_reconcile(books(tmp_path, PAYMENT, FEE), statement(tmp_path))
    (account,) = result.bank.accounts
    assert account.account == "Assets:1920-Bank"
    assert account.statements == ("NHN-2024-12",)
    assert [(c.kind, c.date, c.statement, c.ledger) for c in account.checks] == [
        ("inngående", datetime.date(2024, 12, 2), D("1000000.00"), D("1000000.00")),
        ("utgående", datetime.date(2024, 12, 31), D("1199750.00"), D("1199750.00")),
    ]
    assert (account.not_booked, account.not_on_statement, result.bank.suspense) == ((), (), ())
    assert (result.bank.outcome, result.bank.difference) == (Outcome.OK, D(0))


def test_imported_statement_in_the_ledger_with_lines_on_suspense(tmp_path: Path) -> None:
    result = run_reconcile(books(tmp_path, IMPORTED))
    (account,) = result.bank.accounts
    assert [(c.date, c.difference) for c in account.checks] == [
        (datetime.date(2024, 12, 2), D(0)), (datetime.date(2024, 12, 31), D(0))]
    assert account.checks[1].in_ledger
    # the balances agree, but both lines still wait on 1590 to be moved to their accounts
    assert [(i.reference, i.amount, i.age_days) for i in result.bank.suspense] == [
        ("camt-REF-1", D("-200000.00"), 26), ("camt-REF-2", D("250.00"), 16)]
    assert result.bank.suspense_balance == D("-199750.00")
    assert result.bank.outcome == Outcome.DIFFERENCE


def test_statement_entry_not_booked(tmp_path: Path) -> None:
    result = run_reconcile(books(tmp_path, PAYMENT), statement(tmp_path))
    (account,) = result.bank.accounts
    (item,) = account.not_booked
    assert item == BankItem(
        account="Assets:1920-Bank", date=datetime.date(2024, 12, 30), amount=D("-250.00"),
        currency="NOK", reference="camt-REF-2", text="DNB Gebyr",
        source=f"{tmp_path / 'december.xml'}:{item.source.rsplit(':', 1)[1]}", age_days=16,
        in_ledger=False)
    assert account.not_on_statement == ()
    assert account.checks[-1].difference == D("250.00")
    assert (result.bank.outcome, result.bank.difference) == (Outcome.DIFFERENCE, D("250.00"))


def test_booked_payment_not_on_the_statement(tmp_path: Path) -> None:
    manual = """\
2024-12-15 * "Atea AS" "Faktura 556677"
  Assets:1920-Bank                -3000.00 NOK
  Expenses:7700-Other              3000.00 NOK
"""
    result = run_reconcile(books(tmp_path, PAYMENT, FEE, manual), statement(tmp_path),
                           as_of=datetime.date(2024, 12, 31))
    (account,) = result.bank.accounts
    assert account.not_booked == ()
    assert [(i.date, i.amount, i.text, i.age_days, i.reference) for i in account.not_on_statement
            ] == [(datetime.date(2024, 12, 15), D("-3000.00"), "Atea AS Faktura 556677", 16, "")]
    line = (BOOKS + PAYMENT + FEE).count("\n") + 1
    assert account.not_on_statement[0].source.endswith(f"books.beancount:{line}")
    assert account.checks[-1].difference == D("-3000.00")
    assert result.bank.outcome == Outcome.DIFFERENCE


def test_postings_outside_the_statement_period_are_not_unmatched(tmp_path: Path) -> None:
    # the opening balance (31 Dec 2023) is before the statement's period (2-31 Dec 2024)
    result = run_reconcile(books(tmp_path, PAYMENT, FEE), statement(tmp_path))
    assert result.bank.accounts[0].not_on_statement == ()


def test_wrong_closing_balance_on_the_statement_file(tmp_path: Path) -> None:
    result = run_reconcile(books(tmp_path, PAYMENT, FEE), statement(tmp_path, "1198750.00"))
    closing = result.bank.accounts[0].checks[-1]
    assert (closing.date, closing.statement, closing.ledger, closing.difference) == (
        datetime.date(2024, 12, 31), D("1198750.00"), D("1199750.00"), D("1000.00"))
    assert (result.bank.outcome, result.bank.difference) == (Outcome.DIFFERENCE, D("1000.00"))


def test_wrong_closing_balance_assertion_in_the_ledger(tmp_path: Path) -> None:
    wrong = IMPORTED.replace("1199750.00 NOK", "1199700.00 NOK")
    result = run_reconcile(books(tmp_path, wrong))
    closing = result.bank.accounts[0].checks[-1]
    assert (closing.kind, closing.statement, closing.difference) == (
        "utgående", D("1199700.00"), D("50.00"))
    assert closing.source.endswith(f"books.beancount:{BOOKS.count(chr(10)) + 12}")
    # Beancount's own balance check fails too: a ledger error fails the tie-out section
    assert any("Balance failed" in e for e in result.tieouts.ledger_errors)
    assert result.tieouts.outcome == Outcome.DIFFERENCE


def test_statement_file_already_imported_is_compared_once(tmp_path: Path) -> None:
    moved = IMPORTED.replace("Assets:1590-Unreconciled   -200000.00 NOK",
                             "Assets:1500-TradeReceivables:Oslo-kommune -200000.00 NOK")
    moved = moved.replace("Assets:1590-Unreconciled        250.00 NOK",
                          "Expenses:7700-Other 250.00 NOK")
    result = run_reconcile(books(tmp_path, moved), statement(tmp_path))
    (account,) = result.bank.accounts
    assert len(account.checks) == 2
    assert (account.not_booked, account.not_on_statement) == ((), ())
    assert result.bank.outcome == Outcome.OK
    assert result.reconciled


def test_no_statements_is_not_a_difference(tmp_path: Path) -> None:
    result = run_reconcile(books(tmp_path, PAYMENT, FEE))
    (account,) = result.bank.accounts
    assert (account.checks, account.statements) == ((), ())
    assert result.bank.outcome == Outcome.EMPTY
    assert result.reconciled


def test_balance_at_the_end_of_the_day(tmp_path: Path) -> None:
    interest = """\
2024-12-31 * "DNB" "Renter"
  Assets:1920-Bank                                10.00 NOK
  Income:3100-Services                           -10.00 NOK
"""
    entries = loaded(books(tmp_path, PAYMENT, FEE, interest)).entries
    assert [balance_at(entries, "Assets:1920-Bank", "NOK", datetime.date(2024, 12, d))
            for d in (19, 20, 30, 31)] == [
        D("1000000.00"), D("1200000.00"), D("1199750.00"), D("1199760.00")]
    assert balance_at(entries, "Assets:1920-Bank", "EUR", datetime.date(2024, 12, 31)) == 0


def test_ledger_balances_before_the_year_are_not_listed(tmp_path: Path) -> None:
    earlier = """\
2023-06-01 balance Assets:1920-Bank 1000000.00 NOK
2024-06-01 balance Assets:1920-Bank 1000000.00 NOK
"""
    result = run_reconcile(books(tmp_path, PAYMENT, FEE, earlier))
    (account,) = result.bank.accounts
    assert [(c.kind, c.date, c.difference) for c in account.checks] == [
        ("saldo", datetime.date(2024, 6, 1), D(0))]
    assert result.bank.outcome == Outcome.OK


def test_suspense_items_are_listed_in_date_order(tmp_path: Path) -> None:
    """The open items on 1590 by date, not by importer link (failed before: camt-REF-1 of 20
    December before camt-REF-9 of 2 December)."""
    lines = """\
2024-12-20 * "Oslo kommune" "Faktura 10042" ^camt-REF-1
  Assets:1920-Bank            200.00 NOK
  Assets:1590-Unreconciled   -200.00 NOK
2024-12-02 * "DNB" "Gebyr" ^camt-REF-9
  Assets:1920-Bank            -25.00 NOK
  Assets:1590-Unreconciled     25.00 NOK
2024-12-10 * "Uten lenke"
  Assets:1920-Bank             -5.00 NOK
  Assets:1590-Unreconciled      5.00 NOK
"""
    result = run_reconcile(books(tmp_path, lines))
    assert [(i.date, i.reference, i.amount) for i in result.bank.suspense] == [
        (datetime.date(2024, 12, 2), "camt-REF-9", D("25.00")),
        (datetime.date(2024, 12, 10), "", D("5.00")),
        (datetime.date(2024, 12, 20), "camt-REF-1", D("-200.00"))]
