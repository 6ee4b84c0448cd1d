"""Ledger tables of the notes layout (``source = "ledger"``): roll-forwards of accounts.

Each column takes accounts by NS 4102 number, or sums columns before it; each item row is a
measure of the column's accounts (of those the row names too, if it names any):

* ``closing`` / ``closing_prior``: the balance at the end of the fiscal or the prior year;
* ``movement``: the year's postings;
* ``debit`` / ``credit``: the year's debits or credits;
* ``opening_balance``: the postings of the books' opening balance, in its year (the balances the
  books start from, which are no movement, debit or credit of that year);
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
from collections.abc import Sequence
from decimal import Decimal

from nhnfin.accounts import account_number
from nhnfin.drill import combine
from nhnfin.drill import not_in_transactions
from nhnfin.drill import postings
from nhnfin.layout import NumberRange
from nhnfin.layout import parse_formula
from nhnfin.ledger import Ledger
from nhnfin.ledger import year_bounds
from nhnfin.model import Column
from nhnfin.model import Drill
from nhnfin.model import Kind
from nhnfin.model import NoteRow
from nhnfin.model import NoteTable
from nhnfin.model import TableCheck
from nhnfin.money import ZERO
from nhnfin.notes import Figures
from nhnfin.notes import Group
from nhnfin.notes.flows import brought_in_drill
from nhnfin.notes.flows import flows
from nhnfin.notes.flows import side_drill
from nhnfin.notes.flows import year_flows
from nhnfin.notes.layout import GROUPS
from nhnfin.notes.layout import ColumnLayout
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
    """``sign`` × the ``measure`` of ``accounts`` in ``year``, and the postings behind it. The
    books' opening balance (:func:`nhnfin.notes.flows.year_flows`), when dated in the year, is
    its own measure (``opening_balance``: the balances the books start from) and no movement,
    debit or credit of the year."""
    start, end = year_bounds(year)
    if measure in ("closing", "closing_prior"):
        last = year if measure == "closing" else year - 1
        amount = ledger.closing(accounts, last)
        trail = postings(accounts, None, year_bounds(last)[1], sign=sign)
    elif measure in ("movement", "opening_balance"):
        _, own, opening = year_flows(ledger, accounts, year)
        brought = own.debit(accounts, year) + own.credit(accounts, year)
        if measure == "opening_balance":
            amount, trail = brought, brought_in_drill(accounts, year, opening, sign=sign)
        else:
            amount = ledger.movement(accounts, year) - brought
            trail = postings(accounts, start, end, sign=sign,
                             condition=not_in_transactions(opening) if opening else "",
                             condition_text="uten inngående balanse" if opening else "")
    else:
        side = measure.removesuffix("_before")
        moved = flows(ledger, accounts)
        if measure.endswith("_before"):
            amount = (moved.debit_until if side == "debit" else moved.credit_until)(
                accounts, year - 1)
            trail = side_drill(accounts, year, side, sign=sign, period="before")
        else:
            _, own, opening = year_flows(ledger, accounts, year)
            amount = (moved.debit(accounts, year) - own.debit(accounts, year) if side == "debit"
                      else moved.credit(accounts, year) - own.credit(accounts, year))
            trail = side_drill(accounts, year, side, sign=sign, without=opening)
    value = sign * amount
    return (value if value else ZERO), trail


def columns_in(spec: TableLayout, year: int) -> tuple[ColumnLayout, ...]:
    """The table's columns for fiscal year ``year`` (keys, labels and formulas filled in)."""
    return tuple(c.filled(year) for c in spec.columns)


def _columns_of(row_values: dict[str, Decimal | None], row_drills: dict[str, Drill],
                columns: tuple[ColumnLayout, ...], label: str) -> None:
    """Fill in the sum columns of one row from the columns before them."""
    for column in columns:
        if column.formula is None:
            continue
        terms = tuple((s, k) for s, k in column.terms if k in row_values)
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
    columns = columns_in(spec, year)
    for column in columns:
        if column.formula is not None:
            continue
        accounts = tuple(a for a in taken[column.key] if only is None or a in only)
        assert row.measure is not None  # checked by the layout
        values[column.key], drills[column.key] = measured(ledger, accounts, row.measure, year,
                                                          spec.sign)
    _columns_of(values, drills, columns, label)
    return NoteRow(fill(row.key, year), label, values, row.kind, drill=drills)


