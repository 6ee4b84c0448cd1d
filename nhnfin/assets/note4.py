"""Note 4, Leveranseforpliktelse: the ties of the delivery obligation's roll-forward.

The roll-forward is a ledger table of the notes layout (``nhnfin/data/notes_nhn.toml``,
:mod:`nhnfin.notes.ledger_tables`) on the obligation's account 2180 (credits shown positive).
Rows (year Y; keys and labels as in the published note, the year taken from Y):

* transferred_intangible_assets: everything credited to the obligation (2180) before Y
  (the transfers booked by :mod:`nhnfin.assets.delivery_obligation`);
* accumulated_recognised_at_Y_01_01: what was released before Y (debits to 2180, negative);
* book_value_at_Y_01_01 = transferred + accumulated (the opening balance only);
* additions_Y ("Tilgang Y", shown when there is one): transfers during Y (credits to 2180 in Y);
* recognised_Y: released in Y (negative);
* book_value_at_Y_12_31 = book value 1.1 + additions + recognised.

The sums are identities the published table is checked against too. This module is the check
the layout's table names (``checks = "delivery_obligation"``): the transferred assets' book value
(1020-1029) equals the obligation at the end of Y-1 and of Y (the rule keeps them equal; the
published 2023 balance sheet prints them 1 NOK apart, 103 213 940 and 103 213 939, which a
consistent ledger cannot reproduce); recognised = the income line 3410; the closing book value =
the balance-sheet line.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from beancount.core import data

from nhnfin.assets.delivery_obligation import RULE
from nhnfin.ledger import Ledger
from nhnfin.ledger import year_bounds
from nhnfin.model import Column
from nhnfin.model import Drill
from nhnfin.model import NoteTable
from nhnfin.model import TieOut
from nhnfin.notes.flows import balance_drill
from nhnfin.notes.flows import balance_sheet_accounts
from nhnfin.notes.flows import drill as movement_drill
from nhnfin.notes.flows import select
from nhnfin.tieouts import compare
from nhnfin.tieouts import postings_apart

COLUMN = Column("national_ehealth_solutions", "Nasjonale e-helseløsninger")


def is_obligation(number: int) -> bool:
    """The delivery obligation's accounts."""
    return number == 2180


def is_asset(number: int) -> bool:
    """The transferred e-health solutions: cost, accumulated impairment and amortisation."""
    return 1020 <= number <= 1029


def is_income(number: int) -> bool:
    """The income line "Inntektsføring av leveranseforpliktelse"."""
    return 3410 <= number <= 3419


def _value(table: NoteTable, key: str) -> Decimal:
    row = next((r for r in table.rows if r.key == key), None)
    return (row.values.get(COLUMN.key) if row is not None else None) or Decimal(0)


def _drill(table: NoteTable, key: str) -> Drill | None:
    """What makes the note's cell ``key`` (None when the table has no such row)."""
    row = next((r for r in table.rows if r.key == key), None)
    return row.drill.get(COLUMN.key) if row is not None else None


def nets_to_zero(txn: data.Transaction, accounts: set[str]) -> bool:
    """Whether ``txn``'s postings on ``accounts`` sum to zero: one side set against the other."""
    on = [p.units.number for p in txn.postings if p.account in accounts
          and p.units is not None and p.units.number is not None]
    return sum(on, Decimal(0)) == 0


APART = ("regelen holder dem like: noe er postert på 1020-1029 eller 2180 utenom regelen "
         "(nhnfin-transfer, -impairment, -disposal)")


