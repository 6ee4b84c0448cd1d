"""Tie-outs of the statements: the checks a controller runs before sign-off.

- the balance sheet balances (assets = equity and liabilities), each year;
- the result for the year equals the change in retained equity;
- the cash-flow statement ends at the balance sheet's cash, and its change equals the change in
  cash;
- the result has been transferred to equity (a warning while the year is not yet closed);
- each section of the cash flow (operating, investing, financing) equals the cash that the
  transactions touching cash took to or from that section's accounts
  (:func:`cash_flow_section_tieouts`), so a non-cash movement left in the statement that moves
  an amount between sections is caught even though cash still ties;
- each balance-sheet account holding foreign units converted at a price carries them at the
  rate of the balance-sheet date (:func:`revaluation_tieouts`, regnskapsloven § 5-9).

All comparisons are on exact ledger amounts, so a passing check has a difference of zero.

**Foreign-currency balances** at the balance-sheet date (regnskapsloven § 5-9, god
regnskapsskikk): monetary items in a foreign currency (a bank account, a receivable, a
payable in EUR or USD) are valued at the exchange rate of the balance-sheet date, and the
difference is booked as *agio* (8060 Valutagevinst) or *disagio* (8160 Valutatap).

A ledger holds such an item as units converted at a price (``100 EUR @ 11.20 NOK``): the
report sums the postings' NOK weights (:func:`nhnfin.ledger.movement_table`), so the item is
carried at the rates it was booked at until a posting revalues it. :func:`revaluations` gives,
for each Assets or Liabilities account holding such units on a day, the units, the NOK the books
carry for it, and the rate of the ledger's ``price`` directive for the currency in NOK;
``nhnfin close`` stops on a difference (:func:`nhnfin.close.year_end.currency_check`) and the
report shows each as a tie-out (:func:`revaluation_tieouts`).

- **Units held at cost** (``10 FUND {105.00 NOK}``) are non-monetary items at historical cost,
  not revalued: their NOK is their cost and their units are not counted.
- **The books' NOK** is the sum of the NOK weights of the account's postings up to the day
  that are the foreign holding's: the units' weights at their booked rates, the cost of units
  held at cost, and NOK postings in transactions with an 8060/8160 account (an earlier
  revaluation, a difference realised on a payment). Other NOK postings on the account are
  items in kroner (a NOK payable beside EUR ones), on neither side. Units all settled with NOK
  left of them (a difference realised on a payment, not booked) are checked too: 0 at the
  rate (:attr:`Revaluation.settled`).
- **The NOK at the rate** is the units times the rate, rounded half up to the øre, per
  currency, plus the cost of units held at cost. The comparison is to the øre: a revaluation
  is booked to the øre, so it can be exact, and a tolerance would leave a difference no one
  books.
- **The rate** is the last ``price`` directive of the currency in NOK dated in the last month
  up to the day (for 31 December: 1–31 December; Norges Bank's last rate of a year is its last
  banking day). An older one is not the balance-sheet date's rate: the currency has no rate.
  A directive of NOK in the currency (``price NOK 0.0851 EUR``) is the inverse: the units are
  divided by its number. Both ways round on the rate's day, they must be each other's exact
  inverse, else they conflict and the currency has no rate (the close names both).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP
from decimal import Decimal
from typing import Any

from beancount.core import convert
from beancount.core import data

from nhnfin import drill
from nhnfin.accounts import account_number
from nhnfin.drill import combine
from nhnfin.errors import location
from nhnfin.layout import Layout
from nhnfin.ledger import Ledger
from nhnfin.ledger import period_bounds
from nhnfin.model import Drill
from nhnfin.model import Statement
from nhnfin.model import Status
from nhnfin.model import TieOut
from nhnfin.model import norwegian_date
from nhnfin.model import norwegian_list
from nhnfin.money import norwegian
from nhnfin.statements import CashFlowAccounts
from nhnfin.statements import CashFlowReading
from nhnfin.statements import cash_flow_accounts
from nhnfin.statements import cash_flow_reading
from nhnfin.statements import crossing_entries
from nhnfin.statements import describe
from nhnfin.statements import posting_weights
from nhnfin.statements import section_cash


def postings_apart(ledger: Ledger, accounts: Iterable[str], start: datetime.date | None,
                   end: datetime.date,
                   belongs: Callable[[data.Transaction, data.Posting], bool]) -> str:
    """The postings on ``accounts`` from ``start`` (None: the books' start) to before ``end``
    that a rule's note does not take (``belongs`` is False), listed for the reason of its failed
    tie-out: "1 postering på Liabilities:2910-UnusedPublicGrants, til sammen 5 000
    (2025.beancount:41)" (at most three places, then how many more); empty when there are
    none, so the tie-out keeps its own words."""
    wanted = set(accounts)
    found = [(txn, posting) for txn in ledger.entries if isinstance(txn, data.Transaction)
             and (start is None or txn.date >= start) and txn.date < end
             for posting in txn.postings
             if posting.account in wanted and not belongs(txn, posting)]
    if not found:
        return ""
    total = sum((p.units.number for _, p in found
                 if p.units is not None and p.units.number is not None), Decimal(0))
    places = ", ".join(location(txn.meta) for txn, _ in found[:3])
    more = f" og {len(found) - 3} til" if len(found) > 3 else ""
    counted = "1 postering" if len(found) == 1 else f"{len(found)} posteringer"
    names = ", ".join(sorted({p.account for _, p in found}))
    return f"{counted} på {names}, til sammen {norwegian(total)} ({places}{more})"


def compare(
    check_id: str,
    description: str,
    left: Decimal,
    right: Decimal,
    failing: Status = Status.FAILED,
    detail: str = "",
    drills: tuple[Drill | None, Drill | None] = (None, None),
) -> TieOut:
    """A tie-out that passes when ``left`` equals ``right`` exactly; ``drills`` make its sides."""
    status = Status.PASSED if left == right else failing
    return TieOut(check_id, description, left, right, status, detail=detail,
                  left_drill=drills[0], right_drill=drills[1])


Side = tuple[Decimal, Drill | None] | None
"""A tie-out side read from a statement: the line's amount and what makes it (None: no line)."""


def _line(statement: Statement, key: str, year: str) -> Side:
    """Statement line ``key`` of ``year``, with its drill."""
    try:
        row = statement.row(key)
        return row.amounts[year], row.drill.get(year)
    except KeyError:
        return None


def _negated(side: Side) -> Side:
    """The amount allocated from a transfer (transfers to equity are negative, as the result
    they allocate is positive)."""
    if side is None:
        return None
    return -side[0], combine([(-1, side[1])], "Motsatt fortegn")


def _change(now: Side, before: Side) -> Side:
    """``now`` − ``before`` (a change between two balances)."""
    if now is None or before is None:
        return None
    return now[0] - before[0], combine([(1, now[1]), (-1, before[1])], "Endring")


def _without(change: Side, brought: Side) -> Side:
    """``change`` less what the books' opening balance brought in (no change of its year)."""
    if change is None or brought is None:
        return change
    return change[0] - brought[0], combine([(1, change[1]), (-1, brought[1])],
                                           "Endring uten inngående balanse")


def not_transferred(result: Decimal, transferred: Decimal) -> str:
    """Why the result-transferred check warns: how much of the year's result is not yet
    allocated to equity, and what books it."""
    left = norwegian(result - transferred)
    return (f"årsresultatet er ikke overført til egenkapitalen ennå ({left} av "
            f"{norwegian(result)} gjenstår): nhnfin close lager disponeringen når året avsluttes")


def text_line(tieout: TieOut) -> str:
    """A tie-out as one line of text for reconcile and close: both sides, the difference, why
    (when the check says why) and the check id last, as the JSON report's key to grep for."""
    why = f" ({tieout.detail})" if tieout.detail else ""
    if tieout.right is None or tieout.difference is None:  # no figure: what is missing
        return (f"{tieout.description}: {norwegian(tieout.left)} mot {tieout.missing}{why}  "
                f"[{tieout.check_id}]")
    return (f"{tieout.description}: {norwegian(tieout.left)} mot {norwegian(tieout.right)}, "
            f"differanse {norwegian(tieout.difference)}{why}  [{tieout.check_id}]")


OPENING_YEAR = ("regnskapet begynner dette året: posteringene omfatter inngående balanse, som "
                "kontantstrømmen ikke viser som inn- og utbetalinger")


def statement_tieouts(
    income: Statement,
    balance: Statement,
    cash_flow: Statement,
    opening_year: str | None = None,
    opening_balance: Statement | None = None,
    brought_in: Statement | None = None,
) -> tuple[TieOut, ...]:
    """The statement tie-outs for every year the statements show.

    ``opening_balance`` is the balance sheet at the start of the fiscal year when the prior-year
    column is not (a period report's prior column ends a year before the period's end).
    ``brought_in`` is what the books' opening balance brings to the balance sheet's lines in the
    fiscal year (:func:`nhnfin.statements.brought_in_statement`), when it is dated then: the
    balances the books start from are no change of equity.
    A check whose lines the layout does not have is left out (a custom layout may name them
    differently). In ``opening_year``, the first year with postings, the cash flow cannot end at
    the bank: the opening balance is booked in it; that check is a warning there, saying why.
    """
    checks: list[TieOut] = []
    for year in balance.years:
        prior = str(int(year) - 1)
        pairs: list[tuple[str, str, Side, Side, Status]] = [
            (
                f"bs.balances.{year}",
                f"Balansen balanserer {year}: sum eiendeler = sum egenkapital og gjeld",
                _line(balance, "total_assets", year),
                _line(balance, "total_equity_and_liabilities", year),
                Status.FAILED,
            ),
            (
                f"cf.ends_at_cash.{year}",
                f"Kontantstrømmen ender i bankbeholdningen 31.12.{year}",
                _line(cash_flow, "cash_at_end_of_year", year),
                _line(balance, "cash_and_bank_deposits", year),
                Status.FAILED,
            ),
            (
                f"is.result_transferred.{year}",
                f"Årsresultatet {year} er overført til egenkapitalen (årsavslutning bokført)",
                _line(income, "net_result_for_the_year", year),
                _negated(_line(income, "total_transfers", year)),
                Status.WARNING,
            ),
        ]
        if year == balance.years[0] and prior in balance.years:
            change = _change(_line(balance, "total_retained_earnings", year),
                             _line(opening_balance or balance, "total_retained_earnings", prior))
            if brought_in is not None:
                change = _without(change, _line(brought_in, "total_retained_earnings", year))
            if change is not None:
                pairs.append(
                    (
                        f"eq.result_equals_change.{year}",
                        f"Årsresultatet {year} = endring i opptjent egenkapital",
                        _line(income, "net_result_for_the_year", year),
                        change,
                        Status.FAILED,
                    )
                )
        for check_id, description, left, right, failing in pairs:
            if left is not None and right is not None:
                opening = year == opening_year and check_id.startswith("cf.")
                detail = ""
                if left[0] != right[0] and opening:
                    detail = OPENING_YEAR
                elif left[0] != right[0] and check_id.startswith("is.result_transferred."):
                    detail = not_transferred(left[0], right[0])
                checks.append(compare(check_id, description, left[0], right[0],
                                      Status.WARNING if opening else failing, detail,
                                      (left[1], right[1])))
    return tuple(checks)


def _section_label(layout: Layout, section: str) -> str:
    lines = [x for x in layout.statement("cash_flow").lines if x.section == section]
    subtotals = [x for x in lines if x.kind != "item"]
    return (subtotals or lines)[-1].label


def section_cash_drill(where: CashFlowAccounts, section: str, year: int,
                       last_day: datetime.date | None = None,
                       reading: CashFlowReading | None = None) -> Drill:
    """What :func:`nhnfin.statements.section_cash` takes for ``section`` in ``year`` (up to
    ``last_day`` in a period report): the postings weighing NOK (at a price or at cost too, as
    the cash is summed) to the section's accounts (not cash) in
    transactions that also post to cash, with the opposite sign; with the ``reading``, also to
    the accounts no line takes when the "untaken" line is in the section, and without the
    books' opening balance."""
    taken = {a for a, s in where.section.items() if s == section and a not in where.cash}
    held = reading.opening if reading is not None else ()
    untaken = reading.untaken if reading is not None else ()
    taken |= {a for m in untaken if m.section == section for a in m.accounts}
    start, end = period_bounds(year, last_day)
    condition = drill.in_transaction_with(sorted(where.cash))
    ids = [e for e in held if start <= e.date < end]
    if ids:
        condition += f" AND {drill.not_in_transactions(ids)}"
    return drill.postings(
        sorted(taken), start, end, sign=-1, condition=condition,
        condition_text="i transaksjoner som også posterer i bank"
        + (", uten inngående balanse" if ids else ""), nok_weights=True,
    )


def cash_flow_section_tieouts(
    layout: Layout, ledger: Ledger, statement: Statement, years: tuple[str, ...] | None = None,
    last_days: dict[int, datetime.date] | None = None,
) -> tuple[TieOut, ...]:
    """Each cash-flow section, each year the statement shows (or of ``years``), against its cash;
    in a period report (``last_days``) each year's cash runs to its column's last day.

    The section's figure is the sum of its item lines as the statement shows them; its cash is
    minus what the transactions touching cash posted to the section's accounts. When they differ,
    the detail names the transactions that touch no cash and move an amount into or out of the
    section (at most five).
    """
    spec = layout.statement("cash_flow")
    items: dict[str, list[str]] = {}
    for line in spec.lines:
        if line.measure in ("movement", "non_cash", "untaken"):
            items.setdefault(line.section, []).append(line.key)
    cash = section_cash(layout, ledger)
    where = cash_flow_accounts(layout, ledger)
    reading = cash_flow_reading(layout, ledger)
    shown = {row.key: row.amounts for row in statement.rows}
    drills = {row.key: row.drill for row in statement.rows}
    checks: list[TieOut] = []
    for year in years or statement.years:
        for section, keys in items.items():
            figure = sum((shown.get(k, {}).get(year, Decimal(0)) for k in keys), Decimal(0))
            lines = [drills[k].get(year) for k in keys if year in shown.get(k, {})]
            made = combine([(1, d) for d in lines], "Sum av avsnittets linjer") if lines else None
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
                    drills=(made, section_cash_drill(
                        where, section, int(year), (last_days or {}).get(int(year)), reading)),
                )
            )
        checks.extend(untaken_cash_tieouts(layout, ledger, int(year),
                                           (last_days or {}).get(int(year))))
    return tuple(checks)


