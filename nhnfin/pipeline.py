"""``plugin "nhnfin"``: every rule the ledger uses, in the right order, in one plugin line.

The order is fixed by what each rule reads: the fixed-asset register books depreciation first;
the delivery obligation follows the same register; grants follow the assets' depreciation
(investment grants); e-health income follows cost; then the checks (cost-basis directives, the
account mapping, the notes' accounts and data, an imported document booked twice) and last the
period lock, which sees the books as every rule left them. A rule runs only when the ledger has
its directives, so a rule not in use costs one look at the entry types; the account mapping, the
import check and the period lock always run (the lock
also finds a lock record beside the ledger whose lock is gone). The rules add their entries
unsorted; the plugin returns the whole list in the loader's order (:func:`in_loader_order`),
which the loader's own sort after the plugin then finds already done (:class:`InLoaderOrder`).

One optional config dict, a section per rule (each section is what that rule's own plugin line
takes)::

    plugin "nhnfin" "{'assets': {'period': 'quarter'}, 'grants': {'period': 'yearly'}}"

The per-rule plugin lines (``nhnfin.assets``, ``nhnfin.assets.delivery_obligation``,
``nhnfin.grants``, ``nhnfin.ehealth``, ``nhnfin.mapping`` …) keep working for a ledger that wants
one rule only; a ledger names either ``nhnfin`` or those, not both.
"""

from __future__ import annotations

import gc
from bisect import bisect_right
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from beancount.core import data

from nhnfin import COLLECTOR_THRESHOLDS
from nhnfin.config import ConfigError
from nhnfin.config import entries_of
from nhnfin.config import hand_over
from nhnfin.config import import_target
from nhnfin.config import literal_dict
from nhnfin.config import no_config
from nhnfin.config import one_plugin_run
from nhnfin.config import posting_problems
from nhnfin.config import with_invoice
from nhnfin.errors import NhnfinError
from nhnfin.errors import error_key
from nhnfin.errors import pseudo_source
from nhnfin.lock_guard import bom_problems
from nhnfin.lock_guard import directive_problems
from nhnfin.lock_guard import may_be_locked
from nhnfin.lock_guard import watch_named_files
from nhnfin.provenance import imported_twice
from nhnfin.provenance import invoiced_twice

Generate = Callable[[list[Any], dict[str, Any], str | None], tuple[list[Any], list[Any]]]


@dataclass(frozen=True)
class Rule:
    """One step of the pipeline: its config section, the directives that switch it on (None:
    always) and the function that returns the entries it adds."""

    section: str
    directives: tuple[str, ...] | None
    run: Generate


def _delivery_obligation(entries: list[Any], options: dict[str, Any], config: str | None
                         ) -> tuple[list[Any], list[Any]]:
    from nhnfin.assets.delivery_obligation import generate
    from nhnfin.assets.directives import ASSET

    # the asset step reports the shared register's errors when the ledger declares assets
    has_assets = any(e.type == ASSET for e in entries_of(entries, data.Custom))
    return generate(entries, config, not has_assets)


def _rule(target: str) -> Generate:
    """A rule's ``generate`` (``"module:function"``) as a step, imported when it first runs."""

    def step(entries: list[Any], options: dict[str, Any], config: str | None
             ) -> tuple[list[Any], list[Any]]:
        added, errors = import_target(target)(entries, options, config)
        return list(added), list(errors)

    return step


def _check(target: str) -> Generate:
    """A check plugin (``"module:function"``) as a step: it adds no entries, only errors."""

    def step(entries: list[Any], options: dict[str, Any], config: str | None
             ) -> tuple[list[Any], list[Any]]:
        _, errors = import_target(target)(entries, options, config)
        return [], list(errors)

    return step


