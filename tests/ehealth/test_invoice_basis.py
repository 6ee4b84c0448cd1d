"""The invoice basis: periods, population, municipality mergers, invoices as transactions."""

from __future__ import annotations

import datetime
import textwrap
from decimal import Decimal

from beancount import loader
from beancount.core import data
from beancount.parser import printer

from nhnfin.ehealth.basis import InvoiceBasis
from nhnfin.ehealth.basis import invoice_basis
from nhnfin.ehealth.basis import invoice_entries
from nhnfin.ehealth.directives import EHealthConfig
from nhnfin.ehealth.directives import parse
from nhnfin.model import Status
from nhnfin.reconcile.customer_ledger import open_items
from nhnfin.reconcile.customer_ledger import subledger_check

LEDGER = """\
option "operating_currency" "NOK"
plugin "nhnfin.ehealth"
2020-01-01 open Assets:1500-TradeReceivables NOK
2020-01-01 open Assets:1920-Bank NOK
2020-01-01 open Liabilities:2920-EHealthObligations NOK
2020-01-01 open Income:3000-EHealthRevenue NOK
2024-01-01 custom "nhnfin-ehealth-options" "rounding" "krone" "invoicing" "quarterly"
2024-01-01 custom "nhnfin-ehealth-group" "RHF" TRUE
2024-01-01 custom "nhnfin-ehealth-group" "Kommune" TRUE
2024-01-01 custom "nhnfin-ehealth-solution" "kjernejournal" "Kjernejournal"
2024-01-01 custom "nhnfin-ehealth-key" "kjernejournal" "RHF" 60 "Kommune" 40
2024-01-01 custom "nhnfin-ehealth-cost-basis" "kjernejournal" 2024 1000000 NOK
  compensated: 800000 NOK
2024-01-01 custom "nhnfin-ehealth-actor" "Helse-Vest" "RHF"
2024-01-01 custom "nhnfin-ehealth-population" "Helse-Vest" 1000
2024-01-01 custom "nhnfin-ehealth-actor" "Kommune-A" "Kommune"
2024-01-01 custom "nhnfin-ehealth-actor" "Kommune-B" "Kommune"
2024-01-01 custom "nhnfin-ehealth-population" "Kommune-A" 1000
  source: "SSB 1.1.2024"
2024-01-01 custom "nhnfin-ehealth-population" "Kommune-B" 2000
  source: "SSB 1.1.2024"
2024-07-01 custom "nhnfin-ehealth-merger" "Kommune-A" "Kommune-B"
"""


def compute(text: str, year: int = 2024) -> tuple[EHealthConfig, InvoiceBasis]:
    entries, errors, _ = loader.load_string(text)
    assert errors == []
    config, config_errors = parse(entries)
    assert config_errors == []
    basis, basis_errors = invoice_basis(config, year)
    assert basis_errors == []
    return config, basis


def lines(basis: InvoiceBasis, group: str) -> list[tuple[str, str, Decimal]]:
    return [(x.period, x.actor, x.amount) for x in basis.lines if x.group == group]


def test_municipality_merger_mid_year() -> None:
    _, basis = compute(LEDGER)
    # kommune: 40 % of 1 000 000 = 400 000, 100 000 a quarter; A and B split 1:2 until the
    # merger on 1 July, then B (with A's population) takes it all
    assert lines(basis, "Kommune") == [
        ("2024-Q1", "Kommune-A", Decimal(33333)), ("2024-Q1", "Kommune-B", Decimal(66667)),
        ("2024-Q2", "Kommune-A", Decimal(33333)), ("2024-Q2", "Kommune-B", Decimal(66667)),
        ("2024-Q3", "Kommune-B", Decimal(100000)),
        ("2024-Q4", "Kommune-B", Decimal(100000)),
    ]
    assert basis.actor_totals() == {"Helse-Vest": Decimal(600000),
                                    "Kommune-A": Decimal(66666), "Kommune-B": Decimal(333334)}


def test_partial_transfer_and_new_population_figure() -> None:
    text = LEDGER.replace('"Kommune-A" "Kommune-B"\n', '"Kommune-A" "Kommune-B" 500\n') + (
        '2024-10-01 custom "nhnfin-ehealth-population" "Kommune-B" 3500\n')
    _, basis = compute(text)
    assert lines(basis, "Kommune")[4:] == [
        ("2024-Q3", "Kommune-A", Decimal(16667)), ("2024-Q3", "Kommune-B", Decimal(83333)),
        ("2024-Q4", "Kommune-A", Decimal(12500)), ("2024-Q4", "Kommune-B", Decimal(87500)),
    ]


