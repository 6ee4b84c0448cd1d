"""Note 9, Egenkapital: the equity roll-forward from the ledger.

Columns: contributed capital (accounts 2000-2049), other equity (2050-2099 plus the result not yet
transferred, i.e. the balance of the income and expense accounts 3000-8999, so that the note is
right before the year-end transfer is booked), and their sum. Rows for fiscal year Y:

* ``balance_at_<Y-1>_12_31`` and ``balance_at_<Y>_01_01``: the balances at the end of Y-1;
* ``result_for_the_year``: the year's result, minus the movement of 3000-8899 in Y (the transfer
  accounts 8900-8999 only move the result into other equity);
* ``other_changes`` ("Andre endringer"): whatever else moved equity in Y (capital paid in,
  postings straight to equity); shown only when there is any;
* ``balance_at_<Y>_12_31``: the balances at the end of Y.

Ties (the note from its accounts against the statements from the report layout): each column
at both year ends against the balance-sheet lines "Innskuddskapital", "Annen egenkapital" and
"Sum egenkapital", and the result against "Årsresultat".
"""

from __future__ import annotations

from decimal import Decimal

from nhnfin.drill import postings
from nhnfin.drill import total
from nhnfin.ledger import Ledger
from nhnfin.ledger import year_bounds
from nhnfin.model import Column
from nhnfin.model import Drill
from nhnfin.model import Kind
from nhnfin.model import Note
from nhnfin.model import NoteRow
from nhnfin.model import NoteTable
from nhnfin.model import TieOut
from nhnfin.money import ZERO
from nhnfin.notes import NoteResult
from nhnfin.notes.tables import accounts_in
from nhnfin.notes.tables import layout_of
from nhnfin.notes.tables import line_amount
from nhnfin.notes.tables import statement
from nhnfin.tieouts import compare

CONTRIBUTED = (2000, 2049)
OTHER = (2050, 2099)
UNAPPROPRIATED = (3000, 8999)
RESULT = (3000, 8899)
COLUMNS = (
    Column("contributed_capital", "Innskuddskapital"),
    Column("other_equity", "Annen egenkapital"),
    Column("total_equity", "Sum egenkapital"),
)
COLUMN_LABELS = {c.key: c.label for c in COLUMNS}
# note column -> balance-sheet line
BALANCE_LINES = {
    "contributed_capital": "contributed_capital",
    "other_equity": "other_equity",
    "total_equity": "total_equity",
}


def balances(ledger: Ledger, year: int) -> dict[str, Decimal]:
    """Equity per column at the end of ``year`` (credit balances shown positive)."""
    contributed = -ledger.closing(accounts_in(ledger, CONTRIBUTED), year)
    other = -ledger.closing(accounts_in(ledger, OTHER, UNAPPROPRIATED), year)
    return {"contributed_capital": contributed, "other_equity": other,
            "total_equity": contributed + other}  # fmt: skip


def result(ledger: Ledger, year: int) -> dict[str, Decimal]:
    """The year's result, all in other equity."""
    amount = -ledger.movement(accounts_in(ledger, RESULT), year)
    return {"contributed_capital": ZERO, "other_equity": amount, "total_equity": amount}


TRANSFERS = (8900, 8999)


def _with_total(contributed: Drill, other: Drill, what: str) -> dict[str, Drill]:
    return {"contributed_capital": contributed, "other_equity": other,
            "total_equity": total(((1, contributed), (1, other)), what)}


def balance_drills(ledger: Ledger, year: int) -> dict[str, Drill]:
    """The postings behind :func:`balances`: everything before the end of ``year``."""
    end = year_bounds(year)[1]
    return _with_total(
        postings(accounts_in(ledger, CONTRIBUTED), None, end, sign=-1),
        postings(accounts_in(ledger, OTHER, UNAPPROPRIATED), None, end, sign=-1),
        f"Egenkapital 31.12.{year}")


