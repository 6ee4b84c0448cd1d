"""A NOK figure made of foreign-currency or at-cost postings, followed on Fava's query page: the
listed ``weight`` column (each posting in NOK, at its price or cost) sums to the figure, and
the running ``weight_balance`` ends at it (nhnfin.fava_ext.columns). Before, the page listed
only the postings' positions and their running balance (1 000 EUR, 10 AKSJE {105 NOK}), which
do not add up to the NOK on screen."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs
from urllib.parse import urlsplit

import pytest
from beanquery.query import run_query
from flask import Flask
from flask.testing import FlaskClient

from nhnfin.fava_ext import views
from nhnfin.ledger import load
from nhnfin.model import Drill
from nhnfin.report import build_report
from tests.fava.conftest import fava_app
from tests.fava.conftest import page_url
from tests.fava.conftest import parse
from tests.fava.conftest import slug
from tests.fava.conftest import write_ledger
from tests.fava.drill_check import QUERY_PAGE
from tests.fava.drill_check import page_problems
from tests.fava.test_extension import column
from tests.fava.test_extension import extension
from tests.fava.test_extension import query

FOREIGN = """
option "title" "Valutatest AS"
option "operating_currency" "NOK"
plugin "nhnfin.mapping"

2019-12-31 custom "fava-option" "fiscal-year-end" "12-31"
2019-12-31 custom "fava-extension" "nhnfin.fava_ext"
2019-12-31 open Assets:1920-Bank NOK
2019-12-31 open Assets:1921-BankEUR
2019-12-31 open Assets:1350-Shares
2019-12-31 open Equity:2000-ContributedCapital NOK
2019-12-31 open Equity:2050-OtherEquity NOK
2019-12-31 open Equity:8960-TransferToOtherEquity NOK
2019-12-31 open Income:3400-GrantIncome NOK
2019-12-31 open Income:8060-CurrencyGains NOK

2024-01-02 * "Innskutt kapital"
  Assets:1920-Bank                 5000.00 NOK
  Equity:2000-ContributedCapital  -5000.00 NOK

2024-03-01 * "Tilskudd i euro"
  Assets:1921-BankEUR              1000.00 EUR @ 11.20 NOK
  Income:3400-GrantIncome        -11200.00 NOK

2024-06-04 * "Aksjer"
  Assets:1350-Shares                 10 AKSJE {105.00 NOK}
  Assets:1920-Bank                -1050.00 NOK

2024-12-31 price EUR 11.7500 NOK
2024-12-31 price AKSJE 130.00 NOK

2024-12-31 * "Omregning av EUR til kursen 31.12.2024"
  Assets:1921-BankEUR               550.00 NOK
  Income:8060-CurrencyGains        -550.00 NOK
"""
CHECK = "bs.currency_at_rate.Assets:1921-BankEUR.2024"


@pytest.fixture
def app(tmp_path: Path) -> Flask:
    return fava_app(write_ledger(tmp_path, FOREIGN))


def numbers(amounts: list[dict[str, Any]]) -> Decimal:
    """The sum of a column of amounts as Fava's query API serves them, all in NOK."""
    assert {a["currency"] for a in amounts} == {"NOK"}
    return sum((Decimal(str(a["number"])) for a in amounts), Decimal(0))


def followed(client: FlaskClient, app: Flask, href: str, title: str) -> tuple[Decimal, Decimal]:
    """(the listed weights' sum, the last running balance of weights) of the query page a
    figure's link opens, with the figure's sign (minus them when the hover says so)."""
    url = urlsplit(href)
    assert url.path == f"/{slug(app)}/query/", href
    result = query(client, app, parse_qs(url.query)["query_string"][0])
    sign = -1 if title.rstrip(".").endswith(views.OPPOSITE) else 1
    last = column(result, "weight_balance")[-1]
    assert set(last) == {"NOK"}
    return sign * numbers(column(result, "weight")), sign * Decimal(str(last["NOK"]))


