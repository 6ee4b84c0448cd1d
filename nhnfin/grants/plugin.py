"""Public grants: income in step with the costs they cover (annual report note 3, and note 13).

The rule (note 1 "Regnskapsføring av offentlig tilskudd", note 3 "Offentlig tilskudd"): grants
are shown gross. Grant income ("Offentlig tilskudd", 3400) is recognised in step with the costs
the grant covers, never more than the grant makes available; what is unused at year end is a
short-term liability ("Ubenyttet offentlig tilskudd", 2910) carried into the next year; a grant
awarded but not yet received is a receivable (1570); a grant spent on an investment is deferred
(2930, note 13 "Statsbudsjettbevilgning benyttet på investeringer") and taken to income (3920,
"Andre inntekter") in step with the investment's depreciation.

Controllers post only what happens: a grant is declared once (``custom "nhnfin-grant"``), the
payment is an ordinary bank entry against 2910 (or 1570) linked to the grant, and costs are
ordinary entries linked with ``grant: "<id>"`` (or shares ``grant: "A:60,B:40"``). The plugin
generates the rest; see :mod:`nhnfin.grants.directives` (directives), :mod:`nhnfin.grants.links`
(links), :mod:`nhnfin.grants.engine` (the arithmetic) and :mod:`nhnfin.grants.investments`
(depreciation). Generated transactions carry ``nhnfin-rule`` (grant-receivable, grant-income,
grant-investment, grant-investment-income, grant-reallocation, grant-repayment),
``nhnfin-source`` (file:line of the cause), ``grant`` and the tag ``#nhnfin-generated``.

Plugin order: the asset register/depreciation plugin must come *before* this one, so that its
depreciation and disposal transactions (``asset: "<id>"``) are in the entries this plugin reads::

    plugin "nhnfin.assets"
    plugin "nhnfin.grants"
    ; or, with other defaults (every key optional):
    plugin "nhnfin.grants" "{'period': 'yearly', 'repayment_account': 'Assets:1920-Bank'}"

Before::

    2024-01-01 custom "nhnfin-grant" "hod-701-21"
      name: "Tilskudd kap. 701 post 21"
      source: "Kap. 701 post 21"
      amount: 1000.00 NOK
      note-row: "public_grant"
    2024-01-10 * "Helsedirektoratet" "Tilskudd"
      grant: "hod-701-21"
      Assets:1920-Bank                    600.00 NOK
      Liabilities:2910-UnusedPublicGrants
    2024-01-20 * "Konsulent" "Arbeid finansiert av tilskuddet"
      Expenses:6700-ExternalServices      250.00 NOK
        grant: "hod-701-21"
      Assets:1920-Bank

After (generated, besides the entries above)::

    2024-01-01 * "Tilskudd hod-701-21: tildelt, ikke mottatt" #nhnfin-generated
      nhnfin-rule: "grant-receivable"
      Assets:1570-GrantsReceivable         1000.00 NOK
      Liabilities:2910-UnusedPublicGrants -1000.00 NOK
    2024-01-10 * "Tilskudd hod-701-21: mottatt, fordring oppgjort" #nhnfin-generated
      nhnfin-rule: "grant-receivable"
      Liabilities:2910-UnusedPublicGrants   600.00 NOK
      Assets:1570-GrantsReceivable         -600.00 NOK
    2024-01-31 * "Inntektsføring tilskudd hod-701-21 2024-01" #nhnfin-generated
      nhnfin-rule: "grant-income"
      Liabilities:2910-UnusedPublicGrants   250.00 NOK
      Income:3400-GrantIncome              -250.00 NOK

At year end 2910 holds 750.00 (set aside for next year) and 1570 holds 400.00 (not received).
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from beancount.core import data
from beancount.core.amount import Amount

from nhnfin import drill as drills
from nhnfin.accounts import is_under
from nhnfin.config import entries_of
from nhnfin.config import keep_findings
from nhnfin.config import posting_index
from nhnfin.config import repeated_meta_keys
from nhnfin.errors import printable_errors
from nhnfin.grants.directives import AWARD
from nhnfin.grants.directives import GRANT
from nhnfin.grants.directives import REALLOCATION
from nhnfin.grants.directives import REPAYMENT
from nhnfin.grants.directives import check_accounts
from nhnfin.grants.directives import loaded_config
from nhnfin.grants.directives import parse_config
from nhnfin.grants.directives import parse_directives
from nhnfin.grants.engine import run
from nhnfin.grants.figures import grant_parts
from nhnfin.grants.investments import follow_assets
from nhnfin.grants.links import collect_links
from nhnfin.grants.models import CURRENCY
from nhnfin.grants.models import Booking
from nhnfin.grants.models import Funding
from nhnfin.grants.models import Grant
from nhnfin.grants.models import GrantError
from nhnfin.lock_guard import per_rule_line
from nhnfin.model import Finding
from nhnfin.money import ZERO
from nhnfin.money import norwegian
from nhnfin.provenance import GENERATED_TAG as GENERATED
from nhnfin.provenance import generated_meta
from nhnfin.statements import entries_opening_balance

__plugins__ = ("grants",)

TAGS = frozenset({GENERATED})


def to_transaction(booking: Booking) -> data.Transaction:
    """The Beancount transaction for a booking, located at the entry that caused it."""
    source = booking.source
    meta = generated_meta(booking.rule, source, "<nhnfin.grants>", grant=booking.grant,
                          **dict(booking.extra))
    postings = [
        data.Posting(leg.account, Amount(leg.amount, CURRENCY), None, None, None,
                     {"grant": leg.grant} | ({"asset": leg.asset} if leg.asset else {}))
        for leg in booking.legs
    ]
    return data.Transaction(meta, booking.date, "*", None, booking.narration, TAGS,
                            data.EMPTY_SET, postings)


@printable_errors
def grants(
    entries: list[Any], options_map: dict[str, Any], config_str: str | None = None
) -> tuple[list[Any], list[Any]]:
    """The plugin: the entries plus :func:`generate`'s, sorted, and the errors found."""
    generated, errors = generate(entries, options_map, config_str)
    guard = per_rule_line(entries, options_map, ("nhnfin.grants", "nhnfin.grants.plugin"))
    return sorted([*entries, *generated], key=data.entry_sortkey), [*errors, *guard]


