"""Invoice-run importer: Norwegian amounts, periods, and bad rows as located errors."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from nhnfin.importers.common import DocumentErrors
from nhnfin.importers.invoice_run import InvoiceRunImporter
from nhnfin.importers.invoice_run import parse_invoice_amount
from nhnfin.importers.invoice_run import parse_invoice_run
from nhnfin.importers.invoice_run import period_start

from tests.importers.conftest import DATA


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 042 953,50", Decimal("1042953.50")),
        ("1\u00a0042\u00a0953,50", Decimal("1042953.50")),
        ("-1 500,25", Decimal("-1500.25")),
        ("250000", Decimal("250000.00")),
        (5432109.87, Decimal("5432109.87")),
        (1000, Decimal("1000.00")),
    ],
)
def test_amounts(text: object, expected: Decimal) -> None:
    assert parse_invoice_amount(text) == expected


def test_amount_with_three_decimals_is_refused() -> None:
    with pytest.raises(ValueError, match="more than two decimals"):
        parse_invoice_amount("100,005")


@pytest.mark.parametrize(
    ("period", "start"),
    [
        ("2024", datetime.date(2024, 1, 1)),
        ("2024-07", datetime.date(2024, 7, 1)),
        ("2024-Q3", datetime.date(2024, 7, 1)),
        ("2024Q4", datetime.date(2024, 10, 1)),
    ],
)
def test_period_start(period: str, start: datetime.date) -> None:
    assert period_start(period) == start


def test_bad_rows_are_errors_with_file_and_line() -> None:
    path = DATA / "invoices-bad" / "bad-run.csv"
    with pytest.raises(DocumentErrors) as info:
        parse_invoice_run(str(path))
    found = [(e.lineno, e.where, e.message) for e in info.value.errors]
    assert found == [
        (2, "column 'amount'", "not an amount: 'abc'"),
        (3, "column 'customer'", "empty"),
        (4, "column 'period'", "period '2024-13' has no month 13"),
        (5, "column 'amount'", "amount '100,005' has more than two decimals"),
        (7, "invoice '20005'", "already on line 6"),
    ]
    assert str(info.value.errors[0]) == f"{path}:2: column 'amount': not an amount: 'abc'"


def test_missing_column_is_a_header_error(tmp_path: Path) -> None:
    path = tmp_path / "run.csv"
    path.write_text("invoice;customer;period;amount\n1;A;2024;1,00\n", encoding="utf-8")
    assert not InvoiceRunImporter().identify(str(path))
    with pytest.raises(DocumentErrors, match=r"run.csv:1: header: missing columns \['solution'\]"):
        parse_invoice_run(str(path))


def test_transaction_shape() -> None:
    importer = InvoiceRunImporter()
    [first, *_rest] = importer.extract(str(DATA / "invoices" / "invoice-run-2024-q1.csv"), [])
    assert first.links == frozenset({"inv-10042-8fdb318539"})
    assert first.meta["lineno"] == 2
    assert [(p.account, p.units.number) for p in first.postings] == [
        ("Assets:1500-TradeReceivables:Oslo-kommune", Decimal("1042953.50")),
        ("Liabilities:2920-EHealthObligations", Decimal("-1042953.50")),
    ]
    assert {k: first.meta[k] for k in ("invoice", "customer", "solution", "period")} == {
        "invoice": "10042",
        "customer": "Oslo kommune",
        "solution": "Kjernejournal",
        "period": "2024-Q1",
    }
