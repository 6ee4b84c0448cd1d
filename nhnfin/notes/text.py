"""The text of the notes: one template per note that the ledger names, filled in from the books.

A template is Markdown with Jinja2 placeholders (``*.md.j2``), kept beside the ledger::

    2024-12-31 custom "nhnfin-note-text" "2" "notes/note-02.md.j2"

Placeholders stand for figures, never typed-in numbers:

* ``line("payroll_costs")``: a statement line (``"balance_sheet.other_equity"`` if the key is in
  two statements); ``year=prior`` for the prior year.
* ``cell("total", "carried_to_next_year")``: a cell of the note's own table (``table=1`` for its
  second table, ``note="3"`` for another note's).
* ``data("staff", "employees")``: declared data (``custom "nhnfin-note-data"``) of the note.
* ``account("6300")``: the year's movement of the accounts numbered 6300 (a range "6300-6399";
  ``measure="closing"``; ``sign=-1`` for a credit-normal account).
* ``year``, ``prior``: the fiscal year and the one before.
* ``table()`` / ``table(1)``: where the note's tables are printed (tables the text does not place
  follow it).

Filters format: ``kr`` whole kroner (``1 042 953 698``), ``mnok`` millions with one decimal
(``127,7``), ``percent`` (``5,2 %``, or ``percent(sign=" prosent")``), ``number`` (counts);
``narrative("key")`` names a quoted figure as the published report's ``narrative_figures`` do,
so the report compares it with the published text.

Templates run in Jinja2's sandbox and may not include other files. An unknown placeholder, filter
or figure is an error at the template's file:line. A literal amount in the text ("232,8 millioner
kroner" typed in instead of a placeholder) that matches no figure of the statements or notes is a
finding of the report.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field
from decimal import ROUND_HALF_UP
from decimal import Decimal
from decimal import InvalidOperation
from pathlib import Path
from types import TracebackType
from typing import Any

from beancount.core import data
from jinja2 import StrictUndefined
from jinja2 import TemplateError
from jinja2 import TemplateSyntaxError
from jinja2 import nodes
from jinja2.sandbox import SandboxedEnvironment

from nhnfin.layout import parse_range
from nhnfin.ledger import Ledger
from nhnfin.ledger import numbered
from nhnfin.model import NarrativeFigure
from nhnfin.model import Note
from nhnfin.model import Statement
from nhnfin.model import TextBlock
from nhnfin.model import TextFinding
from nhnfin.money import group_thousands
from nhnfin.money import round_krone
from nhnfin.notes.note_data import VALUE
from nhnfin.notes.note_data import NoteData

TEXT_DIRECTIVE = "nhnfin-note-text"
MINUS = "\u2212"
MILLION = Decimal(1_000_000)
TENTH = Decimal("0.1")
GLOBALS = ("line", "cell", "data", "account", "year", "prior", "table")
FILTERS = ("kr", "mnok", "percent", "number", "narrative")
_TABLE_MARK = re.compile(r"^<<nhnfin-table:(\d+)>>$")
_HEADING = re.compile(r"^#{1,6}\s+(.*)$")
_BULLET = re.compile(r"^(?:[-•]|\*(?=\s))\s+(.*)$")
_MONEY = re.compile(
    r"(?<![\d,.])(\d{1,3}(?:[ \u00a0]\d{3})+|\d+)(?:,(\d+))?\s*"
    r"(millioner kroner|millioner|mill\. kroner|mill\. kr|MNOK|kroner|kr\b)"
)


class NoteTextError(Exception):
    """A template cannot be read or filled in; the message starts with ``file:line``."""


class MissingFigure(NoteTextError):
    """The template is sound, but a figure it quotes is not there for the year reported (a
    note or line without that year, data not declared for it): a finding, not an error."""


@dataclass(frozen=True)
class TemplateRef:
    """The template the ledger names for note ``number``, and the directive naming it."""

    number: str
    path: Path
    meta: dict[str, Any]


def note_templates(entries: list[Any]) -> dict[str, TemplateRef]:
    """Every ``custom "nhnfin-note-text"`` directive: note number -> template.

    Raises:
        NoteTextError: a directive is malformed or names a note twice (at its file:line).
    """
    found: dict[str, TemplateRef] = {}
    for entry in entries:
        if not (isinstance(entry, data.Custom) and entry.type == TEXT_DIRECTIVE):
            continue
        where = f"{entry.meta.get('filename')}:{entry.meta.get('lineno')}"
        values = [v.value for v in entry.values or []]
        if len(values) != 2 or not all(isinstance(v, str) for v in values):
            raise NoteTextError(
                f'{where}: custom "{TEXT_DIRECTIVE}" takes a note number and a template path, '
                'e.g. "2" "notes/note-02.md.j2"'
            )
        number, name = values
        if number in found:
            raise NoteTextError(f"{where}: note {number} has a template already")
        path = Path(name)
        if not path.is_absolute():
            path = Path(entry.meta.get("filename", ".")).parent / path
        found[number] = TemplateRef(number, path, dict(entry.meta))
    return found


def note_template_files(entries: list[Any]) -> list[Path]:
    """The template files a ledger names (inputs of its report, for the report cache and the
    period lock); malformed directives are left out (building the report reports them)."""
    files: list[Path] = []
    for entry in entries:
        if isinstance(entry, data.Custom) and entry.type == TEXT_DIRECTIVE:
            values = [v.value for v in entry.values or []]
            if len(values) == 2 and isinstance(values[1], str):
                path = Path(values[1])
                if not path.is_absolute():
                    path = Path(entry.meta.get("filename", ".")).parent / path
                files.append(path)
    return sorted(set(files))


# --- formatting ------------------------------------------------------------------------------


def _decimal(value: object, what: str) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    raise NoteTextError(f"{what} takes a figure, got {value!r}")


def _signed(text: str, negative: bool) -> str:
    return f"{MINUS}{text}" if negative else text


def decimal_text(value: Decimal, decimals: int | None = None) -> str:
    """A number with a decimal comma and grouped thousands: 1 043,5; as declared when
    ``decimals`` is None (4.0 stays "4,0")."""
    if decimals is not None:
        value = value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    text = format(abs(value), "f")
    whole, _, fraction = text.partition(".")
    grouped = group_thousands(whole, " ")
    return _signed(f"{grouped},{fraction}" if fraction else grouped, value < 0)


def kr(value: object) -> str:
    """Whole kroner: 1 042 953 698."""
    rounded = round_krone(_decimal(value, "kr"))
    return _signed(group_thousands(str(abs(int(rounded))), " "), rounded < 0)


def mnok(value: object) -> str:
    """Millions of kroner with one decimal: 127,7."""
    return decimal_text(_decimal(value, "mnok") / MILLION, 1)


def percent(value: object, decimals: int | None = None, sign: str = " %") -> str:
    """A percentage as declared (5,2 %); ``sign=" prosent"`` writes the word."""
    return decimal_text(_decimal(value, "percent"), decimals) + sign


def number(value: object, decimals: int | None = None) -> str:
    """A count or plain number: 976, 1 294."""
    return decimal_text(_decimal(value, "number"), decimals)


def plain_value(text: str) -> str:
    """A printed figure as a plain number string: "1 042,5" -> "1042.5", "−3" -> "-3"."""
    return (
        text.replace(" ", "").replace("\u00a0", "").replace(",", ".").replace(MINUS, "-").strip()
    )


# --- the template's view of the books -----------------------------------------------------


@dataclass
class Context:
    """What a template of note ``number`` can quote, for fiscal year ``year``."""

    ledger: Ledger
    year: int
    number: str
    statements: tuple[Statement, ...]
    notes: dict[str, Note]
    note_data: NoteData
    figures: list[tuple[str, str, int]] = field(default_factory=list)  # key, text, line
    line_of: Callable[[], int] = lambda: 0

    def line(self, key: str, year: int | None = None) -> Decimal:
        statement_key, _, line_key = key.rpartition(".")
        wanted = str(year or self.year)
        found = [
            row
            for s in self.statements
            if not statement_key or s.key == statement_key
            for row in s.rows
            if row.key == line_key
        ]
        if not found:
            raise NoteTextError(f"line({key!r}): no statement has a line {line_key!r}")
        if len(found) > 1:
            raise NoteTextError(f"line({key!r}): two statements have it; write statement.line")
        if wanted not in found[0].amounts:
            raise MissingFigure(f"line({key!r}): no figure for {wanted}")
        return found[0].amounts[wanted]

    def cell(
        self, row: str, column: str, table: int | str = 0, note: str | None = None
    ) -> Decimal:
        number = note or self.number
        built = self.notes.get(number)
        if built is None:
            raise MissingFigure(f"cell({row!r}, {column!r}): note {number} has no tables")
        if isinstance(table, str):
            chosen = [t for t in built.tables if t.caption == table]
        else:
            chosen = list(built.tables[table : table + 1]) if table >= 0 else []
        if not chosen:
            raise NoteTextError(f"cell: note {number} has no table {table!r}")
        try:
            value = chosen[0].row(row).values.get(column)
        except KeyError:
            rows = ", ".join(r.key for r in chosen[0].rows)
            raise NoteTextError(
                f"cell({row!r}, {column!r}): note {number} table {table!r} has no row {row!r} "
                f"(rows: {rows})"
            ) from None
        if value is None:
            columns = ", ".join(c.key for c in chosen[0].columns)
            raise MissingFigure(
                f"cell({row!r}, {column!r}): no figure in column {column!r} (columns: {columns})"
            )
        return value

    def data(
        self,
        table: str,
        row: str,
        column: str = VALUE,
        year: int | None = None,
        note: str | None = None,
    ) -> Decimal:
        number = note or self.number
        fact = self.note_data.fact(number, table, row, year or self.year)
        if fact is None or column not in fact.values:
            raise MissingFigure(
                f"data({table!r}, {row!r}): note {number} declares no {column!r} for "
                f"{year or self.year} (custom \"nhnfin-note-data\")"
            )
        return fact.values[column]

    def account(
        self, numbers: str, year: int | None = None, measure: str = "movement", sign: int = 1
    ) -> Decimal:
        try:
            span = parse_range(str(numbers))
        except ValueError as exc:
            raise NoteTextError(f"account({numbers!r}): {exc}") from None
        accounts = [a for a, n in numbered(self.ledger.accounts()).items() if n in span]
        wanted = year or self.year
        if measure == "movement":
            amount = self.ledger.movement(accounts, wanted)
        elif measure == "closing":
            amount = self.ledger.closing(accounts, wanted)
        else:
            raise NoteTextError(f"account({numbers!r}): measure is movement or closing")
        return amount * sign

    def narrative(self, text: str, key: str) -> str:
        if not re.match(r"^[a-z0-9_]+$", str(key)):
            raise NoteTextError(f"narrative({key!r}): a key is lower-case letters, digits and _")
        self.figures.append((str(key), str(text), self.line_of()))
        return str(text)


def table_mark(index: int = 0) -> str:
    """Where table ``index`` of the note goes."""
    return f"\n\n<<nhnfin-table:{int(index)}>>\n\n"


# --- validating and filling in ---------------------------------------------------------------


def _environment() -> SandboxedEnvironment:
    env = SandboxedEnvironment(
        undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True
    )
    for name in FILTERS:
        env.filters[name] = _placeholder_filter
    return env


def _placeholder_filter(value: object, *args: object) -> str:  # replaced per render
    raise NoteTextError("filters are bound when a template is filled in")


def validate_template(source: str, name: str) -> None:
    """Check a template without filling it in.

    Raises:
        NoteTextError: ``name:line: what is wrong`` (syntax, unknown placeholder or filter, an
            include).
    """
    env = _environment()
    try:
        tree = env.parse(source, name=name, filename=name)
        env.compile(source, name=name, filename=name)
    except TemplateSyntaxError as exc:
        raise NoteTextError(f"{name}:{exc.lineno}: {exc.message}") from None
    for include in tree.find_all((nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends)):
        raise NoteTextError(
            f"{name}:{include.lineno}: a note template may not include other files"
        )
    names = list(tree.find_all(nodes.Name))
    stored = {n.name for n in names if n.ctx in ("store", "param")}
    for name_node in names:
        if name_node.ctx == "load" and name_node.name not in (*GLOBALS, *stored):
            known = ", ".join(GLOBALS)
            raise NoteTextError(
                f"{name}:{name_node.lineno}: unknown placeholder {name_node.name!r} "
                f"(known: {known})"
            )


def _template_line(tb: TracebackType | None, filename: str) -> int:
    line = 0
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == filename:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _calling_line(filename: str, template: Any) -> int:
    frame = sys._getframe(1)
    while frame is not None:
        if frame.f_code.co_filename == filename:
            return int(template.get_corresponding_lineno(frame.f_lineno))
        frame = frame.f_back  # type: ignore[assignment]
    return 0


@dataclass(frozen=True)
class FilledText:
    """A note's text: its blocks and the figures it quotes."""

    blocks: tuple[TextBlock, ...]
    figures: tuple[NarrativeFigure, ...]


