"""Income statement, balance sheet and cash-flow statement computed from the ledger.

Each item line is the movement, closing or opening balance of the accounts its layout line takes
(by NS 4102 number), times the line's sign; each subtotal is its formula over the exact amounts
of the lines above. Nothing is typed in and nothing is rounded here: the renderers round each
line to whole kroner, as the published report does, so a subtotal is the rounded exact sum, not
the sum of rounded lines.

What the cash-flow statement takes from the ledger, and the cash behind each of its sections
(the last part of this module). The cash flow is drawn up by the indirect method (NRS 2): each
line is the movement of the accounts it takes. A transaction that touches cash lands on the
lines of its other accounts, so the lines add up to the change in cash. A transaction that
touches no cash adds up to zero over all lines, but it may still move an amount from one section
to another: a transfer of assets booked against the delivery obligation (Dr 1020, Cr 2180) would
show as an investment paid and as operating cash received. NRS 2 keeps investing and financing
transactions that do not move cash out of the statement, so the cash flow leaves out a
transaction when

* it touches no cash account (the accounts of the cash flow's opening-balance line) and no
  income-statement account (an accrual against the result is what the indirect method adds
  back, and the result must stay the income statement's), and
* it moves an amount between the statement's sections, or the rule that generated it says it
  moves no cash (``nhnfin-non-cash: TRUE``, e.g. an investment grant moved from 2910 to 2930).

Two kinds of transaction keep their place in the statement but not all their lines (the legs on
some accounts are taken by another line, :func:`moved_legs`):

* a transaction that touches no cash but touches the result, and moves an amount into another
  section than the result's (a disposal without proceeds: the book value written off against a
  loss; interest added to a loan): its postings to accounts other than the result's are a
  non-cash item of the result, taken by the layout's ``measure = "non_cash"`` line in the
  result's section ("Tap ved avgang av anleggsmidler og andre resultatposter uten
  kontanteffekt"), so the section nets to zero and the other sections see nothing;
* a transaction that touches cash and not the result, whose other legs lie in more than one
  section (a sale at book value into the bank: cost credited in investing, accumulated
  depreciation debited on an operating line): the legs on the cash's side (the same sign as
  the cash) outside the section of its largest leg on the other side are taken by that leg's
  line, so the cash lands whole in that section (the proceeds in investing) and the depreciation
  line shows depreciation only.

Two kinds of cash never belong to a line of the accounts they are posted to:

* the books' opening balance (:func:`opening_balance_entries`: the transactions of the first
  day that posts to cash that touch no income-statement account). The books hold no cash
  before it, so the balances it posts are brought in, not moved in its year: none of its
  postings is a flow,
  and the cash it brings in is shown on the layout's ``measure = "opening_balance"`` line
  ("Bankinnskudd, kontanter og lignende ført i inngående balanse") between the cash at 1
  January (the balance before it) and at 31 December (the balance sheet's);
* cash moved against an account no movement line takes (other equity, the transfer accounts,
  which the layout excludes because their year-end entries cancel): its legs there are taken by
  the layout's ``measure = "untaken"`` line, and a tie-out names the transactions
  (:func:`nhnfin.tieouts.untaken_cash_tieouts`), so no cash leaves the statement unseen.

The tie-out side: :func:`section_cash` sums, per section and year, the cash that the
transactions touching cash took to or from that section's accounts (a direct-method reading of
the same postings). Each section of the statement must equal it; any non-cash movement left in
the statement that crosses sections makes the two differ, and :func:`crossing_entries` names
those transactions.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from collections.abc import Mapping
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field
from decimal import Decimal
from itertools import compress
from itertools import repeat
from operator import attrgetter
from operator import not_
from typing import Any

from beancount.core import convert
from beancount.core import data

from nhnfin import drill as drills
from nhnfin.config import entries_of
from nhnfin.config import first_written_day
from nhnfin.config import shared
from nhnfin.errors import location
from nhnfin.layout import Layout
from nhnfin.layout import LineSpec
from nhnfin.layout import StatementSpec
from nhnfin.layout import line_accounts
from nhnfin.ledger import CURRENCY
from nhnfin.ledger import Ledger
from nhnfin.ledger import numbered
from nhnfin.ledger import period_bounds
from nhnfin.ledger import year_bounds
from nhnfin.mapping import ledger_accounts
from nhnfin.mapping import resolve_layout
from nhnfin.model import Drill
from nhnfin.model import Statement
from nhnfin.model import StatementRow
from nhnfin.money import MAX_AMOUNT
from nhnfin.money import ZERO
from nhnfin.provenance import GENERATED_TAG
from nhnfin.provenance import NON_CASH
from nhnfin.provenance import OPENING_BALANCE


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


MEASURES = {"movement": "årets bevegelse", "closing": "saldo ved årets slutt",
            "opening": "saldo ved årets begynnelse"}


def drill(
    line: LineSpec,
    accounts: tuple[str, ...],
    year: int,
    last_day: datetime.date | None = None,
    left_out: Sequence[data.Transaction] = (),
    moved: Sequence[Moved] = (),
    opening: Sequence[data.Transaction] = (),
) -> Drill:
    """Where the postings behind an item line's figure for ``year`` are: the year's postings
    for a movement, everything before the year's end (closing) or start (opening); to
    ``last_day`` in a period report, and without the transactions the statement leaves out (the
    cash flow's non-cash movements; a movement line's, the books' ``opening`` balance), so the
    postings add up to the figure."""
    start, end = year_bounds(year)
    if last_day is not None and line.measure != "opening":
        end = last_day + datetime.timedelta(days=1)
    first: datetime.date | None = start
    if line.measure == "opening":
        first, end = None, start
    elif line.measure == "closing":
        first = None
    taken = set(accounts)
    ids = [
        e
        for e in left_out
        if e.date < end
        and (first is None or e.date >= first)
        and any(p.account in taken for p in e.postings)
    ]
    brought_in = [e for e in opening
                  if line.measure == "movement" and first is not None and first <= e.date < end
                  and any(p.account in taken for p in e.postings)]
    clauses = [drills.not_in_transactions(found) for found in (ids, brought_in) if found]
    dated = [m for m in moved if m.entry.date < end and (first is None or m.entry.date >= first)]
    away = [_legs_of(m, m.accounts & taken) for m in dated if m.accounts & taken]
    clauses += [f"NOT {clause}" for clause in away]
    words = ", ".join(w for w, used in (("uten bevegelser uten kontanter", ids),
                                         ("uten inngående balanse", brought_in),
                                         ("uten poster som en annen linje tar", away)) if used)
    own = drills.postings(accounts, first, end, sign=line.sign, condition=" AND ".join(clauses),
                          condition_text=words)
    incoming = [m for m in dated if m.line == line.key]
    if not incoming:
        return own
    brought = drills.postings(
        sorted({a for m in incoming for a in m.accounts}), first, end, sign=line.sign,
        condition=" OR ".join(_legs_of(m, m.accounts) for m in incoming),
        condition_text="postert i bilag der linjen tar dem (kontantstrømmen)")
    if not accounts:
        return brought
    return drills.total(((1, own), (1, brought)), line.label)


BROUGHT_IN = "i inngående balanse (regnskapets første bokføringsdag)"


def opening_drill(line: LineSpec, opening: OpeningBalance, year: int,
                  last_day: datetime.date | None = None) -> Drill | None:
    """The cash postings of the books' opening balance dated in ``year`` (to ``last_day``), or
    None when it has none then."""
    start, end = period_bounds(year, last_day)
    entries = [e for e in opening.entries if start <= e.date < end]
    accounts = sorted({p.account for e in entries for p in e.postings if p.account in opening.cash})
    if not accounts:
        return None
    return drills.postings(
        accounts, start, end, sign=line.sign,
        condition=drills.in_transactions(entries),
        condition_text=BROUGHT_IN)


def brought_in_statement(spec: StatementSpec, ledger: Ledger,
                         opening: Sequence[data.Transaction], year: int,
                         last_day: datetime.date | None = None) -> Statement | None:
    """What the books' ``opening`` balance (:func:`books_opening_balance`) dated in ``year`` (to
    ``last_day``) brings to each line of ``spec``, a balance sheet: an item line's accounts'
    postings in those transactions times its sign, a sum its formula; each with the drill to
    those postings. None when none of them is dated then."""
    start, end = period_bounds(year, last_day)
    chosen = [e for e in opening if start <= e.date < end]
    if not chosen:
        return None
    ids = drills.in_transactions(chosen)
    posted: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for entry in chosen:
        for account, number in posting_weights(entry):
            posted[account] += number
    accounts = numbered(ledger.accounts())
    amounts: dict[str, Decimal] = {}
    found: dict[str, Drill | None] = {}
    rows: list[StatementRow] = []
    for line in spec.lines:
        if line.formula is None:
            taken = line_accounts(line, accounts)
            amount = sum((posted.get(a, ZERO) for a in taken), ZERO) * line.sign
            made: Drill | None = drills.postings(taken, None, end, sign=line.sign,
                                                 condition=ids, condition_text=BROUGHT_IN)
        else:
            amount = sum((sign * amounts[ref] for sign, ref in line.terms), ZERO)
            made = drills.combine(((sign, found[ref]) for sign, ref in line.terms), line.label)
        amounts[line.key], found[line.key] = amount or ZERO, made
        rows.append(StatementRow(line.key, line.label, line.note, line.section, line.kind,
                                 {str(year): amount or ZERO},
                                 {str(year): made} if made is not None else {}))
    return Statement(spec.key, spec.title, (str(year),), tuple(rows))


def _legs_of(moved: Moved, accounts: Iterable[str]) -> str:
    """BQL: the postings of the moved transaction to ``accounts``."""
    return f"({drills.in_transactions([moved.entry])} AND {drills.account_condition(accounts)})"


def build_statement(
    spec: StatementSpec,
    ledger: Ledger,
    years: tuple[int, ...],
    sources: Mapping[int, Ledger] | None = None,
    last_days: Mapping[int, datetime.date] | None = None,
    left_out: Sequence[data.Transaction] = (),
    moved: Mapping[int, Sequence[Moved]] | None = None,
    opening: Mapping[int, OpeningBalance] | None = None,
) -> Statement:
    """Compute ``spec`` for each of ``years`` (the fiscal year first, then the prior year);
    ``sources`` gives another ledger for a year's column (a period report's prior-year column
    is the ledger as it stood a year before the period's end), ``last_days`` the day a
    period's column ends, ``left_out`` the transactions the statement leaves out (for the
    drill-down), ``moved`` per year the transactions some of whose legs another line takes
    (:func:`moved_legs`; the ledgers given are already without those legs), ``opening`` per
    year the books' opening balance (:func:`opening_balance_entries`; the ledgers given hold
    only its cash postings). A line made from transactions ("opening_balance", "untaken") that
    has none in a year drills to no postings there, and a sum's drill leaves it out."""
    accounts = numbered(ledger.accounts())
    amounts: dict[str, dict[str, Decimal]] = {}
    every_drill: dict[str, dict[str, Drill]] = {}
    rows: list[StatementRow] = []
    # (key, year) of a line made from transactions that has none in the year: a sum's drill
    # leaves it out (it reads as before the line was added to the layout)
    empty: set[tuple[str, str]] = set()
    for line in spec.lines:
        per_year: dict[str, Decimal] = {}
        drills_of_line: dict[str, Drill] = {}
        if line.formula is None:
            taken = line_accounts(line, accounts)
            for year in years:
                source = (sources or {}).get(year, ledger)
                shifted = (moved or {}).get(year, ())
                held = (opening or {}).get(year, NO_OPENING)
                last_day = (last_days or {}).get(year)
                if line.measure == "opening_balance":
                    per_year[str(year)] = held.amount(year) * line.sign or ZERO
                    found = opening_drill(line, held, year, last_day)
                    if found is None:
                        empty.add((line.key, str(year)))
                        found = drill(line, taken, year, last_day)  # no postings
                    drills_of_line[str(year)] = found
                    continue
                brought = moved_sums(shifted, year).get(line.key, ZERO) * line.sign
                per_year[str(year)] = item_amount(line, source, taken, year) + brought or ZERO
                if line.measure == "untaken" and not any(
                        m.line == line.key and m.entry.date.year == year for m in shifted):
                    empty.add((line.key, str(year)))
                drills_of_line[str(year)] = drill(line, taken, year, last_day, left_out, shifted,
                                                  held.entries)
        else:
            for year in years:
                per_year[str(year)] = sum(
                    (sign * amounts[ref][str(year)] for sign, ref in line.terms), ZERO
                )
                combined = drills.combine(
                    ((sign, every_drill[ref].get(str(year))) for sign, ref in line.terms
                     if (ref, str(year)) not in empty),
                    line.label,
                )
                if combined is not None:
                    drills_of_line[str(year)] = combined
        every_drill[line.key] = drills_of_line
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
                drill=drills_of_line,
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
    (:func:`cash_flow_ledger`)."""
    years = (year, year - 1)
    result = []
    for spec in layout.statements:
        chosen = [ledger] if prior is None else [ledger, prior]
        left: list[data.Transaction] = []
        moved: dict[int, list[Moved]] = {}
        opening: dict[int, OpeningBalance] = {}
        if spec.key == "cash_flow":
            left = left_out_entries(layout, chosen[0])
            found = [moved_entries(layout, x) for x in chosen]
            moved = {year: found[0], year - 1: found[-1]}
            held = [opening_balance(layout, x) for x in chosen]
            opening = {year: held[0], year - 1: held[-1]}
            chosen = [cash_flow_ledger(layout, x) for x in chosen]
        sources = {year - 1: chosen[1]} if len(chosen) > 1 else None
        result.append(build_statement(spec, chosen[0], years, sources, last_days, left, moved,
                                      opening))
    return tuple(result)


# --- The cash flow: what it leaves out, and the cash behind each section -------------------------

MEASURED = ("opening", "closing")


@dataclass(frozen=True)
class CashFlowAccounts:
    """Which ledger accounts are cash, which make the result, and each account's section."""

    cash: frozenset[str]
    result: frozenset[str]
    section: dict[str, str]  # account -> section of the cash-flow line that takes it
    line: dict[str, str] = field(default_factory=dict)  # account -> the movement line's key
    non_cash: tuple[str, str] | None = None  # (key, section) of the "non_cash" line, if any
    opening_line: str | None = None  # key of the "opening_balance" line, if any
    untaken: tuple[str, str] | None = None  # (key, section) of the "untaken" line, if any
    equity: frozenset[str] = frozenset()  # the balance sheet's equity accounts (equity_accounts)

    def is_untaken(self, account: str) -> bool:
        """Whether no line of the cash flow takes ``account`` (nor is it cash)."""
        return account not in self.section and account not in self.cash


