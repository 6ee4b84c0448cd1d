"""nhnfin: the annual accounts of Norsk helsenett SF, kept in Beancount.

The package holds the Beancount plugins that turn NHN's four financing rules into double-entry
transactions, the statement and note builders of the annual report, the CLI and the Fava extension.
`nhnfin.importers` and `nhnfin.reports` are installed from the repository's top-level `importers/`
and `reports/` folders.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

# ``plugin "nhnfin"`` runs every rule the ledger uses (nhnfin.pipeline, imported when it runs).
__plugins__ = ("run",)

# Python's cyclic collector while the rules run (nhnfin.pipeline) and during each nhnfin command
# (nhnfin.cli.common.tune_collector): generations 0, 1 and 2. A loaded ledger is millions of
# objects and almost no garbage cycles, so a collection, each a walk over every object, finds
# nothing; figures in benchmarks/README.md.
COLLECTOR_THRESHOLDS = (100_000, 50, 1_000)


def run(
    entries: list[Any], options_map: dict[str, Any], config_str: str | None = None
) -> tuple[list[Any], list[Any]]:
    """The single plugin line: :func:`nhnfin.pipeline.run`."""
    from nhnfin.errors import printable_errors  # here: `nhnfin --version` imports no Beancount
    from nhnfin.pipeline import run as pipeline

    return printable_errors(pipeline)(entries, options_map, config_str)
