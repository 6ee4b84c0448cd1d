"""What every command shares: the ledger argument and loading it with a one-line error."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import click
from beancount.core import data

from nhnfin.ledger import Ledger
from nhnfin.ledger import load
from nhnfin.progress import stage


def load_ledger(path: Path) -> Ledger:
    """Load ``path`` with progress on a terminal; Beancount's own failures (it raises on some
    malformed input instead of reporting it) become a one-line message, not a traceback."""
    try:
        with stage(f"loading {path}"):
            return load(path)
    except Exception as exc:  # the boundary to a third-party loader
        raise click.ClickException(
            f"{path}: Beancount could not load the ledger ({type(exc).__name__}: {exc})"
        ) from exc


def ledger_path(value: str) -> Path:
    """The ledger argument as a path that exists."""
    path = Path(value)
    if not path.is_file():
        raise click.ClickException(f"{value}: no such ledger file")
    return path


def posting_years(entries: Iterable[Any]) -> list[int]:
    """The years in which ``entries`` have a transaction, sorted."""
    return sorted({e.date.year for e in entries if isinstance(e, data.Transaction)})


def require_year(year: int, years: list[int]) -> None:
    """A one-line error when the ledger has nothing in ``year`` (rather than an empty table)."""
    if year not in years:
        raise click.ClickException(f"the ledger has no postings in {year} (it has {years})")
