"""Which ledger account makes which row of the notes' accounts tables (NHN: notes 5's pay costs,
10, 11, 12 and 13).

Each accounts table of the notes layout (``source = "accounts"``, :mod:`nhnfin.notes.layout`)
specifies one statement line: note 13 the balance-sheet line "Annen kortsiktig gjeld", note 5
the income-statement line "Lønnskostnad", and so on. An account is mapped to a row in one of
three ways:

* a range of NS 4102 numbers on the row in the notes layout itself
  (``{ key = "holiday_pay_payable", label = "...", accounts = ["2940"] }``);

* ``note-row`` metadata on the account's ``open`` (wins for its note)::

    2019-12-31 open Liabilities:2940-HolidayPayPayable NOK
      note-row: "holiday_pay_payable"

* a range of NS 4102 numbers in a ``custom "nhnfin-note-accounts"`` directive (note, row, one or
  more ranges)::

    2019-12-31 custom "nhnfin-note-accounts" "5" "salaries" "5000-5399"

Every account the statement line takes must be mapped to a row of its note (note 12 is opt-in:
only the restricted part of the bank deposits is mapped), and a mapped account must lie on the
line. Anything else is an error at the account's ``open`` (or at the directive): enable the check
with ``plugin "nhnfin.notes.note_accounts"``. The note builders use :func:`resolve` and show the
same problems as a failed tie-out, so a report never hides them.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from typing import Any
from typing import NamedTuple

from beancount.core import data

from nhnfin.accounts import account_number
from nhnfin.config import entries_of
from nhnfin.config import no_config
from nhnfin.config import repeated_meta_keys
from nhnfin.config import shared
from nhnfin.errors import location
from nhnfin.errors import printable_errors
from nhnfin.errors import pseudo_source
from nhnfin.layout import Layout
from nhnfin.layout import LineSpec
from nhnfin.layout import NumberRange
from nhnfin.layout import line_accounts
from nhnfin.layout import parse_range
from nhnfin.lock_guard import per_rule_line
from nhnfin.mapping import ledger_accounts
from nhnfin.mapping import resolve_layout
from nhnfin.notes.layout import NoteLayoutError
from nhnfin.notes.layout import NotesLayout
from nhnfin.notes.layout import load_notes_layout
from nhnfin.notes.specs import AccountTable
from nhnfin.notes.specs import account_tables

__plugins__ = ("check_note_accounts",)

DIRECTIVE = "nhnfin-note-accounts"
META_KEY = "note-row"


class NoteAccountError(NamedTuple):
    """A note-row mapping problem at ``source`` (an ``open`` or the range directive)."""

    source: dict[str, Any]
    message: str
    entry: Any


@dataclass(frozen=True)
class RangeRule:
    """Accounts numbered in ``ranges`` make ``row`` of the accounts table ``table`` (its
    ``ident``, ``note:key``) of ``note``: a ``custom "nhnfin-note-accounts"`` directive or a
    row's ``accounts`` in the notes layout (``meta`` says where)."""

    note: str
    table: str
    row: str
    ranges: tuple[NumberRange, ...]
    meta: dict[str, Any]


Problem = tuple[str | None, NoteAccountError]  # the table concerned (None: unknown), the error


@dataclass(frozen=True)
class Resolution:
    """Rows per table (``ident`` -> row -> accounts) and the problems found, by table."""

    rows: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()

    def accounts(self, table: str, row: str) -> tuple[str, ...]:
        """The accounts mapped to ``row`` of the table ``table`` (its ``ident``)."""
        return self.rows.get(table, {}).get(row, ())

    @property
    def errors(self) -> tuple[NoteAccountError, ...]:
        """Every problem, as Beancount errors."""
        return tuple(error for _, error in self.problems)

    def errors_of(self, table: str) -> tuple[NoteAccountError, ...]:
        """The problems of ``table`` and those whose table is unknown (a bad ``note-row``)."""
        return tuple(error for n, error in self.problems if n in (table, None))


def _table_for(tables: tuple[AccountTable, ...], note: str, row: str) -> AccountTable | None:
    return next((t for t in tables if t.note == note and any(r.key == row for r in t.items)),
                None)