def fill_template(
    source: str, name: str, context: Context, shown_as: str | None = None
) -> FilledText:
    """Validate and fill in a template called ``name`` (its file) for ``context``; the figures
    name their source as ``shown_as`` (e.g. relative to the ledger), by default ``name``.

    Raises:
        NoteTextError: ``name:line: what is wrong``.
    """
    validate_template(source, name)
    env = _environment()
    env.filters.update(
        kr=kr, mnok=mnok, percent=percent, number=number, narrative=context.narrative
    )
    code = env.compile(source, name=name, filename=name)
    template = env.template_class.from_code(env, code, env.make_globals(None), None)
    context.line_of = lambda: _calling_line(name, template)
    values = {
        "line": context.line,
        "cell": context.cell,
        "data": context.data,
        "account": context.account,
        "year": context.year,
        "prior": context.year - 1,
        "table": table_mark,
    }
    try:
        text = template.render(values)
    except NoteTextError as exc:
        line = _template_line(exc.__traceback__, name)
        raise type(exc)(f"{name}:{line}: {exc}") from None
    except (TemplateError, TypeError, ValueError, ArithmeticError) as exc:
        line = _template_line(exc.__traceback__, name)
        raise NoteTextError(f"{name}:{line}: {exc}") from None
    figures = tuple(
        NarrativeFigure(key, shown, plain_value(shown), f"{shown_as or name}:{line}")
        for key, shown, line in context.figures
    )
    return FilledText(parse_blocks(text), figures)


