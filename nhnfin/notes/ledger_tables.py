"""Ledger tables of the notes layout (``source = "ledger"``): roll-forwards of accounts.

Each column takes accounts by NS 4102 number, or sums columns before it; each item row is a
measure of the column's accounts (of those the row names too, if it names any):

* ``closing`` / ``closing_prior``: the balance at the end of the fiscal or the prior year;
* ``movement``: the year's postings;
* ``debit`` / ``credit``: the year's debits or credits;
* ``debit_before`` / ``credit_before``: every debit or credit before the year.

The table's ``sign`` (−1 shows credit balances positive) applies to every item. A row with a
formula sums rows above it; an ``optional`` row prints only when it has an amount (a sum then
leaves it out). Row keys and labels are filled in with the year (``{year}``, ``{prior}``,
``{yy}``, ``{prior_yy}``). Every cell drills to its postings (:mod:`nhnfin.drill`), and a sum
to the postings of its parts. NHN's notes 4 (Leveranseforpliktelse) and 9 (Egenkapital) are
ledger tables.

A figures table (``source = "figures"``) is built the same way from the named figures a rule's
builder gives it (:class:`nhnfin.notes.Figures`: NHN's note 8 from the asset register's
accounts): the layout places each figure in its row, gives the columns, labels, sums and the
identities the published table is checked against.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from nhnfin.accounts import account_number
from nhnfin.drill import combine
from nhnfin.drill import postings
from nhnfin.layout import NumberRange
from nhnfin.ledger import Ledger
from nhnfin.ledger import year_bounds
from nhnfin.model import Column
from nhnfin.model import Drill
from nhnfin.model import NoteRow
from nhnfin.model import NoteTable
from nhnfin.model import TableCheck
from nhnfin.money import ZERO
from nhnfin.notes import Figures
from nhnfin.notes.flows import flows
from nhnfin.notes.flows import side_drill
from nhnfin.notes.layout import NoteLayoutError
from nhnfin.notes.layout import RowLayout
from nhnfin.notes.layout import TableLayout
from nhnfin.notes.layout import fill
from nhnfin.notes.specs import LayoutTable


def accounts_in(ledger: Ledger, ranges: Iterable[NumberRange]) -> tuple[str, ...]:
    """The ledger's accounts numbered in one of ``ranges``."""
    taken = tuple(ranges)
    return tuple(a for a in ledger.accounts()
                 if (n := account_number(a)) is not None and any(n in r for r in taken))


def measured(ledger: Ledger, accounts: tuple[str, ...], measure: str, year: int, sign: int
             ) -> tuple[Decimal, Drill]:
    """``sign`` × the ``measure`` of ``accounts`` in ``year``, and the postings behind it."""
    start, end = year_bounds(year)
    if measure in ("closing", "closing_prior"):
        last = year if measure == "closing" else year - 1
        amount = ledger.closing(accounts, last)
        trail = postings(accounts, None, year_bounds(last)[1], sign=sign)
    elif measure == "movement":
        amount = ledger.movement(accounts, year)
        trail = postings(accounts, start, end, sign=sign)
    else:
        side = measure.removesuffix("_before")
        moved = flows(ledger, accounts)
        if measure.endswith("_before"):
            amount = (moved.debit_until if side == "debit" else moved.credit_until)(
                accounts, year - 1)
            trail = side_drill(accounts, year, side, sign=sign, period="before")
        else:
            amount = (moved.debit if side == "debit" else moved.credit)(accounts, year)
            trail = side_drill(accounts, year, side, sign=sign)
    value = sign * amount
    return (value if value else ZERO), trail


def _columns_of(row_values: dict[str, Decimal | None], row_drills: dict[str, Drill],
                spec: TableLayout, label: str) -> None:
    """Fill in the sum columns of one row from the columns before them."""
    for column in spec.columns:
        if column.formula is None:
            continue
        terms = column.terms
        given = [(s, row_values[k]) for s, k in terms if row_values[k] is not None]
        total = sum((s * v for s, v in given if v is not None), ZERO)
        row_values[column.key] = total if total else ZERO
        trail = combine(((s, row_drills.get(k)) for s, k in terms), label)
        if trail is not None:
            row_drills[column.key] = trail


def item_row(spec: TableLayout, row: RowLayout, ledger: Ledger, year: int,
             taken: dict[str, tuple[str, ...]]) -> NoteRow:
    """An item row: the row's measure of each column's accounts."""
    label = fill(row.label, year)
    only = set(accounts_in(ledger, row.accounts)) if row.accounts else None
    values: dict[str, Decimal | None] = {}
    drills: dict[str, Drill] = {}
    for column in spec.columns:
        if column.formula is not None:
            continue
        accounts = tuple(a for a in taken[column.key] if only is None or a in only)
        assert row.measure is not None  # checked by the layout
        values[column.key], drills[column.key] = measured(ledger, accounts, row.measure, year,
                                                          spec.sign)
    _columns_of(values, drills, spec, label)
    return NoteRow(fill(row.key, year), label, values, row.kind, drill=drills)