def apart(ledger: Ledger, asset: tuple[str, ...], obligation: tuple[str, ...], year: int
          ) -> str:
    """Why the book value is not the obligation at the end of ``year``: the rule keeps them
    equal, so the postings on 1020-1029 or 2180 that the rule did not book and that move one
    side without the other (a transfer booked by hand with ``book: FALSE`` moves both) are
    named; the rule's own words when the books name none."""
    both = set(asset) | set(obligation)

    def kept_equal(txn: data.Transaction, _posting: data.Posting) -> bool:
        return str(txn.meta.get("nhnfin-rule", "")).startswith(RULE) or nets_to_zero(txn, both)

    listed = postings_apart(ledger, both, None, year_bounds(year)[1], kept_equal)
    return (f"regelen holder dem like: {listed} er postert utenom regelen (nhnfin-transfer, "
            "-impairment, -disposal)") if listed else APART


def not_released(ledger: Ledger, obligation: tuple[str, ...], income: tuple[str, ...],
                 year: int) -> str:
    """Why note 4's recognised is not the income line: the year's postings on the income line
    (3410-3419) not set against the obligation (2180), which the statement counts and the note
    does not, and the debits on 2180 not set against the income line, which the note counts and
    the statement does not (a transaction whose postings on both sum to zero is the release,
    the rule's or one booked by hand); empty when the books name none."""
    both = set(obligation) | set(income)
    start, end = year_bounds(year)

    def released(txn: data.Transaction, posting: data.Posting) -> bool:
        debit = posting.units is not None and (posting.units.number or 0) > 0
        return nets_to_zero(txn, both) or (posting.account in obligation and not debit)

    income_apart = postings_apart(ledger, income, start, end, released)
    obligation_apart = postings_apart(ledger, obligation, start, end, released)
    words = [f"{income_apart} er ikke ført mot leveranseforpliktelsen (2180): "
             "resultatregnskapet tar den med, noten ikke" if income_apart else "",
             f"{obligation_apart} er ikke ført mot inntektslinjen (3410-3419): noten tar den "
             "med, resultatregnskapet ikke" if obligation_apart else ""]
    return "; ".join(w for w in words if w)


def tieouts(ledger: Ledger, table: NoteTable, year: int) -> tuple[TieOut, ...]:
    """Asset = obligation at both year ends, recognised = income, closing = balance sheet."""
    asset = select(ledger, is_asset)
    obligation = select(ledger, is_obligation)
    checks = [
        compare(
            f"n4.asset_equals_obligation.{y}",
            f"Bokført verdi av overførte e-helseløsninger = leveranseforpliktelsen, 31.12.{y}",
            ledger.closing(asset, y),
            -ledger.closing(obligation, y),
            detail=(apart(ledger, asset, obligation, y)
                    if ledger.closing(asset, y) != -ledger.closing(obligation, y) else ""),
            drills=(balance_drill(asset, y, opening=False),
                    balance_drill(obligation, y, opening=False, sign=-1)),
        )
        for y in (year - 1, year)
    ]
    income = select(ledger, is_income)
    recognised, moved = _value(table, f"recognised_{year}"), ledger.movement(income, year)
    checks.append(
        compare(
            "n4.recognised_vs_income_statement",
            "Note 4 inntektsført = årets bevegelse på Inntektsføring av leveranseforpliktelse",
            recognised,
            moved,
            detail=not_released(ledger, obligation, income, year) if recognised != moved else "",
            drills=(_drill(table, f"recognised_{year}"), movement_drill(income, year)),
        )
    )
    line = balance_sheet_accounts(ledger, "delivery_obligation")
    closing = f"book_value_at_{year}_12_31"
    checks.append(
        compare(
            "n4.book_value_vs_balance_sheet",
            "Note 4 bokført verdi 31.12 = balanselinjen Leveranseforpliktelse",
            _value(table, closing),
            -ledger.closing(line, year),
            drills=(_drill(table, closing), balance_drill(line, year, opening=False, sign=-1)),
        )
    )
    return tuple(checks)


def checks(
    ledger: Ledger, year: int, table: NoteTable, tables: Mapping[str, NoteTable]
) -> tuple[TieOut, ...]:
    """The check on the layout's roll-forward of the obligation (``checks =
    "delivery_obligation"`` in the notes layout)."""
    return tieouts(ledger, table, year)
