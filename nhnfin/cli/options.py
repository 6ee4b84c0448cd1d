"""Option types every command shares, light enough for ``nhnfin --version`` to import."""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from typing import Any

import click

YEAR = click.IntRange(1, 9998)
"""Every ``--year``: the year and the one after it are dates Python can hold, so a year out of
range is a usage error, not a traceback from ``datetime.date``."""


class BadDate(click.ClickException):
    """A date option that is not a date: one line in bokmål, exit code 2 (a usage error)."""

    exit_code = 2


DATE_TEXT = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


class Day(click.ParamType):  # type: ignore[type-arg]
    """A date option (``--as-of 2025-01-15``) as a :class:`datetime.date`; what is not a date
    (``2025-13-01``, ``2024-02-30``, ``15.01.2025``) is refused in bokmål, exit code 2 (Click's
    own ``click.DateTime`` says it in English)."""

    name = "ÅÅÅÅ-MM-DD"

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> datetime.date:
        """``value`` read as ÅÅÅÅ-MM-DD."""
        if isinstance(value, datetime.date):
            return value
        option = f"{param.opts[0]}: " if param is not None and param.opts else ""
        match = DATE_TEXT.fullmatch(str(value))
        try:
            if match is None:
                raise ValueError(value)
            return datetime.date(*(int(part) for part in match.groups()))
        except ValueError:
            raise BadDate(f"{option}«{value}» er ikke en dato; skriv den ÅÅÅÅ-MM-DD, "
                          "f.eks. 2025-01-15") from None


DAY = Day()
"""Every ``--as-of``."""

HELP = click.help_option("--help", help="Vis denne hjelpen og avslutt.")
"""Every command's ``--help``, in the words of the rest of its help (Click's own is English)."""

OUTPUT_HELP = ("Filen som skal skrives; «-» er standard ut (xlsx, docx og pdf bare til et rør "
               "eller en fil, ikke til terminalen).")

STDOUT = Path("-")
"""``--output -``: standard out, never a file named ``-`` (``--output ./-`` is that file).
:class:`Output` gives this very object, so ``output is STDOUT`` tells the two apart."""


class Output(click.Path):
    """Every ``--output FIL`` that is a path: ``-`` is :data:`STDOUT` (the Unix convention),
    anything else a :class:`~pathlib.Path` (never a folder)."""

    def __init__(self) -> None:
        super().__init__(dir_okay=False, path_type=Path, allow_dash=True)

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> Any:
        if value == "-":
            return STDOUT
        return super().convert(value, param, ctx)


OUTPUT = Output()
"""The type of every ``--output FIL``: a path, or ``-`` for standard out."""
FORMAT_HELP = "Formatet som skrives."