def test_repayment_lowers_the_invoice() -> None:
    text = LEDGER.replace("  compensated: 800000 NOK\n",
                          "  compensated: 800000 NOK\n  repayment: 100000 NOK\n")
    _, basis = compute(text)
    (split,) = basis.solutions
    assert [(g.group, g.invoiced, g.not_compensated) for g in split.groups] == [
        ("RHF", Decimal(540000), Decimal(60000)), ("Kommune", Decimal(360000), Decimal(40000))]


def test_invoices_as_transactions_load_and_tie_to_the_customer_ledger() -> None:
    config, basis = compute(LEDGER)
    invoices = invoice_entries(basis, config)
    assert len(invoices) == 10
    first = invoices[0]
    assert (first.date, first.payee, first.meta["invoice"]) == (
        datetime.date(2024, 1, 1), "Helse-Vest", "EHF-2024-Q1-Helse-Vest")
    assert all(sum(p.units.number for p in e.postings) == 0 for e in invoices)
    opens = "".join(f"2020-01-01 open {a.account} NOK\n" for a in config.actors.values())
    payment = textwrap.dedent("""\
        2024-02-10 * "Innbetaling"
          invoice: "EHF-2024-Q1-Helse-Vest"
          Assets:1920-Bank  150000 NOK
          Assets:1500-TradeReceivables:Helse-Vest  -150000 NOK
        """)
    text = LEDGER + opens + "".join(printer.format_entry(e) for e in invoices) + payment
    entries, errors, _ = loader.load_string(text)
    assert errors == []
    items = open_items(entries, as_of=datetime.date(2024, 3, 31))
    assert "Helse-Vest" not in items  # Q1 paid in full; Q2 is dated after 31 March
    assert [(i.reference, i.open) for i in items["Kommune-A"]] == [
        ("EHF-2024-Q1-Kommune-A", Decimal(33333))]
    check = subledger_check(entries)
    assert (check.status, check.left) == (Status.PASSED, Decimal(1000000 - 150000))
    income = [e for e in entries if isinstance(e, data.Transaction)
              and e.meta.get("nhnfin-rule") == "ehealth-income"]
    assert income == []  # no cost booked yet: all of it is a liability


def test_subledger_check_finds_postings_to_the_control_account() -> None:
    entries, errors, _ = loader.load_string(textwrap.dedent("""\
        2020-01-01 open Assets:1500-TradeReceivables NOK
        2020-01-01 open Assets:1500-TradeReceivables:Oslo-kommune NOK
        2020-01-01 open Income:3100-ServiceRevenue NOK
        2024-01-05 * "Faktura" ^f-1
          Assets:1500-TradeReceivables:Oslo-kommune  100.00 NOK
          Income:3100-ServiceRevenue
        2024-01-06 * "Uten kunde"
          Assets:1500-TradeReceivables  7.00 NOK
          Income:3100-ServiceRevenue
        """))
    assert errors == []
    check = subledger_check(entries)
    assert (check.status, check.left, check.right) == (
        Status.FAILED, Decimal("100.00"), Decimal("107.00"))
    assert check.detail == "7 NOK er ført på Assets:1500-TradeReceivables selv, ikke på en " \
        "kunde"
    assert [(i.reference, i.open) for i in open_items(entries)["Oslo-kommune"]] == [
        ("f-1", Decimal("100.00"))]


def test_the_actor_table_names_each_actor_its_declared_name() -> None:
    """The markdown's "Aktør" table gives the name an actor declares beside its id (r9docs:
    `invoice-basis` listed ids alone, "Bodo-kommune" for "Bodø kommune")."""
    from nhnfin.cli.ehealth import render_md

    text = LEDGER.replace('"Kommune-A" "Kommune"\n',
                          '"Kommune-A" "Kommune"\n  name: "Ås kommune"\n', 1)
    _, basis = compute(text)
    assert basis.names["Kommune-A"] == "Ås kommune"
    table = render_md(basis).split("| Aktør | Navn | Fakturert |\n|---|---|---:|\n")[1]
    rows = [line.split(" | ")[:2] for line in table.strip().splitlines()]
    assert ["| Kommune-A", "Ås kommune"] in rows