def cash_flow_accounts(layout: Layout, ledger: Ledger) -> CashFlowAccounts:
    """The ledger's accounts as the cash-flow statement of ``layout`` sees them (once per ledger
    and layout: the statement and its tie-outs ask for them several times)."""
    return ledger.derived_with(_cash_flow_accounts, layout)


def _cash_flow_accounts(ledger: Ledger, layout: Layout) -> CashFlowAccounts:
    return cash_flow_accounts_of(layout, ledger.accounts())


EQUITY_LINES = ("total_equity", "total_paid_in_equity", "total_retained_earnings")
"""The balance-sheet lines whose item lines are equity: the sum of equity, or, in a layout
without one, its two parts (the tie-outs need ``total_retained_earnings``)."""


def equity_lines(layout: Layout) -> tuple[LineSpec, ...]:
    """The balance sheet's item lines of equity: those the first of :data:`EQUITY_LINES` the
    layout has adds up (through its subtotals), or, without it, those the others add up."""
    spec = layout.statement("balance_sheet")
    by_key = {line.key: line for line in spec.lines}

    def items(key: str, seen: frozenset[str] = frozenset()) -> list[LineSpec]:
        line = by_key.get(key)
        if line is None or key in seen:
            return []
        if line.formula is None:
            return [line]
        return [item for _, ref in line.terms for item in items(ref, seen | {key})]

    if "total_equity" in by_key:
        return tuple(items("total_equity"))
    return tuple(item for key in EQUITY_LINES[1:] for item in items(key))


