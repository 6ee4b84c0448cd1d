"""What every command shares: the ledger argument and loading it with a one-line error."""

from __future__ import annotations

import gc
import os
import re
import sys
from collections.abc import Iterable
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING
from typing import Any

import click

from nhnfin import COLLECTOR_THRESHOLDS
from nhnfin.cli.options import STDOUT
from nhnfin.cli.progress import stage
from nhnfin.files import Inputs
from nhnfin.files import WriteRefused
from nhnfin.files import append_atomically
from nhnfin.files import ledger_inputs
from nhnfin.files import refuse_inputs
from nhnfin.files import write_atomically
from nhnfin.files import write_error_words
from nhnfin.model import norwegian_list

if TYPE_CHECKING:
    from nhnfin.errors import NhnfinError
    from nhnfin.ledger import Ledger

# The loader and Beancount are imported where a command loads a ledger: a warm report, served
# from its cache, imports neither.

BINARY_FORMATS = {"xlsx": "et regneark", "docx": "et dokument", "pdf": "et dokument"}
"""The formats that are files, not text: never written to the screen (what it is, in words)."""


def from_here(text: str, here: Path | None = None) -> str:
    """``text`` with every file under ``here`` (default: the current folder) named from it, as
    the controller typed the ledger and the statements: ``books/2025.beancount:12`` where
    Beancount names the ledger's files by their full path; a file outside keeps its full
    path."""
    start = str(here or Path.cwd()).rstrip(os.sep) + os.sep
    return re.sub(r"(?<![\w/.~-])" + re.escape(start), "", text)


def say(text: str, err: bool = False, nl: bool = True) -> None:
    """``click.echo`` of ``text``, its files named from the current folder (:func:`from_here`)."""
    click.echo(from_here(text), err=err, nl=nl)


def first_error(errors: Sequence[NhnfinError], said: Sequence[Any] = ()
                ) -> click.ClickException:
    """The command's one-line error for ``errors``: the first at its file:line, and how many
    more there are. An error the load (``said``, its errors) gave at the same file:line in
    words that begin with the command's is the same fault: it is counted once, in the load's
    words, which say more (``nhnfin invoice-basis``: the load names the group's period and what
    to do, the invoice basis only that the group has no one)."""
    from nhnfin.errors import location

    loads: dict[str, list[str]] = {}
    for error in said:
        loads.setdefault(location(getattr(error, "source", None)), []).append(error.message)
    unique: list[NhnfinError] = []
    for error in errors:
        words = next((m for m in loads.get(location(error.source), [])
                      if m.startswith(error.message)), error.message)
        if not any(location(e.source) == location(error.source) and e.message == words
                   for e in unique):
            unique.append(error._replace(message=words))
    errors = unique
    first = errors[0]
    more = f" (og {len(errors) - 1} til)" if len(errors) > 1 else ""
    return click.ClickException(f"{location(first.source)}: {first.message}{more}")


def is_stdout(output: Path | str | None) -> bool:
    """True when ``--output`` is ``-``: standard out, not a file named ``-`` (a path option
    gives :data:`~nhnfin.cli.options.STDOUT`, a text option the text ``-``)."""
    return output is STDOUT or (isinstance(output, str) and output == "-")


def output_path(value: str | None) -> Path | None:
    """A text ``--output`` as the path it names: ``-`` is :data:`~nhnfin.cli.options.STDOUT`."""
    if value is None:
        return None
    return STDOUT if is_stdout(value) else Path(value)


def stdout_is_terminal() -> bool:
    """True when standard out is a terminal (not a pipe or a file)."""
    return sys.stdout.isatty()


def refuse_binary_to_screen(fmt: str, output: Path | None) -> None:
    """A one-line error, before anything is loaded, when a file format has no ``--output``, or
    has ``--output -`` while standard out is a terminal (to a pipe, ``| program`` or ``> fil``,
    its bytes are written)."""
    if fmt not in BINARY_FORMATS:
        return
    what = BINARY_FORMATS[fmt]
    if output is None:
        raise click.ClickException(
            f"--format {fmt} krever --output FIL ({what} skrives ikke til skjermen)")
    if is_stdout(output) and stdout_is_terminal():
        raise click.ClickException(
            f"--format {fmt} --output -: {what} skrives ikke til terminalen; send det videre "
            "(| program eller > fil) eller oppgi --output FIL")


def write_stdout(content: bytes) -> None:
    """``content`` on standard out, as it would be in the file."""
    sys.stdout.flush()  # what click.echo wrote before comes first
    sys.stdout.buffer.write(content)
    sys.stdout.buffer.flush()


