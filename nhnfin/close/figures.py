"""The locked figures: every statement line and every note cell of a locked year's report,
and the check of the locked texts beside them (:mod:`nhnfin.close.texts`).

``nhnfin close`` records them (part (c) of the lock, :mod:`nhnfin.close.digest`); ``nhnfin
report``, ``nhnfin close`` and the Fava pages build each locked year's report again and compare
(:func:`figure_errors`). The bean-check-time check (:mod:`nhnfin.close.period_lock`) covers what
the figures are made from; this covers what no digest of the inputs can see, such as a directive
dated after the lock that a note builder reads, or a new nhnfin version that computes a figure
differently. The messages are for people, in Norwegian.

A figure's name is ``statement/line/year`` or ``note N/table/row/column``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from typing import NamedTuple

from beancount.core import data

from nhnfin import __version__
from nhnfin.close.digest import files_digest
from nhnfin.close.digest import is_lock
from nhnfin.close.digest import is_texts_lock
from nhnfin.close.digest import lines_digest
from nhnfin.close.digest import read_sidecar
from nhnfin.close.digest import read_texts_record
from nhnfin.close.digest import texts_digest
from nhnfin.close.digest import total_digest
from nhnfin.close.digest import where
from nhnfin.close.period_lock import FIGURES_META
from nhnfin.close.period_lock import FILES_META
from nhnfin.close.period_lock import TEXTS_META
from nhnfin.close.period_lock import TITLE_META
from nhnfin.close.period_lock import LockedTexts
from nhnfin.close.period_lock import PeriodLockError
from nhnfin.close.period_lock import later_directives
from nhnfin.close.period_lock import locked_texts
from nhnfin.close.period_lock import malformed
from nhnfin.close.period_lock import sidecar_path
from nhnfin.close.texts import ENTITY_ITEM
from nhnfin.close.texts import report_texts
from nhnfin.config import custom_directives
from nhnfin.config import entity_title
from nhnfin.errors import location
from nhnfin.files import file_problem_words
from nhnfin.ledger import Ledger
from nhnfin.lock_guard import lock_check_problem
from nhnfin.model import Report


class LockFigureError(NamedTuple):
    """A figure of a locked year that is not what it was when the year was locked."""

    source: dict[str, Any]
    message: str
    entry: Any


def report_figures(report: Report) -> list[tuple[str, str]]:
    """(name, value) of every statement line and note cell of ``report``, in report order."""
    figures: list[tuple[str, str]] = []
    for statement in report.statements:
        for row in statement.rows:
            figures.extend((f"{statement.key}/{row.key}/{year}", str(amount))
                           for year, amount in sorted(row.amounts.items()))
    for note in report.notes:
        for number, table in enumerate(note.tables, 1):
            for note_row in table.rows:
                place = f"note {note.number}/{number}/{note_row.key}"
                figures.extend((f"{place}/{column}", "" if value is None else str(value))
                               for column, value in note_row.values.items())
                figures.extend((f"{place}/{column}", text)
                               for column, text in note_row.text_values.items())
    return figures


def figures_digest(report: Report) -> str:
    """The digest of the report's figures (the lock's ``figures:``)."""
    return lines_digest(report_figures(report))


def _first_change(locked: tuple[tuple[str, str], ...], now: list[tuple[str, str]]) -> str:
    then = dict(locked)
    current = dict(now)
    for name, value in now:
        if name not in then:
            return f"tallet {name} er nytt ({value})"
        if then[name] != value:
            return f"tallet {name} er {value}, men var {then[name]} da året ble låst"
    for name, value in locked:
        if name not in current:
            return f"tallet {name} ({value} da året ble låst) finnes ikke lenger"
    return "tallene er de samme, men i en annen rekkefølge"


QUOTE_INDENT = "    "


def quoted_cause(message: str, lock: data.Custom) -> str:
    """The cause as the lock check (a Beancount plugin, whose errors are English as Beancount's
    own) gives it: a Norwegian sentence, then its message on a line of its own, indented."""
    return (f"årsak: feilen bean-check gir ved låsen ({where(lock.meta)}), slik Beancount "
            f"skriver den:\n{QUOTE_INDENT}{message}")


def _cause(ledger: Ledger, lock: data.Custom) -> str:
    """What changed the figures, as far as the ledger can tell."""
    for error in ledger.errors:
        if isinstance(error, PeriodLockError) and error.entry is lock:
            return quoted_cause(error.message, lock)
    for error in ledger.errors:
        earlier = getattr(error, "entry", None)
        if (isinstance(error, PeriodLockError) and earlier is not None and is_lock(earlier)
                and earlier.date < lock.date):
            return (f"årsak: den låste perioden til og med {earlier.date} er endret (se feilen ved "
                    f"{location(earlier.meta)})")
    later = later_directives(ledger.entries, lock.date)
    version = lock.meta.get("nhnfin-version")
    if later:
        places = ", ".join(where(e.meta) for e in later[:3])
        more = f" og {len(later) - 3} til" if len(later) > 3 else ""
        reason = (f"postene og filene til og med {lock.date} er uendret, så et direktiv datert "
                  f"etter låsen virker bakover: {places}{more}")
    else:
        reason = f"postene og filene til og med {lock.date} er uendret"
    if version is not None and version != __version__:
        reason += f"; nhnfin er {__version__} nå, {version} da året ble låst"
    return f"årsak: {reason}"


def _title_cause(texts: LockedTexts, problem: str, options_map: dict[str, Any]) -> str | None:
    """The cause of a changed title that every load missed: the lock's ``title:``, which the
    load compares with ``option "title"``, was edited to the new title (None: it was not, or
    ``problem`` is not the title's)."""
    recorded = texts.directive.meta.get(TITLE_META)
    if not problem.startswith(f"teksten {ENTITY_ITEM} er ") or recorded != entity_title(
            options_map):
        return None
    return (f"; årsak: låsens title: ({location(texts.directive.meta)}) er endret til den nye "
            f"tittelen «{recorded}», så lastingen og bean-check ser ingen endring")


def read_problem(exc: OSError | ValueError) -> str:
    """Why a lock's file cannot be read, as people read it: the operating system's words
    without the errno and the path (the message names the file), nhnfin's own in Norwegian
    (:func:`nhnfin.files.file_problem_words`)."""
    if isinstance(exc, OSError):
        return file_problem_words(exc.strerror or str(exc))
    return file_problem_words(str(exc))


def record_problem(lock: data.Custom) -> str | None:
    """Why the lock's record file no longer matches the lock, when it exists (None: it does)."""
    path = sidecar_path(lock)
    if not (path.exists() or path.is_symlink()):
        return None  # unchanged books need no record; a changed one is reported by bean-check
    try:
        sidecar = read_sidecar(path)
    except (OSError, ValueError) as exc:
        return f"låsens fil {path} kan ikke leses ({read_problem(exc)})"
    value = lock.values[0].value
    texts = lock.meta.get(TEXTS_META)
    if texts is None and sidecar.texts_digest:
        return (f"låsen ved {location(lock.meta)} har ingen texts:, men låsens fil {path} har "
                "tekstene: texts: er fjernet fra låsen, så tekstene kontrolleres ikke")
    consistent = (
        total_digest(r.sha256 for r in sidecar.entries) == sidecar.digest == value
        and files_digest(sidecar.files) == sidecar.files_digest == lock.meta[FILES_META]
        and lines_digest(sidecar.figures) == sidecar.figures_digest == lock.meta[FIGURES_META]
        and sidecar.texts_digest == (texts or "")
        and (texts is None or texts_digest(sidecar.texts) == texts)
    )
    if consistent:
        return None
    return (f"låsens fil {path} er endret etter låsen (postene i den stemmer ikke med dens "
            "sjekksum); bøkene er uendret")


def figure_errors(ledger: Ledger, build: Callable[[int], Report]) -> list[LockFigureError]:
    """An error for each lock whose year's figures or texts (:mod:`nhnfin.close.texts`, when
    the lock has them) are not what was locked.

    ``build(year)`` returns the report for ``year`` (the caller's, so a report it has built
    already is not built again); it may raise, and the error says so.
    """
    errors: list[LockFigureError] = []
    extensions = [e for e in ledger.derived(custom_directives) if is_texts_lock(e)]
    for lock in sorted((e for e in ledger.entries if is_lock(e)), key=lambda e: e.date):
        if malformed(lock) is not None:
            continue  # bean-check reports it
        period = f"låst periode til og med {lock.date}"
        try:
            report = build(lock.date.year)
        except Exception as exc:  # a report that cannot be built is itself a changed figure
            errors.append(LockFigureError(
                lock.meta, f"{period}: årets rapport kan ikke lages lenger ({exc})", lock))
            continue
        texts = locked_texts(lock, extensions)
        if texts is not None:
            problem = text_problem(texts, report_texts(report))
            if problem is not None:
                cause = "" if problem.startswith("låsens") else f"; {_cause(ledger, lock)}"
                cause = _title_cause(texts, problem, ledger.options_map) or cause
                errors.append(LockFigureError(lock.meta, f"{period} er endret: {problem}{cause}",
                                              lock))
        now = report_figures(report)
        if lines_digest(now) == lock.meta[FIGURES_META]:
            problem = record_problem(lock)
            if problem is not None:
                errors.append(LockFigureError(lock.meta, f"{period}: {problem}", lock))
            continue
        try:
            sidecar = read_sidecar(sidecar_path(lock))
            recorded = lines_digest(sidecar.figures)
            if recorded == lock.meta[FIGURES_META]:
                change = _first_change(sidecar.figures, now)
            elif recorded == sidecar.figures_digest == lines_digest(now):
                change = (f"låsens figures:-sjekksum ved {location(lock.meta)} er endret; tallene "
                          f"stemmer med låsens fil {sidecar_path(lock)}")
            else:
                change = (f"låsens fil {sidecar_path(lock)} er endret etter låsen, så tallet kan "
                          "ikke navngis")
        except (OSError, ValueError) as exc:
            change = (f"låsens fil {sidecar_path(lock)} kan ikke leses ({exc}), så tallet kan "
                      "ikke navngis")
        cause = "" if "sjekksum ved" in change else f"; {_cause(ledger, lock)}"
        message = f"{period} er endret: {change}{cause}"
        errors.append(LockFigureError(lock.meta, message, lock))
    return errors


EXCERPT = 80  # characters of a long text quoted in a message
CONTEXT = 20  # characters quoted before the first that differs


def _quoted(text: str, start: int = 0) -> str:
    """``text`` in «», a long one cut to :data:`EXCERPT` characters from ``start``."""
    if len(text) <= EXCERPT:
        return f"«{text}»"
    start = max(0, min(start, len(text) - CONTEXT))
    head = "…" if start else ""
    tail = "…" if start + EXCERPT < len(text) else ""
    return f"«{head}{text[start:start + EXCERPT]}{tail}»"


def _first_difference(a: str, b: str) -> int:
    """Where two texts start to differ, less some characters of context."""
    same = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y),
                min(len(a), len(b)))
    return max(0, same - CONTEXT)


