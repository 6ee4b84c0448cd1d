"""The report layout: which accounts make which line of the income statement, balance sheet and
cash-flow statement (regnskapsloven §§ 6-1, 6-2 and NRS 2, in the form NHN publishes).

The layout is data (TOML, validated with pydantic), not code: ``nhnfin/data/layout_nhn.toml`` is
NHN's published layout, and a ledger may point at its own with
``custom "nhnfin-layout" "path/to/layout.toml"``. Accounts are chosen by their NS 4102 number
("3000-3099", "3400"); see :mod:`nhnfin.mapping` for the check that every account lands on
exactly one line.
"""

from __future__ import annotations

import re
import tomllib
from importlib import resources
from pathlib import Path
from typing import Annotated
from typing import Literal

from pydantic import BaseModel
from pydantic import BeforeValidator
from pydantic import ConfigDict
from pydantic import Field
from pydantic import ValidationError
from pydantic import model_validator

from nhnfin.errors import TomlLoc
from nhnfin.errors import toml_line
from nhnfin.errors import toml_problem
from nhnfin.errors import validation_problems
from nhnfin.files import read_regular_file
from nhnfin.model import Kind

# Cash-flow lines made from the ledger's transactions, not from accounts of their own (see
# nhnfin.statements): "non_cash", the result's non-cash items that reach another section;
# "opening_balance", the cash the books' opening balance brings in (not a flow of the year);
# "untaken", the cash moved against accounts no movement line takes (other equity, transfers)
Measure = Literal["movement", "closing", "opening", "non_cash", "opening_balance", "untaken"]
DERIVED_MEASURES = ("non_cash", "opening_balance", "untaken")
STATEMENT_KEYS = ("income_statement", "balance_sheet", "cash_flow")

_RANGE = re.compile(r"^\s*(\d{4})\s*(?:-\s*(\d{4})\s*)?$")
_TERM = re.compile(r"\s*([+-])\s*([a-z0-9_]+)")



class NumberRange(BaseModel):
    """An inclusive range of NS 4102 account numbers."""

    model_config = ConfigDict(defer_build=True, frozen=True)

    low: int
    high: int

    def __contains__(self, number: object) -> bool:
        return isinstance(number, int) and self.low <= number <= self.high

    def __str__(self) -> str:
        return f"{self.low}" if self.low == self.high else f"{self.low}-{self.high}"


def parse_range(text: str) -> NumberRange:
    """Parse "3000-3099" or "3400" into a :class:`NumberRange`."""
    match = _RANGE.match(text)
    if not match:
        raise ValueError(f"ikke et kontonummer eller intervall: {text!r} (skriv 3000 eller "
                         "3000-3099)")
    low = int(match.group(1))
    high = int(match.group(2) or match.group(1))
    if high < low:
        raise ValueError(f"intervallet {text!r} slutter før det begynner")
    return NumberRange(low=low, high=high)


def parse_formula(text: str) -> tuple[tuple[int, str], ...]:
    """Parse "+ a - b" (the first sign may be left out) into ((+1, "a"), (-1, "b"))."""
    body = text.strip()
    if body and body[0] not in "+-":
        body = "+ " + body
    terms: list[tuple[int, str]] = []
    position = 0
    for match in _TERM.finditer(body):
        if match.start() != position:
            break
        terms.append((1 if match.group(1) == "+" else -1, match.group(2)))
        position = match.end()
    if not terms or body[position:].strip():
        raise ValueError(f"formelen {text!r}: skriv nøkler forbundet med + og -, "
                         "f.eks. 'a + b - c'")
    return tuple(terms)


def _to_ranges(value: object) -> object:
    """A list of "3000-3099" texts as :class:`NumberRange` (before validation)."""
    if isinstance(value, list | tuple):
        return tuple(parse_range(v) if isinstance(v, str) else v for v in value)
    return value


# account numbers as a layout writes them: ["3000-3099", "3400"]
Ranges = Annotated[tuple[NumberRange, ...], BeforeValidator(_to_ranges)]


class LineSpec(BaseModel):
    """One line of a statement: an item computed from accounts, or a subtotal from a formula."""

    model_config = ConfigDict(defer_build=True, frozen=True, extra="forbid")

    key: str = Field(pattern=r"^[a-z0-9_]+$")
    label: str
    # the label in a period report (to a date before 31 December): "Periodens resultat"
    period_label: str | None = Field(default=None, min_length=1)
    note: str | None = None
    section: str = ""
    kind: Kind = Kind.ITEM
    accounts: Ranges = ()
    measure: Measure | None = None
    sign: Literal[1, -1] = 1
    formula: str | None = None
    optional: bool = False  # printed only when it has an amount in one of the years

    @model_validator(mode="after")
    def _item_or_formula(self) -> LineSpec:
        if self.formula is not None:
            parse_formula(self.formula)
            if self.accounts:
                raise ValueError(f"linjen {self.key!r}: oppgi enten accounts eller formula, ikke "
                                 "begge")
        elif self.measure is None or (not self.accounts
                                      and self.measure not in DERIVED_MEASURES):
            raise ValueError(f"linjen {self.key!r}: en postlinje trenger accounts og measure")
        return self

    @property
    def terms(self) -> tuple[tuple[int, str], ...]:
        """The parsed formula (empty for an item)."""
        return parse_formula(self.formula) if self.formula else ()

    def matches(self, number: int) -> bool:
        """Whether an account numbered ``number`` belongs to this item line."""
        return any(number in r for r in self.accounts)


