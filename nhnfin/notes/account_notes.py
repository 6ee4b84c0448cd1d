"""Note tables whose rows are ledger accounts (NHN: note 5's pay costs, notes 10-13): the table
and its ties.

The table (``source = "accounts"`` in the notes layout) specifies one statement line; its rows
are the accounts mapped to them (:mod:`nhnfin.notes.note_accounts`), measured as that line
measures them. Ties:

* every account of the line is mapped to a row, and every mapped account lies on the line
  (``nN.accounts_mapped``: the number of problems, which must be 0; it links to the
  problems it counts, each at its ``open`` or directive);
* the table's total equals the statement line, in the fiscal and the prior year
  (``nN.total_vs_<statement>.<year>``); a table without a total (note 12, restricted deposits)
  must not exceed the line (``nN.within_<statement>.<year>``).

The rounding tie of the total is :mod:`nhnfin.notes.layout_notes`'s, as for every table.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from nhnfin.drill import combine
from nhnfin.drill import counted
from nhnfin.errors import location
from nhnfin.layout import line_accounts
from nhnfin.ledger import Ledger
from nhnfin.ledger import numbered
from nhnfin.model import Drill
from nhnfin.model import NoteTable
from nhnfin.model import Status
from nhnfin.model import TieOut
from nhnfin.money import ZERO
from nhnfin.notes.note_accounts import NoteAccountError
from nhnfin.notes.note_accounts import resolve
from nhnfin.notes.specs import AccountTable
from nhnfin.notes.tables import account_table
from nhnfin.notes.tables import item_line
from nhnfin.notes.tables import layout_of
from nhnfin.notes.tables import line_amount
from nhnfin.notes.tables import statement
from nhnfin.tieouts import compare

MAPPING_ZERO = ("antallet feil som er tillatt i koblingen mellom notens kontoer og "
                "regnskapslinjen, ikke et tall i regnskapet: ingen oppføringer utgjør det")


def mapping_tieout(spec: AccountTable, errors: tuple[NoteAccountError, ...],
                   line_label: str = "") -> TieOut:
    """No account of the note's line is left unmapped, none off the line is mapped: the number
    of errors against none. The count links to the errors it counts, each at its account's
    ``open`` (or the directive or notes-layout row at fault) with its message; the zero it
    must be is no figure of the books (its hover says so)."""
    detail = "; ".join(f"{location(e.source)}: {e.message}" for e in errors)
    name = "" if spec.alone else f"{spec.tieout}."
    made = counted(((e.source, e.message) for e in errors),
                   f"Feil i koblingen til note {spec.note}")
    return replace(compare(
        f"n{spec.note}.{name}accounts_mapped",
        f"Note {spec.note}: hver konto på linjen «{line_label or spec.line}» gir nøyaktig én rad",
        Decimal(len(errors)),
        ZERO,
        detail=detail,
        drills=(made, None),
    ), unlinked=MAPPING_ZERO)


def within(check_id: str, description: str, part: Decimal, whole: Decimal,
           drills: tuple[Drill | None, Drill | None] = (None, None)) -> TieOut:
    """A check that ``part`` does not exceed ``whole``; ``drills`` make the two sides."""
    status = Status.PASSED if part <= whole else Status.FAILED
    return TieOut(check_id, description, part, whole, status,
                  left_drill=drills[0], right_drill=drills[1])


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
        line_drill = figures.row(spec.line).drill.get(column.key)
        name = "" if spec.alone else f"{spec.tieout}."
        total_row = spec.total
        if total_row is not None:
            row = table.row(total_row.key)
            total = row.values.get(column.key) or ZERO
            drills = (row.drill.get(column.key), line_drill)
            checks.append(compare(
                f"n{spec.note}.{name}total_vs_{spec.statement}.{column.key}",
                f"Note {spec.note} {total_row.label} {column.key} = {figures.title} «{label}»",
                total, shown, drills=drills,
            ))  # fmt: skip
        else:
            items = {r.key for r in spec.items}
            parts = [r for r in table.rows if r.key in items]
            part = sum((r.values.get(column.key) or ZERO for r in parts), ZERO)
            made = combine([(1, r.drill.get(column.key)) for r in parts],
                           "Sum av notens rader") if parts else None
            checks.append(within(
                f"n{spec.note}.{name}within_{spec.statement}.{column.key}",
                f"Note {spec.note} {column.key} ≤ {figures.title} «{label}»",
                part, shown, (made, line_drill),
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
    resolution = ledger.derived(resolve)  # with the layouts the ledger asks for
    on_line = line_accounts(line, numbered(ledger.accounts()))
    if not resolution.rows.get(spec.ident) and (spec.opt_in or not on_line):
        return None, ()
    table = account_table(spec, ledger, resolution, line, year)
    checks = [mapping_tieout(spec, resolution.errors_of(spec.ident), line.label)]
    checks.extend(line_tieouts(spec, table, ledger, year))
    return table, tuple(checks)