def cash_flow_accounts_of(layout: Layout, ledger_accounts: Iterable[str]) -> CashFlowAccounts:
    """:func:`cash_flow_accounts` of the accounts ``ledger_accounts`` (a plugin's reading, which
    has no :class:`~nhnfin.ledger.Ledger`)."""
    accounts = numbered(ledger_accounts)
    numbers = set(accounts.values())  # many accounts share a number (sub-accounts): ask once each
    spec = layout.statement("cash_flow")
    income = layout.statement("income_statement")

    def line_taking(lines: Iterable[Any]) -> dict[str, Any]:
        """Account -> the line of ``lines`` that takes it (the last, when several do)."""
        chosen = list(lines)
        line_of: dict[int, Any] = {}
        for number in numbers:
            for line in chosen:
                if line.matches(number):
                    line_of[number] = line
        return {account: line_of[number] for account, number in accounts.items()
                if number in line_of}

    def taking(lines: Iterable[Any]) -> dict[str, str]:
        return {account: line.section for account, line in line_taking(lines).items()}

    cash = taking(line for line in spec.lines if line.measure in MEASURED)
    result = taking(line for line in income.lines if line.formula is None)
    movement = [line for line in spec.lines if line.measure == "movement"]
    taken = line_taking(movement)
    section = {account: line.section for account, line in taken.items()}
    keys = {account: line.key for account, line in taken.items()}
    def derived(measure: str) -> tuple[str, str] | None:
        return next(((line.key, line.section) for line in spec.lines
                     if line.measure == measure), None)

    opening = derived("opening_balance")
    equity = taking(equity_lines(layout))
    return CashFlowAccounts(frozenset(cash), frozenset(result), section, keys,
                            derived("non_cash"), opening[0] if opening else None,
                            derived("untaken"), frozenset(equity).difference(result))


