"""Grants in the year of the books' opening balance: awards before the books start, a receivable
(1570) brought in, and note 3's carried amount tied to 2910 on 1 January.

What was awarded, received, used and invested before the books start is in the opening balance
(2910 unused, 1570 not received, 2930 deferred): the grants rule takes an award dated before it
as in the opening balance and books nothing for it (``nhnfin.grants.engine``). Before, it booked
the whole earlier award as a receivable on its date (a generated entry before the books start)
and read the opening balance as a payment against it."""

from __future__ import annotations

from decimal import Decimal

import pytest

from nhnfin.fava_ext.drill_values import DrillValues
from nhnfin.ledger import Ledger
from nhnfin.model import Report
from nhnfin.model import Status
from nhnfin.report import build_report
from tests.fava.drill_check import Checker
from tests.grants.grant_testing import Loaded
from tests.grants.grant_testing import load_ledger

HEAD = """\
plugin "nhnfin"
include "ACCOUNTS"

"""

GRANT_2024 = """\
2024-06-01 custom "nhnfin-grant" "g1"
  name: "Tilskudd kap. 701 post 21"
  source: "Kap. 701 post 21"
  amount: 800000.00 NOK
  note-row: "public_grant"

"""

EARLIER_AWARD = HEAD + GRANT_2024 + """\
2025-01-01 * "Inngående balanse"
  Assets:1920-Bank                            400000.00 NOK
  Liabilities:2910-UnusedPublicGrants         -300000.00 NOK
    grant: "g1"
  Equity:2050-OtherEquity                     -100000.00 NOK

2025-01-01 custom "nhnfin-grant-award" "g1"
  amount: 500000.00 NOK

2025-03-01 * "Departementet" "Utbetalt tilskudd"
  Assets:1920-Bank                             500000.00 NOK
  Liabilities:2910-UnusedPublicGrants         -500000.00 NOK
    grant: "g1"

2025-06-15 * "Leverandør" "Prosjekt"
  Expenses:6700-ExternalServices               350000.00 NOK
    grant: "g1"
  Assets:1920-Bank
"""

USE = ("carried_from_previous_years", "grant_not_received_2025", "grant_2025", "available_2025",
       "actual_use_2025", "set_aside_for_2026")


def nok(text: str) -> Decimal:
    return Decimal(text.replace(" ", "")).quantize(Decimal("0.01"))


def use_row(report: Report) -> dict[str, Decimal | None]:
    """Note 3's row ``public_grant`` of "Spesifikasjon over bruk"."""
    (table,) = [t for t in report.note("3").tables if t.caption == "Spesifikasjon over bruk"]
    (row,) = [r for r in table.rows if r.key == "public_grant"]
    return {key: row.values.get(key) for key in USE}


def expected(*values: str) -> dict[str, Decimal | None]:
    return dict(zip(USE, map(nok, values), strict=True))


def grant_entries(loaded: Loaded) -> list[tuple[str, str, tuple[tuple[str, Decimal], ...]]]:
    """(date, rule, postings) of every grant entry the rule generated."""
    return [(str(e.date), str(e.meta["nhnfin-rule"]),
             tuple((p.account, p.units.number) for p in e.postings))
            for e in loaded.generated()]


def cash_flow(report: Report) -> dict[str, Decimal]:
    return {r.key: r.amounts[str(2025)] for r in report.statement("cash_flow").rows
            if r.amounts.get("2025")}


def assert_drills_add_up(ledger: Ledger, report: Report) -> None:
    """Every figure of note 3, of the cash flow and of note 3's tie-outs is what its drill sums
    to (Fava's links and parts page)."""
    checker = Checker(ledger)
    for table in report.note("3").tables:
        for row in table.rows:
            for column, value in row.values.items():
                if value is not None:
                    assert set(checker.shown(row.drill[column])) == {value}, (row.key, column)
    for line in report.statement("cash_flow").rows:
        value = line.amounts.get("2025")
        if value and "2025" in line.drill:
            assert set(checker.shown(line.drill["2025"])) == {value}, line.key
    for tie in report.tieouts:
        if tie.check_id.startswith(("note3.", "note13.")):
            for side, value in ((tie.left_drill, tie.left), (tie.right_drill, tie.right)):
                assert side is not None
                assert set(checker.shown(side)) == {value}, tie.check_id


def note3_ties(report: Report) -> dict[str, tuple[Decimal, Decimal, Status]]:
    return {t.check_id: (t.left, t.right, t.status) for t in report.tieouts
            if t.check_id.startswith(("note3.", "note13."))}


