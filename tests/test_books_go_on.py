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
    shutil.copytree(EXAMPLE.parent, target, ignore=shutil.ignore_patterns("locks", "*.lock*"))
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
