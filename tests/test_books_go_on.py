"""Books that go on (issue 17), tried on copies of the example ledger: a transfer during the
year, a report for the year after the published one, a year not yet finished."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from nhnfin.ledger import Ledger
from nhnfin.ledger import load
from nhnfin.model import Report
from nhnfin.model import Status
from nhnfin.report import build_report
from tests.conftest import EXAMPLE


def copy_example(tmp_path: Path, extra: str, into: str = "nhn/rules.beancount") -> Path:
    """A copy of the example ledger's folder with ``extra`` appended to ``into``."""
    target = tmp_path / "ledger"
    ignore = shutil.ignore_patterns("locks", "*.lock*", "*.picklecache")
    shutil.copytree(EXAMPLE.parent, target, ignore=ignore)
    with (target / into).open("a", encoding="utf-8") as handle:
        handle.write("\n" + extra)
    return target / EXAMPLE.name


def failed(report: Report) -> list[str]:
    return [t.check_id for t in report.tieouts if t.status == Status.FAILED]


TRANSFER_2024 = """
2024-07-01 custom "nhnfin-transfer" "test-2024" 1200000.00 NOK
  name: "Overføring i løpet av året (test)"
  months: 12
"""


@pytest.fixture(scope="module")
def with_transfer(tmp_path_factory: pytest.TempPathFactory) -> Ledger:
    return load(copy_example(tmp_path_factory.mktemp("transfer"), TRANSFER_2024))


def test_in_year_transfer_is_an_addition_not_opening(with_transfer: Ledger) -> None:
    note = build_report(with_transfer, 2024).note("4").tables[0]
    value = {row.key: row.values["national_ehealth_solutions"] for row in note.rows}
    assert value["transferred_intangible_assets"] == Decimal("407283603.00")
    assert value["book_value_at_2024_01_01"] == Decimal("103213939.58")
    assert value["additions_2024"] == Decimal("1200000.00")
    assert value["recognised_2024"] == Decimal("-81455995.36") - Decimal("600000.00")
    assert value["book_value_at_2024_12_31"] == Decimal("21757944.22") + Decimal("600000.00")
    assert [r.label for r in note.rows][3] == "Tilgang 2024"


def test_in_year_transfer_moves_no_cash(with_transfer: Ledger, example_ledger: Ledger) -> None:
    def lines(ledger: Ledger) -> dict[str, Decimal]:
        cash_flow = build_report(ledger, 2024).statement("cash_flow")
        return {row.key: row.amounts["2024"] for row in cash_flow.rows}

    before, after = lines(example_ledger), lines(with_transfer)
    for key in (
        "net_cash_from_operating_activities",
        "net_cash_from_investing_activities",
        "purchase_of_intangible_assets",
        "net_change_in_cash",
    ):
        assert after[key] == before[key], key


def test_in_year_transfer_passes_every_tie_out(with_transfer: Ledger) -> None:
    assert failed(build_report(with_transfer, 2024)) == []


# The figures the notes' text quotes must be declared for the year (the continuing example's).
NOTE_DATA_2025 = (EXAMPLE.parent / "nhn-2025" / "notes-data-2025.beancount").read_text("utf-8")
FEBRUARY_2025 = """
2025-02-28 * "Renteinntekt januar-februar"
  Assets:1920-Bank                100000.00 NOK
  Income:8050-InterestIncome     -100000.00 NOK
""" + NOTE_DATA_2025