def generate(
    entries: list[Any], options_map: dict[str, Any], config_str: str | None = None
) -> tuple[list[data.Transaction], list[GrantError]]:
    """Validate the grant directives and links, and make the generated entries.

    Args:
        entries: the ledger's directives (not modified).
        options_map: Beancount options (unused).
        config_str: optional dict literal with defaults, see :class:`GrantConfig`.

    Returns:
        The generated transactions (unsorted) and the errors found.
    """
    del options_map
    config, errors = parse_config(config_str)
    directives, directive_errors = parse_directives(entries, config)
    errors += directive_errors
    errors += [GrantError(*e) for e in
               repeated_meta_keys(entries, (GRANT, AWARD, REPAYMENT, REALLOCATION))]
    if not directives.grants:  # nothing to book, but a link to an undeclared grant is an error
        keep_findings("grants", [])
        return [], errors + collect_links(entries, {})[1]
    opens = {e.account for e in entries_of(entries, data.Open)}
    errors += check_accounts(directives.grants, opens)
    start, opening_ids = books_start(entries)
    links, link_errors = collect_links(entries, directives.grants, opening_ids)
    errors += link_errors
    outcome = run(directives, links, start)
    errors += outcome.errors
    # the finder's links are these (never a generated entry, in the same order once sorted)
    keep_findings("grants", [*outcome.findings,
                             *hand_receivables(entries, directives.grants, opening_ids)])
    opening = [Funding(link.grant, str(link.asset), -link.amount, link.seq)
               for link in links if link.kind == "deferred"]
    fundings = [*opening, *outcome.fundings]
    bookings = outcome.bookings + follow_assets(entries, fundings, directives.grants)
    return [to_transaction(b) for b in bookings], errors


