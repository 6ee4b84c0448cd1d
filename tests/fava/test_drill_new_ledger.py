"""Every figure of a ledger made as the docs make one links to what makes it and adds up to it:
``nhnfin init`` (docs/new-ledger.md), the two e-health solutions, four actors and quarterly
invoices of docs/ehealth-invoicing.md ("Two years on a new ledger"), with the invoices written
by ``nhnfin invoice-basis --format beancount`` and included, the two grants and the server of
docs/grants.md ("Two grants on a new ledger"), over two years: 2026 with 2025 as its prior
year, and 2025 (a year with an under-coverage finding)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from nhnfin.cli.main import main
from nhnfin.ledger import Ledger
from nhnfin.ledger import load
from nhnfin.report import build_report
from tests.fava.drill_check import problems

RULES = """
2025-01-01 custom "nhnfin-ehealth-options" "invoicing" "quarter" "recognition" "month"
2025-01-01 custom "nhnfin-ehealth-group" "RHF" TRUE
  name: "Regionale helseforetak"
2025-01-01 custom "nhnfin-ehealth-group" "Kommune" TRUE
  name: "Kommuner"
2025-01-01 custom "nhnfin-ehealth-solution" "journal" "Pasientjournal Nord"
2025-01-01 custom "nhnfin-ehealth-solution" "timebok" "Timebestilling"
2025-01-01 custom "nhnfin-ehealth-key" "journal" "RHF" 60 "Kommune" 40
2025-01-01 custom "nhnfin-ehealth-key" "timebok" "RHF" 50 "Kommune" 50
2025-01-01 custom "nhnfin-ehealth-actor" "Helse-Nord" "RHF"
  name: "Helse Nord RHF"
2025-01-01 custom "nhnfin-ehealth-actor" "Helse-Midt" "RHF"
  name: "Helse Midt-Norge RHF"
2025-01-01 custom "nhnfin-ehealth-actor" "Tromso-kommune" "Kommune"
  name: "Tromsø kommune"
2025-01-01 custom "nhnfin-ehealth-actor" "Bodo-kommune" "Kommune"
  name: "Bodø kommune"
2025-01-01 custom "nhnfin-ehealth-population" "Helse-Nord" 480000
  source: "SSB 07459, 1.1.2025 (avrundet)"
2025-01-01 custom "nhnfin-ehealth-population" "Helse-Midt" 720000
  source: "SSB 07459, 1.1.2025 (avrundet)"
2025-01-01 custom "nhnfin-ehealth-population" "Tromso-kommune" 78000
  source: "SSB 07459, 1.1.2025 (avrundet)"
2025-01-01 custom "nhnfin-ehealth-population" "Bodo-kommune" 52000
  source: "SSB 07459, 1.1.2025 (avrundet)"
2025-01-01 custom "nhnfin-ehealth-cost-basis" "journal" 2025 1200000.00 NOK
  compensated: 400000.00 NOK
  source: "Kostnadsgrunnlag 2025, vedtatt 15.11.2024"
2025-01-01 custom "nhnfin-ehealth-cost-basis" "timebok" 2025 600000.00 NOK
  source: "Kostnadsgrunnlag 2025, vedtatt 15.11.2024"
2026-01-01 custom "nhnfin-ehealth-cost-basis" "journal" 2026 1000000.00 NOK
  repayment: 100000.00 NOK
  source: "Kostnadsgrunnlag 2026, vedtatt 15.11.2025"
2026-01-01 custom "nhnfin-ehealth-cost-basis" "timebok" 2026 700000.00 NOK
  source: "Kostnadsgrunnlag 2026, vedtatt 15.11.2025"

2025-01-01 custom "nhnfin-grant" "drift-2025"
  name: "Tilskudd kap. 0701 post 21 (drift)"
  source: "Kap. 0701 post 21, Helse- og omsorgsdepartementet"
  amount: 2000000.00 NOK
  note-row: "public_grant"
  note-label: "Offentlig tilskudd"
2025-03-01 custom "nhnfin-grant" "invest-2025"
  name: "Tilskudd kap. 0701 post 45 (investering)"
  source: "Kap. 0701 post 45, Helse- og omsorgsdepartementet"
  amount: 600000.00 NOK
  note-row: "public_grant"
  note-label: "Offentlig tilskudd"
2025-05-01 custom "nhnfin-asset" "srv-1" "infrastructure"
  months: 60
2026-01-01 custom "nhnfin-grant-award" "drift-2025"
  amount: 1000000.00 NOK
