"""Plugin configuration strings: a Python dict literal, read safely and strictly.

``plugin "nhnfin" "{'assets': {'period': 'quarter'}}"``: the string is parsed with
:func:`ast.literal_eval` (never ``eval``), and a key given twice is an error rather than the last
one silently winning, as a plain ``literal_eval`` would let it. The same holds for the metadata of
the rules' ``custom`` directives (:func:`repeated_meta_keys`), and a plugin that takes no
configuration refuses one (:func:`no_config`) rather than ignoring it.

What the rules of one ``plugin "nhnfin"`` run share lives here too (:func:`one_plugin_run`): one
reading of each ledger file, the entries of a type, a reading of the entries the checks share.
"""

from __future__ import annotations

import ast
import datetime
import re
from array import array
from collections import deque
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from dataclasses import field
from importlib import import_module
from itertools import islice
from operator import attrgetter
from typing import Any
from typing import TypeVar

from beancount.core import data

from nhnfin.errors import NhnfinError
from nhnfin.errors import given_twice
from nhnfin.errors import pseudo_source
from nhnfin.money import CURRENCY
from nhnfin.money import MAX_AMOUNT
from nhnfin.money import nok_weight
from nhnfin.provenance import GENERATED_TAG
from nhnfin.provenance import INVOICE


class ConfigError(ValueError):
    """The configuration string is not a dict literal with unique keys (the message says why)."""


def _duplicate_keys(tree: ast.AST) -> list[str]:
    """Keys that appear twice in one dict display anywhere in ``tree``."""
    repeated: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict):
            seen: set[Any] = set()
            for key in node.keys:
                if isinstance(key, ast.Constant):
                    if key.value in seen:
                        repeated.append(repr(key.value))
                    seen.add(key.value)
    return repeated


def entity_title(options_map: dict[str, Any]) -> str:
    """The entity's name as the report prints it: the ledger's ``option "title"``, or
    "Regnskap" (the report's title, and a text of a locked year's report)."""
    title = options_map.get("title")
    return str(title) if title else "Regnskap"


def literal_dict(text: str | None) -> dict[str, Any]:
    """The dict a configuration string spells (``{}`` for none); :class:`ConfigError` otherwise."""
    if not text or not text.strip():
        return {}
    try:
        tree = ast.parse(text.strip(), mode="eval")
        value = ast.literal_eval(tree)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError) as exc:
        raise ConfigError(f"ikke en dict-literal ({type(exc).__name__}: {exc})") from exc
    if not isinstance(value, dict):
        raise ConfigError("ventet en dict som {'period': 'month'}")
    repeated = _duplicate_keys(tree)
    if repeated:
        raise ConfigError(given_twice(f"nøkkelen {', '.join(repeated)}"))
    return value


# One spelling of a booking period across every rule (``month``, ``quarter``, ``year``); the
# adjectives each rule once used are accepted as aliases.
PERIOD_ALIASES = {"month": "month", "monthly": "month", "quarter": "quarter",
                  "quarterly": "quarter", "year": "year", "yearly": "year", "annual": "year",
                  "annually": "year"}


PERIOD_CHOICES = "må være 'month', 'quarter' eller 'year'"


def period_alias(internal: dict[str, str]) -> Callable[[Any], Any]:
    """A pydantic before-validator: any spelling of a period becomes the rule's own value
    (``internal`` maps ``month``/``quarter``/``year`` to it); any other value is refused with
    :data:`PERIOD_CHOICES`, the spellings the docs give, never the rule's internal words (round
    fourteen: the e-health options were refused with "'annual', 'quarterly' eller 'monthly'",
    the grants' with "'monthly', 'quarterly' eller 'yearly'")."""

    def convert(value: Any) -> Any:
        canonical = PERIOD_ALIASES.get(value) if isinstance(value, str) else None
        if canonical is None:
            raise ValueError(PERIOD_CHOICES)
        return internal[canonical]

    return convert


def no_config(plugin: str, config: str | None) -> list[NhnfinError]:
    """An error when a plugin that takes no configuration is given a config string (it would
    be ignored silently); none otherwise. The error is at ``<nhnfin.NAME>`` (Beancount keeps no
    location for a ``plugin`` line)."""
    if config is None or not config.strip():
        return []
    return [NhnfinError(pseudo_source(plugin.removeprefix("nhnfin.")),
                        f"{plugin} tar ingen konfigurasjonstekst, men fikk {config!r}", None)]


