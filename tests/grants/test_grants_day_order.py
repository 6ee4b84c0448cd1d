"""The grant rule takes a day's events in one order (money in, investments, the period's income,
reallocations, repayments; each kind in the order written): the findings its finder makes again
of the loaded entries, where the generated entries are sorted among the ledger's own, are the
plugin's own, and say what it booked, whatever order the day's entries are written in."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from itertools import permutations

import pytest
from beancount import loader
from beancount.core import data
from grant_testing import ACCOUNTS
from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

import nhnfin.grants.plugin as grants
from nhnfin.config import handed_findings
from nhnfin.ledger import Ledger
from nhnfin.ledger import from_entries

D = Decimal
ZERO = D(0)
HEAD = (f'option "operating_currency" "NOK"\nplugin "nhnfin"\ninclude "{ACCOUNTS}"\n'
        '2024-01-01 custom "nhnfin-grant" "g1"\n  name: "Tilskudd"\n  source: "Kap. 701"\n'
        '  amount: 1000.00 NOK\n  note-row: "public_grant"\n'
        '2024-01-01 custom "nhnfin-grant" "g2"\n  name: "Tilskudd 2"\n  source: "Kap. 702"\n'
        '  amount: 0.00 NOK\n  note-row: "public_grant"\n'
        '2024-01-10 * "Utbetaling"\n  grant: "g1"\n  Assets:1920-Bank 400.00 NOK\n'
        "  Liabilities:2910-UnusedPublicGrants\n")


def payment(day: str, number: Decimal) -> str:
    return (f'{day} * "Utbetaling"\n  grant: "g1"\n  Assets:1920-Bank {number} NOK\n'
            "  Liabilities:2910-UnusedPublicGrants\n")


def cost(day: str, number: Decimal) -> str:
    return (f'{day} * "Konsulent"\n  Expenses:6700-ExternalServices {number} NOK\n'
            '    grant: "g1"\n  Assets:1920-Bank\n')


def repayment(day: str, number: Decimal) -> str:
    return f'{day} custom "nhnfin-grant-repayment" "g1"\n  amount: {number} NOK\n'


def reallocation(day: str, number: Decimal) -> str:
    return (f'{day} custom "nhnfin-grant-reallocation" "g1"\n  to: "g2"\n'
            f"  amount: {number} NOK\n")


def load(text: str) -> Ledger:
    entries, errors, options = loader.load_string(text)
    return from_entries(entries, errors, options)


def booked(ledger: Ledger) -> dict[str, Decimal]:
    """What the plugin booked for g1 in 2024: income, linked cost, paid in, moved out."""
    figures: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for entry in ledger.entries:
        if not isinstance(entry, data.Transaction):
            continue
        rule = entry.meta.get("nhnfin-rule")
        for posting in entry.postings:
            number, account = posting.units.number, posting.account
            if rule == "grant-income":
                figures["income"] -= number if account.startswith("Income:") else ZERO
            elif rule in ("grant-repayment", "grant-reallocation") and (
                    account.startswith("Liabilities:2910") and number > 0):
                figures[rule] += number
            elif rule is None and account.startswith("Expenses:"):
                figures["cost"] += number
            elif rule is None and account == "Assets:1920-Bank" and number > 0:
                figures["paid"] += number
    return figures


def check_findings_are_booked(ledger: Ledger) -> dict[str, Decimal]:
    """The finder run again gives the plugin's own findings, and they are the booked figures:
    the overspending of all periods = linked cost less income; the last overpayment = paid in
    less the award (1 000). The findings' sums by kind."""
    found = grants.findings(ledger.entries, ledger.options_map)
    assert handed_findings(ledger.entries, ledger.options_map).get("grants") == found
    figures = booked(ledger)
    assert sum((f.amount for f in found if f.kind == "grant-overspent"), ZERO) == (
        figures["cost"] - figures["income"])
    assert max((f.amount for f in found if f.kind == "grant-overpaid"), default=ZERO) == max(
        figures["paid"] - D(1000), ZERO)
    by_kind: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for finding in found:
        by_kind[finding.kind] += finding.amount
    return dict(by_kind)


DAY = {  # 31 March: 400 paid in January, 1 000 awarded
    "payment": payment("2024-03-31", D("700.00")),
    "cost": cost("2024-03-31", D("700.00")),
    "more cost": cost("2024-03-31", D("500.00")),
    "reallocation": reallocation("2024-03-31", D("30.00")),
}


@pytest.mark.parametrize("order", list(permutations(DAY)), ids="-".join)
def test_the_findings_are_what_the_rule_booked_in_every_order_of_writing(
        order: tuple[str, ...]) -> None:
    ledger = load(HEAD + "".join(DAY[k] for k in order))
    assert [e.message for e in ledger.errors] == [
        "omdisponering av 30 NOK fra tilskuddet 'g1' er mer enn ubrukt saldo (0 NOK) "
        "31.03.2024; ingenting er bokført"]
    assert check_findings_are_booked(ledger) == {
        "grant-overpaid": D("100.00"), "grant-overspent": D("100.00")}
    assert booked(ledger)["income"] == D("1100.00")


KINDS = {"payment": payment, "cost": cost, "repayment": repayment, "reallocation": reallocation}
DAYS = ("2024-03-31", "2024-04-30", "2025-01-31")
events = st.lists(st.tuples(st.sampled_from(sorted(KINDS)), st.sampled_from(DAYS),
                            st.integers(1, 160).map(lambda n: D(n) * 5)), min_size=1, max_size=8)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(events.flatmap(lambda drawn: st.tuples(st.just(drawn), st.permutations(drawn))))
def test_the_findings_are_what_the_rule_booked_whatever_order_a_day_is_written_in(
        drawn: tuple[list[tuple[str, str, Decimal]], list[tuple[str, str, Decimal]]]) -> None:
    written, shuffled = drawn
    texts = [HEAD + "".join(KINDS[kind](day, number) for kind, day, number in events)
             for events in (written, shuffled)]
    for text in texts:  # each checked before the next load replaces the handoff
        check_findings_are_booked(load(text))
