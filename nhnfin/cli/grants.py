"""``nhnfin grant-usage``: what each public grant paid for in a year, per cost account.

    nhnfin grant-usage LEDGER --year 2024 [--format md|csv|xlsx|json] [--output PATH]

The ledger is loaded with its plugins; the figures are :func:`nhnfin.grants.usage.build`'s
(the same as the Fava page "Bruk av tilskudd"), rendered by ``nhnfin.reports.grant_usage``. For
each grant: one row per cost or fixed-asset account with the costs linked to the grant in the
year, then linked, covered and not covered in sum. The JSON gives each row's BQL drill query.

A ledger without grants, a year without postings, a missing file or ``--format xlsx`` without
``--output`` end with a one-line message and exit status 1. Errors in the ledger (a cost linked
to an unknown grant, ...) are printed to stderr with file and line, as ``nhnfin report`` does,
and the report is still written: the figures then leave out the links at fault.
"""

from __future__ import annotations

from pathlib import Path

import click

from nhnfin.cli.bokmal import Command
from nhnfin.cli.options import FORMAT_HELP
from nhnfin.cli.options import HELP
from nhnfin.cli.options import OUTPUT
from nhnfin.cli.options import OUTPUT_HELP
from nhnfin.cli.options import YEAR
from nhnfin.errors import format_error
from nhnfin.errors import with_first_error
from nhnfin.grants import usage as grant_usage
from nhnfin.reports.grant_usage import FORMATS
from nhnfin.reports.grant_usage import render


@click.command("grant-usage", cls=Command)
@click.argument("ledger", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--year", type=YEAR, required=True, help="Året rapporten gjelder.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="md", show_default=True,
              help=FORMAT_HELP)
@click.option("--output", type=OUTPUT, help=OUTPUT_HELP)
@HELP
def grant_usage_cmd(ledger: Path, year: int, fmt: str, output: Path | None) -> None:
    """Per tilskudd og kostnadskonto: kostnadene knyttet til tilskuddet i --year, hva tilskuddet
    dekket og hva det ikke dekket; hvert tall med spørringen som viser posteringene."""
    from nhnfin.cli.common import ledger_path
    from nhnfin.cli.common import load_ledger
    from nhnfin.cli.common import loaded_inputs
    from nhnfin.cli.common import refuse_binary_to_screen
    from nhnfin.cli.common import refuse_output
    from nhnfin.cli.common import require_year
    from nhnfin.cli.common import write_result

    refuse_binary_to_screen(fmt, output)
    loaded = load_ledger(ledger_path(str(ledger)))
    inputs = loaded_inputs(loaded)
    refuse_output(output, inputs)
    result = grant_usage.build(loaded, year)
    if result is not None:
        require_year(year, loaded.years())
    if result is None:
        raise click.ClickException(with_first_error(
            f"{ledger}: ingen tilskudd er oppgitt (custom \"nhnfin-grant\")", loaded.errors))
    entity = str(loaded.options_map.get("title") or "Regnskap")
    content = render(result.note, fmt, entity, year)
    for error in loaded.errors:
        click.echo(f"feil i regnskapet: {format_error(error)}", err=True)
    write_result(output, content, inputs)