_META_LINE = re.compile(rb"^[ \t]+([a-z][A-Za-z0-9_-]*):")
_COMMENT_LINE = re.compile(rb"^[ \t]+;")

T = TypeVar("T")


@dataclass
class _Run:
    """What the rules of one ``plugin "nhnfin"`` run share (:func:`one_plugin_run`)."""

    # filename -> the repeated keys below each directive line read so far (None: unreadable)
    readings: dict[str, dict[int, list[str]] | None] = field(default_factory=dict)
    # (id of an entry list, type) -> (that list, its entries of the type, how many were read)
    kinds: dict[tuple[int, type], tuple[list[Any], list[Any], int]] = field(
        default_factory=dict)
    # (function, id of an entry list) -> (that list, its length or its counts of the kinds the
    # function reads then, the function's result)
    derived: dict[tuple[Callable[..., Any], int], tuple[list[Any], int | tuple[int, ...], Any]] = (
        field(default_factory=dict))
    # id of an entry list -> its posting index (:func:`posting_index`)
    postings: dict[int, PostingIndex] = field(default_factory=dict)
    # rule -> the findings it made of the entries it booked (:func:`keep_findings`)
    findings: dict[str, list[Any]] = field(default_factory=dict)


_RUN: ContextVar[_Run | None] = ContextVar("nhnfin_plugin_run", default=None)

# The metadata keys a rule or job reads on postings or transactions (``asset``: the asset register
# and investment grants, ``grant``: grant links, ``solution``: e-health, ``cost-element`` and
# ``funding``: the cost basis, ``initiative``: the investment plan) and the tag prefix of a grant
# link: the shared posting index lists the transactions that carry each (:class:`PostingIndex`).
# Each names an id the ``custom`` directives here declare, their first value, or one of its
# built-in ids (``MARK_BUILT_IN``: the cost basis's two funding sources, the payment regulation
# and investment funds) (lock_guard.dangling_marks).
MARK_DECLARATIONS: dict[str, tuple[str, ...]] = {
    "asset": ("nhnfin-asset", "nhnfin-transfer"),
    "grant": ("nhnfin-grant",),
    "solution": ("nhnfin-ehealth-solution",),
    "cost-element": ("nhnfin-cost-element",),
    "funding": ("nhnfin-funding",),
    "initiative": ("nhnfin-initiative",),
}
MARKS = frozenset(MARK_DECLARATIONS)
MARK_BUILT_IN: dict[str, tuple[str, ...]] = {"funding": ("forskrift", "satsingsmidler")}
MARK_TAG = "grant-"


# the index lists the transactions with an invoice number (nhnfin.provenance.invoiced_twice), so
# the check reads those, not every transaction
_KEYED = MARKS | {INVOICE}  # the keys the walk looks for on a transaction


@dataclass
class PostingIndex:
    """One walk over an entry list's postings, read by every rule of a plugin run (positions
    are indexes into that list, ascending, each once per list)."""

    entries: list[Any]
    length: int = 0  # how many entries are indexed
    # account -> positions of the transactions posting to it, in order of first posting
    accounts: dict[str, array[int]] = field(default_factory=dict)
    # each key of MARKS (``grant`` also for a ``#grant-`` tag) -> positions of the
    # transactions carrying it on a posting or on the transaction itself
    marked: dict[str, array[int]] = field(
        default_factory=lambda: {key: array("i") for key in MARKS})
    # each key of MARKS -> the texts its marks give (a grant link's whole text; a ``#grant-``
    # tag's id), for the check that each names a declared id (:func:`mark_values`)
    values: dict[str, set[str]] = field(default_factory=lambda: {key: set() for key in MARKS})
    # positions of the transactions with an ``invoice`` key in their own metadata
    invoiced: array[int] = field(default_factory=lambda: array("i"))
    last_date: datetime.date = datetime.date.min  # the latest date of any entry
    # the earliest date of a transaction written in the ledger (postings, no GENERATED_TAG),
    # and the positions of those written that day (:func:`first_written_day`)
    first_date: datetime.date | None = None
    first_day: list[int] = field(default_factory=list)
    # the postings without a NOK weight the books can sum (:func:`nhnfin.money.nok_weight`),
    # the errors of the load (:func:`posting_problems`)
    problems: list[NhnfinError] = field(default_factory=list)


