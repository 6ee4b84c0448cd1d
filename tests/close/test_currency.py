"""The close's currency check (regnskapsloven § 5-9): foreign units on a balance-sheet account,
converted at a price, are valued at the rate of the ledger's ``price`` directive of December,
and the report shows each such account as a tie-out (docs/year-end-close.md)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from nhnfin.ledger import load
from nhnfin.model import Status
from nhnfin.report import build_report
from tests.close.conftest import run_close
from tests.close.conftest import write

BOOKS = """
option "title" "Testforetaket AS"
option "operating_currency" "NOK"
plugin "nhnfin.mapping"
plugin "nhnfin.close.period_lock"

2019-12-31 open Assets:1920-Bank NOK
2019-12-31 open Assets:1921-BankEUR
2019-12-31 open Liabilities:2400-TradePayables
2019-12-31 open Equity:2000-ContributedCapital NOK
2019-12-31 open Equity:2050-OtherEquity NOK
2019-12-31 open Equity:8960-TransferToOtherEquity NOK
2019-12-31 open Income:3400-GrantIncome NOK
2019-12-31 open Expenses:6700-ExternalServices NOK
2019-12-31 open Income:8060-CurrencyGains NOK
2019-12-31 open Expenses:8160-CurrencyLosses NOK

2024-01-02 * "Innskutt kapital"
  Assets:1920-Bank                 5000.00 NOK
  Equity:2000-ContributedCapital  -5000.00 NOK

2024-03-01 * "Tilskudd i euro"
  Assets:1921-BankEUR              1000.00 EUR @ 11.20 NOK
  Income:3400-GrantIncome        -11200.00 NOK
"""
RATE = "\n2024-12-31 price EUR 11.7500 NOK\n"
RATE_LINE = BOOKS.count("\n") + 1
REVALUED = """
2024-12-31 * "Omregning av EUR til kursen 31.12.2024"
  Assets:1921-BankEUR               550.00 NOK
  Income:8060-CurrencyGains        -550.00 NOK
"""


def books(tmp_path: Path, extra: str) -> Path:
    return write(tmp_path / "books.beancount", BOOKS + extra)


def close(main: Path, *waive: str) -> tuple[int, list[str]]:
    """``nhnfin close --dry-run`` with ``--waive months`` (the books end in March) and
    ``waive``: its exit code and the currency check's lines."""
    args = [a for w in ("months", *waive) for a in ("--waive", w)]
    result = run_close(main, "--year", 2024, "--dry-run", *args)
    lines = result.output.splitlines()
    start = next(i for i, x in enumerate(lines) if "valuta til kursen 31.12" in x)
    end = next(i for i, x in enumerate(lines) if i > start and not x.startswith(" "))
    return result.exit_code, lines[start:end]


def test_a_eur_account_at_its_booked_rate_stops_the_close(tmp_path: Path) -> None:
    """1 000 EUR booked at 11,20 (11 200 NOK) on 31 December at 11,75 (11 750 NOK): the close
    stops, naming units, booked NOK, rate and directive, the difference and the agio to book
    (before: no currency check, and the year locked at the March rate)."""
    main = books(tmp_path, RATE)
    result = run_close(main, "--year", 2024, "--dry-run", "--waive", "months")
    assert result.exit_code == 1, result.output
    assert close(main) == (1, [
        "STOPPER valuta til kursen 31.12 [--waive currency]: 1 feil",
        "         ✗ Assets:1921-BankEUR: 1 000 EUR er bokført til 11 200 NOK, men er 11 750 NOK "
        f"til kursen 31.12.2024 (11,7500 NOK pr. EUR, {main}:{RATE_LINE}); differanse −550: "
        "bokfør Dr Assets:1921-BankEUR / Cr Income:8060-CurrencyGains 550 NOK (agio) datert "
        "31.12.2024",
    ])
    assert ("årsavslutning 2024 stoppes av: valuta til kursen 31.12 [--waive currency]; "
            "ingenting er skrevet") in result.output
    assert not (tmp_path / "close-2024.beancount").exists()


def test_a_payable_in_eur_books_its_disagio(tmp_path: Path) -> None:
    """A liability of 200 EUR booked at 11,00 is 2 350 NOK at 11,75: Dr 8160 / Cr the payable
    150 NOK."""
    invoice = """
2024-03-05 * "Konsulent i euro"
  Expenses:6700-ExternalServices   2200.00 NOK
  Liabilities:2400-TradePayables   -200.00 EUR @ 11.00 NOK
"""
    main = books(tmp_path, invoice + RATE)
    line = (BOOKS + invoice).count("\n") + 1
    code, lines = close(main)
    assert code == 1
    assert lines[2] == (
        "         ✗ Liabilities:2400-TradePayables: −200 EUR er bokført til −2 200 NOK, men er "
        f"−2 350 NOK til kursen 31.12.2024 (11,7500 NOK pr. EUR, {main}:{line}); differanse 150: "
        "bokfør Dr Expenses:8160-CurrencyLosses / Cr Liabilities:2400-TradePayables 150 NOK "
        "(disagio) datert 31.12.2024")