def sum_row(spec: TableLayout, row: RowLayout, year: int, done: dict[str, NoteRow],
            groups: Sequence[str] = (), columns: tuple[ColumnLayout, ...] | None = None
            ) -> NoteRow:
    """A row summing rows above it (an optional row left out counts as nothing; in a groups
    table, the term ``groups`` is every group's row, the keys ``groups``)."""
    label = fill(row.label, year)
    terms = [(s, done[g]) for s, k in row.terms_in(year)
             for g in (groups if k == GROUPS and spec.source == "groups" else (k,)) if g in done]
    values: dict[str, Decimal | None] = {}
    drills: dict[str, Drill] = {}
    for column in columns if columns is not None else columns_in(spec, year):
        total = sum((s * v for s, r in terms if (v := r.values.get(column.key)) is not None),
                    ZERO)
        # a groups table's sums keep the figures' exponent (0.00), as the rule's own sums do
        values[column.key] = total if total or spec.source == "groups" else ZERO
        trail = combine(((s, r.drill.get(column.key)) for s, r in terms), label)
        if trail is not None:
            drills[column.key] = trail
    return NoteRow(fill(row.key, year), label, values, row.kind, drill=drills)


def required_accounts(spec: TableLayout, ledger: Ledger) -> tuple[str, ...]:
    """The ledger's accounts numbered in the table's ``requires`` (by default: in its columns'
    accounts); a table is left out of a ledger without any."""
    ranges = spec.requires or tuple(r for c in spec.columns for r in c.accounts)
    return accounts_in(ledger, ranges)


def shown_in(spec: TableLayout, ledger: Ledger) -> bool:
    """Whether a figures table shows in this ledger: it names no accounts (``requires`` or its
    columns'), or the ledger has one of them."""
    if not spec.requires and not any(c.accounts for c in spec.columns):
        return True
    return bool(required_accounts(spec, ledger))


def _active(ledger: Ledger, account: str, year: int) -> bool:
    """Whether ``account`` has a balance at the year's end or postings in the year: postings
    that net to zero count (round twelve's probe: a transfer added and disposed of in one year
    left note 4 out while the income statement cited it for 1 200 000)."""
    if ledger.closing([account], year):
        return True
    moved = flows(ledger, [account])
    return bool(moved.debit([account], year) or moved.credit([account], year))


def ledger_table(table: LayoutTable, ledger: Ledger, year: int) -> NoteTable | None:
    """The roll-forward for ``year``; None when the ledger has no account the table requires
    (by default: none of the columns' accounts)."""
    spec = table.layout
    taken = {c.key: accounts_in(ledger, c.accounts) for c in columns_in(spec, year)
             if c.formula is None}
    required = required_accounts(spec, ledger)
    if spec.active:
        required = tuple(a for a in required if _active(ledger, a, year))
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
    columns = tuple(Column(c.key, c.label) for c in columns_in(spec, year))
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
            checks.append(TableCheck("rows", key, tuple((s, k) for s, k in row.terms_in(year)
                                                         if k in done)))
    if spec.identities:
        amounts = tuple(fill(r.key, year) for r in spec.rows if not r.text)
        checks.extend(TableCheck("columns", c.key, c.terms, only=amounts)
                      for c in columns_in(spec, year) if c.formula is not None)
    return checks


def figures_table(table: LayoutTable, figures: Figures, year: int) -> NoteTable:
    """A table of a builder's figures, placed by name as the layout says.

    Raises:
        NoteLayoutError: a row names a figure the builder does not give (at the row's line).
    """
    spec = table.layout
    columns = columns_in(spec, year)
    done: dict[str, NoteRow] = {}
    for row in spec.rows:
        label = fill(row.label, year)
        name = row.figure or row.key
        declared = any(name in c.texts for c in spec.columns)
        given = figures.texts if row.text else figures.values
        if row.formula is None and name not in given and not (row.text and declared):
            known = ", ".join((*figures.values, *figures.texts))
            raise NoteLayoutError(f"{row.where}: raden {row.key!r}: notens bygger gir ikke "
                                  f"tallet {name!r} (tall: {known})")
        if row.formula is not None:
            built = sum_row(spec, row, year, done)
        elif row.text:
            texts = {c.key: t for c in columns if (t := c.texts.get(name) or figures.texts.get(
                name, {}).get(c.figure or c.key))}
            built = NoteRow(fill(row.key, year), label, {}, row.kind, text_values=texts)
        else:
            values: dict[str, Decimal | None] = {
                c.key: figures.values[name].get(c.figure or c.key) for c in columns
                if c.formula is None}
            drills = {c.key: d for c in columns
                      if (d := figures.drills.get(name, {}).get(c.figure or c.key)) is not None}
            _columns_of(values, drills, columns, label)
            built = NoteRow(fill(row.key, year), label, values, row.kind, drill=drills)
        if row.optional and not any(built.values.values()) and not built.text_values:
            continue
        done[built.key] = built
    return NoteTable(caption=spec.caption, columns=tuple(Column(c.key, c.label) for c in columns),
                     rows=tuple(done.values()), unit=spec.unit,
                     checks=tuple(_identities(spec, year, done)))


