"""Period reports for monthly and quarterly closes: ``nhnfin report --as-of / --period`` and
Fava's time filter give the statements and notes to a date, the same date a year earlier beside
them."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from pathlib import Path

import pytest
from beancount.core import data
from click.testing import CliRunner

from nhnfin.cli.main import main
from nhnfin.ledger import Ledger
from nhnfin.model import Report
from nhnfin.model import Status
from nhnfin.report import build_report
from nhnfin.report import period_end
from tests.conftest import EXAMPLE


def posted(ledger: Ledger, prefix: str, start: datetime.date, end: datetime.date) -> Decimal:
    """Sum of the postings to accounts starting with ``prefix`` dated start..end (inclusive)."""
    return sum(
        (
            p.units.number
            for e in ledger.entries
            if isinstance(e, data.Transaction) and start <= e.date <= end
            for p in e.postings
            if p.account.startswith(prefix) and p.units is not None and p.units.number is not None
        ),
        Decimal(0),
    )


@pytest.mark.parametrize(
    ("text", "end"),
    [("2025-Q1", "2025-03-31"), ("2024-q4", "2024-12-31"), ("2025-02", "2025-02-28"),
     ("2024-02", "2024-02-29"), ("2025", "2025-12-31")],
)
def test_period_end(text: str, end: str) -> None:
    assert period_end(text) == datetime.date.fromisoformat(end)


@pytest.mark.parametrize("text", ["2025-Q5", "2025-13", "25-01", "2025-1"])
def test_period_end_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="skriv 2025-Q1, 2025-03 eller 2025"):
        period_end(text)


def test_half_year_report_of_the_example(example_ledger: Ledger) -> None:
    report = build_report(example_ledger, 2024, as_of=datetime.date(2024, 6, 30))
    income = {r.key: r.amounts for r in report.statement("income_statement").rows}
    balance = {r.key: r.amounts for r in report.statement("balance_sheet").rows}
    jan, jun = datetime.date(2024, 1, 1), datetime.date(2024, 6, 30)
    jan_before, jun_before = datetime.date(2023, 1, 1), datetime.date(2023, 6, 30)
    revenue = "Income:3000"
    assert income["revenue_national_ehealth_solutions"] == {
        "2024": -posted(example_ledger, revenue, jan, jun),
        "2023": -posted(example_ledger, revenue, jan_before, jun_before),
    }
    bank = "Assets:19"
    start = datetime.date(2000, 1, 1)
    assert balance["cash_and_bank_deposits"] == {
        "2024": posted(example_ledger, bank, start, jun),
        "2023": posted(example_ledger, bank, start, jun_before),
    }
    note4 = {r.key: r.values for r in report.note("4").tables[0].rows}
    assert note4["recognised_2024"]["national_ehealth_solutions"] == posted(
        example_ledger, "Income:3410", jan, jun
    )
    drills = report.statement("income_statement").row("revenue_national_ehealth_solutions").drill
    assert (drills["2024"].end, drills["2023"].end) == ("2024-07-01", "2023-07-01")
    assert "date < 2024-07-01" in drills["2024"].query
    assert [t.check_id for t in report.tieouts if t.status == Status.FAILED] == []
    assert report.published_findings == ()  # a published report describes whole years
    assert report.preliminary == (
        "foreløpig, bokført til 30.06.2024; sammenligningstall til 30.06.2023"
    )
    assert {s.key: s.column_headings() for s in report.statements} == {
        "income_statement": ("01.01.–30.06.2024", "01.01.–30.06.2023"),
        "balance_sheet": ("30.06.2024", "30.06.2023"),
        "cash_flow": ("01.01.–30.06.2024", "01.01.–30.06.2023"),
    }
    assert build_report(example_ledger, 2024).statement("balance_sheet").column_headings() == (
        "2024", "2023")


def test_period_columns_are_headed_by_their_dates_in_every_format() -> None:
    """Issue 17: a period report's columns were headed "2024" / "2023" like a year's."""
    markdown = cli("--period", "2024-Q2", "--format", "md").decode()
    assert "|  | Note | 30.06.2024 | 30.06.2023 |" in markdown
    assert "|  | Note | 01.01.–30.06.2024 | 01.01.–30.06.2023 |" in markdown
    document = json.loads(cli("--period", "2024-Q2", "--format", "json"))
    assert document["headings"]["balance_sheet"] == {"2024": "30.06.2024", "2023": "30.06.2023"}
    assert "headings" not in json.loads(cli("--year", "2024", "--format", "json"))


def cli(*args: str) -> bytes:
    """``nhnfin report`` of the example ledger, with no report cache written into ledger/."""
    result = CliRunner().invoke(main, ["report", str(EXAMPLE), *args, "--no-cache"])
    assert result.exit_code == 0, result.output
    return result.stdout_bytes


def test_cli_period_and_as_of_agree() -> None:
    quarter = cli("--period", "2024-Q1", "--format", "json")
    assert quarter == cli("--as-of", "2024-03-31", "--format", "json")
    assert quarter == cli("--period", "2024-03", "--year", "2024", "--format", "json")
    assert b'"preliminary": "forel\xc3\xb8pig, bokf\xc3\xb8rt til 31.03.2024' in quarter


def test_cli_as_of_year_end_is_the_year_report() -> None:
    assert cli("--as-of", "2024-12-31") == cli("--year", "2024")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--period", "2024-Q1", "--as-of", "2024-03-31"],
         "oppgi --as-of eller --period, ikke begge"),
        (["--period", "2024-Q1", "--year", "2023"], "--year 2023 og perioden som slutter"),
        ([], "oppgi --year, --as-of eller --period"),
        (["--period", "Q1"], "ikke en periode: 'Q1'"),
    ],
)
def test_cli_period_errors(args: list[str], message: str) -> None:
    result = CliRunner().invoke(main, ["report", str(EXAMPLE), *args])
    assert result.exit_code != 0
    assert message in result.output


def test_fava_time_filter_gives_the_period_report(example_ledger: Ledger) -> None:
    from nhnfin.reports.text import cell_text

    from tests.fava.conftest import fava_app
    from tests.fava.conftest import page_url
    from tests.fava.conftest import tables

    app = fava_app(EXAMPLE)
    html = app.test_client().get(page_url(app, "income_statement", "2024-Q1")).get_data()
    assert (
        "delårsregnskap 01.01.–31.03.2024 (foreløpig, bokført til 31.03.2024; "
        "sammenligningstall til 31.03.2023)" in html.decode()
    )
    assert (
        "(med samme periode i 2023; regnskapsåret velges i tidsfilteret)" in html.decode()
    )
    report = build_report(example_ledger, 2024, as_of=datetime.date(2024, 3, 31))
    row = report.statement("income_statement").row("revenue_national_ehealth_solutions")
    expected = [cell_text(row.amounts[y], None) for y in ("2024", "2023")]
    cells = tables(html)["income_statement"]["revenue_national_ehealth_solutions"]
    assert cells[-2:] == expected


def test_a_period_report_says_which_note_texts_are_declared_after_it(
        example_ledger: Ledger) -> None:
    """Issue 17: a --period 2024-Q2 report had no note texts and did not say why (the example
    declares them on 31.12.2024; a declaration acts from its date)."""
    report = build_report(example_ledger, 2024, as_of=datetime.date(2024, 6, 30))
    assert report.texts_after_period == (
        "1", "2", "3", "4", "5", "6", "7", "8", "10", "14", "15")
    assert all(not n.text for n in report.notes)
    assert report.status == report.preliminary + (
        "; teksten til notene 1, 2, 3, 4, 5, 6, 7, 8, 10, 14, 15 er oppgitt med dato etter "
        "perioden og vises ikke")
    assert build_report(example_ledger, 2024).texts_after_period == ()


def test_a_finding_of_a_year_not_booked_to_its_end_says_it_is_so_far(tmp_path: Path) -> None:
    """An under-coverage in a period report is the year's so far: the next invoice may cover
    it, so the finding says so (r9docs: it said only "foretaket bærer kostnaden"); the whole
    year's report says it as before."""
    from nhnfin.ledger import load
    from nhnfin.report import build_report
    from tests.bad_input.test_cli import UNDER_COVERED

    path = tmp_path / "e.beancount"
    path.write_bytes(UNDER_COVERED + b'2024-12-31 * "Neste"\n  Assets:1920-Bank 1.00 NOK\n'
                     b"  Equity:2050-OtherEquity -1.00 NOK\n")
    (early,) = build_report(load(path), 2024, as_of=datetime.date(2024, 6, 30)).findings
    assert early.message.endswith(
        "(foretaket bærer kostnaden); foreløpig: året er bokført til 31.03.2024, og resten "
        "av året kan dekke det")
    (whole,) = build_report(load(path), 2024).findings
    assert whole.message.endswith("(foretaket bærer kostnaden)")


