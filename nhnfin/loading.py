"""Beancount's load with the same result and less work: :func:`load` is
``beancount.loader._load`` step by step (parse, sort, book, plugins, validate, input hash) with
two exact shortcuts for the plain transactions that make up almost every book (each posting a
number and a currency, no cost, no price):

- **booking**: such a transaction on accounts that never see a cost, a price or a missing number
  or currency gets what ``booking_full._book`` gives it (its postings grouped by currency, its
  meta copied with the inferred tolerances) without Beancount's per-posting inventory work;
  every other transaction is booked by ``booking_full._book`` itself, against the one shared
  table of balances, so cost lots, reductions and interpolation stay Beancount's;
- **validation**: ``validate_check_transaction_balances`` is run as Beancount's, except that a
  transaction of units-only postings whose sums per currency are exactly zero is accepted
  without inferring tolerances (an empty residual is small under any tolerance); any other
  transaction is checked by Beancount's function.

A `custom` directive without values is given an empty list (:func:`with_values`), so that
Beancount's pad plugin does not fail on it; otherwise the result is Beancount's.

Written against Beancount 3.2.3 (``loader._load``, ``booking.book``, ``booking_full._book``,
``interpolate.infer_tolerances``, ``validation.validate``); where this module mirrors a loop of
one of them, the comment names it. Anything it cannot vouch for goes through Beancount's own
step: timings logged, extra validations, a ``booking_method`` option other than ``STRICT``.
``tests/test_loading.py`` compares the result with ``loader._load``'s on every ledger of the
repository, the bad-input catalogue and generated ledgers.
"""

from __future__ import annotations

import collections
import sys
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from beancount import loader
from beancount.core import data
from beancount.core import interpolate
from beancount.core import inventory
from beancount.core.amount import Amount
from beancount.ops import validation
from beancount.parser import booking
from beancount.parser import booking_full
from beancount.utils import defdict

Sources = list[tuple[str, bool]]
Result = tuple[list[Any], list[Any], dict[str, Any]]

_CHECK_BALANCES: Callable[..., list[Any]] = validation.validate_check_transaction_balances
"""Beancount's check that every transaction balances, the one validation :func:`validate`
replaces (by identity: a list of validations naming another function keeps it)."""


def load(sources: Sources, log_timings: Any = None, extra_validations: Any = None,
         encoding: str | None = None) -> Result:
    """``beancount.loader._load(sources, log_timings, extra_validations, encoding)``: the same
    entries, errors and options map (with ``input_hash``), booked and validated with the
    shortcuts of this module. Timings or extra validations: Beancount's own ``_load``."""
    if log_timings is not None or extra_validations:
        return loader._load(sources, log_timings, extra_validations, encoding)
    # Mirrors loader._load (Beancount 3.2.3), without the timings.
    entries, parse_errors, options_map = loader._parse_recursive(sources, None, encoding)
    entries = with_values(entries)
    entries.sort(key=data.entry_sortkey)
    entries, balance_errors = book(entries, options_map)
    parse_errors.extend(balance_errors)
    saved_pythonpath = list(sys.path)
    try:
        if "pythonpath" in options_map:
            sys.path[0:0] = options_map["pythonpath"]
        entries, errors = loader.run_transformations(entries, parse_errors, options_map, None)
    finally:
        sys.path[:] = saved_pythonpath
    errors.extend(validate(entries, options_map))
    options_map["input_hash"] = loader.compute_input_hash(options_map["include"])
    return entries, errors, options_map


def with_values(entries: list[Any]) -> list[Any]:
    """``entries`` with each ``custom`` directive written without values (``custom
    "nhnfin-grant"``) given an empty list of values, the one difference from Beancount's load.

    Beancount's parser leaves such a directive's ``values`` None, and Beancount's own first
    plugin, ``beancount.ops.pad``, then fails on it (``realization.postings_by_account``
    iterates the values): the load gets a traceback, ``<load>:0: Error applying plugin
    "beancount.ops.pad"``, which ``nhnfin report`` printed into the report's list of errors and
    Fava showed, and no ``pad`` of the ledger is padded. With an empty list the directive's own
    error (at its file:line, from the rule that reads it) is the only one. ``bean-check`` loads
    through Beancount and still shows Beancount's traceback."""
    if not any(isinstance(e, data.Custom) and e.values is None for e in entries):
        return entries
    return [e._replace(values=[]) if isinstance(e, data.Custom) and e.values is None else e
            for e in entries]


