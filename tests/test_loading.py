"""nhnfin.loading.load gives exactly ``beancount.loader._load``'s result.

Compared on every ledger of the repository, the bad-input catalogue, literal ledgers with what the
shortcuts must leave to Beancount (cost lots, prices, missing amounts and currencies, several
currencies, tolerance and booking options, a plugin that unbalances a transaction) and generated
ledgers. "Exactly": the entries in order with their meta, compared by :func:`shape` (types,
dict order, Decimal exponents, a dict's default); the errors by type, source and message; the
options map (the display context by its printed state).
"""

from __future__ import annotations

import datetime
import inspect
import textwrap
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from beancount import loader
from beancount.core import data
from beancount.core import display_context
from beancount.core import interpolate
from beancount.ops import validation
from beancount.parser import booking_full
from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from nhnfin import loading
from tests.bad_input.cases import LEDGER_CASES
from tests.bad_input.cases import LedgerCase
from tests.bad_input.test_ledgers import PAD_BUG

ROOT = Path(__file__).resolve().parents[1]
REPO_LEDGERS = sorted((ROOT / "ledger").rglob("*.beancount"))


def shape(value: Any) -> Any:
    """``value`` as nested plain data that differs whenever the values differ in type, order,
    a Decimal's exponent or an ImmutableDictWithDefault's default."""
    kind = type(value).__name__
    if isinstance(value, Decimal):
        inner: Any = str(value)
    elif isinstance(value, tuple) and hasattr(value, "_fields"):
        inner = tuple(shape(v) for v in value)
    elif isinstance(value, dict):
        inner = ([(k, shape(v)) for k, v in value.items()],
                 shape(getattr(value, "default", None)))
    elif isinstance(value, (list, tuple)):
        inner = [shape(v) for v in value]
    elif isinstance(value, (set, frozenset)):
        inner = sorted(map(repr, value))
    elif isinstance(value, display_context.DisplayContext):
        inner = str(value)
    else:
        inner = value
    return (kind, inner)


def outcome(result: tuple[list[Any], list[Any], dict[str, Any]]) -> tuple[Any, Any, Any]:
    entries, errors, options = result
    return (shape(entries), [(type(e).__name__, shape(e.source), e.message) for e in errors],
            shape(options))


def assert_same(sources: list[tuple[str, bool]]) -> tuple[list[Any], list[Any]]:
    """Both loaders on ``sources``: equal outcomes. Returns Beancount's entries and errors."""
    theirs = loader._load(sources, None, None, None)
    ours = loading.load(sources)
    expected, got = outcome(theirs), outcome(ours)
    assert got[1] == expected[1]
    assert got[2] == expected[2]
    assert got[0] == expected[0]
    return theirs[0], theirs[1]


def same_file(path: Path) -> tuple[list[Any], list[Any]]:
    return assert_same([(str(path.resolve()), True)])


def same_text(tmp_path: Path, text: str) -> tuple[list[Any], list[Any]]:
    path = tmp_path / "books.beancount"
    path.write_text(textwrap.dedent(text), "utf-8")
    return same_file(path)


def test_the_repository_has_ledgers_to_compare() -> None:
    assert len(REPO_LEDGERS) >= 15
    assert ROOT / "ledger" / "nhn.beancount" in REPO_LEDGERS


