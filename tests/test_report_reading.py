"""One report reads its ledger once for all builders (``build_report`` runs in
``config.one_plugin_run``): what the builders share belongs to that report's ledger alone. A
ledger changed between two loads in one process gets its own figures, and the first ledger's
report, built again, is the same as before."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

from nhnfin.config import one_plugin_run
from nhnfin.ledger import load
from nhnfin.model import Report
from nhnfin.report import build_report

EXAMPLES = Path(__file__).resolve().parent.parent / "ledger"
COST = "  Expenses:6700-ExternalServices             3708209.00 NOK\n    grant: \"myhealth-eu\"\n"


def _copy(folder: Path, cost: str) -> Path:
    """The grants example (and the chart it includes) in ``folder``, the 2024 consultants'
    cost linked to MyHealth@EU set to ``cost``."""
    (folder / "examples").mkdir(parents=True)
    shutil.copy(EXAMPLES / "accounts.beancount", folder / "accounts.beancount")
    text = (EXAMPLES / "examples" / "grants.beancount").read_text("utf-8")
    assert text.count(COST) == 1
    ledger = folder / "examples" / "grants.beancount"
    ledger.write_text(text.replace(COST, COST.replace("3708209.00", cost)), "utf-8")
    return ledger


def _myhealth(report: Report) -> dict[str, Decimal]:
    note = next(n for n in report.notes if n.number == "3")
    row = next(r for t in note.tables for r in t.rows if r.key == "myhealth_eu")
    return dict(row.values)


def _cash_at_end(report: Report) -> Decimal:
    cash_flow = next(s for s in report.statements if s.key == "cash_flow")
    return next(r for r in cash_flow.rows if r.key == "cash_at_end_of_year").amounts["2024"]


def test_a_ledger_changed_between_two_loads_gets_its_own_figures(tmp_path: Path) -> None:
    ledger = _copy(tmp_path, "3708209.00")
    first = load(ledger)
    before = build_report(first, 2024)
    assert _myhealth(before)["actual_use_2024"] == Decimal("8708209.00")
    ledger.write_text(ledger.read_text("utf-8").replace("3708209.00", "1708209.00"), "utf-8")
    second = load(ledger)  # the same file, changed
    after = build_report(second, 2024)
    assert _myhealth(after)["actual_use_2024"] == Decimal("6708209.00")
    assert _myhealth(after)["set_aside_for_2025"] == Decimal("3891791.00")
    assert _cash_at_end(after) - _cash_at_end(before) == Decimal("2000000.00")
    again = build_report(first, 2024)  # the first ledger, its readings kept, after the second
    assert repr(again) == repr(before)


def test_reports_built_inside_another_run_read_their_own_ledger(tmp_path: Path) -> None:
    low = load(_copy(tmp_path / "low", "1708209.00"))
    high = load(_copy(tmp_path / "high", "3708209.00"))
    alone = build_report(high, 2024)
    with one_plugin_run():  # a caller that shares readings itself (the plugin, a Fava load)
        first, second = build_report(low, 2024), build_report(high, 2024)
    assert _myhealth(first)["actual_use_2024"] == Decimal("6708209.00")
    assert _myhealth(second)["actual_use_2024"] == Decimal("8708209.00")
    assert repr(second) == repr(alone)
