"""The ``custom "nhnfin-note-data"`` directives: values read, and every error at its line."""

from __future__ import annotations

from decimal import Decimal

import pytest

from nhnfin.notes.layout_notes import build_note
from nhnfin.notes.note_data import read_note_data
from tests.notes.ledgers import ledger
from tests.notes.ledgers import load
from tests.notes.ledgers import messages
from tests.notes.ledgers import values

D = Decimal
HEAD = 'option "operating_currency" "NOK"\nplugin "nhnfin.notes.note_data"\n'  # 2 lines

PEOPLE = HEAD + """\
2024-12-31 custom "nhnfin-note-data" "5" "ceo" "johan_ronaes"
  label: "Johan Ronæs"
  title: "Administrerende direktør"
  employment_period: "01.01-31.12"
  term_of_office: "01.01-31.12"
  salary_and_holiday_pay: 2419174 NOK
  other_benefits: 327500 NOK
  pension_accrual: 339775 NOK
2024-12-31 custom "nhnfin-note-data" "5" "board_owner" "roar_olsen"
  label: "Roar Olsen"
  title: "Styreleder"
  board_fee_paid: 316300 NOK
2024-12-31 custom "nhnfin-note-data" "5" "board_owner" "bendik_bygstad"
  label: "Bendik Bygstad"
  board_fee_paid: 165100.50 NOK
2024-12-31 custom "nhnfin-note-data" "5" "auditor" "audit_fee" 625737 NOK
2024-12-31 custom "nhnfin-note-data" "5" "auditor" "other_services" 99808 NOK
2023-12-31 custom "nhnfin-note-data" "5" "auditor" "audit_fee" 635120 NOK
2024-12-31 custom "nhnfin-note-data" "5" "staff" "employees" 976
"""


def test_person_and_year_tables_by_value() -> None:
    result = build_note(ledger(PEOPLE), 2024, "5")
    assert result is not None
    board, ceo, auditor, staff = result.note.tables
    assert [r.key for r in board.rows] == ["roar_olsen", "bendik_bygstad"]  # file order
    assert [r.label for r in board.rows] == ["Roar Olsen", "Bendik Bygstad"]
    assert values(board, "board_fee_paid") == {
        "roar_olsen": D(316300), "bendik_bygstad": D("165100.50")
    }
    assert board.row("roar_olsen").text_values == {"title": "Styreleder"}
    assert ceo.row("johan_ronaes").values == {
        "salary_and_holiday_pay": D(2419174),
        "other_benefits": D(327500),
        "total_salary_and_other_benefits": D(2746674),
        "pension_accrual": D(339775),
    }
    assert ceo.row("johan_ronaes").text_values == {
        "title": "Administrerende direktør", "employment_period": "01.01-31.12",
        "term_of_office": "01.01-31.12"}
    assert values(auditor, "2024") == {"audit_fee": D(625737), "other_services": D(99808),
                                       "total": D(725545)}
    assert values(auditor, "2023") == {"audit_fee": D(635120), "other_services": None,
                                       "total": D(635120)}
    assert values(staff, "2024") == {"employees": D(976), "full_time_equivalents": None}
    assert staff.row("employees").unit is None
    assert staff.unit == "count"


def test_label_overrides_the_row_label() -> None:
    text = HEAD + '2024-12-31 custom "nhnfin-note-data" "5" "auditor" "audit_fee" 1 NOK\n' \
        '  label: "Lovpålagt revisjon"\n'
    result = build_note(ledger(text), 2024, "5")
    assert result is not None
    assert result.note.tables[0].row("audit_fee").label == "Lovpålagt revisjon"


