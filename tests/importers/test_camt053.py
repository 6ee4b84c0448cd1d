"""camt.053 importer: parsing functions, errors, XML safety and idempotency (issue 9)."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from pathlib import Path

import pytest
from beancount import loader
from beancount.core import data
from beancount.parser import printer
from nhnfin.importers.camt053 import counter_postings
from nhnfin.importers.camt053 import parse_statements
from nhnfin.importers.common import DocumentError

from tests.importers.conftest import DATA
from tests.importers.conftest import camt_importer

CAMT = DATA / "camt"


def _extract(path: Path) -> list[data.Directive]:
    importer = camt_importer()
    entries = importer.extract(str(path), [])
    importer.sort(entries)
    return entries


def test_malformed_sample_names_file_line_and_element() -> None:
    path = CAMT / "camt053.v2.wrong.xml"
    with pytest.raises(DocumentError) as info:
        _extract(path)
    assert info.value.lineno == 3
    assert info.value.where == "<BkToCstmrStmt>"
    assert str(info.value) == f"{path}:3: <BkToCstmrStmt>: no <Stmt> (statement) in the file"


@pytest.mark.parametrize("name", ["billion-laughs.xml", "external-entity.xml"])
def test_entity_declarations_are_refused(name: str) -> None:
    path = DATA / "unsafe" / name
    with pytest.raises(DocumentError, match="declares a DTD") as info:
        _extract(path)
    assert info.value.where == "<!DOCTYPE>"
    assert info.value.lineno == (7 if name.startswith("billion") else 3)
    assert not camt_importer().identify(str(path))


def test_not_well_formed_xml(tmp_path: Path) -> None:
    path = tmp_path / "cut.xml"
    path.write_text(
        '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">\n<BkToCstmrStmt>\n'
    )
    with pytest.raises(DocumentError, match="not well-formed") as info:
        _extract(path)
    assert info.value.where == "XML"


def test_missing_amount_names_entry_line(tmp_path: Path) -> None:
    text = (CAMT / "camt053.nhn.zero-amount.xml").read_text()
    path = tmp_path / "no-amount.xml"
    path.write_text(text.replace('<Amt Ccy="NOK">0.00</Amt>', "", 1))
    with pytest.raises(DocumentError, match="missing <Amt>") as info:
        _extract(path)
    assert info.value.lineno == 9


def test_unconfigured_account_is_an_error() -> None:
    importer = type(camt_importer())({"NO0000000000000": "Assets:1920-Bank"})
    with pytest.raises(DocumentError, match="NO9386011117947 is not configured"):
        importer.extract(str(CAMT / "camt053.nhn.batch.xml"), [])


def test_statement_parsing_exact_values() -> None:
    [statement] = parse_statements(str(CAMT / "camt053.nhn.batch.xml"))
    assert statement.account_id == "NO9386011117947"
    assert [(b.code, b.amount, b.date) for b in statement.balances] == [
        ("OPBD", Decimal("1000000.00"), datetime.date(2025, 1, 31)),
        ("CLBD", Decimal("1350000.50"), datetime.date(2025, 1, 31)),
    ]
    [entry] = statement.entries
    assert [d.amount for d in entry.details] == [
        Decimal("200000.00"),
        Decimal("100000.50"),
        Decimal("50000.00"),
    ]
    assert entry.details[0].kid == "0001000420006"
    assert entry.details[2].end_to_end_id is None  # NOTPROVIDED


def test_batch_that_does_not_add_up_gets_one_suspense_posting() -> None:
    [statement] = parse_statements(str(CAMT / "camt053.nhn.batch.xml"))
    entry = statement.entries[0]
    broken = entry.__class__(**{**entry.__dict__, "amount": Decimal("1.00")})
    [posting] = counter_postings(broken, "Assets:1590-Unreconciled")
    assert posting.units.number == Decimal("-1.00")


def test_closing_balance_is_dated_the_day_after() -> None:
    balances = [
        e for e in _extract(CAMT / "camt053.nhn.reversal.xml") if isinstance(e, data.Balance)
    ]
    assert [(b.date, b.amount.number, b.meta["balance-type"]) for b in balances] == [
        (datetime.date(2025, 3, 3), Decimal("500.00"), "OPBD"),
        (datetime.date(2025, 3, 4), Decimal("500.00"), "CLBD"),
    ]


@pytest.mark.parametrize(
    "name",
    [
        "camt053.nhn.batch.xml",
        "camt053.nhn.reversal.xml",
        "camt053.nhn.foreign-currency.xml",
        "camt053.nhn.zero-amount.xml",
    ],
)
def test_edge_case_import_passes_bean_check(name: str) -> None:
    entries = _extract(CAMT / name)
    buffer = io.StringIO()
    printer.print_entries(entries, file=buffer)
    # What the ledger held before the statement: the opening booked balance.
    before = "".join(
        f'{e.date - datetime.timedelta(days=1)} * "before"\n  {e.account}  {e.amount}\n'
        "  Equity:2050-OtherEquity\n"
        for e in entries
        if isinstance(e, data.Balance) and e.meta["balance-type"] == "OPBD"
    )
    text = 'plugin "beancount.plugins.auto_accounts"\n' + before + buffer.getvalue()
    _entries, errors, _options = loader.load_string(text)
    assert errors == []


def test_importing_twice_adds_nothing() -> None:
    importer = camt_importer()
    path = str(CAMT / "camt053.nhn.reversal.xml")
    first = importer.extract(path, [])
    buffer = io.StringIO()
    printer.print_entries(first, file=buffer)
    existing, _errors, _options = loader.load_string(buffer.getvalue())
    again = importer.extract(path, existing)
    importer.deduplicate(again, list(existing))
    assert all("__duplicate__" in entry.meta for entry in again)
    assert len(again) == 4
