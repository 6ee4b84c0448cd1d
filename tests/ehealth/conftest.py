"""Fixtures for the e-health tests: literal ledgers loaded with their plugins."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from typing import Any

import pytest
from beancount import loader

Loaded = tuple[list[Any], list[Any], dict[str, Any]]

HEADER = """\
option "operating_currency" "NOK"
plugin "nhnfin.ehealth"
2020-01-01 open Assets:1500-TradeReceivables:Helse-Vest NOK
2020-01-01 open Assets:1920-Bank NOK
2020-01-01 open Liabilities:2920-EHealthObligations NOK
2020-01-01 open Income:3000-EHealthRevenue NOK
2020-01-01 open Expenses:6700-ExternalServices NOK
"""


@pytest.fixture
def load_doc() -> Callable[[str], Loaded]:
    """Load a literal ledger (dedented), prefixed with HEADER (7 lines) when it has no options."""

    def load(text: str) -> Loaded:
        body = textwrap.dedent(text)
        if "option " not in body:
            body = HEADER + body
        return loader.load_string(body)

    return load
