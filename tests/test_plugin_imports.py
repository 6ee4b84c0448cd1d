"""``plugin "nhnfin"`` imports what the run needs: a load of an unlocked ledger without typos
leaves the period-lock check and the lock digest (``nhnfin.close``) and ``difflib`` unimported;
a ledger that may be locked still runs the whole check."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

#: what an unlocked, well-spelt ledger's load needs none of (issue 19: the plugin's imports)
NOT_NEEDED = ("nhnfin.close", "nhnfin.close.digest", "nhnfin.close.period_lock", "difflib")

LEDGER = """
option "operating_currency" "NOK"
plugin "nhnfin"
2024-01-01 open Assets:1250-FixturesAndEquipment NOK
2024-01-01 open Assets:1259-FixturesAccumDepreciation NOK
2024-01-01 open Assets:1920-Bank NOK
2024-01-01 open Expenses:6000-DepreciationTangible NOK
2024-01-10 * "Desks"
  Assets:1250-FixturesAndEquipment   1200.00 NOK
    asset: "desk"
  Assets:1920-Bank                  -1200.00 NOK
2024-01-10 custom "nhnfin-asset" "desk" "fixtures"
  months: 36
"""

PROBE = """
import sys
from beancount import loader
entries, errors, _ = loader.load_file(sys.argv[1])
assert any(e.meta.get("nhnfin-rule") for e in entries), "the plugin ran"
for error in errors:
    print("error", error.source.get("lineno"), error.message)
print("loaded", ",".join(m for m in {names} if m in sys.modules))
"""


def loaded(path: Path) -> tuple[list[str], list[str]]:
    """The modules of :data:`NOT_NEEDED` a fresh process loading ``path`` imported, and the
    errors of the load (``error LINE MESSAGE``)."""
    result = subprocess.run(
        [sys.executable, "-c", PROBE.format(names=repr(NOT_NEEDED)), str(path)],
        capture_output=True, text=True, check=True,
        env={**os.environ, "BEANCOUNT_DISABLE_LOAD_CACHE": "1"})
    lines = result.stdout.splitlines()
    modules = lines[-1].removeprefix("loaded ")
    return ([m for m in modules.split(",") if m], [line for line in lines if
                                                    line.startswith("error ")])


def test_an_unlocked_ledger_loads_without_the_lock_check(tmp_path: Path) -> None:
    ledger = tmp_path / "books.beancount"
    ledger.write_text(textwrap.dedent(LEDGER), encoding="utf-8")
    assert loaded(ledger) == ([], [])


def test_a_lock_record_still_brings_the_check(tmp_path: Path) -> None:
    """A record in ``locks/`` whose lock is gone is an error: the folder alone runs the check."""
    ledger = tmp_path / "books.beancount"
    ledger.write_text(textwrap.dedent(LEDGER), encoding="utf-8")
    (tmp_path / "locks").mkdir()
    (tmp_path / "locks" / "2024-12-31.json").write_text("{}", encoding="utf-8")
    modules, errors = loaded(ledger)
    assert "nhnfin.close.period_lock" in modules
    assert len(errors) == 1
    assert errors[0].startswith("error 1 låst periode til og med 2024-12-31 har ikke lenger "
                                "noen lås: låseposten ")


def test_a_lock_directive_brings_the_check(tmp_path: Path) -> None:
    ledger = tmp_path / "books.beancount"
    ledger.write_text(textwrap.dedent(LEDGER) + '2024-12-31 custom "nhnfin-lock" "00"\n',
                      encoding="utf-8")
    modules, errors = loaded(ledger)
    assert "nhnfin.close.period_lock" in modules
    assert errors