def parse_blocks(text: str) -> tuple[TextBlock, ...]:
    """Rendered Markdown as blocks: ``#`` headings, ``-`` lists, table marks and paragraphs
    (lines joined by one space; a blank line ends a paragraph)."""
    blocks: list[TextBlock] = []
    paragraph: list[str] = []
    items: list[str] = []

    def flush() -> None:
        if paragraph:
            blocks.append(TextBlock("paragraph", " ".join(paragraph)))
            paragraph.clear()
        if items:
            blocks.append(TextBlock("list", items=tuple(items)))
            items.clear()

    for raw in text.splitlines():
        line = raw.strip()
        mark, heading, bullet = _TABLE_MARK.match(line), _HEADING.match(line), _BULLET.match(line)
        if not line:
            flush()
        elif mark:
            flush()
            blocks.append(TextBlock("table", table=int(mark.group(1))))
        elif heading:
            flush()
            blocks.append(TextBlock("heading", heading.group(1).strip()))
        elif bullet:
            if paragraph:
                flush()
            items.append(bullet.group(1).strip())
        elif items and raw[:1].isspace():
            items[-1] = f"{items[-1]} {line}"
        else:
            if items:
                flush()
            paragraph.append(line)
    flush()
    return tuple(blocks)


# --- literal figures -------------------------------------------------------------------------


