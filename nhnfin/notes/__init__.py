"""Note builders: each turns the ledger into one note of the annual report.

A builder is ``build(ledger: Ledger, year: int) -> NoteResult``: the note's tables for the fiscal
year (with the prior year where the published note has it) and the tie-outs that connect the note
to the statements or to the ledger. Builders are registered in :data:`BUILDERS` under the note
number; a builder returns None when the ledger has nothing for its note (no such rule in use).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module

from nhnfin.ledger import Ledger
from nhnfin.model import Note
from nhnfin.model import TieOut


@dataclass(frozen=True)
class NoteResult:
    """A built note and its tie-outs."""

    note: Note
    tieouts: tuple[TieOut, ...] = ()


Builder = Callable[[Ledger, int], NoteResult | None]

# note number -> "module:function"; modules are imported when a report is built.
BUILDER_PATHS: dict[str, str] = {
    "2": "nhnfin.ehealth.note2:build",
    "3": "nhnfin.grants.note3:build",
    "4": "nhnfin.assets.note4:build",
    "5": "nhnfin.notes.note5:build",
    "6": "nhnfin.notes.note6:build",
    "8": "nhnfin.assets.note8:build",
    "9": "nhnfin.notes.note9:build",
    "10": "nhnfin.notes.note10:build",
    "11": "nhnfin.notes.note11:build",
    "12": "nhnfin.notes.note12:build",
    "13": "nhnfin.notes.note13:build",
}


def builders() -> dict[str, Builder]:
    """The registered builders, in note order."""
    result: dict[str, Builder] = {}
    for number in sorted(BUILDER_PATHS, key=int):
        module_name, function = BUILDER_PATHS[number].split(":")
        result[number] = getattr(import_module(module_name), function)
    return result