def book(entries: list[Any], options_map: dict[str, Any]) -> tuple[list[Any], list[Any]]:
    """``booking.book(entries, options_map)``: Beancount's booking, plain transactions on plain
    accounts (:func:`plain_accounts`) completed as ``booking_full._book`` completes them."""
    if options_map["booking_method"] is not data.Booking.STRICT:
        return booking.book(entries, options_map)  # type: ignore[no-any-return]
    # Mirrors booking.book (Beancount 3.2.3): the booking method of each account.
    methods: collections.defaultdict[str, Any] = collections.defaultdict(
        lambda: options_map["booking_method"])
    for entry in entries:
        if isinstance(entry, data.Open) and entry.booking:
            methods[entry.account] = entry.booking
    plain = plain_accounts(entries)
    balances: collections.defaultdict[str, inventory.Inventory] = collections.defaultdict(
        inventory.Inventory)
    booked: list[Any] = []
    slow: list[Any] = []
    errors: list[Any] = []
    scaled: dict[int, Decimal] = {}
    # Mirrors booking_full._book's loop (Beancount 3.2.3): each transaction in order, the same
    # balances carried from one to the next (Beancount's own code drops a transaction with a
    # categorisation error). The balances leave out the plain transactions' postings: they are
    # all on plain accounts, whose balances no transaction's booking reads (plain_accounts).
    for entry in entries:
        if not isinstance(entry, data.Transaction):
            booked.append(entry)
        elif all(p.account in plain for p in entry.postings):  # so plain: plain_accounts
            booked.append(book_plain(entry, options_map, scaled))
        else:
            done, new_errors, _ = booking_full._book([entry], options_map, methods, balances)
            booked.extend(done)
            slow.extend(done)
            errors.extend(new_errors)
    # booking.validate_missing_eliminated finds nothing in a plain transaction
    return booked, errors + booking.validate_missing_eliminated(slow, options_map)


def plain_posting(posting: Any) -> bool:
    """A number and a currency (an ``Amount`` of a Decimal and a string), no cost, no price."""
    units = posting.units
    return (posting.cost is None and posting.price is None and type(units) is Amount
            and isinstance(units.number, Decimal) and isinstance(units.currency, str))


def plain_accounts(entries: Iterable[Any]) -> set[str]:
    """The accounts whose balances no booking step reads: no posting on them (of any
    transaction) lacks a number or a currency or has a cost or a price, and no Open of theirs
    names a booking method. ``booking_full`` reads an account's balance only for a posting on
    it with a cost or a missing currency, and its booking method only for a posting at cost."""
    seen: set[str] = set()
    other: set[str] = set()
    for entry in entries:
        if isinstance(entry, data.Transaction):
            for posting in entry.postings:
                seen.add(posting.account)
                if not plain_posting(posting):
                    other.add(posting.account)
        elif isinstance(entry, data.Open) and entry.booking:
            other.add(entry.account)
    return seen - other


def book_plain(entry: Any, options_map: dict[str, Any],
               scaled: dict[int, Decimal] | None = None) -> Any:
    """What ``booking_full._book`` (Beancount 3.2.3) makes of a plain transaction (every
    posting :func:`plain_posting`): the postings unchanged, grouped by currency in the order
    each currency first appears (``categorize_by_currency``, ``replace_currencies``;
    ``book_reductions`` and ``interpolate_group`` leave a posting without cost or missing number
    as it is), the meta copied with the tolerances inferred in ``max`` mode. ``scaled``:
    :func:`plain_tolerances`'s memo, kept by the caller for one load."""
    postings = entry.postings
    if len({p.units.currency for p in postings}) <= 1:
        booked = list(postings)
    else:
        groups: dict[str, list[Any]] = {}
        for posting in postings:
            groups.setdefault(posting.units.currency, []).append(posting)
        booked = [p for group in groups.values() for p in group]
    meta = entry.meta.copy()
    meta[interpolate.AUTOMATIC_TOLERANCES] = plain_tolerances(postings, options_map, scaled)
    if type(entry) is data.Transaction:  # what _replace makes, made directly
        return data.Transaction(meta, entry.date, entry.flag, entry.payee, entry.narration,
                                entry.tags, entry.links, booked)
    return entry._replace(postings=booked, meta=meta)


