"""Note builders: each turns the ledger into one note of the annual report.

A builder is ``build(ledger: Ledger, year: int) -> NoteResult``: the note's tables for the fiscal
year (with the prior year where the published note has it) and the tie-outs that connect the note
to the statements or to the ledger. Builders are registered in :data:`BUILDERS` under the note
builder's name; a builder returns None when the ledger has nothing for its note (no such rule in
use). Which note a builder's tables make (its number, title and place) is data: the notes layout
(:mod:`nhnfin.notes.layout`, ``nhnfin/data/notes_nhn.toml`` by default) names the builder.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from nhnfin.config import import_target
from nhnfin.ledger import Ledger
from nhnfin.model import Note
from nhnfin.model import TieOut


@dataclass(frozen=True)
class NoteResult:
    """A built note and its tie-outs."""

    note: Note
    tieouts: tuple[TieOut, ...] = ()


Builder = Callable[[Ledger, int], NoteResult | None]

# builder name (as the notes layout names it) -> "module:function"; modules are imported when a
# report is built. The notes layout says which note each builder's tables make.
BUILDER_PATHS: dict[str, str] = {
    "ehealth_income": "nhnfin.ehealth.note2:build",
    "public_grants": "nhnfin.grants.note3:build",
    "delivery_obligation": "nhnfin.assets.note4:build",
    "payroll": "nhnfin.notes.note5:build",
    "pensions": "nhnfin.notes.note6:build",
    "fixed_assets": "nhnfin.assets.note8:build",
    "equity": "nhnfin.notes.note9:build",
    "long_term_receivables": "nhnfin.notes.note10:build",
    "short_term_receivables": "nhnfin.notes.note11:build",
    "restricted_funds": "nhnfin.notes.note12:build",
    "other_short_term_debt": "nhnfin.notes.note13:build",
}


def builders() -> dict[str, Builder]:
    """The registered builders by name, in registration order."""
    return {name: import_target(target) for name, target in BUILDER_PATHS.items()}
