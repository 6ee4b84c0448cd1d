"""Plugin configuration strings: a Python dict literal, read safely and strictly.

``plugin "nhnfin" "{'assets': {'period': 'quarter'}}"``: the string is parsed with
:func:`ast.literal_eval` (never ``eval``), and a key given twice is an error rather than the last
one silently winning, as a plain ``literal_eval`` would let it. The same holds for the metadata of
the rules' ``custom`` directives (:func:`repeated_meta_keys`), and a plugin that takes no
configuration refuses one (:func:`no_config`) rather than ignoring it.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from collections.abc import Iterable
from importlib import import_module
from typing import Any

from beancount.core import data

from nhnfin.errors import NhnfinError
from nhnfin.errors import pseudo_source


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


def literal_dict(text: str | None) -> dict[str, Any]:
    """The dict a configuration string spells (``{}`` for none); :class:`ConfigError` otherwise."""
    if not text or not text.strip():
        return {}
    try:
        tree = ast.parse(text.strip(), mode="eval")
        value = ast.literal_eval(tree)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError) as exc:
        raise ConfigError(f"not a dict literal ({type(exc).__name__}: {exc})") from exc
    if not isinstance(value, dict):
        raise ConfigError("expected a dict such as {'period': 'month'}")
    repeated = _duplicate_keys(tree)
    if repeated:
        raise ConfigError(f"key given twice: {', '.join(repeated)}")
    return value


# One spelling of a booking period across every rule (``month``, ``quarter``, ``year``); the
# adjectives each rule once used are accepted as aliases.
PERIOD_ALIASES = {"month": "month", "monthly": "month", "quarter": "quarter",
                  "quarterly": "quarter", "year": "year", "yearly": "year", "annual": "year",
                  "annually": "year"}


def period_alias(internal: dict[str, str]) -> Callable[[Any], Any]:
    """A pydantic before-validator: any spelling of a period becomes the rule's own value
    (``internal`` maps ``month``/``quarter``/``year`` to it); other values pass on to be refused
    with the field's choices."""

    def convert(value: Any) -> Any:
        canonical = PERIOD_ALIASES.get(value) if isinstance(value, str) else None
        return internal[canonical] if canonical is not None else value

    return convert


def no_config(plugin: str, config: str | None) -> list[NhnfinError]:
    """An error when a plugin that takes no configuration is given a config string (it would
    be ignored silently); none otherwise. The error is at ``<nhnfin.NAME>`` (Beancount keeps no
    location for a ``plugin`` line)."""
    if config is None or not config.strip():
        return []
    return [NhnfinError(pseudo_source(plugin.removeprefix("nhnfin.")),
                        f"{plugin} takes no config string, got {config!r}", None)]


_META_LINE = re.compile(r"^[ \t]+([a-z][A-Za-z0-9_-]*):")
_COMMENT_LINE = re.compile(r"^[ \t]+;")


def repeated_meta_keys(entries: Iterable[Any], types: Iterable[str]) -> list[NhnfinError]:
    """An error at each ``custom`` directive of ``types`` whose metadata names a key twice.

    Beancount keeps only the last value of a key given twice on a directive, silently (it
    reports a repeated key on transactions only), so the directive's own lines are read again:
    the indented ``key: value`` lines right below it. A type ending in ``-`` is a prefix.
    """
    wanted = tuple(types)
    texts: dict[str, list[str] | None] = {}
    errors: list[NhnfinError] = []
    for entry in entries:
        if not isinstance(entry, data.Custom) or not any(
            entry.type.startswith(t) if t.endswith("-") else entry.type == t for t in wanted
        ):
            continue
        filename, lineno = entry.meta.get("filename"), entry.meta.get("lineno")
        if not isinstance(filename, str) or not isinstance(lineno, int):
            continue
        if filename not in texts:
            texts[filename] = _lines(filename)
        lines = texts[filename]
        if lines is None:
            continue
        repeated = _repeated(lines, lineno)
        if repeated:
            errors.append(NhnfinError(entry.meta, (
                f'custom "{entry.type}": metadata {", ".join(repeated)} given twice (only the '
                "last would count)"), entry))
    return errors


def _lines(filename: str) -> list[str] | None:
    try:
        with open(filename, encoding="utf-8") as stream:
            return stream.read().splitlines()
    except (OSError, UnicodeDecodeError):
        return None


def _repeated(lines: list[str], lineno: int) -> list[str]:
    """The metadata keys written twice in the lines below line ``lineno`` (1-based)."""
    seen: set[str] = set()
    repeated: list[str] = []
    for line in lines[lineno:]:
        if _COMMENT_LINE.match(line):
            continue
        match = _META_LINE.match(line)
        if match is None:
            break
        key = match.group(1)
        if key in seen and key not in repeated:
            repeated.append(key)
        seen.add(key)
    return repeated


def import_target(target: str) -> Any:
    """The object a registry names as ``"module:attribute"``, imported when asked for (the note
    builders, the rules' finders, the pipeline's steps)."""
    module_name, _, attribute = target.partition(":")
    return getattr(import_module(module_name), attribute)
