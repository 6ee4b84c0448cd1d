"""Note 9, Egenkapital: the ties of the equity roll-forward to the statements.

The roll-forward itself is a ledger table of the notes layout (``nhnfin/data/notes_nhn.toml``,
:mod:`nhnfin.notes.ledger_tables`). NHN's columns: contributed capital (accounts 2000-2049), other
equity (2050-2099 plus the result not yet transferred, i.e. the balance of the income and expense
accounts 3000-8999, so that the note is right before the year-end transfer is booked), and their
sum. Rows for fiscal year Y:

* ``balance_at_<Y-1>_12_31`` and ``balance_at_<Y>_01_01``: the balances at the end of Y-1;
* ``result_for_the_year``: the year's result, the movement of 3000-8899 in Y (the transfer
  accounts 8900-8999 only move the result into other equity);
* ``other_changes`` ("Andre endringer"): whatever else moved equity in Y (capital paid in,
  postings straight to equity or to the transfer accounts); shown only when there is any;
* ``balance_at_<Y>_12_31``: the balances at the end of Y.

This module is the check the layout's table names (``checks = "equity"``): each column at both
year ends against the balance-sheet lines "Innskuddskapital", "Annen egenkapital" and "Sum
egenkapital" (the note from its accounts against the statements from the report layout), and the
result against "Årsresultat". Each tie-out says the layouts' words: the notes layout's row and
column labels, the statements' titles and line labels (the result's: "Note 9 årets resultat =
Resultatregnskap «Årsresultat» 2024").
"""

from __future__ import annotations

from collections.abc import Mapping

from nhnfin.ledger import Ledger
from nhnfin.model import NoteTable
from nhnfin.model import TieOut
from nhnfin.money import ZERO
from nhnfin.notes.tables import layout_of
from nhnfin.notes.tables import line_amount
from nhnfin.notes.tables import statement
from nhnfin.tieouts import compare

# note column -> balance-sheet line
BALANCE_LINES = {
    "contributed_capital": "contributed_capital",
    "other_equity": "other_equity",
    "total_equity": "total_equity",
}


def in_sentence(label: str) -> str:
    """A label inside a sentence: its first letter small ("Årets resultat" → "årets resultat"),
    unless the label's first word is written in capitals (an abbreviation)."""
    first = label.split(" ", 1)[0]
    return label if first.isupper() and len(first) > 1 else label[:1].lower() + label[1:]


def _has(table: NoteTable, key: str) -> bool:
    return any(r.key == key for r in table.rows)


def tieouts(ledger: Ledger, note: NoteTable, year: int) -> list[TieOut]:
    """Both year ends against the balance sheet, the result against the income statement."""
    layout = layout_of(ledger)
    balance = statement(ledger, layout, "balance_sheet", year)
    income = statement(ledger, layout, "income_statement", year)
    labels = {c.key: c.label for c in note.columns}
    checks: list[TieOut] = []
    for y in (year - 1, year):
        if not _has(note, f"balance_at_{y}_12_31"):
            continue
        row = note.row(f"balance_at_{y}_12_31")
        for column, line in BALANCE_LINES.items():
            booked = line_amount(balance, line, y)
            if booked is None or balance is None or column not in labels:
                continue
            checks.append(compare(
                f"n9.{column}_vs_balance_sheet.{y}",
                f"Note 9 {row.label} {labels[column]} = Balanse "
                f"«{balance.row(line).label}» {y}",
                row.values.get(column) or ZERO, booked,
                drills=(row.drill.get(column), balance.row(line).drill.get(str(y))),
            ))  # fmt: skip
    booked_result = line_amount(income, "net_result_for_the_year", year)
    if booked_result is not None and income is not None and _has(note, "result_for_the_year"):
        result = note.row("result_for_the_year")
        result_line = income.row("net_result_for_the_year")
        checks.append(compare(
            "n9.result_vs_income_statement",
            f"Note 9 {in_sentence(result.label)} = {income.title} «{result_line.label}» {year}",
            result.values.get("total_equity") or ZERO, booked_result,
            drills=(result.drill.get("total_equity"),
                    income.row("net_result_for_the_year").drill.get(str(year))),
        ))  # fmt: skip
    return checks


def checks(
    ledger: Ledger, year: int, table: NoteTable, tables: Mapping[str, NoteTable]
) -> list[TieOut]:
    """The check on the layout's equity roll-forward (``checks = "equity"``)."""
    return tieouts(ledger, table, year)