def plain_tolerances(postings: Sequence[Any], options_map: dict[str, Any],
                     scaled: dict[int, Decimal] | None = None
                     ) -> defdict.ImmutableDictWithDefault:
    """``interpolate.infer_tolerances(postings, options_map, mode="max")`` for postings without
    cost or price (mirrors it, Beancount 3.2.3: with neither, ``infer_tolerance_from_cost``
    adds nothing). The same values, the same Decimal objects' exponents, the same dict order.
    ``scaled`` memoises ``1E<exponent> * tolerance_multiplier`` (a Decimal: immutable) for
    postings under the same options and decimal context."""
    memo: dict[int, Decimal] = {} if scaled is None else scaled
    multiplier = options_map["tolerance_multiplier"]
    defaults = options_map["inferred_tolerance_default"]
    tolerances: dict[str, Decimal] = {}
    if defaults:
        seen = {p.units.currency for p in postings}
        tolerances = {currency: tolerance for currency, tolerance in defaults.items()
                      if currency == "*" or currency in seen}
    for posting in postings:
        if posting.meta and interpolate.AUTOMATIC_META in posting.meta:
            continue
        units = posting.units
        exponent: Any = units.number.as_tuple().exponent  # as there: a NaN's does not compare
        if exponent < 0:
            tolerance = memo.get(exponent)
            if tolerance is None:
                tolerance = memo[exponent] = _ONE.scaleb(exponent) * multiplier
            currency = units.currency
            if currency in tolerances:
                tolerances[currency] = max(tolerance, tolerances[currency])
            else:
                tolerances[currency] = tolerance
    default = tolerances.pop("*", _ZERO)
    return defdict.ImmutableDictWithDefault(tolerances, default=default)


_ONE = Decimal(1)
_ZERO = Decimal(0)


def validate(entries: list[Any], options_map: dict[str, Any]) -> list[Any]:
    """``validation.validate(entries, options_map)``: the validations Beancount runs
    (``validation.VALIDATIONS`` as it stands now), in order, its balance check replaced by
    :func:`check_balances`."""
    errors: list[Any] = []
    # Mirrors validation.validate (Beancount 3.2.3), without timings or extra validations.
    functions: list[Callable[..., list[Any]]] = validation.VALIDATIONS
    for function in functions:
        if function is _CHECK_BALANCES:
            errors.extend(check_balances(entries, options_map))
        else:
            errors.extend(function(entries, options_map))
    return errors


def check_balances(entries: Iterable[Any], options_map: dict[str, Any]) -> list[Any]:
    """``validate_check_transaction_balances``: a transaction of units-only postings whose
    residual is empty passes (as there: an empty inventory is small under any tolerance);
    every other transaction is checked by Beancount's function, in order."""
    errors: list[Any] = []
    for entry in entries:
        if isinstance(entry, data.Transaction) and not _exactly_balanced(entry):
            errors.extend(_CHECK_BALANCES([entry], options_map))
    return errors


def _exactly_balanced(entry: Any) -> bool:
    """True when ``interpolate.compute_residual(entry.postings)`` is certainly empty: every
    posting units only (its weight its units), summed per currency as ``Inventory.add_amount``
    sums (Beancount 3.2.3: a position dropped when it reaches zero, a zero never added), and
    nothing left. False means: ask Beancount."""
    residual: dict[str, Decimal] = {}
    for posting in entry.postings:
        if posting.meta and posting.meta.get(interpolate.AUTOMATIC_RESIDUAL, False):
            continue
        if not plain_posting(posting):
            return False
        currency = posting.units.currency
        number = posting.units.number
        if currency in residual:
            total = residual[currency] + number
            if total == _ZERO:
                del residual[currency]
            else:
                residual[currency] = total
        elif number != _ZERO:
            residual[currency] = number
    return not residual