def test_an_award_before_the_books_start_is_taken_as_in_the_opening_balance() -> None:
    """The grant was awarded 800 000 in 2024; the books start on 2025-01-01 with its unused
    300 000 on 2910. Before, the rule booked the 800 000 as a receivable on 2024-06-01 (before
    the books) and read the opening 300 000 as paid against it: note 3 printed 1 100 000 |
    500 000 | −300 000 | 1 300 000 | 350 000 | 950 000 and 2910 ended at 950 000. Now only the
    award of 2025 is booked."""
    loaded = load_ledger(EARLIER_AWARD)
    assert loaded.ledger.errors == []
    assert grant_entries(loaded) == [
        ("2025-01-01", "grant-receivable", (("Assets:1570-GrantsReceivable", nok("500 000")),
                                            ("Liabilities:2910-UnusedPublicGrants",
                                             nok("-500 000")))),
        ("2025-03-01", "grant-receivable", (("Liabilities:2910-UnusedPublicGrants",
                                             nok("500 000")),
                                            ("Assets:1570-GrantsReceivable", nok("-500 000")))),
        ("2025-06-30", "grant-income", (("Liabilities:2910-UnusedPublicGrants", nok("350 000")),
                                        ("Income:3400-GrantIncome", nok("-350 000"))))]
    report = build_report(loaded.ledger, 2025)
    assert use_row(report) == expected("300 000", "0", "500 000", "800 000", "350 000",
                                       "450 000")
    assert loaded.closing("Liabilities:2910-UnusedPublicGrants", 2025) == nok("-450 000")
    assert loaded.closing("Assets:1570-GrantsReceivable", 2025) == 0
    assert report.findings == ()
    assert note3_ties(report)["note3.carried.2910"] == (nok("300 000"), nok("300 000"),
                                                        Status.PASSED)
    assert cash_flow(report)["change_in_grant_and_ehealth_obligations"] == nok("150 000")
    assert_drills_add_up(loaded.ledger, report)


def findings_of(text: str) -> list[tuple[str, int, int, Decimal]]:
    report = build_report(load_ledger(text).ledger, 2025)
    return [(f.message, f.lineno, f.year, f.amount) for f in report.findings]


def test_an_opening_balance_beyond_the_earlier_awards_is_a_finding_at_the_award() -> None:
    """The opening balance brings in 900 000 unused of a grant awarded 800 000 before the books
    start: a finding at the grant's directive (line 4). Before: none (the earlier award was
    booked as a receivable and the opening read as its payment)."""
    text = EARLIER_AWARD.replace("300000.00 NOK", "900000.00 NOK").replace(
        "400000.00 NOK", "1000000.00 NOK")
    assert findings_of(text) == [(
        "Inngående balanse fører 900 000 NOK for tilskudd g1 (ubrukt 900 000 NOK, utsatt "
        "investeringstilskudd 0 NOK), mer enn tildelt før regnskapet starter 01.01.2025 "
        "(800 000 NOK): 100 000 NOK er ikke dekket av en tildeling", 4, 2025,
        nok("100 000"))]


def test_an_earlier_award_with_nothing_brought_in_is_a_finding_at_the_award() -> None:
    """The opening balance links nothing to a grant awarded before the books start (its 2910
    not linked with ``grant:``): the award is taken as used up, and a finding says so at the
    grant's directive. Before: the 800 000 was booked as a receivable in 2024, silently."""
    text = EARLIER_AWARD.replace('  Liabilities:2910-UnusedPublicGrants         -300000.00 NOK\n'
                                 '    grant: "g1"\n',
                                 '  Liabilities:2990-OtherShortTermLiabilities  -300000.00 NOK\n')
    assert findings_of(text) == [(
        "Tilskudd g1 er tildelt før regnskapet starter 01.01.2025 (800 000 NOK), men "
        "inngående balanse fører ikke noe knyttet til tilskuddet (ubrukt 2910, ikke mottatt "
        "1570 eller utsatt 2930): tildelingen er tatt som brukt opp før regnskapet starter; "
        'knytt inngående balanses saldoer til tilskuddet med grant: "g1"', 4, 2025,
        nok("800 000"))]


