"""Files lost, corrupted or served stale, and tracebacks where a one-line error belongs (issue 15,
parts B, C and D): every case a literal input, the message and exit code it must give, and a
check that no file was lost or changed.

- **B, the report cache**: keyed by the content of every file the report reads (globs resolved
  afresh, the layout, the published report), the versions and the options; never served for
  another ledger; JSON signed with this user's key, never a pickle.
- **C, writes**: no command writes onto one of its inputs or onto the ledger; every write and
  append is atomic (a full disk leaves the old file byte for byte and no temporary file); modes
  follow the umask; invoice links and receivable accounts keep full Unicode; every value written
  into Beancount text is escaped or refused.
- **D, one-line errors**: ``--output`` under a file, a folder that cannot be written, a full disk;
  a layout without its statements; a FIFO or ``/dev/zero`` as a layout or published report; an
  XLSX zip bomb.
"""

from __future__ import annotations

import errno
import io
import json
import os
import pickle
import shutil
import stat
import subprocess
import sys
import textwrap
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from beancount import loader
from beancount.parser import parser
from click.testing import CliRunner
from click.testing import Result
from openpyxl import Workbook

import nhnfin.files
from nhnfin.cli.main import main
from nhnfin.ledger import load
from nhnfin.model import Report
from nhnfin.report import build_report
from nhnfin.report_cache import cache_path
from tests.close.test_close_cli import SMALL as CLOSE_SMALL

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
EXAMPLES = ROOT / "ledger" / "examples"
CAMT = ROOT / "tests" / "data" / "camt" / "camt053.nhn.reversal.xml"
PACKAGED_LAYOUT = (ROOT / "nhnfin" / "data" / "layout_nhn.toml").read_text("utf-8")
OLD = b"; the old content\n"

BOOKS = """\
option "title" "Testforetak"
option "operating_currency" "NOK"
include "sales.beancount"
include "parts/*.beancount"
2024-01-01 custom "nhnfin-layout" "layout.toml"
2024-12-31 custom "nhnfin-published" "published.json"
2022-12-31 open Assets:1920-Bank
2022-12-31 open Equity:2050-OtherEquity
2022-12-31 open Income:3100-Services
"""
SALES = """\
2024-05-01 * "Salg"
  Assets:1920-Bank         1000.00 NOK
  Income:3100-Services    -1000.00 NOK
"""
PART = """\
2024-06-01 * "Salg del {n}"
  Assets:1920-Bank         {amount} NOK
  Income:3100-Services    -{amount} NOK
"""
PUBLISHED = '{"statements": {"income_statement": [{"key": "service_revenue", "2024": 1000}]}}'
RUN = "invoice;customer;solution;period;amount\n{rows}"

# A ledger nhnfin close can close (the checks pass): the one of tests/close.
CLOSABLE = CLOSE_SMALL.format(rent="120.00")


# ---- helpers ----------------------------------------------------------------------------------


