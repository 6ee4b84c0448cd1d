"""Period locks: nothing in a closed period changes without an error (a Beancount plugin).

Bokføringsloven and bokføringsforskriften: booked and documented entries of a closed period may
not be altered or removed; a correction is a new entry that shows what it corrects. ``nhnfin
close`` ends a year by writing a lock directive::

    2024-12-31 custom "nhnfin-lock" "5f2c...e1"   ; SHA-256 of every entry of the period
      entries: 3412
      files: "9a0b...77"                          ; the layout and published reports
      figures: "c1d2...08"                        ; every statement line and note cell of 2024
      texts: "7e4b...a1"                          ; every other text the 2024 report shows
      title: "Norsk helsenett SF"                 ; the report's title (option "title")
      options: "3b8f...c0"                        ; the options the figures are computed under
      digests: "locks/2024-12-31.json"            ; per-item digests (written by nhnfin close)
      locked-by: "kari"
      nhnfin-version: "0.1.0"

A lock after an earlier one (a chain: 2025 after 2024) also carries ``after: 2024-12-31`` and
``after-digest: "<the 2024 lock's digest>"``; it covers the entries dated after that lock, and
the earlier lock must stay in the ledger as it was.

The check runs last, after every rule has booked (the last step of ``plugin "nhnfin"``, or
``plugin "nhnfin.close.period_lock"`` as the last plugin line): it covers the entries the rules
generate as much as those the user wrote (see :mod:`nhnfin.close.digest`), and the files the
figures are read from. When they no longer match, the error is at the lock directive and names
the period and the first item (by date) that differs, by its file:line. The figures themselves
(c) are checked by ``nhnfin report``, ``nhnfin close`` and the Fava pages
(:mod:`nhnfin.close.figures`): building a report at every load would cost too much. So are the
texts (d, :mod:`nhnfin.close.texts`), but for the one text no digest of the inputs covers, the
title option, which every load compares with the lock's ``title:``, and the options Beancount
computes the figures under (:data:`nhnfin.close.digest.LOCKED_OPTIONS`), whose digest every load
compares with the lock's ``options:`` and, when it differs, names the option, its locked value
(from the record) and its value now. A lock written before options were recorded has no
``options:``; a changed option shows there as the entries it changes, as before. A lock
written before texts were locked has no ``texts:``; a ``custom "nhnfin-lock-texts"`` directive
of its date may lock them later (``nhnfin close --add-texts``)::

    2024-12-31 custom "nhnfin-lock-texts" "7e4b...a1"  ; the texts of the 2024 report
      lock: "5f2c...e1"                                ; the lock's digest
      title: "Norsk helsenett SF"
      digests: "locks/2024-12-31-texts.json"           ; the texts, one by one
"""

from __future__ import annotations

import datetime
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any
from typing import NamedTuple

from beancount.core import data

from nhnfin.close.digest import NAMES_NO_FILE
from nhnfin.close.digest import SIDECAR_LIMIT
from nhnfin.close.digest import FileRecord
from nhnfin.close.digest import LockRecord
from nhnfin.close.digest import Sidecar
from nhnfin.close.digest import check_regular
from nhnfin.close.digest import describe
from nhnfin.close.digest import describe_words
from nhnfin.close.digest import entry_digest
from nhnfin.close.digest import figure_files
from nhnfin.close.digest import files_digest
from nhnfin.close.digest import has_account_value
from nhnfin.close.digest import is_generated
from nhnfin.close.digest import is_lock
from nhnfin.close.digest import is_locked_entry
from nhnfin.close.digest import is_texts_lock
from nhnfin.close.digest import legacy_digest
from nhnfin.close.digest import locked_options
from nhnfin.close.digest import made_by_rule
from nhnfin.close.digest import metadata_text
from nhnfin.close.digest import options_digest
from nhnfin.close.digest import read_sidecar
from nhnfin.close.digest import total_digest
from nhnfin.close.digest import where
from nhnfin.config import entity_title
from nhnfin.config import entries_of
from nhnfin.config import no_config
from nhnfin.errors import location
from nhnfin.errors import printable_errors
from nhnfin.files import file_problem_words
from nhnfin.files import watch
from nhnfin.lock_guard import TEXTS_DIRECTIVE
from nhnfin.lock_guard import lock_check_problem
from nhnfin.lock_guard import records_folder
from nhnfin.model import norwegian_list

