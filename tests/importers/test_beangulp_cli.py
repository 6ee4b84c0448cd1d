"""Issue 18: the importers under beangulp's own CLI (identify, extract, archive), configured by an
``import.py`` (``ledger/import.py``), run in-process as the script runs them
(:func:`nhnfin.cli.imports.ingest`: beangulp's commands, its ``extract`` made safe)."""

from __future__ import annotations

import pickle
import runpy
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from nhnfin.cli.imports import ingest
from tests.importers.conftest import DATA
from tests.test_load_cache import Planted

REPO = Path(__file__).resolve().parents[2]
SAMPLES = (
    DATA / "camt" / "camt053.nhn.v4.xml",
    DATA / "invoices" / "invoice-run-2024-q1.csv",
    DATA / "saft" / "ExampleFile_SAF-T_Financial_888888888_20180228235959.xml",
)


@pytest.fixture
def documents(tmp_path: Path) -> Path:
    folder = tmp_path / "downloads"
    folder.mkdir()
    for sample in SAMPLES:
        shutil.copy(sample, folder)
    (folder / "notes.txt").write_text("not a document\n")
    return folder


def _ingest(*args: str) -> tuple[int, str, str]:
    config = runpy.run_path(str(REPO / "ledger" / "import.py"))["CONFIG"]
    result = CliRunner().invoke(ingest(config), list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.exit_code, result.stdout, result.stderr


def test_config_reads_the_bank_accounts_of_the_ledger() -> None:
    camt, *_rest = runpy.run_path(str(REPO / "ledger" / "import.py"))["CONFIG"]
    assert camt.accounts == {"NO9386011117947": "Assets:1920-Bank"}


def test_identify(documents: Path) -> None:
    code, out, _err = _ingest("identify", "--verbose", str(documents))
    assert code == 0
    lines = out.splitlines()
    assert f"* {documents / 'camt053.nhn.v4.xml'} ... OK" in lines
    assert "  nhnfin.importers.camt053.Camt053Importer" in lines
    assert "  nhnfin.importers.invoice_run.InvoiceRunImporter" in lines
    assert "  nhnfin.importers.saft.SaftImporter" in lines
    assert f"* {documents / 'notes.txt'}" in lines  # not identified: no "OK"


def test_extract_then_extract_again_marks_duplicates(documents: Path, tmp_path: Path) -> None:
    out = tmp_path / "new.beancount"
    code, _out, _err = _ingest("extract", str(documents), "-o", str(out))
    assert code == 0
    text = out.read_text()
    for link in ("^camt-NHN-V4-0001\n", "^inv-10042-", "^saft-888888888-123ABC-1001\n"):
        assert f" {link}" in text
    ledger = tmp_path / "ledger.beancount"
    ledger.write_text('plugin "beancount.plugins.auto_accounts"\n' + text)
    again = tmp_path / "again.beancount"
    code, _out, _err = _ingest("extract", str(documents), "-e", str(ledger), "-o", str(again))
    assert code == 0
    second = again.read_text()
    assert '; 2025-05-02 * "Trondheim kommune" "Faktura 10051" ^camt-NHN-V4-0001' in second
    assert "\n2025-05-02 * " not in second


def test_extract_reports_a_bad_document_and_exits_1(documents: Path, tmp_path: Path) -> None:
    bad = documents / "camt053.nhn.v4.xml"
    bad.write_text(bad.read_text().replace('"NOK">287500.00', '"NOK">287600.00'))
    code, _out, err = _ingest("extract", str(documents), "-o", str(tmp_path / "x.beancount"))
    assert code == 1
    assert "kontoutskriften går ikke opp" in err


def test_archive_files_documents_by_account_and_date(documents: Path, tmp_path: Path) -> None:
    archive = tmp_path / "documents"
    archive.mkdir()
    code, _out, _err = _ingest("archive", str(documents), "-o", str(archive))
    assert code == 0
    filed = sorted(str(p.relative_to(archive)) for p in archive.rglob("*") if p.is_file())
    assert filed == [
        "Assets/1500-TradeReceivables/2024-01-01.invoice-run-2024-q1.csv",
        "Assets/1920-Bank/2025-05-02.camt053.nhn.v4.xml",
        "Equity/2017-04-30.ExampleFile_SAF-T_Financial_888888888_20180228235959.xml",
    ]
    assert sorted(p.name for p in documents.iterdir()) == ["notes.txt"]


def test_fava_loads_the_same_configuration(documents: Path) -> None:
    """Fava's import page reads ``CONFIG`` from the same file (fava-option import-config)."""
    from fava.core.ingest import extract_from_file
    from fava.core.ingest import load_import_config

    loaded = load_import_config(REPO / "ledger" / "import.py")
    assert sorted(loaded.importers) == [
        "nhnfin.importers.camt053.Camt053Importer",
        "nhnfin.importers.invoice_run.InvoiceRunImporter",
        "nhnfin.importers.saft.SaftImporter",
    ]
    camt = loaded.importers["nhnfin.importers.camt053.Camt053Importer"]
    entries = extract_from_file(camt, documents / "camt053.nhn.v4.xml", [])
    assert [type(e).__name__ for e in entries] == [
        "Balance",
        "Transaction",
        "Transaction",
        "Balance",
    ]


@pytest.fixture
def booked(documents: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A ledger of the documents' entries, extracted once, with a planted Beancount cache beside
    it (the cache on, as on a controller's machine)."""
    monkeypatch.delenv("BEANCOUNT_DISABLE_LOAD_CACHE", raising=False)
    first = tmp_path / "first.beancount"
    assert _ingest("extract", str(documents), "-o", str(first))[0] == 0
    books = tmp_path / "books"
    books.mkdir()
    ledger = books / "ledger.beancount"
    ledger.write_text('plugin "beancount.plugins.auto_accounts"\n' + first.read_text())
    (books / ".ledger.beancount.picklecache").write_bytes(pickle.dumps(Planted(tmp_path / "ran")))
    return ledger


def test_extract_neither_reads_nor_touches_beancounts_cache(
    documents: Path, booked: Path, tmp_path: Path
) -> None:
    """beangulp's own ``extract -e`` loads through Beancount's cached loader: the planted pickle
    ran (the folder appeared) and was replaced."""
    planted = (booked.parent / ".ledger.beancount.picklecache").read_bytes()
    code, _out, _err = _ingest("extract", str(documents), "-e", str(booked),
                               "-o", str(tmp_path / "again.beancount"))
    assert code == 0
    assert not (tmp_path / "ran").exists(), "extract unpickled Beancount's cache"
    assert (booked.parent / ".ledger.beancount.picklecache").read_bytes() == planted
    assert "\n2025-05-02 * " not in (tmp_path / "again.beancount").read_text()  # deduplicated


@pytest.mark.parametrize("target", ["the ledger", "an existing file", "a document"])
def test_extract_never_writes_onto_the_ledger_a_document_or_an_existing_file(
    target: str, documents: Path, booked: Path, tmp_path: Path
) -> None:
    """beangulp's own ``-o`` is ``click.File('w')``: opened, so emptied, before anything runs."""
    existing = tmp_path / "kept.beancount"
    existing.write_text("; kept\n")
    output = {"the ledger": booked, "an existing file": existing,
              "a document": documents / "invoice-run-2024-q1.csv"}[target]
    before = output.read_bytes()
    code, _out, err = _ingest("extract", str(documents), "-e", str(booked), "-o", str(output))
    assert code == 1
    if target == "an existing file":
        expected = f"Feil: {output} finnes allerede; den overskrives ikke"
    else:
        expected = (f"Feil: {output}: skriver ikke over {output}, som kommandoen leser "
                    "(regnskapet eller en fil det leser); velg en annen --output")
    assert err.splitlines() == [expected]
    assert output.read_bytes() == before


def test_the_script_runs_the_safe_extract(documents: Path, booked: Path) -> None:
    """``python ledger/import.py extract … -o LEDGER``, as a controller runs it."""
    before = booked.read_bytes()
    run = subprocess.run(
        [sys.executable, str(REPO / "ledger" / "import.py"), "extract", str(documents),
         "-e", str(booked), "-o", str(booked)],
        capture_output=True, text=True, check=False)
    assert run.returncode == 1
    assert "skriver ikke over" in run.stderr
    assert booked.read_bytes() == before
