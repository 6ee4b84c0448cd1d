"""Each grant's year in figures (note 3), read back from the ledger after the plugins ran.

Only postings are read, never the plugin's internals, so hand-booked entries count too: every
posting to a grant's liability (2910), receivable (1570) or deferred investment grant (2930)
that is linked to the grant (``grant`` meta, as the generated postings are) is classified by the
``nhnfin-rule`` of its transaction:

| column (note 3) | 2910 postings in the year |
|---|---|
| carried from previous years | balance at 1 January, and the books' opening balance |
| actual use | ``grant-income`` debits |
| used on investments | ``grant-investment`` debits |
| repaid / reallocated | ``grant-repayment`` / ``grant-reallocation`` |
| not received + grant for the year | everything else (payments, ``grant-receivable``) |

The books' opening balance, when it is dated in the year (``opening``: a ledger started with
``nhnfin init`` or migrated from another system), is read as the balances on 1 January: what it
brings to 2910 is carried, to the receivable and the deferred grant their opening balances.

"Not received" is what the year added to the receivable and was still open at year end (the
oldest receivable is settled first); "grant for the year" is the rest of the year's funding.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from beancount.core import data

from nhnfin.accounts import is_under
from nhnfin.config import marked_transactions
from nhnfin.grants.directives import loaded_config
from nhnfin.grants.directives import parse_directives
from nhnfin.grants.links import TAG_PREFIX
from nhnfin.grants.links import parse_shares
from nhnfin.grants.links import split
from nhnfin.grants.links import weight_nok
from nhnfin.grants.models import Grant
from nhnfin.money import ZERO
from nhnfin.provenance import GENERATED_TAG as GENERATED

_USE_RULES = {
    "grant-income": "used",
    "grant-investment": "invested",
    "grant-repayment": "repaid",
    "grant-reallocation": "reallocated",
}


@dataclass(frozen=True)
class GrantYear:
    """One grant's note-3 figures for a year (liability amounts positive)."""

    grant: str
    carried: Decimal
    not_received: Decimal
    granted: Decimal
    used: Decimal
    invested: Decimal
    repaid: Decimal
    reallocated: Decimal
    deferred_opening: Decimal
    deferred_closing: Decimal
    investment_income: Decimal
    # receivable older than the year still open at its end (then "not received" is only
    # what the year added; otherwise it is the whole receivable at year end)
    old_receivable_open: Decimal = ZERO

    @property
    def available(self) -> Decimal:
        """Carried + not received + grant for the year."""
        return self.carried + self.not_received + self.granted

    @property
    def set_aside(self) -> Decimal:
        """Unused at year end: available + reallocated − used − invested − repaid."""
        return self.available + self.reallocated - self.used - self.invested - self.repaid

    def is_empty(self) -> bool:
        """True when the grant has nothing to show for the year."""
        return not any((self.available, self.used, self.invested, self.repaid,
                        self.reallocated, self.set_aside, self.deferred_opening,
                        self.deferred_closing, self.investment_income))


def grant_parts(txn: data.Transaction, posting: data.Posting) -> list[tuple[str, Decimal]]:
    """(grant id, amount) parts of a posting by its link; [] if unlinked or malformed."""
    spec = (posting.meta or {}).get("grant", txn.meta.get("grant"))
    if spec is None:
        tags = [t[len(TAG_PREFIX):] for t in txn.tags if t.startswith(TAG_PREFIX)]
        spec = tags[0] if len(tags) == 1 else None
    amount = weight_nok(posting)
    if spec is None or amount is None:
        return []
    try:
        shares = parse_shares(str(spec))
        return list(zip([g for g, _ in shares], split(amount, shares), strict=True))
    except ValueError:
        return []