__plugins__ = ("check_locks",)

SIDECAR_META = "digests"
FILES_META = "files"
FIGURES_META = "figures"
AFTER_META = "after"
AFTER_DIGEST_META = "after-digest"
TEXTS_META = "texts"
TEXTS_LOCK_META = "lock"
TITLE_META = "title"
OPTIONS_META = "options"
ENTRIES_META = "entries"  # how many entries the lock covers, as nhnfin close counted them
ENTITY_ITEM = "tittel"  # nhnfin.close.texts' (not imported: the report's model)
_HEX = re.compile(r"[0-9a-f]{64}")


class PeriodLockError(NamedTuple):
    """A locked period that changed, or a malformed lock directive (at the lock's line)."""

    source: dict[str, Any]
    message: str
    entry: Any


def _hex(value: Any) -> str | None:
    return value if isinstance(value, str) and _HEX.fullmatch(value) else None


def lock_digest_value(entry: data.Custom) -> str | None:
    """The lock's SHA-256 (64 lowercase hex digits), or None when the directive is malformed."""
    values = [v.value for v in entry.values or []]
    return _hex(values[0]) if len(values) == 1 else None


def sidecar_path(entry: data.Custom) -> Path:
    """The lock's sidecar file (meta ``digests``, relative to the directive's file; an
    ``nhnfin-lock-texts`` directive's ``locks/YYYY-MM-DD-texts.json`` by default)."""
    default = "-texts" if is_texts_lock(entry) else ""
    name = entry.meta.get(SIDECAR_META) or f"locks/{entry.date.isoformat()}{default}.json"
    path = Path(str(name))
    if not path.is_absolute():
        path = Path(str(entry.meta.get("filename", "."))).parent / path
    return path


ROLE_WORDS = {"layout": "oppsettsfilen", "notes-layout": "noteoppsettet",
              "published": "den publiserte rapporten", "note-text": "noteteksten"}
"""A file record's role (data in the lock's record, kept as written) in the words of a message."""


def problem_words(file: FileRecord) -> str:
    """A file record's problem for people, from its data: the problem itself is digested as
    written (so kept in the record's words) and never read back."""
    if file.problem == NAMES_NO_FILE:
        return "oppgir ingen fil"
    if file.problem:
        return f"kan ikke leses ({file_problem_words(file.reason)})"
    return ""


def malformed(lock: data.Custom) -> str | None:
    """What is wrong with a lock directive's form, or None."""
    if lock_digest_value(lock) is None:
        return ('custom "nhnfin-lock" tar én streng: SHA-256 (64 heksadesimale tegn, små '
                "bokstaver) av de låste postene, slik nhnfin close skriver den")
    if _hex(lock.meta.get(FILES_META)) is None or _hex(lock.meta.get(FIGURES_META)) is None:
        return ('custom "nhnfin-lock" mangler digestene files: og figures: (en lås skrevet før '
                "nhnfin-lock/2, som utelot genererte poster, oppsettet og tallene): åpne året "
                "igjen og lukk det på nytt (docs/year-end-close.md)")
    name = lock.meta.get(SIDECAR_META)
    if name is not None and (not isinstance(name, str) or not name):
        return "låsens digests: må være en streng: stien til registerfilen"
    after = lock.meta.get(AFTER_META)
    if after is not None and (not isinstance(after, datetime.date) or after >= lock.date
                              or _hex(lock.meta.get(AFTER_DIGEST_META)) is None):
        return ("låsens after: må være datoen til låsen før den (tidligere enn dens egen dato), "
                "med after-digest: den låsens SHA-256")
    return _texts_malformed(lock)


