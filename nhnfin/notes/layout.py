"""The notes of the annual report as data: number, title and order of every note, the builder
(if any) of a rule's note, the statement lines that cite it in their "Note" column, and the
shape of its tables: rows, columns, labels, units, which accounts or declared data make each
cell, and the sums.

``nhnfin/data/notes_nhn.toml`` is NHN's 2024 notes, the packaged default; a ledger may name its
own with ``custom "nhnfin-notes" "path/to/notes.toml"``. The file is validated with pydantic; a
problem is an error at the file's line (the ``[[notes]]`` entry, its table, row or field).
Renumbering a note, reordering them, adding a note of text only, a row or a note of accounts or
declared data needs no code change (``docs/notes-layout.md``); a note's text is a template the
ledger names (:mod:`nhnfin.notes.text`). The tables are built by :mod:`nhnfin.notes.layout_notes`.
"""

from __future__ import annotations

import functools
import re
import tomllib
from importlib import resources
from pathlib import Path
from typing import Annotated
from typing import Any
from typing import Literal
from typing import NamedTuple

from beancount.core import data
from pydantic import BaseModel
from pydantic import ConfigDict
from pydantic import Field
from pydantic import PrivateAttr
from pydantic import ValidationError
from pydantic import field_validator
from pydantic import model_validator

from nhnfin.config import entries_of
from nhnfin.config import no_config
from nhnfin.config import shared
from nhnfin.errors import toml_line
from nhnfin.errors import toml_lines
from nhnfin.errors import toml_problem
from nhnfin.errors import utf8_problem
from nhnfin.errors import validation_problem
from nhnfin.files import file_problem_words
from nhnfin.files import read_regular_file
from nhnfin.layout import Ranges
from nhnfin.layout import parse_formula
from nhnfin.model import Kind

NOTES_DIRECTIVE = "nhnfin-notes"
PACKAGED = "data/notes_nhn.toml"

_LINE_REF = r"^(income_statement|balance_sheet|cash_flow)\.[a-z0-9_]+$"