def books(folder: Path, *, parts: int = 1) -> Path:
    """The small ledger folder: books.beancount, sales.beancount, parts/, layout, published."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "sales.beancount").write_text(SALES)
    (folder / "parts").mkdir(exist_ok=True)
    for n in range(1, parts + 1):
        (folder / "parts" / f"p{n}.beancount").write_text(PART.format(n=n, amount="10.00"))
    (folder / "layout.toml").write_text(PACKAGED_LAYOUT, encoding="utf-8")
    (folder / "published.json").write_text(PUBLISHED)
    ledger = folder / "books.beancount"
    ledger.write_text(BOOKS)
    return ledger


def run(*args: object, umask: int | None = None) -> Result:
    """``nhnfin ARGS`` in-process (stdout and stderr apart)."""
    previous = os.umask(umask) if umask is not None else None
    try:
        return CliRunner().invoke(main, [str(a) for a in args])
    finally:
        if previous is not None:
            os.umask(previous)


def empty_ledger(folder: Path) -> Path:
    """An empty ledger beside the test's files: the --ledger an --append needs."""
    ledger = folder / "empty.beancount"
    ledger.write_text("")
    return ledger


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every regular file under ``folder`` (the report caches aside) with its bytes."""
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.name.endswith(".cache") and p.suffix != ".key"
    }


def one_line_error(result: Result, fragment: str, exit_code: int = 1, lines: int = 1) -> None:
    """Exit ``exit_code``, no traceback, stderr one ``Feil: ...`` message holding ``fragment``
    (``lines``: a located Beancount error also echoes the directive, as bean-check does)."""
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == exit_code, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("Feil: "), result.stderr
    assert result.stderr.count("\n") <= lines, result.stderr
    assert fragment in result.stderr, result.stderr


def no_temporary_files(folder: Path) -> None:
    assert [p.name for p in folder.rglob("*.tmp")] == []


def revenue(ledger: Path, *options: object) -> str:
    """2024 service revenue from ``nhnfin report --format json`` (exit 0)."""
    result = run("report", ledger, "--year", 2024, "--format", "json", *options)
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)["statements"]["income_statement"]
    return str(next(r["2024"] for r in rows if r["key"] == "service_revenue"))


def same_stamp_edit(path: Path, old: str, new: str) -> None:
    """Replace ``old`` by ``new`` (same length) keeping the file's size and modification time."""
    assert len(old.encode()) == len(new.encode())
    info = path.stat()
    path.write_bytes(path.read_bytes().replace(old.encode(), new.encode()))
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the reports ``nhnfin report`` builds (a cache hit builds none)."""
    count: list[int] = []

    def counting(*args: object, **kwargs: object) -> object:
        count.append(1)
        return build_report(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr("nhnfin.report.build_report", counting)  # imported by the command
    return count


def disk_full(after: int = 7) -> Callable[[int, bytes | memoryview], int]:
    """A ``write`` that writes ``after`` bytes, then fails as a full disk does."""

    def write(fd: int, content: bytes | memoryview) -> int:
        os.write(fd, bytes(content[:after]))
        raise OSError(errno.ENOSPC, "No space left on device")

    return write


# ---- C: no command writes onto its own inputs or the ledger -----------------------------------


@dataclass(frozen=True)
class Refusal:
    """``nhnfin ARGS`` (``{d}`` = the books folder) must refuse: ``target`` keeps its bytes (or
    is not created when it did not exist)."""

    id: str
    args: tuple[str, ...]
    target: str
    fragment: str = "skriver ikke over"


EX = str(EXAMPLES)
REFUSALS = [
    Refusal("report-onto-ledger", ("report", "{d}/books.beancount", "--year", "2024",
                                    "--output", "{d}/books.beancount"), "books.beancount"),
    Refusal("report-onto-included-file", ("report", "{d}/books.beancount", "--year", "2024",
                                           "--output", "{d}/sales.beancount"), "sales.beancount"),
    Refusal("report-onto-glob-included-file", ("report", "{d}/books.beancount", "--year", "2024",
                                               "--output", "{d}/parts/p1.beancount"),
            "parts/p1.beancount"),
    Refusal("report-onto-layout", ("report", "{d}/books.beancount", "--year", "2024",
                                    "--output", "{d}/layout.toml"), "layout.toml"),
    Refusal("report-onto-published", ("report", "{d}/books.beancount", "--year", "2024",
                                       "--format", "json", "--output", "{d}/published.json"),
            "published.json"),
    Refusal("report-onto-ledger-other-spelling",
            ("report", "{d}/books.beancount", "--year", "2024",
             "--output", "{d}/parts/../books.beancount"), "books.beancount"),
    Refusal("report-onto-a-new-file-the-glob-would-load",
            ("report", "{d}/books.beancount", "--year", "2024",
             "--output", "{d}/parts/report.beancount"), "parts/report.beancount",
            "regnskapet tar med"),
    Refusal("report-onto-a-new-file-the-glob-would-load-through-dots",
            ("report", "{d}/books.beancount", "--year", "2024",
             "--output", "{d}/missing/../parts/report.beancount"), "parts/report.beancount",
            "regnskapet tar med"),
    Refusal("report-published-option-onto-itself",
            ("report", "{d}/books.beancount", "--year", "2024", "--published", "{d}/other.json",
             "--format", "json", "--output", "{d}/other.json"), "other.json"),
    Refusal("invoice-basis-force-onto-ledger",
            ("invoice-basis", "{d}/books.beancount", "--year", "2024", "--format", "beancount",
             "--force", "--output", "{d}/books.beancount"), "books.beancount"),
    Refusal("invoice-basis-force-onto-included-file",
            ("invoice-basis", "{d}/books.beancount", "--year", "2024", "--format", "beancount",
             "--force", "--output", "{d}/sales.beancount"), "sales.beancount"),
    Refusal("cost-basis-onto-ledger", ("cost-basis", "{d}/books.beancount", "--year", "2024",
                                        "--output", "{d}/books.beancount"), "books.beancount"),
    Refusal("investment-plan-onto-ledger", ("investment-plan", "{d}/books.beancount",
                                             "--output", "{d}/books.beancount"),
            "books.beancount"),
    Refusal("grant-usage-onto-included-file",
            ("grant-usage", "{d}/books.beancount", "--year", "2024",
             "--output", "{d}/sales.beancount"), "sales.beancount"),
    Refusal("import-append-onto-its-own-run", ("import", "{d}/run.csv", "--ledger",
                                                "{d}/books.beancount", "--output",
                                                "{d}/run.csv", "--append"), "run.csv"),
    Refusal("import-new-file-the-ledger-glob-would-load",
            ("import", "{d}/run.csv", "--ledger", "{d}/books.beancount",
             "--output", "{d}/parts/new.beancount"), "parts/new.beancount",
            "regnskapet tar med"),
    Refusal("saft-force-onto-ledger", ("saft", "{d}/books.beancount", "--year", "2024",
                                        "--force", "--output", "{d}/books.beancount"),
            "books.beancount"),
    Refusal("saft-force-onto-included-file", ("saft", "{d}/books.beancount", "--year", "2024",
                                               "--force", "--output", "{d}/sales.beancount"),
            "sales.beancount"),
]


@pytest.mark.parametrize("case", REFUSALS, ids=lambda c: c.id)
def test_no_command_writes_onto_its_inputs(case: Refusal, tmp_path: Path) -> None:
    folder = tmp_path / "books"
    books(folder)
    (folder / "run.csv").write_text(RUN.format(rows="1;Oslo kommune;Kjernejournal;2024;1,00\n"))
    (folder / "other.json").write_text(PUBLISHED)
    before = snapshot(folder)
    result = run(*(a.replace("{d}", str(folder)) for a in case.args))
    one_line_error(result, case.fragment)
    assert case.target.split("/")[-1] in result.stderr
    assert snapshot(folder) == before  # nothing changed, nothing created
    no_temporary_files(folder)


KEPT = [
    # (command, a file nhnfin keeps, the words the refusal says it in)
    *((args, target, words)
      for target, words in (("{d}/.books.beancount.nhnfin-2024.cache", "rapportbufferen"),
                            ("{d}/.other.beancount.nhnfin-2023.cache", "rapportbufferen"),
                            ("{d}/locks/2024-12-31.json", "et låseregister"),
                            ("{key}", "nøkkelen rapportbufferen signeres med"))
      for args in (("report", "{d}/books.beancount", "--year", "2024", "--format", "json"),
                   ("saft", "{d}/books.beancount", "--year", "2024", "--force"),
                   ("cost-basis", "{d}/books.beancount", "--year", "2024"),
                   ("investment-plan", "{d}/books.beancount"),
                   ("grant-usage", "{d}/books.beancount", "--year", "2024"),
                   ("invoice-basis", "{d}/books.beancount", "--year", "2024", "--format",
                    "beancount", "--force"),
                   ("import", "{d}/run.csv"),
                   ("close", "{d}/books.beancount", "--year", "2024", "--waive", "months"))),
]


@pytest.mark.parametrize(("args", "target", "words"), KEPT,
                         ids=[f"{a[0]}-{w.split()[-1]}-{t.rsplit('/', 1)[-1]}"
                              for a, t, w in KEPT])
def test_no_command_writes_onto_a_file_nhnfin_keeps(args: tuple[str, ...], target: str,
                                                    words: str, tmp_path: Path) -> None:
    """The report cache (this ledger's or another's), a lock record (a new one too) and the
    caches' signing key are nhnfin's own: no --output writes them (main wrote the report over
    the cache and a SAF-T file into locks/)."""
    from nhnfin.report_cache import key_path

    folder = tmp_path / "books"
    ledger = books(folder)
    (folder / "run.csv").write_text(RUN.format(rows="1;Oslo kommune;Kjernejournal;2024;1,00\n"))
    assert revenue(ledger) == "1010"  # builds and caches
    key = key_path()
    path = Path(target.replace("{d}", str(folder)).replace("{key}", str(key)))
    if path.name.endswith("2023.cache"):
        path.write_bytes(b"kept")
    before = path.read_bytes() if path.exists() else None
    result = run(*(a.replace("{d}", str(folder)) for a in args), "--output", path)
    one_line_error(result, f"{path}: skriver ikke dit: filen er {words}, som nhnfin holder selv; "
                           "velg en annen --output")
    assert (path.read_bytes() if path.exists() else None) == before


def test_report_from_the_cache_refuses_the_ledger_too(tmp_path: Path) -> None:
    ledger = books(tmp_path / "books")
    assert revenue(ledger) == "1010"  # builds and caches
    before = snapshot(ledger.parent)
    result = run("report", ledger, "--year", 2024, "--output", ledger)
    one_line_error(result, f"{ledger}: skriver ikke over {ledger}")
    assert snapshot(ledger.parent) == before


def test_report_refuses_a_hard_link_to_the_ledger(tmp_path: Path) -> None:
    ledger = books(tmp_path / "books")
    os.link(ledger, tmp_path / "alias.beancount")
    before = snapshot(tmp_path)
    result = run("report", ledger, "--year", 2024, "--output", tmp_path / "alias.beancount")
    one_line_error(result, "skriver ikke over")
    assert snapshot(tmp_path) == before


# ---- C: every write is atomic; a full disk leaves everything as it was ------------------------


def test_append_on_a_full_disk_leaves_the_file_byte_for_byte(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run_csv = tmp_path / "run.csv"
    run_csv.write_text(RUN.format(rows="1;Oslo kommune;Kjernejournal;2024;1,00\n"))
    target = tmp_path / "out.beancount"
    target.write_bytes(OLD)
    monkeypatch.setattr(nhnfin.files, "write_chunk", disk_full())
    result = run("import", run_csv, "--ledger", empty_ledger(tmp_path), "--output", target,
                 "--append")
    one_line_error(result, f"{target}: kan ikke skrives: disken er full")
    assert target.read_bytes() == OLD
    no_temporary_files(tmp_path)


def test_append_writes_old_and_new_through_a_rename(tmp_path: Path) -> None:
    run_csv = tmp_path / "run.csv"
    run_csv.write_text(RUN.format(rows="1;Oslo kommune;Kjernejournal;2024;1,00\n"))
    target = tmp_path / "out.beancount"
    target.write_bytes(b"; the old content")  # no newline at the end
    inode = target.stat().st_ino
    result = run("import", run_csv, "--ledger", empty_ledger(tmp_path), "--output", target,
                 "--append")
    assert result.exit_code == 0, result.stderr
    text = target.read_text()
    assert text.startswith("; the old content\n;; ")
    assert target.stat().st_ino != inode  # a new file renamed over the old one
    assert parser.parse_string(text)[1] == []


def test_report_on_a_full_disk_leaves_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ledger = books(tmp_path / "books")
    before = snapshot(tmp_path)
    monkeypatch.setattr(nhnfin.files, "write_chunk", disk_full())
    result = run("report", ledger, "--year", 2024, "--no-cache", "--output", tmp_path / "r.md")
    one_line_error(result, "r.md: kan ikke skrives: disken er full")
    assert snapshot(tmp_path) == before
    no_temporary_files(tmp_path)


def test_report_on_a_full_disk_keeps_the_old_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ledger = books(tmp_path / "books")
    (tmp_path / "r.md").write_bytes(OLD)
    monkeypatch.setattr(nhnfin.files, "write_chunk", disk_full())
    result = run("report", ledger, "--year", 2024, "--no-cache", "--output", tmp_path / "r.md")
    one_line_error(result, "r.md: kan ikke skrives: disken er full")
    assert (tmp_path / "r.md").read_bytes() == OLD
    no_temporary_files(tmp_path)


def test_report_without_a_free_temporary_name_says_so_not_that_the_output_exists(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # every temporary name taken: the error was FileExistsError, which the command reported as
    # "r.md finnes allerede" though r.md was not there
    ledger = books(tmp_path / "books")
    monkeypatch.setattr(nhnfin.files.secrets, "token_hex", lambda _: "0")
    (tmp_path / ".r.md.0.tmp").write_bytes(OLD)
    result = run("report", ledger, "--year", 2024, "--no-cache", "--output", tmp_path / "r.md")
    assert result.exit_code == 1
    assert "finnes allerede" not in result.stderr
    assert "fant ikke et ledig navn til en midlertidig fil" in result.stderr
    assert not (tmp_path / "r.md").exists()
    assert (tmp_path / ".r.md.0.tmp").read_bytes() == OLD


def test_cost_basis_on_a_full_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(nhnfin.files, "write_chunk", disk_full())
    result = run("cost-basis", EXAMPLES / "cost-basis-2022.beancount", "--year", 2022,
                 "--output", tmp_path / "cb.md")
    one_line_error(result, "cb.md: kan ikke skrives: disken er full")
    assert list(tmp_path.iterdir()) == []


def test_close_on_a_full_disk_writes_neither_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ledger = tmp_path / "books.beancount"
    ledger.write_text(CLOSABLE)
    before = snapshot(tmp_path)
    monkeypatch.setattr(nhnfin.files, "write_chunk", disk_full())
    result = run("close", ledger, "--year", 2024, "--waive", "months", "--locked-by", "kari")
    assert result.exit_code == 1
    assert "kan ikke skrives: disken er full" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(tmp_path) == before  # no close file, no lock sidecar
    no_temporary_files(tmp_path)


def test_an_unwritable_folder_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ledger = books(tmp_path / "books")

    def refused(folder: Path, name: str) -> tuple[int, Path]:
        raise PermissionError(errno.EACCES, "Permission denied", str(folder))

    monkeypatch.setattr(nhnfin.files, "_temporary", refused)
    result = run("report", ledger, "--year", 2024, "--no-cache", "--output", tmp_path / "r.md")
    one_line_error(result, "r.md: kan ikke skrives: ingen skrivetilgang")
    assert not (tmp_path / "r.md").exists()


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o002, 0o664)])
def test_report_output_mode_follows_the_umask(tmp_path: Path, umask: int, mode: int) -> None:
    ledger = books(tmp_path / "books")
    result = run("report", ledger, "--year", 2024, "--output", tmp_path / "r.md", umask=umask)
    assert result.exit_code == 0, result.stderr
    assert stat.S_IMODE((tmp_path / "r.md").stat().st_mode) == mode


def test_close_and_lock_files_follow_the_umask(tmp_path: Path) -> None:
    ledger = tmp_path / "books.beancount"
    ledger.write_text(CLOSABLE)
    result = run("close", ledger, "--year", 2024, "--waive", "months",
                 "--locked-by", "kari", umask=0o022)
    assert result.exit_code == 0, result.stderr
    for written in (tmp_path / "close-2024.beancount", tmp_path / "locks" / "2024-12-31.json"):
        assert stat.S_IMODE(written.stat().st_mode) == 0o644, written


# ---- C: values written into Beancount text are escaped, or refused ----------------------------


def test_close_locked_by_with_quotes_parses_and_round_trips(tmp_path: Path) -> None:
    ledger = tmp_path / "books.beancount"
    ledger.write_text(CLOSABLE)
    result = run("close", ledger, "--year", 2024, "--waive", "months",
                 "--locked-by", 'Ola "O" Nordmann')
    assert result.exit_code == 0, result.stderr
    entries, errors, _ = parser.parse_file(str(tmp_path / "close-2024.beancount"))
    assert errors == []
    [lock] = [e for e in entries if getattr(e, "type", None) == "nhnfin-lock"]
    assert lock.meta["locked-by"] == 'Ola "O" Nordmann'


def test_close_locked_by_with_a_newline_is_refused(tmp_path: Path) -> None:
    ledger = tmp_path / "books.beancount"
    ledger.write_text(CLOSABLE)
    before = snapshot(tmp_path)
    result = run("close", ledger, "--year", 2024, "--waive", "months",
                 "--locked-by", 'Ola\nplugin "evil"')
    one_line_error(result, "--locked-by 'Ola\\nplugin \"evil\"' inneholder et kontrolltegn")
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("to_file", [True, False], ids=["output", "stdout"])
def test_import_refuses_a_customer_with_a_newline(tmp_path: Path, to_file: bool) -> None:
    run_csv = tmp_path / "run.csv"
    run_csv.write_text(RUN.format(rows='1;"Oslo\nplugin ""evil""";Kjernejournal;2024;1,00\n'))
    output = ("--output", tmp_path / "out.beancount") if to_file else ()
    result = run("import", run_csv, *output)
    one_line_error(result, "inneholder et kontrolltegn ('\\n')")
    assert result.stdout == ""
    assert not (tmp_path / "out.beancount").exists()