def posting_weights(entry: data.Transaction) -> list[tuple[str, Decimal]]:
    """The NOK weights of ``entry``'s postings; what the movement table leaves out (another
    currency, an amount too large to report: errors of the ledger already) is left out here."""
    result = []
    for posting in entry.postings:
        # a plain posting weighs its units (convert.get_weight, without its checks)
        plain = posting.cost is None and posting.price is None
        weight = posting.units if plain else convert.get_weight(posting)
        if weight is None:  # as the movement table: a posting without an amount weighs nothing
            continue
        number = weight.number
        if number is not None and weight.currency == CURRENCY and abs(number) < MAX_AMOUNT:
            result.append((posting.account, number))
    return result


def section_moves(entry: data.Transaction, where: CashFlowAccounts,
                  weights: list[tuple[str, Decimal]] | None = None) -> dict[str, Decimal]:
    """What ``entry`` posts to each section's accounts (non-zero sums only); ``weights``: its
    :func:`posting_weights`, when the caller has them."""
    moves: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for account, number in posting_weights(entry) if weights is None else weights:
        section = where.section.get(account)
        if section is not None:
            moves[section] += number
    return {k: v for k, v in moves.items() if v}


_ACCOUNT = attrgetter("account")


def touches(entry: data.Transaction, accounts: frozenset[str]) -> bool:
    """Whether ``entry`` posts to one of ``accounts``."""
    return not accounts.isdisjoint(map(_ACCOUNT, entry.postings))


