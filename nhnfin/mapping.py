"""Check that every account lands on exactly one line of each statement (a Beancount plugin).

The report layout (:mod:`nhnfin.layout`) assigns accounts to statement lines by NS 4102 number.
An account that no line takes, or that two lines take, would make the statements silently wrong,
so it is an error at the account's ``open`` directive: bean-check and Fava show it there.

Enable it, and optionally point at a layout of your own (the default is NHN's published layout)::

    plugin "nhnfin.mapping"
    2024-01-01 custom "nhnfin-layout" "layouts/my-layout.toml"

A layout file that does not validate is an error at the ``custom`` directive's line.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from beancount.core import data

from nhnfin.accounts import account_number
from nhnfin.config import entries_of
from nhnfin.config import no_config
from nhnfin.config import posted_accounts
from nhnfin.config import shared
from nhnfin.errors import NhnfinError
from nhnfin.errors import printable_errors
from nhnfin.errors import pseudo_source
from nhnfin.errors import utf8_problem
from nhnfin.files import file_problem_words
from nhnfin.layout import Layout
from nhnfin.layout import LayoutError
from nhnfin.layout import StatementSpec
from nhnfin.layout import load_layout
from nhnfin.lock_guard import per_rule_line

__plugins__ = ("check_layout",)

LAYOUT_DIRECTIVE = "nhnfin-layout"


def layout_directive(entries: list[Any]) -> data.Custom | None:
    """The ledger's ``custom "nhnfin-layout"`` directive, if any (the last one wins)."""
    found = None
    for entry in entries_of(entries, data.Custom):
        if entry.type == LAYOUT_DIRECTIVE:
            found = entry
    return found


@functools.cache
def packaged_layout() -> Layout:
    """NHN's packaged layout, read and validated once per process: it is immutable data (a
    frozen model), and the report asks for it once per statement and note."""
    return load_layout()


def resolve_layout(entries: list[Any]) -> tuple[Layout | None, list[NhnfinError]]:
    """The layout the ledger asks for (or the packaged one), with any error locating it; within
    a plugin run read once for every check (:func:`nhnfin.config.shared`: it reads the custom
    directives alone)."""
    layout, errors = shared(_read_layout, entries, (data.Custom,))
    return layout, list(errors)


def _read_layout(entries: list[Any]) -> tuple[Layout | None, list[NhnfinError]]:
    directive = layout_directive(entries)
    if directive is None:
        return packaged_layout(), []
    values = [v.value for v in directive.values or []]
    if len(values) != 1 or not isinstance(values[0], str):
        message = 'custom "nhnfin-layout" tar én tekst: stien til en layout-fil (TOML)'
        return None, [NhnfinError(directive.meta, message, directive)]
    path = Path(values[0])
    if not path.is_absolute():
        path = Path(directive.meta.get("filename", ".")).parent / path
    try:
        return load_layout(path), []
    except OSError as exc:
        message = f"kan ikke lese layouten {path}: {file_problem_words(exc.strerror or str(exc))}"
    except UnicodeDecodeError as exc:
        line, problem = utf8_problem(exc)
        message = f"layouten {path}:{line} {problem}"
    except LayoutError as exc:
        kind = "gyldig TOML" if exc.syntax else "gyldig"
        message = f"layouten {path}:{exc.line} er ikke {kind}: {exc.problem}"
    return None, [NhnfinError(directive.meta, message, directive)]


def _in(ranges: Any, number: int) -> bool:
    return any(number in r for r in ranges)


Numbered = list[tuple[str, data.Open | None, int | None]]


def numbered_accounts(accounts: dict[str, data.Open | None]) -> Numbered:
    """The accounts in the order of their names, each with its Open and its NS 4102 number
    (None without one): read once for every statement's check."""
    return [(account, open_entry, account_number(account))
            for account, open_entry in sorted(accounts.items())]


