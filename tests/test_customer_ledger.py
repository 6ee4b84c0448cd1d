"""Open items of a customer who pays in bulk without references are aged first in, first out."""

from __future__ import annotations

import datetime
from decimal import Decimal

from nhnfin.reconcile.customer_ledger import fifo_date
from nhnfin.reconcile.customer_ledger import open_items
from tests.conftest import load_text


def test_fifo_date_is_the_oldest_uncovered_debit() -> None:
    debits = [(datetime.date(2024, 3, 1), Decimal(100)), (datetime.date(2024, 1, 1), Decimal(50))]
    assert fifo_date(debits, Decimal(0)) == datetime.date(2024, 1, 1)
    assert fifo_date(debits, Decimal(50)) == datetime.date(2024, 3, 1)
    assert fifo_date(debits, Decimal(149)) == datetime.date(2024, 3, 1)
    assert fifo_date(debits, Decimal(150)) is None


def test_bulk_payments_leave_the_latest_sales_open() -> None:
    ledger = load_text(
        """
        2024-01-01 open Assets:1500-TradeReceivables:Kunde-A
        2024-01-01 open Income:3100-Services
        2024-01-01 open Assets:1920-Bank
        2024-01-31 * "Salg januar"
          Assets:1500-TradeReceivables:Kunde-A   100.00 NOK
          Income:3100-Services
        2024-02-29 * "Salg februar"
          Assets:1500-TradeReceivables:Kunde-A    80.00 NOK
          Income:3100-Services
        2024-03-10 * "Innbetaling"
          Assets:1920-Bank                       120.00 NOK
          Assets:1500-TradeReceivables:Kunde-A
        """
    )
    items = open_items(ledger.entries)["Kunde-A"]
    assert len(items) == 1
    assert items[0].open == Decimal("60.00")
    assert items[0].invoiced == Decimal("180.00")
    assert items[0].date == datetime.date(2024, 2, 29)