PERIOD_BOOKS = """\
option "title" "Periodeforetak"
option "operating_currency" "NOK"
plugin "nhnfin"
2023-12-31 open Assets:1920-Bank NOK
2023-12-31 open Equity:2050-OtherEquity NOK
2023-12-31 open Equity:8960-TransferToOtherEquity NOK
2023-12-31 open Expenses:5000-Salaries NOK
  note-row: "salaries"
2023-12-31 * "Åpningsbalanse"
  Assets:1920-Bank          1000000.00 NOK
  Equity:2050-OtherEquity  -1000000.00 NOK
2024-01-25 * "Lønn januar"
  Expenses:5000-Salaries     300000.00 NOK
  Assets:1920-Bank          -300000.00 NOK
2024-02-25 * "Lønn februar"
  Expenses:5000-Salaries     300000.00 NOK
  Assets:1920-Bank          -300000.00 NOK
"""


def test_a_period_reports_labels_say_the_period_not_the_year(tmp_path: Path) -> None:
    """A report to 31.01.2024 heads the notes' year column, names the cash flow's last line and
    describes its tie-outs by the period (failed before: note 5's column "2024", "Kontanter og
    kontantekvivalenter 31.12", "Kontantstrømmen ender i bankbeholdningen 31.12.2024" and
    "Balansen balanserer 2023" beside figures of 31.01). The year's report says the year, as
    before."""
    from nhnfin.ledger import load

    path = tmp_path / "books.beancount"
    path.write_text(PERIOD_BOOKS, "utf-8")
    report = build_report(load(path), 2024, as_of=datetime.date(2024, 1, 31))
    note5 = report.note("5").tables[0]
    assert [c.label for c in note5.columns] == ["01.01.–31.01.2024", "01.01.–31.01.2023"]
    assert note5.row("total").values["2024"] == Decimal("300000.00")
    assert [t.check_id for t in report.tieouts if t.status == Status.FAILED] == []
    assert report.statement("cash_flow").rows[-1].label == (
        "Kontanter og kontantekvivalenter 31.01")
    described = {t.check_id: (t.description, t.left) for t in report.tieouts}
    assert described["cf.ends_at_cash.2024"] == (
        "Kontantstrømmen ender i bankbeholdningen 31.01.2024", Decimal("700000.00"))
    assert described["bs.balances.2023"][0] == (
        "Balansen balanserer 31.01.2023: sum eiendeler = sum egenkapital og gjeld")
    assert described["cf.section_cash.operasjonelle_aktiviteter.2024"][0].startswith(
        "Netto kontantstrømmer fra operasjonelle aktiviteter 01.01.–31.01.2024 = ")
    assert described["n9.total_equity_vs_balance_sheet.2024"][0] == (
        "Note 9 Pr. 31.01.2024 Sum egenkapital = Balanse «Sum egenkapital» 31.01.2024")
    whole = build_report(load(path), 2024)
    assert [c.label for c in whole.note("5").tables[0].columns] == ["2024", "2023"]
    assert whole.statement("cash_flow").rows[-1].label == (
        "Kontanter og kontantekvivalenter 31.12")
    assert {t.check_id: t.description for t in whole.tieouts}["cf.ends_at_cash.2024"] == (
        "Kontantstrømmen ender i bankbeholdningen 31.12.2024")