def left_out(entry: Any, where: CashFlowAccounts,
             weights: list[tuple[str, Decimal]] | None = None) -> bool:
    """Whether the cash-flow statement leaves ``entry`` out (see the module docstring);
    ``weights``: its :func:`posting_weights`, when the caller has them."""
    if not isinstance(entry, data.Transaction):
        return False
    if touches(entry, where.cash) or touches(entry, where.result):
        return False
    return entry.meta.get(NON_CASH) is True or bool(section_moves(entry, where, weights))


@dataclass(frozen=True)
class Moved:
    """A transaction whose postings to ``accounts`` the cash flow takes on ``line``, not on the
    lines of those accounts (see the module docstring)."""

    entry: data.Transaction
    accounts: frozenset[str]
    line: str
    section: str


def moved_legs(entry: data.Transaction, where: CashFlowAccounts,
               weighed: list[tuple[str, Decimal]] | None = None) -> Moved | None:
    """Which legs of ``entry``, a transaction the cash flow keeps (not :func:`left_out`), another
    cash-flow line takes, or None (module docstring); ``weighed``: its :func:`posting_weights`, when
    the caller has them."""
    weights = [(a, n) for a, n in (posting_weights(entry) if weighed is None else weighed)
               if a in where.section or a in where.cash]
    others = [(a, n) for a, n in weights if a not in where.cash]
    if touches(entry, where.cash):
        cash = sum((n for a, n in weights if a in where.cash), ZERO)
        return _cash_side_legs(entry, where, others, cash)
    return _non_cash_result_legs(entry, where, others)


def _non_cash_result_legs(entry: data.Transaction, where: CashFlowAccounts,
                          others: list[tuple[str, Decimal]]) -> Moved | None:
    """A transaction without cash that touches the result and reaches another section: its legs
    outside the result go to the layout's non-cash line."""
    if where.non_cash is None or not any(a in where.result for a, _ in others):
        return None
    line, home = where.non_cash
    legs = frozenset(a for a, _ in others if a not in where.result)
    if not legs or all(where.section[a] == home for a in legs):
        return None
    return Moved(entry, legs, line, home)


def _cash_side_legs(entry: data.Transaction, where: CashFlowAccounts,
                    others: list[tuple[str, Decimal]], cash: Decimal) -> Moved | None:
    """A transaction with cash and without the result, over several sections: its legs on the
    cash's side outside the section of its largest leg on the other side go to that leg's line."""
    if cash == 0 or any(a in where.result for a, _ in others) \
            or len({where.section[a] for a, _ in others}) < 2:
        return None
    sources = [(a, n) for a, n in others if n * cash < 0]
    if not sources:
        return None
    anchor = max(sources, key=lambda leg: (abs(leg[1]), leg[0]))[0]
    home = where.section[anchor]
    legs = frozenset(a for a, n in others if n * cash > 0 and where.section[a] != home)
    return Moved(entry, legs, where.line[anchor], home) if legs else None


