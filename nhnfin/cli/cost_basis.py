"""``nhnfin cost-basis`` and ``nhnfin investment-plan``: the tables TBU sees, from the ledger.

    nhnfin cost-basis LEDGER --year 2022 [--versions vaar-2021,host-2021]
        [--changes FROM,TO] [--format md|xlsx|json] [--output PATH]
    nhnfin investment-plan LEDGER [--format md|xlsx|json] [--output PATH]

The ledger is loaded with its plugins; the figures come from :mod:`nhnfin.cost_basis` and
:mod:`nhnfin.cost_basis.investment_plan`, rendered by ``nhnfin.reports.cost_basis``. An error in the
directives or a cost posting ends the run with ``file:line: message`` and exit status 1; so does
an unknown version.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from nhnfin.cli.bokmal import Command
from nhnfin.cli.common import first_error
from nhnfin.cli.common import ledger_path
from nhnfin.cli.common import load_ledger
from nhnfin.cli.common import loaded_inputs
from nhnfin.cli.common import refuse_binary_to_screen
from nhnfin.cli.common import refuse_output
from nhnfin.cli.common import write_result
from nhnfin.cli.options import FORMAT_HELP
from nhnfin.cli.options import HELP
from nhnfin.cli.options import OUTPUT
from nhnfin.cli.options import OUTPUT_HELP
from nhnfin.cli.options import YEAR
from nhnfin.cost_basis.basis import CostBasisError
from nhnfin.cost_basis.basis import build
from nhnfin.cost_basis.investment_plan import plan_vs_booked
from nhnfin.errors import with_first_error
from nhnfin.files import Inputs
from nhnfin.reports.cost_basis import FORMATS
from nhnfin.reports.cost_basis import RENDERERS
from nhnfin.reports.cost_basis import investment_grids
from nhnfin.reports.grid_render import render_grids


def _pair(value: str | None) -> list[str] | None:
    if value is None:
        return None
    parts = [p.strip() for p in value.split(",") if p.strip()]
    if not 1 <= len(parts) <= 2:
        raise click.BadParameter("oppgi én eller to versjons-id-er, skilt med komma")
    return parts


def _ledger(path: Path, output: Path | None) -> tuple[list[object], Inputs, list[Any]]:
    """The ledger's entries, every file it reads and its load errors; an ``--output`` onto one
    of its files is refused."""
    loaded = load_ledger(ledger_path(str(path)))
    inputs = loaded_inputs(loaded)
    refuse_output(output, inputs)
    return loaded.entries, inputs, loaded.errors


@click.command("cost-basis", cls=Command)
@click.argument("ledger", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--year", type=YEAR, required=True, help="Året kostnadsgrunnlaget gjelder.")
@click.option("--versions", metavar="BUDSJETT,PROGNOSE",
              help="Versjons-id-ene for budsjettet og prognosen (standard: den siste av hver).")
@click.option("--changes", metavar="FRA,TIL",
              help="Versjonene endringsloggen går mellom (standard: --versions).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="md", show_default=True,
              help=FORMAT_HELP)
@click.option("--output", type=OUTPUT, help=OUTPUT_HELP)
@HELP
def cost_basis_cmd(ledger: Path, year: int, versions: str | None, changes: str | None, fmt: str,
                   output: Path | None) -> None:
    """Budsjett, prognose og regnskap per løsning og kostnadselement for --year, hvem som
    betaler, enhetskostnader og endringsloggen mellom to versjoner."""
    refuse_binary_to_screen(fmt, output)
    entries, inputs, load_errors = _ledger(ledger, output)
    try:
        basis = build(entries, year, _pair(versions), _pair(changes))
    except CostBasisError as exc:
        raise click.ClickException(str(exc)) from exc
    if basis.errors:
        raise first_error(basis.errors)
    if basis.budget is None and basis.forecast is None and not basis.solutions[:-1]:
        raise click.ClickException(with_first_error(
            f"{ledger}: verken budsjett, prognose eller D&F-kostnad for {year}", load_errors))
    write_result(output, RENDERERS[fmt](basis), inputs)


@click.command("investment-plan", cls=Command)
@click.argument("ledger", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="md", show_default=True,
              help=FORMAT_HELP)
@click.option("--output", type=OUTPUT, help=OUTPUT_HELP)
@HELP
def investment_plan_cmd(ledger: Path, fmt: str, output: Path | None) -> None:
    """Planlagte (median, minimum, maksimum) og bokførte investeringer per tiltak og år."""
    refuse_binary_to_screen(fmt, output)
    entries, inputs, load_errors = _ledger(ledger, output)
    lines, errors = plan_vs_booked(entries)
    if errors:
        raise first_error(errors)
    if not lines:
        raise click.ClickException(with_first_error(
            f"{ledger}: ingen nhnfin-initiative med plan (nhnfin-investment-plan)", load_errors))
    write_result(output, render_grids(investment_grids(lines), fmt, "Investeringsbehov per tiltak"),
                 inputs)
