"""Option types every command shares, light enough for ``nhnfin --version`` to import."""

from __future__ import annotations

import click

YEAR = click.IntRange(1, 9998)
"""Every ``--year``: the year and the one after it are dates Python can hold, so a year out of
range is a usage error, not a traceback from ``datetime.date``."""

HELP = click.help_option("--help", help="Vis denne hjelpen og avslutt.")
"""Every command's ``--help``, in the words of the rest of its help (Click's own is English)."""

OUTPUT_HELP = "Filen som skal skrives."
FORMAT_HELP = "Formatet som skrives."
