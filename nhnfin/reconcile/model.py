"""The result of ``nhnfin reconcile``: frozen dataclasses of exact Decimals, one per section.

:mod:`nhnfin.reconcile` builds a :class:`Reconciliation`; ``nhnfin.cli.reconcile`` renders it
as text or JSON. Each section says how it came out (:class:`Outcome`): ``OK``, ``DIFFERENCE``
(AVVIK) or ``EMPTY`` (nothing to compare, e.g. no bank statements, no supplier sub-ledger),
which is not a failure. Differences are always ledger − statement, or sub-ledger − control account.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from nhnfin.model import Status
from nhnfin.model import TieOut
from nhnfin.money import ZERO


class Outcome(StrEnum):
    """How a section came out: reconciled, a difference, or nothing to compare."""

    OK = "ok"
    DIFFERENCE = "avvik"
    EMPTY = "empty"


@dataclass(frozen=True)
class BalanceCheck:
    """A statement balance against the ledger's balance at the same moment.

    ``kind`` is "inngående" (the opening booked balance: at the start of ``date``), "utgående"
    (the closing booked balance: at the end of ``date``) or "saldo" (any other ``balance``
    assertion: at the start of ``date``, as Beancount reads it).
    """

    account: str
    date: datetime.date
    kind: str
    statement_id: str
    source: str
    statement: Decimal
    ledger: Decimal
    currency: str
    in_ledger: bool = False  # ``source`` is in the ledger, not in a --statement file

    @property
    def difference(self) -> Decimal:
        """ledger − statement."""
        return self.ledger - self.statement


@dataclass(frozen=True)
class BankItem:
    """An unmatched bank item or suspense item: ``amount`` as booked on the account.

    ``source`` is the item's file:line: a --statement file's entry (``in_ledger`` False: a
    statement line not in the books) or a ledger transaction (``in_ledger`` True: a posting not
    on the statement, or one left on the suspense account).
    """

    account: str
    date: datetime.date
    amount: Decimal
    currency: str
    reference: str
    text: str
    source: str
    age_days: int
    in_ledger: bool


@dataclass(frozen=True)
class BankAccount:
    """One configured bank account and what was found for it."""

    account: str
    bank_id: str
    statements: tuple[str, ...]
    checks: tuple[BalanceCheck, ...]
    not_booked: tuple[BankItem, ...]
    not_on_statement: tuple[BankItem, ...]

    @property
    def difference(self) -> Decimal:
        """ledger − statement at the last statement balance (zero without statements)."""
        return self.checks[-1].difference if self.checks else ZERO


@dataclass(frozen=True)
class BankResult:
    """The bank section: the accounts and the suspense account's open items."""

    accounts: tuple[BankAccount, ...]
    suspense_account: str
    suspense: tuple[BankItem, ...]

    @property
    def difference(self) -> Decimal:
        """Sum of the accounts' latest balance differences."""
        return sum((a.difference for a in self.accounts), ZERO)

    @property
    def suspense_balance(self) -> Decimal:
        """What is left on the suspense account."""
        return sum((i.amount for i in self.suspense), ZERO)

    @property
    def outcome(self) -> Outcome:
        """DIFFERENCE when a balance differs or any item is open; EMPTY with no statements."""
        if self.suspense or any(
            a.not_booked or a.not_on_statement or any(c.difference for c in a.checks)
            for a in self.accounts
        ):
            return Outcome.DIFFERENCE
        return Outcome.OK if any(a.checks or a.statements for a in self.accounts) else Outcome.EMPTY


@dataclass(frozen=True)
class AgedItem:
    """An open item of a sub-ledger with its age in days."""

    party: str
    account: str
    reference: str
    date: datetime.date
    amount: Decimal
    age_days: int


@dataclass(frozen=True)
class Subledger:
    """One control account (e.g. ``Assets:1500-TradeReceivables``), its check and open items."""

    control: str
    check: TieOut
    items: tuple[AgedItem, ...]


@dataclass(frozen=True)
class SubledgerResult:
    """The customer or supplier section; ``subledgers`` is empty when there is none."""

    number: int
    subledgers: tuple[Subledger, ...]

    @property
    def difference(self) -> Decimal:
        """Sum of (open items − control account) over the control accounts."""
        return sum((s.check.difference or ZERO for s in self.subledgers), ZERO)

    @property
    def outcome(self) -> Outcome:
        """EMPTY without sub-accounts, else OK when every check passed."""
        if not self.subledgers:
            return Outcome.EMPTY
        passed = all(s.check.status == Status.PASSED for s in self.subledgers)
        return Outcome.OK if passed else Outcome.DIFFERENCE


@dataclass(frozen=True)
class TieOutResult:
    """The report's tie-outs for the year and the ledger's errors."""

    tieouts: tuple[TieOut, ...]
    ledger_errors: tuple[str, ...]

    @property
    def failed(self) -> tuple[TieOut, ...]:
        """The FAILED tie-outs."""
        return tuple(t for t in self.tieouts if t.status == Status.FAILED)

    @property
    def difference(self) -> Decimal:
        """Sum of the failed tie-outs' differences (one without a figure adds none)."""
        return sum((t.difference or ZERO for t in self.failed), ZERO)

    @property
    def outcome(self) -> Outcome:
        """DIFFERENCE when a tie-out failed or the ledger has errors (warnings do not fail)."""
        return Outcome.DIFFERENCE if self.failed or self.ledger_errors else Outcome.OK


@dataclass(frozen=True)
class Reconciliation:
    """Everything ``nhnfin reconcile`` found, on ``as_of`` for fiscal ``year``."""

    entity: str
    year: int
    as_of: datetime.date
    bank: BankResult
    customers: SubledgerResult
    suppliers: SubledgerResult
    tieouts: TieOutResult

    @property
    def reconciled(self) -> bool:
        """True when no section has a difference."""
        sections = (self.bank, self.customers, self.suppliers, self.tieouts)
        return all(s.outcome != Outcome.DIFFERENCE for s in sections)


def open_items(bank: BankResult) -> str:
    """What is open in the bank section besides a balance difference, by kind and count
    ("1 ikke bokført; 2 poster på Assets:1590-Unreconciled"): a section whose balances all
    agree still fails on them, so ``nhnfin reconcile``'s header and ``nhnfin close``'s check say
    which."""
    counts = [
        (sum(len(a.not_booked) for a in bank.accounts), "ikke bokført"),
        (sum(len(a.not_on_statement) for a in bank.accounts), "ikke på kontoutskrift"),
        (len(bank.suspense), f"{'post' if len(bank.suspense) == 1 else 'poster'} på "
                             f"{bank.suspense_account}"),
    ]
    return "; ".join(f"{count} {what}" for count, what in counts if count)
