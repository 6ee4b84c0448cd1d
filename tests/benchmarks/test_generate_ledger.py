"""The synthetic ledger of the scale benchmark: clean under every nhnfin plugin, all four streams
booked, deterministic, the requested size, and never written into the repository."""

from __future__ import annotations

import importlib.util
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest
from beancount import loader
from beancount.core import data

from nhnfin.ledger import from_entries
from nhnfin.model import Status
from nhnfin.notes.tables import TOTAL
from nhnfin.report import build_report

ROOT = Path(__file__).resolve().parents[2]


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "generate_ledger", ROOT / "benchmarks" / "generate_ledger.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("generate_ledger", module)
    spec.loader.exec_module(module)
    return module


gen = _generator()


@pytest.fixture(scope="module")
def ledger_10k() -> str:
    return str(gen.generate(10_000, fava=False))


@pytest.fixture(scope="module")
def loaded(ledger_10k: str) -> tuple[list[data.Directive], list[object]]:
    entries, errors, _ = loader.load_string(ledger_10k)
    return entries, errors


def test_checks_clean_with_every_plugin(
    ledger_10k: str, loaded: tuple[list[data.Directive], list[object]]
) -> None:
    _, errors = loaded
    assert [line for line in ledger_10k.splitlines() if line.startswith("plugin ")] == [
        'plugin "nhnfin"'
    ]
    assert errors == []


def test_per_rule_twin_checks_clean_with_the_same_entries(
    ledger_10k: str, loaded: tuple[list[data.Directive], list[object]]
) -> None:
    twin = gen.per_rule_lines(ledger_10k)
    assert [line for line in twin.splitlines() if line.startswith("plugin ")] == [
        f'plugin "{name}"' for name in gen.PER_RULE_PLUGINS
    ]
    entries, errors, _ = loader.load_string(twin)
    assert errors == []
    assert len(entries) == len(loaded[0])


def test_report_has_no_failing_tieout(
    loaded: tuple[list[data.Directive], list[object]]
) -> None:
    # before the generator mapped the pay accounts, note 5 failed "payroll_costs makes exactly
    # one row" (4 accounts) and its sum differed from «Lønnskostnad»
    entries, errors = loaded
    report = build_report(from_entries(entries, errors, {}), 2024)
    failed = {t.check_id: t for t in report.tieouts if t.status == Status.FAILED}
    # a disposal without proceeds showed the asset's book value as an investing inflow (the
    # cash-flow section check failed, naming it): its loss is a non-cash item of the result now
    assert {k: t.difference for k, t in failed.items()} == {}
    note5 = next(n for n in report.notes if n.number == "5")
    total = next(r for r in note5.tables[0].rows if r.key == TOTAL)
    assert (total.values["2024"] or 0) > 0


def test_all_four_streams_are_booked(loaded: tuple[list[data.Directive], list[object]]) -> None:
    entries, _ = loaded
    rules = Counter(
        str(e.meta.get("nhnfin-rule"))
        for e in entries
        if isinstance(e, data.Transaction) and "nhnfin-rule" in e.meta
    )
    for rule in (
        "ehealth-invoice", "ehealth-income",
        "grant-receivable", "grant-income", "grant-investment", "grant-investment-income",
        "delivery-obligation-transfer", "delivery-obligation",
        "asset-ready", "asset-depreciation", "asset-impairment", "asset-disposal",
    ):
        assert rules[rule] > 0, rule
    transfers = {e.meta["asset"] for e in entries if isinstance(e, data.Transaction)
                 and e.meta.get("nhnfin-rule") == "delivery-obligation-transfer"}
    assert transfers == {"ehealth-2020", "vkp-2022"}
    customers = {e.account for e in entries if isinstance(e, data.Open)
                 and e.account.startswith("Assets:1500-TradeReceivables:Kommune-")}
    assert len(customers) == 357


def test_size_is_the_requested_one(ledger_10k: str) -> None:
    assert 10_000 <= gen.count_postings(ledger_10k) <= 10_050


def test_same_seed_same_ledger_other_seed_other_ledger(ledger_10k: str) -> None:
    assert gen.generate(10_000, fava=False) == ledger_10k
    assert gen.generate(10_000, seed=7, fava=False) != ledger_10k


def test_plain_twin_only_loses_the_plugin_lines(ledger_10k: str) -> None:
    plain = gen.without_plugins(ledger_10k)
    assert "plugin " not in plain
    assert len(plain.splitlines()) == len(ledger_10k.splitlines()) - 1


def test_sizes_parse() -> None:
    assert [gen.parse_size(s) for s in ("10k", "100k", "1M", "2500")] == [
        10_000, 100_000, 1_000_000, 2_500]
    assert [gen.size_label(n) for n in (10_000, 1_000_000, 2_500)] == ["10k", "1M", "2500"]


def test_never_writes_into_the_repository() -> None:
    with pytest.raises(SystemExit, match="not written into the repository"):
        gen.write(ROOT / "benchmarks" / "out", 10_000)
    assert not (ROOT / "benchmarks" / "out").exists()
