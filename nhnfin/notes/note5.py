"""Note 5, Lønnskostnader: the pay costs from the ledger, the remuneration and fees as data.

* Spesifikasjon av lønnskostnader: the accounts of the income-statement line "Lønnskostnad",
  each mapped to a row (salaries, employer's contribution, pension costs, other benefits) by
  ``note-row`` on its ``open`` or by a number range (``custom "nhnfin-note-accounts" "5"
  "salaries" "5000-5399"``; :mod:`nhnfin.notes.note_accounts`). Its total must equal
  "Lønnskostnad", both years.
* The remuneration tables (owner-appointed and employee-elected board members, the chief
  executive, the management group) and the auditor's fees, and the head count and full-time
  equivalents at the year end: ``custom "nhnfin-note-data"`` directives
  (:mod:`nhnfin.notes.note_data`); "Sum lønn og andre ytelser" and the fees' "Sum" are computed.

The published total for 2023 (957 342 113) is one krone below its printed rows; the ledger gives
the same five figures, and the rounding tie-out ``n5.t0.rounded_sum.2023`` says why.
"""

from __future__ import annotations

from nhnfin.ledger import Ledger
from nhnfin.model import Note
from nhnfin.model import NoteTable
from nhnfin.model import TieOut
from nhnfin.notes import NoteResult
from nhnfin.notes.account_notes import build_table
from nhnfin.notes.note_data import read_note_data
from nhnfin.notes.specs import PAY_COSTS
from nhnfin.notes.specs import data_tables
from nhnfin.notes.tables import TOTAL
from nhnfin.notes.tables import data_table
from nhnfin.notes.tables import rounding_tieouts

NOTE = "5"


def build(ledger: Ledger, year: int) -> NoteResult | None:
    """Note 5 for ``year`` beside the prior year; None when the ledger has nothing for it."""
    pay, checks = build_table(PAY_COSTS, ledger, year)
    tables: list[NoteTable] = [pay] if pay is not None else []
    ties: list[TieOut] = list(checks)
    data = read_note_data(ledger.entries)
    for spec in data_tables(NOTE):
        table = data_table(spec, data, year)
        if table is None:
            continue
        tables.append(table)
        if spec.key == "auditor":
            ties.extend(rounding_tieouts("n5.auditor.rounded_sum", table, TOTAL,
                                         ("audit_fee", "other_services")))  # fmt: skip
    if not tables:
        return None
    note = Note(number=NOTE, title=PAY_COSTS.title, tables=tuple(tables))
    return NoteResult(note=note, tieouts=tuple(ties))