class StatementSpec(BaseModel):
    """A statement: its lines in print order, and the accounts every one of which must land on
    exactly one line (``covers``), less those deliberately left out (``excluded``)."""

    model_config = ConfigDict(defer_build=True, frozen=True, extra="forbid")

    key: Literal["income_statement", "balance_sheet", "cash_flow"]
    title: str
    covers: Ranges
    excluded: Ranges = ()
    lines: tuple[LineSpec, ...]

    def line_sign(self, key: str) -> int:
        """The sign of the line ``key`` (KeyError if there is none)."""
        for line in self.lines:
            if line.key == key:
                return line.sign
        raise KeyError(key)

    def coverage_lines(self) -> tuple[LineSpec, ...]:
        """Item lines that take part in the coverage check (opening/closing cash lines do not,
        in the cash flow: they restate balances already moved by the other lines)."""
        if self.key == "cash_flow":
            return tuple(line for line in self.lines if line.measure == "movement")
        return tuple(line for line in self.lines if line.formula is None)


class Layout(BaseModel):
    """The three statements of the annual report."""

    model_config = ConfigDict(defer_build=True, frozen=True, extra="forbid")

    name: str
    statements: tuple[StatementSpec, ...]

    def statement(self, key: str) -> StatementSpec:
        """The statement ``key``."""
        for statement in self.statements:
            if statement.key == key:
                return statement
        raise KeyError(key)


def line_accounts(line: LineSpec, accounts: dict[str, int]) -> tuple[str, ...]:
    """The ledger accounts an item line takes.

    The line's ranges are tested once per distinct number, not once per account: thousands of
    customer and supplier sub-accounts share a handful of numbers.
    """
    taken = {number for number in set(accounts.values()) if line.matches(number)}
    return tuple(sorted(a for a, number in accounts.items() if number in taken))


Problem = tuple[TomlLoc, str]  # where in the file (a pydantic-style location), what


def _line_problems(index: int, statement: StatementSpec) -> list[Problem]:
    """A line key given twice in a statement, or a formula naming a key not above it."""
    problems: list[Problem] = []
    seen: set[str] = set()
    for number, line in enumerate(statement.lines):
        where = ("statements", index, "lines", number)
        if line.key in seen:
            problems.append(((*where, "key"), f"{statement.key}: linjenøkkelen {line.key!r} står "
                                              "to ganger"))
        for _, ref in line.terms:
            if ref not in seen:
                problems.append(((*where, "formula"), f"{statement.key}: linjen {line.key!r} "
                                 f"viser til {ref!r}, som ikke er en linje over den"))
        seen.add(line.key)
    return problems


def layout_problems(layout: Layout) -> list[Problem]:
    """What pydantic cannot see in one entry, each at its place in the file: a statement given
    twice (at the second), a statement missing, a line key twice in a statement, a formula that
    names no line above it."""
    problems: list[Problem] = []
    seen: set[str] = set()
    for index, statement in enumerate(layout.statements):
        if statement.key in seen:
            problems.append((("statements", index, "key"), f"oppstillingen {statement.key} er "
                             "oppgitt to ganger (den andre ville blitt oversett)"))
        seen.add(statement.key)
        problems.extend(_line_problems(index, statement))
    missing = [k for k in STATEMENT_KEYS if k not in seen]
    if missing:
        problems.append(((), f"en layout oppgir hver av {', '.join(STATEMENT_KEYS)} én gang "
                             f"([[statements]] med key = ...): mangler {', '.join(missing)}"))
    return problems


class LayoutError(ValueError):
    """A layout file is not a valid layout: ``line`` (1-based) in the file, ``problem`` what is
    wrong there (in Norwegian, the place in the file first: ``statements.0.lines.3.key: ...``),
    ``syntax`` when it is not TOML at all."""

    def __init__(self, line: int, problem: str, *, syntax: bool = False) -> None:
        super().__init__(f"linje {line}: {problem}")
        self.line = line
        self.problem = problem
        self.syntax = syntax


def parse_layout(text: str) -> Layout:
    """Validate the text of a layout file.

    Raises:
        LayoutError: at the line of the key at fault (tomllib gives no positions: the line is
            found in the text, :func:`nhnfin.errors.toml_line`).
    """
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line, problem = toml_problem(exc, text)
        raise LayoutError(line, problem, syntax=True) from exc
    try:
        layout = Layout.model_validate(raw)
    except ValidationError as exc:
        first = tuple(exc.errors()[0]["loc"])
        raise LayoutError(toml_line(text, first), validation_problems(exc)) from exc
    problems = layout_problems(layout)
    if problems:
        loc, message = problems[0]
        where = ".".join(str(p) for p in loc)
        raise LayoutError(toml_line(text, loc), f"{where}: {message}" if where else message)
    return layout


def load_layout(path: Path | None = None) -> Layout:
    """Read and validate a layout file; the packaged NHN layout when ``path`` is None.

    Raises:
        LayoutError, OSError, UnicodeDecodeError: the file is not a valid layout.
    """
    if path is None:
        text = resources.files("nhnfin").joinpath("data/layout_nhn.toml").read_text("utf-8")
    else:
        text = read_regular_file(path).decode("utf-8")
    return parse_layout(text)