@dataclass(frozen=True)
class CashFlowReading:
    """What the cash flow of a layout does with each transaction of a ledger, from one walk
    (:func:`cash_flow_reading`)."""

    left: tuple[data.Transaction, ...]  # the transactions it leaves out (:func:`left_out`)
    # id of a transaction -> the legs other lines take (moved_legs, untaken_legs)
    moved: dict[int, tuple[Moved, ...]]
    # the movement table (:func:`nhnfin.ledger.movement_table`) of what it keeps: the kept
    # transactions without their moved legs, summed in the order of the entries
    kept: dict[str, dict[int, Decimal]] = field(default_factory=dict)
    # (section, year) -> the cash taken from the section (:func:`section_cash`)
    cash: dict[tuple[str, int], Decimal] = field(default_factory=dict)
    # the books' opening balance, when the layout has a line for it (:func:`opening_balance`)
    opening: tuple[data.Transaction, ...] = ()
    # the transactions that move cash against accounts no line takes, and those legs
    untaken: tuple[Moved, ...] = ()


def cash_flow_reading(layout: Layout, ledger: Ledger) -> CashFlowReading:
    """:func:`left_out` and :func:`moved_legs` of every transaction of ``ledger``, once per
    ledger and layout (the statement, its moved lines and its tie-outs read them)."""
    return ledger.derived_with(_cash_flow_reading, layout)


def _add(kept: dict[str, dict[int, Decimal]], account: str, year: int, number: Decimal) -> None:
    per_year = kept.setdefault(account, {})
    per_year[year] = per_year.get(year, ZERO) + number


def _sum_kept(entry: data.Transaction, where: CashFlowAccounts,
              weights: list[tuple[str, Decimal]], legs: tuple[Moved, ...],
              kept: dict[str, dict[int, Decimal]], cash: dict[tuple[str, int], Decimal]) -> None:
    """Add a kept transaction to the movement table (without its ``legs`` other lines take)
    and, when it touches cash, its cash to the sections (a moved leg in its line's section)."""
    year = entry.date.year
    home = {account: m.section for m in legs for account in m.accounts}
    for account, number in weights:
        if account not in home:
            _add(kept, account, year, number)
    if touches(entry, where.cash):
        for account, number in weights:
            section = home.get(account, where.section.get(account))
            if section is not None and account not in where.cash:
                cash[(section, year)] -= number


def _cash_flow_reading(ledger: Ledger, layout: Layout) -> CashFlowReading:
    where = cash_flow_accounts(layout, ledger)
    opening = set(map(id, opening_balance_entries(ledger, where)))
    left: list[data.Transaction] = []
    brought_in: list[data.Transaction] = []
    untaken: list[Moved] = []
    moved: dict[int, tuple[Moved, ...]] = {}
    kept: dict[str, dict[int, Decimal]] = {}
    cash: dict[tuple[str, int], Decimal] = defaultdict(lambda: ZERO)
    for entry in ledger.entries:
        if not isinstance(entry, data.Transaction):
            continue
        weights = posting_weights(entry)  # once for both questions, the kept table and the cash
        year = entry.date.year
        if id(entry) in opening:  # its cash only: the balance it brings in is no flow
            brought_in.append(entry)
            for account, number in weights:
                if account in where.cash:
                    _add(kept, account, year, number)
            continue
        if left_out(entry, where, weights):
            left.append(entry)
            continue
        found = untaken_legs(entry, where, weights)
        if found is not None:
            untaken.append(found)
        legs = tuple(m for m in (moved_legs(entry, where, weights),
                                 found if where.untaken is not None else None) if m is not None)
        if legs:
            moved[id(entry)] = legs
        _sum_kept(entry, where, weights, legs, kept, cash)
    return CashFlowReading(tuple(left), moved, kept, dict(cash), tuple(brought_in),
                           tuple(untaken))


def opening_balance_entries(ledger: Ledger, where: CashFlowAccounts
                            ) -> tuple[data.Transaction, ...]:
    """The books' opening balance (:func:`books_opening_balance`), when the cash flow has a line
    for it (without one, its year's cash flow reads it as flows and warns)."""
    if where.opening_line is None:
        return ()
    return books_opening_balance(ledger, where)


def books_opening_balance(ledger: Ledger, where: CashFlowAccounts
                          ) -> tuple[data.Transaction, ...]:
    """The books' opening balance: the transactions of the first day that posts to cash (of
    the first posting day, when none does) that touch no income-statement account, unless
    marked ``nhnfin-opening-balance: FALSE`` (a founding's capital paid in that day is a flow).
    The books hold no cash before that day, so the cash they post is brought in (the closing
    balance of the accounts kept before), not a flow of their year, and so are their other
    balances: no change of equity either (:func:`brought_in_statement`). Entries a rule books
    for the years before (a delivery-obligation transfer's history) touch no cash and do not
    move that day; nor is an entry a rule generates on that day (a grant's receivable booked at
    its award) a part of it: the books' opening balance is what the controller brings in. A
    balance brought in nets to equity, so a day none of whose transactions posts to equity (the
    accounts of the layout's equity lines, ``where.equity``: :func:`equity_lines`) holds no
    opening balance: books that start from nothing and whose first cash is a grant paid in
    (Dr 1920 / Cr 2910) start with that flow. The one definition the cash flow, the equity
    tie-out, the notes and the grants rule share."""
    return ledger.derived_with(_books_opening_balance, where)  # once per ledger and layout