def test_a_revalued_account_passes_and_is_listed(tmp_path: Path) -> None:
    """The revaluation booked as a NOK posting on the account: 11 750 NOK, as at the rate."""
    main = books(tmp_path, RATE + REVALUED)
    assert close(main) == (0, [
        "ok      valuta til kursen 31.12: 1 listet, stopper ikke",
        "         - Assets:1921-BankEUR: 1 000 EUR er bokført til 11 750 NOK, som til kursen "
        f"31.12.2024 (11,7500 NOK pr. EUR, {main}:{RATE_LINE})",
    ])


def test_units_held_at_cost_are_not_revalued(tmp_path: Path) -> None:
    """Fund units at cost (``{}``) are a non-monetary item at historical cost: not checked,
    even with a price of their own, and an account's cost is carried as booked."""
    fund = """
2019-12-31 open Assets:1350-Fund
  note-row: "other_receivables"
2024-04-02 * "Fondsandeler"
  Assets:1350-Fund                   10 FUND {105.00 NOK}
  Assets:1920-Bank                -1050.00 NOK
2024-12-31 price FUND 130.00 NOK
"""
    main = books(tmp_path, RATE + REVALUED + fund)
    code, lines = close(main)
    assert code == 0
    assert [x for x in lines if "Fund" in x] == []


def test_a_currency_without_a_rate_in_december_stops(tmp_path: Path) -> None:
    """No ``price`` at all, or only one from March: the year-end rate is missing."""
    main = books(tmp_path, "")
    assert close(main) == (1, [
        "STOPPER valuta til kursen 31.12 [--waive currency]: 1 feil",
        "         ✗ ingen kurs for EUR pr. 31.12.2024: legg til en price-direktiv "
        "(2024-12-31 price EUR <kurs> NOK) for Assets:1921-BankEUR (1 000 EUR)",
    ])
    main = books(tmp_path, "\n2024-03-01 price EUR 11.2000 NOK\n")
    code, lines = close(main)
    assert (code, lines[1]) == (1, (
        "         ✗ ingen kurs for EUR pr. 31.12.2024: legg til en price-direktiv "
        "(2024-12-31 price EUR <kurs> NOK) for Assets:1921-BankEUR (1 000 EUR); siste kurs er "
        f"fra 01.03.2024 ({main}:{RATE_LINE})"))


def test_a_waived_currency_check_is_written_into_the_lock(tmp_path: Path) -> None:
    main = books(tmp_path, RATE)
    result = run_close(main, "--year", 2024, "--waive", "months", "--waive", "currency",
                       "--locked-by", "kari")
    assert result.exit_code == 0, result.output
    text = (tmp_path / "close-2024.beancount").read_text(encoding="utf-8")
    waived = [x for x in text.splitlines() if x.startswith("  waived-")]
    assert waived[1] == (
        '  waived-2: "currency: Assets:1921-BankEUR: 1 000 EUR er bokført til 11 200 NOK, men er '
        f"11 750 NOK til kursen 31.12.2024 (11,7500 NOK pr. EUR, books.beancount:{RATE_LINE}); "
        "differanse −550: bokfør Dr Assets:1921-BankEUR / Cr Income:8060-CurrencyGains 550 NOK "
        '(agio) datert 31.12.2024"')


def test_the_report_shows_the_account_as_a_tie_out(tmp_path: Path) -> None:
    """The tie-out warns with both sides (booked NOK, linked to the account's postings, against
    the units at the rate); revalued, it passes. The close lists it in its own check only."""
    main = books(tmp_path, RATE)
    report = build_report(load(main), 2024)
    tieout = next(t for t in report.tieouts
                  if t.check_id == "bs.currency_at_rate.Assets:1921-BankEUR.2024")
    assert (tieout.left, tieout.right, tieout.status) == (
        Decimal("11200.00"), Decimal("11750.00"), Status.WARNING)
    assert tieout.description == (
        f"Assets:1921-BankEUR 31.12.2024: 1 000 EUR bokført i NOK mot kursen (11,7500 NOK pr. "
        f"EUR, {main}:{RATE_LINE})")
    assert tieout.left_drill is not None
    assert tieout.left_drill.query.endswith(
        "WHERE account ~ '^(Assets:1921-BankEUR)(:|$)' AND date < 2025-01-01 AND "
        "(account = 'Assets:1921-BankEUR' AND (price IS NOT NULL OR cost_number IS NOT NULL OR "
        "has_account('^(Income:8060-CurrencyGains|Expenses:8160-CurrencyLosses)(:|$)')))")
    assert close(main, "currency")[0] == 0
    assert "bs.currency_at_rate" not in run_close(
        main, "--year", 2024, "--dry-run", "--waive", "months", "--waive", "currency").output
    revalued = build_report(load(books(tmp_path, RATE + REVALUED)), 2024)
    passed = next(t for t in revalued.tieouts if t.check_id.startswith("bs.currency_at_rate."))
    assert (passed.left, passed.right, passed.status) == (
        Decimal("11750.00"), Decimal("11750.00"), Status.PASSED)