def test_import_refuses_a_bank_account_beancount_cannot_parse(tmp_path: Path) -> None:
    result = run("import", CAMT, "--bank", "NO9386011117947=bank account",
                 "--output", tmp_path / "out.beancount")
    one_line_error(result, "skriver ikke Beancount-tekst som ikke kan leses")
    assert not (tmp_path / "out.beancount").exists()


# ---- C: duplicate keys are stable and never collide -------------------------------------------


def _import_twice(tmp_path: Path, first: str, second: str) -> tuple[Result, str]:
    target = tmp_path / "out.beancount"
    (tmp_path / "run1.csv").write_text(RUN.format(rows=first))
    (tmp_path / "run2.csv").write_text(RUN.format(rows=second))
    assert run("import", tmp_path / "run1.csv", "--output", target).exit_code == 0
    result = run("import", tmp_path / "run2.csv", "--ledger", empty_ledger(tmp_path),
                 "--output", target, "--append")
    assert result.exit_code == 0, result.stderr
    return result, target.read_text()


def test_invoices_o_slash_1_and_a_ring_1_are_two_invoices(tmp_path: Path) -> None:
    result, text = _import_twice(tmp_path, "Ø-1;Oslo kommune;Kjernejournal;2024;1,00\n",
                                 "Å-1;Oslo kommune;Kjernejournal;2024;2,00\n")
    assert "1 nye poster skrevet" in result.stderr
    entries, errors, _ = parser.parse_string(text)
    assert errors == []
    assert sorted(e.meta["invoice"] for e in entries) == ["Å-1", "Ø-1"]
    assert len({link for e in entries for link in e.links}) == 2


