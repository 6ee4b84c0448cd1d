"""Period locks: entries in a closed period must not change without trace (a Beancount plugin).

Bokføringsloven and bokføringsforskriften: booked and documented entries of a closed
period may not be altered or removed; a correction is a new entry that shows what it corrects.
``nhnfin close`` ends a year by writing a lock directive::

    plugin "nhnfin.close.period_lock"        ; list it FIRST, before the other nhnfin plugins

    2024-12-31 custom "nhnfin-lock" "5f2c...e1"   ; SHA-256 of every entry up to 2024-12-31
      entries: 3412
      digests: "locks/2024-12-31.json"            ; per-entry digests (written by nhnfin close)
      locked-by: "kari"
      nhnfin-version: "0.1.0"

All entries dated up to and including the lock's date are locked. The digest covers the entries
the user wrote (see :mod:`nhnfin.close.digest`: canonical text, layout and include order do not
matter; generated entries and the lock directives themselves are left out). When the entries no
longer match, the plugin reports an error at the lock directive naming the period and the first
entry (by date) that differs::

    close-2024.beancount:7: locked period up to 2024-12-31 has changed since the lock: the entry
    at nhn/2024.beancount:57 (2024-01-31 transaction "Lønn januar" (1000.00 NOK)) was changed ...

An inserted or changed entry is named by its file:line; a deleted one by its description from
the sidecar. Corrections dated after the lock date pass. Without the sidecar (or if it was
altered) the change is still detected, but the entry cannot be named.

Plugin order: generated entries are excluded, so the check holds in any position as long as no
earlier plugin rewrites the user's entries; listing it first guarantees that.
"""

from __future__ import annotations

import datetime
import re
from collections import Counter
from pathlib import Path
from typing import Any
from typing import NamedTuple

from beancount.core import data

from nhnfin.close.digest import LockRecord
from nhnfin.close.digest import describe
from nhnfin.close.digest import entry_digest
from nhnfin.close.digest import is_lock
from nhnfin.close.digest import is_user_entry
from nhnfin.close.digest import read_sidecar
from nhnfin.close.digest import total_digest
from nhnfin.close.digest import where
from nhnfin.config import no_config

__plugins__ = ("check_locks",)

SIDECAR_META = "digests"
_HEX = re.compile(r"[0-9a-f]{64}")


class PeriodLockError(NamedTuple):
    """A locked period that changed, or a malformed lock directive (at the lock's line)."""

    source: dict[str, Any]
    message: str
    entry: Any


def lock_digest_value(entry: data.Custom) -> str | None:
    """The lock's SHA-256 (64 lowercase hex digits), or None when the directive is malformed."""
    values = [v.value for v in entry.values]
    if len(values) == 1 and isinstance(values[0], str) and _HEX.fullmatch(values[0]):
        return values[0]
    return None


def sidecar_path(entry: data.Custom) -> Path:
    """The lock's sidecar file (meta ``digests``, relative to the directive's file)."""
    name = entry.meta.get(SIDECAR_META) or f"locks/{entry.date.isoformat()}.json"
    path = Path(str(name))
    if not path.is_absolute():
        path = Path(str(entry.meta.get("filename", "."))).parent / path
    return path


def _differences(
    locked: list[LockRecord], current: list[tuple[Any, str]]
) -> tuple[list[Any], list[LockRecord]]:
    """Current entries not in the lock, and locked records no longer present (as multisets)."""
    extra = Counter(d for _, d in current)
    extra.subtract(r.sha256 for r in locked)
    added: list[Any] = []
    for entry, digest in current:
        if extra[digest] > 0:
            extra[digest] -= 1
            added.append(entry)
    missing = Counter({d: -n for d, n in extra.items() if n < 0})
    removed: list[LockRecord] = []
    for record in locked:
        if missing[record.sha256] > 0:
            missing[record.sha256] -= 1
            removed.append(record)
    return added, removed


def first_difference(locked: list[LockRecord], current: list[tuple[Any, str]]) -> str:
    """What differs first (by date): a changed, inserted or deleted entry, and how many differ."""
    added, removed = _differences(locked, current)
    added.sort(key=lambda e: (e.date, str(e.meta.get("filename")), e.meta.get("lineno", 0)))
    removed.sort(key=lambda r: (r.date, r.at))
    total = len(added) + len(removed)
    count = f"{total} difference{'' if total == 1 else 's'} in all"
    first_added = added[0] if added else None
    first_removed = removed[0] if removed else None
    added_first = first_removed is None or (
        first_added is not None and first_added.date <= first_removed.date
    )
    if first_added is not None and added_first:
        place = f"the entry at {where(first_added.meta)} ({describe(first_added)})"
        if first_removed is not None and first_removed.date == first_added.date:
            return (
                f"{place} was changed (locked version: {first_removed.what}, at "
                f"{first_removed.at} when locked); {count}"
            )
        return f"{place} was inserted after the lock; {count}"
    assert first_removed is not None
    return (
        f"the locked entry {first_removed.what} (at {first_removed.at} when locked) was "
        f"deleted; {count}"
    )


def check_lock(lock: data.Custom, current: list[tuple[Any, str]]) -> PeriodLockError | None:
    """Check one lock against the current entries (with their digests); None when they match."""
    expected = lock_digest_value(lock)
    if expected is None:
        message = (
            'custom "nhnfin-lock" takes one string: the SHA-256 (64 lowercase hex digits) of '
            "the locked entries, as written by nhnfin close"
        )
        return PeriodLockError(lock.meta, message, lock)
    mine = [(e, d) for e, d in current if e.date <= lock.date]
    if total_digest(d for _, d in mine) == expected:
        return None
    period = f"locked period up to {lock.date} has changed since the lock"
    hint = f"post corrections as new entries dated after {lock.date}"
    path = sidecar_path(lock)
    try:
        locked = read_sidecar(path)
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        message = (
            f"{period}, and its per-entry record {path} cannot be read ({reason}), so the "
            f"entry cannot be named; {hint}"
        )
        return PeriodLockError(lock.meta, message, lock)
    if total_digest(r.sha256 for r in locked) != expected:
        message = (
            f"{period}, and its per-entry record {path} does not match the lock's digest (it "
            f"was altered after the lock), so the entry cannot be named; {hint}"
        )
        return PeriodLockError(lock.meta, message, lock)
    return PeriodLockError(lock.meta, f"{period}: {first_difference(locked, mine)}; {hint}", lock)


def check_locks(
    entries: list[Any], options_map: dict[str, Any], config: str | None = None
) -> tuple[list[Any], list[PeriodLockError]]:
    """Beancount plugin: every ``nhnfin-lock`` must still match the entries up to its date."""
    del options_map
    refused: list[Any] = no_config("nhnfin.close.period_lock", config)
    locks = [e for e in entries if is_lock(e)]
    if not locks:
        return entries, refused
    last: datetime.date = max(lock.date for lock in locks)
    current = [(e, entry_digest(e)) for e in entries if e.date <= last and is_user_entry(e)]
    errors = [error for lock in locks if (error := check_lock(lock, current)) is not None]
    return entries, errors