def parse_rule(
    entry: data.Custom, tables: tuple[AccountTable, ...]
) -> tuple[RangeRule | None, str | None]:
    """Validate one range directive against the accounts tables: the rule, or None and the
    message."""
    values = [v.value for v in entry.values]
    usage = (
        f'custom "{DIRECTIVE}" tar en note, en rad og ett eller flere intervaller av kontonumre, '
        'f.eks. "5" "salaries" "5000-5399"'
    )
    if len(values) < 3 or not all(isinstance(v, str) for v in values):
        return None, usage
    note, row, *texts = (str(v) for v in values)
    of_note = [t for t in tables if t.note == note]
    if not of_note:
        known = ", ".join(dict.fromkeys(t.note for t in tables))
        return None, f"note {note!r} har ingen kontorader (noter med kontorader: {known})"
    table = _table_for(tables, note, row)
    if table is None:
        rows = ", ".join(r.key for t in of_note for r in t.items)
        return None, f"note {note} har ingen rad {row!r} (rader: {rows})"
    try:
        ranges = tuple(parse_range(t) for t in texts)
    except ValueError as exc:
        return None, str(exc)
    return RangeRule(note, table.ident, row, ranges, entry.meta), None


def _row_list(table: AccountTable) -> str:
    return ", ".join(r.key for r in table.items)


def layout_rules(tables: tuple[AccountTable, ...]) -> list[RangeRule]:
    """The account ranges the notes layout gives its rows, each at the row's file:line."""
    rules = []
    for table in tables:
        for row in table.items:
            if row.ranges:
                name, _, line = row.where.rpartition(":")
                meta = {"filename": name, "lineno": int(line) if line.isdigit() else 0}
                rules.append(RangeRule(table.note, table.ident, row.key, row.ranges, meta))
    return rules


def parse_rules(
    entries: list[Any], tables: tuple[AccountTable, ...] = ()
) -> tuple[list[RangeRule], list[Problem]]:
    """The notes layout's row ranges and every range directive, with an error at each bad one
    and at a range that overlaps another of the same table."""
    rules: list[RangeRule] = []
    problems: list[Problem] = []
    candidates: list[tuple[RangeRule | None, str | None, data.Custom | None]] = [
        (rule, None, None) for rule in layout_rules(tables)]
    for directive in entries_of(entries, data.Custom):
        if directive.type == DIRECTIVE:
            candidates.append((*parse_rule(directive, tables), directive))
    for rule, message, entry in candidates:
        if rule is None:
            assert entry is not None  # the layout's own rules are valid
            note = entry.values[0].value if entry.values else None
            concerned = _ident_of(tables, note)
            problems.append((concerned, NoteAccountError(entry.meta, message or "", entry)))
            continue
        clash = next((r for r in rules if r.table == rule.table and _overlap(r, rule)), None)
        if clash is not None:
            overlap = (
                f"note {rule.note}: intervallet overlapper raden {clash.row!r} på "
                f"{location(clash.meta)}"
            )
            problems.append((rule.table, NoteAccountError(rule.meta, overlap, entry)))
            continue
        rules.append(rule)
    return rules, problems


def _ident_of(tables: tuple[AccountTable, ...], note: object) -> str | None:
    """The (first) accounts table of ``note``, for a bad directive naming it."""
    return next((t.ident for t in tables if t.note == note), None)


def _overlap(a: RangeRule, b: RangeRule) -> bool:
    return any(x.low <= y.high and y.low <= x.high for x in a.ranges for y in b.ranges)


def map_account(
    account: str, open_entry: data.Open | None, rules: list[RangeRule],
    tables: tuple[AccountTable, ...] = (),
) -> tuple[dict[str, str], str | None]:
    """The account's rows (table ``ident`` -> row), or an error message for a bad
    ``note-row``."""
    number = account_number(account)
    mapped = {
        r.table: r.row for r in rules if number is not None and any(number in x for x in r.ranges)
    }
    given = open_entry.meta.get(META_KEY) if open_entry else None
    if given is None:
        return mapped, None
    table = next((t for t in tables if any(r.key == given for r in t.items)), None)
    if table is None:
        known = "; ".join(f"note {t.note}: {_row_list(t)}" for t in tables)
        return mapped, f"{account}: {META_KEY} {given!r} er ingen noterad ({known})"
    return {**mapped, table.ident: str(given)}, None


def _line(layout: Layout, table: AccountTable) -> LineSpec | None:
    try:
        spec = layout.statement(table.statement)
    except KeyError:
        return None
    return next((x for x in spec.lines if x.key == table.line and x.formula is None), None)