@pytest.fixture(scope="module")
def to_february(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_example(tmp_path_factory.mktemp("feb"), FEBRUARY_2025, "nhn.beancount")


def test_published_report_is_compared_with_its_own_year_only(
    to_february: Path, example_ledger: Ledger
) -> None:
    """The 2025 report with 2024 beside it: the published 2024 report's notes are not the 2025
    notes, and its statements meet only the 2024 column; what it finds is what the 2024 report
    finds in 2024."""
    report = build_report(load(to_february), 2025)
    found = {f.check_id for f in report.published_findings}
    assert found
    assert all(key.endswith(".2024") for key in found), sorted(found)
    assert not any(key.startswith(("note", "ledger.note")) for key in found)
    in_2024 = {
        f.check_id
        for f in build_report(example_ledger, 2024).published_findings
        if f.check_id.endswith(".2024") and f.check_id.split(".")[0] in {"ledger", "cash_flow",
                                                                         "income_statement",
                                                                         "balance_sheet"}
        and not f.check_id.startswith("ledger.note")
    }
    assert found == in_2024


def test_published_report_two_years_back_is_not_compared(tmp_path: Path) -> None:
    path = copy_example(tmp_path, FEBRUARY_2025.replace("2025-", "2026-"), "nhn.beancount")
    assert build_report(load(path), 2026).published_findings == ()


def test_partial_year_says_preliminary_and_to_which_date(to_february: Path) -> None:
    ledger = load(to_february)
    vkp_2025 = [
        e.date.isoformat()
        for e in ledger.entries
        if e.date.year == 2025 and getattr(e, "meta", {}).get("asset") == "vkp-2022"
    ]
    assert vkp_2025 == ["2025-01-31", "2025-02-28"]  # the rule booked two months
    report = build_report(ledger, 2025)
    assert report.preliminary == "foreløpig, bokført til 28.02.2025"
    assert report.heading == "årsregnskap 2025 (foreløpig, bokført til 28.02.2025)"
    assert failed(report) == []


@pytest.mark.parametrize("fmt", ["md", "html", "csv", "xlsx", "json", "docx", "pdf"])
def test_partial_year_is_preliminary_in_every_format(
    to_february: Path, tmp_path: Path, fmt: str
) -> None:
    from tests.fava.conftest import cli_bytes

    content = cli_bytes(to_february, 2025, fmt, tmp_path)
    if fmt == "xlsx":
        import io

        import openpyxl

        sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
        content = "\n".join(str(c.value) for row in sheet.iter_rows() for c in row).encode()
    if fmt == "docx":
        import io

        import docx

        document = docx.Document(io.BytesIO(content))
        content = "\n".join(p.text for p in document.paragraphs).encode()
    if fmt == "pdf":
        import subprocess

        pdf = tmp_path / "report.pdf"
        pdf.write_bytes(content)
        content = subprocess.run(["pdftotext", str(pdf), "-"], check=True,
                                 capture_output=True).stdout
    assert "foreløpig, bokført til 28.02.2025" in content.decode("utf-8-sig").lower()


def test_rules_booked_later_than_the_postings_are_stated(tmp_path: Path) -> None:
    path = copy_example(tmp_path, FEBRUARY_2025.replace("2025-02-28", "2025-02-14"),
                        "nhn.beancount")
    report = build_report(load(path), 2025)
    assert report.preliminary == (
        "foreløpig, bokført til 14.02.2025; reglene har bokført til 28.02.2025"
    )


def test_finished_year_is_not_preliminary(example_ledger: Ledger) -> None:
    report = build_report(example_ledger, 2024)
    assert (report.preliminary, report.heading) == ("", "årsregnskap 2024")


def test_partial_year_is_preliminary_in_fava(to_february: Path) -> None:
    from tests.fava.conftest import fava_app
    from tests.fava.conftest import page_url

    app = fava_app(to_february)
    page = app.test_client().get(page_url(app, "balance_sheet", "2025"))
    assert page.status_code == 200
    assert "årsregnskap 2025 (foreløpig, bokført til 28.02.2025)" in page.get_data(as_text=True)


def test_cash_flow_drill_adds_up_without_the_transfer(with_transfer: Ledger) -> None:
    from beanquery import connect

    line = build_report(with_transfer, 2024).statement("cash_flow").row(
        "purchase_of_intangible_assets"
    )
    query = line.drill["2024"].query.replace(
        "SELECT date, flag, payee, narration, account, position, balance", "SELECT sum(number)"
    )
    assert "NOT (id IN (" in query
    connection = connect(
        "beancount:", entries=with_transfer.entries, errors=[], options=with_transfer.options_map
    )
    (total,), = connection.execute(query).fetchall()
    assert -(total or Decimal(0)) == line.amounts["2024"]
