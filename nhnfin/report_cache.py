"""A cache of built reports, so a second `nhnfin report` on an unchanged ledger is fast.

Beancount's own cache keeps the parsed entries, but at a million postings unpickling them alone
takes many seconds. The report for a year is small, so nhnfin keeps it beside the ledger
(``.<ledger file>.nhnfin-<year>.cache``, like Beancount's ``.picklecache``) with what it was
built from: every file the ledger read (its includes), the layout and published files it named,
the nhnfin source files and the arguments. A cached report is used only when every one of those
files has the same size and modification time and the arguments are the same; otherwise the
report is built again and the cache rewritten. ``nhnfin report --no-cache`` skips it.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import nhnfin
from nhnfin.model import Report

Stamp = tuple[str, int, int]  # path, size, mtime in ns (size -1: missing)


@dataclass(frozen=True)
class CacheEntry:
    """A report and the stamps of everything it was built from."""

    key: tuple[str, ...]
    stamps: tuple[Stamp, ...]
    report: Report


def cache_path(ledger: Path, year: int) -> Path:
    """Where the report for ``year`` of ``ledger`` is cached."""
    return ledger.parent / f".{ledger.name}.nhnfin-{year}.cache"


def stamp(path: Path) -> Stamp:
    """Size and modification time of ``path`` (size -1 when it does not exist)."""
    try:
        info = path.stat()
    except OSError:
        return (str(path), -1, 0)
    return (str(path), info.st_size, info.st_mtime_ns)


def source_files() -> list[Path]:
    """nhnfin's own modules and data: a changed rule invalidates every cached report."""
    roots = [Path(p) for p in nhnfin.__path__]
    return sorted(f for root in roots for f in root.rglob("*") if f.suffix in (".py", ".toml"))


def stamps(files: Iterable[Path]) -> tuple[Stamp, ...]:
    """Stamps of ``files`` and of nhnfin's sources, in a stable order."""
    return tuple(stamp(p) for p in sorted({*map(Path, files), *source_files()}))


def read(ledger: Path, year: int, key: tuple[str, ...]) -> Report | None:
    """The cached report, if it was built with ``key`` from files that have not changed."""
    path = cache_path(ledger, year)
    try:
        with path.open("rb") as stream:
            entry = pickle.load(stream)  # our own file beside the ledger, as Beancount's cache
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return None
    if not isinstance(entry, CacheEntry) or entry.key != key:
        return None
    if entry.stamps != stamps(Path(s[0]) for s in entry.stamps):
        return None
    return entry.report


def write(ledger: Path, year: int, key: tuple[str, ...], files: Iterable[Path],
          report: Report) -> None:
    """Cache ``report``; a cache that cannot be written is simply not written."""
    path = cache_path(ledger, year)
    temporary = path.with_name(path.name + f".{os.getpid()}.tmp")
    try:
        with temporary.open("wb") as stream:
            pickle.dump(CacheEntry(key, stamps(files), report), stream)
        os.replace(temporary, path)
    except OSError:
        temporary.unlink(missing_ok=True)