@pytest.mark.parametrize(("old", "new", "amount"), [
    (("300000.00 NOK", "900000.00 NOK"), ("400000.00 NOK", "1000000.00 NOK"), "100 000"),
    (('  Liabilities:2910-UnusedPublicGrants         -300000.00 NOK\n    grant: "g1"\n',
      '  Liabilities:2990-OtherShortTermLiabilities  -300000.00 NOK\n'), ("", ""), "800 000"),
    (('  Liabilities:2910-UnusedPublicGrants         -300000.00 NOK\n',
      '  Liabilities:2910-UnusedPublicGrants         -300000.00 NOK\n'
      '  Assets:1570-GrantsReceivable                 900000.00 NOK\n    grant: "g1"\n'
      '  Equity:2050-OtherEquity                     -900000.00 NOK\n'), ("", ""), "100 000"),
], ids=["unused-beyond", "nothing-brought-in", "receivable-beyond"])
def test_an_opening_mismatchs_amount_links_to_the_opening_balance_less_the_earlier_awards(
        old: tuple[str, str], new: tuple[str, str], amount: str) -> None:
    """Round eleven: the opening balance's mismatch had no link. It is what the opening balance
    brings in for the grant (2910 and 2930 unused, or 1570 not received: the linked postings)
    less the awards declared before the books start (at their lines), or those awards alone
    when nothing is brought in."""
    loaded = load_ledger(EARLIER_AWARD.replace(*old).replace(*new))
    report = build_report(loaded.ledger, 2025)
    (finding,) = [f for f in report.findings if f.kind == "grant-opening-mismatch"]
    assert (finding.lineno, finding.amount) == (4, nok(amount))
    assert finding.drill is not None
    assert Checker(loaded.ledger).shown(finding.drill) == [finding.amount]
    assert DrillValues(loaded.ledger).value(finding.drill) == finding.amount
    assert [place[1:] for place in finding.drill.declared] == [(4, "amount")]


RECEIVABLE_YEAR = """\
2025-01-01 * "Inngående balanse"
  Assets:1920-Bank                            300000.00 NOK
  Assets:1570-GrantsReceivable                100000.00 NOK
    grant: "g1"
  Liabilities:2910-UnusedPublicGrants         -300000.00 NOK
    grant: "g1"
  Equity:2050-OtherEquity                     -100000.00 NOK

2025-04-01 * "Departementet" "Innbetalt fordring fra 2024"
  Assets:1920-Bank                             100000.00 NOK
  Assets:1570-GrantsReceivable                -100000.00 NOK
    grant: "g1"

2025-06-15 * "Leverandør" "Prosjekt"
  Expenses:6700-ExternalServices               250000.00 NOK
    grant: "g1"
  Assets:1920-Bank
"""

GRANT_2025 = GRANT_2024.replace("2024-06-01", "2025-01-01").replace("800000.00", "300000.00")


def test_a_receivable_brought_in_and_paid_is_the_payment_of_a_receivable() -> None:
    """The opening balance brings in 100 000 not yet received of the 2024 award (1570) within
    the 300 000 unused (2910); it is paid in April. Before, the rule booked the 2024 award of
    800 000 as a receivable on 2024-06-01 and the opening 300 000 as paid against it: 1570
    ended at 500 000 (owed by no one), note 3 printed 1 100 000 | 0 | −300 000 | 800 000 |
    250 000 | 550 000 and the cash flow a change in grants of −550 000 and in other accruals of
    400 000. Now nothing is booked for it: the payment settles the receivable (a change in other
    accruals of 100 000, no grant of the year)."""
    loaded = load_ledger(HEAD + GRANT_2024 + RECEIVABLE_YEAR)
    assert loaded.ledger.errors == []
    assert grant_entries(loaded) == [
        ("2025-06-30", "grant-income", (("Liabilities:2910-UnusedPublicGrants", nok("250 000")),
                                        ("Income:3400-GrantIncome", nok("-250 000"))))]
    report = build_report(loaded.ledger, 2025)
    assert use_row(report) == expected("300 000", "0", "0", "300 000", "250 000", "50 000")
    assert report.findings == ()
    flows = cash_flow(report)
    assert (flows["change_in_other_accruals"],
            flows["change_in_grant_and_ehealth_obligations"]) == (nok("100 000"),
                                                                 nok("-250 000"))
    assert note3_ties(report)["note3.carried.2910"] == (nok("300 000"), nok("300 000"),
                                                        Status.PASSED)
    assert_drills_add_up(loaded.ledger, report)


def test_a_grant_declared_at_the_start_with_the_carried_amount_keeps_the_receivable() -> None:
    """The same books with the grant declared on the opening day, its amount the 300 000
    carried (the convention for a grant declared at the start: the opening 2910 is received
    against it): the same note 3; the award's receivable booked on the opening day is settled
    by the opening balance that day, and the brought-in 100 000 is left as it is."""
    loaded = load_ledger(HEAD + GRANT_2025 + RECEIVABLE_YEAR)
    assert loaded.ledger.errors == []
    receivable, liability = "Assets:1570-GrantsReceivable", "Liabilities:2910-UnusedPublicGrants"
    assert grant_entries(loaded) == [
        ("2025-01-01", "grant-receivable", ((receivable, nok("300 000")),
                                            (liability, nok("-300 000")))),
        ("2025-01-01", "grant-receivable", ((liability, nok("300 000")),
                                            (receivable, nok("-300 000")))),
        ("2025-06-30", "grant-income", ((liability, nok("250 000")),
                                        ("Income:3400-GrantIncome", nok("-250 000"))))]
    report = build_report(loaded.ledger, 2025)
    assert use_row(report) == expected("300 000", "0", "0", "300 000", "250 000", "50 000")
    assert report.findings == ()
    assert_drills_add_up(loaded.ledger, report)


