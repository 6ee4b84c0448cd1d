"""Literal ledgers for the asset register and delivery-obligation tests."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from beancount import loader
from beancount.core import data

HEADER = """\
option "operating_currency" "NOK"
2019-12-31 open Assets:1020-EHealthSolutions NOK
2019-12-31 open Assets:1028-EHealthSolutionsAccumImpairment NOK
2019-12-31 open Assets:1029-EHealthSolutionsAccumAmortisation NOK
2019-12-31 open Assets:1040-Software NOK
2019-12-31 open Assets:1049-SoftwareAccumAmortisation NOK
2019-12-31 open Assets:1060-Art NOK
2019-12-31 open Assets:1200-Infrastructure NOK
2019-12-31 open Assets:1208-InfrastructureAccumImpairment NOK
2019-12-31 open Assets:1209-InfrastructureAccumDepreciation NOK
2019-12-31 open Assets:1250-FixturesAndEquipment NOK
2019-12-31 open Assets:1258-FixturesAccumImpairment NOK
2019-12-31 open Assets:1259-FixturesAccumDepreciation NOK
2019-12-31 open Assets:1280-AssetsUnderConstruction NOK
2019-12-31 open Assets:1920-Bank NOK
2019-12-31 open Liabilities:2180-DeliveryObligation NOK
2019-12-31 open Income:3410-DeliveryObligationIncome NOK
2019-12-31 open Income:3900-OtherIncome NOK
2019-12-31 open Expenses:6000-DepreciationTangible NOK
2019-12-31 open Expenses:6010-AmortisationIntangible NOK
2019-12-31 open Expenses:6050-Impairment NOK
2019-12-31 open Expenses:7700-OtherOperatingCosts NOK
"""
HEADER_LINES = HEADER.count("\n")

Loaded = tuple[list[Any], list[Any], dict[str, Any]]


def load(body: str) -> Loaded:
    """Load ``HEADER`` + the dedented ``body`` (its line n is ``HEADER_LINES + n``)."""
    entries, errors, options = loader.load_string(HEADER + textwrap.dedent(body).lstrip("\n"))
    return entries, errors, options


@pytest.fixture
def load_doc(request: pytest.FixtureRequest) -> Loaded:
    """The ledger in the test function's docstring."""
    return load(request.function.__doc__)


def generated(entries: list[Any], rule: str | None = None) -> list[data.Transaction]:
    """The generated transactions (of ``rule`` if given), in date order."""
    return [
        e
        for e in entries
        if isinstance(e, data.Transaction)
        and "nhnfin-generated" in e.tags
        and (rule is None or e.meta["nhnfin-rule"] == rule)
    ]


def legs(entry: data.Transaction) -> dict[str, Decimal]:
    """account -> amount of a transaction."""
    return {p.account: p.units.number for p in entry.postings}


def amounts(entries: list[Any], rule: str, account: str) -> list[tuple[str, Decimal]]:
    """(date, amount on ``account``) of the generated entries of ``rule``."""
    return [(str(e.date), legs(e)[account]) for e in generated(entries, rule)]


def messages(errors: list[Any]) -> list[tuple[int, str]]:
    """(lineno, message) of each error."""
    return [(e.source["lineno"], e.message) for e in errors]


Line = Callable[[int], int]


@pytest.fixture
def line() -> Line:
    """The ledger line number of a docstring's line ``n`` (1-based, after the header)."""
    return lambda n: HEADER_LINES + n