def _classify(txn: data.Transaction, account: str, grant: Grant, year: int,
              brought: bool = False) -> str | None:
    """The accumulator a linked posting to ``account`` feeds, or None; one of the books'
    opening balance (``brought``) feeds the balances at 1 January."""
    rule = str(txn.meta.get("nhnfin-rule", "")) if GENERATED in txn.tags else ""
    past = txn.date.year < year or brought
    if is_under(account, grant.liability):
        return "carried" if past else _USE_RULES.get(rule, "funding")
    if is_under(account, grant.receivable):
        return "receivable_opening" if past else "receivable_change"
    if is_under(account, grant.deferred):
        return "deferred_opening" if past else "deferred_change"
    if is_under(account, grant.investment_income) and not past:
        return "investment_income"
    return None


def _sums(entries: Iterable[Any], grants: dict[str, Grant], year: int,
          opening: frozenset[int] = frozenset()) -> dict[str, dict[str, Decimal]]:
    """grant -> accumulator -> sum (credits positive, receivable debits positive); ``opening``:
    the ids of the books' opening-balance transactions."""
    sums: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    # within a report (or plugin) run only the transactions with a grant link, in their order
    candidates: Iterable[Any] = entries
    if isinstance(entries, list):
        candidates = (txn for _, txn in marked_transactions(entries, ("grant",)))
    for txn in candidates:
        if not isinstance(txn, data.Transaction) or txn.date.year > year:
            continue
        linked = "grant" in txn.meta or any(t.startswith(TAG_PREFIX) for t in txn.tags)
        for posting in txn.postings:
            if not linked and not (posting.meta and "grant" in posting.meta):
                continue  # no link on the posting nor its transaction: grant_parts gives []
            for gid, amount in grant_parts(txn, posting):
                if gid not in grants:
                    continue
                name = _classify(txn, posting.account, grants[gid], year, id(txn) in opening)
                if name is not None:
                    key, value = _signed(name, amount)
                    sums[gid][key] += value
    return sums


def _signed(name: str, amount: Decimal) -> tuple[str, Decimal]:
    """Accumulate debits on the receivable and uses, credits on everything else."""
    if name == "receivable_change":
        return ("receivable_added" if amount > 0 else "receivable_settled"), abs(amount)
    if name.startswith("receivable") or name in _USE_RULES.values():
        return name, amount
    return name, -amount


def grant_years(entries: Iterable[Any], grants: dict[str, Grant], year: int,
                opening: Iterable[data.Transaction] = ()) -> dict[str, GrantYear]:
    """Every declared grant's figures for ``year``, in declaration order; the transactions of
    ``opening`` (the books' opening balance) bring in balances at 1 January."""
    sums = _sums(entries, grants, year, frozenset(map(id, opening)))
    result: dict[str, GrantYear] = {}
    for gid in grants:
        s = sums.get(gid, {})

        def get(name: str, s: dict[str, Decimal] = s) -> Decimal:
            return s.get(name, ZERO)

        still_old = max(ZERO, get("receivable_opening") - get("receivable_settled"))
        not_received = get("receivable_added") + get("receivable_opening") - get(
            "receivable_settled") - still_old
        result[gid] = GrantYear(
            grant=gid, carried=get("carried"), not_received=not_received,
            granted=get("funding") - not_received, used=get("used"), invested=get("invested"),
            repaid=get("repaid"), reallocated=-get("reallocated"),
            deferred_opening=get("deferred_opening"),
            deferred_closing=get("deferred_opening") + get("deferred_change"),
            investment_income=get("investment_income"), old_receivable_open=still_old,
        )
    return result


def declared_grants(entries: Iterable[Any], options_map: dict[str, Any]) -> dict[str, Grant]:
    """The grants a loaded ledger declares, with the defaults of its ``nhnfin.grants`` line."""
    directives, _ = parse_directives(list(entries), loaded_config(options_map))
    return directives.grants


def accounts_under(accounts: Iterable[str], roots: Iterable[str]) -> tuple[str, ...]:
    """The accounts equal to or below any of ``roots``, sorted."""
    wanted = set(roots)
    return tuple(sorted(a for a in accounts if any(is_under(a, r) for r in wanted)))