class NoteLayoutError(Exception):
    """The notes file is not valid; the message starts with ``file:line``. ``source`` is the meta
    of the ``custom "nhnfin-notes"`` directive that names the file (where a ledger error about
    it stands), None for the packaged file or a file given otherwise."""

    def __init__(self, message: str, source: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.source = source


ROW_KEY = r"^[a-z][a-z0-9_]*$"
# a row key or label may name the year: {year} (2024), {prior} (2023), {next} (2025), {yy} (24),
# {prior_yy} (23)
TEMPLATED_KEY = r"^[a-z][a-z0-9_]*(\{(year|prior|next)\}[a-z0-9_]*)*$"
# a column key may also be the year alone ("{year}": the column "2024")
COLUMN_KEY = r"^([a-z][a-z0-9_]*|\{(year|prior|next)\})(\{(year|prior|next)\}|[a-z0-9_])*$"
GROUPS = "groups"  # in a groups table's formula: every row of the builder's groups
Measure = Literal["closing", "closing_prior", "movement", "debit", "credit", "debit_before",
                  "credit_before", "opening_balance"]


def fill(text: str, year: int) -> str:
    """``text`` with the year placeholders filled in for fiscal year ``year``."""
    return (text.replace("{prior_yy}", f"{(year - 1) % 100:02d}")
            .replace("{yy}", f"{year % 100:02d}")
            .replace("{prior}", str(year - 1)).replace("{next}", str(year + 1))
            .replace("{year}", str(year)))


def _formula_of(text: str) -> tuple[tuple[int, str], ...]:
    """The terms of a formula whose keys may name the year (checked with a sample year)."""
    return parse_formula(fill(text, 2000))
UNITS = ("NOK", "percent", "years", "count")
Unit = Literal["NOK", "percent", "years", "count"]
TableUnit = Literal["NOK", "percent", "years", "count", "mixed"]


class RowLayout(BaseModel):
    """A row of a note table: an item (from the accounts mapped to it, or declared data) or a
    sum of rows above it (``formula``, like a statement line's: "a + b - c")."""

    model_config = ConfigDict(defer_build=True, frozen=True, extra="forbid")

    key: str = Field(pattern=TEMPLATED_KEY)
    label: str = Field(min_length=1)
    # the label in a period report (to a date before 31 December), where the year's words do
    # not fit the period's figure: "Periodens tilgang" for "Årets tilgang"
    period_label: str | None = Field(default=None, min_length=1)
    kind: Kind = Kind.ITEM
    unit: Unit | None = None
    formula: str | None = None
    accounts: Ranges = ()
    measure: Measure | None = None
    optional: bool = False
    figure: str | None = Field(default=None, pattern=ROW_KEY)
    text: bool = False
    identity: str | None = None
    group: str | None = Field(default=None, pattern=r"^[a-z0-9][a-z0-9_]*$")
    _where: str = PrivateAttr(default="")

    @model_validator(mode="after")
    def _item_or_sum(self) -> RowLayout:
        if self.identity is not None:
            _formula_of(self.identity)
        if self.formula is not None:
            _formula_of(self.formula)
            if self.accounts or self.measure or self.figure or self.text or self.group:
                raise ValueError(f"raden {self.key!r}: en sumrad (formula) har ingen accounts, "
                                 "measure, figure, group eller text")
        return self

    def identity_in(self, year: int) -> tuple[tuple[int, str], ...]:
        """The terms of the identity the row satisfies, with the keys of ``year``."""
        return parse_formula(fill(self.identity, year)) if self.identity else ()

    @property
    def terms(self) -> tuple[tuple[int, str], ...]:
        """The parsed formula (empty for an item), keys as written (with a sample year)."""
        return _formula_of(self.formula) if self.formula else ()

    def terms_in(self, year: int) -> tuple[tuple[int, str], ...]:
        """The formula's terms with the keys of fiscal year ``year``."""
        return parse_formula(fill(self.formula, year)) if self.formula else ()

    @property
    def where(self) -> str:
        """``file:line`` of the row in the notes file ("" when not known)."""
        return self._where


class ColumnLayout(BaseModel):
    """A column of a table of persons (an amount declared per person, a text: ``text = true``),
    of a ledger table (the accounts it takes: ``accounts``), of a figures table (the accounts
    the builder measures for it, and the texts its text rows print: ``texts``, figure -> text;
    ``figure``: the builder's column it shows, by default its key) or of a groups table (the
    builder's ``figure`` it shows in every group's row; ``optional``: shown only when a row has
    an amount in it; ``identity``: an identity its cells satisfy), or a sum of amount columns
    before it (``formula``). Keys and labels of ledger, figures and groups tables may name the
    year (``{year}``, ``{prior}``, ``{next}``)."""

    model_config = ConfigDict(defer_build=True, frozen=True, extra="forbid")

    key: str = Field(pattern=COLUMN_KEY)
    label: str = Field(min_length=1)
    text: bool = False
    formula: str | None = None
    accounts: Ranges = ()
    texts: dict[Annotated[str, Field(pattern=ROW_KEY)], Annotated[str, Field(min_length=1)]] = (
        Field(default_factory=dict))
    figure: str | None = Field(default=None, pattern=ROW_KEY)
    optional: bool = False
    identity: str | None = None
    _where: str = PrivateAttr(default="")

    @model_validator(mode="after")
    def _formula(self) -> ColumnLayout:
        if self.identity is not None:
            _formula_of(self.identity)
        if self.formula is not None:
            _formula_of(self.formula)
            if self.text or self.accounts or self.texts or self.figure:
                raise ValueError(f"kolonnen {self.key!r}: en sumkolonne (formula) har ingen text, "
                                 "texts, figure eller accounts")
        return self

    @property
    def terms(self) -> tuple[tuple[int, str], ...]:
        """The parsed formula (empty for a declared column), keys as written (with a sample
        year)."""
        return _formula_of(self.formula) if self.formula else ()

    @property
    def templated(self) -> bool:
        """Whether the key or label names the year."""
        return fill(self.key, 2000) != self.key or fill(self.label, 2000) != self.label

    def filled(self, year: int) -> ColumnLayout:
        """The column for fiscal year ``year``: key, label, formula and identity filled in."""
        column = self.model_copy(update={
            "key": fill(self.key, year), "label": fill(self.label, year),
            "formula": fill(self.formula, year) if self.formula else None,
            "identity": fill(self.identity, year) if self.identity else None})
        column._where = self._where
        return column

    def identity_in(self, year: int) -> tuple[tuple[int, str], ...]:
        """The terms of the column's identity for ``year``."""
        return parse_formula(fill(self.identity, year)) if self.identity else ()

    @property
    def where(self) -> str:
        """``file:line`` of the column in the notes file ("" when not known)."""
        return self._where


class TableLayout(BaseModel):
    """A note table.

    ``source`` says what makes its cells:

    * ``accounts``: the fiscal and the prior year as columns; each item row is the accounts
      mapped to it (its own ``accounts`` ranges, ``note-row`` on an account's ``open`` or a
      ``custom "nhnfin-note-accounts"`` range), measured as the statement ``line`` measures them.
      Every account of the line must be mapped to a row, unless ``opt_in``. The table's total
      row (the last row of kind ``total``) must equal the line; with no total, the rows must not
      exceed it.
    * ``data``: the fiscal and the prior year as columns; each item row is declared per year
      (``custom "nhnfin-note-data" NOTE TABLE ROW value``).
    * ``persons``: one row per person declared (``custom "nhnfin-note-data" NOTE TABLE id`` with
      the columns as metadata); ``columns`` are the amounts, texts and sums.
    * ``figures``: the figures a rule's builder computes (the note's ``builder``), placed by
      name: each item row shows the builder's ``figure`` (by default the row's key) in each
      column; ``text = true`` rows show the column's ``texts`` for that figure, else the
      builder's. A column's ``accounts`` are what the builder measures for it (note 8: one
      asset class per column). The table is left out when the ledger has no account numbered
      in ``requires`` (by default: in the columns' accounts, when they name any).
    * ``ledger``: a roll-forward of accounts: each column takes accounts (``accounts``), each item
      row a ``measure`` of them (the balance at the year's end or the prior year's, the year's
      movement, debits or credits, or those before the year), of the row's own ``accounts``
      only if it names them; ``sign = -1`` shows credit balances positive; an ``optional`` row
      prints only when it has an amount. The table is left out when the ledger has no account
      numbered in ``requires`` (by default: in any column's accounts), or with ``active`` none
      of them has a balance or postings in the year. Row keys and labels may name the year
      (``{year}``, ``{prior}``, ``{yy}``, ``{prior_yy}``). ``identities``: each sum row is also an
      identity the published table must satisfy (checked when comparing with it).
    * ``groups``: one row per group the note's builder declares in its row set ``groups`` (NHN's
      note 2: per e-health solution; note 3: per note row of the grants, or per grant), keyed
      and labelled as the ledger declares them; each column shows the builder's ``figure`` of
      every group (an ``optional`` column only when a row has an amount in it) or sums columns
      before it (``formula``). The layout's ``rows`` follow the groups: sums (``formula``, where
      ``groups`` stands for every group's row); or, when a row names a ``group``, the table is
      those rows alone (the builder's group, the layout's key and label). The table is left out
      when the builder gives no such row set. ``identities``: each sum and each column's
      ``identity`` is an identity the published table must satisfy.

    ``at_date``: the table's figures are positions at the date, not flows (a period report
    heads its columns ``31.03.2025``, not ``01.01.–31.03.2025``; a table of balance-sheet
    accounts is so by its ``line``). A row's ``period_label``: its label in a period report,
    where the year's words ("Årets tilgang") do not fit the period's figure.

    ``figures``: a figures table's set of figures in the builder's (by default the table's
    key). ``shown = false``: declared data the note's text quotes, printed in no table.
    ``tieout``: the name of the table in its tie-outs' ids (``n5.auditor.rounded_sum``), by
    default ``t`` and its place in the note (``t0``). ``checks``: a registered check that adds
    the rule's own tie-outs (:data:`nhnfin.notes.CHECK_PATHS`).
    """

    model_config = ConfigDict(defer_build=True, frozen=True, extra="forbid")

    key: str = Field(pattern=ROW_KEY)
    caption: str = Field(min_length=1)
    source: Literal["accounts", "data", "persons", "ledger", "figures", "groups"]
    groups: str | None = Field(default=None, pattern=ROW_KEY)
    figures: str | None = Field(default=None, pattern=ROW_KEY)
    unit: TableUnit = "NOK"
    sign: Literal[1, -1] = 1
    requires: Ranges = ()
    active: bool = False
    identities: bool = False
    line: str | None = Field(default=None, pattern=_LINE_REF)
    opt_in: bool = False
    shown: bool = True
    # the figures are positions at the date (balances, rates, counts at the year end), not
    # flows: a period report heads the columns by the date (an accounts table: by its line)
    at_date: bool = False
    tieout: str | None = Field(default=None, pattern=ROW_KEY)
    checks: str | None = Field(default=None, pattern=r"^[a-z0-9_]+$")
    rows: tuple[RowLayout, ...] = ()
    columns: tuple[ColumnLayout, ...] = ()

    @model_validator(mode="after")
    def _shape(self) -> TableLayout:
        if self.source == "accounts":
            if self.line is None:
                raise ValueError(f"tabellen {self.key!r}: en accounts-tabell oppgir linjen i "
                                 "oppstillingen som radene spesifiserer (line = "
                                 "\"balance_sheet.<linje>\")")
        elif self.line is not None or self.opt_in:
            raise ValueError(f"tabellen {self.key!r}: line og opt_in hører til accounts-tabeller")
        self._field_sources()
        if self.source == "ledger":
            return self._ledger_shape()
        if self.source == "figures":
            return self._figures_shape()
        if self.source == "groups":
            return self._groups_shape()
        if self.requires or self.sign != 1 or self.active or self.identities:
            raise ValueError(f"tabellen {self.key!r}: requires, active, identities og sign hører "
                             "til ledger-tabeller")
        for column in self.columns:
            if column.texts:
                raise ValueError(f"tabellen {self.key!r}: kolonnen {column.key!r}: texts hører "
                                 "til figures-tabeller")
        if self.source == "persons":
            return self._persons_shape()
        return self._rows_shape()

    def _field_sources(self) -> None:
        """The fields only some sources take."""
        if (self.groups is not None) != (self.source == "groups"):
            raise ValueError(f"tabellen {self.key!r}: en groups-tabell (og bare en groups-tabell) "
                             "oppgir byggerens radsett: groups = \"...\"")
        if self.figures is not None and self.source != "figures":
            raise ValueError(f"tabellen {self.key!r}: figures oppgir settet av tall i en "
                             "figures-tabell")
        for column in self.columns:
            if column.templated and self.source not in ("ledger", "figures", "groups"):
                raise ValueError(f"tabellen {self.key!r}: kolonnen {column.key!r}: bare kolonnene "
                                 "i ledger-, figures- og groups-tabeller oppgir året")
            if (column.optional or column.identity) and self.source != "groups":
                raise ValueError(f"tabellen {self.key!r}: kolonnen {column.key!r}: optional og "
                                 "identity hører til kolonnene i groups-tabeller")
            if column.figure and self.source not in ("figures", "groups"):
                raise ValueError(f"tabellen {self.key!r}: kolonnen {column.key!r}: figure hører "
                                 "til kolonnene i figures- og groups-tabeller")
        if any(r.group for r in self.rows) and self.source != "groups":
            raise ValueError(f"tabellen {self.key!r}: group hører til radene i groups-tabeller")

    def _persons_shape(self) -> TableLayout:
        if self.rows or not self.columns:
            raise ValueError(f"tabellen {self.key!r}: en persons-tabell har kolonner, ikke rader")
        if any(c.accounts for c in self.columns):
            raise ValueError(f"tabellen {self.key!r}: kolonnene i en persons-tabell tar ingen "
                             "accounts")
        return self

    def _rows_shape(self) -> TableLayout:
        if any(r.figure or r.text or r.identity for r in self.rows):
            raise ValueError(f"tabellen {self.key!r}: figure, text og identity hører til "
                             "figures-tabeller")
        if self.columns or not self.rows:
            raise ValueError(f"tabellen {self.key!r}: en {self.source}-tabell har rader, ikke "
                             "kolonner")
        for row in self.rows:
            if row.accounts and self.source != "accounts":
                raise ValueError(f"tabellen {self.key!r}: raden {row.key!r}: accounts hører "
                                 "til accounts- og ledger-tabeller")
            if row.measure is not None or row.optional:
                raise ValueError(f"tabellen {self.key!r}: raden {row.key!r}: measure og optional "
                                 "hører til ledger-tabeller")
        return self

    def _figures_shape(self) -> TableLayout:
        if not self.rows or not self.columns:
            raise ValueError(f"tabellen {self.key!r}: en figures-tabell har rader og kolonner")
        if self.sign != 1 or self.active:
            raise ValueError(f"tabellen {self.key!r}: active og sign hører til ledger-tabeller")
        for column in self.columns:
            if column.text:
                raise ValueError(f"tabellen {self.key!r}: kolonnen {column.key!r}: kolonnene i "
                                 "en figures-tabell er byggerens (tekstradene viser tekster: "
                                 "texts = {...})")
        for row in self.rows:
            if row.accounts or row.measure:
                raise ValueError(f"tabellen {self.key!r}: raden {row.key!r}: radene i en "
                                 "figures-tabell er byggerens tall (ingen accounts, ingen "
                                 "measure)")
        return self

    def _groups_shape(self) -> TableLayout:
        if not self.columns:
            raise ValueError(f"tabellen {self.key!r}: en groups-tabell har kolonner")
        if self.requires or self.sign != 1 or self.active:
            raise ValueError(f"tabellen {self.key!r}: requires, active og sign hører til "
                             "ledger-tabeller")
        for column in self.columns:
            if column.text or column.texts or column.accounts:
                raise ValueError(f"tabellen {self.key!r}: kolonnen {column.key!r}: kolonnene i "
                                 "en groups-tabell viser byggerens tall (ingen text, texts "
                                 "eller accounts)")
            if column.formula is None and column.figure is None:
                raise ValueError(f"tabellen {self.key!r}: kolonnen {column.key!r} viser et tall "
                                 "(figure = \"...\") eller summerer kolonner (formula)")
        for row in self.rows:
            if row.accounts or row.measure or row.figure or row.text or row.identity:
                raise ValueError(f"tabellen {self.key!r}: raden {row.key!r}: radene i en "
                                 "groups-tabell er byggerens grupper og summer av dem (ingen "
                                 "accounts, measure, figure, text eller identity)")
            if row.formula is None and row.group is None:
                raise ValueError(f"tabellen {self.key!r}: raden {row.key!r} summerer rader "
                                 "(formula, "
                                 "\"groups\" for alle grupper) eller viser en gruppe (group = "
                                 "\"...\")")
        return self

    def _ledger_shape(self) -> TableLayout:
        if not self.rows or not self.columns:
            raise ValueError(f"tabellen {self.key!r}: en ledger-tabell har rader og kolonner")
        for column in self.columns:
            if column.text or column.texts:
                raise ValueError(f"tabellen {self.key!r}: kolonnen {column.key!r}: en "
                                 "ledger-tabell har ingen tekstkolonner eller texts")
            if column.formula is None and not column.accounts:
                raise ValueError(f"tabellen {self.key!r}: kolonnen {column.key!r} tar accounts "
                                 "eller summerer kolonner (formula)")
        for row in self.rows:
            if row.formula is None and row.measure is None:
                raise ValueError(f"tabellen {self.key!r}: raden {row.key!r} har en measure "
                                 "(closing, movement, ...) eller summerer rader (formula)")
            if row.figure or row.text or row.identity:
                raise ValueError(f"tabellen {self.key!r}: raden {row.key!r}: figure, text og "
                                 "identity hører til figures-tabeller")
        return self

    def row_unit(self, row: RowLayout) -> str:
        """The unit of ``row``: its own, else the table's (NOK in a table of mixed units)."""
        if row.unit is not None:
            return row.unit
        return "NOK" if self.unit == "mixed" else self.unit

    @property
    def statement(self) -> str:
        """The statement of ``line`` ("" for a table that names none)."""
        return (self.line or "").partition(".")[0]

    @property
    def line_key(self) -> str:
        """The line key of ``line`` ("" for a table that names none)."""
        return (self.line or "").partition(".")[2]


class NoteSpec(BaseModel):
    """One note: its printed number and title, its builder, the statement lines citing it, and
    the tables the layout makes (after the builder's, if it has one)."""

    model_config = ConfigDict(defer_build=True, frozen=True, extra="forbid")

    number: str = Field(pattern=r"^[0-9]+[a-z]?$")
    title: str = Field(min_length=1)
    builder: str | None = Field(default=None, pattern=r"^[a-z0-9_]+$")
    # the words the builder prints for rows of its own (nhnfin.notes.BUILDER_LABELS)
    labels: dict[str, Annotated[str, Field(min_length=1)]] = Field(default_factory=dict)
    lines: tuple[str, ...] = ()
    tables: tuple[TableLayout, ...] = ()

    @field_validator("lines")
    @classmethod
    def _line_refs(cls, lines: tuple[str, ...]) -> tuple[str, ...]:
        for ref in lines:
            if not re.match(_LINE_REF, ref):
                raise ValueError(
                    f"linjen {ref!r}: skriv oppstilling.linje, f.eks. "
                    "'income_statement.payroll_costs'"
                )
        return lines

    @model_validator(mode="after")
    def _table_keys(self) -> NoteSpec:
        seen: set[str] = set()
        for table in self.tables:
            if table.key in seen:
                raise ValueError(f"note {self.number}: tabellnøkkelen {table.key!r} står to ganger")
            seen.add(table.key)
        return self

    def table(self, key: str) -> TableLayout | None:
        """The table ``key`` of the note, if any."""
        return next((t for t in self.tables if t.key == key), None)


class NotesLayout(BaseModel):
    """Every note of the report, in print order."""

    model_config = ConfigDict(defer_build=True, frozen=True, extra="forbid")

    name: str
    notes: tuple[NoteSpec, ...]

    @model_validator(mode="after")
    def _unique(self) -> NotesLayout:
        numbers: set[str] = set()
        builders: set[str] = set()
        for note in self.notes:
            if note.number in numbers:
                raise ValueError(f"note {note.number} står to ganger")
            if note.builder is not None and note.builder in builders:
                raise ValueError(f"byggeren {note.builder!r} lager to noter")
            numbers.add(note.number)
            if note.builder is not None:
                builders.add(note.builder)
        return self

    def by_builder(self, builder: str) -> NoteSpec | None:
        """The note whose tables ``builder`` makes, if any."""
        return next((n for n in self.notes if n.builder == builder), None)

    def note(self, number: str) -> NoteSpec | None:
        """The note numbered ``number``, if any."""
        return next((n for n in self.notes if n.number == number), None)

    def citing(self, statement: str, line: str) -> str | None:
        """The "Note" column of a statement line: the numbers of the notes citing it, in note
        order, joined by commas ("5,6,7"); None if none does."""
        ref = f"{statement}.{line}"
        numbers = [n.number for n in self.notes if ref in n.lines]
        return ",".join(numbers) if numbers else None

    def cites_any(self, statement: str) -> bool:
        """Whether any note names a line of ``statement``."""
        return any(ref.startswith(f"{statement}.") for n in self.notes for ref in n.lines)

    def tables(self, source: str) -> tuple[tuple[NoteSpec, TableLayout], ...]:
        """Every table made from ``source`` ("accounts", "data", "persons"), with its note."""
        return tuple((n, t) for n in self.notes for t in n.tables if t.source == source)


Problem = tuple[tuple[int | str, ...], str]  # where in the file (a pydantic-style loc), what


def _formula_problems(base: tuple[int | str, ...], table: TableLayout) -> list[Problem]:
    """Row (or column) keys appear once in a table; a formula sums only keys above it."""
    problems: list[Problem] = []
    if table.source in ("ledger", "figures", "groups"):
        problems.extend(_terms_problems(base, table, "columns", list(table.columns)))
        return problems + _terms_problems(base, table, "rows", list(table.rows),
                                          {GROUPS} if table.source == "groups" else set())
    field = "columns" if table.source == "persons" else "rows"
    items: list[RowLayout | ColumnLayout] = [*table.columns, *table.rows]
    return _terms_problems(base, table, field, items)


def _terms_problems(base: tuple[int | str, ...], table: TableLayout, field: str,
                    items: list[RowLayout] | list[ColumnLayout] | list[RowLayout | ColumnLayout],
                    given: set[str] | None = None) -> list[Problem]:
    amounts = {fill(c.key, 2000) for c in table.columns if not c.text}
    what = {"rows": "raden", "columns": "kolonnen"}[field]
    problems: list[Problem] = []
    seen: set[str] = set(given or ())
    for index, item in enumerate(items):
        where = (*base, field, index)
        key = fill(item.key, 2000)
        if key in seen:
            problems.append(((*where, "key"), f"nøkkelen til {what} {item.key!r} står to "
                                              f"ganger i tabellen {table.key!r}"))
        for _, ref in item.terms:
            if ref not in seen:
                problems.append(((*where, "formula"), f"{what} {item.key!r} viser til {ref!r}, "
                                 f"som ikke står over den i tabellen {table.key!r}"))
            elif field == "columns" and ref not in amounts:
                problems.append(((*where, "formula"), f"kolonnen {item.key!r} summerer "
                                 f"tekstkolonnen {ref!r}"))
        for _, ref in _formula_of(item.identity) if item.identity else ():
            if ref not in seen:
                problems.append(((*where, "identity"), f"{what} {item.key!r}: identity "
                                 f"viser til {ref!r}, som ikke står over den"))
        seen.add(key)
    return problems


def layout_problems(layout: NotesLayout) -> list[Problem]:
    """What pydantic cannot see in one entry: formulas that name no row above them, a key twice
    in a table, and a row key in two accounts tables (``note-row`` names a row by its key
    alone)."""
    problems: list[Problem] = []
    owners: dict[str, str] = {}
    for n, note in enumerate(layout.notes):
        for t, table in enumerate(note.tables):
            problems.extend(_formula_problems(("notes", n, "tables", t), table))
            if table.source in ("figures", "groups") and note.builder is None:
                problems.append((("notes", n, "tables", t, "source"),
                                 f"tabellen {table.key!r}: en {table.source}-tabell viser "
                                 f"tallene til notens bygger, og note {note.number} oppgir "
                                 "ingen"))
            if table.source != "accounts":
                continue
            for r, row in enumerate(table.rows):
                if row.formula is not None:
                    continue
                owner = f"note {note.number} tabellen {table.key!r}"
                if row.key in owners and owners[row.key] != owner:
                    problems.append(((("notes", n, "tables", t, "rows", r, "key")),
                                     f"radnøkkelen {row.key!r} er også en rad i {owners[row.key]}: "
                                     "note-row oppgir en rad bare ved nøkkelen, så radene i "
                                     "accounts-tabeller trenger egne nøkler"))
                owners.setdefault(row.key, owner)
    return problems


def notes_directive(entries: list[Any]) -> data.Custom | None:
    """The ledger's ``custom "nhnfin-notes"`` directive, if any (the last one wins)."""
    found = None
    for entry in entries_of(entries, data.Custom):  # within a report, one walk for all
        if entry.type == NOTES_DIRECTIVE:
            found = entry
    return found


def notes_layout_file(entries: list[Any]) -> Path | None:
    """The notes file the ledger names (relative to the file of the directive), if any."""
    directive = notes_directive(entries)
    if directive is None or not directive.values:
        return None
    value = directive.values[0].value
    if not isinstance(value, str):
        return None
    path = Path(value)
    if not path.is_absolute():
        path = Path(directive.meta.get("filename", ".")).parent / path
    return path


def _error(text: str, name: str, loc: tuple[int | str, ...], message: str) -> NoteLayoutError:
    where = ".".join(str(p) for p in loc)
    return NoteLayoutError(f"{name}:{toml_line(text, loc)}: {where + ': ' if where else ''}"
                           f"{message}")


def parse_notes_layout(text: str, name: str) -> NotesLayout:
    """Validate the text of a notes file called ``name`` (for messages).

    Raises:
        NoteLayoutError: ``name:line: what is wrong``.
    """
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line, problem = toml_problem(exc, text)
        raise NoteLayoutError(f"{name}:{line}: ikke gyldig TOML: {problem}") from exc
    try:
        layout = NotesLayout.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = tuple(err["loc"])
        message = validation_problem(err)
        if len(loc) == 0 and "notes" in raw:
            # a check across notes (a number twice): point at the entry that repeats it
            line = _repeat_line(text, raw)
            raise NoteLayoutError(f"{name}:{line}: {message}") from exc
        raise _error(text, name, loc, message) from exc
    problems = layout_problems(layout)
    if problems:
        loc, message = problems[0]
        raise _error(text, name, loc, message)
    located = toml_lines(text)  # one reading of the text for every row's and column's line
    for n, note in enumerate(layout.notes):
        for t, table in enumerate(note.tables):
            for r, row in enumerate(table.rows):
                row._where = f"{name}:{located.line(('notes', n, 'tables', t, 'rows', r))}"
            for c, column in enumerate(table.columns):
                where = located.line(("notes", n, "tables", t, "columns", c))
                column._where = f"{name}:{where}"
    return layout


def _repeat_line(text: str, raw: dict[str, Any]) -> int:
    """The line of the key (``number``, ``builder``) whose value an earlier note gave."""
    located = toml_lines(text)
    seen: set[tuple[str, object]] = set()
    for index, note in enumerate(raw.get("notes", [])):
        for field in ("number", "builder"):
            value = note.get(field) if isinstance(note, dict) else None
            if value is not None and (field, value) in seen:
                return located.line(("notes", index, field))
            seen.add((field, value))
    return 1


@functools.cache
def packaged_notes_layout() -> NotesLayout:
    """NHN's 2024 notes (the packaged default), read once per process (a frozen model)."""
    text = resources.files("nhnfin").joinpath(PACKAGED).read_text("utf-8")
    return parse_notes_layout(text, f"nhnfin/{PACKAGED}")


def layout_text(entries: list[Any]) -> tuple[str, list[str]] | None:
    """The notes layout's name, as its rows' and columns' ``where`` name it, and its lines: of
    the file the ledger names, or the packaged one; None when the file cannot be read."""
    path = notes_layout_file(entries)
    if path is None:
        if notes_directive(entries) is not None:
            return None
        text = resources.files("nhnfin").joinpath(PACKAGED).read_text("utf-8")
        return f"nhnfin/{PACKAGED}", text.splitlines()
    try:
        return str(path), read_regular_file(path).decode("utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None


def load_notes_layout(entries: list[Any]) -> NotesLayout:
    """The notes file the ledger names, or the packaged one; within a plugin run read once for
    every check (:func:`nhnfin.config.shared`: it reads the custom directives alone).

    Raises:
        NoteLayoutError: the file cannot be read or is not valid (with file:line).
    """
    found = shared(_layout_or_error, entries, (data.Custom,))
    if isinstance(found, NoteLayoutError):
        raise found
    return found


def _layout_or_error(entries: list[Any]) -> NotesLayout | NoteLayoutError:
    try:
        return _read_notes_layout(entries)
    except NoteLayoutError as exc:
        return exc


def _read_notes_layout(entries: list[Any]) -> NotesLayout:
    path = notes_layout_file(entries)
    if path is None:
        directive = notes_directive(entries)
        if directive is not None:
            where = f"{directive.meta.get('filename')}:{directive.meta.get('lineno')}"
            raise NoteLayoutError(
                f'{where}: custom "{NOTES_DIRECTIVE}" tar én tekst: stien til en notefil (TOML)'
            )
        return packaged_notes_layout()
    directive = notes_directive(entries)
    source = directive.meta if directive is not None else None
    try:
        text = read_regular_file(path).decode("utf-8")  # a FIFO or /dev/zero is refused
    except UnicodeDecodeError as exc:
        line, problem = utf8_problem(exc)
        raise NoteLayoutError(f"{path}:{line}: notefilen {problem}", source) from exc
    except OSError as exc:
        problem = file_problem_words(exc.strerror or str(exc))
        raise NoteLayoutError(f"{path}:1: kan ikke lese notefilen: {problem}", source) from exc
    try:
        layout = parse_notes_layout(text, str(path))
        check_builders(layout, text, str(path))
    except NoteLayoutError as exc:
        raise NoteLayoutError(str(exc), source) from exc
    return layout


def notes_layout_errors(
    entries: list[Any], options_map: dict[str, Any], config: str | None = None
) -> tuple[list[Any], list[NotesLayoutProblem]]:
    """A step of ``plugin "nhnfin"`` for a ledger that names a notes file: the file's error
    (it cannot be read, is not TOML, or not a valid notes layout) at the ``custom
    "nhnfin-notes"`` directive, with the file:line in the message; nothing when it is valid."""
    refused: list[Any] = no_config("nhnfin.notes", config)
    try:
        load_notes_layout(entries)
    except NoteLayoutError as exc:
        directive = notes_directive(entries)
        source = exc.source or (directive.meta if directive is not None else {})
        return entries, [*refused, NotesLayoutProblem(source, str(exc), directive)]
    return entries, refused


class NotesLayoutProblem(NamedTuple):
    """The ledger's notes file cannot be used (at the directive that names it)."""

    source: dict[str, Any]
    message: str
    entry: Any


def check_builders(layout: NotesLayout, text: str, name: str) -> None:
    """Every builder and check the file names is registered (:data:`nhnfin.notes.BUILDER_PATHS`,
    :data:`nhnfin.notes.CHECK_PATHS`).

    Raises:
        NoteLayoutError: at the line of the unknown builder or check.
    """
    from nhnfin.notes import BUILDER_PATHS
    from nhnfin.notes import CHECK_PATHS

    for index, note in enumerate(layout.notes):
        if note.builder is not None and note.builder not in BUILDER_PATHS:
            line = toml_line(text, ("notes", index, "builder"))
            known = ", ".join(BUILDER_PATHS)
            raise NoteLayoutError(
                f"{name}:{line}: note {note.number}: ukjent bygger {note.builder!r} "
                f"(byggere: {known})"
            )
        unprinted = _label_problem(note)
        if unprinted is not None:
            raise _error(text, name, ("notes", index, "labels"), unprinted)
    for n, note in enumerate(layout.notes):
        for t, table in enumerate(note.tables):
            if table.checks is not None and table.checks not in CHECK_PATHS:
                raise _error(text, name, ("notes", n, "tables", t, "checks"),
                             f"ukjent kontroll {table.checks!r} (kontroller: "
                             f"{', '.join(CHECK_PATHS)})")
            problem = _unknown_set(note, table)
            if problem is not None:
                raise _error(text, name, ("notes", n, "tables", t, problem[0]), problem[1])


def _label_problem(note: NoteSpec) -> str | None:
    """A label of the note's ``labels`` that no builder of the note prints (it would silently
    never show). A label the builder prints and the note does not give is the packaged
    layout's (:func:`nhnfin.notes.layout_notes.labels_of`)."""
    from nhnfin.notes import BUILDER_LABELS

    takes = BUILDER_LABELS.get(note.builder or "", {})
    unknown = [key for key in note.labels if key not in takes]
    if not unknown:
        return None
    return (f"note {note.number}: etiketten {unknown[0]!r} skrives ikke ut av noen bygger "
            f"(notens bygger: {note.builder or 'ingen'}; den skriver ut: "
            f"{', '.join(takes) or 'ingen'})")


def _unknown_set(note: NoteSpec, table: TableLayout) -> tuple[str, str] | None:
    """(the field, the message) when a figures or groups table names a set of figures or rows
    its note's builder never gives (:data:`nhnfin.notes.BUILDER_SETS`): such a table would
    silently never show."""
    from nhnfin.notes import BUILDER_SETS

    if note.builder is None or table.source not in ("figures", "groups"):
        return None
    figure_sets, row_sets = BUILDER_SETS[note.builder]
    if table.source == "groups":
        named, known, kind, field = table.groups or "", row_sets, "radsett", "groups"
    elif figure_sets is None:
        return None
    else:
        named, known, kind = table.figures or table.key, figure_sets, "tallsett"
        field = "figures" if table.figures is not None else "key"
    if named in known:
        return None
    return field, (f"tabellen {table.key!r}: byggeren {note.builder!r} gir ikke noe {kind} "
                   f"{named!r} (den gir: {', '.join(known) or 'ingen'})")