EQUAL_GROUP = """\
2024-01-01 custom "nhnfin-ehealth-group" "Apotek" FALSE
  split: "equal"
2024-01-01 custom "nhnfin-ehealth-actor" "Apotek-1" "Apotek"
2024-01-01 custom "nhnfin-ehealth-actor" "Apotek-2" "Apotek"
2024-01-01 custom "nhnfin-ehealth-actor" "Apotek-3" "Apotek"
2024-07-01 custom "nhnfin-ehealth-merger" "Apotek-1" "Apotek-2"
"""


def test_a_merger_in_an_equally_split_group_moves_the_share_to_the_actor_it_joins() -> None:
    """Apotek (split equally, no population) has 10 % of 1 000 000, 25 000 a quarter. Apotek-1
    merges into Apotek-2 on 1 July: from Q3, Apotek-2 has its own share and Apotek-1's (2 of
    3), Apotek-1 none. Before: the load refused the merger (Apotek-1 "har ikke noe folketall"),
    and the split went on giving Apotek-1 a third after it."""
    text = LEDGER.replace('"RHF" 60 "Kommune" 40', '"RHF" 50 "Kommune" 40 "Apotek" 10') \
        + EQUAL_GROUP
    _, basis = compute(text)
    assert lines(basis, "Apotek") == [
        ("2024-Q1", "Apotek-1", Decimal(8334)), ("2024-Q1", "Apotek-2", Decimal(8333)),
        ("2024-Q1", "Apotek-3", Decimal(8333)),
        ("2024-Q2", "Apotek-1", Decimal(8334)), ("2024-Q2", "Apotek-2", Decimal(8333)),
        ("2024-Q2", "Apotek-3", Decimal(8333)),
        ("2024-Q3", "Apotek-2", Decimal(16667)), ("2024-Q3", "Apotek-3", Decimal(8333)),
        ("2024-Q4", "Apotek-2", Decimal(16667)), ("2024-Q4", "Apotek-3", Decimal(8333)),
    ]
    assert sum(x.amount for x in basis.lines if x.group == "Apotek") == Decimal(100000)
    # a second merger passes both shares on: Apotek-2 (with Apotek-1's) into Apotek-3
    _, basis = compute(text + '2024-10-01 custom "nhnfin-ehealth-merger" "Apotek-2" '
                              '"Apotek-3"\n')
    assert lines(basis, "Apotek")[-1:] == [("2024-Q4", "Apotek-3", Decimal(25000))]


def test_a_merger_in_an_equally_split_group_that_cannot_be_followed_is_an_error_at_it(
) -> None:
    """A number moved (an equal split has no population to move part of) and a merger into
    another group: an error at the merger, at load, and the invoice basis refuses the year."""
    text = LEDGER.replace('"RHF" 60 "Kommune" 40', '"RHF" 50 "Kommune" 40 "Apotek" 10')
    line = text.count("\n") + 6
    cases = [
        (EQUAL_GROUP.replace('"Apotek-1" "Apotek-2"\n', '"Apotek-1" "Apotek-2" 100\n'),
         "sammenslåingen 2024-07-01 flytter 100 av folketallet fra 'Apotek-1', men gruppen "
         "'Apotek' deles likt og har ikke folketall: en sammenslåing der flytter hele andelen "
         "til aktøren (ta bort tallet)"),
        (EQUAL_GROUP.replace('"Apotek-1" "Apotek-2"\n', '"Apotek-1" "Kommune-B"\n'),
         "sammenslåingen 2024-07-01 slår sammen 'Apotek-1' i gruppen 'Apotek' med "
         "'Kommune-B' i gruppen 'Kommune': en gruppe som deles likt kan bare slå sammen sine "
         "egne aktører"),
    ]
    for body, message in cases:
        entries, errors, _ = loader.load_string(text + body)
        assert [(e.source["lineno"], e.message) for e in errors] == [(line, message)]
        config, _ = parse(entries)
        _, refused = invoice_basis(config, 2024)
        assert [(e.source["lineno"], e.message) for e in refused] == [(line, message)]