def test_one_invoice_number_for_two_customers_is_two_invoices(tmp_path: Path) -> None:
    result, text = _import_twice(tmp_path, "7;Bergen kommune;Kjernejournal;2024;1,00\n",
                                 "7;Oslo kommune;Kjernejournal;2024;1,00\n")
    assert "1 nye poster skrevet" in result.stderr
    assert text.count('invoice: "7"') == 2


def test_the_same_invoice_twice_is_still_one(tmp_path: Path) -> None:
    row = "Ø-1;Oslo kommune;Kjernejournal;2024;1,00\n"
    result, text = _import_twice(tmp_path, row, row)
    assert "0 nye poster skrevet" in result.stderr
    assert text.count('invoice: "Ø-1"') == 1


def test_an_invoice_booked_with_the_old_link_is_recognised(tmp_path: Path) -> None:
    ledger = tmp_path / "books.beancount"
    ledger.write_text(textwrap.dedent("""\
        2024-01-01 * "Oslo kommune" "Faktura 10042 Kjernejournal 2024" ^inv-10042
          invoice: "10042"
          customer: "Oslo kommune"
          Assets:1500-TradeReceivables:Oslo-kommune   1.00 NOK
          Liabilities:2920-EHealthObligations        -1.00 NOK
        """))
    row = "10042;Oslo kommune;Kjernejournal;2024;1,00\n"
    (tmp_path / "run.csv").write_text(RUN.format(rows=row))
    result = run("import", tmp_path / "run.csv", "--ledger", ledger,
                 "--output", tmp_path / "out.beancount")
    assert result.exit_code == 0, result.stderr
    assert "0 nye poster skrevet" in result.stderr