def link(client: FlaskClient, app: Flask, section: str, row: str, index: int = 0
         ) -> tuple[str, str]:
    """The href and hover of the ``index``-th figure link in ``row`` of ``section`` (2024)."""
    page = client.get(page_url(app, section, "2024")).data
    anchors = parse(page).xpath(f"//tr[@data-key='{row}']/td[@class='num']/a")
    return str(anchors[index].get("href")), str(anchors[index].get("title"))


@pytest.mark.parametrize(("statement", "row", "figure"), [
    # 5 000 − 1 050 NOK on 1920, 1 000 EUR @ 11,20 + 550 NOK on 1921
    ("balance_sheet", "cash_and_bank_deposits", Decimal("15700")),
    # 10 AKSJE {105,00 NOK}
    ("balance_sheet", "other_long_term_receivables", Decimal("1050")),
    ("cash_flow", "payments_assets_under_construction", Decimal("-1050")),
])
def test_a_statement_line_of_foreign_and_at_cost_postings_lists_its_weights(
        app: Flask, statement: str, row: str, figure: Decimal) -> None:
    client = app.test_client()
    line = extension(app).report(2024).statement(statement).row(row)
    assert line.amounts["2024"] == figure
    href, title = link(client, app, statement, row)
    assert followed(client, app, href, title) == (figure, figure)


def test_the_booked_side_of_the_currency_tieout_lists_its_weights(app: Flask) -> None:
    """The NOK the books carry on the EUR account: 11 200 (1 000 EUR @ 11,20) + 550."""
    client = app.test_client()
    tieout = next(t for t in extension(app).report(2024).tieouts if t.check_id == CHECK)
    assert tieout.left == Decimal("11750")
    href, title = link(client, app, "tieouts", CHECK)
    assert followed(client, app, href, title) == (tieout.left, tieout.left)


def test_a_holding_keeps_its_units_and_their_balance() -> None:
    """A drill of units of a currency (the tie-out's holding) lists positions, which sum to it;
    a drill of NOK lists weights and their running balance instead of positions' balance."""
    where = "account = 'Assets:1921-BankEUR'"
    holding = Drill(("Assets:1921-BankEUR",), None, "2025-01-01",
                    f"SELECT date, flag, payee, narration, account, position, balance "
                    f"WHERE {where}", units="EUR")
    nok = Drill(("Assets:1921-BankEUR",), None, "2025-01-01", f"SELECT * WHERE {where}")
    assert ", position, balance, " in views.drill_query(holding)
    assert ", position, weight, weight_balance, " in views.drill_query(nok)


def test_the_weight_balance_starts_again_in_each_query(tmp_path: Path) -> None:
    """Two queries in one process: each running balance starts from nothing, and a query
    asking for it twice adds each posting once."""
    ledger = load(write_ledger(tmp_path, FOREIGN))
    statement = ("SELECT weight_balance, weight_balance AS again "
                 "WHERE account = 'Assets:1921-BankEUR'")
    for _ in range(2):
        _, rows = run_query(ledger.entries, ledger.options_map, statement)
        assert [(str(a), str(b)) for a, b in rows] == [
            ("(11200.0000 NOK)", "(11200.0000 NOK)"), ("(11750.0000 NOK)", "(11750.0000 NOK)")]


def test_the_cash_flow_sections_cash_counts_at_cost_postings_by_their_weight(
        tmp_path: Path) -> None:
    """The investing section against its cash: the shares bought for 1 050 NOK at cost are
    −1 050 on both sides, and the side of the cash links to that posting and sums to it.
    Before, its drill took only postings whose units are NOK (``currency = 'NOK'``) while the
    cash is summed by weight, so it listed nothing and summed to 0, and the difference (0)
    linked to −1 050."""
    ledger = load(write_ledger(tmp_path, FOREIGN))
    report = build_report(ledger, 2024)
    check = "cf.section_cash.investeringsaktiviteter.2024"
    tieout = next(t for t in report.tieouts if t.check_id == check)
    assert (tieout.left, tieout.right) == (Decimal("-1050.00"), Decimal("-1050.00"))
    page = views.page(report, views.TIEOUTS, QUERY_PAGE)
    assert page is not None
    count, wrong = page_problems([page], ledger)
    assert count > 10
    assert wrong == []
