"""The continuing example (ledger/nhn-2025.beancount): NHN's books from the locked 2024 into
2025. The repayment agreed in note 2, VKP's amortisation alone, the carried grants, the
quarter's invoices per actor group, and the lock that proves 2024 did not change."""

from __future__ import annotations

import datetime
import io
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from beancount.core import data
from nhnfin.reports import renderer

from nhnfin.ledger import Ledger
from nhnfin.ledger import load
from nhnfin.model import Report
from nhnfin.model import Status
from nhnfin.report import build_report
from tests.conftest import EXAMPLE
from tests.fava.drill_check import Checker

CONTINUING = EXAMPLE.parent / "nhn-2025.beancount"
VKP = "vkp-2022"


@pytest.fixture(scope="module")
def books() -> Ledger:
    return load(CONTINUING)


def values(report: Report, note: str) -> dict[str, dict[str, Decimal | None]]:
    return {row.key: dict(row.values) for row in report.note(note).tables[0].rows}


def failed(report: Report) -> list[str]:
    return [t.check_id for t in report.tieouts if t.status == Status.FAILED]


@pytest.mark.parametrize("as_of", [None, "2025-02-28", "2025-03-31", "2025-09-30"])
def test_2025_passes_every_tie_out_full_or_preliminary(books: Ledger, as_of: str | None) -> None:
    end = datetime.date.fromisoformat(as_of) if as_of else None
    report = build_report(books, 2025, as_of=end)
    assert failed(report) == []
    assert report.ledger_errors == ()
    assert bool(report.preliminary) == (as_of is not None)


def test_note2_rolls_the_repayment_forward(books: Ledger, example_ledger: Ledger) -> None:
    note = values(build_report(books, 2025), "2")["national_ehealth_solutions"]
    carried_2024 = values(build_report(example_ledger, 2024), "2")["national_ehealth_solutions"]
    assert note["carried_from_previous_years"] == carried_2024["set_aside_for_2025"]
    assert note["invoiced_2025"] == Decimal("965500000.00")
    assert note["actual_use_2025"] == Decimal("1000000000.00")
    repaid = Decimal("34500000.00")
    assert note["set_aside_for_2026"] == note["carried_from_previous_years"] - repaid
    table = build_report(books, 2025).note("2").tables[1]
    assert [(r.label, r.values["movement_2025"]) for r in table.rows] == [
        ("Overført fra tidligere år", Decimal("127664070.62")),
        ("Avtalt tilbakebetalt gjennom lavere fakturering 2025", -repaid),
        ("Fakturert 2025 med tillegg av avtalt tilbakebetaling", Decimal("1000000000.00")),
        ("Faktisk bruk 2025", Decimal("-1000000000.00")),
        ("Avsatt til 2026", Decimal("93164070.62")),
    ]
    [agreed] = table.row("agreed_repayment_lower_invoicing").drill["movement_2025"].declared
    assert agreed[0].endswith("nhn-2025/rules-2025.beancount")
    assert agreed[2] == "repayment"
    checker = Checker(books)
    for row in table.rows:
        assert set(checker.shown(row.drill["movement_2025"])) == {row.values["movement_2025"]}
    assert len(build_report(example_ledger, 2024).note("2").tables) == 1  # 2024: no repayment


def test_note4_shows_vkp_alone(books: Ledger) -> None:
    note = {k: v["national_ehealth_solutions"] for k, v in values(build_report(books, 2025), "4")
            .items()}
    monthly = Decimal("639939.53")  # 38 396 372 over 60 months from November 2022
    assert note["book_value_at_2025_01_01"] == Decimal("38396372.00") - 26 * monthly
    assert note["recognised_2025"] == -12 * monthly
    assert "additions_2025" not in note
    rules = {
        e.meta.get("asset")
        for e in books.entries
        if isinstance(e, data.Transaction) and e.date.year == 2025
        and str(e.meta.get("nhnfin-rule", "")).startswith("delivery-obligation")
    }
    assert rules == {VKP}  # the 2020 transfer ended on 31.12.2024