@pytest.mark.parametrize(
    ("label", "at_date", "said"),
    [("2024", False, "01.01.–31.01.2024"), ("2024", True, "31.01.2024"),
     ("Fakturert 2024", False, "Fakturert 01.01.–31.01.2024"),
     ("Avsatt til 2025", False, "Avsatt pr. 31.01.2024"),
     ("Bokført verdi 31.12.24", True, "Bokført verdi 31.01.24"),
     ("Bokført verdi 31.12", True, "Bokført verdi 31.01"),
     ("Pr. 31.12.2023", True, "Pr. 31.12.2023"), ("Pr. 01.01.2024", True, "Pr. 01.01.2024"),
     ("Pr. 31.12.2024", True, "Pr. 31.01.2024")],
)
def test_a_label_of_the_year_said_of_the_period(label: str, at_date: bool, said: str) -> None:
    """What a period report to 31.01.2024 prints for a label of 2024 (failed before for "Avsatt
    til 2025": note 3's "Avsatt til 2026" beside the balance of 31.01)."""
    from nhnfin.report import in_period

    assert in_period(label, 2024, datetime.date(2024, 1, 31), at_date) == said


SECOND_YEAR = PERIOD_BOOKS + """\
2025-01-25 * "Lønn januar"
  Expenses:5000-Salaries     350000.00 NOK
  Assets:1920-Bank          -350000.00 NOK
"""


