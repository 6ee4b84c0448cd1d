"""No nhnfin command reads or writes Beancount's pickle cache beside the ledger: read back, a
pickle runs whatever code it holds, and writing or removing it changes the ledger's folder."""

from __future__ import annotations

import os
import pickle
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from nhnfin.cli.main import main

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "ledger/examples/invoice-basis-2022.beancount"
PACKAGES = ("nhnfin", "reports", "importers")


class Planted:
    """Unpickled, it makes the folder ``marker``: proof that the pickle was read."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return os.mkdir, (str(self.marker),)


@pytest.fixture
def planted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path, bytes]:
    """A copy of the invoice-basis example with a planted cache beside it: (ledger, marker,
    the cache's bytes). Beancount's cache is on, as it is on a controller's machine."""
    monkeypatch.delenv("BEANCOUNT_DISABLE_LOAD_CACHE", raising=False)
    ledger = tmp_path / "books" / EXAMPLE.name
    ledger.parent.mkdir()
    shutil.copy(EXAMPLE, ledger)
    marker = tmp_path / "the-pickle-ran"
    content = pickle.dumps(Planted(marker))
    (ledger.parent / f".{ledger.name}.picklecache").write_bytes(content)
    return ledger, marker, content


@pytest.mark.parametrize("command", [
    ["invoice-basis", "{ledger}", "--year", "2022", "--format", "csv"],
    ["saft", "{ledger}", "--year", "2022", "--output", "{out}/saft.xml"],
    ["import", "{out}/nothing.txt", "--ledger", "{ledger}"],
    ["report", "{ledger}", "--year", "2022", "--format", "json", "--no-cache"],
])
def test_a_command_neither_reads_nor_touches_beancounts_cache(
    command: list[str], planted: tuple[Path, Path, bytes], tmp_path: Path
) -> None:
    ledger, marker, content = planted
    out = tmp_path / "out"
    out.mkdir()
    (out / "nothing.txt").write_text("not a statement\n", "utf-8")
    args = [a.format(ledger=ledger, out=out) for a in command]
    CliRunner().invoke(main, args)
    assert not marker.exists(), "the command unpickled Beancount's cache"
    assert sorted(p.name for p in ledger.parent.iterdir()) == sorted(
        [ledger.name, f".{ledger.name}.picklecache"])  # nothing written, nothing removed
    assert (ledger.parent / f".{ledger.name}.picklecache").read_bytes() == content


def test_no_module_loads_through_beancounts_cached_loader() -> None:
    """Every load goes through :func:`nhnfin.ledger.load_entries` (Beancount's uncached load)."""
    callers = [
        f"{path.relative_to(ROOT)}:{number}"
        for package in PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1)
        if "load_file(" in line and "loader" in line and not line.lstrip().startswith("#")
        and "`" not in line
    ]
    assert callers == []
