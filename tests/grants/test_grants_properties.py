"""Property-based tests on random grant ledgers (hypothesis).

For any mix of awards, payments, linked costs (whole or split), an asset bought with a grant and
depreciated, repayments (up to two a grant) and reallocations (up to three, between any two
grants, either way), each at any date:

- every generated transaction balances;
- per grant, max(awarded, paid) + reallocated in − out = income + investments + repaid + unused;
- no grant's liability (2910), receivable (1570) or deferred investment grant (2930) ever has
  the wrong sign at the end of a day; the receivable ends at max(0, awarded − paid) and the
  deferred investment grant at zero once the asset is fully depreciated.
"""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from beancount.core import data
from grant_testing import Loaded
from grant_testing import load_ledger
from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from nhnfin.money import ZERO
from nhnfin.money import allocate

GRANTS = ("g0", "g1", "g2")
LIABILITY = "Liabilities:2910-UnusedPublicGrants"
RECEIVABLE = "Assets:1570-GrantsReceivable"
DEFERRED = "Liabilities:2930-InvestmentGrantsDeferred"
START = datetime.date(2023, 1, 1)
SHARE = re.compile(r'grant: "[^"]*:')  # a link by share
amounts = st.integers(1, 500_000).map(lambda cents: Decimal(cents) / 100)
dates = st.dates(START, datetime.date(2025, 12, 31))


@dataclass(frozen=True)
class Scenario:
    """A random grant ledger and what went into it."""

    text: str
    awarded: dict[str, Decimal]
    paid: dict[str, Decimal]


def _grant(gid: str, day: datetime.date, amount: Decimal, period: str) -> str:
    return (f'{day} custom "nhnfin-grant" "{gid}"\n  name: "Tilskudd {gid}"\n'
            f'  source: "Kap. 701"\n  amount: {amount} NOK\n  note-row: "public_grant"\n'
            f'  period: "{period}"\n')


def _txn(day: datetime.date, link: str, account: str, amount: Decimal, *,
         meta: str = "") -> str:
    return (f'{day} * "Hendelse"\n{meta}  Assets:1920-Bank  {-amount} NOK\n'
            f'  {account}  {amount} NOK\n    grant: "{link}"\n')


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    """Draw a ledger: grants with awards and payments, costs, maybe an asset, events."""
    count = draw(st.integers(1, 3))
    ids = GRANTS[:count]
    parts: list[str] = ['plugin "nhnfin.grants"\ninclude "ACCOUNTS"\n']
    awarded: dict[str, Decimal] = defaultdict(lambda: ZERO)
    paid: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for gid in ids:
        amount = draw(amounts)
        parts.append(_grant(gid, START, amount, draw(st.sampled_from(
            ["monthly", "quarterly", "yearly"]))))
        awarded[gid] += amount
        for _ in range(draw(st.integers(0, 2))):
            extra = draw(amounts)
            parts.append(f'{draw(dates)} custom "nhnfin-grant-award" "{gid}"\n'
                         f'  amount: {extra} NOK\n')
            awarded[gid] += extra
        for _ in range(draw(st.integers(0, 3))):
            payment = draw(amounts)
            account = draw(st.sampled_from([LIABILITY, RECEIVABLE]))
            parts.append(_txn(draw(dates), gid, account, -payment))
            paid[gid] += payment
    for _ in range(draw(st.integers(0, 8))):
        link = draw(st.sampled_from(ids))
        if count > 1 and draw(st.booleans()):
            first = draw(st.integers(1, 99))
            link = f"{ids[0]}:{first},{ids[1]}:{draw(st.integers(1, 100 - first))}"
        cost = draw(amounts) * draw(st.sampled_from([1, 1, 1, -1]))
        parts.append(_txn(draw(dates), link, "Expenses:6700-ExternalServices", cost))
    if draw(st.booleans()):
        parts.append(_asset(draw, ids))
    for gid in ids:
        for _ in range(draw(st.integers(0, 2))):
            parts.append(f'{draw(dates)} custom "nhnfin-grant-repayment" "{gid}"\n'
                         f'  amount: {draw(amounts)} NOK\n')
    if count > 1:
        for _ in range(draw(st.integers(0, 3))):  # between any two grants, either way
            source, target = draw(st.permutations(ids))[:2]
            parts.append(f'{draw(dates)} custom "nhnfin-grant-reallocation" "{source}"\n'
                         f'  to: "{target}"\n  amount: {draw(amounts)} NOK\n')
    return Scenario("\n".join(parts), dict(awarded), dict(paid))