def test_a_period_reports_notes_have_the_same_period_a_year_earlier(tmp_path: Path) -> None:
    """The notes' prior column is the period a year earlier, as the statements' (failed before:
    note 5's 2024 column was the whole year's 600 000 beside the income statement's 300 000 for
    01.01.–31.01.2024, and its tie-out compared the 600 000 with a whole-year figure no column
    prints)."""
    from nhnfin.ledger import load

    path = tmp_path / "books.beancount"
    path.write_text(SECOND_YEAR, "utf-8")
    report = build_report(load(path), 2025, as_of=datetime.date(2025, 1, 31))
    note5 = report.note("5").tables[0]
    assert [c.label for c in note5.columns] == ["01.01.–31.01.2025", "01.01.–31.01.2024"]
    assert note5.row("total").values == {"2025": Decimal("350000.00"),
                                         "2024": Decimal("300000.00")}
    assert report.statement("income_statement").row("payroll_costs").amounts["2024"] == (
        Decimal("300000.00"))
    assert note5.row("salaries").drill["2024"].end == "2024-02-01"
    check = next(t for t in report.tieouts if t.check_id == "n5.total_vs_income_statement.2024")
    assert (check.description, check.left, check.right, check.status) == (
        "Note 5 Sum 01.01.–31.01.2024 = Resultatregnskap «Lønnskostnad»", Decimal("300000.00"),
        Decimal("300000.00"), Status.PASSED)
    assert [t.check_id for t in report.tieouts if t.status == Status.FAILED] == []


