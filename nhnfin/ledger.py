"""The ledger as the report builders see it: loaded entries and per-account movements per year.

One pass over the transactions sums each account's NOK postings (their weight) per calendar year;
balances and movements for any set of accounts are then sums over that table. Nothing here is
rounded. Every other reading of the entries that the report's builders share (the layout, the
accounts and their opens, the asset register, the note mapping, debits and credits per account)
is made once per ledger through :meth:`Ledger.derived`, not once per note.
"""

from __future__ import annotations

import datetime
import os
from collections import defaultdict
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from decimal import Decimal
from pathlib import Path
from typing import Any
from typing import TypeVar

from beancount.core import data

from nhnfin import loading
from nhnfin.accounts import account_number
from nhnfin.errors import NhnfinError
from nhnfin.errors import error_key
from nhnfin.errors import location
from nhnfin.model import norwegian_date
from nhnfin.money import CURRENCY as CURRENCY  # noqa: PLC0414 (re-exported)
from nhnfin.money import MAX_AMOUNT
from nhnfin.money import ZERO
from nhnfin.money import nok_weight

T = TypeVar("T")
A = TypeVar("A")


@dataclass(frozen=True)
class Ledger:
    """A loaded ledger with its movement table.

    Attributes:
        path: the ledger file.
        entries: all directives after the plugins ran.
        errors: Beancount's and nhnfin's errors.
        options_map: Beancount options.
        movements: account -> year -> sum of the NOK weights posted in that year.
        opens: account -> its Open directive.
    """

    path: Path | None
    entries: list[Any]
    errors: list[Any]
    options_map: dict[str, Any]
    movements: Mapping[str, Mapping[int, Decimal]]
    opens: Mapping[str, data.Open] = field(default_factory=dict)
    _derived: dict[object, Any] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def derived(self, function: Callable[[list[Any]], T]) -> T:
        """``function(self.entries)``, computed once for this ledger and shared by every caller
        (a report's note builders each ask for the layout, the accounts, the register …).
        ``function`` depends on the entries alone, and callers do not change what it returns."""
        if function not in self._derived:
            self._derived[function] = function(self.entries)
        result: T = self._derived[function]
        return result

    def derived_with(self, function: Callable[[Ledger, A], T], argument: A) -> T:
        """``function(self, argument)``, computed once for this ledger and ``argument`` (the same
        object: a layout); as :meth:`derived`, callers do not change what it returns."""
        key = (function, id(argument))
        held = self._derived.get(key)
        if held is None or held[0] is not argument:  # the argument is kept, so its id is not reused
            held = self._derived[key] = (argument, function(self, argument))
        result: T = held[1]
        return result

    def accounts(self) -> list[str]:
        """Every account opened or posted to, sorted."""
        if Ledger.accounts not in self._derived:  # asked for by most note builders
            self._derived[Ledger.accounts] = tuple(sorted(set(self.opens) | set(self.movements)))
        return list(self._derived[Ledger.accounts])

    def movement(self, accounts: Iterable[str], year: int) -> Decimal:
        """Sum of postings to ``accounts`` dated in ``year``."""
        return sum((self.movements.get(a, {}).get(year, ZERO) for a in accounts), ZERO)

    def closing(self, accounts: Iterable[str], year: int) -> Decimal:
        """Balance of ``accounts`` at the end of ``year`` (31 December)."""
        total = ZERO
        for account in accounts:
            for posted_year, amount in self.movements.get(account, {}).items():
                if posted_year <= year:
                    total += amount
        return total

    def opening(self, accounts: Iterable[str], year: int) -> Decimal:
        """Balance of ``accounts`` at the start of ``year`` (1 January)."""
        return self.closing(accounts, year - 1)

    def years(self) -> list[int]:
        """Years with postings."""
        return sorted({y for per_year in self.movements.values() for y in per_year})

    def first_entry(self) -> data.Open | data.Transaction | None:
        """The first ``open`` or transaction of the books (where they begin), if any."""
        return books_start(self.entries)

    def fiscal_years(self) -> list[int]:
        """Years the books cover: those with postings, and those in which accounts were opened
        (a new ledger's first year has a report, all zero, before its first posting). An account
        opened on 31 December opens the books of the year after (the opening balance is the
        previous year's closing balance, dated that day)."""
        opened: set[int] = set()
        for entry in self.entries:
            if isinstance(entry, data.Open):
                day = entry.date
                opened.add(day.year + 1 if (day.month, day.day) == (12, 31) else day.year)
        return sorted(opened.union(self.years()))


def books_start(entries: Iterable[Any]) -> data.Open | data.Transaction | None:
    """The first ``open`` or transaction of ``entries`` (in date order), if any."""
    return next((e for e in entries if isinstance(e, data.Open | data.Transaction)), None)


def before_the_books(asked: str, first: data.Open | data.Transaction) -> str:
    """``asked`` (a date named in words) is before the books begin at ``first``."""
    return (f"{asked} er før regnskapet begynner: det første som er ført, er datert "
            f"{norwegian_date(first.date)} ({location(first.meta)})")