def untaken_cash_tieouts(layout: Layout, ledger: Ledger, year: int,
                         last_day: datetime.date | None = None) -> tuple[TieOut, ...]:
    """Cash moved in ``year`` (to ``last_day``) against accounts no line of the cash flow takes
    (other equity, the transfer accounts): none when there is none. A warning that names the
    transactions when the layout's "untaken" line shows it (the controller checks that it is
    a transaction with the owner, as the line says); a failure when no line shows it (then the
    cash flow does not end at the bank)."""
    legs = [m for m in cash_flow_reading(layout, ledger).untaken if m.entry.date.year == year
            and (last_day is None or m.entry.date <= last_day)]
    if not legs:
        return ()
    amount = -sum((n for m in legs for a, n in posting_weights(m.entry) if a in m.accounts),
                  Decimal(0))
    accounts = sorted({a for m in legs for a in m.accounts})
    start, end = period_bounds(year, last_day)
    shown = drill.postings(
        accounts, start, end, sign=-1,
        condition=drill.in_transactions(m.entry for m in legs),
        condition_text="i transaksjonene som også posterer i bank", nok_weights=True)
    named = "; ".join(describe(m.entry) for m in legs[:5])
    line = next((x for x in layout.statement("cash_flow").lines if x.measure == "untaken"), None)
    where = (f"vist på linjen «{line.label}»; kontroller at det er transaksjoner med eieren"
             if line is not None else
             "ingen linje i kontantstrømmen viser dem, så den ender ikke i bankbeholdningen; "
             'legg en linje med measure = "untaken" i layouten')
    # a layout without the lines the opening balance needs: its year warns (statement_tieouts)
    opening = line is None and year == min(ledger.years(), default=None)
    if opening:
        where = f"{OPENING_YEAR}; {where}"
    return (compare(
        f"cf.untaken.{year}",
        f"Inn- og utbetalinger {year} mot kontoer som ingen linje i kontantstrømmen tar "
        f"({', '.join(accounts)})",
        amount, Decimal(0), Status.WARNING if line is not None or opening else Status.FAILED,
        f"{where}: {named}", (shown, None)),)


