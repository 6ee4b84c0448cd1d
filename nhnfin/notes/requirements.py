"""The statement lines the notes and the tie-outs read, by layout key.

A layout of the ledger's own must have these lines, or a note would silently go missing or a
tie-out fail for no reason the user can see. The layout check (``nhnfin.mapping``, part of
``plugin "nhnfin"``) reports each missing line at the layout directive. A note of a rule is
required only when the ledger uses the rule (has one of the directives that switch it on).
"""

from __future__ import annotations

from typing import Any

from beancount.core import data

from nhnfin.config import entries_of
from nhnfin.notes.layout import NoteLayoutError
from nhnfin.notes.layout import load_notes_layout

# a rule's note -> (statement, line key) it reads; the lines of the notes layout's accounts tables
# are read from the layout (:func:`layout_lines`)
NOTE_LINES: dict[str, tuple[tuple[str, str], ...]] = {
    "4": (("balance_sheet", "delivery_obligation"),),
    "6": (("balance_sheet", "pension_obligations"),),
    "8": (("balance_sheet", "infrastructure_fixtures_and_equipment"),),
    "9": (("balance_sheet", "contributed_capital"), ("balance_sheet", "other_equity"),
          ("balance_sheet", "total_equity"), ("income_statement", "net_result_for_the_year")),
}
# the statements' own tie-outs and the year-end close
TIEOUT_LINES: tuple[tuple[str, str], ...] = (
    ("income_statement", "net_result_for_the_year"), ("income_statement", "total_transfers"),
    ("balance_sheet", "total_assets"), ("balance_sheet", "total_equity_and_liabilities"),
    ("balance_sheet", "total_retained_earnings"), ("balance_sheet", "cash_and_bank_deposits"),
    ("cash_flow", "cash_at_end_of_year"),
)
# a rule's note is required only when one of these directives is in the ledger
NOTE_SWITCHES: dict[str, tuple[str, ...]] = {"4": ("nhnfin-transfer",)}


def layout_lines(entries: list[Any]) -> dict[str, tuple[tuple[str, str], ...]]:
    """note -> the statement lines its accounts tables specify, in the ledger's notes layout
    (none when that layout is invalid: the report says why)."""
    try:
        layout = load_notes_layout(entries)
    except NoteLayoutError:
        return {}
    lines: dict[str, list[tuple[str, str]]] = {}
    for note, table in layout.tables("accounts"):
        lines.setdefault(note.number, []).append((table.statement, table.line_key))
    return {note: tuple(pairs) for note, pairs in lines.items()}


def required_lines(entries: list[Any]) -> dict[tuple[str, str], tuple[str, ...]]:
    """(statement, line key) -> what needs it ("note 11", "oppstillingenes avstemminger")."""
    types = {e.type for e in entries_of(entries, data.Custom)}
    needed: dict[tuple[str, str], list[str]] = {}
    for pair in TIEOUT_LINES:
        needed.setdefault(pair, []).append("oppstillingenes avstemminger")
    rows = [*NOTE_LINES.items(), *layout_lines(entries).items()]
    for note, pairs in rows:
        switches = NOTE_SWITCHES.get(note)
        if switches is not None and not types.intersection(switches):
            continue
        for pair in pairs:
            needed.setdefault(pair, []).append(f"note {note}")
    return {pair: tuple(users) for pair, users in needed.items()}