def write_result(output: Path | None, content: bytes, inputs: Inputs) -> None:
    """A report's ``content`` on standard out (no ``--output``, or ``--output -``), or written
    to ``output`` (:func:`write_output`) and said on stderr."""
    if output is None or is_stdout(output):
        write_stdout(content)
        return
    write_output(output, content, inputs)
    click.echo(f"skrev {output}", err=True)


def tune_collector(ctx: click.Context) -> None:
    """Run Python's cyclic collector rarely until the command ``ctx`` ends: a loaded ledger is
    millions of objects and almost no garbage cycles, and each full collection walks every one
    (about a quarter of a cold report's CPU at 100 k postings, no saving in memory; figures in
    benchmarks/README.md). ``nhnfin report``, ``close``, ``fava`` and every other command."""
    before = gc.get_threshold()
    gc.set_threshold(*COLLECTOR_THRESHOLDS)
    ctx.call_on_close(lambda: gc.set_threshold(*before))


def load_ledger(path: Path) -> Ledger:
    """Load ``path`` with progress on a terminal; Beancount's own failures (it raises on some
    malformed input instead of reporting it) become a one-line message, not a traceback."""
    from nhnfin.ledger import load

    try:
        with stage(f"leser {path}"):
            return load(path)
    except Exception as exc:  # the boundary to a third-party loader
        raise click.ClickException(
            f"{path}: Beancount kunne ikke lese regnskapet ({type(exc).__name__}: {exc})"
        ) from exc


def not_a_file(value: str, missing: str = "filen finnes ikke",
               what: str = "en fil") -> str | None:
    """Why ``value`` is no file to read, in words for the controller, or None when it is one: a
    folder is called a folder (round 13's probe: ``nhnfin report books`` and ``nhnfin reconcile
    ... --statement bank`` said "finnes ikke" of a folder that is there), and a folder holding
    the main file ``nhnfin init`` writes names it."""
    path = Path(value)
    if path.is_file():
        return None
    if path.is_dir():
        main = path / "regnskap.beancount"
        hint = f" (mente du {main}?)" if what == "en regnskapsfil" and main.is_file() else ""
        return f"{value}: er en mappe, ikke {what}{hint}"
    if path.exists():
        return f"{value}: er ikke en vanlig fil"
    return f"{value}: {missing}"


def ledger_path(value: str) -> Path:
    """The ledger argument as a path that exists."""
    problem = not_a_file(value, "regnskapsfilen finnes ikke", "en regnskapsfil")
    if problem is not None:
        raise click.ClickException(problem)
    return Path(value)


def posting_years(entries: Iterable[Any]) -> list[int]:
    """The years in which ``entries`` have a transaction, sorted."""
    from beancount.core import data

    return sorted({e.date.year for e in entries if isinstance(e, data.Transaction)})


def require_year(year: int, years: list[int]) -> None:
    """A one-line error when the ledger has nothing in ``year`` (rather than an empty table)."""
    if year not in years:
        raise click.ClickException(
            f"regnskapet har ingen posteringer i {year} (det har {norwegian_list(years)})")

def write_output(
    output: Path,
    content: bytes,
    inputs: Inputs,
    *,
    append: bool = False,
    exclusive: bool = False,
    patterns: bool = True,
    record: bool = False,
) -> None:
    """Write a command's ``--output``: never onto one of the command's ``inputs`` (the ledger
    and every file it reads), atomically (:mod:`nhnfin.files`); a refusal or a failure (a
    folder that is a file, no permission, a full disk) is a one-line message, not a traceback.
    ``--output -`` (:func:`is_stdout`) writes ``content`` to standard out instead.
    """
    if is_stdout(output):
        write_stdout(content)
        return
    try:
        refuse_inputs(output, inputs, patterns=patterns, record=record)
        if append:
            append_atomically(output, content)
        else:
            write_atomically(output, content, exclusive=exclusive)
    except WriteRefused as exc:
        raise click.ClickException(str(exc)) from None
    except FileExistsError:
        raise click.ClickException(f"{output} finnes allerede; den overskrives ikke") from None
    except OSError as exc:
        problem = write_error_words(exc)
        raise click.ClickException(f"{output}: kan ikke skrives: {problem}") from None


def refuse_output(output: Path | None, inputs: Inputs, *, patterns: bool = True,
                  record: bool = False) -> None:
    """The same refusal as :func:`write_output`, before any work is done."""
    if output is None or is_stdout(output):
        return
    try:
        refuse_inputs(output, inputs, patterns=patterns, record=record)
    except WriteRefused as exc:
        raise click.ClickException(str(exc)) from None


def loaded_inputs(ledger: Ledger, *extra: Path | None) -> Inputs:
    """Every file a command on ``ledger`` reads: the ledger's (:func:`ledger_inputs`) and
    ``extra``."""
    return ledger_inputs(ledger.entries, ledger.options_map, ledger.path).plus(extra)
