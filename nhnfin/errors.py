"""Error records in Beancount's shape: ``(source, message, entry)``.

``source`` is the metadata of the directive at fault (its ``filename`` and ``lineno``), so
bean-check, Emacs and Fava show the error at that line. Plugins return these; they never raise
for bad input.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any
from typing import NamedTuple
from typing import TypeVar

from beancount.core import data

Plugin = TypeVar("Plugin", bound=Callable[..., tuple[list[Any], list[Any]]])


class NhnfinError(NamedTuple):
    """A problem in the ledger found by nhnfin, located at ``source`` (a directive's meta)."""

    source: dict[str, Any]
    message: str
    entry: Any


def pseudo_source(name: str) -> dict[str, Any]:
    """Meta for an error with no directive to point at (``<nhnfin.NAME>``, line 0)."""
    return data.new_metadata(f"<nhnfin.{name}>", 0)


def location(meta: dict[str, Any] | None) -> str:
    """``file:line`` of a directive's meta, for messages and provenance keys."""
    if not meta:
        return "<unknown>"
    return f"{meta.get('filename', '<unknown>')}:{meta.get('lineno', 0)}"


def printable(error: Any) -> Any:
    """``error`` as Beancount's printer can print it: a ``custom`` directive written without
    values (``custom "nhnfin-layout"``) is parsed with ``values`` None, and Beancount's
    ``printer.format_error`` raises on such an entry, so bean-check, Fava's error page and
    ``nhnfin report`` would show a traceback instead of the error. It is given an empty list."""
    entry = getattr(error, "entry", None)
    if isinstance(entry, data.Custom) and entry.values is None and hasattr(error, "_replace"):
        return error._replace(entry=entry._replace(values=[]))
    return error


def format_error(error: Any) -> str:
    """``file:line: message`` and the entry at fault, as Beancount prints a load error."""
    from beancount.parser import printer

    return str(printer.format_error(printable(error))).strip()


def printable_errors(plugin: Plugin) -> Plugin:
    """The Beancount plugin ``plugin`` with each error it returns :func:`printable`."""

    @functools.wraps(plugin)
    def wrapped(*args: Any, **kwargs: Any) -> tuple[list[Any], list[Any]]:
        entries, errors = plugin(*args, **kwargs)
        return entries, [printable(e) for e in errors]

    return wrapped  # type: ignore[return-value]


class ReportError(Exception):
    """The report cannot be built (the message says why and where)."""
