"""The note tables of the notes layout in the form the builders use.

The shape of every note table (rows, columns, units, Norwegian labels, sums) is data in the notes
layout (``nhnfin/data/notes_nhn.toml`` by default: :mod:`nhnfin.notes.layout`). This module turns
its tables into the two kinds the builders and the ledger checks work with:

* :class:`AccountTable`: rows made of ledger accounts (note 5's pay costs, notes 10-13). Which
  account makes which row is the row's own ``accounts`` ranges in the layout, or ledger data
  (``note-row`` on the account's ``open``, or a ``custom "nhnfin-note-accounts"`` number range:
  :mod:`nhnfin.notes.note_accounts`); the table names the statement line whose accounts it must
  cover.
* :class:`DataTable`: figures the general ledger does not hold (remuneration per person, the
  auditor's fees, head count, the actuary's report), declared in ``custom "nhnfin-note-data"``
  directives (:mod:`nhnfin.notes.note_data`). Rows (or columns) with a formula are sums,
  computed and never declared.
"""

from __future__ import annotations

from dataclasses import dataclass

from nhnfin.layout import NumberRange
from nhnfin.model import Column
from nhnfin.model import Kind
from nhnfin.notes.layout import NotesLayout
from nhnfin.notes.layout import NoteSpec
from nhnfin.notes.layout import TableLayout

NOK = "NOK"
TEXT = "text"
UNITS = (NOK, "percent", "years", "count")
Terms = tuple[tuple[int, str], ...]


@dataclass(frozen=True)
class RowSpec:
    """A fixed row: ``terms`` (signed row keys) make it a computed sum; ``unit`` overrides the
    table's; ``ranges`` are the account numbers the layout itself maps to it, ``where`` the
    row's ``file:line`` in the notes layout."""

    key: str
    label: str
    unit: str = NOK
    terms: Terms = ()
    kind: Kind = Kind.ITEM
    formula: str | None = None
    ranges: tuple[NumberRange, ...] = ()
    where: str = ""

    @property
    def parts(self) -> tuple[str, ...]:
        """The keys the row sums (none for an item)."""
        return tuple(key for _, key in self.terms)


@dataclass(frozen=True)
class AccountTable:
    """A note table whose rows are ledger accounts.

    Attributes:
        note: the note number.
        title: the note's title.
        caption: the table's caption.
        statement: the statement whose line the table specifies.
        line: the layout line whose accounts every row together must cover.
        rows: the rows an account can be mapped to (``note-row`` values) and the sums.
        opt_in: the accounts of ``line`` belong to the note only when mapped (note 12: only the
            restricted part of the bank deposits); otherwise every one of them must be mapped.
        key: the table's key in the notes layout.
        tieout: the table's name in its tie-outs' ids.
        checks: a registered check adding the rule's own tie-outs, if any.
        alone: the note's only accounts table (its mapping tie-out is ``nN.accounts_mapped``).
    """

    note: str
    title: str
    caption: str
    statement: str
    line: str
    rows: tuple[RowSpec, ...]
    opt_in: bool = False
    key: str = ""
    tieout: str = "t0"
    checks: str | None = None
    alone: bool = True

    @property
    def ident(self) -> str:
        """The table among all accounts tables: ``note:key``."""
        return f"{self.note}:{self.key}"

    @property
    def items(self) -> tuple[RowSpec, ...]:
        """The rows an account can be mapped to (not the sums)."""
        return tuple(r for r in self.rows if not r.terms)

    @property
    def total(self) -> RowSpec | None:
        """The table's total: its last sum row of kind total, if any."""
        return next((r for r in reversed(self.rows) if r.terms and r.kind is Kind.TOTAL), None)