def test_as_kommune_and_aas_kommune_get_two_receivable_accounts(tmp_path: Path) -> None:
    (tmp_path / "run.csv").write_text(RUN.format(
        rows="1;Ås kommune;Kjernejournal;2024;1,00\n2;As kommune;Kjernejournal;2024;2,00\n"))
    result = run("import", tmp_path / "run.csv", "--output", tmp_path / "out.beancount")
    assert result.exit_code == 0, result.stderr
    entries, errors, _ = parser.parse_file(str(tmp_path / "out.beancount"))
    assert errors == []
    receivables = {e.meta["customer"]: e.postings[0].account for e in entries}
    assert receivables == {
        "Ås kommune": "Assets:1500-TradeReceivables:Ås-kommune",
        "As kommune": "Assets:1500-TradeReceivables:As-kommune",
    }


# ---- D: --output where it cannot be written: one line, no traceback ---------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("report", "{books}", "--year", "2024", "--output", "{tmp}/f.txt/out.md"),
        ("cost-basis", f"{EX}/cost-basis-2022.beancount", "--year", "2022",
         "--output", "{tmp}/f.txt/out.md"),
        ("grant-usage", f"{EX}/grants.beancount", "--year", "2024",
         "--output", "{tmp}/f.txt/out.md"),
        ("investment-plan", f"{EX}/investment-plan.beancount", "--output", "{tmp}/f.txt/out.md"),
        ("import", "{tmp}/run.csv", "--output", "{tmp}/f.txt/out.md"),
        ("invoice-basis", f"{EX}/invoice-basis-2022.beancount", "--year", "2022",
         "--output", "{tmp}/f.txt/sub/out.md"),
    ],
    ids=["report", "cost-basis", "grant-usage", "investment-plan", "import", "invoice-basis"],
)
def test_output_under_a_file_is_one_line(tmp_path: Path, args: tuple[str, ...]) -> None:
    ledger = books(tmp_path / "books")
    (tmp_path / "f.txt").write_bytes(OLD)
    (tmp_path / "run.csv").write_text(RUN.format(rows="1;Oslo kommune;Kjernejournal;2024;1,00\n"))
    before = snapshot(tmp_path)
    result = run(*(a.replace("{tmp}", str(tmp_path)).replace("{books}", str(ledger))
                   for a in args))
    one_line_error(result, "kan ikke skrives: en del av stien er en fil, ikke en mappe")
    assert snapshot(tmp_path) == before


def test_init_under_a_file_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "f.txt").write_bytes(OLD)
    result = run("init", tmp_path / "f.txt" / "ny", "--name", "Eksempel SF",
                 "--orgnr", "999999999", "--year", "2025")
    one_line_error(result, "kan ikke skrives: en del av stien er en fil, ikke en mappe")
    assert snapshot(tmp_path) == {"f.txt": OLD}


# ---- D: layouts without their statements, layouts and reports that are not regular files -----

LAYOUT_LEDGER = """\
option "operating_currency" "NOK"
plugin "nhnfin.mapping"
2022-12-31 open Assets:1920-Bank
2022-12-31 open Income:3100-Services
2024-01-01 custom "nhnfin-layout" "{layout}"
2024-05-01 * "Salg"
  Assets:1920-Bank         1000.00 NOK
  Income:3100-Services    -1000.00 NOK
"""
ONE_STATEMENT = """\
name = "bare resultat"
[[statements]]
key = "income_statement"
title = "Resultatregnskap"
covers = ["3000-8999"]
[[statements.lines]]
key = "revenue"
label = "Inntekter"
accounts = ["3000-3999"]
measure = "movement"
sign = -1
"""


@pytest.mark.parametrize(
    ("layout", "fragment"),
    [
        ('name = "tom"\nstatements = []\n', "mangler income_statement, balance_sheet, cash_flow"),
        (ONE_STATEMENT, "mangler balance_sheet, cash_flow"),
        (ONE_STATEMENT + ONE_STATEMENT.split("\n", 1)[1],
         "oppstillingen income_statement er oppgitt to ganger"),
    ],
    ids=["no-statements", "one-statement", "a-statement-twice"],
)
def test_a_layout_without_its_statements_is_an_error_at_the_directive(
    tmp_path: Path, layout: str, fragment: str
) -> None:
    (tmp_path / "layout.toml").write_text(layout)
    ledger = tmp_path / "books.beancount"
    ledger.write_text(LAYOUT_LEDGER.format(layout="layout.toml"))
    _entries, errors, _ = loader.load_file(str(ledger))
    [error] = [e for e in errors if "layout" in e.message]
    assert fragment in error.message
    assert (error.source["filename"], error.source["lineno"]) == (str(ledger), 5)
    before = snapshot(tmp_path)
    result = run("report", ledger, "--year", 2024)
    one_line_error(result, f"{ledger}:5:", lines=3)
    assert "StopIteration" not in result.stderr
    assert snapshot(tmp_path) == before


def _bean_check(ledger: Path) -> subprocess.CompletedProcess[str]:
    """bean-check in a process of its own, its memory capped, so a hang or a runaway read fails
    this test instead of the machine (the timeout is a guard, not a measurement)."""

    def cap() -> None:  # pragma: no cover - runs in the child
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (2 * 1024**3, 2 * 1024**3))

    return subprocess.run([str(BIN / "bean-check"), str(ledger)], capture_output=True,
                          text=True, timeout=120, preexec_fn=cap, check=False)


@pytest.mark.parametrize("layout", ["fifo.toml", "/dev/zero"], ids=["fifo", "dev-zero"])
def test_a_layout_that_is_not_a_regular_file_is_refused(tmp_path: Path, layout: str) -> None:
    """A FIFO would hang bean-check, /dev/zero fill the memory: both are refused at once."""
    os.mkfifo(tmp_path / "fifo.toml")
    ledger = tmp_path / "books.beancount"
    ledger.write_text(LAYOUT_LEDGER.format(layout=layout))
    result = _bean_check(ledger)
    assert result.returncode == 1
    path = layout if layout.startswith("/") else str(tmp_path / layout)
    assert f"{ledger}:5: kan ikke lese layouten {path}: ikke en vanlig fil" in result.stderr


