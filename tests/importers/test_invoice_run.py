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


def test_amount_with_more_than_two_decimals_is_refused() -> None:
    with pytest.raises(ValueError, match="mer enn to desimaler"):
        parse_invoice_amount("100,0055")


@pytest.mark.parametrize("text", ["1,000", "1.000", "100,005", "-2.500", " 7,250 "])
def test_separator_before_three_digits_is_ambiguous(text: str) -> None:
    """1,000 is one thousand to one reader and 1.00 to another: refused, never guessed."""
    with pytest.raises(ValueError, match=r"^tvetydig beløp .*\(1000 eller 1,00\)$"):
        parse_invoice_amount(text)


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
        (2, "kolonne 'amount'", "ikke et beløp: 'abc'"),
        (3, "kolonne 'customer'", "tom"),
        (4, "kolonne 'period'", "perioden '2024-13' har ingen måned 13"),
        (5, "kolonne 'amount'", AMBIGUOUS.format("'100,005'")),
        (7, "faktura '20005'", "står allerede på linje 6"),
    ]
    assert str(info.value.errors[0]) == f"{path}:2: kolonne 'amount': ikke et beløp: 'abc'"


AMBIGUOUS = (
    "tvetydig beløp {}: et skilletegn foran tre sifre er tusenskille for én leser og "
    "desimaltegn for en annen; skriv beløpet uten tusenskille og med høyst to desimaler "
    "(1000 eller 1,00)"
)


def test_comma_separated_run_with_unquoted_commas_is_refused_at_its_lines() -> None:
    """Issue 15 E: øre are never dropped and 1,000 is never read as 1.00."""
    path = DATA / "invoices-bad" / "comma-separated.csv"
    assert InvoiceRunImporter().identify(str(path))
    with pytest.raises(DocumentErrors) as info:
        InvoiceRunImporter().extract(str(path), [])
    cells = (
        '6 celler, men overskriften har 5: er et beløp skrevet med komma uten anførselstegn '
        '(1042953,50 eller 1,000)? Sett det i anførselstegn ("1042953,50"), eller bruk ";" '
        'mellom kolonnene'
    )
    assert [(e.lineno, e.where, e.message) for e in info.value.errors] == [
        (2, "rad", cells),
        (3, "rad", cells),
        (4, "kolonne 'amount'", AMBIGUOUS.format("'1,000'")),
    ]
    assert str(info.value.errors[0]).startswith(f"{path}:2: rad: 6 celler")


def test_quoted_decimal_comma_in_a_comma_separated_run_keeps_the_ore(tmp_path: Path) -> None:
    path = tmp_path / "run.csv"
    path.write_text(
        'invoice,customer,solution,period,amount,\n1,A,B,2024,"1042953,50",\n', encoding="utf-8"
    )
    [invoice] = parse_invoice_run(str(path))
    assert invoice.amount == Decimal("1042953.50")


def test_missing_column_is_a_header_error(tmp_path: Path) -> None:
    path = tmp_path / "run.csv"
    path.write_text("invoice;customer;period;amount\n1;A;2024;1,00\n", encoding="utf-8")
    assert not InvoiceRunImporter().identify(str(path))
    with pytest.raises(DocumentErrors,
                       match=r"run.csv:1: overskrift: mangler kolonnene \['solution'\]"):
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