CURRENCY = "NOK"
ORE = Decimal("0.01")
GAIN_NUMBER, LOSS_NUMBER = 8060, 8160
DEFAULT_GAIN = "Income:8060-CurrencyGains"
DEFAULT_LOSS = "Expenses:8160-CurrencyLosses"
BALANCE_ROOTS = ("Assets:", "Liabilities:")


@dataclass(frozen=True)
class Holding:
    """Units of one currency on an account, and the ``price`` directive of its rate (None:
    no rate in the last month up to the day; ``older``: the last one before that, if any).
    ``inverted``: the directive is written the other way round (``price NOK 0.0851 EUR``), so
    the units are divided by its number; ``conflict``: two directives of the rate's day, one
    each way round, that are not each other's inverse (then ``price`` is None)."""

    currency: str
    units: Decimal
    price: data.Price | None
    older: data.Price | None = None
    inverted: bool = False
    conflict: tuple[data.Price, data.Price] | None = None

    @property
    def at_rate(self) -> Decimal | None:
        """The units at the rate, rounded half up to the øre; None without a rate (no units:
        0, with or without one)."""
        if not self.units:
            return Decimal(0)
        if self.price is None or not self.price.amount.number:
            return None
        number = self.price.amount.number
        exact = self.units / number if self.inverted else self.units * number
        return exact.quantize(ORE, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Revaluation:
    """An account holding foreign units converted at a price on ``day``: what the books carry
    (``booked``, every posting's NOK weight) and what the units are worth at the rates."""

    account: str
    day: datetime.date
    holdings: tuple[Holding, ...]
    booked: Decimal
    at_cost: Decimal = Decimal(0)

    @property
    def settled(self) -> bool:
        """No units are left: what the books carry for them is an exchange difference realised
        on a payment that was not booked."""
        return not any(h.units for h in self.holdings)

    @property
    def expected(self) -> Decimal | None:
        """The NOK the account should carry: the units at the rates plus the cost of units
        held at cost; None when a currency has no rate."""
        values = [h.at_rate for h in self.holdings]
        if any(v is None for v in values):
            return None
        return self.at_cost + sum((v for v in values if v is not None), Decimal(0))

    @property
    def difference(self) -> Decimal | None:
        """The books' NOK less the NOK at the rates (None without a rate)."""
        expected = self.expected
        return None if expected is None else self.booked - expected


@dataclass(frozen=True)
class Rate:
    """The rate of a currency on a day: its ``price`` directive (None: none in the day's month;
    ``older`` the last before it), whether it is written the other way round (NOK in the
    currency), and two directives of the day that disagree."""

    price: data.Price | None
    older: data.Price | None = None
    inverted: bool = False
    conflict: tuple[data.Price, data.Price] | None = None


def _rate_directives(prices: Sequence[data.Price], currency: str, day: datetime.date
                     ) -> list[tuple[data.Price, bool]]:
    """The ``price`` directives of ``currency`` in NOK up to ``day``, and those of NOK in
    ``currency`` (inverted: True), with a number that is not zero, by date (file order kept)."""
    found = [(p, p.currency == CURRENCY) for p in prices
             if p.date <= day and isinstance(p.amount.number, Decimal) and p.amount.number
             and ((p.currency, p.amount.currency) == (currency, CURRENCY)
                  or (p.currency, p.amount.currency) == (CURRENCY, currency))]
    return sorted(found, key=lambda x: x[0].date)


def year_end_rate(prices: Sequence[data.Price], currency: str, day: datetime.date) -> Rate:
    """The rate of ``currency`` on ``day``: the last ``price`` of ``currency`` in NOK, or of NOK
    in ``currency`` (the inverse, as Beancount's price map reads it), dated in ``day``'s month
    up to ``day``, else the last older one. On the rate's day the last directive each way round
    is taken; both ways round, they must be each other's exact inverse (their numbers' product
    1), and the one in NOK is the rate; else they conflict."""
    found = _rate_directives(prices, currency, day)
    if not found:
        return Rate(None)
    last_day = found[-1][0].date
    if last_day < day.replace(day=1):
        return Rate(None, found[-1][0])
    direct = [p for p, inverted in found if p.date == last_day and not inverted]
    inverse = [p for p, inverted in found if p.date == last_day and inverted]
    if direct and inverse:
        forward, backward = direct[-1], inverse[-1]
        if price_number(forward) * price_number(backward) != 1:
            return Rate(None, conflict=(forward, backward))
        return Rate(forward)
    if direct:
        return Rate(direct[-1])
    return Rate(inverse[-1], inverted=True)


def price_number(price: data.Price) -> Decimal:
    """A ``price`` directive's number (0 when it has none: the parser's error)."""
    number = price.amount.number
    return number if isinstance(number, Decimal) else Decimal(0)


def rate_words(holding: Holding) -> str:
    """A holding's rate and its directive, as the close and the tie-out say it:
    ``11,7500 NOK pr. EUR, regnskap.beancount:9``, the other way round ``1/0,0851 NOK pr. EUR,
    omvendt kurs 0,0851 EUR pr. NOK, regnskap.beancount:9``; '' without a rate."""
    price = holding.price
    if price is None or price.amount.number is None:
        return ""
    number = rate_text(price.amount.number)
    if holding.inverted:
        return (f"1/{number} NOK pr. {holding.currency}, omvendt kurs {number} "
                f"{holding.currency} pr. NOK, {location(price.meta)}")
    return f"{number} NOK pr. {holding.currency}, {location(price.meta)}"


def revaluations(entries: Iterable[Any], day: datetime.date) -> tuple[Revaluation, ...]:
    """Each Assets or Liabilities account whose postings up to ``day`` hold units of a currency
    other than NOK converted at a price (``@``), by account name; and each whose such units
    are settled (none left) but leave NOK on the account: an exchange difference realised on a
    payment and not booked (:attr:`Revaluation.settled`)."""
    entries = list(entries)
    transactions = [e for e in entries if isinstance(e, data.Transaction) and e.date <= day]
    units = _priced_units(transactions)
    if not units:
        return ()
    booked, at_cost = _booked(transactions, frozenset(units), exchange_accounts(entries))
    prices = [e for e in entries if isinstance(e, data.Price)]
    found = []
    for account in sorted(units):
        held = tuple(_holding(c, n, year_end_rate(prices, c, day) if n else Rate(None))
                     for c, n in sorted(units[account].items()))
        left = tuple(h for h in held if h.units)
        if left or booked[account] != at_cost[account]:
            found.append(Revaluation(account, day, left or held, booked[account],
                                     at_cost[account]))
    return tuple(found)


def exchange_accounts(entries: Iterable[Any]) -> tuple[str, ...]:
    """The accounts exchange differences are booked to: every account opened with the number
    8060 (agio) or 8160 (disagio), else the chart's two."""
    opened = [e.account for e in entries if isinstance(e, data.Open)
              and account_number(e.account) in (GAIN_NUMBER, LOSS_NUMBER)]
    return tuple(dict.fromkeys(opened)) or (DEFAULT_GAIN, DEFAULT_LOSS)


def _holding(currency: str, units: Decimal, rate: Rate) -> Holding:
    return Holding(currency, units, rate.price, rate.older, rate.inverted, rate.conflict)


def _priced_units(transactions: Iterable[data.Transaction]) -> dict[str, dict[str, Decimal]]:
    """The foreign units converted at a price, not held at cost, on each balance-sheet
    account, by currency."""
    units: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for entry in transactions:
        for posting in entry.postings:
            if (posting.price is not None and posting.cost is None
                    and posting.units is not None and posting.units.currency != CURRENCY
                    and isinstance(posting.units.number, Decimal)
                    and posting.account.startswith(BALANCE_ROOTS)):
                units[posting.account][posting.units.currency] += posting.units.number
    return units


def _booked(transactions: Iterable[data.Transaction], accounts: frozenset[str],
            exchange: Sequence[str]) -> tuple[dict[str, Decimal], dict[str, Decimal]]:
    """(the NOK the books carry for the foreign holding, those of units held at cost) on each
    of ``accounts``: the weights of its postings converted at a price or held at cost, and its
    NOK postings in transactions that post to an ``exchange`` account (a revaluation, an
    exchange difference realised on a payment). Its other NOK postings are NOK items (a
    payable in kroner beside those in euro on 2400), neither the holding nor revalued."""
    booked: dict[str, Decimal] = defaultdict(Decimal)
    at_cost: dict[str, Decimal] = defaultdict(Decimal)
    wanted = frozenset(exchange)
    for entry in transactions:
        revalues = any(p.account in wanted or any(p.account.startswith(f"{a}:") for a in wanted)
                       for p in entry.postings)
        for posting in entry.postings:
            if posting.account not in accounts or posting.units is None:
                continue
            if posting.price is None and posting.cost is None and not revalues:
                continue  # a NOK item on the account
            weight = convert.get_weight(posting)
            if weight.currency != CURRENCY or not isinstance(weight.number, Decimal):
                continue  # not in NOK: an error of the ledger (movement_table)
            booked[posting.account] += weight.number
            if posting.cost is not None:
                at_cost[posting.account] += weight.number
    return booked, at_cost


def gain_and_loss_accounts(entries: Iterable[Any]) -> tuple[str, str]:
    """The ledger's accounts numbered 8060 (agio) and 8160 (disagio), the first opened of each,
    else the chart's names."""
    opened = [e.account for e in entries if isinstance(e, data.Open)]
    gain = next((a for a in opened if account_number(a) == GAIN_NUMBER), DEFAULT_GAIN)
    loss = next((a for a in opened if account_number(a) == LOSS_NUMBER), DEFAULT_LOSS)
    return gain, loss


def rate_text(number: Decimal) -> str:
    """A rate as written, with a decimal comma: ``11,7500``."""
    return format(number, "f").replace(".", ",")


REVALUATION_PREFIX = "bs.currency_at_rate."
"""The check id of a foreign-currency balance's tie-out (:func:`revaluation_tieouts`), which
``nhnfin close`` leaves to its own check (``currency``)."""


def units_drill(item: Revaluation, currency: str = "") -> Drill:
    """The account's postings to the day converted at a price, not at cost: in ``currency``,
    summed in its units (a holding), or (""), all of them, listed."""
    return drill.postings(
        [item.account], None, item.day + datetime.timedelta(days=1),
        condition=(f"account = {drill.literal(item.account)} AND price IS NOT NULL "
                   "AND cost_number IS NULL"),
        condition_text="omregnet til en kurs (@), ikke til kost", units=currency)


def holding_drill(item: Revaluation, holding: Holding) -> Drill | None:
    """What makes ``holding``'s NOK at the rate (:attr:`Holding.at_rate`): the account's
    postings to the day in its currency converted at a price, not at cost, summed in units,
    times the rate of its ``price`` directive, rounded half up to the øre; None without a
    rate."""
    if not holding.units:  # settled: none left, 0 NOK
        return units_drill(item, holding.currency)
    if holding.at_rate is None or holding.price is None:
        return None
    units = units_drill(item, holding.currency)
    rate = drill.price_directive(holding.price)
    if holding.inverted:  # NOK in the currency: the units divided by it, rounded to the øre
        return drill.ratio(units, rate, f"{holding.currency} til den omvendte kursen")
    return drill.rounded(drill.at_price(units, rate, f"{holding.currency} til kursen"), ORE,
                         "Avrundet halvt opp til øre")


def at_rate_drill(item: Revaluation) -> Drill | None:
    """What makes the NOK the account should carry (:attr:`Revaluation.expected`): each
    currency's units at its rate (:func:`holding_drill`), and the cost of the units held at
    cost (its postings, when there is any); None when a currency has no rate."""
    terms = [(1, holding_drill(item, h)) for h in item.holdings]
    if item.at_cost:
        terms.append((1, drill.postings(
            [item.account], None, item.day + datetime.timedelta(days=1),
            condition=f"account = {drill.literal(item.account)} AND cost_number IS NOT NULL",
            condition_text="enheter til kost")))
    if len(terms) == 1:
        return terms[0][1]
    return combine(terms, "Til kursen på balansedagen")


def missing_rate(holding: Holding, day: datetime.date) -> str:
    """Why a holding has no rate, in a tie-out's description: two directives that disagree
    (both named), or none."""
    if holding.conflict is not None:
        places = " og ".join(location(p.meta) for p in holding.conflict)
        return f"to kurser for {holding.currency} som ikke stemmer: {places}"
    return (f"ingen kurs for {holding.currency} pr. {norwegian_date(day)}: legg til en "
            "price-direktiv")


SETTLED = "valutadifferanse på oppgjorte poster som ikke er bokført"
"""What an account whose foreign units are settled but whose NOK is not is said to carry."""

NO_RATE = "kurs mangler"
TWO_RATES = "to kurser"
"""What the side at the rate shows instead of a figure: a currency without a rate, or with two
that disagree (:func:`revaluation_tieouts`)."""


def unrated_side(item: Revaluation) -> tuple[str, str, str, Drill]:
    """The side at the rate of an account with a currency without a rate (or two that
    disagree): (the word shown instead of a figure, the tie-out's detail, the hover of the
    word, the holding it links to: the currency's postings summed in its units, or, several
    currencies without one, the account's postings at a price)."""
    unrated = [h for h in item.holdings if h.at_rate is None]
    day = norwegian_date(item.day)
    currencies = norwegian_list([h.currency for h in unrated])
    conflicts = [h.conflict for h in unrated if h.conflict is not None]
    if conflicts:
        places = norwegian_list([" og ".join(location(p.meta) for p in c) for c in conflicts])
        word, why = TWO_RATES, (f"To kurser for {currencies} pr. {day} som ikke stemmer med "
                                f"hverandre ({places})")
        detail = "valutaen har to kurser for balansedagen som ikke stemmer; nhnfin close stopper"
    else:
        word, why = NO_RATE, (f"Ingen kurs for {currencies} pr. {day} (legg til en "
                              "price-direktiv)")
        detail = "valutaen har ingen kurs for balansedagen; nhnfin close stopper"
    held = units_drill(item, unrated[0].currency if len(unrated) == 1 else "")
    shown = f"beholdningen i {currencies}" if len(unrated) == 1 else "posteringene til en kurs"
    return (word, detail, f"{why}: beholdningen kan ikke regnes om til NOK, så siden mot kursen "
            f"har ikke noe tall; lenken viser {shown}", held)


def revaluation_tieouts(ledger: Ledger, days: Iterable[datetime.date]) -> tuple[TieOut, ...]:
    """Each balance-sheet account holding foreign units converted at a price on each of
    ``days`` (:func:`revaluations`): the NOK the books carry (its postings to the day, linked)
    against the units at the rate of the ``price`` directive the description names (linked:
    the postings of each currency summed in units, times the directive's rate,
    :func:`at_rate_drill`). A difference, or a currency without a rate, warns: the report
    shows it, ``nhnfin close`` stops on it. Without a rate (or with two that disagree) the side
    has no figure: it says so in a word (:data:`NO_RATE`, :data:`TWO_RATES`) and links to the
    holding (:func:`unrated_side`)."""
    checks: list[TieOut] = []
    for day in days:
        for item in revaluations(ledger.entries, day):
            held = norwegian_list([f"{norwegian(h.units)} {h.currency}" for h in item.holdings])
            rates = (SETTLED if item.settled else
                     "; ".join(rate_words(h) or missing_rate(h, day) for h in item.holdings))
            expected = item.expected
            postings = drill.postings(
                [item.account], None, day + datetime.timedelta(days=1),
                condition=(f"account = {drill.literal(item.account)} AND (price IS NOT NULL OR "
                           "cost_number IS NOT NULL OR "
                           f"{drill.in_transaction_with(exchange_accounts(ledger.entries))})"),
                condition_text="omregnet til en kurs, til kost, eller i transaksjoner med "
                "8060/8160")
            check_id = f"{REVALUATION_PREFIX}{item.account}.{day.year}"
            description = (f"{item.account} {norwegian_date(day)}: {held} bokført i NOK mot "
                           f"kursen ({rates})")
            if expected is None:
                word, detail, why, holding = unrated_side(item)
                checks.append(TieOut(check_id, description, item.booked, None, Status.WARNING,
                                     detail=detail, left_drill=postings, right_drill=holding,
                                     unlinked=why, missing=word))
                continue
            detail = ""
            if expected != item.booked and item.settled:
                detail = ("valutadifferansen ved oppgjøret er ikke bokført: bokfør den mot 8060 "
                          "valutagevinst eller 8160 valutatap; nhnfin close stopper")
            elif expected != item.booked:
                detail = ("ikke omregnet til kursen på balansedagen (regnskapsloven § 5-9): "
                          "bokfør differansen mot 8060 valutagevinst eller 8160 valutatap; "
                          "nhnfin close stopper")
            checks.append(TieOut(
                check_id, description, item.booked, expected,
                Status.PASSED if expected == item.booked else Status.WARNING,
                detail=detail, left_drill=postings, right_drill=at_rate_drill(item)))
    return tuple(checks)