INVERSE = "\n2024-12-31 price NOK 0.0851 EUR\n"


def test_a_rate_written_the_other_way_round_is_read(tmp_path: Path) -> None:
    """``price NOK 0.0851 EUR`` (1 NOK = 0,0851 EUR): 1 000 EUR are 1 000 / 0,0851 =
    11 750,881… ≈ 11 750,88 NOK; the message names the directive and that it is the inverse
    (before: "ingen kurs for EUR")."""
    main = books(tmp_path, INVERSE)
    assert close(main) == (1, [
        "STOPPER valuta til kursen 31.12 [--waive currency]: 1 feil",
        "         ✗ Assets:1921-BankEUR: 1 000 EUR er bokført til 11 200 NOK, men er 11 750,88 "
        "NOK til kursen 31.12.2024 (1/0,0851 NOK pr. EUR, omvendt kurs 0,0851 EUR pr. NOK, "
        f"{main}:{RATE_LINE}); differanse −550,88: bokfør Dr Assets:1921-BankEUR / Cr "
        "Income:8060-CurrencyGains 550,88 NOK (agio) datert 31.12.2024",
    ])
    report = build_report(load(main), 2024)
    tieout = next(t for t in report.tieouts if t.check_id.startswith("bs.currency_at_rate."))
    assert (tieout.left, tieout.right, tieout.status) == (
        Decimal("11200.00"), Decimal("11750.88"), Status.WARNING)
    assert tieout.description == (
        "Assets:1921-BankEUR 31.12.2024: 1 000 EUR bokført i NOK mot kursen (1/0,0851 NOK pr. "
        f"EUR, omvendt kurs 0,0851 EUR pr. NOK, {main}:{RATE_LINE})")


def test_both_directions_on_the_same_day_that_disagree_stop_naming_both(tmp_path: Path) -> None:
    """11,75 NOK pr. EUR and 0,0851 EUR pr. NOK the same day give 11 750,00 and 11 750,88:
    which is the rate is not for nhnfin to choose; both directives are named."""
    main = books(tmp_path, RATE + INVERSE.lstrip("\n"))
    assert close(main) == (1, [
        "STOPPER valuta til kursen 31.12 [--waive currency]: 1 feil",
        "         ✗ to kurser for EUR pr. 31.12.2024 som ikke stemmer med hverandre: 11,7500 NOK "
        f"pr. EUR ({main}:{RATE_LINE}) og 0,0851 EUR pr. NOK ({main}:{RATE_LINE + 1}), som "
        "ikke er den omvendte kursen; behold én av dem, for Assets:1921-BankEUR (1 000 EUR)",
    ])
    report = build_report(load(main), 2024)
    tieout = next(t for t in report.tieouts if t.check_id.startswith("bs.currency_at_rate."))
    assert tieout.description == (
        "Assets:1921-BankEUR 31.12.2024: 1 000 EUR bokført i NOK mot kursen (to kurser for EUR "
        f"som ikke stemmer: {main}:{RATE_LINE} og {main}:{RATE_LINE + 1})")
    assert (tieout.right, tieout.missing, tieout.detail) == (
        None, "to kurser",
        "valutaen har to kurser for balansedagen som ikke stemmer; nhnfin close stopper")
    assert tieout.unlinked == (
        f"To kurser for EUR pr. 31.12.2024 som ikke stemmer med hverandre ({main}:{RATE_LINE} og "
        f"{main}:{RATE_LINE + 1}): beholdningen kan ikke regnes om til NOK, så siden mot kursen "
        "har ikke noe tall; lenken viser beholdningen i EUR")


def test_both_directions_that_agree_exactly_are_one_rate(tmp_path: Path) -> None:
    """12,5 NOK pr. EUR and 0,08 EUR pr. NOK are the same rate (12,5 × 0,08 = 1): the direct
    one is named, 12 500 NOK."""
    main = books(tmp_path, "\n2024-12-31 price EUR 12.5 NOK\n2024-12-31 price NOK 0.08 EUR\n")
    code, lines = close(main)
    assert (code, lines[1]) == (1, (
        "         ✗ Assets:1921-BankEUR: 1 000 EUR er bokført til 11 200 NOK, men er 12 500 NOK "
        f"til kursen 31.12.2024 (12,5 NOK pr. EUR, {main}:{RATE_LINE}); differanse −1 300: "
        "bokfør Dr Assets:1921-BankEUR / Cr Income:8060-CurrencyGains 1 300 NOK (agio) datert "
        "31.12.2024"))


