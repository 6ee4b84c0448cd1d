"""Note 4, Leveranseforpliktelse: the delivery obligation's roll-forward, from the ledger.

Rows (year Y; keys and labels as in the published note, the year taken from Y):

* transferred_intangible_assets: everything credited to the obligation (2180) before Y
  (the transfers booked by :mod:`nhnfin.assets.delivery_obligation`);
* accumulated_recognised_at_Y_01_01: what was released before Y (debits to 2180, negative);
* book_value_at_Y_01_01 = transferred + accumulated (the opening balance only);
* additions_Y ("Tilgang Y", shown when there is one): transfers during Y (credits to 2180 in Y);
* recognised_Y: released in Y (negative);
* book_value_at_Y_12_31 = book value 1.1 + additions + recognised.

Tie-outs: the transferred assets' book value (1020-1029) equals the obligation at the end of Y-1
and of Y (the rule keeps them equal; the published 2023 balance sheet prints them 1 NOK apart,
103 213 940 and 103 213 939, which a consistent ledger cannot reproduce); recognised = the income
line 3410; the closing book value = the balance-sheet line.
"""

from __future__ import annotations

from decimal import Decimal

from nhnfin.drill import total
from nhnfin.ledger import Ledger
from nhnfin.model import Column
from nhnfin.model import Drill
from nhnfin.model import Kind
from nhnfin.model import Note
from nhnfin.model import NoteRow
from nhnfin.model import NoteTable
from nhnfin.model import TableCheck
from nhnfin.model import TieOut
from nhnfin.notes import NoteResult
from nhnfin.notes.flows import balance_sheet_accounts
from nhnfin.notes.flows import flows
from nhnfin.notes.flows import select
from nhnfin.notes.flows import side_drill
from nhnfin.notes.flows import tie

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


def rows(ledger: Ledger, obligation: tuple[str, ...], year: int) -> tuple[NoteRow, ...]:
    """The roll-forward of ``year``."""
    moved = flows(ledger, obligation)
    transferred = -moved.credit_until(obligation, year - 1)
    accumulated = -moved.debit_until(obligation, year - 1)
    additions = -moved.credit(obligation, year)
    recognised = -moved.debit(obligation, year)
    yy = f"{year % 100:02d}"
    opening = transferred + accumulated
    closing = opening + additions + recognised
    drills = {
        "transferred": side_drill(obligation, year, "credit", sign=-1, period="before"),
        "accumulated": side_drill(obligation, year, "debit", sign=-1, period="before"),
        "additions": side_drill(obligation, year, "credit", sign=-1),
        "recognised": side_drill(obligation, year, "debit", sign=-1),
    }
    drills["opening"] = total(((1, drills["transferred"]), (1, drills["accumulated"])),
                              f"Bokført verdi 01.01.{yy}")
    drills["closing"] = total(((1, drills["opening"]), (1, drills["additions"]),
                               (1, drills["recognised"])), f"Bokført verdi 31.12.{yy}")
    spec: list[tuple[str, str, Decimal, Kind, Drill | None]] = [
        ("transferred_intangible_assets", "Overførte immaterielle eiendeler", transferred,
         Kind.ITEM, drills["transferred"]),
        (f"accumulated_recognised_at_{year}_01_01", f"Akk. inntektsført pr 01.01.{yy}",
         accumulated, Kind.ITEM, drills["accumulated"]),
        (f"book_value_at_{year}_01_01", f"Bokført verdi 01.01.{yy}", opening, Kind.SUBTOTAL,
         drills["opening"]),
        *([(f"additions_{year}", f"Tilgang {year}", additions, Kind.ITEM,
            drills["additions"])] if additions else []),
        (f"recognised_{year}", f"Inntektsført {year}", recognised, Kind.ITEM,
         drills["recognised"]),
        (f"book_value_at_{year}_12_31", f"Bokført verdi 31.12.{yy}", closing, Kind.TOTAL,
         drills["closing"]),
    ]  # fmt: skip
    return tuple(
        NoteRow(key, label, {COLUMN.key: value}, kind, drill={COLUMN.key: d} if d else {})
        for key, label, value, kind, d in spec
    )


def tieouts(ledger: Ledger, table: NoteTable, year: int) -> tuple[TieOut, ...]:
    """Asset = obligation at both year ends, recognised = income, closing = balance sheet."""
    asset = select(ledger, is_asset)
    obligation = select(ledger, is_obligation)
    detail = "regelen holder dem like (publisert 31.12.2023: 103 213 940 og 103 213 939)"
    checks = [
        tie(
            f"n4.asset_equals_obligation.{y}",
            f"Bokført verdi av overførte e-helseløsninger = leveranseforpliktelsen, 31.12.{y}",
            ledger.closing(asset, y),
            -ledger.closing(obligation, y),
            detail,
        )
        for y in (year - 1, year)
    ]
    recognised = table.row(f"recognised_{year}").values[COLUMN.key] or Decimal(0)
    checks.append(
        tie(
            "n4.recognised_vs_income_statement",
            "Note 4 inntektsført = årets bevegelse på Inntektsføring av leveranseforpliktelse",
            recognised,
            ledger.movement(select(ledger, is_income), year),
        )
    )
    closing = table.row(f"book_value_at_{year}_12_31").values[COLUMN.key] or Decimal(0)
    checks.append(
        tie(
            "n4.book_value_vs_balance_sheet",
            "Note 4 bokført verdi 31.12 = balanselinjen Leveranseforpliktelse",
            closing,
            -ledger.closing(balance_sheet_accounts(ledger, "delivery_obligation"), year),
        )
    )
    return tuple(checks)


def build(ledger: Ledger, year: int) -> NoteResult | None:
    """Note 4 for ``year``; None when the ledger has no delivery obligation."""
    obligation = select(ledger, is_obligation)
    if not any(ledger.closing([a], year) or ledger.movement([a], year) for a in obligation):
        return None
    table_rows = rows(ledger, obligation, year)
    addition = tuple((1, r.key) for r in table_rows if r.key == f"additions_{year}")
    table = NoteTable(
        caption="Leveranseforpliktelse",
        columns=(COLUMN,),
        rows=table_rows,
        checks=(
            TableCheck(
                "rows",
                f"book_value_at_{year}_01_01",
                (
                    (1, "transferred_intangible_assets"),
                    (1, f"accumulated_recognised_at_{year}_01_01"),
                ),
            ),
            TableCheck(
                "rows",
                f"book_value_at_{year}_12_31",
                ((1, f"book_value_at_{year}_01_01"), *addition, (1, f"recognised_{year}")),
            ),
        ),
    )
    note = Note(number="4", title="Leveranseforpliktelse", tables=(table,))
    return NoteResult(note=note, tieouts=tieouts(ledger, table, year))
