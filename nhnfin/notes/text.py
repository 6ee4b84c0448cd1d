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

import dataclasses
import datetime
import re
import sys
from collections.abc import Callable
from collections.abc import Sequence
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

from nhnfin.drill import declared
from nhnfin.drill import postings
from nhnfin.files import directive_path
from nhnfin.layout import parse_range
from nhnfin.ledger import Ledger
from nhnfin.ledger import numbered
from nhnfin.model import Drill
from nhnfin.model import NarrativeFigure
from nhnfin.model import Note
from nhnfin.model import Statement
from nhnfin.model import TextBlock
from nhnfin.model import TextFigure
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
# A printed figure in the filled-in text, before it is split into blocks: OPEN, its index in
# Context.quotes, SHUT, the figure as printed, END (private-use characters no text has).
OPEN, SHUT, END = "\ue000", "\ue001", "\ue002"
_QUOTE = re.compile(f"{OPEN}(\\d+){SHUT}([^{END}]*){END}")
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


class Figure(Decimal):
    """A figure a placeholder gives, with what makes it (``drill``: the statement line's, the
    note cell's, the declared directive's or the accounts' postings). Arithmetic on it gives a
    plain Decimal: a figure the template computes has no drill."""

    drill: Drill | None

    def __new__(cls, value: Decimal, drill: Drill | None) -> Figure:
        figure = super().__new__(cls, value)
        figure.drill = drill
        return figure


class Printed(str):
    """A filter's output: the figure as printed, marked with its place among the quotes. It
    compares and hashes as the printed text, so ``{% if x | mnok == "0,0" %}`` works."""

    __slots__ = ()

    def __eq__(self, other: object) -> bool:
        return unmarked(str(self)) == (unmarked(other) if isinstance(other, str) else other)

    def __ne__(self, other: object) -> bool:
        return not self == other

    def __hash__(self) -> int:
        return hash(unmarked(str(self)))


@dataclass(frozen=True)
class Quote:
    """A figure a filter printed: as printed, the exact figure, its unit and last digit, and
    what makes it."""

    text: str
    value: Decimal
    scale: Decimal
    quantum: Decimal
    drill: Drill | None
    key: str = ""


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
                f'{where}: custom "{TEXT_DIRECTIVE}" tar et notenummer og stien til en mal, '
                'f.eks. "2" "notes/note-02.md.j2"'
            )
        number, name = values
        if number in found:
            raise NoteTextError(f"{where}: note {number} har en mal fra før")
        found[number] = TemplateRef(number, directive_path(entry, name), dict(entry.meta))
    return found


def note_template_files(entries: list[Any]) -> list[Path]:
    """The template files a ledger names (inputs of its report, for the report cache and the
    period lock); malformed directives are left out (building the report reports them)."""
    files: list[Path] = []
    for entry in entries:
        if isinstance(entry, data.Custom) and entry.type == TEXT_DIRECTIVE:
            values = [v.value for v in entry.values or []]
            if len(values) == 2 and isinstance(values[1], str):
                files.append(directive_path(entry, values[1]))
    return sorted(set(files))


# --- formatting ------------------------------------------------------------------------------


def _decimal(value: object, what: str) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    raise NoteTextError(f"{what} tar et tall, men fikk {value!r}")


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
        unmarked(text).replace(" ", "").replace("\u00a0", "").replace(",", ".")
        .replace(MINUS, "-").strip()
    )


def unmarked(text: str) -> str:
    """Filled-in text without the marks around its printed figures."""
    return _QUOTE.sub(lambda m: m.group(2), text)


def declared_quantum(value: Decimal) -> Decimal:
    """The last digit of a figure as declared: 5.2 -> 0.1, 976 -> 1."""
    exponent = value.as_tuple().exponent
    return Decimal(1).scaleb(min(int(exponent), 0)) if isinstance(exponent, int) else Decimal(1)


