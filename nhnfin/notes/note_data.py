"""Figures of notes 5 and 6 that the general ledger does not hold, declared in the ledger.

Remuneration per person, the auditor's fees per service, head count and the actuary's report are
facts, not postings. Each is one ``custom "nhnfin-note-data"`` directive naming the note, the
table and the row; the directive's date gives the fiscal year it describes (31.12 by convention).
Tables with the years as columns take the row's value as the fourth value, typed by the row's
unit (an amount in NOK, or a plain number for percent, years and counts)::

    2024-12-31 custom "nhnfin-note-data" "6" "pension_cost" "service_cost" 135250353 NOK
    2024-12-31 custom "nhnfin-note-data" "6" "assumptions" "discount_rate" 3.9
    2024-12-31 custom "nhnfin-note-data" "5" "staff" "employees" 976

Tables of persons take one directive per person and year, the printed name as ``label`` and the
columns as metadata (amounts in NOK, texts in quotes)::

    2024-12-31 custom "nhnfin-note-data" "5" "board_owner" "roar_olsen"
      label: "Roar Olsen"
      title: "Styreleder"
      term_of_office: "01.01-31.12"
      board_fee_paid: 316300 NOK

Sums (a table's "Sum", a subtotal, "Sum lønn og andre ytelser") are computed, never declared.
Each directive is validated with pydantic; an unknown note, table, row or column, a value of the
wrong type and a fact declared twice for the same year are errors at the directive's file and
line (``plugin "nhnfin.notes.note_data"``). The tables, rows and units are those of the notes
layout (``nhnfin/data/notes_nhn.toml`` by default, :mod:`nhnfin.notes.layout`); ``docs/notes.md``
lists NHN's.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from decimal import Decimal
from typing import Annotated
from typing import Any
from typing import NamedTuple

from beancount.core import data
from beancount.core.amount import Amount
from pydantic import BaseModel
from pydantic import ConfigDict
from pydantic import Field
from pydantic import PlainValidator
from pydantic import TypeAdapter
from pydantic import ValidationError
from pydantic import ValidationInfo
from pydantic import model_validator

from nhnfin.config import entries_of
from nhnfin.config import no_config
from nhnfin.config import repeated_meta_keys
from nhnfin.errors import location
from nhnfin.errors import printable_errors
from nhnfin.errors import validation_problems
from nhnfin.lock_guard import per_rule_line
from nhnfin.money import MAX_AMOUNT
from nhnfin.money import over_limit
from nhnfin.notes.layout import NoteLayoutError
from nhnfin.notes.layout import NotesLayout
from nhnfin.notes.layout import load_notes_layout
from nhnfin.notes.specs import TEXT
from nhnfin.notes.specs import DataTable
from nhnfin.notes.specs import data_tables

__plugins__ = ("check_note_data",)

DIRECTIVE = "nhnfin-note-data"
VALUE = "value"  # the column key of a by-year fact's single value
_RESERVED = ("filename", "lineno")


class NoteDataError(NamedTuple):
    """A bad ``custom "nhnfin-note-data"`` directive at ``source``."""

    source: dict[str, Any]
    message: str
    entry: Any


def _nok(value: object) -> Decimal:
    if isinstance(value, Amount) and value.currency == "NOK" and value.number is not None:
        return _number(value.number)
    raise ValueError(f"ventet et beløp i NOK (f.eks. 316300 NOK), men fikk {_shown(value)}")


def _number(value: object) -> Decimal:
    if isinstance(value, Decimal) and abs(value) < MAX_AMOUNT:
        return value
    if isinstance(value, Decimal):
        raise ValueError(over_limit(value, unit=''))
    raise ValueError("ventet et rent tall (f.eks. 3.9, uten enhet og anførselstegn), men fikk "
                     f"{_shown(value)}")


def _count(value: object) -> Decimal:
    number = _number(value)
    if number != number.to_integral_value() or number < 0:
        raise ValueError(f"ventet et helt tall på minst 0, men fikk {number}")
    return number


def _text(value: object) -> str:
    if isinstance(value, str):
        return value
    raise ValueError(f"ventet en tekst i anførselstegn, men fikk {_shown(value)}")


def _shown(value: object) -> str:
    return f"{value!r}" if isinstance(value, str) else str(value)


_VALIDATORS: dict[str, TypeAdapter[Any]] = {
    "NOK": TypeAdapter(Annotated[Decimal, PlainValidator(_nok)]),
    "percent": TypeAdapter(Annotated[Decimal, PlainValidator(_number)]),
    "years": TypeAdapter(Annotated[Decimal, PlainValidator(_number)]),
    "count": TypeAdapter(Annotated[Decimal, PlainValidator(_count)]),
    TEXT: TypeAdapter(Annotated[str, PlainValidator(_text)]),
}


class Header(BaseModel):
    """The positional part of a directive: note, table and row, checked against the data
    tables of the notes layout (the validation context's ``tables``)."""

    model_config = ConfigDict(defer_build=True, frozen=True, extra="forbid")

    note: str
    table: str
    row: str = Field(pattern=r"^[a-z][a-z0-9_]*$")

    @model_validator(mode="after")
    def _known(self, info: ValidationInfo) -> Header:
        tables: tuple[DataTable, ...] = (info.context or {}).get("tables", ())
        notes = sorted({t.note for t in tables}, key=_note_order)
        if self.note not in notes:
            raise ValueError(f"ukjent note {self.note!r} (noter med data: {', '.join(notes)})")
        spec = _table(tables, self.note, self.table)
        if spec is None:
            known = ", ".join(t.key for t in tables if t.note == self.note)
            raise ValueError(f"note {self.note} har ingen tabell {self.table!r} "
                             f"(tabeller: {known})")
        if spec.by_year:
            row = spec.row(self.row)
            if row is None:
                known = ", ".join(r.key for r in spec.rows if not r.parts)
                raise ValueError(f"tabellen {self.table!r} har ingen rad {self.row!r} (rader: "
                                 f"{known})")
            if row.parts:
                raise ValueError(
                    f"raden {self.row!r} er beregnet ({row.formula}); ikke oppgi den"
                )
        return self


def _note_order(number: str) -> tuple[int, str]:
    digits = "".join(c for c in number if c.isdigit())
    return (int(digits) if digits else 0, number)


def _table(tables: tuple[DataTable, ...], note: str, key: str) -> DataTable | None:
    return next((t for t in tables if t.note == note and t.key == key), None)


@dataclass(frozen=True)
class Fact:
    """One validated directive: a row of ``table`` for ``year``."""

    note: str
    table: str
    row: str
    year: int
    label: str | None
    values: dict[str, Decimal]
    texts: dict[str, str]
    meta: dict[str, Any]


@dataclass(frozen=True)
class NoteData:
    """Every declared fact, in file order."""

    facts: tuple[Fact, ...] = ()
    errors: tuple[NoteDataError, ...] = field(default=())

    def rows(self, note: str, table: str, year: int) -> tuple[Fact, ...]:
        """The facts of ``table`` for ``year``, in the order they are written."""
        return tuple(f for f in self.facts if (f.note, f.table, f.year) == (note, table, year))

    def fact(self, note: str, table: str, row: str, year: int) -> Fact | None:
        """The fact for ``row`` of ``table`` in ``year``, if declared."""
        return next((f for f in self.rows(note, table, year) if f.row == row), None)


def _describe(exc: ValidationError, prefix: str = "") -> str:
    return validation_problems(exc, prefix)


def _typed(unit: str, value: object, what: str) -> tuple[Any, str | None]:
    try:
        return _VALIDATORS[unit].validate_python(value), None
    except ValidationError as exc:
        return None, f"{what}: {_describe(exc)}"


def _by_year_values(
    spec: DataTable, header: Header, values: list[Any], meta: dict[str, Any]
) -> tuple[dict[str, Decimal], str | None]:
    row = spec.row(header.row)
    unit = row.unit if row is not None else spec.unit
    if len(values) != 1:
        return {}, f"raden {header.row!r} tar én verdi etter raden ({unit})"
    extra = sorted(k for k in meta if k not in (*_RESERVED, "label"))
    if extra:
        return {}, (f"tabellen {spec.key!r} tar ingen metadata utenom label (fikk "
                    f"{', '.join(extra)})")
    value, message = _typed(unit, values[0], f"raden {header.row!r}")
    return ({VALUE: value} if message is None else {}), message


def _person_values(
    spec: DataTable, header: Header, values: list[Any], meta: dict[str, Any]
) -> tuple[dict[str, Decimal], dict[str, str], str | None]:
    if values:
        return {}, {}, f"tabellen {spec.key!r} tar kolonnene sine som metadata, ikke som verdier"
    if not isinstance(meta.get("label"), str):
        return {}, {}, f'raden {header.row!r}: oppgi navnet som skal trykkes som label: "..."'
    amounts: dict[str, Decimal] = {}
    texts: dict[str, str] = {}
    known = (*spec.declared_columns, *(c.key for c in spec.text_columns))
    for key, given in meta.items():
        if key in (*_RESERVED, "label"):
            continue
        if key not in known:
            computed = " (beregnet, ikke oppgi den)" if key in dict(spec.computed) else ""
            return {}, {}, (f"tabellen {spec.key!r} har ingen kolonne {key!r}{computed} "
                            f"(kolonner: {', '.join(known)})")
        unit = TEXT if key not in spec.declared_columns else "NOK"
        value, message = _typed(unit, given, f"kolonnen {key!r}")
        if message is not None:
            return {}, {}, message
        if unit == TEXT:
            texts[key] = value
        else:
            amounts[key] = value
    return amounts, texts, None


def parse_fact(
    entry: data.Custom, tables: tuple[DataTable, ...] | None = None
) -> tuple[Fact | None, str | None]:
    """Validate one directive against the data tables (by default the packaged notes
    layout's): the fact, or None and the message."""
    if tables is None:
        from nhnfin.notes.layout import packaged_notes_layout

        tables = data_tables(packaged_notes_layout())
    values = [v.value for v in entry.values or []]
    if len(values) < 3 or not all(isinstance(v, str) for v in values[:3]):
        return None, (
            f'custom "{DIRECTIVE}" tar en note, en tabell og en rad i anførselstegn, f.eks. '
            '"5" "auditor" "audit_fee" 625737 NOK'
        )
    try:
        header = Header.model_validate(
            {"note": values[0], "table": values[1], "row": values[2]},
            context={"tables": tables})
    except ValidationError as exc:
        return None, _describe(exc)
    spec = _table(tables, header.note, header.table)
    assert spec is not None  # checked by Header
    meta = dict(entry.meta)
    label = meta.get("label")
    if label is not None and not isinstance(label, str):
        return None, "label: ventet en tekst i anførselstegn"
    texts: dict[str, str] = {}
    if spec.by_year:
        amounts, message = _by_year_values(spec, header, values[3:], meta)
    else:
        amounts, texts, message = _person_values(spec, header, values[3:], meta)
    if message is not None:
        return None, f"note {header.note} {header.table}: {message}"
    return Fact(header.note, header.table, header.row, entry.date.year, label, amounts, texts,
                entry.meta), None  # fmt: skip


def read_note_data(entries: list[Any], notes: NotesLayout | None = None) -> NoteData:
    """Every ``custom "nhnfin-note-data"`` directive, validated against the data tables of the
    notes layout (by default the one the ledger asks for); bad ones become errors."""
    facts: list[Fact] = []
    errors: list[NoteDataError] = []
    directives = [e for e in entries_of(entries, data.Custom) if e.type == DIRECTIVE]
    if notes is None:
        try:
            notes = load_notes_layout(entries)
        except NoteLayoutError as exc:
            if not directives:
                return NoteData()
            at = min(directives, key=lambda e: (e.meta.get("filename", ""),
                                                e.meta.get("lineno", 0)))
            # at the directive that names the notes file (the packaged one's: at the first)
            return NoteData((), (NoteDataError(exc.source or at.meta, str(exc), at),))
    tables = data_tables(notes)
    seen: dict[tuple[str, str, str, int], Fact] = {}
    directives.sort(key=lambda e: (e.meta.get("filename", ""), e.meta.get("lineno", 0)))
    for entry in directives:
        fact, message = parse_fact(entry, tables)
        if fact is None:
            errors.append(NoteDataError(entry.meta, message or "", entry))
            continue
        key = (fact.note, fact.table, fact.row, fact.year)
        if key in seen:
            first = location(seen[key].meta)
            message = (
                f"note {fact.note} {fact.table}: raden {fact.row!r} for {fact.year} er oppgitt "
                f"to ganger (første gang på {first})"
            )
            errors.append(NoteDataError(entry.meta, message, entry))
            continue
        seen[key] = fact
        facts.append(fact)
    return NoteData(tuple(facts), tuple(errors))


@printable_errors
def check_note_data(
    entries: list[Any], options_map: dict[str, Any], config: str | None = None
) -> tuple[list[Any], list[Any]]:
    """Beancount plugin: report every bad ``custom "nhnfin-note-data"`` directive."""
    refused: list[Any] = no_config("nhnfin.notes.note_data", config)
    guard = per_rule_line(entries, options_map, ("nhnfin.notes.note_data",))
    return entries, [*refused, *read_note_data(entries).errors,
                     *repeated_meta_keys(entries, (DIRECTIVE,)), *guard]
