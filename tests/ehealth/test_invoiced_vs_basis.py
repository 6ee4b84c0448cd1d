"""A year's rule-written invoices against its invoice basis: a finding at the cost basis."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from nhnfin.ehealth.invoiced import findings
from nhnfin.fava_ext.drill_values import DrillValues
from nhnfin.findings import collect_findings
from nhnfin.findings import unlinked_finding
from nhnfin.ledger import from_entries

Loaded = tuple[list[Any], list[Any], dict[str, Any]]

RULES = """\
2026-01-01 custom "nhnfin-ehealth-options" "invoicing" "quarter"
2026-01-01 custom "nhnfin-ehealth-group" "RHF" FALSE
2026-01-01 custom "nhnfin-ehealth-solution" "journal" "Pasientjournal"
2026-01-01 custom "nhnfin-ehealth-key" "journal" "RHF" 100
2026-01-01 custom "nhnfin-ehealth-actor" "Helse-Vest" "RHF"
  name: "Helse Vest RHF"
2026-01-01 custom "nhnfin-ehealth-population" "Helse-Vest" 1000
2026-01-01 custom "nhnfin-ehealth-cost-basis" "journal" 2026 {need} NOK
"""
BASIS_LINE = 15  # HEADER's 7 lines + the 8th of RULES


def invoice(quarter: int, amount: str) -> str:
    period = f"2026-Q{quarter}"
    return f"""\
2026-{3 * quarter - 2:02d}-01 * "Helse Vest RHF" "Faktura nasjonale e-helseløsninger {period}"
  nhnfin-rule: "ehealth-invoice"
  invoice: "EHF-2026-Q{quarter}-Helse-Vest"
  Assets:1500-TradeReceivables:Helse-Vest   {amount} NOK
  Liabilities:2920-EHealthObligations      -{amount} NOK
    solution: "journal"
"""


def test_invoices_as_the_basis_give_no_finding(load_doc: Callable[[str], Loaded]) -> None:
    entries, errors, options = load_doc(
        RULES.format(need="900000.00") + "".join(invoice(q, "225000.00") for q in (1, 2, 3, 4)))
    assert errors == []
    assert findings(entries, options) == []


def test_basis_changed_after_invoicing_is_a_finding(load_doc: Callable[[str], Loaded]) -> None:
    entries, errors, options = load_doc(
        RULES.format(need="990000.00") + "".join(invoice(q, "225000.00") for q in (1, 2, 3, 4)))
    assert errors == []
    ledger = from_entries(entries, [], options)
    found = collect_findings(ledger, 2026)
    mine = [f for f in found if f.kind == "ehealth-invoiced-vs-basis"]
    assert len(mine) == 1
    finding = mine[0]
    assert (finding.lineno, finding.year, finding.amount) == (BASIS_LINE, 2026,
                                                               Decimal("-90000.00"))
    assert finding.message == (
        "Fakturert Pasientjournal (journal) 2026 900 000 NOK, men fakturagrunnlaget "
        "(kostnadsgrunnlaget slik det står nå) gir 990 000 NOK: differanse −90 000 NOK "
        "(per aktør: Helse Vest RHF fakturert 900 000, grunnlaget 990 000); fakturaene er "
        "skrevet fra et annet grunnlag (endret etter at de ble skrevet?): rett fakturaene "
        "eller grunnlaget")
    assert finding.drill is not None
    assert [(sign, part.declared) for sign, part in finding.drill.parts][1] == (
        -1, (("<string>", BASIS_LINE, "need"),))
    assert "ehealth-invoice" in finding.drill.parts[0][1].query
    # the trail adds up: the invoices' 900 000 less the declared need, 990 000
    assert DrillValues(ledger).value(finding.drill) == finding.amount


def test_a_year_invoiced_in_part_compares_the_invoiced_quarters(
        load_doc: Callable[[str], Loaded]) -> None:
    # Q1 and Q2 invoiced from 900 000; the rest of the year not yet
    same = RULES.format(need="900000.00") + invoice(1, "225000.00") + invoice(2, "225000.00")
    entries, _, options = load_doc(same)
    assert findings(entries, options) == []
    changed = RULES.format(need="990000.00") + invoice(1, "225000.00") + invoice(2, "225000.00")
    entries, _, options = load_doc(changed)
    [finding] = findings(entries, options)
    assert finding.amount == Decimal("-45000.00")
    assert finding.message.startswith(
        "Fakturert Pasientjournal (journal) 2026 450 000 NOK, men fakturagrunnlaget "
        "(kostnadsgrunnlaget slik det står nå) gir 495 000 NOK: differanse −45 000 NOK")
    assert ("sammenlignet for de fakturerte periodene, 2026-Q3, 2026-Q4 er ikke fakturert ennå"
            in finding.message)
    assert finding.drill is None
    assert "ikke fakturert for alle perioder" in unlinked_finding(finding)


def monthly_invoice(month: int, amount: str) -> str:
    period = f"2026-{month:02d}"
    return f"""\
{period}-01 * "Helse Vest RHF" "Faktura nasjonale e-helseløsninger {period}"
  nhnfin-rule: "ehealth-invoice"
  invoice: "EHF-{period}-Helse-Vest"
  Assets:1500-TradeReceivables:Helse-Vest   {amount} NOK
  Liabilities:2920-EHealthObligations      -{amount} NOK
    solution: "journal"
"""


def test_a_monthly_year_with_a_repayment_and_one_invoice_edited(
        load_doc: Callable[[str], Loaded]) -> None:
    rules = (RULES.replace('"invoicing" "quarter"', '"invoicing" "month"')
             .format(need="1200.00") + "  repayment: 120.00 NOK\n")
    months = [monthly_invoice(m, "90.00") for m in range(1, 13)]
    entries, errors, options = load_doc(rules + "".join(months))
    assert errors == []
    assert findings(entries, options) == []
    months[4] = monthly_invoice(5, "100.00")  # May's invoice edited by hand
    entries, errors, options = load_doc(rules + "".join(months))
    ledger = from_entries(entries, errors, options)
    [finding] = findings(entries, options)
    assert (finding.lineno, finding.amount) == (BASIS_LINE, Decimal("10.00"))
    assert finding.message.startswith(
        "Fakturert Pasientjournal (journal) 2026 1 090 NOK, men fakturagrunnlaget "
        "(kostnadsgrunnlaget slik det står nå) gir 1 080 NOK: differanse 10 NOK")
    assert finding.drill is not None
    # the invoices' 1 090 less the declared need 1 200 plus the declared repayment 120
    assert DrillValues(ledger).value(finding.drill) == Decimal("10.00")
