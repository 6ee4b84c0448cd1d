"""Income statement, balance sheet and cash-flow statement computed from the ledger.

Each item line is the movement, closing or opening balance of the accounts its layout line takes
(by NS 4102 number), times the line's sign; each subtotal is its formula over the exact amounts
of the lines above. Nothing is typed in and nothing is rounded here: the renderers round each
line to whole kroner, as the published report does, so a subtotal is the rounded exact sum, not
the sum of rounded lines.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from collections.abc import Sequence
from decimal import Decimal

from beancount.core import data
from beancount.core.compare import hash_entry

from nhnfin.cash_flow import cash_flow_ledger
from nhnfin.cash_flow import left_out_entries
from nhnfin.layout import Layout
from nhnfin.layout import LineSpec
from nhnfin.layout import StatementSpec
from nhnfin.ledger import Ledger
from nhnfin.ledger import numbered
from nhnfin.ledger import year_bounds
from nhnfin.model import Drill
from nhnfin.model import Statement
from nhnfin.model import StatementRow
from nhnfin.money import ZERO


def line_accounts(line: LineSpec, accounts: dict[str, int]) -> tuple[str, ...]:
    """The ledger accounts an item line takes.

    The line's ranges are tested once per distinct number, not once per account: thousands of
    customer and supplier sub-accounts share a handful of numbers.
    """
    taken = {number for number in set(accounts.values()) if line.matches(number)}
    return tuple(sorted(a for a, number in accounts.items() if number in taken))


def item_amount(line: LineSpec, ledger: Ledger, accounts: tuple[str, ...], year: int) -> Decimal:
    """The exact amount of an item line for ``year``."""
    if line.measure == "movement":
        raw = ledger.movement(accounts, year)
    elif line.measure == "closing":
        raw = ledger.closing(accounts, year)
    else:
        raw = ledger.opening(accounts, year)
    amount = raw * line.sign
    return amount if amount else ZERO  # no "-0"


def drill(
    line: LineSpec,
    accounts: tuple[str, ...],
    year: int,
    last_day: datetime.date | None = None,
    left_out: Sequence[data.Transaction] = (),
) -> Drill:
    """Where the postings behind an item line's figure for ``year`` are: to ``last_day`` in a
    period report, and without the transactions the statement leaves out (the cash flow's
    non-cash movements), so the postings add up to the figure."""
    start, end = year_bounds(year)
    if last_day is not None and line.measure != "opening":
        end = last_day + datetime.timedelta(days=1)
    if line.measure == "opening":
        start_text, end = None, start
    elif line.measure == "closing":
        start_text = None
    else:
        start_text = start.isoformat()
    pattern = "|".join(accounts) or "(?!)"
    where = [f"account ~ '^({pattern})(:|$)'", f"date < {end.isoformat()}"]
    if start_text:
        where.insert(1, f"date >= {start_text}")
    taken = set(accounts)
    ids = [
        hash_entry(e)
        for e in left_out
        if e.date < end
        and (start_text is None or e.date.isoformat() >= start_text)
        and any(p.account in taken for p in e.postings)
    ]
    if ids:
        where.append("NOT (id IN (" + ", ".join(f"'{i}'" for i in ids) + "))")
    query = "SELECT date, flag, payee, narration, account, position, balance WHERE " + " AND ".join(
        where
    )
    return Drill(accounts=accounts, start=start_text, end=end.isoformat(), query=query)


def build_statement(
    spec: StatementSpec,
    ledger: Ledger,
    years: tuple[int, ...],
    sources: Mapping[int, Ledger] | None = None,
    last_days: Mapping[int, datetime.date] | None = None,
    left_out: Sequence[data.Transaction] = (),
) -> Statement:
    """Compute ``spec`` for each of ``years`` (the fiscal year first, then the prior year);
    ``sources`` gives another ledger for a year's column (a period report's prior-year column
    is the ledger as it stood a year before the period's end), ``last_days`` the day a
    period's column ends, ``left_out`` the transactions the statement leaves out (for the
    drill-down)."""
    accounts = numbered(ledger.accounts())
    amounts: dict[str, dict[str, Decimal]] = {}
    rows: list[StatementRow] = []
    for line in spec.lines:
        per_year: dict[str, Decimal] = {}
        drills: dict[str, Drill] = {}
        if line.formula is None:
            taken = line_accounts(line, accounts)
            for year in years:
                source = (sources or {}).get(year, ledger)
                per_year[str(year)] = item_amount(line, source, taken, year)
                last_day = (last_days or {}).get(year)
                drills[str(year)] = drill(line, taken, year, last_day, left_out)
        else:
            for year in years:
                per_year[str(year)] = sum(
                    (sign * amounts[ref][str(year)] for sign, ref in line.terms), ZERO
                )
        amounts[line.key] = per_year
        if line.optional and all(v == 0 for v in per_year.values()):
            continue
        rows.append(
            StatementRow(
                key=line.key,
                label=line.label,
                note=line.note,
                section=line.section,
                kind=line.kind,
                amounts=per_year,
                drill=drills,
            )
        )
    return Statement(
        key=spec.key,
        title=spec.title,
        years=tuple(str(y) for y in years),
        rows=tuple(rows),
    )


def build_statements(
    layout: Layout,
    ledger: Ledger,
    year: int,
    prior: Ledger | None = None,
    last_days: Mapping[int, datetime.date] | None = None,
) -> tuple[Statement, ...]:
    """The three statements for ``year`` with the prior year beside each figure (from
    ``prior`` when given: the same period a year earlier, the columns ending on ``last_days``);
    the cash flow without the non-cash transactions NRS 2 keeps out of it
    (:mod:`nhnfin.cash_flow`)."""
    years = (year, year - 1)
    result = []
    for spec in layout.statements:
        chosen = [ledger] if prior is None else [ledger, prior]
        left: list[data.Transaction] = []
        if spec.key == "cash_flow":
            left = left_out_entries(layout, chosen[0])
            chosen = [cash_flow_ledger(layout, x) for x in chosen]
        sources = {year - 1: chosen[1]} if len(chosen) > 1 else None
        result.append(build_statement(spec, chosen[0], years, sources, last_days, left))
    return tuple(result)