@dataclass(frozen=True)
class DataTable:
    """A note table declared in ``custom "nhnfin-note-data"`` directives.

    ``by_year`` tables have the fiscal and the prior year as columns and fixed ``rows``; one
    directive per row and year gives the value. Other tables have one directive per row (a
    person) with ``columns`` and ``text_columns`` as metadata; ``computed`` columns are sums.
    ``shown`` is False for declared data that only the note's text quotes.
    """

    note: str
    key: str
    caption: str
    by_year: bool
    unit: str = NOK
    rows: tuple[RowSpec, ...] = ()
    columns: tuple[Column, ...] = ()
    text_columns: tuple[Column, ...] = ()
    computed: tuple[tuple[str, Terms], ...] = ()
    shown: bool = True
    tieout: str = "t0"
    checks: str | None = None

    def row(self, key: str) -> RowSpec | None:
        """The fixed row ``key``, if the table has it."""
        return next((r for r in self.rows if r.key == key), None)

    @property
    def declared_columns(self) -> tuple[str, ...]:
        """Amount columns a directive gives (not the computed ones)."""
        sums = {key for key, _ in self.computed}
        return tuple(c.key for c in self.columns if c.key not in sums)


@dataclass(frozen=True)
class LayoutTable:
    """A roll-forward of accounts (``source = "ledger"``) or a table of a builder's figures
    (``source = "figures"``, or one row per group: ``"groups"``): built from the layout's table
    itself (:mod:`nhnfin.notes.ledger_tables`), whose keys and labels may name the year."""

    note: str
    key: str
    layout: TableLayout
    tieout: str = "t0"
    checks: str | None = None
    shown: bool = True


TableSpec = AccountTable | DataTable | LayoutTable


def _rows(table: TableLayout) -> tuple[RowSpec, ...]:
    return tuple(
        RowSpec(r.key, r.label, table.row_unit(r), r.terms, r.kind, r.formula, r.accounts,
                r.where)
        for r in table.rows
    )


def table_spec(note: NoteSpec, index: int, table: TableLayout) -> TableSpec:
    """The layout's table number ``index`` of ``note`` as the builders use it."""
    tieout = table.tieout or f"t{index}"
    if table.source in ("ledger", "figures", "groups"):
        return LayoutTable(note.number, table.key, table, tieout, table.checks, table.shown)
    if table.source == "accounts":
        alone = sum(1 for t in note.tables if t.source == "accounts") == 1
        return AccountTable(note.number, note.title, table.caption, table.statement,
                            table.line_key, _rows(table), table.opt_in, table.key, tieout,
                            table.checks, alone)  # fmt: skip
    amounts = tuple(Column(c.key, c.label) for c in table.columns if not c.text)
    return DataTable(
        note.number, table.key, table.caption, by_year=table.source == "data", unit=table.unit,
        rows=_rows(table), columns=amounts,
        text_columns=tuple(Column(c.key, c.label) for c in table.columns if c.text),
        computed=tuple((c.key, c.terms) for c in table.columns if c.terms),
        shown=table.shown, tieout=tieout, checks=table.checks,
    )  # fmt: skip


def note_tables(note: NoteSpec) -> tuple[TableSpec, ...]:
    """The tables of ``note`` in print order."""
    return tuple(table_spec(note, i, t) for i, t in enumerate(note.tables))


def account_tables(layout: NotesLayout) -> tuple[AccountTable, ...]:
    """Every accounts table of the layout, in note order."""
    return tuple(t for n in layout.notes for t in note_tables(n) if isinstance(t, AccountTable))


def data_tables(layout: NotesLayout) -> tuple[DataTable, ...]:
    """Every table of declared data of the layout, in note order."""
    return tuple(t for n in layout.notes for t in note_tables(n) if isinstance(t, DataTable))


def data_table(layout: NotesLayout, note: str, key: str) -> DataTable | None:
    """The data table ``key`` of ``note``, if the layout has it."""
    return next((t for t in data_tables(layout) if t.note == note and t.key == key), None)


def account_table(layout: NotesLayout, row_key: str) -> AccountTable | None:
    """The accounts table that has an item row ``row_key`` (row keys are unique across them)."""
    return next((t for t in account_tables(layout) if any(r.key == row_key for r in t.items)),
                None)
