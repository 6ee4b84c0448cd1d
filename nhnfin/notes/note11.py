"""Note 11, Andre kortsiktige fordringer: from the ledger's accounts.

Rows: earned not invoiced income (1530), prepaid expenses (1700) and other short-term
receivables (1570 grants awarded not received, 1580) in the example ledger; the total must equal
the balance-sheet line "Andre kortsiktige fordringer", both years.

Which account makes which row is ledger data (``note-row`` on the account's ``open``, see
:mod:`nhnfin.notes.note_accounts` and ``docs/notes.md``); the rows and labels are in
:data:`nhnfin.notes.specs.SHORT_TERM_RECEIVABLES`.
"""

from __future__ import annotations

from nhnfin.ledger import Ledger
from nhnfin.notes import NoteResult
from nhnfin.notes.account_notes import build_note
from nhnfin.notes.specs import SHORT_TERM_RECEIVABLES


def build(ledger: Ledger, year: int) -> NoteResult | None:
    """Note 11 for ``year`` beside the prior year; None when no account belongs to it."""
    return build_note(SHORT_TERM_RECEIVABLES, ledger, year)
