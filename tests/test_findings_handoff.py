"""The report's findings are those the rules made while booking, in the plugin run of the same
load (``nhnfin.config.hand_over``); the finders run again only when the entries are not exactly
that load's. (The order of a day's entries cannot make them differ: e-health takes a day's flows
in one order, ``nhnfin.ehealth.plugin.day_order``; tests/ehealth/test_day_order.py.)"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import nhnfin.ehealth.plugin as ehealth
import nhnfin.grants.plugin as grants
from nhnfin.findings import collect_findings
from nhnfin.ledger import from_entries
from nhnfin.ledger import load
from nhnfin.model import Finding
from tests.bad_input.cases import SOLUTION
from tests.bad_input.cases import ehealth_posting
from tests.bad_input.cases import repayment
from tests.bad_input.test_cli import ACCOUNTS
from tests.bad_input.test_cli import OVERSPENT
from tests.bad_input.test_cli import UNDER_COVERED

HEAD = f'option "operating_currency" "NOK"\nplugin "nhnfin"\ninclude "{ACCOUNTS}"\n'
COVERED_MESSAGE = (
    "Underdekning Kjernejournal (kj) 2024: D&F-kostnad 800 NOK overstiger det som var "
    "tilgjengelig (overført + fakturert) med 300 NOK; ikke inntektsført (foretaket bærer "
    "kostnaden)")


@pytest.fixture
def reruns(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The rules whose finder ran again (each call), the finders themselves unchanged."""
    calls: list[str] = []

    def counted(rule: str, finder: Callable[..., list[Finding]]) -> Callable[..., list[Finding]]:
        def run(entries: list[Any], options_map: dict[str, Any]) -> list[Finding]:
            calls.append(rule)
            return finder(entries, options_map)
        return run

    monkeypatch.setattr(grants, "findings", counted("grants", grants.findings))
    monkeypatch.setattr(ehealth, "findings", counted("ehealth", ehealth.findings))
    return calls


def write(tmp_path: Path, name: str, content: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


def test_the_report_takes_the_findings_the_rules_made_in_its_own_load(
        tmp_path: Path, reruns: list[str]) -> None:
    path = write(tmp_path, "books.beancount", UNDER_COVERED)
    ledger = load(path)
    assert collect_findings(ledger, 2024) == (
        Finding("ehealth-under-coverage", COVERED_MESSAGE, str(path), 9, 2024,
                Decimal("300.00")),)
    assert collect_findings(ledger, 2023) == ()
    # the same entries in another list are the same load's
    copy = from_entries(list(ledger.entries), ledger.errors, ledger.options_map, path)
    assert [f.amount for f in collect_findings(copy, 2024)] == [Decimal("300.00")]
    assert "ehealth" not in reruns  # (grants, not in use, have nothing to hand over)
    grant = load(write(tmp_path, "grant.beancount", OVERSPENT))
    before = len(reruns)
    assert [(f.kind, f.lineno, f.amount) for f in collect_findings(grant, 2024)] == [
        ("grant-overspent", 13, Decimal("500.00"))]
    assert reruns[before:] == ["ehealth"]


def test_an_earlier_load_gets_its_own_findings_made_again(
        tmp_path: Path, reruns: list[str]) -> None:
    first = load(write(tmp_path, "grant.beancount", OVERSPENT))
    second = load(write(tmp_path, "ehealth.beancount", UNDER_COVERED))
    assert [(f.kind, f.lineno, f.amount) for f in collect_findings(first, 2024)] == [
        ("grant-overspent", 13, Decimal("500.00"))]
    assert reruns == ["grants", "ehealth"]
    assert [(f.kind, f.lineno, f.amount) for f in collect_findings(second, 2024)] == [
        ("ehealth-under-coverage", 9, Decimal("300.00"))]
    assert reruns.count("ehealth") == 1


def test_entries_changed_after_the_load_get_their_own_findings(
        tmp_path: Path, reruns: list[str]) -> None:
    path = write(tmp_path, "books.beancount", UNDER_COVERED)
    ledger = load(path)
    (cost,) = [e for e in ledger.entries if getattr(e, "narration", "") == "Drift"]
    postings = [p._replace(units=p.units._replace(number=p.units.number / 2))
                for p in cost.postings]
    changed = [cost._replace(postings=postings) if e is cost else e for e in ledger.entries]
    assert collect_findings(from_entries(changed, [], ledger.options_map, path), 2024) == ()
    assert reruns.count("ehealth") == 1
    fewer = [e for e in ledger.entries if e is not cost]
    assert collect_findings(from_entries(fewer, [], ledger.options_map, path), 2024) == ()
    assert [(f.lineno, f.amount) for f in collect_findings(ledger, 2024)] == [
        (9, Decimal("300.00"))]
    assert reruns.count("ehealth") == 2


def test_a_repayment_on_the_day_of_another_flow_of_its_solution_is_handed_over(
        tmp_path: Path, reruns: list[str]) -> None:
    # in the run the repayment comes after the day's invoice, in the loaded ledger before it;
    # the rule takes the day in one order, so the loaded entries give what the run found
    text = (HEAD + SOLUTION + ehealth_posting("2024-01-15", "100.00")
            + repayment("2024-03-31", "120.00") + ehealth_posting("2024-03-31", "50.00")
            + '2024-03-31 * "Drift"\n  solution: "kj"\n'
            "  Expenses:6700-ExternalServices 200.00 NOK\n  Assets:1920-Bank -200.00 NOK\n")
    path = write(tmp_path, "books.beancount", text.encode())
    ledger = load(path)
    assert ledger.errors == []
    assert [(f.lineno, f.amount) for f in collect_findings(ledger, 2024)] == [
        (14, Decimal("170.00"))]  # 200 of cost, 100 + 50 - 120 = 30 recognised
    assert "ehealth" not in reruns


def test_per_rule_plugin_lines_get_the_findings_made_again(
        tmp_path: Path, reruns: list[str]) -> None:
    text = UNDER_COVERED.replace(b'plugin "nhnfin"\n', b'plugin "nhnfin.ehealth"\n')
    ledger = load(write(tmp_path, "books.beancount", text))
    assert [(f.lineno, f.amount) for f in collect_findings(ledger, 2024)] == [
        (9, Decimal("300.00"))]
    assert "ehealth" in reruns