def _marks_of(meta: dict[str, Any], values: dict[str, set[str]]) -> frozenset[str]:
    """The keys of :data:`MARKS` in ``meta``, each one's text added to ``values``."""
    found = MARKS.intersection(meta)
    for key in found:
        values[key].add(str(meta[key]))
    return found


def _extend(index: PostingIndex) -> None:  # noqa: PLR0912 - one loop, no call per posting
    """Index the entries appended to ``index.entries`` since it was last read (one plain loop,
    names bound locally: it runs over every posting of the ledger). A transaction's own
    metadata is tested against :data:`_KEYED` once, for its marks and its invoice."""
    entries, accounts, marked, values = index.entries, index.accounts, index.marked, index.values
    start = index.length
    dates = map(attrgetter("date"), islice(entries, start, None))
    index.last_date = max(index.last_date, max(dates, default=index.last_date))
    keyed, disjoint, held_of = _KEYED.isdisjoint, MARKS.isdisjoint, accounts.get
    first, first_day, invoiced = index.first_date, index.first_day, index.invoiced
    problems, low, high = index.problems, -MAX_AMOUNT, MAX_AMOUNT
    units: Any  # a booked posting's: an amount with a number
    cost: Any  # compared by identity with the price (both None: plain)
    for seq in range(start, len(entries)):
        entry = entries[seq]
        if not isinstance(entry, data.Transaction):
            continue
        meta = entry.meta
        keys: Iterable[str] = ()
        if not keyed(meta):
            if INVOICE in meta:
                invoiced.append(seq)
            if not disjoint(meta):
                keys = _marks_of(meta, values)
        tags = entry.tags
        if tags and any(t.startswith(MARK_TAG) for t in tags):
            keys = {*keys, "grant"}
            values["grant"].update(t[len(MARK_TAG):] for t in tags if t.startswith(MARK_TAG))
        if (not tags or GENERATED_TAG not in tags) and entry.postings:
            day = entry.date
            if first is None or day < first:
                first, first_day = day, [seq]
            elif day == first:
                first_day.append(seq)
        for posting in entry.postings:
            # a Posting's fields unpacked at once: cheaper than an attribute each
            account, units, cost, price, _, own = posting
            held = held_of(account)
            if held is None:
                accounts[account] = array("i", (seq,))
            elif held[-1] != seq:
                held.append(seq)
            if own and not disjoint(own):
                keys = {*keys, *_marks_of(own, values)}
            # a plain NOK posting within the limit needs no more look; anything else (no units
            # or no number too: an entry not booked) is read by the one rule of a NOK weight,
            # as the report reads it (cost is not price: a Cost and an Amount are one object
            # only when both are None; a try costs nothing when nothing is raised)
            try:
                plain = (units.currency == CURRENCY and cost is price
                         and low < units.number < high)
            except (AttributeError, TypeError):
                plain = False
            if not plain:
                problem = nok_weight(entry, posting)[1]
                if problem is not None:
                    problems.append(problem)
        for key in keys:
            marked[key].append(seq)
    index.length = len(entries)
    index.first_date, index.first_day = first, first_day


def posting_index(entries: list[Any]) -> PostingIndex:
    """The posting index of ``entries``: within :func:`one_plugin_run` one walk per list,
    later only over what was appended to it; outside it, a walk now."""
    run = _RUN.get()
    held = run.postings.get(id(entries)) if run is not None else None
    if held is None or held.entries is not entries or held.length > len(entries):
        held = PostingIndex(entries)
        if run is not None:
            run.postings[id(entries)] = held
    if held.length < len(entries):
        _extend(held)
    return held


def posting_problems(entries: list[Any]) -> list[NhnfinError]:
    """The errors of the postings of ``entries`` without a NOK weight the books can sum (in
    another currency without a price or cost in NOK, or not below
    :data:`~nhnfin.money.MAX_AMOUNT`), at each posting's line in the report's words
    (:func:`nhnfin.money.nok_weight`); from the shared walk (:func:`posting_index`), so
    ``plugin "nhnfin"`` gives them at every load."""
    return list(posting_index(entries).problems)


def marked_transactions(entries: list[Any], kinds: Iterable[str],
                        also: Iterable[int] = ()) -> Iterator[tuple[int, Any]]:
    """``(position, entry)`` of the transactions that carry one of ``kinds`` (keys of
    :data:`MARKS`) on a posting or on themselves, and of the positions
    ``also``, in order; within :func:`one_plugin_run` from the shared index, outside it every
    entry of ``entries`` (each rule filters them itself either way)."""
    if _RUN.get() is None:
        yield from enumerate(entries)
        return
    index = posting_index(entries)
    positions = set(also)  # a transaction in several of the lists is given once
    for kind in kinds:
        positions.update(index.marked[kind])
    for seq in sorted(positions):
        yield seq, entries[seq]