def test_a_receivable_brought_in_still_open_is_carried_not_this_years() -> None:
    """Not paid by year end, the receivable brought in stays in 1570; note 3's "not received"
    is this year's awards still owed (none), the old receivable being part of the carried."""
    text = HEAD + GRANT_2024 + RECEIVABLE_YEAR.replace(
        "2025-04-01 * \"Departementet\" \"Innbetalt fordring fra 2024\"\n"
        "  Assets:1920-Bank                             100000.00 NOK\n"
        "  Assets:1570-GrantsReceivable                -100000.00 NOK\n"
        "    grant: \"g1\"\n", "")
    loaded = load_ledger(text)
    report = build_report(loaded.ledger, 2025)
    assert use_row(report) == expected("300 000", "0", "0", "300 000", "250 000", "50 000")
    assert loaded.closing("Assets:1570-GrantsReceivable", 2025) == nok("100 000")
    assert report.findings == ()
    assert_drills_add_up(loaded.ledger, report)


def test_note_3_carried_ties_to_2910_on_1_january() -> None:
    """Note 3's "Overført fra tidligere år" against 2910 on 1 January (in the opening year:
    what the opening balance brings in). A part of 2910 not linked to a grant leaves the note
    short: the tie-out fails and shows it (300 000 against 350 000). Before, no tie-out compared
    them."""
    text = EARLIER_AWARD.replace(
        '  Equity:2050-OtherEquity                     -100000.00 NOK\n',
        '  Liabilities:2910-UnusedPublicGrants          -50000.00 NOK\n'
        '  Equity:2050-OtherEquity                      -50000.00 NOK\n', 1)
    loaded = load_ledger(text)
    report = build_report(loaded.ledger, 2025)
    (tie,) = [t for t in report.tieouts if t.check_id == "note3.carried.2910"]
    assert (tie.left, tie.right, tie.status, tie.description) == (
        nok("300 000"), nok("350 000"), Status.FAILED,
        "Note 3 overført fra tidligere år = ubrukte tilskudd (2910, inngående balanse 2025)")
    assert_drills_add_up(loaded.ledger, report)


DEFERRED = HEAD + GRANT_2024 + """\
2025-01-01 * "Inngående balanse"
  Assets:1920-Bank                            400000.00 NOK
  Assets:1200-Infrastructure                  200000.00 NOK
    asset: "server-2024"
  Liabilities:2910-UnusedPublicGrants        -300000.00 NOK
    grant: "g1"
  Liabilities:2930-InvestmentGrantsDeferred  -200000.00 NOK
    grant: "g1"
    asset: "server-2024"
  Equity:2050-OtherEquity
"""


def test_the_deferred_grant_on_1_january_ties_to_2930_in_the_opening_year() -> None:
    loaded = load_ledger(DEFERRED)
    assert loaded.ledger.errors == []
    report = build_report(loaded.ledger, 2025)
    ties = note3_ties(report)
    assert ties["note3.deferred_opening.2930"] == (nok("200 000"), nok("200 000"),
                                                   Status.PASSED)
    assert ties["note3.carried.2910"] == (nok("300 000"), nok("300 000"), Status.PASSED)
    assert report.findings == ()
    assert_drills_add_up(loaded.ledger, report)


def test_a_grant_declared_at_the_start_below_what_is_brought_in_says_what_to_do() -> None:
    """Declared on the opening day with no amount, the grant has no award the opening 2910 can
    be received against: the finding at the opening balance (line 9) says how to declare it.
    Before, the finding said only that 200 000 was paid beyond the award."""
    text = HEAD + GRANT_2025.replace("  amount: 300000.00 NOK\n", "") + RECEIVABLE_YEAR
    found = findings_of(text)
    assert found[0] == (
        "Utbetalt til tilskudd g1 (200 000 NOK) er mer enn tildelt (0 NOK): 200 000 NOK "
        "for mye; inngående balanse regnes som mottatt av tildelingene fra regnskapets start: "
        "ta med det som er overført fra tidligere år i tilskuddets amount, eller oppgi "
        "tildelingen med datoen den ble gitt, før regnskapet starter", 9, 2025, nok("200 000"))
