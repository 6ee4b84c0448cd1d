"""The account-to-row mapping of notes 5 and 10-13: errors at the ``open`` or the directive."""

from __future__ import annotations

import pytest

from nhnfin.notes.note_accounts import resolve
from tests.notes.ledgers import load
from tests.notes.ledgers import messages

HEAD = 'option "operating_currency" "NOK"\nplugin "nhnfin.notes.note_accounts"\n'  # 2 lines


def test_account_on_the_line_without_a_row() -> None:
    text = HEAD + (
        "2019-12-31 open Liabilities:2940-HolidayPayPayable NOK\n"
        '  note-row: "holiday_pay_payable"\n'
        "2019-12-31 open Liabilities:2960-AccruedItems NOK\n"
    )
    assert messages(text) == [(
        5,
        "Liabilities:2960-AccruedItems havner på linjen 'Annen kortsiktig gjeld' som note 13 "
        "spesifiserer, men er ikke knyttet til noen rad i den: legg note-row: \"<rad>\" til "
        "open-direktivet (rader: accrued_items, holiday_pay_payable, cost_accruals, "
        "state_budget_appropriation_used_on_investments, other_short_term_liabilities)",
    )]


def test_unknown_row() -> None:
    text = HEAD + (
        '2019-12-31 open Liabilities:2940-HolidayPayPayable NOK\n  note-row: "holiday_pay"\n'
    )
    found = messages(text)
    assert [line for line, _ in found] == [3, 3]
    assert found[0][1].startswith(
        "Liabilities:2940-HolidayPayPayable: note-row 'holiday_pay' er ingen noterad (note 5: "
        "salaries"
    )
    assert found[1][1].startswith("Liabilities:2940-HolidayPayPayable havner på linjen")


def test_mapped_account_off_the_line() -> None:
    text = HEAD + (
        '2019-12-31 open Liabilities:2400-TradePayables NOK\n  note-row: "holiday_pay_payable"\n'
    )
    assert messages(text) == [(
        3,
        "Liabilities:2400-TradePayables er knyttet til note 13 rad 'holiday_pay_payable', men "
        "havner ikke på linjen 'Annen kortsiktig gjeld' som note 13 spesifiserer",
    )]


def test_bank_account_need_not_be_restricted() -> None:
    text = HEAD + "2019-12-31 open Assets:1920-Bank NOK\n"
    assert messages(text) == []


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ('"7" "salaries" "5000-5399"',
         "note '7' har ingen kontorader (noter med kontorader: 5, 10, 11, 12, 13)"),
        ('"5" "wages" "5000-5399"',
         "note 5 har ingen rad 'wages' (rader: salaries, employer_social_security_contributions, "
         "pension_costs, other_personnel_costs_and_benefits)"),
        ('"5" "salaries" "5399-5000"', "intervallet '5399-5000' slutter før det begynner"),
        ('"5" "salaries" "50xx"',
         "ikke et kontonummer eller intervall: '50xx' (skriv 3000 eller 3000-3099)"),
        ('"5" "salaries"',
         "custom \"nhnfin-note-accounts\" tar en note, en rad og ett eller flere intervaller av "
         "kontonumre, f.eks. \"5\" \"salaries\" \"5000-5399\""),
    ],
)
def test_range_directive_errors(values: str, message: str) -> None:
    text = HEAD + f'2019-12-31 custom "nhnfin-note-accounts" {values}\n'
    assert messages(text) == [(3, message)]


def test_overlapping_ranges() -> None:
    text = HEAD + (
        '2019-12-31 custom "nhnfin-note-accounts" "5" "salaries" "5000-5399"\n'
        '2019-12-31 custom "nhnfin-note-accounts" "5" "pension_costs" "5300-5499"\n'
    )
    assert messages(text) == [
        (4, "note 5: intervallet overlapper raden 'salaries' på <string>:3")
    ]


def test_open_metadata_wins_over_a_range() -> None:
    text = HEAD + (
        '2019-12-31 custom "nhnfin-note-accounts" "5" "salaries" "5000-5999"\n'
        "2019-12-31 open Expenses:5420-PensionCost NOK\n"
        '  note-row: "pension_costs"\n'
        "2019-12-31 open Expenses:5000-Salaries NOK\n"
        "2019-12-31 open Expenses:5900-Other NOK\n"
    )
    assert messages(text) == []
    entries, _, _ = load(text)
    rows = resolve(entries).rows["5:pay_costs"]
    assert rows == {
        "salaries": ("Expenses:5000-Salaries", "Expenses:5900-Other"),
        "pension_costs": ("Expenses:5420-PensionCost",),
    }


def test_scope_errors_look_at_the_line_and_the_mapped_accounts_in_name_order() -> None:
    """Accounts neither on the line nor mapped to the table give nothing; those on it without
    a row and those mapped off it are named in the order of their names, whether the accounts'
    numbers are given (as ``resolve`` gives them, read once for every table) or read here."""
    from nhnfin.mapping import ledger_accounts
    from nhnfin.mapping import resolve_layout
    from nhnfin.notes.layout import load_notes_layout
    from nhnfin.notes.note_accounts import _line
    from nhnfin.notes.note_accounts import _numbered
    from nhnfin.notes.note_accounts import scope_errors
    from nhnfin.notes.specs import account_tables

    text = HEAD + (
        "2019-12-31 open Liabilities:2960-AccruedItems NOK\n"
        '2019-12-31 open Liabilities:2400-TradePayables NOK\n  note-row: "holiday_pay_payable"\n'
        "2019-12-31 open Liabilities:2950-AccruedInterest NOK\n"
        "2019-12-31 open Assets:1920-Bank NOK\n"
    )
    entries, _, _ = load(text)
    table = next(t for t in account_tables(load_notes_layout(entries)) if t.note == "13")
    layout, _ = resolve_layout(entries)
    assert layout is not None
    line = _line(layout, table)
    assert line is not None
    opens = ledger_accounts(entries)
    rows = {"Liabilities:2400-TradePayables": {table.ident: "holiday_pay_payable"},
            "Assets:1920-Bank": {"other-table": "bank"}}
    given = scope_errors(table, line, rows, opens, _numbered(opens))
    assert [(e.source["lineno"], e.message.split(" ")[0]) for e in given] == [
        (4, "Liabilities:2400-TradePayables"), (6, "Liabilities:2950-AccruedInterest"),
        (3, "Liabilities:2960-AccruedItems")]
    assert [e.message for e in given] == [e.message for e in scope_errors(table, line, rows,
                                                                          opens)]
