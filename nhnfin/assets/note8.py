"""Note 8, Varige driftsmidler og immaterielle eiendeler: both roll-forwards, from the ledger.

Each column of the notes layout's figures tables takes ranges of NS 4102 numbers (``accounts``,
one asset class: ``nhnfin/data/notes_nhn.toml``); within them an account
ending in 9 holds accumulated depreciation, one ending in 8 accumulated impairment, the others
cost (``docs/fixed-assets.md``). For year Y:

* cost / accumulated at 1.1: the balances at the start of Y; book value 1.1 their sum;
* brought in: what the books' opening balance posts, when it is dated in Y (the book value the
  books start from: :func:`nhnfin.notes.flows.year_flows`); none of the movements below;
* additions: debits to cost accounts in Y; disposals: credits to cost accounts and debits to
  the accumulated accounts in Y (the book value taken off);
* depreciation: credits to the NNN9 accounts in Y; impairment: credits to the NNN8 accounts;
* book value 31.12: the balances at the end of Y (= 1.1 + the movements, by construction).

The builder gives these as named figures per column (:class:`nhnfin.notes.Figures`); the notes
layout (``nhnfin/data/notes_nhn.toml``) places them: the rows, their labels, the columns, the
Totalt column and the identities the published tables are checked against. Totals are computed,
so the published errors in the Totalt column (``inconsistencies`` in the reference) are not
copied. Useful life and method are the printed policy per class, the columns' ``texts`` in the
layout; a tie-out warns where the register's lives (:mod:`nhnfin.assets.classes`) fall outside
the printed life of the column holding the class's cost account.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal

from nhnfin.accounts import account_number
from nhnfin.assets.classes import CLASSES
from nhnfin.assets.classes import AssetClass
from nhnfin.assets.directives import AssetSpec
from nhnfin.assets.directives import Register
from nhnfin.assets.register import read_register
from nhnfin.drill import combine
from nhnfin.drill import declared
from nhnfin.drill import total
from nhnfin.ledger import Ledger
from nhnfin.model import Drill
from nhnfin.model import Note
from nhnfin.model import NoteTable
from nhnfin.model import Status
from nhnfin.model import TieOut
from nhnfin.money import ZERO
from nhnfin.notes import Figures
from nhnfin.notes import NoteResult
from nhnfin.notes.flows import balance_drill
from nhnfin.notes.flows import balance_sheet_accounts
from nhnfin.notes.flows import brought_in_drill
from nhnfin.notes.flows import drill as movement_drill
from nhnfin.notes.flows import select
from nhnfin.notes.flows import side_drill
from nhnfin.notes.flows import year_flows
from nhnfin.notes.layout import ColumnLayout
from nhnfin.notes.layout import NoteLayoutError
from nhnfin.notes.layout import TableLayout
from nhnfin.notes.layout import load_notes_layout
from nhnfin.notes.ledger_tables import accounts_in
from nhnfin.tieouts import compare

# The keys of a life check's drills (:func:`life_value`): an asset's life in months at its
# directive, and the bounds of the printed life at its column's line in the notes layout.
LIFE, LOW, HIGH = "life_months", "useful_life:low", "useful_life:high"
LIFE_KEYS = (LIFE, LOW, HIGH)


def split_accounts(ledger: Ledger, column: ColumnLayout
                   ) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """A column's accounts (the layout's ranges): all, cost, accumulated depreciation (NNN9),
    impairment (NNN8)."""
    accounts = accounts_in(ledger, column.accounts)
    accumulated = tuple(a for a in accounts if a.split(":")[1][3] == "9")
    impairment = tuple(a for a in accounts if a.split(":")[1][3] == "8")
    cost = tuple(a for a in accounts if a not in accumulated + impairment)
    return accounts, cost, accumulated, impairment


def roll_forward_drills(ledger: Ledger, column: ColumnLayout, year: int) -> dict[str, Drill]:
    """The postings behind each of :func:`roll_forward`'s figures, selected as it sums them."""
    accounts, cost, accumulated, impairment = split_accounts(ledger, column)
    opening = year_flows(ledger, accounts, year)[2]
    written = accumulated + impairment

    def side(chosen: tuple[str, ...], which: str) -> Drill:
        return side_drill(chosen, year, which, without=opening)

    result = {
        "cost": balance_drill(cost, year, opening=True),
        "accumulated": balance_drill(written, year, opening=True),
        "brought_in": brought_in_drill(accounts, year, opening),
        "additions": side(cost, "debit"),
        "disposals": total(((1, side(cost, "credit")), (1, side(written, "debit"))),
                           "Årets avgang"),
        "depreciation": side(accumulated, "credit"),
        "impairment": side(impairment, "credit"),
        "closing": balance_drill(accounts, year, opening=False),
    }
    result["opening"] = total(((1, result["cost"]), (1, result["accumulated"])),
                              "Bokført verdi 1.1")
    return result