def first_text_change(locked: tuple[tuple[str, str], ...], now: list[tuple[str, str]]) -> str:
    """The first text (in report order) that is new, changed or gone since the lock."""
    then = dict(locked)
    current = dict(now)
    for name, text in now:
        if name not in then:
            return f"teksten {name} er ny ({_quoted(text)})"
        if then[name] != text:
            start = _first_difference(text, then[name])
            return (f"teksten {name} er {_quoted(text, start)}, men var "
                    f"{_quoted(then[name], start)} da året ble låst")
    for name, text in locked:
        if name not in current:
            return f"teksten {name} ({_quoted(text)} da året ble låst) finnes ikke lenger"
    return "tekstene er de samme, men i en annen rekkefølge"


def text_problem(texts: LockedTexts, now: list[tuple[str, str]]) -> str | None:
    """What differs between the locked texts and the report's texts ``now`` (None: nothing),
    named by the first text that differs when the record can tell. Unchanged texts of the
    lock's own record are left to :func:`record_problem`, which reads that record anyway."""
    unchanged = texts_digest(now) == texts.digest
    if unchanged and texts.record == sidecar_path(texts.directive) and is_lock(texts.directive):
        return None
    try:
        digest, items = read_texts_record(texts.record)
    except (OSError, ValueError) as exc:
        if unchanged:
            return None  # unchanged texts need no record, as unchanged books need none
        return (f"tekstene er endret, men låsens fil {texts.record} kan ikke leses "
                f"({read_problem(exc)}), så "
                "teksten kan ikke navngis")
    if unchanged:
        return None if texts_digest(items) == digest == texts.digest else (
            f"låsens fil {texts.record} er endret etter låsen (tekstene i den stemmer ikke med "
            "dens sjekksum); tekstene er uendret")
    if texts_digest(items) != texts.digest:
        return (f"låsens fil {texts.record} er endret etter låsen, så teksten kan ikke "
                "navngis")
    return first_text_change(items, now)