# (the printing function, its scale, its last printed digit for a value and the arguments)
_Printer = Callable[..., str]
PRINTERS: dict[str, tuple[_Printer, Decimal, Callable[..., Decimal]]] = {
    "kr": (kr, Decimal(1), lambda value: Decimal(1)),
    "mnok": (mnok, MILLION, lambda value: TENTH),
    "percent": (percent, Decimal(1),
                lambda value, decimals=None, sign=" %": (
                    declared_quantum(value) if decimals is None
                    else Decimal(1).scaleb(-int(decimals)))),
    "number": (number, Decimal(1),
               lambda value, decimals=None: (
                   declared_quantum(value) if decimals is None
                   else Decimal(1).scaleb(-int(decimals)))),
}


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
    quotes: list[Quote] = field(default_factory=list)
    line_of: Callable[[], int] = lambda: 0

    def printer(self, name: str) -> Callable[..., str]:
        """The filter ``name`` (kr, mnok, percent, number): prints the figure and marks it, so
        the text's blocks know where each figure stands and what makes it."""
        show, scale, quantum = PRINTERS[name]

        def quoted(value: object, *args: Any, **kwargs: Any) -> str:
            text = show(value, *args, **kwargs)
            figure = _decimal(value, name)
            drill = value.drill if isinstance(value, Figure) else None
            self.quotes.append(Quote(text, Decimal(figure), scale,
                                     quantum(figure, *args, **kwargs), drill))
            return Printed(f"{OPEN}{len(self.quotes) - 1}{SHUT}{text}{END}")

        return quoted

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
            raise NoteTextError(f"line({key!r}): ingen oppstilling har linjen {line_key!r}")
        if len(found) > 1:
            raise NoteTextError(f"line({key!r}): to oppstillinger har linjen; skriv "
                                "oppstillingens nøkkel foran (f.eks. balance_sheet.other_equity)")
        if wanted not in found[0].amounts:
            raise MissingFigure(f"line({key!r}): linjen har ikke noe tall for {wanted}")
        return Figure(found[0].amounts[wanted], found[0].drill.get(wanted))

    def cell(
        self, row: str, column: str, table: int | str = 0, note: str | None = None
    ) -> Decimal:
        number = note or self.number
        built = self.notes.get(number)
        if built is None:
            raise MissingFigure(f"cell({row!r}, {column!r}): note {number} har ingen tabeller")
        if isinstance(table, str):
            chosen = [t for t in built.tables if t.caption == table]
        else:
            chosen = list(built.tables[table : table + 1]) if table >= 0 else []
        if not chosen:
            raise NoteTextError(f"cell: note {number} har ingen tabell {table!r}")
        try:
            found = chosen[0].row(row)
        except KeyError:
            rows = ", ".join(r.key for r in chosen[0].rows)
            raise NoteTextError(
                f"cell({row!r}, {column!r}): tabell {table!r} i note {number} har ingen rad "
                f"{row!r} (rader: {rows})"
            ) from None
        value = found.values.get(column)
        if value is None:
            columns = ", ".join(c.key for c in chosen[0].columns)
            raise MissingFigure(
                f"cell({row!r}, {column!r}): kolonnen {column!r} har ikke noe tall "
                f"(kolonner: {columns})"
            )
        return Figure(value, found.drill.get(column))

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
                f"data({table!r}, {row!r}): note {number} har ikke oppgitt {column!r} for "
                f"{year or self.year} (custom \"nhnfin-note-data\")"
            )
        what = f"Oppgitt: note {number}, {table}, {fact.label or row}"
        return Figure(fact.values[column], declared([(fact.meta, column)], what))

    def account(
        self, numbers: str, year: int | None = None, measure: str = "movement", sign: int = 1
    ) -> Decimal:
        try:
            span = parse_range(str(numbers))
        except ValueError as exc:
            raise NoteTextError(f"account({numbers!r}): {exc}") from None
        accounts = [a for a, n in numbered(self.ledger.accounts()).items() if n in span]
        wanted = year or self.year
        end = datetime.date(wanted + 1, 1, 1)
        if measure == "movement":
            amount = self.ledger.movement(accounts, wanted)
            start: datetime.date | None = datetime.date(wanted, 1, 1)
        elif measure == "closing":
            amount = self.ledger.closing(accounts, wanted)
            start = None
        else:
            raise NoteTextError(f"account({numbers!r}): measure er movement eller closing")
        return Figure(amount * sign, postings(sorted(accounts), start, end, sign=sign))

    def narrative(self, text: str, key: str) -> str:
        if not re.match(r"^[a-z0-9_]+$", str(key)):
            raise NoteTextError(f"narrative({key!r}): en nøkkel består av små bokstaver, sifre "
                                "og _")
        marks = list(_QUOTE.finditer(str(text)))
        for mark in marks:
            index = int(mark.group(1))
            self.quotes[index] = dataclasses.replace(self.quotes[index], key=str(key))
        self.figures.append((str(key), unmarked(str(text)), self.line_of()))
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
    raise NoteTextError("filtrene virker først når malen fylles ut")


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
            f"{name}:{include.lineno}: en notemal kan ikke ta med andre filer"
        )
    names = list(tree.find_all(nodes.Name))
    stored = {n.name for n in names if n.ctx in ("store", "param")}
    for name_node in names:
        if name_node.ctx == "load" and name_node.name not in (*GLOBALS, *stored):
            known = ", ".join(GLOBALS)
            raise NoteTextError(
                f"{name}:{name_node.lineno}: ukjent plassholder {name_node.name!r} "
                f"(kjente: {known})"
            )


