"""Error records in Beancount's shape: ``(source, message, entry)``.

``source`` is the metadata of the directive at fault (its ``filename`` and ``lineno``), so
bean-check, Emacs and Fava show the error at that line. Plugins return these; they never raise
for bad input.
"""

from __future__ import annotations

from typing import Any
from typing import NamedTuple

from beancount.core import data


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


class ReportError(Exception):
    """The report cannot be built (the message says why and where)."""