def _books_opening_balance(ledger: Ledger, where: CashFlowAccounts
                           ) -> tuple[data.Transaction, ...]:
    return opening_balance_of(ledger.entries, where)


def entries_opening_balance(entries: list[Any]) -> tuple[data.Transaction, ...]:
    """:func:`books_opening_balance` of a plugin's ``entries`` by the layout the ledger asks for
    (none when it is invalid): what a rule reads as the balances its books start from, the same
    transactions the report reads so. Within a plugin run computed once per list and length."""
    return shared(_entries_opening_balance, entries)


def _entries_opening_balance(entries: list[Any]) -> tuple[data.Transaction, ...]:
    layout, _ = resolve_layout(entries)
    if layout is None:
        return ()
    return opening_balance_of(entries, cash_flow_accounts_of(layout, shared(ledger_accounts,
                                                                             entries)))


def opening_balance_of(entries: Iterable[Any], where: CashFlowAccounts
                       ) -> tuple[data.Transaction, ...]:
    """:func:`books_opening_balance` of ``entries`` (a plugin's reading, which has no
    :class:`~nhnfin.ledger.Ledger`)."""
    day = _opening_day(entries_of(entries, data.Transaction), where.cash,
                       first_written_day(entries) if isinstance(entries, list) else None)
    found = tuple(e for e in day if not touches(e, where.result)
                  and e.meta.get(OPENING_BALANCE) is not False)
    if not any(touches(e, where.equity) for e in found):
        return ()
    return found


def _written(entry: data.Transaction) -> bool:
    """Whether ``entry`` has postings and was written in the ledger, not generated by a rule."""
    return bool(entry.postings) and GENERATED_TAG not in (entry.tags or ())


def _opening_day(transactions: list[data.Transaction], cash: frozenset[str],
                 first_day: list[data.Transaction] | None = None) -> list[data.Transaction]:
    """The transactions written in the ledger (:func:`_written`) on the day the books open, in
    their order: the first day that has any, or, when that day moves no cash, the first day
    that does (none has: the first day). The usual case, a first day of the ledger's own
    entries that moves cash, is found by C's loops (``map``, ``compress``), so Python reads
    only that day's transactions; any other case is :func:`_opening_day_read`. ``first_day``:
    the first day's written transactions, in order, when the caller has them
    (:func:`nhnfin.config.first_written_day`, the plugin run's shared index)."""
    if first_day is not None:
        if not first_day or any(touches(e, cash) for e in first_day):
            return first_day
        return _opening_day_read(transactions, cash)
    dates = list(map(attrgetter("date"), transactions))
    try:
        generated = map(frozenset.__contains__, map(attrgetter("tags"), transactions),
                        repeat(GENERATED_TAG))
        first = min(compress(dates, map(not_, generated)), default=None)
    except TypeError:  # tags that are no frozenset (None, a set)
        return _opening_day_read(transactions, cash)
    if first is None:  # every transaction a rule's
        return []
    day = [e for e in compress(transactions, map(first.__eq__, dates)) if _written(e)]
    if day and any(touches(e, cash) for e in day):
        return day
    return _opening_day_read(transactions, cash)


def _opening_day_read(transactions: list[data.Transaction], cash: frozenset[str]
                      ) -> list[data.Transaction]:
    """:func:`_opening_day` read transaction by transaction (a first day without cash, or
    postings, or tags :func:`_opening_day` cannot read by C's loops)."""
    written = [e for e in transactions if _written(e)]
    if not written:
        return []
    first = min(e.date for e in written)
    if not any(touches(e, cash) for e in written if e.date == first):
        first = min((e.date for e in written if touches(e, cash)), default=first)
    return [e for e in written if e.date == first]


def untaken_legs(entry: data.Transaction, where: CashFlowAccounts,
                 weights: list[tuple[str, Decimal]]) -> Moved | None:
    """The legs of ``entry``, a transaction the cash flow keeps, that move cash against an
    account no line of the cash flow takes, as taken by the layout's "untaken" line (its key
    and section empty when it has none: then they are on no line)."""
    if not touches(entry, where.cash):
        return None
    legs = frozenset(a for a, n in weights if n and where.is_untaken(a))
    if not legs:
        return None
    line, section = where.untaken or ("", "")
    return Moved(entry, legs, line, section)