def _texts_malformed(lock: data.Custom) -> str | None:
    """What is wrong with a lock's ``texts:`` and ``title:``, or None (a lock written before
    texts were locked has neither)."""
    if OPTIONS_META in lock.meta and _hex(lock.meta[OPTIONS_META]) is None:
        return ("låsens options: må være SHA-256 (64 heksadesimale tegn, små bokstaver) av "
                "optionene tallene er regnet ut med")
    if TEXTS_META in lock.meta and _hex(lock.meta[TEXTS_META]) is None:
        return "låsens texts: må være SHA-256 (64 heksadesimale tegn, små bokstaver) av tekstene"
    if TITLE_META in lock.meta and not isinstance(lock.meta[TITLE_META], str):
        return 'låsens title: må være en streng: rapportens tittel (option "title")'
    if TEXTS_META in lock.meta and TITLE_META not in lock.meta:
        # nhnfin close writes both; without title: no load would compare the title option
        return ('låsen har texts:, men ingen title: (rapportens tittel da året ble låst, som '
                'hver lasting sammenligner med option "title"): title: er fjernet fra låsen')
    return None


@dataclass(frozen=True)
class LockedTexts:
    """A lock's texts: their digest, the record that lists them, and the directive that gives
    the digest (the lock's ``texts:``, or an ``nhnfin-lock-texts`` directive for a lock written
    without it)."""

    digest: str
    record: Path
    directive: data.Custom


def locked_texts(lock: data.Custom, extensions: list[data.Custom]) -> LockedTexts | None:
    """The texts ``lock`` locks, or None: a lock written before texts were locked, and not
    extended by an ``nhnfin-lock-texts`` directive of its date and digest."""
    if isinstance(lock.meta.get(TEXTS_META), str):
        return LockedTexts(lock.meta[TEXTS_META], sidecar_path(lock), lock)
    for extension in extensions:
        digest = lock_digest_value(extension)
        if (digest is not None and extension.date == lock.date
                and extension.meta.get(TEXTS_LOCK_META) == lock_digest_value(lock)):
            return LockedTexts(digest, sidecar_path(extension), extension)
    return None


def extension_errors(extensions: list[data.Custom], locks: list[data.Custom]
                     ) -> list[PeriodLockError]:
    """An error at each ``nhnfin-lock-texts`` directive that locks no lock's texts: malformed,
    of no lock of the ledger (its lock is gone or was written again), or of a lock that has its
    texts already."""
    errors = []
    seen: set[datetime.date] = set()
    for extension in extensions:
        period = f"tekstene til låst periode til og med {extension.date}"
        owner = next((lock for lock in locks if lock.date == extension.date), None)
        if lock_digest_value(extension) is None or _hex(
                extension.meta.get(TEXTS_LOCK_META)) is None:
            message = (f'custom "{TEXTS_DIRECTIVE}" tar én streng: SHA-256 av tekstene, med '
                       "lock: låsens SHA-256, slik nhnfin close --add-texts skriver den")
        elif owner is None or extension.meta[TEXTS_LOCK_META] != lock_digest_value(owner):
            message = (f"{period} hører til en lås som ikke er i regnskapet (låsens SHA-256 "
                       f"{extension.meta[TEXTS_LOCK_META]}), så tekstene kontrolleres ikke")
        elif TEXTS_META in owner.meta or extension.date in seen:
            message = (f"{period} er låst allerede (ved {location(owner.meta)}"
                       f"{'' if TEXTS_META in owner.meta else ' og et annet ' + TEXTS_DIRECTIVE})"
                       "; fjern dette direktivet")
        else:
            seen.add(extension.date)
            continue
        errors.append(PeriodLockError(extension.meta, message, extension))
    return errors


def title_problem(texts: LockedTexts, options_map: dict[str, Any]) -> str | None:
    """The report's title (``option "title"``) when it is not the one the lock's ``title:``
    recorded (None: it is, or the directive records none). The one text of the report no
    entry or file of the lock covers, so every load compares it, without reading the record."""
    recorded = texts.directive.meta.get(TITLE_META)
    now = entity_title(options_map)
    if not isinstance(recorded, str) or recorded == now:
        return None
    return (f'teksten {ENTITY_ITEM} (option "title") er «{now}», men var «{recorded}» da '
            "året ble låst; den står i den låste rapporten")


