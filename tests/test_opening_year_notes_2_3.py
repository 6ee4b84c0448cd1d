"""Notes 2 and 3 in the year of the books' opening balance (``nhnfin.notes.flows.opening_balance``).

A ledger started with ``nhnfin init`` (or migrated from another system) brings in its e-health
liability (2920), its unused grants (2910) and its deferred investment grant (2930) in an opening
balance dated in its first year. Those are the balances of the books kept before: note 2 carries
them ("Overført fra tidligere år"), not as the year's invoicing; note 3 carries them, not as the
year's grant; the investment table starts from them ("Utsatt investeringstilskudd 1.1."). Before,
note 2 printed 0 | 650 000 (the opening 250 000 as invoiced) and note 3 0 | 800 000 (the opening
300 000, and the receivable the grants rule books at the award on the opening day, as the year's
grant), the investment table 0 at 1 January; the tie-outs passed (1 January was 0 on both
sides)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from nhnfin.ledger import Ledger
from nhnfin.ledger import load
from nhnfin.model import Report
from nhnfin.model import Status
from nhnfin.report import build_report
from tests.fava.drill_check import Checker
from tests.grants.grant_testing import load_ledger
from tests.test_init import init

RULES = """
2025-01-01 custom "nhnfin-grant" "tilskudd-2025"
  name: "Tilskudd kap. 0000 post 00"
  source: "Kap. 0000 post 00, departementet"
  amount: 800000.00 NOK
  note-row: "public_grant"
2024-12-31 custom "nhnfin-ehealth-solution" "losning" "Løsningens navn"
"""

OPENING = """
2025-01-01 * "Inngående balanse"
  Assets:1920-Bank                            1000000.00 NOK
  Assets:1200-Infrastructure                   200000.00 NOK
    asset: "server-2024"
  Liabilities:2910-UnusedPublicGrants         -300000.00 NOK
    grant: "tilskudd-2025"
  Liabilities:2920-EHealthObligations         -250000.00 NOK
    solution: "losning"
  Liabilities:2930-InvestmentGrantsDeferred   -200000.00 NOK
    asset: "server-2024"
    grant: "tilskudd-2025"
  Equity:2050-OtherEquity                     -450000.00 NOK
"""

YEAR = """
2025-02-01 * "Faktura 2025"
  Assets:1500-TradeReceivables                 400000.00 NOK
  Liabilities:2920-EHealthObligations         -400000.00 NOK
    solution: "losning"
2025-03-01 * "Departementet" "Utbetalt tilskudd"
  Assets:1920-Bank                             500000.00 NOK
  Liabilities:2910-UnusedPublicGrants         -500000.00 NOK
    grant: "tilskudd-2025"
2025-06-15 * "Leverandør" "Prosjekt"
  Expenses:6700-ExternalServices               350000.00 NOK
    grant: "tilskudd-2025"
  Assets:1920-Bank
2025-09-01 * "Drift løsning"
  solution: "losning"
  Expenses:6700-ExternalServices               500000.00 NOK
  Assets:1920-Bank