def findings(entries: list[Any], options_map: dict[str, Any]) -> list[Finding]:
    """Overspending and the like in a loaded ledger (registered in
    :data:`nhnfin.findings.FINDER_PATHS`): the engine run again on the declared grants and the
    links (generated entries are never links), so the findings are those of the booked figures."""
    directives, _ = parse_directives(entries, loaded_config(options_map))
    if not directives.grants:
        return []
    start, opening_ids = books_start(entries)
    links, _ = collect_links(entries, directives.grants, opening_ids)
    return [*run(directives, links, start).findings,
            *hand_receivables(entries, directives.grants, opening_ids)]


def hand_receivables(entries: list[Any], grants: dict[str, Grant],
                     opening_ids: frozenset[int]) -> list[Finding]:
    """A finding for each debit on a grant's receivable (1570) booked by hand after the books'
    opening balance: the rule books the receivable itself (``grant-receivable``: awarded and
    not received); by hand it is brought in by the opening balance and credited when a grant
    is paid (docs/grants.md). Note 3 counts a linked one as not received, and leaves an
    unlinked one out, so either is named where it stands."""
    roots = {g.receivable for g in grants.values()}
    index = posting_index(entries)
    positions = sorted({seq for account, where in index.accounts.items()
                        if any(is_under(account, root) for root in roots) for seq in where})
    found: list[Finding] = []
    for seq in positions:
        txn = entries[seq]
        if not isinstance(txn, data.Transaction) or GENERATED in txn.tags or id(
                txn) in opening_ids:
            continue
        found.extend(_hand_debits(txn, roots, grants))
    return found


def _hand_debits(txn: data.Transaction, roots: set[str], grants: dict[str, Grant]
                 ) -> list[Finding]:
    """One finding per account of ``roots`` the transaction debits, at its first debit, the
    amount the sum of its debits there, linked to those postings."""
    debits: dict[str, list[tuple[data.Posting, Decimal]]] = {}
    for posting in txn.postings:
        number = posting.units.number if posting.units is not None else None
        if number is not None and number > 0 and any(is_under(posting.account, r)
                                                     for r in roots):
            debits.setdefault(posting.account, []).append((posting, number))
    found = []
    for account, debited in debits.items():
        postings = [p for p, _ in debited]
        amount = sum((n for _, n in debited), ZERO)
        parts = sorted({gid for p in postings for gid, _ in grant_parts(txn, p) if gid in grants})
        counted = (f"note 3 regner den som ikke mottatt tilskudd for {', '.join(parts)}"
                   if parts else "den er ikke knyttet til noe tilskudd (grant:), så note 3 "
                                 "regner den ikke med")
        first = postings[0].meta if postings[0].meta and "lineno" in postings[0].meta else txn.meta
        trail = drills.postings((account,), txn.date, txn.date + datetime.timedelta(days=1),
                                side="debit", condition=drills.in_transactions([txn]),
                                condition_text="ført for hånd")
        found.append(Finding(
            "grant-hand-receivable",
            f"{account} er debitert {norwegian(amount)} NOK for hånd: tilskuddsregelen fører "
            "selv fordringen for det som er tildelt og ikke mottatt (grant-receivable); for hånd "
            "føres fordringen bare i inngående balanse, og krediteres når tilskuddet betales; "
            f"{counted}",
            str(first.get("filename", "<unknown>")), int(first.get("lineno", 0)),
            txn.date.year, amount, trail))
    return found


def books_start(entries: list[Any]) -> tuple[datetime.date | None, frozenset[int]]:
    """The date of the books' opening balance and the ids of its transactions
    (:func:`nhnfin.statements.entries_opening_balance`, the transactions the report reads as
    brought in); None and none when the books have none."""
    opening = entries_opening_balance(entries)
    if not opening:
        return None, frozenset()
    return min(e.date for e in opening), frozenset(map(id, opening))