def literal_amounts(source: str) -> list[tuple[int, str, Decimal, bool]]:
    """Amounts typed into a template's text (outside placeholders): (line, as written, value,
    whether in millions)."""
    found: list[tuple[int, str, Decimal, bool]] = []
    env = _environment()
    try:
        tokens = list(env.lex(source))
    except TemplateSyntaxError:
        return found
    for lineno, kind, value in tokens:
        if kind != "data":
            continue
        for match in _MONEY.finditer(value):
            digits = match.group(1).replace(" ", "").replace("\u00a0", "")
            try:
                amount = Decimal(f"{digits}.{match.group(2)}" if match.group(2) else digits)
            except InvalidOperation:
                continue
            millions = not match.group(3).startswith("kr")
            line = lineno + value.count("\n", 0, match.start())
            found.append((line, match.group(0).strip(), amount, millions))
    return found


def report_figures(statements: tuple[Statement, ...], notes: tuple[Note, ...]) -> set[Decimal]:
    """Every figure the statements and note tables show (exact)."""
    figures = {a for s in statements for row in s.rows for a in row.amounts.values()}
    for note in notes:
        for table in note.tables:
            for row in table.rows:
                figures.update(v for v in row.values.values() if v is not None)
    return figures


def literal_findings(
    source: str, name: str, figures: set[Decimal]
) -> tuple[TextFinding, ...]:
    """Typed-in amounts that no statement or note figure gives (in kroner, or in millions with
    the decimals written)."""
    kroner = {abs(round_krone(f)) for f in figures}
    findings: list[TextFinding] = []
    for line, written, amount, millions in literal_amounts(source):
        if millions:
            decimals = -amount.as_tuple().exponent  # type: ignore[operator]
            quantum = Decimal(1).scaleb(-int(decimals))
            shown = {abs(f / MILLION).quantize(quantum, rounding=ROUND_HALF_UP) for f in figures}
            known = amount in shown
        else:
            known = amount in kroner
        if not known:
            findings.append(
                TextFinding(
                    where=f"{name}:{line}",
                    figure=written,
                    message=(
                        f"«{written}» står som tekst i malen, og ingen figur i oppstillingene "
                        "eller notene gir det; skriv det som en plassholder"
                    ),
                )
            )
    return tuple(findings)