def with_invoice(entries: list[Any]) -> list[data.Transaction]:
    """The transactions with an ``invoice`` key in their own metadata, in their order (what
    :func:`nhnfin.provenance.invoiced_twice` reads); within :func:`one_plugin_run` from the
    shared index, outside it read now."""
    if _RUN.get() is None:
        return [e for e in entries if isinstance(e, data.Transaction) and INVOICE in e.meta]
    return list(map(entries.__getitem__, posting_index(entries).invoiced))


def mark_values(entries: list[Any]) -> dict[str, set[str]] | None:
    """Within :func:`one_plugin_run`, from the shared index: the texts each kind of mark
    (:data:`MARKS`) gives in ``entries`` (a grant link's whole text, a ``#grant-`` tag's id);
    outside it None (the caller reads the entries)."""
    if _RUN.get() is None:
        return None
    return posting_index(entries).values


def transactions_touching(entries: list[Any], wanted: Callable[[str], bool],
                          kinds: Iterable[str]) -> Iterator[Any]:
    """The transactions posting to an account for which ``wanted`` is true and those that carry
    one of ``kinds`` (:func:`marked_transactions`), in the order of ``entries``; outside
    :func:`one_plugin_run` every entry."""
    if _RUN.get() is None:
        yield from entries
        return
    index = posting_index(entries)
    positions = [seq for account, held in index.accounts.items() if wanted(account)
                 for seq in held]
    for _, entry in marked_transactions(entries, kinds, positions):
        yield entry


def first_written_day(entries: list[Any]) -> list[Any] | None:
    """From the shared index of ``entries``, when :func:`one_plugin_run` has one already (a
    rule read it): the transactions written in the ledger (with postings, without
    :data:`~nhnfin.provenance.GENERATED_TAG`) on the earliest day any is, in order (none: an
    empty list); else None (the caller reads them: no index walk is started for this)."""
    run = _RUN.get()
    held = run.postings.get(id(entries)) if run is not None else None
    if held is None or held.entries is not entries:
        return None
    index = posting_index(entries)
    return [entries[seq] for seq in index.first_day]


def last_date(entries: list[Any]) -> datetime.date:
    """The latest date of any entry (``date.min`` for none); within :func:`one_plugin_run`
    from the shared index."""
    if _RUN.get() is None:
        return max(map(attrgetter("date"), entries), default=datetime.date.min)
    return posting_index(entries).last_date


def posted_accounts(entries: list[Any]) -> Iterable[str]:
    """Every account posted to, in the order of its first posting; within
    :func:`one_plugin_run` from the shared index."""
    if _RUN.get() is None:
        posted: dict[str, None] = {}
        for entry in entries:
            if isinstance(entry, data.Transaction):
                for posting in entry.postings:
                    posted[posting.account] = None
        return posted
    return posting_index(entries).accounts.keys()


@contextmanager
def one_plugin_run() -> Iterator[None]:
    """The rules of ``plugin "nhnfin"`` run inside this: each ledger file is read once for the
    check of repeated metadata keys (:func:`repeated_meta_keys`), each entry list is indexed by
    type once (:func:`entries_of`) and a reading of it shared (:func:`shared`). Within it a list
    of entries is never changed, only appended to: the pipeline appends each rule's entries to
    the list the next rule gets, and a rule never changes the entries it is given."""
    token = _RUN.set(_Run())
    try:
        yield
    finally:
        _RUN.reset(token)


def keep_findings(rule: str, found: list[Any]) -> None:
    """Within :func:`one_plugin_run`: ``rule``'s findings, made while it booked, are exactly
    those its finder (:data:`nhnfin.findings.FINDER_PATHS`) would make again of the loaded
    entries; the run hands them to the report of the same load (:func:`hand_over`)."""
    run = _RUN.get()
    if run is not None:
        run.findings[rule] = list(found)


@dataclass(frozen=True)
class _Handed:
    """The findings a plugin run left for the report of its own load: the addresses (ids) of
    the entries it returned, and its options map (kept alive: the load's own object). The
    entries themselves are not kept: holding them would keep a whole ledger alive after its
    load (and make the interpreter's last collection at exit walk it)."""

    ids: array[int]
    options_map: dict[str, Any]
    findings: dict[str, list[Any]]


