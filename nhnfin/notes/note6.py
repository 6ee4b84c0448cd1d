"""Note 6, Pensjonskostnader, -midler og forpliktelser: the actuary's figures, tied to the books.

Under NRS 6 the pension cost and the pension balance come from the actuary's report, not from
postings; they are declared as ``custom "nhnfin-note-data" "6" ...`` directives, one per row and
year (:mod:`nhnfin.notes.note_data`): the cost components, the pension balance (obligation, plan
assets, employer's contribution, unrecognised estimate deviations), the economic assumptions
(percent; the amortisation period in years) and the membership (counts, NOK, years). The tables,
their rows and sums are the notes layout's (``nhnfin/data/notes_nhn.toml``); this module adds the
ties the layout's table "pension_balance" names with ``checks = "pensions"``, both years:

* ``n6.obligation_vs_balance_sheet.<year>``: the recognised pension obligation equals the
  balance-sheet line "Pensjonsforpliktelser" (what the books hold on 2100-2149), in whole kroner
  since the actuary reports whole kroner and the books are kept in øre;
* ``n6.employer_tax_vs_rate.<year>``: the employer's contribution on the obligation, rounded to
  kroner, equals the net obligation times the declared rate (a warning when not);

and the layout's rounding ties (the rounded sums against the sums of the rounded rows, warnings:
:mod:`nhnfin.notes.layout_notes`).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from nhnfin.drill import at_rate
from nhnfin.drill import rounded
from nhnfin.ledger import Ledger
from nhnfin.model import Drill
from nhnfin.model import NoteTable
from nhnfin.model import Status
from nhnfin.model import TieOut
from nhnfin.money import KRONE
from nhnfin.money import round_krone
from nhnfin.notes.tables import layout_of
from nhnfin.notes.tables import line_amount
from nhnfin.notes.tables import statement
from nhnfin.tieouts import compare

HUNDRED = Decimal(100)


def _value(table: NoteTable, row: str, column: str) -> Decimal | None:
    try:
        return table.row(row).values.get(column)
    except KeyError:
        return None


def _drill(table: NoteTable, row: str, column: str) -> Drill | None:
    """What makes the note's cell (None when the table has no such row)."""
    try:
        return table.row(row).drill.get(column)
    except KeyError:
        return None


def _in_kroner(made: Drill | None) -> Drill | None:
    """A side's drill rounded to whole kroner, as the side is."""
    return None if made is None else rounded(made, KRONE)


def obligation_tieouts(ledger: Ledger, balance: NoteTable, year: int) -> list[TieOut]:
    """The recognised obligation against the balance-sheet line, each year the note shows."""
    figures = statement(ledger, layout_of(ledger), "balance_sheet", year)
    checks = []
    for column in balance.columns:
        booked = line_amount(figures, "pension_obligations", int(column.key))
        shown = _value(balance, "recognised_pension_obligation", column.key)
        if booked is None or shown is None:
            continue
        line = figures.row("pension_obligations") if figures is not None else None
        checks.append(compare(
            f"n6.obligation_vs_balance_sheet.{column.key}",
            f"Note 6 pensjonsforpliktelse {column.key} = balansen «Pensjonsforpliktelser» "
            "(i hele kroner, som aktuaren oppgir)",
            round_krone(shown), round_krone(booked),
            drills=(_in_kroner(_drill(balance, "recognised_pension_obligation", column.key)),
                    _in_kroner(line.drill.get(column.key) if line is not None else None)),
        ))  # fmt: skip
    return checks


def employer_tax_tieouts(balance: NoteTable, assumptions: NoteTable | None) -> list[TieOut]:
    """The declared employer's contribution against net obligation × the declared rate."""
    checks: list[TieOut] = []
    if assumptions is None:
        return checks
    for column in balance.columns:
        rate = _value(assumptions, "employer_social_security_rate", column.key)
        net = _value(balance, "net_obligation_before_employer_tax", column.key)
        tax = _value(balance, "employer_tax_on_obligation", column.key)
        if rate is None or net is None or tax is None:
            continue
        computed = round_krone(net * rate / HUNDRED)
        status = Status.PASSED if round_krone(tax) == computed else Status.WARNING
        net_drill = _drill(balance, "net_obligation_before_employer_tax", column.key)
        rate_drill = _drill(assumptions, "employer_social_security_rate", column.key)
        at = None if net_drill is None or rate_drill is None else at_rate(net_drill, rate_drill)
        checks.append(TieOut(
            f"n6.employer_tax_vs_rate.{column.key}",
            f"Note 6 beregnet aga {column.key} = netto forpliktelse × {rate} %",
            round_krone(tax), computed, status,
            left_drill=_in_kroner(_drill(balance, "employer_tax_on_obligation", column.key)),
            right_drill=_in_kroner(at),
        ))  # fmt: skip
    return checks


def checks(
    ledger: Ledger, year: int, balance: NoteTable, tables: Mapping[str, NoteTable]
) -> list[TieOut]:
    """The check on the table "Pensjonsforpliktelser i balansen" (``checks = "pensions"`` in the
    notes layout): the obligation against the balance sheet, the employer's contribution against
    the declared rate (the table "Økonomiske forutsetninger", ``assumptions``)."""
    return [*obligation_tieouts(ledger, balance, year),
            *employer_tax_tieouts(balance, tables.get("assumptions"))]