def test_a_published_report_that_is_a_fifo_is_one_line(tmp_path: Path) -> None:
    ledger = books(tmp_path / "books")
    os.mkfifo(tmp_path / "pipe.json")
    result = subprocess.run(
        [str(BIN / "nhnfin"), "report", str(ledger), "--year", "2024", "--no-cache",
         "--published", str(tmp_path / "pipe.json")],
        capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("Feil: kan ikke lese den publiserte rapporten")
    assert "ikke en vanlig fil" in result.stderr


# ---- D: an XLSX zip bomb is refused before it is read -----------------------------------------


def _bomb(path: Path, part: str) -> Path:
    """A valid invoice-run workbook whose ``part`` is padded to 65 MiB of blanks (a few kilobytes
    compressed)."""
    book = Workbook()
    sheet = book.active
    sheet.append(["invoice", "customer", "solution", "period", "amount"])
    sheet.append(["1", "Oslo kommune", "Kjernejournal", "2024", "1,00"])
    buffer = io.BytesIO()
    book.save(buffer)
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(path, "w") as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == part:
                content += b" " * (65 * 1024 * 1024)
            target.writestr(info.filename, content, compress_type=zipfile.ZIP_DEFLATED)
    return path


@pytest.mark.parametrize("part", ["xl/worksheets/sheet1.xml", "xl/styles.xml"])
def test_an_xlsx_zip_bomb_is_refused_before_reading(tmp_path: Path, part: str) -> None:
    bomb = _bomb(tmp_path / "run.xlsx", part)
    assert bomb.stat().st_size < 1024 * 1024
    result = run("import", bomb, "--output", tmp_path / "out.beancount")
    one_line_error(result, f"run.xlsx: XLSX-delen {part}: oppgir 6815")
    assert "grensen er 67108864 (avvist før lesing)" in result.stderr
    assert not (tmp_path / "out.beancount").exists()


# ---- B: the report cache ----------------------------------------------------------------------


def test_a_copied_and_edited_folder_gives_the_copys_figures(tmp_path: Path) -> None:
    original = books(tmp_path / "a")
    assert revenue(original) == "1010"
    shutil.copytree(tmp_path / "a", tmp_path / "b")  # the cache file is copied too
    copy = tmp_path / "b" / "books.beancount"
    same_stamp_edit(copy.parent / "sales.beancount", "1000.00", "2000.00")
    assert revenue(copy) == "2010"
    assert revenue(original) == "1010"


def test_a_copied_folder_is_not_served_the_originals_report(tmp_path: Path) -> None:
    original = books(tmp_path / "a")
    with (original.parent / "sales.beancount").open("a") as stream:
        stream.write('2024-07-01 * "Feil"\n  Assets:1920-Bank 1.00 NOK\n'
                     "  Income:9999-Nope -1.00 NOK\n")
    result = run("report", original, "--year", 2024)
    assert "feil i regnskapet: sales.beancount:4: " in result.stderr  # the ledger error's file
    cached = cache_path(original, 2024).read_bytes()
    assert f"{original.parent}/sales.beancount".encode() in cached
    shutil.copytree(tmp_path / "a", tmp_path / "b")
    copy = tmp_path / "b" / "books.beancount"
    result = run("report", copy, "--year", 2024)
    assert "feil i regnskapet: sales.beancount:4: " in result.stderr
    # the copy's report is its own, built afresh (the stderr names both from their folders)
    rebuilt = cache_path(copy, 2024).read_bytes()
    assert f"{copy.parent}/sales.beancount".encode() in rebuilt
    assert f"{original.parent}/sales.beancount".encode() not in rebuilt


def test_a_new_file_matching_a_glob_include_rebuilds(tmp_path: Path) -> None:
    ledger = books(tmp_path / "books")
    assert revenue(ledger) == "1010"
    (ledger.parent / "parts" / "p2.beancount").write_text(PART.format(n=2, amount="500.00"))
    assert revenue(ledger) == "1510"
    (ledger.parent / "parts" / "p2.beancount").unlink()
    assert revenue(ledger) == "1010"


def test_an_edit_that_keeps_size_and_time_rebuilds(tmp_path: Path) -> None:
    ledger = books(tmp_path / "books")
    assert revenue(ledger) == "1010"
    same_stamp_edit(ledger.parent / "parts" / "p1.beancount", "10.00", "90.00")
    assert revenue(ledger) == "1090"


def test_a_layout_edit_that_keeps_size_and_time_rebuilds(tmp_path: Path) -> None:
    ledger = books(tmp_path / "books")
    assert "| Tjenesteinntekter |" in run("report", ledger, "--year", 2024).stdout
    same_stamp_edit(ledger.parent / "layout.toml", '"Tjenesteinntekter"', '"Tjenesteinntektar"')
    assert "| Tjenesteinntektar |" in run("report", ledger, "--year", 2024).stdout


def test_a_published_report_edit_rebuilds(tmp_path: Path) -> None:
    ledger = books(tmp_path / "books")
    first = run("report", ledger, "--year", 2024, "--format", "json").stdout
    same_stamp_edit(ledger.parent / "published.json", '"2024": 1000}', '"2024": 9000}')
    second = run("report", ledger, "--year", 2024, "--format", "json").stdout
    assert first != second
    assert "9000" in second


@pytest.mark.parametrize("module", ["nhnfin", "beancount"])
def test_a_version_change_rebuilds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, builds: list[int], module: str
) -> None:
    ledger = books(tmp_path / "books")
    revenue(ledger)
    revenue(ledger)
    assert len(builds) == 1  # the second run was served from the cache
    monkeypatch.setattr(sys.modules[module], "__version__", "99.0.0")
    revenue(ledger)
    assert len(builds) == 2


def test_the_year_and_the_published_option_are_in_the_key(
    tmp_path: Path, builds: list[int]
) -> None:
    ledger = books(tmp_path / "books")
    (tmp_path / "other.json").write_text(PUBLISHED.replace("1000", "7"))
    revenue(ledger)
    revenue(ledger, "--published", tmp_path / "other.json")
    assert len(builds) == 2