def roll_forward(ledger: Ledger, column: ColumnLayout, year: int) -> dict[str, Decimal]:
    """One column's figures for ``year``; the books' opening balance, when dated in the year,
    is brought in (``brought_in``: the book value it posts), not added, disposed of or
    written down in it."""
    accounts, cost, accumulated, impairment = split_accounts(ledger, column)
    moved, own, _ = year_flows(ledger, accounts, year)
    written = accumulated + impairment

    def debit(chosen: tuple[str, ...]) -> Decimal:
        return moved.debit(chosen, year) - own.debit(chosen, year)

    def credit(chosen: tuple[str, ...]) -> Decimal:
        return moved.credit(chosen, year) - own.credit(chosen, year)

    figures = {
        "cost": ledger.opening(cost, year),
        "accumulated": ledger.opening(written, year),
        "brought_in": own.debit(accounts, year) + own.credit(accounts, year),
        "additions": debit(cost),
        "disposals": credit(cost) + debit(written),
        "depreciation": credit(accumulated),
        "impairment": credit(impairment),
        "closing": ledger.closing(accounts, year),
    }
    figures["opening"] = figures["cost"] + figures["accumulated"]
    return {name: value or ZERO for name, value in figures.items()}  # no "0.00" for nothing


def measured_columns(table: TableLayout) -> tuple[ColumnLayout, ...]:
    """The columns of a figures table the builder measures (all but the sums).

    Raises:
        NoteLayoutError: a column takes no accounts (at the column's line).
    """
    for column in table.columns:
        if column.formula is None and not column.accounts:
            raise NoteLayoutError(f"{column.where}: tabellen {table.key!r}: kolonnen "
                                  f"{column.key!r} tar kontoer (eiendelsklassens NS 4102-"
                                  'intervaller: accounts = ["1100-1249"]) eller summerer '
                                  "kolonner (formula)")
    return tuple(c for c in table.columns if c.formula is None)


def figures(ledger: Ledger, columns: tuple[ColumnLayout, ...], year: int) -> Figures:
    """The figures of one table, by figure and column: the roll-forward of each column's
    accounts (cost and accumulated at 1.1, book value 1.1, additions, disposals, depreciation,
    impairment, book value 31.12). The printed useful life and method are the columns' texts in
    the layout; a column that states no life prints its registered assets'
    (:func:`registered_life`)."""
    by_column = {c.key: roll_forward(ledger, c, year) for c in columns}
    trails = {c.key: roll_forward_drills(ledger, c, year) for c in columns}
    names = ("cost", "accumulated", "brought_in", "additions", "disposals", "depreciation",
             "impairment", "closing", "opening")
    return Figures(
        values={n: {c: f[n] for c, f in by_column.items()} for n in names},
        drills={n: {c: d[n] for c, d in trails.items()} for n in names},
        texts={"useful_life": {c.key: life for c in columns
                               if (life := registered_life(ledger, c, year)) is not None},
               "depreciation_method": {c.key: method for c in columns if (
                   method := registered_method(ledger, c, year)) is not None}},
    )


def figures_tables(ledger: Ledger) -> tuple[TableLayout, ...]:
    """The figures tables of the note the layout gives the fixed-asset builder."""
    note = ledger.derived(load_notes_layout).by_builder("fixed_assets")
    return tuple(t for t in note.tables if t.source == "figures") if note is not None else ()