def _differences(
    locked: tuple[LockRecord, ...], current: list[tuple[Any, str]]
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


def _generated_place(entry: Any) -> str:
    kind = "den genererte posten laget fra" if is_generated(entry) else "posten på"
    return f"{kind} {where(entry.meta)} ({describe_words(describe(entry))})"


def difference_count(added: int, removed: int) -> str:
    """How many entries differ. A changed entry is one the lock does not have and one the books
    no longer have, so it counts twice: with both kinds the count says how many of each."""
    total = added + removed
    count = f"{total} forskjell{'' if total == 1 else 'er'} i alt"
    if not (added and removed):
        return count
    def entries(n: int) -> str:
        return f"{n} post{'' if n == 1 else 'er'}"
    return (f"{count} ({entries(added)} som låsen ikke har, {entries(removed)} fra låsen som "
            "regnskapet ikke lenger har)")


DERIVED_HINT = (
    ": dato, tekst og beløp er som da den ble låst, så er heller ikke kontoene eller "
    "metadataene endret, er forskjellen i det Beancount regner ut av den (et beløp den fyller "
    "inn, toleransen): se om en option i hovedfilen er endret siden låsen, som option "
    '"inferred_tolerance_default", "infer_tolerance_from_cost" eller "booking_method"'
)


def _derived_hint(entry: Any, record: LockRecord) -> str:
    """The likely cause when a changed entry's description (:func:`describe`: its date, text
    and amount) is what it was when it was locked: an account or metadata changed, which the
    description does not show, or else what Beancount derives from it under the options (round
    twelve's probe: `option "inferred_tolerance_default" "NOK:1000"` made an auto-posting's
    -400000.00 into -400000 and its tolerance 1000; the error showed the same entry twice,
    naming no cause). The record keeps only the description, so the hint names both."""
    if describe(entry) != record.what:
        return ""
    if isinstance(entry, data.Transaction):
        return DERIVED_HINT
    # what Beancount derives under the options is a transaction's (a filled-in amount, the
    # tolerance); any other entry's description shows all of it but its metadata (and an open's
    # currencies and booking method), so that is what changed (round fourteen: a transfer's
    # months: 36 made 48 was sent to the options)
    changed = ("valutaene, bokføringsmetoden eller metadataene" if isinstance(entry, data.Open)
               else "metadataene")
    return (f": dato og verdier er som da den ble låst, så er {changed} endret "
            f"(nå: {metadata_text(entry)})")


def first_difference(locked: tuple[LockRecord, ...], current: list[tuple[Any, str]]) -> str:
    """What differs first (by date): a changed, inserted or deleted entry, and how many differ."""
    added, removed = _differences(locked, current)
    added.sort(key=lambda e: (e.date, str(e.meta.get("filename")), e.meta.get("lineno", 0)))
    removed.sort(key=lambda r: (r.date, r.at))
    count = difference_count(len(added), len(removed))
    first_added = added[0] if added else None
    first_removed = removed[0] if removed else None
    added_first = first_removed is None or (
        first_added is not None and first_added.date <= first_removed.date
    )
    if first_added is not None and added_first:
        place = _generated_place(first_added)
        if first_removed is not None and first_removed.date == first_added.date:
            return (
                f"{place} er endret (låst versjon: {describe_words(first_removed.what)}, på "
                f"{first_removed.at} da den ble låst){_derived_hint(first_added, first_removed)}"
                f"; {count}"
            )
        return f"{place} er satt inn etter låsen; {count}"
    assert first_removed is not None
    return (
        f"den låste posten {describe_words(first_removed.what)} (på {first_removed.at} da den "
        f"ble låst) er slettet; {count}"
    )


def _plugins_now(options_map: dict[str, Any]) -> tuple[tuple[str, str | None], ...]:
    return tuple((str(n), None if c is None else str(c)) for n, c in options_map.get("plugin", []))


def _config_hint(sidecar: Sidecar, options_map: dict[str, Any]) -> str:
    now = _plugins_now(options_map)
    if now == sidecar.plugins:
        return ""
    def show(plugins: tuple[tuple[str, str | None], ...]) -> str:
        return ", ".join(f'plugin "{n}"' + (f' "{c}"' if c else "") for n, c in plugins) or "ingen"
    top = options_map.get("filename", "hovedfilen")
    return (f"; plugin-linjene i {top} er endret: {show(now)} (da den ble låst: "
            f"{show(sidecar.plugins)})")


def _entries_message(lock: data.Custom, sidecar: Sidecar | str, mine: list[tuple[Any, str]],
                     options_map: dict[str, Any], later: list[Any]) -> str:
    expected = lock_digest_value(lock)
    path = sidecar_path(lock)
    if isinstance(sidecar, str):
        return (f"registeret {path} kan ikke leses ({sidecar}), så posten kan ikke navngis")
    recorded = total_digest(r.sha256 for r in sidecar.entries)
    if recorded != sidecar.digest:
        return (f"registeret {path} er endret etter låsen (postene stemmer ikke lenger med "
                "digesten), så posten kan ikke navngis")
    if sidecar.digest != expected:
        if recorded == total_digest(d for _, d in mine):
            return (f"låsedirektivets digest på {location(lock.meta)} er endret: postene "
                    f"stemmer med registeret {path}")
        return (f"låsedirektivet på {location(lock.meta)} og registeret {path} stemmer ikke "
                "overens (ett av dem er endret), så posten kan ikke navngis")
    current = _as_recorded(sidecar, mine)
    added, removed = _differences(sidecar.entries, current)
    by_hand = (any(not is_generated(e) for e in added)
               or not all(made_by_rule(r.what) for r in removed))
    return (first_difference(sidecar.entries, current)
            + _config_hint(sidecar, options_map)
            + ("" if by_hand else _later_hint(lock, later)))


def later_directives(entries: list[Any], lock_date: datetime.date) -> list[Any]:
    """The nhnfin directives dated after ``lock_date`` (a rule must not let them act on the
    locked period; if one does, it is the likely cause)."""
    return [e for e in entries_of(entries, data.Custom) if e.date > lock_date
            and e.type.startswith("nhnfin-") and not is_lock(e)]


def _later_hint(lock: data.Custom, later: list[Any]) -> str:
    """The nhnfin directives dated after the lock, named as a possible cause. The lock's message
    gives it only when every difference is an entry a rule made: a posting or directive added,
    changed or deleted by hand in the period is the cause, and the later directives have nothing
    to do with it."""
    if not later:
        return ""
    places = ", ".join(f'{where(e.meta)} (custom "{e.type}")' for e in later[:3])
    more = f" og {len(later) - 3} til" if len(later) > 3 else ""
    return (f"; nhnfin-direktiver datert etter {lock.date}, og ett av dem kan virke på perioden: "
            f"{places}{more}")


MANY_ROLES = frozenset({"published", "note-text"})
"""The file roles a ledger may have any number of (the layouts are one each)."""


def _named(files: Iterable[FileRecord]) -> set[tuple[str, str]]:
    """The (role, file) of each record, and of each record its (role, name) besides: a record
    written before the file was kept apart is matched by its whole name (never parsed)."""
    return {(f.role, f.file) for f in files if f.file} | {(f.role, f.name) for f in files}


def _files_message(lock: data.Custom, sidecar: Sidecar | str, files: list[FileRecord]) -> str:
    path = sidecar_path(lock)
    if isinstance(sidecar, str):
        names = ", ".join(f.name for f in files)
        return f"en av {names} er endret; registeret {path} kan ikke leses ({sidecar})"
    if files_digest(sidecar.files) != sidecar.files_digest:
        return f"en fil er endret, og registeret {path} er endret etter låsen"
    if files_digest(files) == sidecar.files_digest:
        return (f"låsedirektivets files:-digest på {location(lock.meta)} er endret: filene "
                f"stemmer med registeret {path}")
    then = {(f.role, f.sha256) for f in sidecar.files}
    named_then = _named(sidecar.files)
    for file in files:
        if (file.role, file.sha256) not in then:
            # a note text or published report the lock did not read is new; the layouts are
            # one each, always read, so theirs is a change
            new = file.role in MANY_ROLES and not _named([file]) & named_then
            how = problem_words(file) or (
                "er tatt i bruk etter låsen" if new else "er endret siden låsen")
            return f"{ROLE_WORDS.get(file.role, file.role)} {file.name} {how}"
    now = {(f.role, f.sha256) for f in files}
    gone = [f for f in sidecar.files if (f.role, f.sha256) not in now]
    if not gone:
        return "en fil er endret"
    return f"{ROLE_WORDS.get(gone[0].role, gone[0].role)} {gone[0].name} brukes ikke lenger"


def _shown(value: str) -> str:
    """An option's value in a message: «FIFO», or ``ikke satt``."""
    return f"«{value}»" if value else "ikke satt"


def _options_message(lock: data.Custom, sidecar: Sidecar | str, options_map: dict[str, Any]
                     ) -> str:
    """Which option the figures are computed under is not what it was when the year was locked
    (the lock's ``options:`` differs from the options now): each such option, its value now and
    its locked value (from the record), and what to do."""
    path = sidecar_path(lock)
    now = locked_options(options_map)
    names = ", ".join(f'"{n}"' for n, _ in now)
    if isinstance(sidecar, str) or sidecar.options is None:
        why = (f"kan ikke leses ({sidecar})" if isinstance(sidecar, str)
               else "har ingen options")
        return (f"en option som de låste tallene er regnet ut med ({names}) er endret, og "
                f"registeret {path} {why}, så den kan ikke navngis")
    if options_digest(sidecar.options) != lock.meta[OPTIONS_META]:
        if options_digest(sidecar.options) == options_digest(now):
            return (f"låsedirektivets options:-digest på {location(lock.meta)} er endret: "
                    f"optionene stemmer med registeret {path}")
        return (f"låsedirektivet på {location(lock.meta)} og registeret {path} stemmer ikke "
                "overens om optionene (ett av dem er endret), så optionen kan ikke navngis")
    then = dict(sidecar.options)
    top = options_map.get("filename") or "hovedfilen"
    changed = [(n, v, then.get(n, "")) for n, v in now if v != then.get(n, "")]
    said = "; ".join(f'option "{n}" er {_shown(v)}, men var {_shown(old)} da året ble låst'
                     for n, v, old in changed)
    back = "; ".join(
        f'option "{n}" "{old}"' if old else f'fjern option "{n}"' for n, _, old in changed)
    value, it = ("verdien", "den") if len(changed) == 1 else ("verdiene", "dem")
    return (f"{said}; de låste tallene er regnet ut med {value} fra da året ble låst: sett "
            f"{it} tilbake i {top} ({back}), eller åpne året igjen (docs/year-end-close.md)")


def _read(lock: data.Custom) -> Sidecar | str:
    try:
        return read_sidecar(sidecar_path(lock))
    except OSError as exc:
        return file_problem_words(exc.strerror or str(exc))
    except ValueError as exc:  # a file's problem in the words it is kept in, or nhnfin's own
        return file_problem_words(str(exc))


def _as_recorded(sidecar: Sidecar, mine: list[tuple[Any, str]]) -> list[tuple[Any, str]]:
    """``mine`` with an unchanged account-valued directive digested as the record has it (a
    record written before account values were digested as text), so it is not named."""
    recorded = {r.sha256 for r in sidecar.entries}

    def digest(entry: Any, current: str) -> str:
        if current in recorded or not has_account_value(entry):
            return current
        legacy = legacy_digest(entry)
        return legacy if legacy in recorded else current
    return [(e, digest(e, d)) for e, d in mine]


def _legacy_match(lock: data.Custom, mine: list[tuple[Any, str]]) -> bool:
    """Whether the period matches a lock written before account values were digested as text
    (:func:`nhnfin.close.digest.legacy_digest`): such a lock holds while nothing changed."""
    if not any(has_account_value(e) for e, _ in mine):
        return False
    legacy = (legacy_digest(e) if has_account_value(e) else d for e, d in mine)
    return total_digest(legacy) == lock_digest_value(lock)


def check_lock(
    lock: data.Custom, previous: data.Custom | None, current: list[tuple[Any, str]],
    files: list[FileRecord], options_map: dict[str, Any], entries: list[Any],
) -> PeriodLockError | None:
    """Check one lock against the entries of its period and the files; None when they match."""
    problem = malformed(lock)
    if problem is not None:
        return PeriodLockError(lock.meta, problem, lock)
    period = f"låst periode til og med {lock.date}"
    after = lock.meta.get(AFTER_META)
    if after is not None and (previous is None or previous.date != after
                              or lock_digest_value(previous) != lock.meta[AFTER_DIGEST_META]):
        message = (f"{period} følger låsen til og med {after}, som ikke lenger er i regnskapet "
                   "slik den ble låst; gjenopprett den (årsavslutningsfilen og registeret)")
        return PeriodLockError(lock.meta, message, lock)
    record = sidecar_path(lock)
    unusable = check_regular(record, SIDECAR_LIMIT) if record.exists() or record.is_symlink() \
        else None
    error = (PeriodLockError(lock.meta, f"{period}: registeret {record} avvises: "
                                        f"{file_problem_words(unusable)}", lock)
             if unusable is not None else _options_error(lock, options_map, period))
    if error is not None:
        return error
    start = after if after is not None else (previous.date if previous is not None else None)
    mine = [(e, d) for e, d in current if (start is None or e.date > start) and e.date <= lock.date]
    hint = f"før rettelser som nye poster datert etter {lock.date}"
    same = total_digest(d for _, d in mine) == lock_digest_value(lock)
    if not same and not _legacy_match(lock, mine):
        message = _entries_message(lock, _read(lock), mine, options_map,
                                   later_directives(entries, lock.date))
        return PeriodLockError(lock.meta, f"{period} er endret siden låsen: {message}; "
                                          f"{hint}", lock)
    if files_digest(files) != lock.meta[FILES_META]:
        message = _files_message(lock, _read(lock), files)
        return PeriodLockError(lock.meta, f"{period} er endret siden låsen: {message}; "
                                          "de låste tallene leses fra den", lock)
    return _count_error(lock, len(mine), period) if same else None


def _options_error(lock: data.Custom, options_map: dict[str, Any], period: str
                   ) -> PeriodLockError | None:
    """An error when an option the lock's figures are computed under is not what the lock's
    ``options:`` recorded (None: it is, or the lock records no options)."""
    if OPTIONS_META not in lock.meta or (
            options_digest(locked_options(options_map)) == lock.meta[OPTIONS_META]):
        return None
    message = _options_message(lock, _read(lock), options_map)
    return PeriodLockError(lock.meta, f"{period} er endret siden låsen: {message}", lock)


def _count_error(lock: data.Custom, covered: int, period: str) -> PeriodLockError | None:
    """An error when the lock's ``entries:`` is not the number of entries it covers, which
    match its digest (None: it is, or the lock has no ``entries:``): the count was edited."""
    count = lock.meta.get(ENTRIES_META)
    if count is None or (not isinstance(count, bool) and count == covered):
        return None
    shown = count if isinstance(count, Decimal) else repr(count)
    return PeriodLockError(lock.meta, (
        f"{period}: låsens {ENTRIES_META}: er {shown}, men låsen dekker {covered} poster (de "
        f"stemmer med låsens digest): {ENTRIES_META}: er endret etter låsen"), lock)


_RECORD_NAME = re.compile(r"(\d{4}-\d{2}-\d{2})\.json")


def _record_date(path: Path) -> datetime.date | None:
    """The period a lock record is named after (``locks/YYYY-MM-DD.json``), or None."""
    match = _RECORD_NAME.fullmatch(path.name)
    try:
        return datetime.date.fromisoformat(match.group(1)) if match else None
    except ValueError:
        return None


def files_of_another_ledger(record: Path, read: set[Path]) -> list[str]:
    """The files the entries of the lock record ``record`` (in ``locks/``) were locked at, when
    the ledger reads not one of them (``read``: the files it loaded): the record is another
    ledger's, in the same folder. Empty when the ledger reads one of them, or the record cannot
    be read (then it is taken as this ledger's, whose lock is gone)."""
    try:
        entries = read_sidecar(record).entries
    except (OSError, ValueError):
        return []
    base = record.parent.parent  # the records name files from the close file's folder
    names = sorted({r.at.rsplit(":", 1)[0] for r in entries if ":" in r.at})
    if not names or any((base / name).absolute() in read for name in names):
        return []
    return names


def records_without_lock(options_map: dict[str, Any], locks: list[data.Custom]
                         ) -> list[PeriodLockError]:
    """An error for each lock record beside the ledger (``locks/YYYY-MM-DD.json``, where
    ``nhnfin close`` writes it) whose period no ``nhnfin-lock`` of the ledger locks: the lock is
    gone (the ``include`` of its close file removed, or the directive deleted), and with it the
    check of that period. Reopening a year is done in the open: the record is moved out of
    ``locks/`` too (docs/year-end-close.md)."""
    folder = records_folder(options_map)
    if folder is None:
        return []
    try:
        names = sorted(folder.glob("*.json")) if folder.is_dir() else []
    except OSError:
        return []
    locked = {lock.date for lock in locks}
    read = {Path(str(f)).absolute() for f in options_map.get("include", [])}
    errors = []
    for path in names:
        day = _record_date(path)
        if day is None or day in locked:
            continue
        elsewhere = files_of_another_ledger(path, read)
        if elsewhere:
            message = (
                f"låst periode til og med {day} har ingen lås i dette regnskapet: låseposten "
                f"{path} hører til et annet regnskap (postene den låser, står i "
                f"{norwegian_list(elsewhere)}, som regnskapet ikke leser); et regnskap leser "
                "låsepostene i locks/ ved siden av hovedfilen som sine, så to regnskaper kan "
                "ikke dele mappe når ett av dem er låst: flytt regnskapet (eller det andre) til "
                "en egen mappe (docs/year-end-close.md)")
            errors.append(PeriodLockError({"filename": str(path), "lineno": 1}, message, None))
            continue
        message = (f"låst periode til og med {day} har ikke lenger noen lås: låseposten "
                   f"{path} står der, men hovedboken har ingen custom \"nhnfin-lock\" for "
                   f"{day} (er include av avslutningsfilen fjernet, eller ikke lagt til "
                   "ennå?), så endringer i perioden kontrolleres ikke; skal året åpnes igjen, "
                   "flytt låseposten ut av locks/ (docs/year-end-close.md)")
        errors.append(PeriodLockError({"filename": str(path), "lineno": 1}, message, None))
    return errors


@printable_errors
def check_locks(
    entries: list[Any], options_map: dict[str, Any], config: str | None = None
) -> tuple[list[Any], list[PeriodLockError]]:
    """Beancount plugin: every ``nhnfin-lock`` must still match its period's entries and files."""
    errors: list[Any] = no_config("nhnfin.close.period_lock", config)
    # every load runs this step: the run's index of custom directives, not a walk of the ledger
    customs = entries_of(entries, data.Custom)
    locks = sorted((e for e in customs if is_lock(e)), key=lambda e: e.date)
    extensions = [e for e in customs if is_texts_lock(e)]
    errors.extend(records_without_lock(options_map, locks))
    errors.extend(extension_errors(extensions, locks))
    if not locks:
        return entries, errors
    problem = lock_check_problem(options_map)
    if problem is not None:
        errors.extend(PeriodLockError(lock.meta, f"låst periode til og med {lock.date} blir "
                                                 f"ikke kontrollert: {problem}", lock)
                      for lock in locks)
    last: datetime.date = locks[-1].date
    current = [(e, entry_digest(e)) for e in entries if e.date <= last and is_locked_entry(e)]
    previous: data.Custom | None = None
    watched: list[Path] = []
    for lock in locks:
        files = figure_files(entries, lock.date, Path(str(lock.meta.get("filename", "."))).parent)
        texts = locked_texts(lock, extensions)
        error = check_lock(lock, previous, current, files, options_map, entries)
        title = None if error is not None or texts is None else title_problem(texts, options_map)
        if title is not None:
            error = PeriodLockError(lock.meta, f"låst periode til og med {lock.date} er endret "
                                               f"siden låsen: {title}", lock)
        if error is not None:
            errors.append(error)
        previous = lock
        watched.append(sidecar_path(lock))
        if texts is not None and texts.directive is not lock:
            watched.append(texts.record)
        watched.extend(f.path for f in files if f.path is not None)
    watch(options_map, watched)
    return entries, errors