def _asset(draw: st.DrawFn, ids: tuple[str, ...]) -> str:
    """A purchase linked to a grant and its depreciation (as the asset plugin writes it)."""
    day = draw(st.dates(START, datetime.date(2024, 12, 31)))
    cost = draw(amounts)
    share = draw(st.integers(1, 100))
    text = _txn(day, f"{ids[0]}:{share}", "Assets:1250-FixturesAndEquipment", cost,
                meta='  asset: "a1"\n')
    steps = draw(st.integers(1, 4))
    for i, part in enumerate(allocate(cost, [Decimal(1)] * steps)):
        text += (f'{day + datetime.timedelta(days=90 * (i + 1))} * "Avskrivning" '
                 f'#nhnfin-generated\n  asset: "a1"\n'
                 f"  Expenses:6000-DepreciationTangible  {part} NOK\n"
                 f"  Assets:1259-FixturesAccumDepreciation  {-part} NOK\n")
    return text


def grant_postings(loaded: Loaded) -> list[tuple[datetime.date, str, str, Decimal, str]]:
    """(date, grant, account, amount, rule) of every grant-linked posting."""
    rows = []
    for txn in loaded.ledger.entries:
        if not isinstance(txn, data.Transaction):
            continue
        rule = str(txn.meta.get("nhnfin-rule", "")) if "nhnfin-generated" in txn.tags else ""
        for posting in txn.postings:
            gid = (posting.meta or {}).get("grant", txn.meta.get("grant"))
            if gid in GRANTS and posting.units is not None:
                rows.append((txn.date, str(gid), posting.account, posting.units.number, rule))
    return rows


SETTINGS = settings(max_examples=80, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(scenarios())
def test_generated_transactions_balance(scenario: Scenario) -> None:
    loaded = load_ledger(scenario.text)
    assert loaded.other_errors == []
    generated = loaded.generated()
    for txn in generated:
        assert sum((p.units.number for p in txn.postings), ZERO) == 0


@SETTINGS
@given(scenarios())
def test_available_equals_income_plus_unused_plus_repaid(scenario: Scenario) -> None:
    loaded = load_ledger(scenario.text)
    sums: dict[tuple[str, str], Decimal] = defaultdict(lambda: ZERO)
    for _, gid, account, amount, rule in grant_postings(loaded):
        if account == LIABILITY:
            sums[(gid, rule or "payment")] -= amount
            sums[(gid, "unused")] -= amount
    for gid, awarded in scenario.awarded.items():
        available = max(awarded, scenario.paid.get(gid, ZERO))
        realloc = sums[(gid, "grant-reallocation")]
        used = -sums[(gid, "grant-income")]
        invested = -sums[(gid, "grant-investment")]
        repaid = -sums[(gid, "grant-repayment")]
        assert available + realloc == used + invested + repaid + sums[(gid, "unused")]


@SETTINGS
@given(scenarios())
def test_no_grant_balance_has_the_wrong_sign(scenario: Scenario) -> None:
    loaded = load_ledger(scenario.text)
    daily: dict[tuple[str, str], dict[datetime.date, Decimal]] = defaultdict(
        lambda: defaultdict(lambda: ZERO))
    for day, gid, account, amount, _ in grant_postings(loaded):
        daily[(gid, account)][day] += amount
    for (gid, account), moves in daily.items():
        balance = ZERO
        for day in sorted(moves):
            balance += moves[day]
            if account in (LIABILITY, DEFERRED):
                assert balance <= 0, (gid, account, day, balance)
            elif account == RECEIVABLE:
                assert balance >= 0, (gid, account, day, balance)
        if account == RECEIVABLE:
            expected = max(ZERO, scenario.awarded[gid] - scenario.paid.get(gid, ZERO))
            assert balance == expected
        if account == DEFERRED:  # the asset is always depreciated in full
            assert balance == 0


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_every_findings_drill_sums_to_its_amount(scenario: Scenario) -> None:
    """Round eleven: a finding's amount (overspent, an investment not covered, overpaid) links
    to the postings and declared awards that make it, and they sum to it to the øre; only a
    finding that rests on a share of a posting (``grant: "A:60,B:40"``) has none."""
    from nhnfin.findings import collect_findings
    from tests.fava.drill_check import Checker

    loaded = load_ledger(scenario.text)
    checker = Checker(loaded.ledger)
    for year in (2023, 2024, 2025):
        for finding in collect_findings(loaded.ledger, year):
            if finding.drill is None:
                assert SHARE.search(scenario.text) is not None, finding
                continue
            assert set(checker.shown(finding.drill)) == {finding.amount}, finding