_HANDED: list[_Handed] = []  # the last plugin run's, at most one (a later load replaces it)


def hand_over(result: list[Any], given: int, options_map: dict[str, Any],
              config_str: str | None) -> None:
    """At the end of a ``plugin "nhnfin"`` run that returns ``result`` (its first ``given``
    entries the ones it was given): keep the findings its rules made for the report of this
    load (:func:`handed_findings`), when they equal the findings made again of the loaded
    entries: the ledger names this one nhnfin plugin line, with this config (the finders read
    the config from the options), and the rules added only transactions tagged
    ``#nhnfin-generated`` (which the finders, as the rules, never read as links, and which add
    no directive). Otherwise nothing is kept, and the report runs the finders."""
    _HANDED.clear()
    run = _RUN.get()
    if run is None or not run.findings:
        return
    lines = [(name, config) for name, config in options_map.get("plugin", [])
             if name == "nhnfin" or name.startswith("nhnfin.")]
    if lines != [("nhnfin", config_str)]:
        return
    if not all(isinstance(e, data.Transaction) and GENERATED_TAG in e.tags
               for e in result[given:]):
        return
    _HANDED.append(_Handed(array("Q", map(id, result)), options_map, dict(run.findings)))


def handed_findings(entries: list[Any], options_map: dict[str, Any]) -> dict[str, list[Any]]:
    """The findings (by rule) that the plugin run of the load that gave ``entries`` and
    ``options_map`` left (:func:`hand_over`); none when these are not exactly that load's: the
    same options map (a load makes its own), and the entries the run returned, each once, none
    added, taken out or replaced since (Beancount only sorts them). Entries made after the load
    while those of the load are alive never share their addresses."""
    held = _HANDED[-1] if _HANDED else None
    if held is None or held.options_map is not options_map or len(held.ids) != len(entries):
        return {}
    if sorted(held.ids) != sorted(map(id, entries)):
        return {}
    return held.findings


def entries_of(entries: Iterable[Any], kind: type[T]) -> list[T]:
    """The entries of type ``kind`` (``data.Custom``, ``data.Open``), in their order. Within
    :func:`one_plugin_run` a list is read once per type, later only what was appended to it."""
    run = _RUN.get()
    if run is None or not isinstance(entries, list):
        return [e for e in entries if isinstance(e, kind)]
    return list(_held_of(run, entries, kind))


def _held_of(run: _Run, entries: list[Any], kind: type[T]) -> list[T]:
    """The run's own list of the entries of type ``kind`` in ``entries``, brought up to date
    (not to be changed)."""
    key = (id(entries), kind)
    held = run.kinds.get(key)
    if held is None or held[0] is not entries or held[2] > len(entries):
        held = (entries, [], 0)
    found = held[1]
    if held[2] < len(entries):
        found.extend(e for e in entries[held[2]:] if isinstance(e, kind))
    run.kinds[key] = (entries, found, len(entries))
    return found


def custom_directives(entries: list[Any]) -> list[data.Custom]:
    """The ``custom`` directives of ``entries``, in order (for :meth:`nhnfin.ledger.Ledger.derived`:
    one walk per loaded ledger)."""
    return entries_of(entries, data.Custom)


def shared(function: Callable[[list[Any]], T], entries: list[Any],
           kinds: tuple[type, ...] | None = None) -> T:
    """``function(entries)``; within :func:`one_plugin_run` computed once per list and length
    (the checks, which add no entries, share it), or, when ``function`` reads only the entries of
    ``kinds``, once per list and count of those entries (a rule that appends other entries keeps
    it valid: inside the run a list is only appended to). The result is shared: do not change
    it."""
    run = _RUN.get()
    if run is None:
        return function(entries)
    key = (function, id(entries))
    stamp: int | tuple[int, ...] = (
        len(entries) if kinds is None
        else tuple(len(_held_of(run, entries, kind)) for kind in kinds))
    held = run.derived.get(key)
    if held is None or held[0] is not entries or held[1] != stamp:
        held = run.derived[key] = (entries, stamp, function(entries))
    result: T = held[2]
    return result


def _wanted(entry_type: str, types: tuple[str, ...]) -> bool:
    return any(entry_type.startswith(t) if t.endswith("-") else entry_type == t for t in types)


