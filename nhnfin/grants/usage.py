"""Grant usage for auditors: what each grant paid for in a year, per cost account.

For each grant, one row per cost (or fixed-asset) account with the costs linked to the grant in
the year (its share of each posting), then a subtotal: linked, covered (income recognised plus
grant moved to investments) and not covered (overspent, or linked after the grant ran out). Each
account row carries a :class:`~nhnfin.model.Drill` with the BQL query that lists the postings
behind it, so a figure can be followed back to its transactions in Fava or ``bean-query``.

The drill queries select a posting the way :mod:`nhnfin.grants.links` links it: the ``grant``
metadata of the posting, else of its transaction (``COALESCE(meta, entry_meta)``; beanquery's
``any_meta`` gives null for a posting without metadata of its own, such as a generated one), else
a ``#grant-<id>`` tag; generated transactions are never links, and an investment is a debit.
The listed postings then sum to the figure, except where a posting is split over grants by share
(``grant: "A:60,B:40"``): the figure holds the grant's share, the listing the whole posting, with
the shares in its ``grant`` column.

This is an audit report beside note 3, not a note of the annual report; its ``Note.number`` is
``"3-usage"``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal

from nhnfin.grants.figures import declared_grants
from nhnfin.grants.figures import grant_years
from nhnfin.grants.links import GENERATED
from nhnfin.grants.links import TAG_PREFIX
from nhnfin.grants.links import Link
from nhnfin.grants.links import collect_links
from nhnfin.grants.links import is_asset_cost
from nhnfin.grants.models import Grant
from nhnfin.ledger import Ledger
from nhnfin.model import Column
from nhnfin.model import Drill
from nhnfin.model import Kind
from nhnfin.model import Note
from nhnfin.model import NoteRow
from nhnfin.model import NoteTable
from nhnfin.money import ZERO
from nhnfin.notes import NoteResult

NUMBER = "3-usage"


def usage_columns(year: int) -> tuple[Column, ...]:
    """linked_<year>, covered_<year>, not_covered_<year>."""
    return (
        Column(f"linked_{year}", f"Knyttet til tilskuddet {year}"),
        Column(f"covered_{year}", f"Dekket av tilskuddet {year}"),
        Column(f"not_covered_{year}", f"Ikke dekket {year}"),
    )


GRANT_VALUE = "COALESCE(str(meta('grant')), str(entry_meta('grant')))"
NOT_GENERATED = f"NOT '{GENERATED}' IN tags"


def grant_condition(ids: Sequence[str]) -> str:
    """A BQL condition: the posting is linked to one of the grants ``ids`` (alone or by share).

    The posting's ``grant`` metadata, else its transaction's, names the grant (``"A"`` or
    ``"A:60,B:40"``); when neither has one, a ``#grant-<id>`` tag on the transaction does.
    """
    names = "|".join(ids)
    tags = " OR ".join(f"'{TAG_PREFIX}{gid}' IN tags" for gid in ids)
    return (f"({GRANT_VALUE} ~ '(^|,) *({names}) *(:|,|$)' OR "
            f"({GRANT_VALUE} IS NULL AND ({tags})))")


def drill(grant: str, account: str, year: int) -> Drill:
    """The postings on ``account`` linked to ``grant`` in ``year`` (debits for an asset)."""
    start, end = f"{year}-01-01", f"{year + 1}-01-01"
    debit = " AND number > 0" if is_asset_cost(account) else ""
    query = (
        f"SELECT date, location, narration, account, position, {GRANT_VALUE} AS grant "
        f"WHERE account = '{account}' AND date >= {start} AND date < {end} AND "
        f"{NOT_GENERATED}{debit} AND {grant_condition([grant])}"
    )
    return Drill((account,), start, end, query)


def linked_by_account(links: list[Link], year: int) -> dict[str, dict[str, Decimal]]:
    """grant -> cost account -> linked amount in ``year`` (costs and investments)."""
    table: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    for link in links:
        if link.kind in ("cost", "investment") and link.date.year == year:
            table[link.grant][link.account] += link.amount
    return table


def _grant_rows(grant: Grant, accounts: dict[str, Decimal], covered: Decimal,
                year: int) -> list[NoteRow]:
    cols = usage_columns(year)
    rows = [
        NoteRow(f"{grant.id}:{account}", account, {cols[0].key: amount, cols[1].key: None,
                                                   cols[2].key: None},
                drill={cols[0].key: drill(grant.id, account, year)})
        for account, amount in sorted(accounts.items())
    ]
    linked = sum(accounts.values(), ZERO)
    rows.append(NoteRow(grant.id, f"Sum {grant.name} ({grant.source})",
                        {cols[0].key: linked, cols[1].key: covered,
                         cols[2].key: linked - covered}, Kind.SUBTOTAL))
    return rows


def build(ledger: Ledger, year: int) -> NoteResult | None:
    """The usage table for ``year``; None when the ledger declares no grant."""
    grants = declared_grants(ledger.entries, ledger.options_map)
    if not grants:
        return None
    links, _ = collect_links(ledger.entries, grants)
    linked = linked_by_account(links, year)
    figures = grant_years(ledger.entries, grants, year)
    rows: list[NoteRow] = []
    for gid, grant in grants.items():
        covered = figures[gid].used + figures[gid].invested
        if gid in linked or covered:
            rows += _grant_rows(grant, linked.get(gid, {}), covered, year)
    table = NoteTable("Bruk av offentlig tilskudd per kostnadskonto", usage_columns(year),
                      tuple(rows))
    return NoteResult(Note(NUMBER, "Bruk av offentlig tilskudd", (table,)))
