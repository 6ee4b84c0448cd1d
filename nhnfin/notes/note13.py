"""Note 13, Annen kortsiktig gjeld: from the ledger's accounts.

Rows: accrued items (2960), holiday pay payable (2940), cost accruals (2965), the state-budget
appropriation used on investments (2930, note 3) and other short-term liabilities (2990) in the
example ledger; the total must equal the balance-sheet line "Annen kortsiktig gjeld", both
years. The published total for 2023 (165 385 321) is one krone below its printed rows: the
ledger gives the same figures and the rounding tie-out says why.

Which account makes which row is ledger data (``note-row`` on the account's ``open``, see
:mod:`nhnfin.notes.note_accounts` and ``docs/notes.md``); the rows and labels are in
:data:`nhnfin.notes.specs.OTHER_SHORT_TERM_DEBT`.
"""

from __future__ import annotations

from nhnfin.ledger import Ledger
from nhnfin.notes import NoteResult
from nhnfin.notes.account_notes import build_note
from nhnfin.notes.specs import OTHER_SHORT_TERM_DEBT


def build(ledger: Ledger, year: int) -> NoteResult | None:
    """Note 13 for ``year`` beside the prior year; None when no account belongs to it."""
    return build_note(OTHER_SHORT_TERM_DEBT, ledger, year)