def printed_class(ledger: Ledger, cls: AssetClass) -> ColumnLayout | None:
    """The column of note 8 whose accounts hold the class's cost account (None if none)."""
    number = account_number(cls.cost)
    for table in figures_tables(ledger):
        for column in table.columns:
            if number is not None and any(number in r for r in column.accounts):
                return column
    return None


def printed_months(text: str) -> tuple[int, int] | None:
    """The printed life ("3-7 år", "10 år") in months; None for "Evig"."""
    years = text.removesuffix(" år").split("-")
    if not all(y.isdigit() for y in years):
        return None
    return int(years[0]) * 12, int(years[-1]) * 12


def _life(register: Register, spec: AssetSpec) -> int:
    """An asset's life in months: its explicit schedule's span, else its directive's months or
    its class's default (0 for a class never depreciated)."""
    lines = register.schedules.get(spec.id, [])
    if lines:
        last = max(line.months[1] for line in lines)
        first = spec.start.year * 12 + spec.start.month
        return last.year * 12 + last.month - first + 1
    return spec.months or spec.cls.default_months


def declared_lives(ledger: Ledger, key: str) -> dict[str, int]:
    """Asset id -> life in months (an explicit schedule's span) for the register's ``key`` class."""
    register = ledger.derived(read_register)
    return {spec.id: _life(register, spec) for spec in register.specs.values()
            if spec.asset_class == key}