def result_drills(ledger: Ledger, year: int) -> dict[str, Drill]:
    """The postings behind :func:`result` (none to contributed capital)."""
    start, end = year_bounds(year)
    return _with_total(postings((), start, end),
                       postings(accounts_in(ledger, RESULT), start, end, sign=-1),
                       "Årets resultat")


def other_change_drills(ledger: Ledger, year: int) -> dict[str, Drill]:
    """The postings behind "Andre endringer": the year's postings to equity itself and to the
    transfer accounts (what moved equity besides the result)."""
    start, end = year_bounds(year)
    return _with_total(postings(accounts_in(ledger, CONTRIBUTED), start, end, sign=-1),
                       postings(accounts_in(ledger, OTHER, TRANSFERS), start, end, sign=-1),
                       "Andre endringer")


def _row(key: str, label: str, values: dict[str, Decimal], kind: Kind = Kind.ITEM,
         drill: dict[str, Drill] | None = None) -> NoteRow:
    return NoteRow(key, label, {k: v if v else ZERO for k, v in values.items()}, kind,
                   drill=drill or {})


def table(ledger: Ledger, year: int) -> NoteTable:
    """The roll-forward of ``year``."""
    opening, closing, earned = balances(ledger, year - 1), balances(ledger, year), result(
        ledger, year
    )
    other = {k: closing[k] - opening[k] - earned[k] for k in closing}
    before = balance_drills(ledger, year - 1)
    rows = [
        _row(f"balance_at_{year - 1}_12_31", f"Pr. 31.12.{year - 1}", opening, drill=before),
        _row(f"balance_at_{year}_01_01", f"Pr. 01.01.{year}", opening, drill=before),
        _row("result_for_the_year", "Årets resultat", earned, drill=result_drills(ledger, year)),
    ]
    if any(other.values()):
        rows.append(_row("other_changes", "Andre endringer", other,
                         drill=other_change_drills(ledger, year)))
    rows.append(_row(f"balance_at_{year}_12_31", f"Pr. 31.12.{year}", closing, Kind.TOTAL,
                     drill=balance_drills(ledger, year)))
    return NoteTable(caption="Egenkapital", columns=COLUMNS, rows=tuple(rows))


def tieouts(ledger: Ledger, note: NoteTable, year: int) -> list[TieOut]:
    """Both year ends against the balance sheet, the result against the income statement."""
    layout = layout_of(ledger)
    balance = statement(ledger, layout, "balance_sheet", year)
    income = statement(ledger, layout, "income_statement", year)
    checks: list[TieOut] = []
    for y in (year - 1, year):
        row = note.row(f"balance_at_{y}_12_31")
        for column, line in BALANCE_LINES.items():
            booked = line_amount(balance, line, y)
            if booked is None or balance is None:
                continue
            checks.append(compare(
                f"n9.{column}_vs_balance_sheet.{y}",
                f"Note 9 {row.label} {COLUMN_LABELS[column]} = Balanse "
                f"«{balance.row(line).label}» {y}",
                row.values[column] or ZERO, booked,
            ))  # fmt: skip
    booked_result = line_amount(income, "net_result_for_the_year", year)
    if booked_result is not None:
        checks.append(compare(
            "n9.result_vs_income_statement",
            f"Note 9 årets resultat = Resultatregnskap «Årsresultat» {year}",
            note.row("result_for_the_year").values["total_equity"] or ZERO, booked_result,
        ))  # fmt: skip
    return checks


def build(ledger: Ledger, year: int) -> NoteResult | None:
    """Note 9 for ``year``; None when the ledger has no equity accounts."""
    if not accounts_in(ledger, CONTRIBUTED, OTHER):
        return None
    roll_forward = table(ledger, year)
    note = Note(number="9", title="Egenkapital", tables=(roll_forward,))
    return NoteResult(note=note, tieouts=tuple(tieouts(ledger, roll_forward, year)))
