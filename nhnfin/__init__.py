"""nhnfin: the annual accounts of Norsk helsenett SF, kept in Beancount.

The package holds the Beancount plugins that turn NHN's four financing rules into double-entry
transactions, the statement and note builders of the annual report, the CLI and the Fava extension.
`nhnfin.importers` and `nhnfin.reports` are installed from the repository's top-level `importers/`
and `reports/` folders.
"""

from __future__ import annotations

__version__ = "0.1.0"