2026-12-31 custom "nhnfin-grant-repayment" "drift-2025"
  amount: 100000.00 NOK
"""

POSTINGS = """
2024-12-31 * "Åpningsbalanse"
  Assets:1920-Bank                      5100000.00 NOK
  Liabilities:2920-EHealthObligations   -100000.00 NOK
    solution: "journal"
  Equity:2050-OtherEquity              -5000000.00 NOK
2025-01-20 * "HOD" "Tilskudd drift"
  Assets:1920-Bank                      1500000.00 NOK
  Liabilities:2910-UnusedPublicGrants  -1500000.00 NOK
    grant: "drift-2025"
2025-03-15 * "HOD" "Tilskudd investering"
  Assets:1920-Bank                       600000.00 NOK
  Liabilities:2910-UnusedPublicGrants   -600000.00 NOK
    grant: "invest-2025"
2025-04-10 * "Atea" "Server"
  Assets:1200-Infrastructure             600000.00 NOK
    asset: "srv-1"
    grant: "invest-2025"
  Assets:1920-Bank                      -600000.00 NOK
2026-01-15 * "HOD" "Tilskudd drift 2026"
  Assets:1920-Bank                      1000000.00 NOK
  Liabilities:2910-UnusedPublicGrants  -1000000.00 NOK
    grant: "drift-2025"
2026-02-10 * "HOD" "Tilskudd drift, resten for 2025"
  Assets:1920-Bank                       500000.00 NOK
  Assets:1570-GrantsReceivable          -500000.00 NOK
    grant: "drift-2025"
"""

# each quarter of both years: the quarter's salaries (300 000 of them linked to the running
# grant) and the D&F costs of both solutions (timebok's 162 500 a quarter in 2025 is more than
# its 600 000 invoiced: an under-coverage of 50 000)
QUARTER = """
{year}-{month}-25 * "Lønn {year}-{month}"
  Expenses:5000-Salaries                 300000.00 NOK
    grant: "drift-2025"
  Expenses:5000-Salaries                 150000.00 NOK
  Assets:1920-Bank                      -450000.00 NOK
{year}-{month}-15 * "Leverandør" "D&F journal"
  solution: "journal"
  Expenses:4000-CostOfGoodsSold          {journal} NOK
  Liabilities:2400-TradePayables        -{journal} NOK
{year}-{month}-15 * "Leverandør" "D&F timebok"
  solution: "timebok"
  Expenses:4000-CostOfGoodsSold          {timebok} NOK
  Liabilities:2400-TradePayables        -{timebok} NOK
"""
COSTS = {2025: ("250000.00", "162500.00"), 2026: ("240000.00", "175000.00")}


def invoke(*args: str) -> None:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module")
def docs_ledger(tmp_path_factory: pytest.TempPathFactory) -> Ledger:
    """The books of docs/ehealth-invoicing.md and docs/grants.md, over 2025 and 2026."""
    books = tmp_path_factory.mktemp("docs") / "books"
    invoke("init", str(books), "--name", "Helsedata Nord SF", "--orgnr", "974760673",
           "--year", "2025", "--grants", "--delivery-obligation", "--ehealth")
    with (books / "rules.beancount").open("a", encoding="utf-8") as rules:
        rules.write(RULES)
    quarters = "".join(QUARTER.format(year=year, month=month, journal=journal, timebok=timebok)
                       for year, (journal, timebok) in COSTS.items()
                       for month in ("02", "05", "08", "11"))
    with (books / "2025.beancount").open("a", encoding="utf-8") as postings:
        postings.write(POSTINGS + quarters)
    main_file = books / "regnskap.beancount"
    for year in (2025, 2026):
        invoices = f"invoices-{year}.beancount"
        invoke("invoice-basis", str(main_file), "--year", str(year), "--format", "beancount",
               "--output", str(books / invoices))
        with main_file.open("a", encoding="utf-8") as stream:
            stream.write(f'include "{invoices}"\n')
    ledger = load(main_file)
    assert [e.message for e in ledger.errors] == []
    return ledger


@pytest.mark.parametrize(("year", "at_least"), [(2026, 500), (2025, 500)])
def test_every_figure_of_a_ledger_made_from_the_docs_links_and_sums(
        docs_ledger: Ledger, year: int, at_least: int) -> None:
    report = build_report(docs_ledger, year)
    if year == 2025:  # the year's finding is walked too
        assert [(f.kind, f.amount) for f in report.findings] == [("ehealth-under-coverage", 50000)]
    count, wrong = problems(report, docs_ledger)
    assert count >= at_least
    assert wrong == []
