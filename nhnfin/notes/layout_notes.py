"""The tables the notes layout shapes: built from accounts or declared data, with their ties.

Every ``[[notes.tables]]`` of the notes layout (:mod:`nhnfin.notes.layout`) is built here, in
the layout's order: an accounts table from the accounts mapped to its rows
(:mod:`nhnfin.notes.account_notes`), a table of declared data from the ``custom
"nhnfin-note-data"`` directives (:mod:`nhnfin.notes.note_data`). A note without a builder is
these tables; a rule's note (a builder) prints its own tables first.

Tie-outs, per table in order:

* the table's registered ``checks``, if it names one (:data:`nhnfin.notes.CHECK_PATHS`: the
  rule's own identities, e.g. note 6's pension obligation against the balance sheet);
* an accounts table's mapping and statement-line ties;
* for each total row in NOK, the rounded total against the sum of its rounded parts
  (``nN.<tieout>.rounded_sum.<year>``, a warning: :func:`nhnfin.notes.tables.rounding_tieouts`).
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Mapping
from collections.abc import Sequence

from nhnfin.config import import_target
from nhnfin.ledger import Ledger
from nhnfin.model import Kind
from nhnfin.model import Note
from nhnfin.model import NoteTable
from nhnfin.model import TieOut
from nhnfin.notes import NoteResult
from nhnfin.notes.account_notes import build_table
from nhnfin.notes.layout import NoteSpec
from nhnfin.notes.layout import load_notes_layout
from nhnfin.notes.ledger_tables import ledger_table
from nhnfin.notes.note_data import read_note_data
from nhnfin.notes.specs import AccountTable
from nhnfin.notes.specs import DataTable
from nhnfin.notes.specs import LedgerTable
from nhnfin.notes.specs import RowSpec
from nhnfin.notes.specs import Terms
from nhnfin.notes.specs import note_tables
from nhnfin.notes.tables import data_table
from nhnfin.notes.tables import rounding_tieouts

# (ledger, year, the table the check is on, every table of the note built, by key) -> ties
Check = Callable[[Ledger, int, NoteTable, Mapping[str, NoteTable]], Sequence[TieOut]]


def leaves(row: RowSpec, rows: Mapping[str, RowSpec], sign: int = 1) -> Terms:
    """The item rows a sum row adds up, through the sums it names, with their signs."""
    found: list[tuple[int, str]] = []
    for term_sign, key in row.terms:
        part = rows[key]
        if part.terms:
            found.extend(leaves(part, rows, sign * term_sign))
        else:
            found.append((sign * term_sign, key))
    return tuple(found)


def total_tieouts(
    number: str, spec: AccountTable | DataTable, table: NoteTable
) -> tuple[TieOut, ...]:
    """Each total row (rounded) against the sum of its rounded parts."""
    rows = {r.key: r for r in spec.rows}
    totals = [r for r in spec.rows if r.terms and r.kind is Kind.TOTAL]
    checks: list[TieOut] = []
    for row in totals:
        name = spec.tieout if len(totals) == 1 else f"{spec.tieout}.{row.key}"
        checks.extend(rounding_tieouts(f"n{number}.{name}.rounded_sum", table, row.key,
                                       leaves(row, rows)))  # fmt: skip
    return tuple(checks)


def _check(name: str) -> Check:
    from nhnfin.notes import CHECK_PATHS

    check: Check = import_target(CHECK_PATHS[name])
    return check


def build_tables(
    ledger: Ledger, year: int, note: NoteSpec
) -> tuple[tuple[NoteTable, ...], tuple[TieOut, ...]]:
    """The tables of ``note`` the layout shapes (those with nothing for the year left out) and
    their tie-outs."""
    specs = note_tables(note)
    if not specs:
        return (), ()
    data = ledger.derived(read_note_data)
    built: dict[str, NoteTable] = {}
    own: dict[str, tuple[TieOut, ...]] = {}
    for spec in specs:
        if isinstance(spec, AccountTable):
            table, ties = build_table(spec, ledger, year)
        elif isinstance(spec, LedgerTable):
            table, ties = ledger_table(spec, ledger, year), ()
        else:
            table, ties = data_table(spec, data, year), ()
        if table is not None:
            built[spec.key], own[spec.key] = table, ties
    tieouts: list[TieOut] = []
    for spec in specs:
        table = built.get(spec.key)
        if table is None or not _shown(spec):
            continue
        if spec.checks is not None:
            tieouts.extend(_check(spec.checks)(ledger, year, table, built))
        tieouts.extend(own[spec.key])
        if not isinstance(spec, LedgerTable):
            tieouts.extend(total_tieouts(note.number, spec, table))
    tables = tuple(built[s.key] for s in specs if s.key in built and _shown(s))
    return tables, tuple(tieouts)


def _shown(spec: AccountTable | DataTable | LedgerTable) -> bool:
    return spec.shown if isinstance(spec, DataTable | LedgerTable) else True


def build_note(ledger: Ledger, year: int, number: str) -> NoteResult | None:
    """Note ``number`` of the ledger's notes layout made of the tables the layout shapes (no
    builder's); None when it has none for ``year``."""
    spec = ledger.derived(load_notes_layout).note(number)
    if spec is None:
        return None
    tables, ties = build_tables(ledger, year, spec)
    if not tables:
        return None
    return NoteResult(Note(number=spec.number, title=spec.title, tables=tables), ties)
