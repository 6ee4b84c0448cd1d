"""Building blocks of the note tables: tables from accounts or from declared data (shaped by the
notes layout), the statement lines they tie to, and the check that a printed sum adds up after
rounding.

Every amount is exact; the renderers round each line to whole kroner. A printed sum may then
differ by a krone from its printed parts (the published note 5 and note 13 for 2023 do), which
:func:`rounding_tieouts` reports as a warning instead of adjusting any figure.
"""

from __future__ import annotations

from decimal import Decimal

from nhnfin.accounts import account_number
from nhnfin.drill import combine
from nhnfin.drill import declared
from nhnfin.drill import rounded
from nhnfin.layout import Layout
from nhnfin.layout import LineSpec
from nhnfin.ledger import Ledger
from nhnfin.mapping import resolve_layout
from nhnfin.model import Column
from nhnfin.model import Drill
from nhnfin.model import NoteRow
from nhnfin.model import NoteTable
from nhnfin.model import Statement
from nhnfin.model import Status
from nhnfin.model import TieOut
from nhnfin.money import KRONE
from nhnfin.money import ZERO
from nhnfin.money import round_krone
from nhnfin.notes.note_accounts import Resolution
from nhnfin.notes.note_data import VALUE
from nhnfin.notes.note_data import NoteData
from nhnfin.notes.specs import NOK
from nhnfin.notes.specs import AccountTable
from nhnfin.notes.specs import DataTable
from nhnfin.notes.specs import RowSpec
from nhnfin.notes.specs import Terms
from nhnfin.statements import build_statement
from nhnfin.statements import drill as line_drill
from nhnfin.statements import item_amount

TOTAL = "total"
def accounts_in(ledger: Ledger, *ranges: tuple[int, int]) -> tuple[str, ...]:
    """The ledger's accounts whose NS 4102 number lies in one of the inclusive ``ranges``."""
    return tuple(
        account
        for account in ledger.accounts()
        if (n := account_number(account)) is not None and any(lo <= n <= hi for lo, hi in ranges)
    )


def year_columns(year: int) -> tuple[Column, Column]:
    """The fiscal year and the prior year as columns ("2024", "2023")."""
    return Column(str(year), str(year)), Column(str(year - 1), str(year - 1))


def layout_of(ledger: Ledger) -> Layout | None:
    """The layout the ledger asks for; None when it is invalid (reported by the mapping check)."""
    layout, _ = ledger.derived(resolve_layout)
    return layout


def statement(ledger: Ledger, layout: Layout | None, key: str, year: int) -> Statement | None:
    """Statement ``key`` for ``year`` and the prior year, as the report computes it."""
    if layout is None:
        return None
    try:
        spec = layout.statement(key)
    except KeyError:
        return None
    return build_statement(spec, ledger, (year, year - 1))


def line_amount(figures: Statement | None, key: str, year: int) -> Decimal | None:
    """The amount of line ``key`` in ``year``; None when the layout has no such line."""
    if figures is None:
        return None
    try:
        return figures.row(key).amounts.get(str(year))
    except KeyError:
        return None


def item_line(layout: Layout | None, statement_key: str, line_key: str) -> LineSpec | None:
    """The item line ``line_key`` of a statement (its measure and sign), if the layout has it."""
    if layout is None:
        return None
    try:
        lines = layout.statement(statement_key).lines
    except KeyError:
        return None
    return next((x for x in lines if x.key == line_key and x.formula is None), None)


def summed(values: list[Decimal | None]) -> Decimal | None:
    """The sum of the values given; None when none is."""
    given = [v for v in values if v is not None]
    return sum(given, ZERO) if given else None


def signed_sum(terms: Terms, values: dict[str, Decimal | None]) -> Decimal | None:
    """``Σ sign × value`` of the terms that have a value; None when none has."""
    return summed([sign * v for sign, key in terms if (v := values[key]) is not None])


def sum_row(row: RowSpec, computed: dict[str, NoteRow], columns: tuple[Column, ...],
            unit: str | None = None) -> NoteRow:
    """A row that sums rows above it (``row.terms``), with the drill of its parts."""
    values: dict[str, Decimal | None] = {}
    drills: dict[str, Drill] = {}
    for column in columns:
        values[column.key] = signed_sum(
            row.terms, {k: computed[k].values[column.key] for _, k in row.terms})
        trail = combine(((s, computed[k].drill.get(column.key)) for s, k in row.terms
                         if computed[k].values[column.key] is not None), row.label)
        if trail is not None and values[column.key] is not None:
            drills[column.key] = trail
    return NoteRow(row.key, row.label, values, row.kind, unit=unit, drill=drills)


def account_table(
    spec: AccountTable, ledger: Ledger, resolution: Resolution, line: LineSpec, year: int
) -> NoteTable:
    """A table whose rows are the accounts mapped to them, measured as the statement line is
    (closing balance or movement, with its sign), the fiscal year beside the prior year; sum
    rows add up the rows their formula names."""
    columns = year_columns(year)
    computed: dict[str, NoteRow] = {}
    for row in spec.rows:
        if row.terms:
            computed[row.key] = sum_row(row, computed, columns)
            continue
        accounts = resolution.accounts(spec.ident, row.key)
        values: dict[str, Decimal | None] = {
            c.key: item_amount(line, ledger, accounts, int(c.key)) for c in columns
        }
        drill = {c.key: line_drill(line, accounts, int(c.key)) for c in columns}
        computed[row.key] = NoteRow(row.key, row.label, values, row.kind, drill=drill)
    return NoteTable(caption=spec.caption, columns=columns, rows=tuple(computed.values()))