@pytest.mark.parametrize(
    ("directive", "message"),
    [
        ('"4" "auditor" "audit_fee" 1 NOK', "ukjent note '4' (noter med data: 2, 5, 6, 7)"),
        ('"5" "auditors" "audit_fee" 1 NOK',
         "note 5 har ingen tabell 'auditors' (tabeller: board_owner, board_employee, ceo, "
         "management, auditor, staff)"),
        ('"5" "auditor" "tax_advice" 1 NOK',
         "tabellen 'auditor' har ingen rad 'tax_advice' (rader: audit_fee, other_services)"),
        ('"5" "auditor" "total" 1 NOK',
         "raden 'total' er beregnet (audit_fee + other_services); ikke oppgi den"),
        ('"5" "auditor" "Audit fee" 1 NOK', "row: må følge mønsteret '^[a-z][a-z0-9_]*$'"),
        ('"5" "auditor" "audit_fee" 625737',
         "note 5 auditor: raden 'audit_fee': ventet et beløp i NOK (f.eks. 316300 NOK), men fikk "
         "625737"),
        ('"5" "auditor" "audit_fee" 625737 USD',
         "note 5 auditor: raden 'audit_fee': ventet et beløp i NOK (f.eks. 316300 NOK), men fikk "
         "625737 USD"),
        ('"5" "auditor" "audit_fee"',
         "note 5 auditor: raden 'audit_fee' tar én verdi etter raden (NOK)"),
        ('"6" "assumptions" "discount_rate" 3.9 NOK',
         "note 6 assumptions: raden 'discount_rate': ventet et rent tall (f.eks. 3.9, uten enhet "
         "og anførselstegn), men fikk 3.9 NOK"),
        ('"6" "assumptions" "discount_rate" "3,9 %"',
         "note 6 assumptions: raden 'discount_rate': ventet et rent tall (f.eks. 3.9, uten enhet "
         "og anførselstegn), men fikk '3,9 %'"),
        ('"6" "membership" "active_members" 899.5',
         "note 6 membership: raden 'active_members': ventet et helt tall på minst 0, men fikk "
         "899.5"),
        ('"5" "ceo" "johan_ronaes" 1 NOK',
         "note 5 ceo: tabellen 'ceo' tar kolonnene sine som metadata, ikke som verdier"),
        ('"5" "ceo" "johan_ronaes"',
         "note 5 ceo: raden 'johan_ronaes': oppgi navnet som skal trykkes som label: \"...\""),
        ("5 \"auditor\" \"audit_fee\" 1 NOK",
         "custom \"nhnfin-note-data\" tar en note, en tabell og en rad i anførselstegn, f.eks. "
         "\"5\" \"auditor\" \"audit_fee\" 625737 NOK"),
    ],
)
def test_directive_errors_at_their_line(directive: str, message: str) -> None:
    text = HEAD + "\n" + f'2024-12-31 custom "nhnfin-note-data" {directive}\n'
    assert messages(text) == [(4, message)]


@pytest.mark.parametrize(
    ("meta", "message"),
    [
        ("  board_fees: 1 NOK\n",
         "note 5 board_employee: tabellen 'board_employee' har ingen kolonne 'board_fees' "
         "(kolonner: salary_and_holiday_pay, other_benefits, board_fee_paid, pension_accrual, "
         "term_of_office)"),
        ("  total_salary_and_other_benefits: 1 NOK\n",
         "note 5 board_employee: tabellen 'board_employee' har ingen kolonne "
         "'total_salary_and_other_benefits' (beregnet, ikke oppgi den) (kolonner: "
         "salary_and_holiday_pay, other_benefits, board_fee_paid, pension_accrual, "
         "term_of_office)"),
        ("  board_fee_paid: 165100\n",
         "note 5 board_employee: kolonnen 'board_fee_paid': ventet et beløp i NOK (f.eks. 316300 "
         "NOK), men fikk 165100"),
        ("  term_of_office: 2024-01-01\n",
         "note 5 board_employee: kolonnen 'term_of_office': ventet en tekst i anførselstegn, men "
         "fikk 2024-01-01"),
    ],
)
def test_column_errors_at_their_line(meta: str, message: str) -> None:
    text = HEAD + '2024-12-31 custom "nhnfin-note-data" "5" "board_employee" "cathrine_hole"\n' \
        '  label: "Cathrine Hole"\n' + meta
    assert messages(text) == [(3, message)]


def test_duplicate_fact_for_the_same_year() -> None:
    text = HEAD + (
        '2024-12-31 custom "nhnfin-note-data" "5" "auditor" "audit_fee" 1 NOK\n'
        '2023-12-31 custom "nhnfin-note-data" "5" "auditor" "audit_fee" 2 NOK\n'
        '2024-06-30 custom "nhnfin-note-data" "5" "auditor" "audit_fee" 3 NOK\n'
    )
    entries, errors, _ = load(text)
    assert [(e.source["lineno"], e.message) for e in errors] == [
        (5, ("note 5 auditor: raden 'audit_fee' for 2024 er oppgitt to ganger (første gang på "
             "<string>:3)"))
    ]
    data = read_note_data(entries)
    assert [(f.year, f.values["value"]) for f in data.facts] == [(2024, D(1)), (2023, D(2))]


def test_bad_directives_are_left_out_of_the_note() -> None:
    text = PEOPLE + '2024-12-31 custom "nhnfin-note-data" "5" "auditor" "other_services" 1 NOK\n'
    entries, errors, _ = load(text)
    assert len(errors) == 1
    data = read_note_data(entries)
    assert data.fact("5", "auditor", "other_services", 2024) is not None
    assert data.fact("5", "auditor", "other_services", 2024).values["value"] == D(99808)  # type: ignore[union-attr]