def uncovered_texts(ledger: Ledger) -> list[str]:
    """A line for each lock whose texts are not locked (written before texts were locked):
    the title option, the notes' texts, titles and labels of that year's report may change
    without an error until they are locked (``nhnfin close --add-texts``)."""
    customs = ledger.derived(custom_directives)
    extensions = [e for e in customs if is_texts_lock(e)]
    lines = []
    for lock in sorted((e for e in customs if is_lock(e)), key=lambda e: e.date):
        if malformed(lock) is not None or locked_texts(lock, extensions) is not None:
            continue
        lines.append(
            f"{location(lock.meta)}: låsen til og med {lock.date} dekker tallene, men ikke "
            "rapportens tekster (tittelen, notetekstene, titler og etiketter; låst med en "
            "eldre nhnfin): en endring i dem endrer den låste rapporten uten feil; lås dem med "
            f"nhnfin close {ledger.path or 'REGNSKAP'} --year {lock.date.year} --add-texts "
            "(docs/year-end-close.md)")
    return lines


def format_error(error: Any) -> str:
    """``file:line: message`` of a lock error."""
    return f"{location(error.source)}: {error.message}"


def lock_problems(ledger: Ledger, build: Callable[[int], Report]) -> list[str]:
    """Every lock problem of ``ledger`` as ``file:line: message``: the check not running, the
    bean-check-time errors of the lock and the figures and texts that changed (empty: every lock
    holds).
    ``nhnfin report``, ``nhnfin close`` and the Fava pages refuse or flag a ledger with any."""
    locks = [e for e in ledger.derived(custom_directives) if is_lock(e)]
    found: dict[str, None] = {}
    if not locks:  # a lock record left without its lock (the close file's include removed)
        return [format_error(e) for e in ledger.errors if isinstance(e, PeriodLockError)]
    problem = lock_check_problem(ledger.options_map)
    if problem is not None:
        for lock in locks:
            found[f"{location(lock.meta)}: låst periode til og med {lock.date} kontrolleres "
                  f"ikke: {problem}"] = None
    for error in ledger.errors:
        if isinstance(error, PeriodLockError) or (
                getattr(error, "entry", None) is not None and is_lock(error.entry)):
            found[format_error(error)] = None
    if problem is None:
        for figure_error in figure_errors(ledger, build):
            found[format_error(figure_error)] = None
    return list(found)