def life_text(months: list[int]) -> str | None:
    """The printed life of assets with these lives: "5 år", "3-7 år", "30-60 måneder" (whole
    years when both ends are), "Ubegrenset" for assets never depreciated; None for none."""
    lives = sorted({m for m in months if m > 0})
    parts = []
    if lives:
        low, high = lives[0], lives[-1]
        years = low % 12 == 0 and high % 12 == 0
        unit, low, high = ("år", low // 12, high // 12) if years else ("måneder", low, high)
        parts.append(f"{low} {unit}" if low == high else f"{low}-{high} {unit}")
    if any(m == 0 for m in months):
        parts.append("ubegrenset")
    return ", ".join(parts).capitalize() if parts else None


def registered_life(ledger: Ledger, column: ColumnLayout, year: int) -> str | None:
    """The life note 8 prints in ``column`` when the layout states none (``texts``): that of the
    registered assets ready by the end of ``year`` whose cost account is in the column's
    ranges (:func:`life_text`); None when there are none."""
    return life_text(registered_months(ledger, column, year))


def registered_assets(ledger: Ledger, column: ColumnLayout, year: int
                      ) -> list[tuple[int, bool]]:
    """The life in months (0: never depreciated) of each registered asset ready by the end of
    ``year`` whose cost account is in the column's ranges, and whether it is depreciated by an
    explicit plan (``nhnfin-schedule`` lines) rather than straight-line over ``months``."""
    register = ledger.derived(read_register)
    end = datetime.date(year, 12, 31)
    return [(_life(register, spec), bool(register.schedules.get(spec.id)))
            for spec in register.specs.values()
            if spec.start <= end and (number := account_number(spec.cost_account)) is not None
            and any(number in r for r in column.accounts)]


def registered_months(ledger: Ledger, column: ColumnLayout, year: int) -> list[int]:
    """The lives in months (0: never depreciated) of the registered assets ready by the end of
    ``year`` whose cost account is in the column's ranges."""
    return [months for months, _ in registered_assets(ledger, column, year)]


STRAIGHT_LINE = "Lineær"
BY_PLAN = "Etter avskrivningsplan"
BOTH = "Lineær, etter avskrivningsplan"


def method_text(plans: list[bool]) -> str | None:
    """The printed method of depreciated assets, each True when it follows an explicit plan:
    "Lineær" (all over ``months``), "Etter avskrivningsplan" (all by plan), "Lineær, etter
    avskrivningsplan" (both); None for none."""
    if not plans:
        return None
    if all(plans):
        return BY_PLAN
    return BOTH if any(plans) else STRAIGHT_LINE


def registered_method(ledger: Ledger, column: ColumnLayout, year: int) -> str | None:
    """The method note 8 prints in ``column`` when the layout states none, from the column's
    registered depreciated assets (:func:`method_text`): nhnfin writes off straight-line over
    ``months``, or by an explicit plan's amounts; None for a column with no depreciated asset
    (none registered, or art only), so it prints blank."""
    return method_text([plan for months, plan in registered_assets(ledger, column, year)
                        if months > 0])


def life_compared(lives: list[int], bounds: tuple[int, int]) -> tuple[int, int]:
    """The two sides of a life check, in months: the registered life furthest outside the
    printed range and the bound it passes; with every life inside, the longest one and the upper
    bound (so the check shows the lives as registered, not the printed range twice)."""
    low, high = bounds

    def beyond(months: int) -> int:
        return max(low - months, months - high, 0)

    worst = max(lives, key=lambda m: (beyond(m), m))
    return worst, (low if worst < low else high)


def life_drill(register: Register, spec: AssetSpec, months: int) -> Drill:
    """What makes an asset's life in a life check: its directive, and how the register reads
    the life there (its ``months:``, the span of its ``nhnfin-schedule`` lines, or its class's
    default)."""
    lines = register.schedules.get(spec.id, [])
    if lines:
        counted = "1 linje" if len(lines) == 1 else f"{len(lines)} linjer"
        how = f"fra start {spec.start:%m.%Y} til og med siste nhnfin-schedule-linje ({counted})"
    elif spec.months:
        how = "months: på direktivet"
    else:
        how = "klassens standard levetid (direktivet oppgir ingen months:)"
    return declared(((spec.meta, LIFE),),
                    f"Levetiden til {spec.id}, {months} måneder ({how})")


def printed_drill(column: ColumnLayout, printed: str, bound: str) -> Drill:
    """What makes the printed bound of a life check: the column's life in the notes layout."""
    file, _, line = column.where.rpartition(":")
    meta = {"filename": file, "lineno": int(line) if line.isdigit() else 0}
    which = "nedre" if bound == LOW else "øvre"
    return declared(((meta, bound),),
                    f"Trykt levetid «{printed}» for {column.label.lower()} i notefilen, "
                    f"{which} grense i måneder")


def life_value(ledger: Ledger, file: str, line: int, key: str) -> Decimal | None:
    """The value a life check's drill names at ``file:line`` under ``key`` (one of
    :data:`LIFE_KEYS`): the life in months the register reads for the asset declared there, or
    the lower or upper bound in months of the life printed in the note 8 column at that line of
    the notes layout; None when there is none there."""
    if key == LIFE:
        register = ledger.derived(read_register)
        for spec in register.specs.values():
            if (str(spec.meta.get("filename")), int(spec.meta.get("lineno", 0))) == (file, line):
                return Decimal(_life(register, spec))
        return None
    for table in figures_tables(ledger):
        for column in table.columns:
            printed = column.texts.get("useful_life")
            bounds = printed_months(printed) if printed is not None else None
            if column.where == f"{file}:{line}" and bounds is not None and key in (LOW, HIGH):
                return Decimal(bounds[0] if key == LOW else bounds[1])
    return None


def life_tieouts(ledger: Ledger) -> list[TieOut]:
    """Warn where a registered asset's life lies outside the life note 8 prints for its class
    (the ``useful_life`` text of the column holding the class's cost account). The two sides
    are months: the registered life (:func:`life_compared`) links to the directive of an asset
    with that life, the printed bound to the column's line in the notes layout."""
    register = ledger.derived(read_register)
    checks: list[TieOut] = []
    for key, cls in CLASSES.items():
        lives = declared_lives(ledger, key)
        column = printed_class(ledger, cls)
        printed = column.texts.get("useful_life") if column is not None else None
        bounds = printed_months(printed) if printed is not None else None
        if column is None or printed is None or not lives or bounds is None:
            continue
        outside = {i: m for i, m in lives.items() if not bounds[0] <= m <= bounds[1]}
        detail = ", ".join(f"{i}: {m} måneder" for i, m in sorted(outside.items()))
        description = f"Levetid for {column.label.lower()} innenfor trykt «{printed}»"
        status = Status.WARNING if outside else Status.PASSED
        worst, bound = life_compared(list(lives.values()), bounds)
        asset = min(i for i, m in lives.items() if m == worst)
        drills = (life_drill(register, register.specs[asset], worst),
                  printed_drill(column, printed, LOW if bound == bounds[0] != bounds[1]
                                else HIGH))
        checks.append(
            TieOut(f"n8.useful_life.{key}", description, Decimal(worst), Decimal(bound), status,
                   detail=detail, left_drill=drills[0], right_drill=drills[1])
        )
    return checks


def row_total(tables: tuple[NoteTable, ...], key: str) -> Decimal:
    """The Totalt of row ``key`` summed over the tables that have it."""
    return sum((r.values.get("total") or ZERO for t in tables for r in t.rows if r.key == key),
               ZERO)


def rows_drill(tables: tuple[NoteTable, ...], *keys: str) -> Drill | None:
    """What makes :func:`row_total` of ``keys`` together: the Totalt cells of those rows."""
    return combine([(1, r.drill.get("total")) for t in tables for r in t.rows if r.key in keys],
                   "Sum av notens Totalt")


def tieouts(ledger: Ledger, tables: tuple[NoteTable, NoteTable], year: int) -> tuple[TieOut, ...]:
    """Book values = balance-sheet lines; depreciation and impairment = income-statement lines."""
    tangible, intangible = (row_total((t,), "book_value_at_31_12") for t in tables)
    bs_tangible = balance_sheet_accounts(ledger, "infrastructure_fixtures_and_equipment")
    bs_intangible = select(ledger, lambda n: 1000 <= n <= 1099)
    written_rows = ("depreciation_for_year", "amortisation_for_year")
    written = sum((row_total(tables, k) for k in written_rows), ZERO)
    depreciation_accounts = select(ledger, lambda n: 6000 <= n <= 6049)
    impairment_accounts = select(ledger, lambda n: 6050 <= n <= 6099)
    depreciation = -ledger.movement(depreciation_accounts, year)
    impairment = -ledger.movement(impairment_accounts, year)
    closing = "book_value_at_31_12"
    return (
        compare("n8.t0.book_value_vs_balance_sheet", "Varige driftsmidler 31.12 = balansen",
                tangible, ledger.closing(bs_tangible, year),
                drills=(rows_drill(tables[:1], closing),
                        balance_drill(bs_tangible, year, opening=False))),
        compare("n8.t1.book_value_vs_balance_sheet", "Immaterielle eiendeler 31.12 = balansen",
                intangible, ledger.closing(bs_intangible, year),
                drills=(rows_drill(tables[1:], closing),
                        balance_drill(bs_intangible, year, opening=False))),
        compare("n8.depreciation_vs_income_statement",
                "Årets avskrivninger = minus Avskrivninger", written, depreciation,
                drills=(rows_drill(tables, *written_rows),
                        movement_drill(depreciation_accounts, year, sign=-1))),
        compare("n8.impairment_vs_income_statement", "Årets nedskrivinger = minus Nedskriving",
                row_total(tables, "impairment_for_year"), impairment,
                drills=(rows_drill(tables, "impairment_for_year"),
                        movement_drill(impairment_accounts, year, sign=-1))),
        *life_tieouts(ledger),
    )  # fmt: skip


EMPTY = NoteTable(caption="", columns=(), rows=())


def checks(
    ledger: Ledger, year: int, table: NoteTable, tables: Mapping[str, NoteTable]
) -> tuple[TieOut, ...]:
    """The check on the layout's table "intangible" (``checks = "fixed_assets"``): both tables'
    book values against the balance sheet, the year's depreciation and impairment against the
    income statement, the register's lives against the printed ones."""
    return tieouts(ledger, (tables.get("tangible", EMPTY), tables.get("intangible", EMPTY)), year)


def build(ledger: Ledger, year: int) -> NoteResult | None:
    """Note 8's figures for ``year``, for each figures table of its note in the layout (by
    default "tangible" and "intangible"), per column of accounts. Whether a table shows is the
    layout's (``requires``: NHN's tables show when the ledger has an account 1000-1299).

    Raises:
        NoteLayoutError: a column of a figures table takes no accounts.
    """
    note = Note(number="8", title="Varige driftsmidler og immaterielle eiendeler", tables=())
    return NoteResult(note=note, figures={t.key: figures(ledger, measured_columns(t), year)
                                          for t in figures_tables(ledger)})