def _template_line(tb: TracebackType | None, filename: str) -> int:
    line = 0
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == filename:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _no_line() -> int:
    return 0


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
    env.filters.update({name: context.printer(name) for name in PRINTERS})
    env.filters["narrative"] = context.narrative
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
    finally:
        # the context and the template (through its environment's filters) point at each other,
        # and Jinja's environment and template at each other: without this, the context and the
        # ledger it holds would wait for a full run of Python's cyclic collector, which a
        # long-lived Fava with nhnfin's thresholds seldom makes (docs/fava.md)
        context.line_of = _no_line
        env.filters.clear()
    figures = tuple(
        NarrativeFigure(key, shown, plain_value(shown), f"{shown_as or name}:{line}")
        for key, shown, line in context.figures
    )
    return FilledText(parse_blocks(text, context.quotes), figures)


def parse_blocks(text: str, quotes: Sequence[Quote] = ()) -> tuple[TextBlock, ...]:
    """Rendered Markdown as blocks: ``#`` headings, ``-`` lists, table marks and paragraphs
    (lines joined by one space; a blank line ends a paragraph). The figures the filters marked
    (``quotes``) become each block's ``figures``, at their place in its text."""
    blocks: list[TextBlock] = []
    paragraph: list[str] = []
    items: list[str] = []

    def flush() -> None:
        if paragraph:
            plain, figures = _placed(" ".join(paragraph), quotes)
            blocks.append(TextBlock("paragraph", plain, figures=figures))
            paragraph.clear()
        if items:
            placed = [_placed(item, quotes, index) for index, item in enumerate(items)]
            blocks.append(TextBlock("list", items=tuple(p for p, _ in placed),
                                    figures=tuple(f for _, fs in placed for f in fs)))
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
            plain, figures = _placed(heading.group(1).strip(), quotes)
            blocks.append(TextBlock("heading", plain, figures=figures))
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


def _placed(
    text: str, quotes: Sequence[Quote], item: int | None = None
) -> tuple[str, tuple[TextFigure, ...]]:
    """``text`` without its figure marks, and each marked figure at its place in it."""
    plain: list[str] = []
    figures: list[TextFigure] = []
    at, length = 0, 0
    for mark in _QUOTE.finditer(text):
        plain.append(text[at : mark.start()])
        length += mark.start() - at
        shown = mark.group(2)
        index = int(mark.group(1))
        if index < len(quotes):
            quote = quotes[index]
            figures.append(TextFigure(
                start=length, end=length + len(shown), text=shown, value=quote.value,
                scale=quote.scale, quantum=quote.quantum, drill=quote.drill, item=item,
                key=quote.key,
            ))
        plain.append(shown)
        length += len(shown)
        at = mark.end()
    plain.append(text[at:])
    return "".join(plain), tuple(figures)


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
    source: str, name: str, figures: set[Decimal], note: str = ""
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
                    note=note,
                )
            )
    return tuple(findings)
