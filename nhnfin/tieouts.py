"""Tie-outs of the statements: the checks a controller runs before sign-off.

- the balance sheet balances (assets = equity and liabilities), each year;
- the result for the year equals the change in retained equity;
- the cash-flow statement ends at the balance sheet's cash, and its change equals the change in
  cash;
- the result has been transferred to equity (a warning while the year is not yet closed);
- each section of the cash flow (operating, investing, financing) equals the cash that the
  transactions touching cash took to or from that section's accounts
  (:func:`cash_flow_section_tieouts`), so a non-cash movement left in the statement that moves
  an amount between sections is caught even though cash still ties.

All comparisons are on exact ledger amounts, so a passing check has a difference of zero.
"""

from __future__ import annotations

from decimal import Decimal

from nhnfin.layout import Layout
from nhnfin.ledger import Ledger
from nhnfin.model import Statement
from nhnfin.model import Status
from nhnfin.model import TieOut
from nhnfin.statements import crossing_entries
from nhnfin.statements import describe
from nhnfin.statements import section_cash


def compare(
    check_id: str,
    description: str,
    left: Decimal,
    right: Decimal,
    failing: Status = Status.FAILED,
    detail: str = "",
) -> TieOut:
    """A tie-out that passes when ``left`` equals ``right`` exactly."""
    status = Status.PASSED if left == right else failing
    return TieOut(check_id, description, left, right, status, detail=detail)


def _amount(statement: Statement, key: str, year: str) -> Decimal | None:
    try:
        return statement.row(key).amounts[year]
    except KeyError:
        return None


def _negated(amount: Decimal | None) -> Decimal | None:
    """The amount allocated from a transfer (transfers to equity are negative, as the result
    they allocate is positive)."""
    return None if amount is None else -amount


OPENING_YEAR = ("regnskapet begynner dette året: posteringene omfatter inngående balanse, som "
                "kontantstrømmen ikke viser som inn- og utbetalinger")


def statement_tieouts(
    income: Statement,
    balance: Statement,
    cash_flow: Statement,
    opening_year: str | None = None,
    opening_balance: Statement | None = None,
) -> tuple[TieOut, ...]:
    """The statement tie-outs for every year the statements show.

    ``opening_balance`` is the balance sheet at the start of the fiscal year when the prior-year
    column is not (a period report's prior column ends a year before the period's end).
    A check whose lines the layout does not have is left out (a custom layout may name them
    differently). In ``opening_year``, the first year with postings, the cash flow cannot end at
    the bank: the opening balance is booked in it; that check is a warning there, saying why.
    """
    checks: list[TieOut] = []
    for year in balance.years:
        prior = str(int(year) - 1)
        pairs = [
            (
                f"bs.balances.{year}",
                f"Balansen balanserer {year}: sum eiendeler = sum egenkapital og gjeld",
                _amount(balance, "total_assets", year),
                _amount(balance, "total_equity_and_liabilities", year),
                Status.FAILED,
            ),
            (
                f"cf.ends_at_cash.{year}",
                f"Kontantstrømmen ender i bankbeholdningen 31.12.{year}",
                _amount(cash_flow, "cash_at_end_of_year", year),
                _amount(balance, "cash_and_bank_deposits", year),
                Status.FAILED,
            ),
            (
                f"is.result_transferred.{year}",
                f"Årsresultatet {year} er overført til egenkapitalen (årsavslutning bokført)",
                _amount(income, "net_result_for_the_year", year),
                _negated(_amount(income, "total_transfers", year)),
                Status.WARNING,
            ),
        ]
        retained = _amount(balance, "total_retained_earnings", year)
        if year == balance.years[0] and prior in balance.years:
            retained_prior = _amount(opening_balance or balance, "total_retained_earnings", prior)
            if retained is not None and retained_prior is not None:
                pairs.append(
                    (
                        f"eq.result_equals_change.{year}",
                        f"Årsresultatet {year} = endring i opptjent egenkapital",
                        _amount(income, "net_result_for_the_year", year),
                        retained - retained_prior,
                        Status.FAILED,
                    )
                )
        for check_id, description, left, right, failing in pairs:
            if left is not None and right is not None:
                opening = year == opening_year and check_id.startswith("cf.")
                checks.append(compare(check_id, description, left, right,
                                      Status.WARNING if opening else failing,
                                      OPENING_YEAR if opening and left != right else ""))
    return tuple(checks)


def _section_label(layout: Layout, section: str) -> str:
    lines = [x for x in layout.statement("cash_flow").lines if x.section == section]
    subtotals = [x for x in lines if x.kind != "item"]
    return (subtotals or lines)[-1].label


def cash_flow_section_tieouts(
    layout: Layout, ledger: Ledger, statement: Statement, years: tuple[str, ...] | None = None
) -> tuple[TieOut, ...]:
    """Each cash-flow section, each year the statement shows (or of ``years``), against its cash.

    The section's figure is the sum of its item lines as the statement shows them; its cash is
    minus what the transactions touching cash posted to the section's accounts. When they differ,
    the detail names the transactions that touch no cash and move an amount into or out of the
    section (at most five).
    """
    spec = layout.statement("cash_flow")
    items: dict[str, list[str]] = {}
    for line in spec.lines:
        if line.measure == "movement":
            items.setdefault(line.section, []).append(line.key)
    cash = section_cash(layout, ledger)
    shown = {row.key: row.amounts for row in statement.rows}
    checks: list[TieOut] = []
    for year in years or statement.years:
        for section, keys in items.items():
            figure = sum((shown.get(k, {}).get(year, Decimal(0)) for k in keys), Decimal(0))
            paid = cash.get((section, int(year)), Decimal(0))
            detail = ""
            if figure != paid:
                crossing = crossing_entries(layout, ledger, section, int(year))
                detail = "; ".join(describe(e) for e in crossing[:5])
                if detail:
                    detail = "bevegelser uten kontanter: " + detail
            label = _section_label(layout, section)
            checks.append(
                compare(
                    f"cf.section_cash.{section}.{year}",
                    f"{label} {year} = innbetalinger og utbetalinger i bank mot avsnittets kontoer",
                    figure,
                    paid,
                    detail=detail,
                )
            )
    return tuple(checks)