def test_grants_are_carried_over_from_2024(books: Ledger, example_ledger: Ledger) -> None:
    note = values(build_report(books, 2025), "3")
    before = values(build_report(example_ledger, 2024), "3")
    for row in ("public_grant", "myhealth_eu", "total"):
        assert note[row]["carried_from_previous_years"] == before[row]["set_aside_for_2025"]
    assert note["myhealth_eu"]["set_aside_for_2026"] == 0  # the carried grant used up


def test_a_quarter_of_invoices_per_actor_group(books: Ledger) -> None:
    invoiced = {
        (e.date.month, p.account.rsplit(":", 1)[1])
        for e in books.entries
        if isinstance(e, data.Transaction) and e.date.year == 2025
        and any(q.account.startswith("Liabilities:2920") and q.units.number < 0
                for q in e.postings)
        for p in e.postings
        if p.account.startswith("Assets:1500-TradeReceivables:")
    }
    groups = {"RHF", "Kommuner", "Apotek", "Andre"}
    assert invoiced == {(month, group) for month in (1, 4, 7, 10) for group in groups}


def xlsx_cells(content: bytes) -> list[list[object]]:
    book = openpyxl.load_workbook(io.BytesIO(content))
    return [[c.value for row in sheet.iter_rows() for c in row] for sheet in book.worksheets]


@pytest.mark.parametrize("fmt", ["md", "html", "csv", "xlsx", "json"])
def test_the_2024_report_is_unchanged_by_the_2025_books(
    books: Ledger, example_ledger: Ledger, fmt: str
) -> None:
    render = renderer(fmt)
    after, before = render(build_report(books, 2024)), render(build_report(example_ledger, 2024))
    if fmt == "xlsx":  # the workbook's zip carries a time stamp: compare every cell
        assert xlsx_cells(after) == xlsx_cells(before)
    else:
        assert after == before


def test_the_lock_proves_2024_did_not_change(tmp_path: Path) -> None:
    target = tmp_path / "ledger"
    shutil.copytree(EXAMPLE.parent, target, ignore=shutil.ignore_patterns("*.picklecache"))
    books = target / "nhn" / "2024.beancount"
    text = books.read_text("utf-8")
    changed = text.replace("145944787.24 NOK", "145944787.25 NOK", 2)
    assert changed != text
    books.write_text(changed, "utf-8")
    errors = build_report(load(target / CONTINUING.name), 2025).ledger_errors
    changed_lock = "låst periode til og med 2024-12-31 er endret siden låsen"
    assert any(changed_lock in e for e in errors), errors


def test_the_generator_rebuilds_the_example(tmp_path: Path) -> None:
    """ledger/tools/build_nhn_2025.py writes the 2025 files and the 2024 close as committed
    (the lock's locked-on is the day it runs)."""
    target = tmp_path / "ledger"
    shutil.copytree(EXAMPLE.parent, target, ignore=shutil.ignore_patterns("*.picklecache"))
    subprocess.run([sys.executable, str(target / "tools" / "build_nhn_2025.py")], check=True,
                   capture_output=True)
    folder = EXAMPLE.parent / "nhn-2025"
    for name in ("2025.beancount", "invoices-2025.beancount", "locks/2024-12-31.json",
                 "close-2024.beancount"):
        made = (target / "nhn-2025" / name).read_text("utf-8").splitlines()
        kept = (folder / name).read_text("utf-8").splitlines()
        same = [(a, b) for a, b in zip(made, kept, strict=True) if "locked-on" not in a]
        assert all(a == b for a, b in same), name


def test_every_drill_of_a_period_report_adds_up(books: Ledger) -> None:
    """A period report's note figures are made of the entries up to its date, but their drills
    ran to 31 December (59 of 336 figures to 30.06.2025 did not add up): they end at the date."""
    from tests.fava.drill_check import problems
    report = build_report(books, 2025, as_of=datetime.date(2025, 6, 30))
    count, wrong = problems(report, books)
    assert count > 300
    assert wrong == []
    use = report.note("2").tables[1].row("actual_use").drill["movement_2025"]
    assert "date < 2025-07-01" in use.query
    assert "2026-01-01" not in use.query
    assert "–30.06.2025" in use.description