def _year_row(
    spec: DataTable, row: RowSpec, data: NoteData, year: int
) -> tuple[str, Decimal | None, Drill | None]:
    fact = data.fact(spec.note, spec.key, row.key, year)
    if fact is None:
        return "", None, None
    value = fact.values.get(VALUE)
    what = f"Oppgitt: {fact.label or row.label} {year}"
    trail = declared([(fact.meta, VALUE)], what) if value is not None else None
    return fact.label or "", value, trail


def by_year_table(spec: DataTable, data: NoteData, year: int) -> NoteTable | None:
    """A declared table with the years as columns; sum rows add up the rows their formula
    names. None when nothing is declared for either year."""
    columns = year_columns(year)
    if not any(data.rows(spec.note, spec.key, int(c.key)) for c in columns):
        return None
    computed: dict[str, NoteRow] = {}
    for row in spec.rows:
        unit = row.unit if row.unit != spec.unit else None
        if row.terms:
            computed[row.key] = sum_row(row, computed, columns, unit)
            continue
        labels = []
        values: dict[str, Decimal | None] = {}
        drills: dict[str, Drill] = {}
        for column in columns:
            label, values[column.key], trail = _year_row(spec, row, data, int(column.key))
            labels.append(label)
            if trail is not None and values[column.key] is not None:
                drills[column.key] = trail
        label = next((x for x in labels if x), row.label)
        computed[row.key] = NoteRow(row.key, label, values, row.kind, unit=unit, drill=drills)
    return NoteTable(caption=spec.caption, columns=columns, rows=tuple(computed.values()),
                     unit=spec.unit)


def person_table(spec: DataTable, data: NoteData, year: int) -> NoteTable | None:
    """A declared table of persons for ``year`` (computed columns summed); None when empty."""
    facts = data.rows(spec.note, spec.key, year)
    if not facts:
        return None
    rows: list[NoteRow] = []
    for fact in facts:
        values: dict[str, Decimal | None] = {c.key: fact.values.get(c.key) for c in spec.columns}
        name = fact.label or fact.row
        drills = {c.key: declared([(fact.meta, c.key)], f"Oppgitt: {name}, {c.label}")
                  for c in spec.columns if values[c.key] is not None}
        for key, terms in spec.computed:
            values[key] = signed_sum(terms, values)
            given = [p for _, p in terms if values[p] is not None]
            if given:
                drills[key] = declared([(fact.meta, p) for p in given], f"Sum oppgitt: {name}")
        text = {c.key: fact.texts[c.key] for c in spec.text_columns if c.key in fact.texts}
        rows.append(NoteRow(fact.row, fact.label or fact.row, values, text_values=text,
                            drill=drills))
    return NoteTable(
        caption=spec.caption,
        columns=spec.columns,
        rows=tuple(rows),
        text_columns=spec.text_columns,
    )


def data_table(spec: DataTable, data: NoteData, year: int) -> NoteTable | None:
    """The declared table ``spec`` for ``year``, if anything is declared for it."""
    return by_year_table(spec, data, year) if spec.by_year else person_table(spec, data, year)


def in_kroner(drill: Drill | None) -> Drill | None:
    """What makes a figure rounded to whole kroner (half up, as :func:`round_krone`): the
    figure's drill, rounded (:func:`nhnfin.drill.rounded`)."""
    return None if drill is None else rounded(drill, KRONE)


def rounding_tieouts(
    check_id: str, table: NoteTable, total: str, parts: Terms
) -> tuple[TieOut, ...]:
    """Whether the sum row ``total``, rounded to kroner, equals the signed sum of its rounded
    parts in each column (a warning when not: the printed lines then differ by the rounding).
    The rounded sum links to the sum's own drill rounded, the sum of the rounded lines to each
    line's drill rounded (:func:`in_kroner`), so both sides are followed to their postings or
    directives."""
    checks = []
    for column in table.columns:
        shown = table.row(total).values.get(column.key)
        lines = [(s, table.row(p).values.get(column.key), table.row(p).drill.get(column.key))
                 for s, p in parts]
        if shown is None or (table.row(total).unit or table.unit) != NOK:
            continue
        printed = sum((s * round_krone(v) for s, v, _ in lines if v is not None), ZERO)
        printed_drill = combine([(s, in_kroner(d)) for s, v, d in lines if v is not None],
                                "Sum av linjene avrundet til hele kroner")
        status = Status.PASSED if round_krone(shown) == printed else Status.WARNING
        checks.append(
            TieOut(
                f"{check_id}.{column.key}",
                f"{table.caption}, {table.row(total).label} {column.label}: den avrundede "
                "summen er lik summen av de avrundede linjene",
                round_krone(shown),
                printed,
                status,
                detail="" if status is Status.PASSED else (
                    "hver linje rundes av til hele kroner for seg, så de trykte linjene summerer "
                    "ikke til den trykte summen; de eksakte tallene gjør det"
                ),
                left_drill=in_kroner(table.row(total).drill.get(column.key)),
                right_drill=printed_drill,
            )
        )
    return tuple(checks)
