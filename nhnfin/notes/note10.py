"""Note 10, Langsiktige fordringer: from the ledger's accounts.

Rows: the AMK project (1380), the backbone network for Helse Sør-Øst (1381) and other long-term
receivables (1390) in the example ledger; the table specifies the balance-sheet line "Andre
langsiktige fordringer", whose total it must equal, both years.

Which account makes which row is ledger data (``note-row`` on the account's ``open``, see
:mod:`nhnfin.notes.note_accounts` and ``docs/notes.md``); the rows and labels are in
:data:`nhnfin.notes.specs.LONG_TERM_RECEIVABLES`.
"""

from __future__ import annotations

from nhnfin.ledger import Ledger
from nhnfin.notes import NoteResult
from nhnfin.notes.account_notes import build_note
from nhnfin.notes.specs import LONG_TERM_RECEIVABLES


def build(ledger: Ledger, year: int) -> NoteResult | None:
    """Note 10 for ``year`` beside the prior year; None when no account belongs to it."""
    return build_note(LONG_TERM_RECEIVABLES, ledger, year)