def statement_errors(
    statement: StatementSpec, accounts: dict[str, data.Open | None],
    numbered: Numbered | None = None,
) -> list[NhnfinError]:
    """Accounts covered by ``statement`` that land on no line, or on more than one
    (``numbered``: :func:`numbered_accounts` of ``accounts``, read here when not given)."""
    errors: list[NhnfinError] = []
    lines = statement.coverage_lines()
    # per number, once: None when the statement does not cover it (or excludes it), else the
    # keys of the lines it lands on (many accounts share a number)
    keys_of: dict[int, list[str] | None] = {}
    rows = numbered_accounts(accounts) if numbered is None else numbered
    for account, open_entry, number in rows:
        if number is None:
            continue
        if number in keys_of:
            keys = keys_of[number]
        else:
            covered = _in(statement.covers, number) and not _in(statement.excluded, number)
            keys = keys_of[number] = (
                [line.key for line in lines if line.matches(number)] if covered else None)
        if keys is None or len(keys) == 1:
            continue
        source = open_entry.meta if open_entry else pseudo_source("mapping")
        if keys:
            message = (
                f"kontoen {account} ({number}) havner på {len(keys)} linjer i "
                f"{statement.title.lower()}: {', '.join(keys)}; den må havne på nøyaktig én"
            )
        else:
            message = (
                f"kontoen {account} ({number}) havner ikke på noen linje i "
                f"{statement.title.lower()}; legg nummeret til en linje i layouten"
            )
        errors.append(NhnfinError(source, message, open_entry))
    return errors


def unnumbered_errors(accounts: dict[str, data.Open | None],
                      numbered: Numbered | None = None) -> list[NhnfinError]:
    """Accounts without an NS 4102 number: no statement can place them (``numbered``:
    :func:`numbered_accounts` of ``accounts``, read here when not given)."""
    return [
        NhnfinError(
            open_entry.meta if open_entry else pseudo_source("mapping"),
            f"kontoen {account} har ikke noe NS 4102-nummer (skriv den for eksempel som "
            f"'Assets:1920-Bank'), så ingen linje i oppstillingene kan ta den",
            open_entry,
        )
        for account, open_entry, number in (
            numbered_accounts(accounts) if numbered is None else numbered)
        if number is None
    ]


def ledger_accounts(entries: list[Any]) -> dict[str, data.Open | None]:
    """Every account opened or posted to, with its Open directive (None if never opened)."""
    accounts: dict[str, data.Open | None] = {e.account: e for e in entries_of(entries, data.Open)}
    for account in posted_accounts(entries):  # in order of first posting
        if account not in accounts:
            accounts[account] = None
    return accounts


def missing_line_errors(layout: Layout, entries: list[Any]) -> list[NhnfinError]:
    """An error at the layout directive for each line a note or a tie-out reads that the layout
    does not have (:mod:`nhnfin.notes.requirements`)."""
    from nhnfin.notes.requirements import required_lines

    directive = layout_directive(entries)
    source = directive.meta if directive is not None else pseudo_source("mapping")
    present = {(s.key, line.key) for s in layout.statements for line in s.lines}
    titles: dict[str, str] = {s.key: s.title for s in layout.statements}
    errors = []
    for (statement, key), users in required_lines(entries).items():
        if (statement, key) not in present:
            where = titles.get(statement, statement)
            message = (f"layouten har ingen linje {key!r} i {where}: {', '.join(users)} "
                       "leser den; legg til linjen (se docs/chart-of-accounts.md)")
            errors.append(NhnfinError(source, message, directive))
    return errors


def mapping_errors(layout: Layout, entries: list[Any]) -> list[NhnfinError]:
    """All mapping problems of the ledger's accounts under ``layout``, and the lines the notes
    and tie-outs need that it lacks."""
    accounts = shared(ledger_accounts, entries)
    numbered = numbered_accounts(accounts)
    errors = missing_line_errors(layout, entries) + unnumbered_errors(accounts, numbered)
    for statement in layout.statements:
        errors.extend(statement_errors(statement, accounts, numbered))
    return errors


@printable_errors
def check_layout(
    entries: list[Any], options_map: dict[str, Any], config: str | None = None
) -> tuple[list[Any], list[NhnfinError]]:
    """Beancount plugin: report accounts the layout does not place exactly once."""
    refused = no_config("nhnfin.mapping", config)
    guard = per_rule_line(entries, options_map, ("nhnfin.mapping",))
    layout, errors = resolve_layout(entries)
    if layout is None:
        return entries, refused + errors + guard
    return entries, refused + mapping_errors(layout, entries) + guard