class _Planted:
    """A pickle that touches ``marker`` when it is loaded."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[Path]]:
        return (Path.touch, (self.marker,))


def test_a_planted_pickle_is_never_executed(tmp_path: Path) -> None:
    ledger = books(tmp_path / "books")
    marker = tmp_path / "code-ran"
    cache_path(ledger, 2024).write_bytes(pickle.dumps(_Planted(marker)))
    assert revenue(ledger) == "1010"
    assert not marker.exists()


def test_a_forged_cache_is_not_trusted(tmp_path: Path) -> None:
    ledger = books(tmp_path / "books")
    assert revenue(ledger) == "1010"
    cache = cache_path(ledger, 2024)
    document = json.loads(cache.read_text())
    rows = document["report"]["statements"][0]["rows"]
    row = next(r for r in rows if r["key"] == "service_revenue")
    row["amounts"]["2024"] = "-999999.00"  # key untouched, figure forged
    cache.write_text(json.dumps(document))
    assert revenue(ledger) == "1010"


def test_another_users_cache_is_not_trusted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, builds: list[int]
) -> None:
    ledger = books(tmp_path / "books")
    revenue(ledger)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "other-user"))  # another signing key
    revenue(ledger)
    assert len(builds) == 2


def test_a_corrupt_cache_is_rebuilt_and_rewritten(tmp_path: Path) -> None:
    ledger = books(tmp_path / "books")
    revenue(ledger)
    cache = cache_path(ledger, 2024)
    cache.write_bytes(cache.read_bytes()[:100])
    assert revenue(ledger) == "1010"
    assert json.loads(cache.read_text())["format"] == "nhnfin-report-cache/4"


def test_a_cache_that_is_a_fifo_is_ignored(tmp_path: Path) -> None:
    ledger = books(tmp_path / "books")
    os.mkfifo(cache_path(ledger, 2024))
    result = subprocess.run([str(BIN / "nhnfin"), "report", str(ledger), "--year", "2024"],
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert "| Tjenesteinntekter |" in result.stdout


def test_the_cache_is_json_with_decimals_as_strings(tmp_path: Path) -> None:
    ledger = books(tmp_path / "books")
    revenue(ledger)
    text = cache_path(ledger, 2024).read_text("utf-8")
    document = json.loads(text)
    row = next(r for r in document["report"]["statements"][0]["rows"]
               if r["key"] == "service_revenue")
    assert row["amounts"] == {"2024": "1010.00", "2023": "0"}
    assert sorted(document["key"]["content"]["files"]) == sorted(
        str(ledger.parent / name) for name in (
            "books.beancount", "layout.toml", "parts/p1.beancount", "published.json",
            "sales.beancount"))
    no_temporary_files(ledger.parent)


def test_the_cached_bytes_read_back_as_the_built_report(example_report: Report) -> None:
    from nhnfin.report_cache import decode_report  # here: on a tree without it, this case fails
    from nhnfin.report_cache import encode_report

    text = encode_report(example_report)
    back = decode_report(text)  # as the cache does
    assert back == example_report
    assert repr(back) == repr(example_report)  # every Decimal with its exponent, every tuple
    row = example_report.statements[0].rows[0]
    assert json.loads(text)["statements"][0]["rows"][0]["amounts"]["2024"] == str(
        row.amounts["2024"])  # an amount is its exact decimal string


# A value of another type or shape than the dataclasses say is refused (the signature already
# refuses any file this user's nhnfin did not write; this is the reader's own check).
@pytest.mark.parametrize(("path", "value"), [
    (("statements", 0, "rows", 0, "amounts", "2024"), [1010]),  # not a decimal
    (("statements", 0, "rows", 0, "kind"), "sum"),  # not a kind
    (("statements", 0, "rows", 0), ["key"]),  # not a row
    (("statements", 0, "rows", 0, "key"), 7),  # a number for a text
    (("tieouts", 0, "status"), "ok"),  # not a status
    (("statements", 0, "rows", 0, "drill", "2024", "parts"), [[1]]),  # a part is (sign, drill)
    (("booked_to",), "31.12.2024"),  # not an ISO date
])
def test_a_cached_report_of_another_shape_is_refused(
    example_report: Report, path: tuple[object, ...], value: object
) -> None:
    import msgspec

    from nhnfin.report_cache import decode_report
    from nhnfin.report_cache import encode_report

    document = json.loads(encode_report(example_report))  # type: ignore[arg-type]
    held = document
    for step in path[:-1]:
        held = held[step]
    held[path[-1]] = value
    with pytest.raises(msgspec.ValidationError):
        decode_report(json.dumps(document).encode())


def test_a_cache_edited_in_its_report_bytes_is_not_trusted(
    tmp_path: Path, builds: list[int]
) -> None:
    ledger = books(tmp_path / "books")
    assert revenue(ledger) == "1010"
    cache = cache_path(ledger, 2024)
    content = cache.read_bytes()
    assert content.count(b'"1010.00"') >= 1
    cache.write_bytes(content.replace(b'"1010.00"', b'"9010.00"'))  # same shape, figure forged
    assert revenue(ledger) == "1010"
    assert len(builds) == 2


@pytest.fixture(scope="module")
def example_report() -> Report:
    return build_report(load(ROOT / "ledger" / "nhn.beancount"), 2024)


# ---- B and C: the ledger's documents --------------------------------------------------------

DOCUMENTS = """\
option "documents" "archive"
2024-03-01 document Assets:1920-Bank "letter.txt"
"""


def documented_books(folder: Path) -> Path:
    """The small ledger with a ``document`` directive (letter.txt) and a documents folder."""
    ledger = books(folder)
    ledger.write_text(BOOKS + DOCUMENTS)
    (folder / "letter.txt").write_text("the bank's letter\n")
    (folder / "archive" / "Assets" / "1920-Bank").mkdir(parents=True)
    return ledger


def test_a_deleted_document_is_a_changed_input(tmp_path: Path, builds: list[int]) -> None:
    """A missing document is an error in the ledger, so the report depends on whether it exists:
    main served the cached report (no error) after letter.txt was deleted."""
    ledger = documented_books(tmp_path / "books")
    result = run("report", ledger, "--year", 2024, "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert "does not exist" not in result.stderr
    (tmp_path / "books" / "letter.txt").unlink()
    result = run("report", ledger, "--year", 2024, "--format", "json")
    assert 'File does not exist: "letter.txt"' in result.stderr
    assert len(builds) == 2


def test_a_new_file_in_the_documents_folder_is_a_changed_input(
    tmp_path: Path, builds: list[int]
) -> None:
    """A file put in the ``option "documents"`` folder is a ``document`` of the ledger (here of a
    day before the account opened: an error): main served the cached report without it."""
    ledger = documented_books(tmp_path / "books")
    assert run("report", ledger, "--year", 2024, "--format", "json").exit_code == 0
    found = tmp_path / "books" / "archive" / "Assets" / "1920-Bank" / "2019-01-02.statement.txt"
    found.write_text("an old statement\n")
    result = run("report", ledger, "--year", 2024, "--format", "json")
    assert "inactive account" in result.stderr, result.stderr
    assert len(builds) == 2


@pytest.mark.parametrize("command", [
    ("report", "{d}/books.beancount", "--year", "2024"),
    ("saft", "{d}/books.beancount", "--year", "2024", "--force"),
    ("grant-usage", "{d}/books.beancount", "--year", "2024"),
])
@pytest.mark.parametrize(("target", "fragment"), [
    ("{d}/letter.txt", "skriver ikke over"),
    ("{d}/archive/Assets/1920-Bank/2024-12-31.report.md", "dokumentmappen"),
])
def test_no_command_writes_onto_a_document_or_into_the_documents_search(
    tmp_path: Path, command: tuple[str, ...], target: str, fragment: str
) -> None:
    """A document the ledger names is read by it (its existence) and kept beside it: main wrote
    the report over letter.txt; a new ``YYYY-MM-DD.name`` under an account's folder of the
    documents folder would become a document of the ledger."""
    folder = tmp_path / "books"
    documented_books(folder)
    before = snapshot(folder)
    result = run(*(a.replace("{d}", str(folder)) for a in command),
                 "--output", target.replace("{d}", str(folder)))
    one_line_error(result, fragment)
    assert snapshot(folder) == before
    no_temporary_files(folder)


def test_a_report_beside_the_documents_folder_is_written(tmp_path: Path) -> None:
    """Only a name the documents search would take is refused: not a file elsewhere in it."""
    folder = tmp_path / "books"
    ledger = documented_books(folder)
    target = folder / "archive" / "report.md"
    result = run("report", ledger, "--year", 2024, "--output", target)
    assert result.exit_code == 0, result.stderr
    assert target.read_text().startswith("# ")


# ---- C: a symbolic link as --output ----------------------------------------------------------


def test_a_symbolic_link_is_written_through(tmp_path: Path) -> None:
    """--output a link: the file it names gets the report and the link stays a link (main
    replaced the link by a file, and the file it named kept the old report)."""
    ledger = books(tmp_path / "books")
    real = tmp_path / "reports" / "2024.md"
    real.parent.mkdir()
    real.write_text("the old report\n")
    link = tmp_path / "latest.md"
    link.symlink_to(real)
    result = run("report", ledger, "--year", 2024, "--no-cache", "--output", link)
    assert result.exit_code == 0, result.stderr
    assert link.is_symlink()
    assert os.readlink(link) == str(real)
    assert real.read_text().startswith("# ")
    no_temporary_files(tmp_path)


def test_a_symbolic_link_into_the_include_pattern_is_refused(tmp_path: Path) -> None:
    """A link naming a new file that ``include "parts/*.beancount"`` would load is refused, as
    that file is."""
    folder = tmp_path / "books"
    ledger = books(folder)
    link = tmp_path / "report.md"
    link.symlink_to(folder / "parts" / "report.beancount")
    before = snapshot(folder)
    result = run("report", ledger, "--year", 2024, "--no-cache", "--output", link)
    one_line_error(result, "regnskapet tar med")
    assert snapshot(folder) == before
    assert link.is_symlink()


# ---- C: the caches' signing key is written atomically ---------------------------------------


def test_a_key_file_an_interrupted_run_left_short_is_replaced(tmp_path: Path) -> None:
    """main created the key file, then wrote the key into it: a run interrupted in between left
    an empty key file, and no report was ever cached again (signing_key() was None for good).
    Now the key is written atomically, and a key file of the wrong length is replaced."""
    from nhnfin.report_cache import key_path
    from nhnfin.report_cache import signing_key

    key = key_path()
    key.parent.mkdir(parents=True, exist_ok=True)
    key.write_bytes(b"")
    made = signing_key()
    assert made is not None
    assert len(made) == 32
    assert key.read_bytes() == made
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert signing_key() == made
    no_temporary_files(key.parent)


def test_a_key_that_cannot_be_written_leaves_no_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A full disk while the key is written: no key file (not a short one), nothing cached."""
    from nhnfin.report_cache import key_path
    from nhnfin.report_cache import signing_key

    write_chunk = nhnfin.files.write_chunk
    monkeypatch.setattr(nhnfin.files, "write_chunk", disk_full(after=5))
    assert signing_key() is None
    assert not key_path().exists()
    no_temporary_files(key_path().parent)
    monkeypatch.setattr(nhnfin.files, "write_chunk", write_chunk)
    assert signing_key() is not None


