"""A posting the books cannot sum in NOK (another currency without a price or cost in NOK, an
amount not below MAX_AMOUNT) is an error of the load (``plugin "nhnfin"``), at the posting's
line in the report's words, so bean-check and Fava name it; the report says each once and the
close counts no error bean-check lacks."""

from __future__ import annotations

import textwrap
from decimal import Decimal
from pathlib import Path

from beancount import loader

from nhnfin import ledger as ledger_module
from nhnfin.ledger import movement_table

FX = textwrap.dedent("""\
    option "title" "FX"
    option "operating_currency" "NOK"
    plugin "nhnfin"
    2023-12-31 open Assets:1920-Bank NOK
    2023-12-31 open Assets:1921-BankEUR
    2023-12-31 open Equity:2050-OtherEquity NOK
    2023-12-31 open Equity:8960-TransferToOtherEquity NOK
    2023-12-31 open Expenses:6700-ExternalServices
    2023-12-31 * "Åpningsbalanse"
      Assets:1920-Bank          1000.00 NOK
      Equity:2050-OtherEquity  -1000.00 NOK
    2024-01-10 * "Kjøp EUR"
      Assets:1921-BankEUR      100.00 EUR @ 11.00 NOK
      Assets:1920-Bank        -1100.00 NOK
    2024-02-10 * "Lisens"
      Expenses:6700-ExternalServices   50.00 EUR
      Assets:1921-BankEUR             -50.00 EUR
    2024-02-11 * "Lisens i NOK, pris i EUR"
      Expenses:6700-ExternalServices   10.00 NOK @ 0.09 EUR
      Assets:1921-BankEUR              -0.90 EUR
    2024-02-12 * "Lisens til kost"
      Expenses:6700-ExternalServices   2.00 EUR {11.00 NOK}
      Assets:1920-Bank                -22.00 NOK
    2024-02-13 * "For stort"
      Expenses:6700-ExternalServices   1000000000000000.00 NOK
      Assets:1920-Bank                -1000000000000000.00 NOK
    2024-02-14 * "Rett under grensen"
      Expenses:6700-ExternalServices   999999999999999.99 NOK
      Assets:1920-Bank                -999999999999999.99 NOK
    """)

EUR = ("posteringen på {} er i EUR; regnskapet føres i NOK (oppgi en pris eller kost i NOK)")
HUGE = ("posteringen på {}: {} er for stort (grensen er 1 000 000 000 000 000 NOK); den er "
        "utelatt av rapporten")
EXPECTED = [
    (16, EUR.format("Expenses:6700-ExternalServices")),
    (17, EUR.format("Assets:1921-BankEUR")),
    (19, EUR.format("Expenses:6700-ExternalServices")),  # NOK units at a EUR price weigh EUR
    (20, EUR.format("Assets:1921-BankEUR")),
    (25, HUGE.format("Expenses:6700-ExternalServices", "1000000000000000.00")),
    (26, HUGE.format("Assets:1920-Bank", "-1000000000000000.00")),
]


def test_bean_check_names_each_posting_without_a_nok_weight_at_its_line() -> None:
    """Before, the load gave no error (bean-check exit 0): only the report's reading named
    them. At cost in NOK (line 22) and at a price in NOK (line 13), and just under the limit,
    a posting weighs NOK: no error."""
    _, errors, _ = loader.load_string(FX)
    assert [(e.source["lineno"], e.message) for e in errors] == EXPECTED


def test_the_report_says_each_once_in_the_loads_words(tmp_path: Path) -> None:
    """The report's ledger keeps the load's errors; its own reading of the same postings
    (movement_table, the same rule) adds none of them a second time."""
    path = tmp_path / "f.beancount"
    path.write_text(FX, encoding="utf-8")
    books = ledger_module.load(path)
    assert [(e.source["lineno"], e.message) for e in books.errors] == EXPECTED
    _, own = movement_table(books.entries)
    assert [(e.source["lineno"], e.message) for e in own] == EXPECTED
    # what the report sums: the NOK weights, the EUR purchase at 11.00 NOK, the cost at 11.00
    assert books.movements["Assets:1921-BankEUR"] == {2024: Decimal("1100.00")}
    assert books.movements["Expenses:6700-ExternalServices"] == {
        2024: Decimal("1000000000000021.99")}


def test_without_the_plugin_the_report_still_names_them(tmp_path: Path) -> None:
    """A ledger without ``plugin "nhnfin"`` (per-rule lines or none) gets the report's check."""
    path = tmp_path / "f.beancount"
    path.write_text(FX.replace('plugin "nhnfin"\n', ""), encoding="utf-8")
    books = ledger_module.load(path)
    assert [(e.source["lineno"] + 1, e.message) for e in books.errors] == EXPECTED
