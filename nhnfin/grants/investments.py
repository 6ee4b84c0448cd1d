"""Investment grants follow their asset's depreciation (notes 3 and 13).

A grant spent on an asset sits in the deferred investment grant (2930) and is taken to income
(3920, "Andre inntekter") in the same proportion as the asset's book value falls. The asset
register is not imported: an asset is known only through the ledger, as every posting to a
fixed-asset account (NS 4102 1000-1299) carrying ``asset: "<id>"`` (on the posting or on its
transaction). So the depreciation, impairment and disposal transactions the asset plugin
generates (it runs *before* ``nhnfin.grants``) drive this rule, and so do hand-booked ones.

For each such transaction that lowers the asset's net book value from ``B`` to ``B - w``, each
grant's deferred balance ``d`` on the asset is reduced by ``round(d * w / B)`` (to øre), and by
all of ``d`` when the book value reaches zero: the final depreciation or a disposal clears the
deferred grant exactly.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import ROUND_HALF_UP
from decimal import Decimal
from typing import Any

from beancount.core import data

from nhnfin.config import marked_transactions
from nhnfin.grants.links import CURRENCY
from nhnfin.grants.links import is_fixed_asset
from nhnfin.grants.models import Booking
from nhnfin.grants.models import Funding
from nhnfin.grants.models import Grant
from nhnfin.grants.models import Leg
from nhnfin.money import ORE
from nhnfin.money import ZERO


def book_value_changes(txn: data.Transaction, assets: set[str]) -> dict[str, Decimal]:
    """Change of each tracked asset's net book value in one transaction."""
    changes: dict[str, Decimal] = {}  # a plain dict: most transactions touch no tracked asset
    if not assets:
        return changes
    default = txn.meta.get("asset")  # what a posting without its own asset belongs to
    for posting in txn.postings:
        meta = posting.meta  # asset_of, inline: this runs for every posting of the ledger
        value = meta.get("asset", default) if meta else default
        if value is None:
            continue
        asset = str(value)
        if asset not in assets:
            continue
        units = posting.units
        if (is_fixed_asset(posting.account) and units is not None
                and units.currency == CURRENCY and units.number is not None):
            changes[asset] = changes.get(asset, ZERO) + units.number
    return changes


def recognised_part(deferred: Decimal, written_down: Decimal, before: Decimal) -> Decimal:
    """The part of ``deferred`` that follows a write-down of ``written_down`` out of ``before``.

    All of it once nothing is left of the book value; never more than ``deferred``.
    """
    if before <= 0 or written_down >= before:
        return deferred
    part = (deferred * written_down / before).quantize(ORE, rounding=ROUND_HALF_UP)
    return min(part, deferred)


def follow_assets(
    entries: list[Any], fundings: list[Funding], grants: dict[str, Grant]
) -> list[Booking]:
    """Income bookings (2930 -> 3920) in step with each funded asset's loss of book value."""
    by_seq: dict[int, list[Funding]] = defaultdict(list)
    for funding in fundings:
        by_seq[funding.seq].append(funding)
    assets = {f.asset for f in fundings}
    book_value: dict[str, Decimal] = defaultdict(lambda: ZERO)
    deferred: dict[str, dict[str, Decimal]] = defaultdict(dict)
    bookings: list[Booking] = []
    # the transactions with an asset id, and those that fund one, by date: under plugin
    # "nhnfin" the entries an earlier rule generated (the asset rule's depreciation) come after
    # the hand entries, so in list order a later addition to the asset's cost was in its book
    # value before the earlier months' depreciation, and changed their grant income (round
    # fourteen); entries of one date keep their order
    marked = sorted(((seq, entry) for seq, entry in marked_transactions(entries, ("asset",), by_seq)
                     if isinstance(entry, data.Transaction)), key=lambda pair: pair[1].date)
    for seq, entry in marked:
        changes = book_value_changes(entry, assets)
        for asset, change in sorted(changes.items()) if changes else ():
            before = book_value[asset]
            book_value[asset] = before + change
            if change < 0:
                bookings += _recognise(entry, asset, written_down=-change, before=before,
                                       owed=deferred[asset], grants=grants)
        for funding in by_seq.get(seq, []):
            owed = deferred[funding.asset]
            owed[funding.grant] = owed.get(funding.grant, ZERO) + funding.amount
    return bookings


def _recognise(
    txn: data.Transaction,
    asset: str,
    *,
    written_down: Decimal,
    before: Decimal,
    owed: dict[str, Decimal],
    grants: dict[str, Grant],
) -> list[Booking]:
    """One booking per grant with a deferred balance on ``asset`` (``owed`` is updated)."""
    bookings: list[Booking] = []
    for gid in sorted(owed):
        amount = recognised_part(owed[gid], written_down, before)
        if amount <= 0:
            continue
        owed[gid] -= amount
        grant = grants[gid]
        legs = (
            Leg(grant.deferred, amount, gid, asset),
            Leg(grant.investment_income, -amount, gid, asset),
        )
        bookings.append(Booking(
            txn.date, "grant-investment-income", gid,
            f"Inntektsføring investeringstilskudd {gid}, eiendel {asset}", legs, txn.meta,
            (("asset", asset),),
        ))
    return bookings
