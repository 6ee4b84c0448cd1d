"""Note 12, Bundne midler og kassekreditt: from the ledger's accounts.

One row: the bank deposits restricted for tax withholding (1950 in the example ledger). Only
accounts mapped to the row belong to the note (the rest of "Bankinnskudd, kontanter o.l." is
free cash), so the tie is that the restricted deposits do not exceed the line, both years. The
published note prints no overdraft figure; nor does this one.

Which account makes which row is ledger data (``note-row`` on the account's ``open``, see
:mod:`nhnfin.notes.note_accounts` and ``docs/notes.md``); the rows and labels are in
:data:`nhnfin.notes.specs.RESTRICTED_FUNDS`.
"""

from __future__ import annotations

from nhnfin.ledger import Ledger
from nhnfin.notes import NoteResult
from nhnfin.notes.account_notes import build_note
from nhnfin.notes.specs import RESTRICTED_FUNDS


def build(ledger: Ledger, year: int) -> NoteResult | None:
    """Note 12 for ``year`` beside the prior year; None when no account belongs to it."""
    return build_note(RESTRICTED_FUNDS, ledger, year)
