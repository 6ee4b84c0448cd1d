"""Fuzzing the custom-directive parsing: random values, types and metadata for every nhnfin
``custom`` directive, run through every nhnfin plugin. A plugin must never raise: each outcome is
either accepted or an error located at a directive of the ledger (its file and line)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from beancount import loader
from beancount.core import data
from beancount.core.amount import Amount
from beancount.parser.grammar import ValueType
from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from nhnfin import assets
from nhnfin import ehealth
from nhnfin import grants
from nhnfin import mapping
from nhnfin.assets import delivery_obligation
from nhnfin.notes import note_data
from tests.bad_input.cases import ACCOUNTS

FILE = "fuzz.beancount"
ACCOUNT_TYPE = "<AccountDummy>"  # the dtype Beancount's parser gives an account value

TYPES = (
    "nhnfin-asset", "nhnfin-transfer", "nhnfin-schedule", "nhnfin-impairment", "nhnfin-disposal",
    "nhnfin-grant", "nhnfin-grant-award", "nhnfin-grant-repayment", "nhnfin-grant-reallocation",
    "nhnfin-ehealth-options", "nhnfin-ehealth-group", "nhnfin-ehealth-solution",
    "nhnfin-ehealth-key", "nhnfin-ehealth-cost-basis", "nhnfin-ehealth-actor",
    "nhnfin-ehealth-population", "nhnfin-ehealth-merger", "nhnfin-ehealth-repayment",
    "nhnfin-note-data", "nhnfin-layout",
)
META_KEYS = (
    "months", "start", "amount", "name", "account", "book", "source", "note-row", "end",
    "ready-for-management", "to", "reason", "income", "liability", "split", "compensated",
    "repayment", "label", "title", "board_fee_paid", "rule", "colour",
)
IDS = ("a", "g1", "kj", "RHF", "HV", "5", "auditor", "audit_fee", "2024", "2024-06", "rounding",
       "krone", "infrastructure", "ehealth", "public_grant")

OPENS = [e for e in loader.load_file(str(ACCOUNTS))[0] if isinstance(e, data.Open)]

numbers = st.one_of(
    st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=-10**6,
                max_value=10**6),
    st.integers(min_value=-10, max_value=10**5).map(Decimal),
    st.sampled_from([Decimal("1E+30"), Decimal(10) ** 40, Decimal("0.001"), Decimal(0)]),
)
texts = st.one_of(st.sampled_from(IDS), st.text(st.characters(blacklist_characters="\x00"),
                                               max_size=12))
dates = st.dates(min_value=datetime.date(1, 1, 1), max_value=datetime.date(9999, 12, 31))
accounts = st.sampled_from(
    ["Assets:1920-Bank", "Expenses:6700-ExternalServices", "Assets:1201-Nope", "Income:X"]
)
amounts = st.builds(Amount, numbers, st.sampled_from(["NOK", "NOK", "USD"]))
value_types = st.one_of(
    texts.map(lambda v: ValueType(v, str)),
    numbers.map(lambda v: ValueType(v, Decimal)),
    amounts.map(lambda v: ValueType(v, Amount)),
    st.booleans().map(lambda v: ValueType(v, bool)),
    dates.map(lambda v: ValueType(v, datetime.date)),
    accounts.map(lambda v: ValueType(v, ACCOUNT_TYPE)),
)
meta_values = st.one_of(texts, numbers, amounts, st.booleans(), dates, accounts)


@st.composite
def directives(draw: st.DrawFn) -> list[data.Custom]:
    """A few random ``custom`` directives of the nhnfin types, each on its own line."""
    result = []
    for lineno in range(1, draw(st.integers(1, 6)) + 1):
        meta = data.new_metadata(FILE, lineno)
        meta.update(draw(st.dictionaries(st.sampled_from(META_KEYS), meta_values, max_size=4)))
        given = draw(st.one_of(st.none(), st.lists(value_types, max_size=6)))
        result.append(data.Custom(meta, draw(dates), draw(st.sampled_from(TYPES)), given))
    return result


PLUGINS = (
    assets.run, delivery_obligation.plugin, grants.run, ehealth.run,
    note_data.check_note_data, mapping.check_layout,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(directives())
def test_plugins_never_raise_and_every_error_is_located(customs: list[data.Custom]) -> None:
    entries: list[Any] = sorted([*OPENS, *customs], key=data.entry_sortkey)
    options = {"plugin": [(f"nhnfin.{n}", None) for n in ("assets", "delivery_obligation")]}
    for plugin in PLUGINS:
        _new, errors = plugin(entries, options, None)
        for error in errors:
            assert error.source["filename"] in (FILE, str(ACCOUNTS)), error
            assert isinstance(error.source["lineno"], int), error
            assert error.source["lineno"] >= 1, error
            assert error.message, error
