"""Helpers for the grant tests: literal ledgers with the plugin and the chart of accounts.

A test ledger names the chart as ``include "ACCOUNTS"``; :func:`load` puts in the real path, so
line numbers in a ledger are the lines of the test's string (line 1 follows the ``\"\"\"\\``).
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from beancount import loader
from beancount.core import data

from nhnfin.grants.models import GrantError
from nhnfin.ledger import Ledger
from nhnfin.ledger import from_entries

ROOT = Path(__file__).resolve().parents[2]
ACCOUNTS = ROOT / "ledger" / "accounts.beancount"


@dataclass(frozen=True)
class Loaded:
    """A loaded test ledger."""

    ledger: Ledger

    @property
    def errors(self) -> list[GrantError]:
        """The grant plugin's errors."""
        return [e for e in self.ledger.errors if isinstance(e, GrantError)]

    @property
    def other_errors(self) -> list[Any]:
        """Every other error (Beancount's own, e.g. a generated entry that does not balance)."""
        return [e for e in self.ledger.errors if not isinstance(e, GrantError)]

    def generated(self, rule: str | None = None) -> list[data.Transaction]:
        """Generated grant transactions, optionally of one rule."""
        return [
            e for e in self.ledger.entries
            if isinstance(e, data.Transaction) and "nhnfin-generated" in e.tags
            and str(e.meta.get("nhnfin-rule", "")).startswith("grant")
            and (rule is None or e.meta["nhnfin-rule"] == rule)
        ]

    def closing(self, account: str, year: int) -> Decimal:
        """Balance of ``account`` (and its sub-accounts) at the end of ``year``."""
        accounts = [a for a in self.ledger.accounts() if a == account or
                    a.startswith(account + ":")]
        return self.ledger.closing(accounts, year)

    def movement(self, account: str, year: int) -> Decimal:
        """Postings to ``account`` in ``year``."""
        return self.ledger.movement([account], year)


def load_ledger(text: str) -> Loaded:
    """Load a literal ledger (dedented; ``ACCOUNTS`` is the chart of accounts)."""
    source = textwrap.dedent(text).replace('"ACCOUNTS"', f'"{ACCOUNTS}"')
    entries, errors, options = loader.load_string(source)
    return Loaded(from_entries(entries, errors, options))