@pytest.mark.parametrize("path", REPO_LEDGERS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_ledger_of_the_repository_loads_as_beancount_loads_it(path: Path) -> None:
    same_file(path)


@pytest.mark.parametrize("case", LEDGER_CASES, ids=lambda c: c.id)
def test_every_bad_input_case_loads_as_beancount_loads_it(case: LedgerCase,
                                                          tmp_path: Path) -> None:
    for name, content in case.files.items():
        (tmp_path / name).write_bytes(content)
    path = tmp_path / "case.beancount"
    path.write_bytes(case.content())
    if not case.valueless:
        same_file(path)
        return
    # a custom directive without values: Beancount's pad plugin fails on it (a traceback, and
    # no pad padded); nhnfin's load gives the directive an empty list, so it has Beancount's
    # result without that one error (loading.with_values)
    sources = [(str(path.resolve()), True)]
    theirs = loader._load(sources, None, None, None)
    ours = loading.load(sources)
    pad_bug = [e for e in theirs[1] if e.message.startswith(PAD_BUG)]
    assert len(pad_bug) == 1
    expected = (loading.with_values(theirs[0]), [e for e in theirs[1] if e not in pad_bug],
                theirs[2])
    got, want = outcome(ours), outcome(expected)
    assert got[1] == want[1]
    assert got[2] == want[2]
    assert got[0] == want[0]


VALUELESS = """\
option "operating_currency" "NOK"
plugin "nhnfin"
2024-01-01 open Assets:1920-Bank NOK
2024-01-01 open Equity:2000-ContributedCapital NOK
2024-01-01 pad Assets:1920-Bank Equity:2000-ContributedCapital
2024-02-01 balance Assets:1920-Bank 100.00 NOK
2024-03-01 custom "nhnfin-grant"
"""


def test_a_custom_directive_without_values_is_its_own_error_only(tmp_path: Path) -> None:
    """Before, the load had Beancount's pad traceback besides the directive's error (and
    ``nhnfin report`` printed it into the report), and the pad was not padded, so the balance
    failed too."""
    path = tmp_path / "books.beancount"
    path.write_text(VALUELESS, encoding="utf-8")
    entries, errors, _ = loading.load([(str(path), True)])
    assert [(e.source["lineno"], e.message) for e in errors] == [
        (7, 'custom "nhnfin-grant" tar én verdi: tilskuddets id i anførselstegn')]
    padding = [e for e in entries if isinstance(e, data.Transaction) and e.flag == "P"]
    assert [(p.date, p.postings[0].units.number) for p in padding] == [
        (datetime.date(2024, 1, 1), Decimal("100.00"))]


HEAD = """\
option "operating_currency" "NOK"
2020-01-01 open Assets:Bank
2020-01-01 open Assets:Cash
2020-01-01 open Assets:Broker
2020-01-01 open Assets:Fifo "FIFO"
2020-01-01 open Expenses:Food
2020-01-01 open Expenses:Fees
2020-01-01 open Income:Gains
2020-01-01 open Equity:Opening
"""

LITERALS = {
    "plain": """
        2020-02-01 * "food"
          Expenses:Food   12.50 NOK
          Assets:Bank    -12.50 NOK
        2020-02-02 * "three decimals, an integer"
          Expenses:Food   1.125 NOK
          Expenses:Fees   3 NOK
          Assets:Bank    -4.125 NOK
        """,
    "several currencies, interleaved": """
        2020-02-01 * "mixed"
          Expenses:Food   10.00 USD
          Assets:Bank    -100.00 NOK
          Assets:Bank    -10.00 USD
          Expenses:Food   100.00 NOK
          Expenses:Fees   1.0 EUR
          Assets:Cash    -1.0 EUR
        """,
    "unbalanced and within tolerance": """
        2020-02-01 * "within"
          Expenses:Food   10.004 NOK
          Assets:Bank    -10.00 NOK
        2020-02-02 * "beyond"
          Expenses:Food   10.10 NOK
          Assets:Bank    -10.00 NOK
        2020-02-03 * "zero legs"
          Expenses:Food   0.00 NOK
          Assets:Bank     0 NOK
        """,
    "missing amounts and currencies": """
        2020-01-15 * "plain first"
          Expenses:Fees   7.00 USD
          Assets:Cash    -7.00 USD
        2020-02-01 * "auto"
          Expenses:Food   12.50 NOK
          Assets:Bank
        2020-02-02 * "two autos"
          Expenses:Food   12.50 NOK
          Assets:Bank
          Assets:Cash
        2020-02-03 * "currency from the inventory"
          Expenses:Food   5.00 NOK
          Assets:Bank    -5.00
        2020-02-04 * "nothing to infer from"
          Expenses:Fees   5.00
          Assets:Cash    -5.00
        """,
    "cost lots, reductions, prices": """
        2020-02-01 * "buy"
          Assets:Broker   10 HOOL {100.00 USD}
          Assets:Bank    -1000.00 USD
        2020-02-02 * "buy again"
          Assets:Broker   10 HOOL {101.00 USD}
          Assets:Bank    -1010.00 USD
        2020-03-01 * "sell, ambiguous under STRICT"
          Assets:Broker  -5 HOOL {}
          Assets:Bank     550.00 USD
          Income:Gains
        2020-03-02 * "sell a named lot"
          Assets:Broker  -5 HOOL {100.00 USD}
          Assets:Bank     550.00 USD
          Income:Gains
        2020-03-03 * "no such lot"
          Assets:Broker  -5 HOOL {99.00 USD}
          Assets:Bank     495.00 USD
        2020-04-01 * "fifo"
          Assets:Fifo     2 HOOL {100 USD}
          Assets:Fifo     2 HOOL {110 USD}
          Assets:Bank    -420 USD
        2020-04-02 * "fifo sell"
          Assets:Fifo    -3 HOOL {}
          Assets:Bank     400 USD
          Income:Gains
        2020-05-01 * "price"
          Assets:Cash     100.00 EUR @ 10.50 NOK
          Assets:Bank    -1050.00 NOK
        2020-05-02 * "price to infer"
          Assets:Cash     100.00 EUR @ NOK
          Assets:Bank    -1050.00 NOK
        2020-05-03 * "total cost"
          Assets:Broker   3 HOOL {{300.00 USD}}
          Assets:Bank
        2020-05-04 * "negative cost"
          Assets:Broker   1 HOOL {-5.00 USD}
          Assets:Bank     5.00 USD
        """,
    "an account with plain and cost postings": """
        2020-02-01 * "plain on the broker"
          Assets:Broker   100.00 USD
          Assets:Bank    -100.00 USD
        2020-02-02 * "cost on the broker"
          Assets:Broker   1 HOOL {50.00 USD}
          Assets:Broker  -50.00 USD
        2020-02-03 * "plain again, then a reduction"
          Assets:Broker  -10.00 USD
          Assets:Bank     10.00 USD
        2020-02-04 * "sell"
          Assets:Broker  -1 HOOL {}
          Assets:Broker   60.00 USD
          Income:Gains
        """,
}

OPTIONS = {
    "default tolerances": 'option "inferred_tolerance_default" "NOK:0.05"\n'
                          'option "inferred_tolerance_default" "*:0.001"\n',
    "multiplier": 'option "tolerance_multiplier" "1.2"\n',
    "from cost": 'option "infer_tolerance_from_cost" "TRUE"\n',
    "precise interpolation": 'option "use_precise_interpolation" "FALSE"\n',
    "booking method": 'option "booking_method" "FIFO"\n',
    "none": "",
}


@pytest.mark.parametrize("options", OPTIONS, ids=str)
@pytest.mark.parametrize("name", LITERALS, ids=str)
def test_literal_ledgers_load_as_beancount_loads_them(name: str, options: str,
                                                      tmp_path: Path) -> None:
    _, errors = same_text(tmp_path, OPTIONS[options] + HEAD + textwrap.dedent(LITERALS[name]))
    unparsed = ("LexerError", "ParserError", "ParserSyntaxError")
    assert not [e for e in errors if type(e).__name__ in unparsed]  # the options applied


def test_the_literal_ledgers_have_errors_of_every_stage(tmp_path: Path) -> None:
    """The comparison above covers booking, interpolation and balance errors, not just clean
    loads."""
    text = HEAD + "".join(textwrap.dedent(t) for t in LITERALS.values())
    _, errors = same_text(tmp_path, text)
    names = {type(e).__name__ for e in errors}
    assert {"ReductionError", "InterpolationError", "CategorizationError",
            "ValidationError", "AmbiguousMatchError"} <= names, names
    messages = " ".join(e.message for e in errors)
    assert "Transaction does not balance: (0.10 NOK)" in messages
    assert "Transaction does not balance: (0.004 NOK)" not in messages


UNBALANCING = '''
from beancount.core import data
from beancount.core.amount import Amount
from beancount.core.number import D

__plugins__ = ["unbalance"]


def unbalance(entries, options_map):
    """Halve the first posting of every transaction and add an unbalanced one."""
    out = []
    for entry in entries:
        if isinstance(entry, data.Transaction) and entry.postings:
            first = entry.postings[0]
            half = first._replace(units=Amount(first.units.number / 2, first.units.currency))
            entry = entry._replace(postings=[half, *entry.postings[1:]])
        out.append(entry)
    meta = data.new_metadata("<unbalance>", 0)
    out.append(data.Transaction(meta, out[-1].date, "*", None, "added", frozenset(),
                                frozenset(), [data.Posting("Assets:Bank", Amount(D("1.00"),
                                "NOK"), None, None, None, None)]))
    return out, []
'''


def test_a_plugin_that_unbalances_transactions_gives_beancount_s_errors(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "unbalancing_plugin.py").write_text(UNBALANCING, "utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    text = 'plugin "unbalancing_plugin"\n' + HEAD + textwrap.dedent(LITERALS["plain"])
    _, errors = same_text(tmp_path, text)
    assert sum("does not balance" in e.message for e in errors) == 3


def test_a_changed_list_of_validations_is_run_as_beancount_runs_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(validation, "VALIDATIONS",
                        [*validation.BASIC_VALIDATIONS, *validation.HARDCORE_VALIDATIONS])
    same_text(tmp_path, HEAD + textwrap.dedent(LITERALS["plain"]))
    monkeypatch.setattr(validation, "VALIDATIONS", [validation.validate_open_close])
    _, errors = same_text(tmp_path, HEAD + textwrap.dedent(LITERALS["unbalanced and within "
                                                                    "tolerance"]))
    assert errors == []


def test_included_files_and_the_input_hash_are_beancount_s(tmp_path: Path) -> None:
    (tmp_path / "more.beancount").write_text(textwrap.dedent(LITERALS["plain"]), "utf-8")
    main = tmp_path / "books.beancount"
    main.write_text(HEAD + 'include "more.beancount"\n', "utf-8")
    ours = loading.load([(str(main), True)])[2]
    theirs = loader._load([(str(main), True)], None, None, None)[2]
    assert ours["include"] == theirs["include"] == [str(main), str(tmp_path / "more.beancount")]
    assert ours["input_hash"] == theirs["input_hash"]


def test_strings_as_sources_load_as_beancount_loads_them(tmp_path: Path) -> None:
    path = tmp_path / "books.beancount"
    path.write_text(HEAD, "utf-8")
    assert_same([(str(path), True), (textwrap.dedent(LITERALS["several currencies, "
                                                              "interleaved"]), False)])


# ---- the shortcuts are taken (else the comparisons above would compare Beancount with itself)


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    """The narrations of the transactions Beancount's booking and balance check see."""
    seen: dict[str, list[str]] = {"booked": [], "checked": []}
    book, check = booking_full._book, loading._CHECK_BALANCES

    def counting_book(entries: list[Any], *args: Any) -> Any:
        seen["booked"] += [e.narration for e in entries if isinstance(e, data.Transaction)]
        return book(entries, *args)

    def counting_check(entries: list[Any], options: Any) -> Any:
        seen["checked"] += [e.narration for e in entries]
        return check(entries, options)

    monkeypatch.setattr(booking_full, "_book", counting_book)
    monkeypatch.setattr(loading, "_CHECK_BALANCES", counting_check)
    monkeypatch.setattr(validation, "VALIDATIONS", [
        counting_check if f is check else f for f in validation.VALIDATIONS])
    return seen


def load_text(tmp_path: Path, text: str) -> tuple[list[Any], list[Any], dict[str, Any]]:
    path = tmp_path / "books.beancount"
    path.write_text(text, "utf-8")
    return loading.load([(str(path), True)])


def test_plain_transactions_skip_beancount_s_booking_and_tolerances(
        tmp_path: Path, counted: dict[str, list[str]]) -> None:
    text = HEAD + textwrap.dedent(LITERALS["plain"] + LITERALS["an account with plain and "
                                                               "cost postings"])
    entries, errors, _ = load_text(tmp_path, text)
    assert errors == []
    assert counted["booked"] == ["plain on the broker", "cost on the broker",
                                 "plain again, then a reduction", "sell"]
    assert counted["checked"] == ["cost on the broker", "sell"]
    food = next(e for e in entries if isinstance(e, data.Transaction) and e.narration == "food")
    assert food.meta[interpolate.AUTOMATIC_TOLERANCES] == {"NOK": Decimal("0.005")}


def test_a_residual_not_exactly_zero_is_checked_by_beancount(
        tmp_path: Path, counted: dict[str, list[str]]) -> None:
    text = HEAD + textwrap.dedent(LITERALS["unbalanced and within tolerance"])
    _, errors, _ = load_text(tmp_path, text)
    assert counted["booked"] == []
    assert counted["checked"] == ["within", "beyond"]
    assert [e.message for e in errors] == ["Transaction does not balance: (0.10 NOK)"]


def test_a_booking_method_option_books_everything_through_beancount(
        tmp_path: Path, counted: dict[str, list[str]]) -> None:
    load_text(tmp_path, OPTIONS["booking method"] + HEAD + textwrap.dedent(LITERALS["plain"]))
    # booking.book: every transaction through booking_full._book
    assert counted["booked"] == ["food", "three decimals, an integer"]
    assert counted["checked"] == []


def test_the_plain_tolerances_are_beancount_s() -> None:
    entries, _, options = loader.load_string(textwrap.dedent("""
        option "inferred_tolerance_default" "*:0.0050"
        option "inferred_tolerance_default" "USD:0.01"
        2020-01-01 *
          Expenses:Food   1.25 NOK
          Expenses:Food   1.2500 NOK
          Expenses:Food   3 EUR
          Assets:Bank    -2.5000 NOK
          Assets:Bank    -3 EUR
          Assets:Bank     0.001 USD
          Assets:Bank    -0.001 USD
        """))
    postings = entries[0].postings
    expected = interpolate.infer_tolerances(postings, options, mode="max")
    got = loading.plain_tolerances(postings, options)
    assert shape(got) == shape(expected)
    assert got.default == Decimal("0.0050")


def test_a_ledger_beancount_fails_on_fails_the_same_way(tmp_path: Path) -> None:
    """Beancount 3.2.3's balance check raises on the postings its interpolation could not
    complete (units from a total cost of zero per unit); so does nhnfin's load."""
    path = tmp_path / "books.beancount"
    path.write_text(HEAD + textwrap.dedent("""
        2020-05-05 * "units from a total"
          Assets:Broker   HOOL {0 # 100.00 USD}
          Assets:Bank    -100.00 USD
        """), "utf-8")
    for load in (lambda s: loader._load(s, None, None, None), loading.load):
        with pytest.raises(TypeError, match="bad operand type for abs"):
            load([(str(path), True)])


# ---- generated ledgers


AMOUNT = st.builds(lambda units, places: Decimal(units).scaleb(-places),
                   st.integers(-5000, 5000), st.integers(0, 3))
ACCOUNTS = ["Assets:Bank", "Assets:Cash", "Assets:Broker", "Assets:Fifo", "Expenses:Food"]
MIXED = ACCOUNTS[:1] + ACCOUNTS[2:4]  # the others only ever get plain postings
CURRENCIES = ["NOK", "USD"]


@st.composite
def posting(draw: st.DrawFn) -> str:
    currency = draw(st.sampled_from(CURRENCIES))
    kind = draw(st.sampled_from(["plain", "plain", "plain", "missing", "no currency", "cost",
                                 "reduce", "price"]))
    account = draw(st.sampled_from(ACCOUNTS if kind == "plain" else MIXED))
    number = draw(AMOUNT)
    if kind == "missing":
        return f"  {account}\n"
    if kind == "no currency":
        return f"  {account}  {number}\n"
    if kind == "cost":
        return f"  {account}  {abs(number) or 1} HOOL {{{draw(AMOUNT)} {currency}}}\n"
    if kind == "reduce":
        return f"  {account}  -{abs(number) or 1} HOOL {{}}\n"
    if kind == "price":
        return f"  {account}  {number} EUR @ {abs(draw(AMOUNT))} {currency}\n"
    return f"  {account}  {number} {currency}\n"


@st.composite
def transaction(draw: st.DrawFn) -> str:
    legs = draw(st.lists(posting(), min_size=1, max_size=4))
    if draw(st.booleans()):  # a balancing leg for the plain ones
        currency = draw(st.sampled_from(CURRENCIES))
        total = sum((Decimal(p.split()[1]) for p in legs
                     if len(p.split()) == 3 and p.split()[2] == currency), Decimal(0))
        legs.append(f"  Expenses:Food  {-total} {currency}\n")
    day = draw(st.integers(1, 28))
    return f"2020-03-{day:02d} * \"t\"\n" + "".join(legs)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(options=st.sampled_from(sorted(OPTIONS)),
       body=st.lists(transaction(), min_size=1, max_size=8))
def test_generated_ledgers_load_as_beancount_loads_them(tmp_path: Path, options: str,
                                                        body: list[str]) -> None:
    same_text(tmp_path, OPTIONS[options] + HEAD + "\n".join(body))


# ---- Fava


def test_fava_loads_through_the_seam_nhnfin_replaces() -> None:
    """Fava (1.30) loads through ``fava.core.load_uncached(path, *, is_encrypted)``; an upgrade
    that moves or changes it must fail here, not leave ``nhnfin fava`` on Beancount's loader
    silently."""
    import fava.core
    from fava.beans import load as fava_load

    assert fava.core.load_uncached is fava_load.load_uncached
    assert list(inspect.signature(fava_load.load_uncached).parameters) == [
        "beancount_file_path", "is_encrypted"]
    assert "load_uncached(" in inspect.getsource(fava.core.FavaLedger.load_file)


def test_nhnfin_fava_gives_fava_beancount_s_result(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    import fava.core

    from nhnfin.fava_ext.loading import install
    from nhnfin.fava_ext.loading import load_uncached

    monkeypatch.setattr(fava.core, "load_uncached", fava.core.load_uncached)
    path = tmp_path / "books.beancount"
    path.write_text(HEAD + textwrap.dedent(LITERALS["cost lots, reductions, prices"]), "utf-8")
    plain = fava.core.FavaLedger(str(path), poll_watcher=True)  # no watcher thread
    assert install()
    assert fava.core.load_uncached is load_uncached
    ours = fava.core.FavaLedger(str(path), poll_watcher=True)
    assert shape(ours.all_entries) == shape(plain.all_entries)
    assert [e.message for e in ours.load_errors] == [e.message for e in plain.load_errors]
    assert shape(ours.options) == shape(plain.options)


def test_a_fava_without_the_seam_is_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    import fava.core

    from nhnfin.fava_ext.loading import install

    def other(path: str) -> Any:
        return None

    monkeypatch.setattr(fava.core, "load_uncached", other)
    assert not install()
    assert fava.core.load_uncached is other
    monkeypatch.delattr(fava.core, "load_uncached")
    assert not install()
