"""A day's e-health flows are taken in one order (``nhnfin.ehealth.plugin.day_order``): the
finding the report shows is the under-coverage the plugin booked, whatever order the controller
wrote the day's entries in, and whatever order the loaded ledger sorts the generated repayments
into (docs/ehealth-invoicing.md, "Within a day")."""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal
from itertools import permutations
from typing import Any

import pytest
from beancount import loader
from beancount.core import data
from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

import nhnfin.ehealth.plugin as ehealth
from nhnfin.config import handed_findings
from nhnfin.model import Finding
from tests.ehealth.conftest import HEADER

HEAD = (HEADER.replace('plugin "nhnfin.ehealth"', 'plugin "nhnfin"')
        + '2024-01-01 custom "nhnfin-ehealth-solution" "kj" "Kjernejournal"\n')
LIABILITY = "Liabilities:2920-EHealthObligations"
ZERO = Decimal(0)


def invoice(day: str, number: Decimal) -> str:
    """An invoice (``number`` > 0) or a credit note (< 0) on the liability (4 lines)."""
    return (f'{day} * "Faktura"\n  Assets:1500-TradeReceivables:Helse-Vest {number} NOK\n'
            f'  {LIABILITY} {-number} NOK\n    solution: "kj"\n')


def cost(day: str, number: Decimal) -> str:
    return (f'{day} * "Drift"\n  solution: "kj"\n  Expenses:6700-ExternalServices {number} NOK\n'
            f"  Assets:1920-Bank {-number} NOK\n")


def repayment(day: str, number: Decimal) -> str:
    return f'{day} custom "nhnfin-ehealth-repayment" "kj" {number} NOK Assets:1920-Bank\n'


def booked(entries: list[Any]) -> tuple[dict[int, Decimal], dict[int, Decimal], list[Decimal]]:
    """What the plugin booked: cost and recognised income per year, and the repayments."""
    costs: dict[int, Decimal] = defaultdict(lambda: ZERO)
    income: dict[int, Decimal] = defaultdict(lambda: ZERO)
    repaid: list[Decimal] = []
    for entry in entries:
        if not isinstance(entry, data.Transaction):
            continue
        rule = entry.meta.get("nhnfin-rule")
        for posting in entry.postings:
            number = posting.units.number
            if posting.account.startswith("Expenses:"):
                costs[entry.date.year] += number
            elif posting.account.startswith("Income:3000") and rule == ehealth.RULE:
                income[entry.date.year] -= number
            elif posting.account == LIABILITY and rule == ehealth.REPAYMENT_RULE:
                repaid.append(number)
    return costs, income, repaid


def check_findings_are_booked(entries: list[Any], options: dict[str, Any]) -> list[Finding]:
    """The finder run again on the loaded entries gives the plugin's own findings, and each
    year's under-coverage is the year's cost less the income the plugin booked."""
    found = ehealth.findings(entries, options)
    assert handed_findings(entries, options).get("ehealth") == found
    costs, income, _ = booked(entries)
    short = {year: cost - income[year] for year, cost in costs.items() if cost > income[year]}
    assert {f.year: f.amount for f in found} == short
    return found


DAY = {  # 31 March, after 100 invoiced on 15 January
    "repayment": repayment("2024-03-31", Decimal("120.00")),
    "invoice": invoice("2024-03-31", Decimal("50.00")),
    "cost": cost("2024-03-31", Decimal("200.00")),
}


@pytest.mark.parametrize("order", list(permutations(DAY)), ids="-".join)
def test_a_repayment_pays_out_what_its_day_leaves_in_every_order_of_writing(
        order: tuple[str, ...]) -> None:
    text = HEAD + invoice("2024-01-15", Decimal("100.00")) + "".join(DAY[k] for k in order)
    entries, errors, options = loader.load_string(text)
    assert errors == []
    costs, income, repaid = booked(entries)
    assert (costs[2024], income[2024], repaid) == (
        Decimal("200.00"), Decimal("30.00"), [Decimal("120.00")])
    (finding,) = check_findings_are_booked(entries, options)
    assert finding.amount == Decimal("170.00")
    assert finding.lineno == 13 + sum(DAY[k].count("\n") for k in order[:order.index("cost")])


@pytest.mark.parametrize("order", list(permutations(DAY)), ids="-".join)
def test_a_repayment_beyond_its_day_is_refused_in_every_order_of_writing(
        order: tuple[str, ...]) -> None:
    day = {**DAY, "repayment": repayment("2024-03-31", Decimal("151.00"))}
    text = HEAD + invoice("2024-01-15", Decimal("100.00")) + "".join(day[k] for k in order)
    entries, errors, options = loader.load_string(text)
    assert [e.message for e in errors] == [
        "tilbakebetalingen på 151 NOK for Kjernejournal (kj) 31.03.2024 er mer enn forpliktelsen "
        "har for den (150 NOK); ingenting er bokført"]
    assert booked(entries)[1:] == ({2024: Decimal("150.00")}, [])
    assert [f.amount for f in check_findings_are_booked(entries, options)] == [Decimal("50.00")]


@pytest.mark.parametrize("credit_first", [True, False])
def test_a_credit_note_is_taken_after_the_invoices_of_its_day(credit_first: bool) -> None:
    credit, bill = invoice("2024-03-31", Decimal("-30.00")), invoice("2024-03-31",
                                                                     Decimal("50.00"))
    text = HEAD + (credit + bill if credit_first else bill + credit) + cost("2024-03-31",
                                                                           Decimal("10.00"))
    entries, errors, options = loader.load_string(text)
    assert errors == []
    assert booked(entries)[1] == {2024: Decimal("10.00")}
    assert check_findings_are_booked(entries, options) == []


KINDS = ("invoice", "credit", "cost", "repayment")
DAYS = (datetime.date(2024, 3, 31), datetime.date(2024, 4, 30), datetime.date(2025, 1, 31))
amounts = st.integers(1, 400).map(lambda n: Decimal(n) * 5 / 4)  # 1.25 ... 500.00
events = st.lists(st.tuples(st.sampled_from(KINDS), st.sampled_from(DAYS), amounts),
                  min_size=1, max_size=9)


def text_of(kinds: list[tuple[str, datetime.date, Decimal]]) -> str:
    parts = {"invoice": invoice, "credit": lambda d, n: invoice(d, -n),
             "cost": cost, "repayment": repayment}
    return HEAD + invoice("2024-01-15", Decimal("100.00")) + "".join(
        parts[kind](str(day), number) for kind, day, number in kinds)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(events.flatmap(lambda drawn: st.tuples(st.just(drawn), st.permutations(drawn))))
def test_the_finding_is_the_booked_figure_whatever_order_a_day_is_written_in(
        drawn: tuple[list[tuple[str, datetime.date, Decimal]],
                     list[tuple[str, datetime.date, Decimal]]]) -> None:
    written, shuffled = drawn
    first, _, options = loader.load_string(text_of(written))
    found = check_findings_are_booked(first, options)  # before the next load replaces the handoff
    second, _, options = loader.load_string(text_of(shuffled))
    again = check_findings_are_booked(second, options)
    days = [day for kind, day, _ in written if kind == "repayment"]
    if len(days) == len(set(days)):  # one repayment a day: the figures cannot depend on order
        assert booked(first)[1] == booked(second)[1]
        assert sorted(booked(first)[2]) == sorted(booked(second)[2])
        assert [(f.year, f.amount) for f in found] == [(f.year, f.amount) for f in again]
