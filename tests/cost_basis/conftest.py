"""Literal ledgers for the cost-basis tests (issue 11), loaded with the validation plugin."""

from __future__ import annotations

import textwrap
from typing import Any

from beancount import loader

HEADER = """\
option "operating_currency" "NOK"
plugin "nhnfin.cost_basis.directives"
2020-01-01 open Expenses:5000-Salaries NOK
2020-01-01 open Expenses:6700-ExternalServices NOK
2020-01-01 open Assets:1920-Bank NOK
2020-01-01 custom "nhnfin-ehealth-solution" "kjernejournal" "Kjernejournal"
2020-01-01 custom "nhnfin-ehealth-solution" "proevesvar" "Pasientens prøvesvar"
2020-01-01 custom "nhnfin-cost-element" "drift" "Drift"
  accounts: "6700-6799"
2020-01-01 custom "nhnfin-cost-element" "personell" "Personell"
  accounts: "5000-5999"
"""
HEADER_LINES = HEADER.count("\n")


def load(body: str) -> tuple[list[Any], list[Any]]:
    """HEADER + the dedented body; line n of the body is line HEADER_LINES + n of the file."""
    entries, errors, _ = loader.load_string(HEADER + textwrap.dedent(body))
    return entries, errors


def located(errors: list[Any]) -> list[tuple[int, str]]:
    """(line in the body, message) of each error."""
    return [(e.source["lineno"] - HEADER_LINES, e.message) for e in errors]