def _location(entry: Any) -> tuple[str, int] | None:
    filename, lineno = entry.meta.get("filename"), entry.meta.get("lineno")
    if not isinstance(filename, str) or not isinstance(lineno, int):
        return None
    return filename, lineno


def repeated_meta_keys(entries: Iterable[Any], types: Iterable[str]) -> list[NhnfinError]:
    """An error at each ``custom`` directive of ``types`` whose metadata names a key twice.

    Beancount keeps only the last value of a key given twice on a directive, silently (it
    reports a repeated key on transactions only), so the directive's own lines are read again:
    the indented ``key: value`` lines right below it. A type ending in ``-`` is a prefix. Each
    file is read as a stream, once per call (once per :func:`one_plugin_run`).
    """
    wanted = tuple(types)
    entries = entries if isinstance(entries, list) else list(entries)
    customs = entries_of(entries, data.Custom)
    chosen_types = {t for t in {entry.type for entry in customs} if _wanted(t, wanted)}
    chosen = [
        (entry, place)
        for entry in customs
        if entry.type in chosen_types and (place := _location(entry)) is not None
    ]
    needed: dict[str, set[int]] = {}
    for _, (filename, lineno) in chosen:
        needed.setdefault(filename, set()).add(lineno)
    found = {name: _readings(name, lines, entries) for name, lines in needed.items()}
    errors: list[NhnfinError] = []
    for entry, (filename, lineno) in chosen:
        keys = found[filename]
        repeated = keys.get(lineno, []) if keys is not None else []
        if repeated:
            errors.append(NhnfinError(entry.meta, given_twice(
                f'custom "{entry.type}": metadata {", ".join(repeated)}')
                + " (bare den siste ville telle)", entry))
    return errors


def _readings(filename: str, linenos: set[int], entries: list[Any]) -> dict[int, list[str]] | None:
    """The repeated keys below each of ``linenos`` of ``filename``: from the shared reading when
    it has them all, else read now (for the directive lines of every ``custom`` of ``entries``
    in that file when the reading is shared)."""
    run = _RUN.get()
    if run is None:
        return _scan(filename, linenos)
    readings = run.readings
    known = readings.get(filename, {})
    if filename in readings and (known is None or linenos <= known.keys()):
        return known
    every = {
        place[1]
        for entry in entries_of(entries, data.Custom)
        if (place := _location(entry)) is not None and place[0] == filename
    }
    readings[filename] = _scan(filename, linenos | every)
    return readings[filename]


def _scan(filename: str, linenos: set[int]) -> dict[int, list[str]] | None:
    """For each of ``linenos`` (1-based, counted at ``\\n`` as Beancount counts them), the
    metadata keys written twice in the indented lines right below it (comment lines skipped);
    None when the file cannot be read. One pass over the file, line by line, as bytes (the keys
    are ASCII; bad UTF-8 elsewhere in the file is Beancount's own error); while no directive's
    metadata is being read, the lines up to the next of ``linenos`` are skipped unread, and
    the pass ends after the last one's metadata."""
    result: dict[int, list[str]] = {number: [] for number in linenos}
    wanted = iter(sorted(number for number in result if number >= 1))
    following = next(wanted, None)  # the next of linenos not yet read
    blocks: list[tuple[set[str], list[str]]] = []  # the directives whose metadata is being read
    number = 0  # the lines read so far
    try:
        with open(filename, "rb") as stream:
            while following is not None or blocks:
                if following is not None and not blocks and following - number > 1:
                    gap = following - number - 1
                    deque(islice(stream, gap), maxlen=0)
                    number += gap
                line = stream.readline()
                if not line:
                    break
                number += 1
                if blocks and not _COMMENT_LINE.match(line):
                    match = _META_LINE.match(line)
                    if match is None:
                        blocks.clear()
                    else:
                        _note_key(match.group(1).decode("ascii"), blocks)
                if number == following:
                    blocks.append((set(), result[number]))
                    following = next(wanted, None)
    except OSError:
        return None
    return result


def _note_key(key: str, blocks: list[tuple[set[str], list[str]]]) -> None:
    """Count one metadata line of each open block: a key seen before is repeated (once)."""
    for seen, repeated in blocks:
        if key in seen and key not in repeated:
            repeated.append(key)
        seen.add(key)


def import_target(target: str) -> Any:
    """The object a registry names as ``"module:attribute"``, imported when asked for (the note
    builders, the rules' finders, the pipeline's steps)."""
    module_name, _, attribute = target.partition(":")
    return getattr(import_module(module_name), attribute)
