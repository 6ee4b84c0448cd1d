"""The tables the notes layout shapes, with their ties, and the notes made of them.

Every ``[[notes.tables]]`` of the notes layout (:mod:`nhnfin.notes.layout`) is built here, in
the layout's order: an accounts table from the accounts mapped to its rows
(:mod:`nhnfin.notes.account_notes`), a table of declared data from the ``custom
"nhnfin-note-data"`` directives (:mod:`nhnfin.notes.note_data`), a ledger table (a roll-forward
of accounts) or a table of the figures a rule's builder gives (:mod:`nhnfin.notes.ledger_tables`).
A note without a builder is these tables; a rule's note (a builder) prints its own tables first
(:func:`note_of`).

Tie-outs, per table in order:

* the table's registered ``checks``, if it names one (:data:`nhnfin.notes.CHECK_PATHS`: the
  rule's own identities, e.g. note 6's pension obligation against the balance sheet);
* an accounts table's mapping and statement-line ties;
* for each total row in NOK, the rounded total against the sum of its rounded parts
  (``nN.<tieout>.rounded_sum.<year>``, a warning: :func:`nhnfin.notes.tables.rounding_tieouts`).
"""

from __future__ import annotations

import dataclasses
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
from nhnfin.notes.layout import PACKAGED
from nhnfin.notes.layout import NoteLayoutError
from nhnfin.notes.layout import NoteSpec
from nhnfin.notes.layout import load_notes_layout
from nhnfin.notes.layout import packaged_notes_layout
from nhnfin.notes.ledger_tables import figures_table
from nhnfin.notes.ledger_tables import groups_table
from nhnfin.notes.ledger_tables import ledger_table
from nhnfin.notes.ledger_tables import shown_in
from nhnfin.notes.note_data import read_note_data
from nhnfin.notes.specs import AccountTable
from nhnfin.notes.specs import DataTable
from nhnfin.notes.specs import LayoutTable
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
    ledger: Ledger, year: int, note: NoteSpec, result: NoteResult | None = None
) -> tuple[tuple[NoteTable, ...], tuple[TieOut, ...]]:
    """The tables of ``note`` the layout shapes (those with nothing for the year left out) and
    their tie-outs; a figures table shows the figures the note's builder gave it (``result``),
    a groups table its row set (each left out when it gave none)."""
    specs = note_tables(note)
    if not specs:
        return (), ()
    built: dict[str, NoteTable] = {}
    own: dict[str, tuple[TieOut, ...]] = {}
    for spec in specs:
        table, ties = _built(spec, ledger, year, result)
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
        if not isinstance(spec, LayoutTable):
            tieouts.extend(total_tieouts(note.number, spec, table))
    tables = tuple(built[s.key] for s in specs if s.key in built and _shown(s))
    return tables, tuple(tieouts)


def _built(spec: AccountTable | DataTable | LayoutTable, ledger: Ledger, year: int,
           result: NoteResult | None) -> tuple[NoteTable | None, tuple[TieOut, ...]]:
    """One table of the layout and its own tie-outs (None: nothing for the year)."""
    if isinstance(spec, AccountTable):
        return build_table(spec, ledger, year)
    if isinstance(spec, DataTable):
        return data_table(spec, ledger.derived(read_note_data), year), ()
    if spec.layout.source == "figures":
        given = result.figures.get(spec.layout.figures or spec.key) if result else None
        if given is None or not shown_in(spec.layout, ledger):
            return None, ()
        return figures_table(spec, given, year), ()
    if spec.layout.source == "groups":
        rows = result.groups.get(spec.layout.groups or "") if result else None
        return (groups_table(spec, rows, year) if rows is not None else None), ()
    return ledger_table(spec, ledger, year), ()


def _shown(spec: AccountTable | DataTable | LayoutTable) -> bool:
    return spec.shown if isinstance(spec, DataTable | LayoutTable) else True


def note_of(ledger: Ledger, year: int, spec: NoteSpec) -> NoteResult | None:
    """Note ``spec`` for ``year`` as the report prints it: its builder's tables (if it names
    one), then the tables the layout shapes, with its number and title; None when it has no
    tables.

    Raises:
        NoteLayoutError: a row names a figure the builder does not give.
    """
    from nhnfin.notes import builders

    build = builders().get(spec.builder) if spec.builder is not None else None
    result = build(ledger, year) if build is not None else None
    tables, ties = build_tables(ledger, year, spec, result)
    if not tables and (result is None or not (result.note.tables or result.tieouts)):
        return None
    shown = (result.note.tables if result is not None else ()) + tables
    note = (dataclasses.replace(result.note, number=spec.number, title=spec.title, tables=shown)
            if result is not None else Note(number=spec.number, title=spec.title, tables=shown))
    return NoteResult(note, (result.tieouts if result is not None else ()) + ties)


def build_note(ledger: Ledger, year: int, number: str) -> NoteResult | None:
    """Note ``number`` of the ledger's notes layout for ``year`` (None when it has no tables or
    the layout no such note)."""
    spec = ledger.derived(load_notes_layout).note(number)
    return note_of(ledger, year, spec) if spec is not None else None


def number_of(ledger: Ledger, builder: str, default: str) -> str:
    """The number the ledger's notes layout gives the note of ``builder`` (``default`` when it
    has none), for the words of the rule's tie-outs: a renumbered note is named by its number."""
    spec = ledger.derived(load_notes_layout).by_builder(builder)
    return spec.number if spec is not None else default


def labels_of(ledger: Ledger, builder: str) -> Mapping[str, str]:
    """The words for the rows of ``builder``'s own (:data:`nhnfin.notes.BUILDER_LABELS`): the
    ``labels`` of its note in the ledger's notes layout, and for a label that note does not give
    (a layout written before the label was data), the packaged layout's (nhnfin types none in
    code: tests/notes/test_builder_labels.py checks that the packaged layout gives each).

    Raises:
        NoteLayoutError: neither gives one of them (the packaged file was edited).
    """
    from nhnfin.notes import BUILDER_LABELS

    own = ledger.derived(load_notes_layout).by_builder(builder)
    packaged = packaged_notes_layout().by_builder(builder)
    labels = {**(packaged.labels if packaged is not None else {}),
              **(own.labels if own is not None else {})}
    missing = [key for key in BUILDER_LABELS.get(builder, {}) if key not in labels]
    if missing:
        raise NoteLayoutError(f"nhnfin/{PACKAGED}: byggeren {builder!r} trenger "
                              f"labels.{missing[0]} i noten sin, og verken regnskapets "
                              "noteoppsett eller det medfølgende gir den")
    return labels