def _period_lock(entries: list[Any], options: dict[str, Any], config: str | None
                 ) -> tuple[list[Any], list[Any]]:
    """The period-lock check, imported only for a ledger it has anything to read in
    (:func:`may_be_locked`): it and the lock digest behind it are a large part of the code a
    load would import, and an unlocked ledger needs none of it."""
    if not may_be_locked(entries, options):
        return [], no_config("nhnfin.close.period_lock", config)
    return _check("nhnfin.close.period_lock:check_locks")(entries, options, config)


def _imported_twice(entries: list[Any], options: dict[str, Any], config: str | None
                    ) -> tuple[list[Any], list[Any]]:
    """The check that no imported document is booked twice (:func:`imported_twice`), nor an
    invoice (:func:`invoiced_twice`, of the transactions with an invoice number: the shared
    index lists them); its section takes no configuration."""
    return [], [*no_config("nhnfin.imports", config),
                *imported_twice(entries_of(entries, data.Transaction)),
                *invoiced_twice(with_invoice(entries))]


COST_BASIS = ("nhnfin-budget", "nhnfin-budget-version", "nhnfin-cost-element", "nhnfin-funding",
              "nhnfin-initiative", "nhnfin-investment-margin", "nhnfin-investment-plan",
              "nhnfin-ready-for-management", "nhnfin-volume")

RULES: tuple[Rule, ...] = (
    Rule("assets", ("nhnfin-asset",), _rule("nhnfin.assets.plugin:generate")),
    Rule("delivery_obligation", ("nhnfin-transfer", "nhnfin-schedule"), _delivery_obligation),
    Rule("grants", ("nhnfin-grant", "nhnfin-grant-award", "nhnfin-grant-repayment",
                    "nhnfin-grant-reallocation"), _rule("nhnfin.grants.plugin:generate")),
    Rule("ehealth", ("nhnfin-ehealth-",), _rule("nhnfin.ehealth.plugin:generate")),
    Rule("cost_basis", COST_BASIS, _check("nhnfin.cost_basis.directives:plugin")),
    Rule("mapping", None, _check("nhnfin.mapping:check_layout")),
    # the notes file the ledger names: its error, even when no check below reads it
    Rule("notes", ("nhnfin-notes",), _check("nhnfin.notes.layout:notes_layout_errors")),
    Rule("note_accounts", ("nhnfin-note-accounts",),
         _check("nhnfin.notes.note_accounts:check_note_accounts")),
    Rule("note_data", ("nhnfin-note-data",), _check("nhnfin.notes.note_data:check_note_data")),
    # always: one imported document booked twice (two import files both included)
    Rule("imports", None, _imported_twice),
    # always: a lock record beside a ledger that no longer locks its period is an error
    Rule("period_lock", None, _period_lock),
)
SECTIONS = tuple(rule.section for rule in RULES)


def custom_types(entries: list[Any]) -> set[str]:
    """The ``custom`` directive types in the ledger (one pass)."""
    return {e.type for e in entries_of(entries, data.Custom)}


def in_use(rule: Rule, types: set[str]) -> bool:
    """Whether the ledger has a directive that switches ``rule`` on (a trailing ``-`` is a
    prefix)."""
    if rule.directives is None:
        return True
    return any(
        (t.startswith(d) if d.endswith("-") else t == d) for d in rule.directives for t in types
    )


def read_sections(config_str: str | None) -> tuple[dict[str, Any], list[NhnfinError]]:
    """The config dict's sections, each a dict; errors for anything else."""
    try:
        config = literal_dict(config_str)
    except ConfigError as exc:
        return {}, [NhnfinError(pseudo_source("pipeline"),
                                f"ugyldig konfigurasjon av plugin \"nhnfin\" {config_str!r}: "
                                f"{exc}", None)]
    errors: list[NhnfinError] = []
    sections: dict[str, Any] = {}
    for name, section in config.items():
        if name not in SECTIONS:
            message = f"plugin \"nhnfin\": ukjent seksjon {name!r} (kjente: {', '.join(SECTIONS)})"
            errors.append(NhnfinError(pseudo_source("pipeline"), message, None))
        elif not isinstance(section, dict):
            errors.append(NhnfinError(pseudo_source("pipeline"),
                                      f"plugin \"nhnfin\": seksjonen {name!r} må være en "
                                      "dict", None))
        else:
            sections[name] = section
    return sections, errors