def _numbered(accounts: Iterable[str]) -> dict[str, int]:
    """Each account with an NS 4102 number, and the number."""
    return {a: n for a in accounts if (n := account_number(a)) is not None}


def scope_errors(
    table: AccountTable,
    line: LineSpec,
    rows: Mapping[str, Mapping[str, str]],
    opens: Mapping[str, data.Open | None],
    numbers: dict[str, int] | None = None,
) -> list[NoteAccountError]:
    """Accounts of the line mapped to no row of the note, and mapped accounts off the line
    (``numbers``: the accounts' numbers, read here when not given). Only the
    accounts on the line or mapped to the table can be either, so only they are looked at, in
    the order of their names."""
    if numbers is None:
        numbers = _numbered(opens)
    on_line = set(line_accounts(line, numbers))
    here = {a for a, mapped in rows.items() if table.ident in mapped}
    errors: list[NoteAccountError] = []
    for account in sorted(a for a in on_line | here if a in opens):
        mapped = account in here
        source = opens[account]
        meta = source.meta if source else pseudo_source("note_accounts")
        if account in on_line and not mapped and not table.opt_in:
            message = (
                f"{account} havner på linjen {line.label!r} som note {table.note} spesifiserer, "
                f'men er ikke knyttet til noen rad i den: legg {META_KEY}: "<rad>" til '
                f"open-direktivet (rader: {_row_list(table)})"
            )
            errors.append(NoteAccountError(meta, message, source))
        elif mapped and account not in on_line:
            message = (
                f"{account} er knyttet til note {table.note} rad {rows[account][table.ident]!r}, "
                f"men havner ikke på linjen {line.label!r} som note {table.note} spesifiserer"
            )
            errors.append(NoteAccountError(meta, message, source))
    return errors


def resolve(
    entries: list[Any], layout: Layout | None = None, notes: NotesLayout | None = None
) -> Resolution:
    """Map every account to its note rows and check the mapping against the layout.

    Args:
        entries: the ledger's directives.
        layout: the report layout; by default the one the ledger asks for.
        notes: the notes layout; by default the one the ledger asks for.

    Returns:
        The accounts per table (its ``ident``) and row, and every problem found (none when the
        layout itself is invalid: :mod:`nhnfin.mapping` reports that; an invalid notes layout is
        the one problem).
    """
    if notes is None:
        try:
            notes = load_notes_layout(entries)
        except NoteLayoutError as exc:
            source = exc.source or pseudo_source("note_accounts")
            return Resolution(problems=((None, NoteAccountError(source, str(exc), None)),))
    tables = account_tables(notes)
    rules, problems = parse_rules(entries, tables)
    opens = shared(ledger_accounts, entries)
    by_account: dict[str, dict[str, str]] = {}
    for account, open_entry in opens.items():
        mapped, message = map_account(account, open_entry, rules, tables)
        if message is not None:
            meta = open_entry.meta if open_entry else pseudo_source("note_accounts")
            problems.append((None, NoteAccountError(meta, message, open_entry)))
        if mapped:
            by_account[account] = mapped
    if layout is None:
        layout, _ = resolve_layout(entries)
    numbers = _numbered(opens)
    for table in tables:
        line = _line(layout, table) if layout is not None else None
        if line is not None:
            found = scope_errors(table, line, by_account, opens, numbers)
            problems.extend((table.ident, error) for error in found)
    rows: dict[str, dict[str, list[str]]] = {}
    for account in sorted(by_account):
        for ident, row in by_account[account].items():
            rows.setdefault(ident, {}).setdefault(row, []).append(account)
    return Resolution(
        rows={n: {r: tuple(a) for r, a in per.items()} for n, per in rows.items()},
        problems=tuple(problems),
    )


@printable_errors
def check_note_accounts(
    entries: list[Any], options_map: dict[str, Any], config: str | None = None
) -> tuple[list[Any], list[Any]]:
    """Beancount plugin: report accounts mapped to no note row, or to a row off their line."""
    refused: list[Any] = no_config("nhnfin.notes.note_accounts", config)
    guard = per_rule_line(entries, options_map, ("nhnfin.notes.note_accounts",))
    return entries, [*refused, *resolve(entries).errors,
                     *repeated_meta_keys(entries, (DIRECTIVE,)), *guard]