# ---- B: an edit while the report is built is not cached under the new content ---------------


@pytest.mark.parametrize("keep_stamp", [False, True])
def test_an_edit_during_the_build_is_not_cached_as_the_new_content(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, keep_stamp: bool
) -> None:
    """The controller saves an included file while a long report is being built: main digested
    the inputs after the build, so the cache held the figures of the old content under the key of
    the new one, and every later report served 1010 for a ledger whose revenue is 2010. Now the
    cache is written only when the inputs are as they were when the ledger was loaded."""
    ledger = books(tmp_path / "books")
    sales = tmp_path / "books" / "sales.beancount"

    def build_then_edit(*args: object, **kwargs: object) -> object:
        report = build_report(*args, **kwargs)  # type: ignore[arg-type]
        if keep_stamp:
            same_stamp_edit(sales, "1000.00", "2000.00")
        else:
            sales.write_text(SALES.replace("1000.00", "2000.00"))
        return report

    monkeypatch.setattr("nhnfin.report.build_report", build_then_edit)
    assert revenue(ledger) == "1010"  # the figures of the content loaded
    monkeypatch.setattr("nhnfin.report.build_report", build_report)
    assert revenue(ledger) == "2010"


def test_an_edit_right_after_the_load_is_not_cached_as_the_new_content(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Saved after Beancount read the file but before nhnfin digests it, keeping its size and
    modification time: its status-change time is after the load began, so nothing is cached."""
    import nhnfin.cli.common

    ledger = books(tmp_path / "books")
    sales = tmp_path / "books" / "sales.beancount"
    load_ledger = nhnfin.cli.common.load_ledger

    def load_then_edit(path: Path) -> object:
        loaded = load_ledger(path)
        same_stamp_edit(sales, "1000.00", "2000.00")
        return loaded

    monkeypatch.setattr(nhnfin.cli.common, "load_ledger", load_then_edit)
    assert revenue(ledger) == "1010"
    monkeypatch.setattr(nhnfin.cli.common, "load_ledger", load_ledger)
    assert revenue(ledger) == "2010"
