"""The income rule (nhnfin.ehealth): income in step with cost, the rest a liability (note 2)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from beancount.core import data

from nhnfin.ehealth.plugin import RULE
from nhnfin.ehealth.plugin import findings

Load = Callable[[str], tuple[list[Any], list[Any], dict[str, Any]]]
LIABILITY = "Liabilities:2920-EHealthObligations"
INCOME = "Income:3000-EHealthRevenue"


def generated(entries: list[Any]) -> list[data.Transaction]:
    return [e for e in entries if isinstance(e, data.Transaction)
            and e.meta.get("nhnfin-rule") == RULE]


def balance(entries: list[Any], account: str) -> Decimal:
    """Credit balance of ``account`` (positive for a liability or income)."""
    return -sum((p.units.number for e in entries if isinstance(e, data.Transaction)
                 for p in e.postings if p.account == account), Decimal(0))


def summary(entries: list[Any]) -> list[tuple[str, str, Decimal]]:
    return [(str(e.date), e.meta["solution"], e.postings[0].units.number)
            for e in generated(entries)]


SOLUTION = '2024-01-01 custom "nhnfin-ehealth-solution" "kjernejournal" "Kjernejournal"\n'


def invoice(date: str, amount: str, solution: str = "kjernejournal") -> str:
    return (f'{date} * "Faktura"\n'
            f"  Assets:1500-TradeReceivables:Helse-Vest   {amount} NOK\n"
            f"  {LIABILITY}  -{amount} NOK\n"
            f'    solution: "{solution}"\n')


def cost(date: str, amount: str, solution: str = "kjernejournal") -> str:
    return (f'{date} * "Drift"\n  solution: "{solution}"\n'
            f"  Expenses:6700-ExternalServices  {amount} NOK\n"
            f"  Assets:1920-Bank  -{amount} NOK\n")


def test_underspent_solution_leaves_a_liability(load_doc: Load) -> None:
    entries, errors, _ = load_doc(SOLUTION + invoice("2024-01-15", "1000.00")
                                  + cost("2024-01-31", "300.00") + cost("2024-06-10", "400.00"))
    assert errors == []
    assert summary(entries) == [("2024-01-31", "kjernejournal", Decimal("300.00")),
                                ("2024-06-30", "kjernejournal", Decimal("400.00"))]
    assert balance(entries, LIABILITY) == Decimal("300.00")
    assert balance(entries, INCOME) == Decimal("700.00")


def test_overspent_solution_is_a_finding_at_the_cost_not_recognised(load_doc: Load) -> None:
    entries, errors, options = load_doc(SOLUTION + invoice("2024-01-15", "500.00")
                                        + cost("2024-03-31", "800.00"))
    assert errors == []
    assert [(f.kind, f.lineno, f.year, f.amount, f.message)
            for f in findings(entries, options)] == [
        ("ehealth-under-coverage", 13, 2024, Decimal("300.00"),
         "Underdekning Kjernejournal 2024: D&F-kostnad 800 NOK overstiger det som var "
         "tilgjengelig (overført + fakturert) med 300 NOK; ikke inntektsført (foretaket bærer "
         "kostnaden)")]
    assert summary(entries) == [("2024-03-31", "kjernejournal", Decimal("500.00"))]
    assert balance(entries, LIABILITY) == Decimal("0.00")


def test_under_coverages_amount_links_to_the_years_cost_less_its_income(load_doc: Load) -> None:
    """Round eleven: the amount not covered had no link. It is the solution's cost postings of
    the year (1 000 in two months, less a 100 credit note; not the other solution's 900) less
    the income the rule recognised in the year (500 carried from 2024 and 300 invoiced: 800),
    summed by beanquery to the øre."""
    from nhnfin.ledger import from_entries
    from tests.fava.drill_check import Checker

    text = (SOLUTION + '2024-01-01 custom "nhnfin-ehealth-solution" "hn" "Helsenorge"\n'
            + invoice("2024-01-15", "500.00") + invoice("2025-02-01", "300.00")
            + cost("2025-02-10", "600.00") + cost("2025-05-10", "400.00")
            + cost("2025-05-20", "-100.00") + cost("2025-05-10", "900.00", "hn"))
    entries, errors, options = load_doc(text)
    assert errors == []
    found = findings(entries, options)
    assert [(f.year, f.message.split(":")[0], f.amount) for f in found] == [
        (2025, "Underdekning Helsenorge (hn) 2025", Decimal("900.00")),
        (2025, "Underdekning Kjernejournal 2025", Decimal("100.00"))]
    checker = Checker(from_entries(entries, errors, options))
    for finding in found:
        assert finding.drill is not None
        assert checker.shown(finding.drill) == [finding.amount]


def test_cost_before_the_invoice_is_caught_up_within_the_year(load_doc: Load) -> None:
    entries, errors, _ = load_doc(SOLUTION + cost("2024-01-20", "300.00")
                                  + invoice("2024-03-01", "1200.00"))
    assert errors == []
    assert summary(entries) == [("2024-03-31", "kjernejournal", Decimal("300.00"))]


def test_repayment_through_lower_invoicing_over_two_years(load_doc: Load) -> None:
    entries, errors, _ = load_doc(
        SOLUTION
        + invoice("2023-01-15", "1000.00") + cost("2023-12-15", "800.00")
        # 2024: invoiced 200 below cost; the liability carried pays the difference
        + invoice("2024-01-15", "700.00") + cost("2024-12-15", "900.00"))
    assert errors == []
    assert summary(entries) == [("2023-12-31", "kjernejournal", Decimal("800.00")),
                                ("2024-12-31", "kjernejournal", Decimal("900.00"))]
    until_2023 = [e for e in entries if e.date.year <= 2023]
    assert balance(until_2023, LIABILITY) == Decimal("200.00")
    assert balance(entries, LIABILITY) == Decimal("0.00")


def test_explicit_repayment_directive(load_doc: Load) -> None:
    entries, errors, _ = load_doc(
        SOLUTION + invoice("2024-01-15", "1000.00") + cost("2024-02-10", "800.00")
        + '2024-06-30 custom "nhnfin-ehealth-repayment" "kjernejournal" 150.00 NOK '
          "Assets:1920-Bank\n")
    assert errors == []
    repayment = [e for e in entries if isinstance(e, data.Transaction)
                 and e.meta.get("nhnfin-rule") == "ehealth-repayment"]
    assert [(p.account, p.units.number) for p in repayment[0].postings] == [
        (LIABILITY, Decimal("150.00")), ("Assets:1920-Bank", Decimal("-150.00"))]
    assert repayment[0].meta["nhnfin-source"] == "<string>:17"
    assert balance(entries, LIABILITY) == Decimal("50.00")


def test_repaying_more_than_the_liability_is_refused_at_the_repayment(load_doc: Load) -> None:
    entries, errors, _ = load_doc(
        SOLUTION + invoice("2024-01-15", "100.00")
        + '2024-06-30 custom "nhnfin-ehealth-repayment" "kjernejournal" 150.00 NOK '
          "Assets:1920-Bank\n")
    assert [(e.source["lineno"], e.message) for e in errors] == [
        (13, "tilbakebetalingen på 150 NOK for Kjernejournal 30.06.2024 er mer enn "
             "forpliktelsen har for den (100 NOK); ingenting er bokført")]
    assert [e for e in entries if isinstance(e, data.Transaction)
            and e.meta.get("nhnfin-rule") == "ehealth-repayment"] == []
    assert balance(entries, LIABILITY) == Decimal("100.00")


def test_a_repayment_before_any_invoice_is_refused(load_doc: Load) -> None:
    """Repaid in January, invoiced in March: 2920 would be negative for two months."""
    entries, errors, _ = load_doc(
        SOLUTION
        + '2024-01-10 custom "nhnfin-ehealth-repayment" "kjernejournal" 50.00 NOK '
          "Assets:1920-Bank\n"
        + invoice("2024-03-15", "100.00"))
    assert [(e.source["lineno"], e.message) for e in errors] == [
        (9, "tilbakebetalingen på 50 NOK for Kjernejournal 10.01.2024 er mer enn "
            "forpliktelsen har for den (0 NOK); ingenting er bokført")]
    assert balance(entries, LIABILITY) == Decimal("100.00")


def test_a_credit_note_taking_the_liability_below_zero_is_an_error_at_it(load_doc: Load
                                                                          ) -> None:
    _, errors, _ = load_doc(
        SOLUTION + invoice("2024-01-15", "100.00") + invoice("2024-02-15", "-150.00"))
    assert [(e.source["lineno"], e.message) for e in errors] == [
        (13, "posteringen på 150 NOK mot forpliktelsen for Kjernejournal 15.02.2024 tar den "
             "under null: den har 100 NOK (det er ført mer til kredit enn det som var "
             "overført og fakturert)")]


def test_generated_entries_are_honest_and_reproducible(load_doc: Load) -> None:
    text = SOLUTION + invoice("2024-01-15", "1000.00") + cost("2024-04-30", "250.00")
    first, _, _ = load_doc(text)
    second, _, _ = load_doc(text)
    assert generated(first) == generated(second)
    (entry,) = generated(first)
    assert entry.tags == frozenset({"nhnfin-generated"})
    assert entry.meta["lineno"] == 8
    assert entry.meta["nhnfin-source"] == "<string>:8"
    assert entry.meta["solution"] == "kjernejournal"
    assert entry.meta["period"] == "2024-04"
    assert sum(p.units.number for p in entry.postings) == 0
    assert all(p.meta["solution"] == "kjernejournal" for p in entry.postings)


def test_quarterly_recognition(load_doc: Load) -> None:
    entries, errors, _ = load_doc(
        '2024-01-01 custom "nhnfin-ehealth-options" "recognition" "quarterly"\n' + SOLUTION
        + invoice("2024-01-15", "1000.00") + cost("2024-01-31", "100.00")
        + cost("2024-02-28", "100.00") + cost("2024-08-01", "50.00"))
    assert errors == []
    assert summary(entries) == [("2024-03-31", "kjernejournal", Decimal("200.00")),
                                ("2024-09-30", "kjernejournal", Decimal("50.00"))]


def test_each_solution_on_its_own(load_doc: Load) -> None:
    entries, errors, _ = load_doc(
        SOLUTION + '2024-01-01 custom "nhnfin-ehealth-solution" "helseid" "HelseID"\n'
        + invoice("2024-01-15", "100.00") + invoice("2024-01-15", "100.00", "helseid")
        + cost("2024-01-20", "150.00") + cost("2024-01-20", "40.00", "helseid"))
    assert errors == []
    assert [f.message for f in findings(entries, {})] == [
        "Underdekning Kjernejournal 2024: D&F-kostnad 150 NOK overstiger det som var "
        "tilgjengelig (overført + fakturert) med 50 NOK; ikke inntektsført (foretaket bærer "
        "kostnaden)"]
    assert summary(entries) == [("2024-01-31", "kjernejournal", Decimal("100.00")),
                                ("2024-01-31", "helseid", Decimal("40.00"))]


def test_liability_posting_without_solution_and_unknown_solution(load_doc: Load) -> None:
    _, errors, _ = load_doc(
        SOLUTION
        + '2024-01-15 * "Faktura uten løsning"\n'
          "  Assets:1500-TradeReceivables:Helse-Vest   10.00 NOK\n"
          f"  {LIABILITY}  -10.00 NOK\n"
        + cost("2024-01-20", "5.00", "kjernjournal"))
    assert sorted((e.source["lineno"], e.message) for e in errors) == [
        (9, f"posteringen på {LIABILITY} har ingen løsning: legg til solution: \"<id>\""),
        (12, "ukjent løsning 'kjernjournal': ingen custom \"nhnfin-ehealth-solution\" oppgir den "
             "(mente du \"kjernejournal\"?)")]


def test_options_act_from_their_date_only(load_doc: Load) -> None:
    """Issue 15: an options directive dated 2025 moved all of 2024's income to another account.
    It acts from its date on; a second directive on the same date is an error."""
    entries, errors, _ = load_doc(
        '2025-01-01 custom "nhnfin-ehealth-options" "income" "Income:3100-ServiceRevenue"\n'
        "2020-01-01 open Income:3100-ServiceRevenue NOK\n"
        + SOLUTION + invoice("2024-01-15", "1000.00") + cost("2024-12-31", "100.00")
        + cost("2025-01-31", "50.00"))
    assert errors == []
    income = [(str(e.date), e.postings[1].account, e.postings[1].units.number)
              for e in generated(entries)]
    assert income == [("2024-12-31", INCOME, Decimal("-100.00")),
                      ("2025-01-31", "Income:3100-ServiceRevenue", Decimal("-50.00"))]
    _, errors, _ = load_doc(
        '2025-01-01 custom "nhnfin-ehealth-options" "income" "Income:3100-ServiceRevenue"\n'
        '2025-01-01 custom "nhnfin-ehealth-options" "recognition" "quarterly"\n' + SOLUTION)
    assert [(e.source["lineno"], e.message) for e in errors] == [
        (9, "nhnfin-ehealth-options for 2025-01-01 er oppgitt to ganger")]


def test_collect_reads_each_days_liability_and_the_limit_both_ways(load_doc: Load) -> None:
    """``collect`` takes the liability in force on each entry's date (read once per day), counts
    a posting to the old liability only before the options move it, and names an amount not
    below MAX_AMOUNT either way as too large; a Flow holds every field by value."""
    from nhnfin.config import one_plugin_run
    from nhnfin.ehealth.directives import parse
    from nhnfin.ehealth.plugin import Flow
    from nhnfin.ehealth.plugin import collect

    new = "Liabilities:2921-EHealthObligations"
    entries, _, _ = load_doc(
        f'2025-01-01 custom "nhnfin-ehealth-options" "liability" "{new}"\n'
        f"2020-01-01 open {new} NOK\n"
        + SOLUTION + invoice("2024-12-31", "10.00") + invoice("2025-01-01", "20.00")
        + invoice("2025-01-01", "40.00").replace(LIABILITY, new)
        + cost("2025-01-02", "999999999999999.99") + cost("2025-01-02", "1000000000000000.00")
        + cost("2025-01-03", "-1000000000000000.00"))
    config, _ = parse(entries)
    txns = [e for e in entries if isinstance(e, data.Transaction)
            and e.meta.get("nhnfin-rule") is None]
    with one_plugin_run():
        flows, errors = collect(txns, config)
    got = [(type(f), f.date.isoformat(), f.cost, f.invoiced, f.meta["lineno"], f.repayment,
            f.account) for f in flows["kjernejournal"]]
    assert got == [
        (Flow, "2024-12-31", Decimal(0), Decimal("10.00"), 11, False, LIABILITY),
        (Flow, "2025-01-01", Decimal(0), Decimal("40.00"), 19, False, new),
        (Flow, "2025-01-02", Decimal("999999999999999.99"), Decimal(0), 23, False,
         "Expenses:6700-ExternalServices"),
    ]
    assert [(e.source["lineno"], e.message) for e in errors] == [
        (27, "posteringen på Expenses:6700-ExternalServices: 1000000000000000.00 er for stort "
             "(grensen er 1 000 000 000 000 000 NOK)"),
        (31, "posteringen på Expenses:6700-ExternalServices: -1000000000000000.00 er for stort "
             "(grensen er 1 000 000 000 000 000 NOK)")]
