"""The books' opening balance posts to equity as the ledger's layout names it
(:func:`nhnfin.statements.equity_lines`), not to a fixed NS 4102 range."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from nhnfin.ledger import Ledger
from nhnfin.ledger import load
from nhnfin.model import Report
from nhnfin.model import Status
from nhnfin.report import build_report
from tests.test_init import init


def nok(text: str) -> Decimal:
    return Decimal(text.replace(" ", "")).quantize(Decimal("0.01"))


def cash_flow(report: Report) -> dict[str, Decimal]:
    return {r.key: r.amounts["2025"] for r in report.statement("cash_flow").rows
            if r.amounts.get("2025")}


FUND = """
2025-01-01 open Liabilities:2155-Formalskapital NOK

2025-01-01 * "Inngående balanse"
  Assets:1920-Bank                            300000.00 NOK
  Liabilities:2155-Formalskapital             -300000.00 NOK

2025-05-01 * "Utleier" "Husleie"
  Expenses:6300-Rent                           100000.00 NOK
  Assets:1920-Bank
"""


def fund_ledger(tmp_path: Path) -> Ledger:
    """A new ledger whose own layout places its fund capital (2155, "Formålskapital") in equity,
    not in the provisions where NS 4102 puts 2150-2199."""
    main = init(tmp_path / "books")
    layout = main.parent / "layout.toml"
    text = layout.read_text(encoding="utf-8")
    text = text.replace('accounts = ["2050-2099", "3000-8999"]',
                        'accounts = ["2050-2099", "2155-2155", "3000-8999"]', 1)
    text = text.replace('accounts = ["2150-2199"]', 'accounts = ["2150-2154", "2156-2199"]')
    text = text.replace('excluded = ["1900-1999", "2050-2099", "8900-8999"]',
                        'excluded = ["1900-1999", "2050-2099", "2155-2155", "8900-8999"]')
    layout.write_text(text, encoding="utf-8")
    with (main.parent / "2025.beancount").open("a", encoding="utf-8") as year:
        year.write(FUND)
    ledger = load(main)
    assert ledger.errors == []
    return ledger


def test_the_opening_balance_posts_to_the_equity_the_ledgers_layout_names(
        tmp_path: Path) -> None:
    """The opening balance brings in 300 000 of cash against the fund capital, equity by the
    ledger's layout. Before, "posts to equity" was NS 4102 2000-2099: the day held no opening
    balance and the cash flow read the 300 000 as the year's cash against other equity (a net
    change of 200 000; the tie-out "result = change in retained equity" failed: −100 000
    against 200 000)."""
    ledger = fund_ledger(tmp_path)
    report = build_report(ledger, 2025)
    flows = cash_flow(report)
    assert (flows["cash_from_opening_balance"], flows["net_change_in_cash"],
            flows["cash_at_end_of_year"]) == (nok("300 000"), nok("-100 000"), nok("200 000"))
    # the statements' own tie-outs (note 9 of the packaged notes reads 2050-2099 as its other
    # equity: the fund capital is not in its table, which this layout leaves unchanged)
    statements = [t for t in report.tieouts if t.check_id.startswith(("bs.", "eq.", "cf."))]
    assert {t.check_id for t in statements} >= {"cf.ends_at_cash.2025",
                                                "eq.result_equals_change.2025"}
    assert [t.check_id for t in statements if t.status != Status.PASSED] == []
