"""A written report names no machine's absolute paths: the files its findings, ledger errors
and tie-outs name are given from the ledger's folder, in every format ``nhnfin report``
writes and Fava downloads; the built report keeps them whole (Fava's pages link to the editor
with them). Before, a controller's home folder was printed in the annual report."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from nhnfin.cli.main import main
from nhnfin.ledger import load
from nhnfin.model import as_filed
from nhnfin.report import build_report
from tests.bad_input.test_cli import OVERSPENT

UNBALANCED = (b'2024-06-01 * "Ubalansert"\n  Assets:1920-Bank 10.00 NOK\n'
              b"  Expenses:6300-Rent -9.00 NOK\n")


def books(tmp_path: Path) -> Path:
    folder = tmp_path / "regnskap"
    folder.mkdir()
    path = folder / "books.beancount"
    path.write_bytes(OVERSPENT + UNBALANCED)
    return path


def test_every_written_format_names_files_from_the_ledgers_folder(tmp_path: Path) -> None:
    path = books(tmp_path)
    for fmt in ("md", "html", "csv", "json"):
        out = tmp_path / f"rapport.{fmt}"
        result = CliRunner().invoke(main, ["report", str(path), "--year", "2024", "--format",
                                           fmt, "--output", str(out), "--no-cache"])
        assert out.is_file(), result.output
        text = out.read_text("utf-8")
        assert str(tmp_path) not in text, fmt
        assert "books.beancount:13" in text, fmt  # the overspent grant's finding
    report = json.loads((tmp_path / "rapport.json").read_text("utf-8"))
    assert [f["location"] for f in report["findings"]] == ["books.beancount:13"]
    assert any(e.startswith("books.beancount:") for e in report["ledger_errors"])


def test_the_built_report_keeps_whole_paths_and_outside_files_keep_theirs(
        tmp_path: Path) -> None:
    path = books(tmp_path)
    built = build_report(load(path), 2024)
    assert built.findings[0].filename == str(path)
    filed = as_filed(built, path.parent)
    assert filed.findings[0].filename == "books.beancount"
    assert filed.statements == built.statements
    assert filed.notes == built.notes
    # a folder that is only the start of another folder's name takes nothing off
    other = as_filed(built, tmp_path / "regn")
    assert other.findings[0].filename == str(path)
    # a path that merely contains the folder's path inside it is not cut
    moved = tmp_path / "x" / path.parent.relative_to("/")
    assert as_filed(built, moved).findings[0].filename == str(path)


def test_favas_downloads_name_files_from_the_ledgers_folder(tmp_path: Path) -> None:
    from tests.fava.conftest import EXTENSION
    from tests.fava.conftest import fava_app
    from tests.fava.conftest import slug

    path = books(tmp_path)
    path.write_bytes(path.read_bytes() + b'2024-01-01 custom "fava-extension" "nhnfin.fava_ext"\n')
    app = fava_app(path)
    for fmt in ("csv", "json"):
        response = app.test_client().get(f"/{slug(app)}/extension/{EXTENSION}/{fmt}?time=2024")
        assert response.status_code == 200
        text = response.get_data(as_text=True)
        assert str(tmp_path) not in text, fmt
        assert "books.beancount:13" in text, fmt
