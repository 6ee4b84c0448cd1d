"""``nhnfin init DIR``: a new ledger that passes bean-check and gives a report at once.

    nhnfin init DIR --name "Eksempel SF" --orgnr 999999999 [--year 2025]
                [--grants] [--delivery-obligation] [--ehealth]
"""

from __future__ import annotations

import datetime
from pathlib import Path

import click

from nhnfin.cli.bokmal import Command
from nhnfin.cli.common import write_output
from nhnfin.cli.options import HELP
from nhnfin.cli.options import YEAR
from nhnfin.cli.skeleton import MAIN
from nhnfin.cli.skeleton import SkeletonError
from nhnfin.cli.skeleton import skeleton
from nhnfin.files import Inputs


@click.command("init", cls=Command)
@click.argument("directory", type=click.Path(path_type=Path))
@click.option("--name", required=True, help="Virksomhetens navn (rapportens tittel).")
@click.option("--orgnr", required=True, help="Organisasjonsnummeret (9 sifre).")
@click.option("--year", type=YEAR, default=None, help="Det første regnskapsåret [i år].")
@click.option("--grants", is_flag=True, help="Offentlige tilskudd (note 3).")
@click.option("--delivery-obligation", is_flag=True, help="Leveringsforpliktelsen (note 4).")
@click.option("--ehealth", is_flag=True,
              help="Fakturering av nasjonale e-helseløsninger (note 2).")
@HELP
def init_cmd(directory: Path, name: str, orgnr: str, year: int | None, grants: bool,
             delivery_obligation: bool, ehealth: bool) -> None:
    """Skriv et nytt regnskap i mappen DIRECTORY (en ny eller tom mappe)."""
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise click.ClickException(f"{directory}: ikke en tom mappe; ingenting er skrevet")
    chosen = tuple(rule for rule, on in (("grants", grants),
                                         ("delivery-obligation", delivery_obligation),
                                         ("ehealth", ehealth)) if on)
    first_year = year or datetime.datetime.now(datetime.UTC).year
    try:
        files = skeleton(name, orgnr, first_year, chosen)
    except SkeletonError as exc:
        raise click.ClickException(str(exc)) from exc
    for filename, text in files.items():
        write_output(directory / filename, text.encode("utf-8"), Inputs(()), exclusive=True)
    click.echo(f"skrev {len(files)} filer i {directory}; neste steg: bean-check {directory / MAIN}")
