"""A grant's receivable (1570) is the rule's: a debit booked on it by hand after the opening
balance is a finding at its line, and 1570 ties out against what note 3 counts as awarded and not
received, naming the postings linked to no grant.

Round eight's probe: a hand debit on 1570 (linked or not) or an unlinked credit passed every
check silently; the linked one even moved note 3's "Ikke mottatt" and "Tilskudd" columns."""

from __future__ import annotations

from decimal import Decimal

from nhnfin.model import Status
from nhnfin.report import build_report
from tests.grants.grant_testing import load_ledger
from tests.test_opening_year_grants import assert_drills_add_up
from tests.test_opening_year_grants import note3_ties

BOOKS = """\
plugin "nhnfin"
include "ACCOUNTS"

2025-01-01 * "Inngående balanse"
  Assets:1920-Bank                             400000.00 NOK
  Assets:1570-GrantsReceivable                 100000.00 NOK
    grant: "g1"
  Liabilities:2910-UnusedPublicGrants         -100000.00 NOK
    grant: "g1"
  Equity:2050-OtherEquity                     -400000.00 NOK

2025-01-01 custom "nhnfin-grant" "g1"
  name: "Tilskudd kap. 701 post 21"
  source: "Kap. 701 post 21"
  amount: 800000.00 NOK
  note-row: "public_grant"

2025-03-01 * "Departementet" "Utbetalt tilskudd"
  grant: "g1"
  Assets:1920-Bank                             500000.00 NOK
  Liabilities:2910-UnusedPublicGrants

2025-04-01 * "Departementet" "Fordringen fra i fjor betalt"
  grant: "g1"
  Assets:1920-Bank                             100000.00 NOK
  Assets:1570-GrantsReceivable
"""

LINKED_DEBIT = """
2025-09-01 * "Feilføring" "Fordring ført for hånd"
  grant: "g1"
  Assets:1570-GrantsReceivable                  50000.00 NOK
  Income:3900-OtherIncome
"""

UNLINKED_DEBIT = """
2025-09-01 * "Feilføring" "Fordring ført for hånd"
  Assets:1570-GrantsReceivable                  50000.00 NOK
  Assets:1920-Bank
"""

UNLINKED_CREDIT = """
2025-09-01 * "Departementet" "Innbetaling uten tilskuddskobling"
  Assets:1920-Bank                              50000.00 NOK
  Assets:1570-GrantsReceivable
"""

RULE = ("tilskuddsregelen fører selv fordringen for det som er tildelt og ikke mottatt "
        "(grant-receivable); for hånd føres fordringen bare i inngående balanse, og krediteres "
        "når tilskuddet betales")


def test_the_rules_own_receivable_and_the_hand_credits_it_allows_give_no_finding() -> None:
    """The opening balance's 1570 and its payment (a linked credit) are what the docs allow."""
    loaded = load_ledger(BOOKS)
    assert loaded.ledger.errors == []
    report = build_report(loaded.ledger, 2025)
    assert report.findings == ()
    assert note3_ties(report)["note3.receivable.1570"] == (Decimal("200000.00"),
                                                           Decimal("200000.00"), Status.PASSED)
    assert_drills_add_up(loaded.ledger, report)


def test_a_hand_debit_linked_to_a_grant_is_a_finding_at_its_line() -> None:
    loaded = load_ledger(BOOKS + LINKED_DEBIT)
    report = build_report(loaded.ledger, 2025)
    [finding] = report.findings
    assert (finding.kind, finding.lineno, finding.amount) == (
        "grant-hand-receivable", 30, Decimal("50000.00"))
    assert finding.message == (
        f"Assets:1570-GrantsReceivable er debitert 50 000 NOK for hånd: {RULE}; note 3 regner "
        "den som ikke mottatt tilskudd for g1")
    assert_drills_add_up(loaded.ledger, report)


def test_a_hand_debit_linked_to_no_grant_is_a_finding_and_fails_the_tie_out() -> None:
    loaded = load_ledger(BOOKS + UNLINKED_DEBIT)
    report = build_report(loaded.ledger, 2025)
    [finding] = report.findings
    assert (finding.kind, finding.lineno) == ("grant-hand-receivable", 29)
    assert finding.message.endswith("den er ikke knyttet til noe tilskudd (grant:), så note 3 "
                                    "regner den ikke med")
    [tie] = [t for t in report.tieouts if t.check_id == "note3.receivable.1570"]
    assert (tie.left, tie.right, tie.status) == (Decimal("200000.00"), Decimal("250000.00"),
                                                 Status.FAILED)
    assert tie.detail.startswith("1 postering på Assets:1570-GrantsReceivable, til sammen "
                                 "50 000 (")
    assert tie.detail.endswith(":28) har ingen tilskuddskobling (grant:): regnskapet tar dem "
                               "med, noten ikke")
    assert_drills_add_up(loaded.ledger, report)


def test_a_credit_linked_to_no_grant_fails_the_tie_out_naming_it() -> None:
    """A payment to 1570 that names no grant: the rule still counts the receivable open."""
    loaded = load_ledger(BOOKS + UNLINKED_CREDIT)
    report = build_report(loaded.ledger, 2025)
    assert report.findings == ()
    [tie] = [t for t in report.tieouts if t.check_id == "note3.receivable.1570"]
    assert (tie.left, tie.right, tie.status) == (Decimal("200000.00"), Decimal("150000.00"),
                                                 Status.FAILED)
    assert "til sammen −50 000 (" in tie.detail


def test_the_findings_amount_links_to_the_hand_posting_and_every_figure_adds_up() -> None:
    """Round nine's probe: a finding's figures on the tie-out page had no link and no hover
    saying why; the hand posting's amount now links to the posting, and the page's every figure
    links to what adds up to it or says in its hover why it cannot."""
    from tests.fava.drill_check import Checker
    from tests.fava.drill_check import problems

    loaded = load_ledger(BOOKS + LINKED_DEBIT)
    report = build_report(loaded.ledger, 2025)
    [tie] = [t for t in report.tieouts if t.check_id.startswith("finding.")]
    assert tie.left_drill is not None
    assert Checker(loaded.ledger).shown(tie.left_drill) == [Decimal("50000.00")]
    assert tie.unlinked == "et funn sammenlignes med null, ikke med et tall i regnskapet"
    count, wrong = problems(report, loaded.ledger)
    assert count > 300
    assert wrong == []