@dataclass(frozen=True)
class OpeningBalance:
    """The books' opening balance as the cash flow reads it (:func:`opening_balance`)."""

    entries: tuple[data.Transaction, ...] = ()
    cash: frozenset[str] = frozenset()

    def amount(self, year: int) -> Decimal:
        """The cash it brings in, of its transactions dated in ``year``."""
        return sum((n for e in self.entries if e.date.year == year
                    for a, n in posting_weights(e) if a in self.cash), ZERO)


NO_OPENING = OpeningBalance()


def opening_balance(layout: Layout, ledger: Ledger) -> OpeningBalance:
    """The books' opening balance in ``ledger`` (:func:`opening_balance_entries`), once per
    ledger and layout."""
    reading = cash_flow_reading(layout, ledger)
    return OpeningBalance(reading.opening, cash_flow_accounts(layout, ledger).cash)


def moved_entries(layout: Layout, ledger: Ledger) -> list[Moved]:
    """The transactions of ``ledger`` some of whose legs another cash-flow line takes."""
    return [m for legs in cash_flow_reading(layout, ledger).moved.values() for m in legs]


def moved_sums(moved: Sequence[Moved], year: int) -> dict[str, Decimal]:
    """Line key -> the sum of the postings of ``year`` that line takes from other accounts."""
    sums: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for item in moved:
        if item.entry.date.year == year:
            sums[item.line] += sum(
                (n for a, n in posting_weights(item.entry) if a in item.accounts), ZERO)
    return dict(sums)


def left_out_entries(layout: Layout, ledger: Ledger) -> list[data.Transaction]:
    """The transactions of ``ledger`` the cash-flow statement leaves out."""
    return list(cash_flow_reading(layout, ledger).left)


def cash_flow_ledger(layout: Layout, ledger: Ledger) -> Ledger:
    """``ledger`` as the cash-flow statement reads it: without the non-cash transactions it
    leaves out. The ledger itself when it leaves nothing out."""
    reading = cash_flow_reading(layout, ledger)
    left = {id(e) for e in reading.left}
    cash = cash_flow_accounts(layout, ledger).cash
    opening = {id(e) for e in reading.opening}
    kept = []
    changed = bool(opening)
    for entry in ledger.entries:
        if id(entry) in left:
            changed = True
            continue
        moved = reading.moved.get(id(entry), ())
        changed = changed or bool(moved)
        away = {a for m in moved for a in m.accounts}
        if id(entry) in opening:  # only its cash: the balance at 31.12 (build_statement)
            away = {p.account for p in entry.postings if p.account not in cash}
        # its moved legs are added to their line by build_statement
        kept.append(entry if not away else entry._replace(
            postings=[p for p in entry.postings if p.account not in away]))
    if not changed:
        return ledger
    return Ledger(
        path=ledger.path,
        entries=kept,
        errors=[],
        options_map=ledger.options_map,
        movements=reading.kept,  # movement_table(kept), from the reading's walk
        opens=ledger.opens,
    )


def section_cash(layout: Layout, ledger: Ledger) -> dict[tuple[str, int], Decimal]:
    """(section, year) -> the cash the transactions touching cash took from (positive: brought
    in through) that section's accounts: minus their postings to those accounts (summed by the
    cash-flow reading's walk: each such transaction's legs, a moved leg in its line's
    section)."""
    return cash_flow_reading(layout, ledger).cash


def crossing_entries(
    layout: Layout, ledger: Ledger, section: str, year: int
) -> list[data.Transaction]:
    """The transactions of ``year`` the statement keeps that touch no cash and still move an
    amount into or out of ``section`` (what makes a section differ from its cash)."""
    return list(ledger.derived_with(_crossing, layout).get((section, year), ()))


def _crossing(ledger: Ledger, layout: Layout) -> dict[tuple[str, int], list[data.Transaction]]:
    """(section, year) -> :func:`crossing_entries`, from one walk over the transactions."""
    where = cash_flow_accounts(layout, ledger)
    reading = cash_flow_reading(layout, ledger)
    left = {id(e) for e in reading.left}
    left |= {id(e) for e in reading.opening}
    found: dict[tuple[str, int], list[data.Transaction]] = defaultdict(list)
    for e in ledger.entries:
        if not isinstance(e, data.Transaction) or touches(e, where.cash) or id(e) in left:
            continue
        if id(e) in reading.moved:
            continue
        for section in section_moves(e, where):
            found[(section, e.date.year)].append(e)
    return dict(found)


def describe(entry: data.Transaction) -> str:
    """An entry as a controller finds it: date, narration, file:line."""
    return f"{entry.date.isoformat()} {entry.narration} ({location(dict(entry.meta))})"