def doubled_lines(options_map: dict[str, Any]) -> list[NhnfinError]:
    """An error for each per-rule nhnfin plugin line beside ``plugin "nhnfin"``: that rule would
    run twice and book its entries twice."""
    names = [name for name, _ in options_map.get("plugin", [])]
    return [
        NhnfinError(pseudo_source("pipeline"),
                    f"plugin \"{name}\" er en del av plugin \"nhnfin\"; fjern en av de to linjene",
                    None)
        for name in names if name.startswith("nhnfin.")
    ]


@contextmanager
def few_collections() -> Iterator[None]:
    """Run the body with Python's collector at :data:`nhnfin.COLLECTOR_THRESHOLDS` (never lower
    than the caller's own), then give the caller's thresholds back (:func:`restore_later`): the
    rules allocate millions of objects and make no garbage cycles."""
    before = gc.get_threshold()
    tuned = tuple(max(a, b) for a, b in zip(before, COLLECTOR_THRESHOLDS, strict=True))
    gc.set_threshold(*tuned)
    try:
        yield
    finally:
        restore_later(before, tuned)


class _Restore:
    """The callback of :func:`restore_later`: at the first stop of a collection of generation 2,
    the thresholds ``before`` back (unless others were set meanwhile), and done."""

    def __init__(self, before: tuple[int, ...], meanwhile: tuple[int, ...]) -> None:
        self.before, self.meanwhile, self.done = before, meanwhile, False

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if self.done or phase != "stop" or info.get("generation", 0) < 2:
            return
        self.done = True
        if gc.get_threshold() == self.meanwhile:
            gc.set_threshold(*self.before)
        # CPython calls gc.callbacks by index: taking out one before the last would make the
        # next miss this collection's "stop"; a spent one not last goes at the next run
        if gc.callbacks and gc.callbacks[-1] is self:
            gc.callbacks.pop()


def restore_later(before: tuple[int, ...], tuned: tuple[int, ...]) -> None:
    """Put the thresholds ``before`` of the two young generations back now, and that of the
    oldest when the collector next collects it, unless someone set others meanwhile. The
    loader goes on right after the plugin (its pad and balance plugins, its validation) with
    young collections as frequent as the caller's, which are cheaper than nhnfin's rare ones
    (0.85 s against 0.36 s at 1 M, benchmarks/README.md); with the caller's threshold of the
    oldest generation back at once, what the rules and the next plugins made set off a
    collection of the whole ledger (3-8 s at 1 M) in the pad plugin."""
    gc.callbacks[:] = [c for c in gc.callbacks if not (isinstance(c, _Restore) and c.done)]
    meanwhile = (*before[:2], *tuned[2:])
    if gc.get_threshold() == tuned:
        gc.set_threshold(*meanwhile)
    if before != meanwhile:
        gc.callbacks.append(_Restore(before, meanwhile))


def run(
    entries: list[Any], options_map: dict[str, Any], config_str: str | None = None
) -> tuple[list[Any], list[Any]]:
    """The plugin: each rule in use adds its entries, and the whole list is returned in the
    loader's order (:func:`in_loader_order`), so the loader's sort after it is skipped. The
    rules' check of metadata keys given twice reads each ledger file once for all of them. The
    files the ledger names for nhnfin become inputs of the load (:func:`watch_named_files`), and
    the findings its rules made are kept for the report of this load
    (:func:`nhnfin.config.hand_over`)."""
    with few_collections(), one_plugin_run():
        watch_named_files(entries, options_map)
        result, errors = run_rules(entries, options_map, config_str)
        hand_over(result, len(entries), options_map, config_str)
        return in_loader_order(entries, result[len(entries):]), errors