def movement_table(
    entries: Iterable[Any],
) -> tuple[dict[str, dict[int, Decimal]], list[NhnfinError]]:
    """Sum each account's postings per year; postings without a NOK weight the books can sum
    (:func:`nhnfin.money.nok_weight`: another currency, an amount too large) are reported, not
    summed. The load reports them too (``plugin "nhnfin"``), at the same places in the same
    words."""
    table: dict[str, dict[int, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    errors: list[NhnfinError] = []
    low, high = -MAX_AMOUNT, MAX_AMOUNT
    units: Any  # a booked posting's: an amount with a number
    cost: Any  # compared by identity with the price (both None: plain)
    for entry in entries:
        if not isinstance(entry, data.Transaction):
            continue
        year = entry.date.year
        for posting in entry.postings:
            account, units, cost, price, _, _ = posting
            # a plain NOK posting within the limit weighs its units; anything else (no units or
            # no number too) is read by the one rule of a NOK weight (nok_weight), as the load
            # reads it (config._extend: cost is not price, a Cost and an Amount are one object
            # only when both are None)
            try:
                number = units.number
                plain = units.currency == CURRENCY and cost is price and low < number < high
            except (AttributeError, TypeError):
                plain = False
            if not plain:
                number, problem = nok_weight(entry, posting)
                if problem is not None:
                    errors.append(problem)
                if number is None:
                    continue
            table[account][year] += number
    return {a: dict(y) for a, y in table.items()}, errors


def from_entries(
    entries: list[Any],
    errors: list[Any],
    options_map: dict[str, Any],
    path: Path | None = None,
) -> Ledger:
    """Build a :class:`Ledger` from already loaded entries."""
    table, currency_errors = movement_table(entries)
    opens = {e.account: e for e in entries if isinstance(e, data.Open)}
    # the load's plugin named them already (plugin "nhnfin"): each said once, in its words
    said = {error_key(e) for e in errors if e.source}
    return Ledger(
        path=path,
        entries=entries,
        errors=[*errors, *(e for e in currency_errors if error_key(e) not in said)],
        options_map=options_map,
        movements=table,
        opens=opens,
    )


YEAR_END_MARKER = "nhnfin-year-end-marker"
"""The type of the event :func:`load` adds for ``through`` (and takes out again)."""


def load(path: Path | str, through: datetime.date | None = None) -> Ledger:
    """Load a Beancount file (running its plugins) into a :class:`Ledger`.

    Without Beancount's pickle cache, as Fava loads: writing it makes each first load of a
    changed ledger slower and bigger (figures in benchmarks/README.md), and nhnfin's own report
    cache answers an unchanged ledger without loading it. The file name is made absolute as
    :func:`beancount.loader.load_file` makes it.

    ``through`` (``nhnfin close``): the rules book at least up to that day, as they will once a
    file with entries of that day is included. The rules book to the end of the period of the
    ledger's last entry, so the plugins run with an event of that day in the ledger; the event
    is not in the result."""
    extra = [] if through is None else [
        f'{through.isoformat()} event "{YEAR_END_MARKER}" "{through}"\n']
    entries, errors, options_map = load_entries(path, extra)
    if through is not None:
        entries = [e for e in entries if not is_year_end_marker(e)]
    return from_entries(entries, errors, options_map, Path(path))


def load_entries(path: Path | str, extra: Iterable[str] = ()
                 ) -> tuple[list[Any], list[Any], dict[str, Any]]:
    """Beancount's load of ``path`` and of the strings ``extra`` (plugins run): entries, errors,
    options. Every nhnfin command loads through here, never through Beancount's pickle cache,
    which would write a file beside the ledger and, read back, run whatever code the pickle
    holds. Loaded by :func:`nhnfin.loading.load`: ``beancount.loader._load``'s result with less
    work for plain transactions."""
    name = os.path.expandvars(os.path.expanduser(str(path)))
    if not os.path.isabs(name):
        name = os.path.normpath(os.path.join(os.getcwd(), name))
    sources = [(name, True), *((text, False) for text in extra)]
    entries, errors, options_map = loading.load(sources)
    return entries, errors, options_map


def is_year_end_marker(entry: Any) -> bool:
    """The event :func:`load` adds for ``through``: parsed from a string, so in no file."""
    return (isinstance(entry, data.Event) and entry.type == YEAR_END_MARKER
            and (entry.meta or {}).get("filename") == "<string>")


def until(ledger: Ledger, day: datetime.date) -> Ledger:
    """``ledger`` as it stood at the end of ``day``: the entries dated on or before it (the
    rules' generated entries included, as they were booked), for a report to that date."""
    kept = [e for e in ledger.entries if e.date <= day]
    table, _ = movement_table(kept)
    return Ledger(
        path=ledger.path,
        entries=kept,
        errors=ledger.errors,
        options_map=ledger.options_map,
        movements=table,
        opens=ledger.opens,
    )


def numbered(accounts: Iterable[str]) -> dict[str, int]:
    """The accounts that carry an NS 4102 number, with that number."""
    result: dict[str, int] = {}
    for account in accounts:
        number = account_number(account)
        if number is not None:
            result[account] = number
    return result


def year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    """First day of ``year`` and first day of the next (exclusive end)."""
    return datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1)


def period_bounds(year: int, last_day: datetime.date | None = None
                  ) -> tuple[datetime.date, datetime.date]:
    """:func:`year_bounds`, ending after ``last_day`` in a period report."""
    start, end = year_bounds(year)
    return start, end if last_day is None else last_day + datetime.timedelta(days=1)
