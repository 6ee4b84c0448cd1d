"""A syntax error in a file the ledger names for nhnfin (the notes file, the layout, a published
report) is an error at the directive that names the file, with the file and its line in the
message (the line the parser gives), said once, whichever checks read the file. Before, a
broken notes file was an error at ``<nhnfin.note_accounts>:0`` (and once more at the first
``nhnfin-note-data`` directive), or no error at all when no check of note accounts ran, and the
layout's and the published report's syntax errors named no line."""

from __future__ import annotations

from pathlib import Path

from beancount import loader
from click.testing import CliRunner

from nhnfin.cli.main import main as cli

ACCOUNTS = Path(__file__).resolve().parents[2] / "ledger" / "accounts.beancount"
HEAD = f'option "operating_currency" "NOK"\nplugin "nhnfin"\ninclude "{ACCOUNTS}"\n'
BODY = ('2024-01-02 * "Innskudd"\n  Assets:1920-Bank  10.00 NOK\n'
        '  Equity:2000-ContributedCapital\n')
NOTES = "[[notes]]\nnumber = '1'\ntitle = = 'x'\n\n[[notes]]\nnumber = '2'\n"  # line 3, column 9


def errors(tmp_path: Path, body: str, files: dict[str, str]) -> list[tuple[int, str]]:
    """The ledger's errors as (line, message), the folder written as ``{d}``."""
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    path = tmp_path / "books.beancount"
    path.write_text(HEAD + body + BODY, encoding="utf-8")
    _entries, found, _options = loader.load_file(str(path))
    return [(e.source["lineno"] if e.source["filename"] == str(path) else -1,
             e.message.replace(str(tmp_path), "{d}")) for e in found]


def test_a_notes_file_that_is_not_toml_is_an_error_at_its_directive(tmp_path: Path) -> None:
    body = '2024-01-01 custom "nhnfin-notes" "notes.toml"\n'
    assert errors(tmp_path, body, {"notes.toml": NOTES}) == [
        (4, "{d}/notes.toml:3: ikke gyldig TOML: Invalid value (kolonne 9)")]


def test_the_notes_files_error_is_said_once_whichever_checks_read_it(tmp_path: Path) -> None:
    body = ('2024-01-01 custom "nhnfin-note-accounts" "1" "x"\n'
            '2024-01-01 custom "nhnfin-note-data" "x" "y"\n'
            '2024-01-01 custom "nhnfin-notes" "notes.toml"\n')
    assert errors(tmp_path, body, {"notes.toml": NOTES}) == [
        (6, "{d}/notes.toml:3: ikke gyldig TOML: Invalid value (kolonne 9)")]


def test_a_layout_cut_off_names_its_last_line(tmp_path: Path) -> None:
    body = '2024-01-01 custom "nhnfin-layout" "layout.toml"\n'
    found = errors(tmp_path, body, {"layout.toml": "name = 'x'\nstatements = [\n"})
    assert found[0] == (4, "layouten {d}/layout.toml:2 er ikke gyldig TOML: Invalid value "
                           "(ved slutten av filen)")


def test_a_published_report_that_is_not_json_is_an_error_at_its_line(tmp_path: Path) -> None:
    body = '2024-01-01 custom "nhnfin-published" "pub.json"\n'
    (tmp_path / "pub.json").write_text('{"statements": {},\n "notes": }\n', encoding="utf-8")
    assert errors(tmp_path, body, {}) == []
    result = CliRunner().invoke(cli, ["report", str(tmp_path / "books.beancount"), "--year",
                                      "2024", "--no-cache"])
    assert result.exit_code == 1
    assert result.stderr.replace(str(tmp_path), "{d}") == (
        "Feil: kan ikke lese den publiserte rapporten {d}/pub.json:2: ikke gyldig JSON: "
        "Expecting value (kolonne 11)\n")