def test_a_period_reports_title_names_the_period_in_every_format(tmp_path: Path) -> None:
    """r12: a report to 31.01.2024 was titled "årsregnskap 2024" (and the docx's and the
    pdf's cover "Årsregnskap 2024", the pdf's running head "– årsregnskap 2024") though it
    covers 01.01.–31.01.2024. A period report is a "delårsregnskap" of its period; the
    year's report keeps its title."""
    import io
    import re
    import shutil
    import subprocess

    from docx import Document
    from nhnfin.reports.docx import render_docx
    from nhnfin.reports.pdf import render_pdf

    from nhnfin.ledger import load

    def pdf_text(report: Report) -> str:
        assert shutil.which("pdftotext"), "pdftotext (poppler-utils) is needed"
        pdf = tmp_path / "report.pdf"
        pdf.write_bytes(render_pdf(report))
        return subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True,
                              text=True).stdout

    path = tmp_path / "books.beancount"
    path.write_text(PERIOD_BOOKS, "utf-8")
    runner = CliRunner()
    result = runner.invoke(main, ["report", str(path), "--as-of", "2024-01-31", "--format", "md"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == (
        "# Periodeforetak: delårsregnskap 01.01.–31.01.2024 (foreløpig, bokført til "
        "25.01.2024; sammenligningstall til 31.01.2023)")
    result = runner.invoke(main, ["report", str(path), "--as-of", "2024-01-31", "--format",
                                  "html"])
    assert "<title>Periodeforetak: delårsregnskap 01.01.–31.01.2024 (foreløpig" in result.output
    assert "<h1>Periodeforetak: delårsregnskap 01.01.–31.01.2024 (foreløpig" in result.output
    assert re.search(r"\bårsregnskap", result.output, re.IGNORECASE) is None
    report = build_report(load(path), 2024, as_of=datetime.date(2024, 1, 31))
    assert report.title == "delårsregnskap 01.01.–31.01.2024"
    paragraphs = [p.text for p in Document(io.BytesIO(render_docx(report))).paragraphs]
    assert paragraphs[:2] == ["Periodeforetak", "Delårsregnskap 01.01.–31.01.2024"]
    lines = pdf_text(report).splitlines()
    assert lines[:3] == ["Periodeforetak", "01.01.–31.01.2024", "Delårsregnskap med noter"]
    assert "Periodeforetak – delårsregnskap 01.01.–31.01.2024" in lines  # the running head
    whole = build_report(load(path), 2024)
    assert (whole.title, whole.heading) == (
        "årsregnskap 2024", "årsregnskap 2024 (foreløpig, bokført til 25.02.2024)")
    lines = pdf_text(whole).splitlines()
    assert lines[:3] == ["Periodeforetak", "2024", "Årsregnskap med noter"]
    assert "Periodeforetak – årsregnskap 2024" in lines


INVESTMENTS_FROM_JUNE = """\
option "title" "Periodeforetak"
option "operating_currency" "NOK"
plugin "nhnfin"
2023-12-31 open Assets:1920-Bank NOK
2023-12-31 open Assets:1250-FixturesAndEquipment NOK
2023-12-31 open Assets:1259-FixturesAccumDepreciation NOK
2023-12-31 open Liabilities:2910-UnusedPublicGrants NOK
2023-12-31 open Liabilities:2930-InvestmentGrantsDeferred NOK
  note-row: "state_budget_appropriation_used_on_investments"
2023-12-31 open Assets:1570-GrantsReceivable NOK
  note-row: "other_short_term_receivables"
2023-12-31 open Income:3400-GrantIncome NOK
2023-12-31 open Income:3920-InvestmentGrantIncome NOK
2023-12-31 open Expenses:6000-DepreciationTangible NOK
2023-12-31 open Equity:2050-OtherEquity NOK
2023-12-31 open Equity:8960-TransferToOtherEquity NOK
2023-12-31 * "Åpningsbalanse"
  Assets:1920-Bank          1000000.00 NOK
  Equity:2050-OtherEquity  -1000000.00 NOK
2024-06-01 custom "nhnfin-grant" "inv"
  name: "Investeringsmidler helsenett"
  source: "Kap. 701 post 21"
  amount: 1000.00 NOK
  note-row: "public_grant"
2024-06-02 * "Utbetaling"
  grant: "inv"
  Assets:1920-Bank                       1000.00 NOK
  Liabilities:2910-UnusedPublicGrants
2024-06-15 * "Leverandør" "Server"
  Assets:1250-FixturesAndEquipment       1200.00 NOK
    asset: "srv-1"
    grant: "inv:50"
  Assets:1920-Bank
2024-12-31 * "Avskrivning srv-1" #nhnfin-generated
  asset: "srv-1"
  nhnfin-rule: "asset-depreciation"
  Expenses:6000-DepreciationTangible      300.00 NOK
  Assets:1259-FixturesAccumDepreciation  -300.00 NOK
2025-01-31 * "Avskrivning srv-1" #nhnfin-generated
  asset: "srv-1"
  nhnfin-rule: "asset-depreciation"
  Expenses:6000-DepreciationTangible      25.00 NOK
  Assets:1259-FixturesAccumDepreciation  -25.00 NOK
"""


def test_a_row_the_period_a_year_earlier_lacks_is_zero_there(tmp_path: Path) -> None:
    """r12: note 3's investment table of a report to 31.01.2025 was empty in the prior column,
    the notes built to 31.01.2024 having no note 3 (the grant is declared in June 2024), though
    the year's report prints 0 for a year without investments (the 2023 column of 2024's) and
    the balance sheet beside it 0 for 31.01.2024. A figure of postings the comparable period
    does not have is 0 there, its drill that period's (no) postings."""
    from nhnfin.ledger import load

    path = tmp_path / "books.beancount"
    path.write_text(INVESTMENTS_FROM_JUNE, "utf-8")
    ledger = load(path)
    assert ledger.errors == []
    report = build_report(ledger, 2025, as_of=datetime.date(2025, 1, 31))
    table = report.note("3").tables[1]
    assert table.caption == "Offentlig tilskudd benyttet på investeringer"
    assert {r.key: r.values for r in table.rows} == {
        "deferred_opening": {"2025": Decimal("450.00"), "2024": Decimal("0")},
        "used_on_investments": {"2025": Decimal("0"), "2024": Decimal("0")},
        "recognised_as_income": {"2025": Decimal("12.50"), "2024": Decimal("0")},
        "state_budget_appropriation_used_on_investments": {
            "2025": Decimal("437.50"), "2024": Decimal("0")},
    }
    drill = table.row("recognised_as_income").drill["2024"]
    assert (drill.start, drill.end) == ("2024-01-01", "2024-02-01")
    markdown = CliRunner().invoke(
        main, ["report", str(path), "--as-of", "2025-01-31", "--format", "md"]).output
    assert "| Inntektsført i takt med avskrivninger (andre inntekter) | 13 | 0 |" in markdown
    assert "| **Statsbudsjettbevilgning benyttet på investeringer** | **438** | **0** |" in (
        markdown)
    whole = build_report(ledger, 2024).note("3").tables[1]
    assert whole.row("deferred_opening").values == {"2024": Decimal("0"), "2023": Decimal("0")}


DECLARED_EARLY = SECOND_YEAR + """\
2024-01-01 custom "nhnfin-note-data" "5" "staff" "employees" 10
2024-12-31 custom "nhnfin-note-data" "5" "auditor" "audit_fee" 45678.00 NOK
2025-01-01 custom "nhnfin-note-data" "5" "staff" "employees" 12
"""


def test_a_tables_prior_column_is_the_same_tables_though_another_is_left_out(
        tmp_path: Path) -> None:
    """r12: the prior column was taken from the table at the same place in the prior period's
    note: there note 5 had no auditor's table (nothing declared by 31.01.2024), so the staff
    table, third here and second there, found none and was empty, though 10 employees were
    declared for 2024 on 01.01.2024. Now by caption; the auditor's fee, declared at the year
    end, is empty there as in a year's report of a year with nothing declared."""
    from nhnfin.ledger import load

    path = tmp_path / "books.beancount"
    path.write_text(DECLARED_EARLY, "utf-8")
    report = build_report(load(path), 2025, as_of=datetime.date(2025, 1, 31))
    pay, auditor, staff = report.note("5").tables
    assert (auditor.caption, staff.caption) == ("Godtgjørelse til revisor", "Ansatte og årsverk")
    assert staff.row("employees").values == {"2025": Decimal("12"), "2024": Decimal("10")}
    assert auditor.row("audit_fee").values == {"2025": None, "2024": None}
    assert pay.row("total").values == {"2025": Decimal("350000.00"),
                                       "2024": Decimal("300000.00")}


def test_a_period_reports_tieouts_of_the_prior_year_are_the_comparable_periods(
        tmp_path: Path) -> None:
    """r12: a report to 31.01.2025 kept note 5's tie-out of the auditor's fee "Sum 2024",
    45 678 = 45 678, the whole year 2024's (declared 31.12.2024) beside a column 01.01.–31.01.2024
    that is empty, and note 9's "Pr. 31.12.2024 … = Balanse «Sum egenkapital» 2024" (400 000)
    read as the balance sheet's column "2024", which is 31.01.2024 (700 000). Now the notes'
    tie-outs of the prior column are those of the period a year earlier, and a check of the
    prior year's end names its date."""
    from nhnfin.ledger import load

    path = tmp_path / "books.beancount"
    path.write_text(DECLARED_EARLY, "utf-8")
    report = build_report(load(path), 2025, as_of=datetime.date(2025, 1, 31))
    prior = {t.check_id: (t.description, t.left, t.right) for t in report.tieouts
             if t.check_id.startswith("n5.") and t.check_id.endswith(".2024")}
    assert prior == {
        "n5.total_vs_income_statement.2024": (
            "Note 5 Sum 01.01.–31.01.2024 = Resultatregnskap «Lønnskostnad»",
            Decimal("300000.00"), Decimal("300000.00")),
        "n5.t0.rounded_sum.2024": (
            "Spesifikasjon av lønnskostnader, Sum 01.01.–31.01.2024: den avrundede summen er "
            "lik summen av de avrundede linjene", Decimal("300000"), Decimal("300000")),
    }
    assert not [t for t in report.tieouts if Decimal("45678") in (t.left, t.right)]
    equity = next(t for t in report.tieouts
                  if t.check_id == "n9.total_equity_vs_balance_sheet.2024")
    assert (equity.description, equity.left, equity.right) == (
        "Note 9 Pr. 31.12.2024 Sum egenkapital = Balanse «Sum egenkapital» 31.12.2024",
        Decimal("400000.00"), Decimal("400000.00"))
    assert report.statement("balance_sheet").row("total_equity").amounts["2024"] == (
        Decimal("700000.00"))
    whole = {t.check_id: t.description for t in build_report(load(path), 2025).tieouts}
    assert whole["n9.total_equity_vs_balance_sheet.2024"] == (
        "Note 9 Pr. 31.12.2024 Sum egenkapital = Balanse «Sum egenkapital» 2024")
    assert "n5.auditor.rounded_sum.2024" in whole


DECLARED_BOOKS = SECOND_YEAR + """\
2024-01-15 custom "nhnfin-note-data" "6" "pension_balance" "accrued_pension_obligations" 800000 NOK
2024-01-15 custom "nhnfin-note-data" "6" "pension_cost" "service_cost" 20000 NOK
2024-01-15 custom "nhnfin-note-data" "6" "membership" "active_members" 11
2024-01-15 custom "nhnfin-note-data" "5" "staff" "employees" 12
2025-01-15 custom "nhnfin-note-data" "6" "pension_balance" "accrued_pension_obligations" 900000 NOK
2025-01-15 custom "nhnfin-note-data" "6" "pension_cost" "service_cost" 25000 NOK
2025-01-15 custom "nhnfin-note-data" "6" "membership" "active_members" 13
2025-01-15 custom "nhnfin-note-data" "5" "staff" "employees" 14
"""


def test_a_period_reports_tables_of_positions_are_headed_by_the_date(tmp_path: Path) -> None:
    """r13: note 6's pension obligations and members and note 5's staff at the year end are
    positions at a date, but a period report to 31.01.2025 headed them like flows,
    "01.01.–31.01.2025" / "01.01.–31.01.2024". The notes layout says so (``at_date``): they are
    headed "31.01.2025" / "31.01.2024" (the prior column holds the period a year earlier), in
    every format; the pension cost, a flow, keeps the flows' heading."""
    from nhnfin.ledger import load

    path = tmp_path / "books.beancount"
    path.write_text(DECLARED_BOOKS, "utf-8")
    report = build_report(load(path), 2025, as_of=datetime.date(2025, 1, 31))
    tables = {t.caption: t for n in report.notes for t in n.tables}
    for caption in ("Pensjonsforpliktelser i balansen", "Medlemsstatus", "Ansatte og årsverk"):
        assert [c.label for c in tables[caption].columns] == ["31.01.2025", "31.01.2024"], caption
    balance = tables["Pensjonsforpliktelser i balansen"]
    assert balance.row("accrued_pension_obligations").values == {
        "2025": Decimal("900000"), "2024": Decimal("800000")}
    assert [c.label for c in tables["Pensjonskostnader i resultatregnskapet"].columns] == [
        "01.01.–31.01.2025", "01.01.–31.01.2024"]
    result = CliRunner().invoke(main, ["report", str(path), "--as-of", "2025-01-31", "--no-cache",
                                       "--format", "md"])
    assert result.exit_code == 0, result.output
    markdown = result.stdout_bytes.decode()
    assert ("Pensjonsforpliktelser i balansen\n\n|  | 31.01.2025 | 31.01.2024 |\n"
            in markdown)
    assert ("Pensjonskostnader i resultatregnskapet\n\n"
            "|  | 01.01.–31.01.2025 | 01.01.–31.01.2024 |\n") in markdown
    # its check against the balance sheet says the date too (before: "… 01.01.–31.01.2025 =
    # balansen «Pensjonsforpliktelser»")
    assert ("Note 6 pensjonsforpliktelse 31.01.2025 = balansen «Pensjonsforpliktelser»"
            in markdown)
    result = CliRunner().invoke(main, ["report", str(path), "--as-of", "2025-01-31", "--no-cache",
                                       "--format", "json"])
    document = json.loads(result.stdout_bytes)
    (members,) = [t for t in document["notes"]["6"]["tables"] if t["caption"] == "Medlemsstatus"]
    assert [c["label"] for c in members["columns"]] == ["31.01.2025", "31.01.2024"]
    year = build_report(load(path), 2025)
    assert [c.label for t in year.notes for c in t.tables[0].columns if t.number == "6"] == [
        "2025", "2024"]


def test_a_period_reports_labels_of_the_year_take_the_layouts_period_words(
        tmp_path: Path) -> None:
    """r13: labels that say the year's figure, "Årets resultat" (note 9), "Årsresultat" (the
    income statement), "Nåverdi av årets pensjonsopptjening", "Ansatte ved utgangen av året",
    stood beside the period's figures in a report to 31.01.2025. The layouts give each such row
    a ``period_label`` (words in the layout files, not in code), which a period report prints,
    and the tie-outs that quote them say them too; the year's report keeps its labels."""
    from nhnfin.ledger import load

    path = tmp_path / "books.beancount"
    path.write_text(DECLARED_BOOKS, "utf-8")
    report = build_report(load(path), 2025, as_of=datetime.date(2025, 1, 31))
    tables = {t.caption: t for n in report.notes for t in n.tables}
    assert tables["Egenkapital"].row("result_for_the_year").label == "Periodens resultat"
    assert tables["Pensjonskostnader i resultatregnskapet"].row("service_cost").label == (
        "Nåverdi av periodens pensjonsopptjening")
    assert tables["Ansatte og årsverk"].row("employees").label == (
        "Ansatte ved utgangen av perioden")
    assert report.statement("income_statement").row("net_result_for_the_year").label == (
        "Periodens resultat")
    described = {t.check_id: t.description for t in report.tieouts}
    assert described["n9.result_vs_income_statement"] == (
        "Note 9 årets resultat = Resultatregnskap «Periodens resultat» 01.01.–31.01.2025")
    year = build_report(load(path), 2025)
    tables = {t.caption: t for n in year.notes for t in n.tables}
    assert tables["Egenkapital"].row("result_for_the_year").label == "Årets resultat"
    assert year.statement("income_statement").row("net_result_for_the_year").label == (
        "Årsresultat")
    assert {t.check_id: t.description for t in year.tieouts}[
        "n9.result_vs_income_statement"] == (
        "Note 9 årets resultat = Resultatregnskap «Årsresultat» 2025")


LEAP_DAY_BOOKS = PERIOD_BOOKS.replace("2024-02-25", "2024-02-29") + """\
2025-02-25 * "Lønn februar"
  Expenses:5000-Salaries     350000.00 NOK
  Assets:1920-Bank          -350000.00 NOK
"""


@pytest.mark.parametrize(
    ("day", "before"),
    [("2025-02-28", "2024-02-29"), ("2024-02-29", "2023-02-28"), ("2025-02-15", "2024-02-15"),
     ("2025-04-30", "2024-04-30"), ("2025-03-31", "2024-03-31"), ("2025-02-27", "2024-02-27")],
)
def test_a_year_before_is_the_same_day_and_a_months_end_its_end(day: str, before: str) -> None:
    from nhnfin.report import a_year_before

    assert a_year_before(datetime.date.fromisoformat(day)) == (
        datetime.date.fromisoformat(before))


def test_a_february_report_after_a_leap_year_compares_with_all_of_february(
        tmp_path: Path) -> None:
    """r15probe: ``--period 2025-02`` compared with 01.01.–28.02.2024, so February 2024's
    salaries, posted on the 29th, were left out of the prior column (300 000 instead of
    600 000): the same period a year earlier ends on the last day of February."""
    from nhnfin.ledger import load

    path = tmp_path / "books.beancount"
    path.write_text(LEAP_DAY_BOOKS, "utf-8")
    report = build_report(load(path), 2025, as_of=period_end("2025-02"))
    assert report.prior_to == datetime.date(2024, 2, 29)
    payroll = report.statement("income_statement").row("payroll_costs")
    assert payroll.amounts == {"2025": Decimal("350000.00"), "2024": Decimal("600000.00")}
    assert payroll.drill["2024"].end == "2024-03-01"
    bank = report.statement("balance_sheet").row("cash_and_bank_deposits")
    assert bank.amounts["2024"] == Decimal("400000.00")
    note5 = report.note("5").tables[0]
    assert [c.label for c in note5.columns] == ["01.01.–28.02.2025", "01.01.–29.02.2024"]
    assert note5.row("total").values["2024"] == Decimal("600000.00")
    assert [t.check_id for t in report.tieouts if t.status == Status.FAILED] == []