def run_rules(
    entries: list[Any], options_map: dict[str, Any], config_str: str | None = None
) -> tuple[list[Any], list[Any]]:
    """Each rule in use, in order, on ``entries``: all entries and the errors."""
    sections, errors = read_sections(config_str)
    errors.extend(doubled_lines(options_map))
    result = list(entries)  # the list the rules extend: its posting index is the one walk
    errors.extend(directive_problems(result))  # per-rule lines: lock_guard.per_rule_line
    errors.extend(bom_problems(entries, options_map))
    types = custom_types(entries)
    for rule in RULES:
        if not in_use(rule, types) and rule.section not in sections:
            continue
        section = sections.get(rule.section)
        added, rule_errors = rule.run(result, options_map, repr(section) if section else None)
        result.extend(added)
        errors.extend(rule_errors)
    # a posting the report cannot sum in NOK (another currency, too large), the rules' too
    errors.extend(posting_problems(result))
    return result, once(errors)


def _out_of_order(name: str) -> Any:
    """``list``'s method ``name`` for :class:`InLoaderOrder`: it changes the list, so the list's
    next sort is done."""
    method = getattr(list, name)

    def changed(self: InLoaderOrder, *args: Any) -> Any:
        self.in_order = False
        return method(self, *args)

    changed.__name__ = name
    return changed


class InLoaderOrder(list[Any]):
    """A plugin's result already in the loader's order (:func:`in_loader_order`). Beancount's
    loader sorts what each plugin returns (``entries.sort(key=data.entry_sortkey)``, a key per
    entry: 0.4-0.6 s at 1 M postings, benchmarks/README.md); the first such sort of this list is
    skipped, as it would leave every entry where it is, unless the list was changed before it
    (every method that changes a list in place turns the skip off; later sorts are done)."""

    __slots__ = ("in_order",)

    def __init__(self, entries: Iterable[Any] = ()) -> None:
        super().__init__(entries)
        self.in_order = True

    def sort(self, *, key: Any = None, reverse: bool = False) -> None:
        if self.in_order and key is data.entry_sortkey and not reverse:
            self.in_order = False
            return
        self.in_order = False
        super().sort(key=key, reverse=reverse)

    append = _out_of_order("append")
    extend = _out_of_order("extend")
    insert = _out_of_order("insert")
    remove = _out_of_order("remove")
    pop = _out_of_order("pop")
    clear = _out_of_order("clear")
    reverse = _out_of_order("reverse")
    __setitem__ = _out_of_order("__setitem__")
    __delitem__ = _out_of_order("__delitem__")
    __iadd__ = _out_of_order("__iadd__")
    __imul__ = _out_of_order("__imul__")


def in_loader_order(entries: list[Any], added: list[Any]) -> InLoaderOrder:
    """``entries`` (in the loader's order, as the loader gives them to a plugin) with ``added``
    among them: the list ``sorted([*entries, *added], key=data.entry_sortkey)`` is (Python's
    sort is stable: an added entry comes after the given ones of an equal key, added ones of an
    equal key in the order they were added), made with a key for the added entries and for the
    given ones a binary search looks at, not one for every entry."""
    key = data.entry_sortkey
    merged = InLoaderOrder()
    grow = super(InLoaderOrder, merged).extend
    start = 0
    for entry in sorted(added, key=key):
        at = bisect_right(entries, key(entry), lo=start, key=key)
        grow(entries[start:at])
        grow((entry,))
        start = at
    grow(entries[start:])
    return merged


def once(errors: list[Any]) -> list[Any]:
    """``errors`` with an error that several steps report (the notes file's, which every check
    reading it meets) kept once: the same message at the same file and line."""
    seen: set[tuple[Any, Any, str]] = set()
    kept = []
    for error in errors:
        key = error_key(error)
        if key not in seen:
            seen.add(key)
            kept.append(error)
    return kept