NOK_INVOICE = """
2024-03-04 * "Konsulent i kroner"
  Expenses:6700-ExternalServices   5000.00 NOK
  Liabilities:2400-TradePayables  -5000.00 NOK
"""
EUR_INVOICE = """
2024-03-05 * "Konsulent i euro"
  Expenses:6700-ExternalServices   2200.00 NOK
  Liabilities:2400-TradePayables   -200.00 EUR @ 11.00 NOK
"""
PAID = """
2024-03-20 * "Betalt i euro til 11,50"
  Liabilities:2400-TradePayables    200.00 EUR @ 11.50 NOK
  Assets:1920-Bank                -2300.00 NOK
"""


def test_nok_items_on_the_account_are_not_the_foreign_holding(tmp_path: Path) -> None:
    """A payable of 5 000 NOK beside 200 EUR on 2400: only the EUR is revalued (−2 200 against
    −2 350, disagio 150). Before: −7 200 NOK against −2 350, and the close said to book 4 850
    NOK of agio, a booking that would have falsified the books."""
    main = books(tmp_path, RATE + REVALUED + NOK_INVOICE + EUR_INVOICE)
    line = BOOKS.count("\n") + 1
    code, lines = close(main)
    assert (code, lines[1]) == (1, (
        "         ✗ Liabilities:2400-TradePayables: −200 EUR er bokført til −2 200 NOK, men er "
        f"−2 350 NOK til kursen 31.12.2024 (11,7500 NOK pr. EUR, {main}:{line}); differanse 150: "
        "bokfør Dr Expenses:8160-CurrencyLosses / Cr Liabilities:2400-TradePayables 150 NOK "
        "(disagio) datert 31.12.2024"))
    report = build_report(load(main), 2024)
    tieout = next(t for t in report.tieouts
                  if t.check_id == "bs.currency_at_rate.Liabilities:2400-TradePayables.2024")
    assert (tieout.left, tieout.right) == (Decimal("-2200.00"), Decimal("-2350.00"))
    assert tieout.left_drill is not None
    assert tieout.left_drill.query.endswith(
        "(account = 'Liabilities:2400-TradePayables' AND (price IS NOT NULL OR cost_number IS "
        "NOT NULL OR has_account('^(Income:8060-CurrencyGains|Expenses:8160-CurrencyLosses)"
        "(:|$)')))")


def test_a_payment_at_another_rate_leaves_the_realised_difference_to_book(
        tmp_path: Path) -> None:
    """200 EUR booked at 11,00 (2 200 NOK) and paid at 11,50 (2 300 NOK): no EUR left, but
    100 NOK on the payable that nothing is: the realised disagio, not booked. Before: not
    checked (no units left), the year closed with it. Booked with the payment, it passes and
    the cleared account is not listed."""
    main = books(tmp_path, RATE + REVALUED + EUR_INVOICE + PAID)
    code, lines = close(main)
    assert (code, lines[1]) == (1, (
        "         ✗ Liabilities:2400-TradePayables: 0 EUR er bokført til 100 NOK, men er 0 NOK "
        "til kursen 31.12.2024 (valutadifferanse på oppgjorte poster som ikke er bokført); "
        "differanse 100: bokfør Dr Expenses:8160-CurrencyLosses / Cr "
        "Liabilities:2400-TradePayables 100 NOK (disagio) datert 31.12.2024"))
    report = build_report(load(main), 2024)
    tieout = next(t for t in report.tieouts if t.check_id.startswith(
        "bs.currency_at_rate.Liabilities:2400-TradePayables"))
    assert (tieout.left, tieout.right, tieout.detail) == (
        Decimal("100.00"), Decimal("0"), "valutadifferansen ved oppgjøret er ikke bokført: "
        "bokfør den mot 8060 valutagevinst eller 8160 valutatap; nhnfin close stopper")
    realised = PAID.replace("  Assets:1920-Bank                -2300.00 NOK\n", (
        "  Assets:1920-Bank                -2300.00 NOK\n"
        "  Expenses:8160-CurrencyLosses      100.00 NOK\n"
        "  Liabilities:2400-TradePayables   -100.00 NOK\n"))
    main = books(tmp_path, RATE + REVALUED + EUR_INVOICE + realised)
    code, lines = close(main)
    assert code == 0
    assert [x for x in lines if "2400" in x] == []