def _shown_columns(spec: TableLayout, groups: Sequence[Group], year: int
                   ) -> tuple[ColumnLayout, ...]:
    """The columns of a groups table for ``year``: an optional column only when a group has an
    amount in it.

    Raises:
        NoteLayoutError: a column names a figure the builder does not give (at its line).
    """
    shown: list[ColumnLayout] = []
    for column in columns_in(spec, year):
        name = column.figure
        if name is not None and groups and any(name not in g.values for g in groups):
            known = ", ".join(dict.fromkeys(f for g in groups for f in g.values))
            raise NoteLayoutError(f"{column.where}: kolonnen {column.key!r}: notens bygger gir "
                                  f"ikke tallet {name!r} (tall: {known})")
        if column.optional and not any(g.values.get(name or "") for g in groups):
            continue
        shown.append(column)
    return tuple(shown)


def group_row(key: str, label: str, kind: Kind, group: Group,
              columns: tuple[ColumnLayout, ...]) -> NoteRow:
    """One group's row: each column's figure of the group, and the sum columns."""
    values: dict[str, Decimal | None] = {c.key: group.values[c.figure] for c in columns
                                         if c.figure is not None}
    drills = {c.key: d for c in columns
              if c.figure is not None and (d := group.drills.get(c.figure)) is not None}
    _columns_of(values, drills, columns, label)
    return NoteRow(key, label, values, kind, drill=drills)


def groups_table(table: LayoutTable, groups: Sequence[Group], year: int) -> NoteTable:
    """One row per group the builder gives (or the groups the layout's rows name), then the
    layout's sums, with the identities the published table is checked against.

    Raises:
        NoteLayoutError: a column names a figure, or a row a group, the builder does not give
            (at the line of the column or the row).
    """
    spec = table.layout
    columns = _shown_columns(spec, groups, year)
    keys = {c.key for c in columns}
    by_key = {g.key: g for g in groups}
    done: dict[str, NoteRow] = {}
    placed = any(r.group is not None for r in spec.rows)
    if not placed:
        for group in groups:
            done[group.key] = group_row(group.key, group.label, Kind.ITEM, group, columns)
    listed = tuple(done)
    for row in spec.rows:
        if row.group is not None:
            named = by_key.get(row.group)
            if named is None:
                raise NoteLayoutError(f"{row.where}: raden {row.key!r}: notens bygger gir ikke "
                                      f"gruppen {row.group!r} (grupper: {', '.join(by_key)})")
            built = group_row(fill(row.key, year), fill(row.label, year), row.kind, named,
                              columns)
        else:
            built = sum_row(spec, row, year, done, listed, columns)
        done[built.key] = built
    checks: list[TableCheck] = []
    if spec.identities:
        for column in columns:
            given = column.terms if column.formula is not None else (
                parse_formula(column.identity) if column.identity else ())
            terms = tuple((s, k) for s, k in given if k in keys)  # an optional column left out
            if terms:
                checks.append(TableCheck("columns", column.key, terms))
        for row in spec.rows:
            if row.formula is not None:
                checks.append(TableCheck("rows", fill(row.key, year), tuple(
                    (s, g) for s, k in row.terms_in(year)
                    for g in (listed if k == GROUPS else (k,)) if g in done)))
    return NoteTable(caption=spec.caption, columns=tuple(Column(c.key, c.label) for c in columns),
                     rows=tuple(done.values()), unit=spec.unit, checks=tuple(checks))