def sum_row(spec: TableLayout, row: RowLayout, year: int, done: dict[str, NoteRow]) -> NoteRow:
    """A row summing rows above it (an optional row left out counts as nothing)."""
    label = fill(row.label, year)
    terms = [(s, done[k]) for s, k in row.terms_in(year) if k in done]
    values: dict[str, Decimal | None] = {}
    drills: dict[str, Drill] = {}
    for column in spec.columns:
        total = sum((s * (r.values.get(column.key) or ZERO) for s, r in terms), ZERO)
        values[column.key] = total if total else ZERO
        trail = combine(((s, r.drill.get(column.key)) for s, r in terms), label)
        if trail is not None:
            drills[column.key] = trail
    return NoteRow(fill(row.key, year), label, values, row.kind, drill=drills)


def ledger_table(table: LayoutTable, ledger: Ledger, year: int) -> NoteTable | None:
    """The roll-forward for ``year``; None when the ledger has no account the table requires
    (by default: none of the columns' accounts)."""
    spec = table.layout
    taken = {c.key: accounts_in(ledger, c.accounts) for c in spec.columns if c.formula is None}
    required = (accounts_in(ledger, spec.requires) if spec.requires
                else tuple(a for accounts in taken.values() for a in accounts))
    if spec.active:
        required = tuple(a for a in required
                         if ledger.closing([a], year) or ledger.movement([a], year))
    if not required:
        return None
    done: dict[str, NoteRow] = {}
    checks: list[TableCheck] = []
    for row in spec.rows:
        built = (sum_row(spec, row, year, done) if row.formula is not None
                 else item_row(spec, row, ledger, year, taken))
        if row.optional and not any(built.values.values()):
            continue
        if spec.identities and row.formula is not None:
            terms = tuple((s, k) for s, k in row.terms_in(year) if k in done)
            checks.append(TableCheck("rows", built.key, terms))
        done[built.key] = built
    columns = tuple(Column(c.key, c.label) for c in spec.columns)
    return NoteTable(caption=spec.caption, columns=columns, rows=tuple(done.values()),
                     unit=spec.unit, checks=tuple(checks))


def _identities(spec: TableLayout, year: int, done: dict[str, NoteRow]) -> list[TableCheck]:
    """The identities a figures table satisfies: each row's ``identity`` (and, with
    ``identities``, each sum row), then each sum column over the amount rows."""
    checks: list[TableCheck] = []
    for row in spec.rows:
        key = fill(row.key, year)
        if row.identity is not None:
            checks.append(TableCheck("rows", key, row.identity_in(year)))
        elif spec.identities and row.formula is not None and key in done:
            checks.append(TableCheck("rows", key, row.terms_in(year)))
    if spec.identities:
        amounts = tuple(fill(r.key, year) for r in spec.rows if not r.text)
        checks.extend(TableCheck("columns", c.key, c.terms, only=amounts)
                      for c in spec.columns if c.formula is not None)
    return checks


def figures_table(table: LayoutTable, figures: Figures, year: int) -> NoteTable:
    """A table of a builder's figures, placed by name as the layout says.

    Raises:
        NoteLayoutError: a row names a figure the builder does not give (at the row's line).
    """
    spec = table.layout
    done: dict[str, NoteRow] = {}
    for row in spec.rows:
        label = fill(row.label, year)
        name = row.figure or row.key
        declared = any(name in c.texts for c in spec.columns)
        given = figures.texts if row.text else figures.values
        if row.formula is None and name not in given and not (row.text and declared):
            known = ", ".join((*figures.values, *figures.texts))
            raise NoteLayoutError(f"{row.where}: row {row.key!r}: the note's builder gives no "
                                  f"figure {name!r} (figures: {known})")
        if row.formula is not None:
            built = sum_row(spec, row, year, done)
        elif row.text:
            texts = {c.key: t for c in spec.columns
                     if (t := c.texts.get(name) or figures.texts.get(name, {}).get(c.key))}
            built = NoteRow(fill(row.key, year), label, {}, row.kind, text_values=texts)
        else:
            values: dict[str, Decimal | None] = {
                c.key: figures.values[name].get(c.key) for c in spec.columns if c.formula is None}
            drills = {c.key: d for c in spec.columns
                      if (d := figures.drills.get(name, {}).get(c.key)) is not None}
            _columns_of(values, drills, spec, label)
            built = NoteRow(fill(row.key, year), label, values, row.kind, drill=drills)
        if row.optional and not any(built.values.values()) and not built.text_values:
            continue
        done[built.key] = built
    columns = tuple(Column(c.key, c.label) for c in spec.columns)
    return NoteTable(caption=spec.caption, columns=columns, rows=tuple(done.values()),
                     unit=spec.unit, checks=tuple(_identities(spec, year, done)))