"""


def ledger_of(tmp_path: Path, opening: str = OPENING) -> Ledger:
    """A new ``nhnfin init --grants --ehealth`` ledger for 2025 with ``opening`` and the year."""
    main = init(tmp_path / "books", "--grants", "--ehealth")
    folder = main.parent
    with (folder / "rules.beancount").open("a", encoding="utf-8") as rules:
        rules.write(RULES)
    with (folder / "2025.beancount").open("a", encoding="utf-8") as year:
        year.write(opening + YEAR)
    ledger = load(main)
    assert ledger.errors == []
    return ledger


CAPTIONS = {"use": "Spesifikasjon over bruk",
            "investment": "Offentlig tilskudd benyttet på investeringer"}


def rows(report: Report, number: str, table: str) -> dict[str, dict[str, Decimal | None]]:
    (found,) = [t for t in report.note(number).tables if t.caption == CAPTIONS[table]]
    return {r.key: {c.key: r.values.get(c.key) for c in found.columns} for r in found.rows}


def nok(text: str) -> Decimal:
    return Decimal(text.replace(" ", "")).quantize(Decimal("0.01"))


def ehealth_row(*values: str, year: int = 2025) -> dict[str, Decimal | None]:
    keys = ("carried_from_previous_years", f"invoiced_{year}", f"actual_use_{year}",
            f"set_aside_for_{year + 1}")
    return dict(zip(keys, map(nok, values), strict=True))


def grant_row(*values: str) -> dict[str, Decimal | None]:
    keys = ("carried_from_previous_years", "grant_not_received_2025", "grant_2025",
            "available_2025", "actual_use_2025", "set_aside_for_2026")
    return dict(zip(keys, map(nok, values), strict=True))


def test_notes_2_and_3_carry_the_opening_balance_in_its_year(tmp_path: Path) -> None:
    ledger = ledger_of(tmp_path)
    report = build_report(ledger, 2025)
    note2 = ehealth_row("250 000", "400 000", "500 000", "150 000")
    assert rows(report, "2", "use") == {"national_ehealth_solutions": note2, "total": note2}
    note3 = grant_row("300 000", "0", "500 000", "800 000", "350 000", "450 000")
    assert rows(report, "3", "use") == {"public_grant": note3, "total": note3}
    assert rows(report, "3", "investment") == {
        "deferred_opening": {"2025": nok("200 000"), "2024": nok("0")},
        "used_on_investments": {"2025": nok("0"), "2024": nok("0")},
        "recognised_as_income": {"2025": nok("0"), "2024": nok("0")},
        "state_budget_appropriation_used_on_investments": {"2025": nok("200 000"),
                                                           "2024": nok("0")}}
    assert [t.check_id for t in report.tieouts if t.status != Status.PASSED] == []
    (carried,) = [t for t in report.tieouts if t.check_id == "n2.carried_vs_opening_balance"]
    assert (carried.left, carried.right) == (nok("250 000"), nok("250 000"))
    assert carried.description == ("Note 2 Overført fra tidligere år = inngående balanse 2025")
    checker = Checker(ledger)
    for number in ("2", "3"):
        for table in report.note(number).tables:
            for row in table.rows:
                for column, value in row.values.items():
                    if value is not None:
                        assert set(checker.shown(row.drill[column])) == {value}, (
                            number, table.caption, row.key, column)
    for tie in report.tieouts:
        if tie.check_id.startswith(("n2.", "note3.", "note13.")):
            for side, value in ((tie.left_drill, tie.left), (tie.right_drill, tie.right)):
                assert side is not None
                assert set(checker.shown(side)) == {value}, tie.check_id


def test_the_cash_flow_leaves_the_rules_entries_of_the_opening_day_in_the_year(
        tmp_path: Path) -> None:
    """The grants rule books the award's receivable (Dr 1570 / Cr 2910 500 000) on the opening
    day: a flow of the year, not a part of the opening balance. Before, the cash flow read it as
    brought in: the change in unused grants and e-health liabilities was −450 000 and the
    receivable's settlement a change in other accruals of 500 000; now 50 000 and 0
    (2910: +500 000 + 500 000 − 500 000 − 350 000, 2920: +400 000 − 500 000)."""
    report = build_report(ledger_of(tmp_path), 2025)
    flows = {r.label: r.amounts.get("2025") for r in report.statement("cash_flow").rows}
    assert flows["Endring i ubenyttet tilskudd og forskuddsfakturerte forpliktelser"] == nok(
        "50 000")
    assert flows["Endring i andre tidsavgrensningsposter"] == nok("0")


def test_the_same_liability_carried_from_the_year_before_gives_the_same_note_2(
        tmp_path: Path) -> None:
    """The general rule: the opening balance on 1 January of the first year reads as the same
    balances booked on 31 December of the year before (note 2; note 3's grant is awarded on
    2025-01-01, so no balance linked to it can be dated before: the unused grant goes to 2990)."""
    # without the grant links, the asset marks fund nothing and name no declared asset
    # (ukjent eiendel 'server-2024' at load): they go too
    without_grant = OPENING.replace('    grant: "tilskudd-2025"\n', "").replace(
        '    asset: "server-2024"\n', "").replace(
        "Liabilities:2910-UnusedPublicGrants", "Liabilities:2990-OtherShortTermLiabilities")
    brought = build_report(ledger_of(tmp_path / "a", without_grant), 2025)
    before = build_report(ledger_of(tmp_path / "b", without_grant.replace(
        "2025-01-01", "2024-12-31")), 2025)
    assert rows(brought, "2", "use") == rows(before, "2", "use")
    assert rows(brought, "2", "use")["total"] == ehealth_row("250 000", "400 000", "500 000",
                                                             "150 000")


NEXT_YEAR = """
2026-02-01 * "Faktura 2026"
  Assets:1500-TradeReceivables                 100000.00 NOK
  Liabilities:2920-EHealthObligations         -100000.00 NOK
    solution: "losning"
"""


def test_the_next_year_reads_the_opening_balance_as_before(tmp_path: Path) -> None:
    ledger = ledger_of(tmp_path, OPENING + NEXT_YEAR)
    report = build_report(ledger, 2026)
    assert rows(report, "2", "use")["total"] == ehealth_row("150 000", "100 000", "0",
                                                            "250 000", year=2026)
    assert rows(report, "3", "investment")["deferred_opening"] == {
        "2026": nok("200 000"), "2025": nok("200 000")}
    assert [t.check_id for t in report.tieouts if t.status != Status.PASSED] == []


FROM_NOTHING = """\
plugin "nhnfin"
include "ACCOUNTS"

2024-01-01 custom "nhnfin-grant" "g1"
  name: "Tilskudd kap. 701 post 21"
  source: "Kap. 701 post 21"
  amount: 1000.00 NOK
  note-row: "public_grant"

2024-01-05 * "Helsedirektoratet" "Utbetaling tilskudd"
  grant: "g1"
  Assets:1920-Bank                     1000.00 NOK
  Liabilities:2910-UnusedPublicGrants

2024-01-20 * "Konsulent" "Januar"
  Expenses:6700-ExternalServices       1000.00 NOK
    grant: "g1"
  Assets:1920-Bank
"""


def test_books_that_start_from_nothing_with_a_grant_paid_in_have_no_opening_balance() -> None:
    """The first day with cash holds no opening balance when none of its transactions posts to
    equity: a grant paid in (Dr 1920 / Cr 2910 1 000, then spent) is the year's flow. Before, the
    cash flow read it as brought in (cash from the opening balance 1 000, a net change of
    −1 000); note 3 read it as the year's grant and must keep doing so."""
    ledger = load_ledger(FROM_NOTHING).ledger
    report = build_report(ledger, 2024)
    cash = {r.key: r.amounts.get("2024") for r in report.statement("cash_flow").rows}
    assert (cash.get("cash_from_opening_balance", 0), cash.get("net_change_in_cash", 0)) == (0, 0)
    (row,) = [r for r in report.note("3").tables[0].rows if r.key == "public_grant"]
    assert (row.values["carried_from_previous_years"], row.values["grant_2024"]) == (
        0, nok("1 000"))
