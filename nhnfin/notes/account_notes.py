"""Notes whose rows are ledger accounts (note 5's pay costs, notes 10-13): the table and its ties.

The table specifies one statement line (:mod:`nhnfin.notes.specs`); its rows are the accounts
mapped to them (:mod:`nhnfin.notes.note_accounts`), measured as that line measures them. Ties:

* every account of the line is mapped to a row, and every mapped account lies on the line
  (``nN.accounts_mapped``: the number of problems, which must be 0);
* the note's total equals the statement line, in the fiscal and the prior year
  (``nN.total_vs_<statement>.<year>``); a note without a total (note 12, restricted deposits)
  must not exceed the line (``nN.within_<statement>.<year>``);
* the rounded total equals the sum of the rounded rows (``nN.t<i>.rounded_sum.<year>``, a
  warning: :func:`nhnfin.notes.tables.rounding_tieouts`).
"""

from __future__ import annotations

from decimal import Decimal

from nhnfin.errors import location
from nhnfin.ledger import Ledger
from nhnfin.ledger import numbered
from nhnfin.model import Note
from nhnfin.model import NoteTable
from nhnfin.model import Status
from nhnfin.model import TieOut
from nhnfin.money import ZERO
from nhnfin.notes import NoteResult
from nhnfin.notes.note_accounts import NoteAccountError
from nhnfin.notes.note_accounts import resolve
from nhnfin.notes.specs import AccountTable
from nhnfin.notes.tables import TOTAL
from nhnfin.notes.tables import account_table
from nhnfin.notes.tables import item_line
from nhnfin.notes.tables import layout_of
from nhnfin.notes.tables import line_amount
from nhnfin.notes.tables import rounding_tieouts
from nhnfin.notes.tables import statement
from nhnfin.statements import line_accounts
from nhnfin.tieouts import compare


def mapping_tieout(spec: AccountTable, errors: tuple[NoteAccountError, ...],
                   line_label: str = "") -> TieOut:
    """No account of the note's line is left unmapped, none off the line is mapped."""
    detail = "; ".join(f"{location(e.source)}: {e.message}" for e in errors)
    return compare(
        f"n{spec.note}.accounts_mapped",
        f"Note {spec.note}: hver konto på linjen «{line_label or spec.line}» gir nøyaktig én rad",
        Decimal(len(errors)),
        ZERO,
        detail=detail,
    )


def within(check_id: str, description: str, part: Decimal, whole: Decimal) -> TieOut:
    """A check that ``part`` does not exceed ``whole``."""
    status = Status.PASSED if part <= whole else Status.FAILED
    return TieOut(check_id, description, part, whole, status)


def line_tieouts(
    spec: AccountTable, table: NoteTable, ledger: Ledger, year: int
) -> list[TieOut]:
    """The note's total (or its only row) against the statement line, both years."""
    figures = statement(ledger, layout_of(ledger), spec.statement, year)
    checks: list[TieOut] = []
    for column in table.columns:
        shown = line_amount(figures, spec.line, int(column.key))
        if shown is None or figures is None:
            continue
        label = figures.row(spec.line).label
        if spec.total is not None:
            total = table.row(TOTAL).values.get(column.key) or ZERO
            checks.append(compare(
                f"n{spec.note}.total_vs_{spec.statement}.{column.key}",
                f"Note {spec.note} {spec.total} {column.key} = {figures.title} «{label}»",
                total, shown,
            ))  # fmt: skip
        else:
            part = sum((r.values.get(column.key) or ZERO for r in table.rows), ZERO)
            checks.append(within(
                f"n{spec.note}.within_{spec.statement}.{column.key}",
                f"Note {spec.note} {column.key} ≤ {figures.title} «{label}»",
                part, shown,
            ))  # fmt: skip
    return checks


def build_table(
    spec: AccountTable, ledger: Ledger, year: int
) -> tuple[NoteTable | None, tuple[TieOut, ...]]:
    """The note table of ``spec`` and its ties; None when the ledger has nothing for it."""
    layout = layout_of(ledger)
    line = item_line(layout, spec.statement, spec.line)
    if line is None:
        return None, ()
    resolution = ledger.derived(resolve)  # with the layout of layout_of(ledger)
    on_line = line_accounts(line, numbered(ledger.accounts()))
    if not resolution.rows.get(spec.note) and (spec.opt_in or not on_line):
        return None, ()
    table = account_table(spec, ledger, resolution, line, year)
    checks = [mapping_tieout(spec, resolution.errors_of(spec.note), line.label)]
    checks.extend(line_tieouts(spec, table, ledger, year))
    if spec.total is not None:
        parts = tuple(r.key for r in spec.rows)
        checks.extend(rounding_tieouts(f"n{spec.note}.t0.rounded_sum", table, TOTAL, parts))
    return table, tuple(checks)


def build_note(spec: AccountTable, ledger: Ledger, year: int) -> NoteResult | None:
    """A note that is one account table (notes 10-13)."""
    table, checks = build_table(spec, ledger, year)
    if table is None:
        return None
    note = Note(number=spec.note, title=spec.title, tables=(table,))
    return NoteResult(note=note, tieouts=checks)
