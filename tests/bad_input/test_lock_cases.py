"""Bad input to the period lock (issue 15 parts A, D and E): each case is a literal ledger, lock
directive, lock record or command line, and the exact error it must give and where.

Three tables:

- :data:`DIRECTIVE_CASES`: a small ledger and a lock directive written by hand (digests that are
  well-formed but need not match); the error must be at the lock directive's line.
- :data:`CLOSED_CASES`: the small ledger closed by ``nhnfin close``, then one literal change to a
  file; the error must be at the lock directive of the close file (bean-check), or be the refusal
  of ``nhnfin report``.
- :data:`CLI_CASES`: ``nhnfin close`` and ``nhnfin report`` refusals: exit 1, one-line error,
  nothing written.

``{dir}`` in an expected message stands for the case's folder. None of the cases may hang (a FIFO
or a device is never read), read a huge file into memory or end in a traceback.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path

import pytest
from click.testing import CliRunner

from nhnfin.cli.close import close_cmd
from nhnfin.cli.main import main as cli
from nhnfin.ledger import load
from nhnfin.report import build_report

H = "0" * 64  # a well-formed digest that matches nothing
BOOKS = """option "title" "Testforetaket AS"
option "operating_currency" "NOK"
plugin "nhnfin"
2019-12-31 open Assets:1920-Bank NOK
2019-12-31 open Equity:2000-ContributedCapital NOK
2019-12-31 open Equity:2050-OtherEquity NOK
2019-12-31 open Equity:8960-TransferToOtherEquity NOK
2019-12-31 open Income:3400-GrantIncome NOK
2023-12-31 * "Innskutt kapital"
  Assets:1920-Bank                 1000.00 NOK
  Equity:2000-ContributedCapital  -1000.00 NOK
2024-03-01 * "Tilskudd"
  Assets:1920-Bank                  300.00 NOK
  Income:3400-GrantIncome          -300.00 NOK
"""
LOCK_LINE = BOOKS.count("\n") + 1  # the hand-written lock directive follows the books
CHANGED = (
    "locked period up to 2024-12-31 has changed since the lock: its record {dir}/none.json cannot "
    "be read (No such file or directory), so the entry cannot be named; post corrections as new "
    "entries dated after 2024-12-31"
)
NOT_CHECKED = "locked period up to 2024-12-31 is not checked: "
OLD_LOCK = (
    'custom "nhnfin-lock" has no files: and figures: digests (a lock written before '
    "nhnfin-lock/2, which left out generated entries, the layout and the figures): reopen the "
    "year and close it again (docs/year-end-close.md)"
)
NOT_A_DIGEST = (
    'custom "nhnfin-lock" takes one string: the SHA-256 (64 lowercase hex digits) of the locked '
    "entries, as written by nhnfin close"
)
AFTER = (
    "the lock's after: must be the date of the lock before it (earlier than its own date), with "
    "after-digest: that lock's SHA-256"
)


def lock(value: str = f'"{H}"', meta: str = "") -> str:
    """A lock directive for 2024 with the given value and extra meta lines."""
    return (f'2024-12-31 custom "nhnfin-lock" {value}\n  files: "{H}"\n  figures: "{H}"\n'
            f"{meta}")


def record_lock(target: str) -> str:
    return lock(meta=f'  digests: "{target}"\n')


@dataclass(frozen=True)
class DirectiveCase:
    """``text`` appended to BOOKS (after ``plugins`` replaces its plugin line); ``setup`` makes
    files in the folder first; ``message`` must be among the errors at the lock directive's line
    (or at ``filename``, line 0, for a pseudo-file)."""

    id: str
    text: str
    message: str
    plugins: str = 'plugin "nhnfin"\n'
    setup: Callable[[Path], None] | None = None
    filename: str | None = None  # None: the case file


def _fifo(folder: Path) -> None:
    os.mkfifo(folder / "record.json")


def _directory(folder: Path) -> None:
    (folder / "record.json").mkdir()


def _huge(folder: Path) -> None:
    with (folder / "record.json").open("wb") as stream:
        stream.truncate(2**26 + 1)  # sparse: no disk used


def _zero_link(folder: Path) -> None:
    (folder / "record.json").symlink_to("/dev/zero")


def _socket(folder: Path) -> None:
    import socket

    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(folder / "record.json"))


REFUSED = "locked period up to 2024-12-31: its record {dir}/record.json is refused: "

DIRECTIVE_CASES = [
    DirectiveCase("value-not-hex", lock('"abc"'), NOT_A_DIGEST),
    DirectiveCase("value-uppercase-hex", lock('"' + "A" * 64 + '"'), NOT_A_DIGEST),
    DirectiveCase("value-twice", lock(f'"{H}" "{H}"'), NOT_A_DIGEST),
    DirectiveCase("value-a-number", lock("12"), NOT_A_DIGEST),
    DirectiveCase("value-63-digits", lock('"' + "0" * 63 + '"'), NOT_A_DIGEST),
    DirectiveCase("lock-of-format-1", f'2024-12-31 custom "nhnfin-lock" "{H}"\n  entries: 3\n',
                  OLD_LOCK),
    DirectiveCase("files-not-hex", f'2024-12-31 custom "nhnfin-lock" "{H}"\n  files: "xyz"\n'
                  f'  figures: "{H}"\n', OLD_LOCK),
    DirectiveCase("figures-a-number", f'2024-12-31 custom "nhnfin-lock" "{H}"\n  files: "{H}"\n'
                  "  figures: 7\n", OLD_LOCK),
    DirectiveCase("digests-a-number", lock(meta="  digests: 12\n"),
                  "the lock's digests: must be a string: the path of its record file"),
    DirectiveCase("digests-empty", lock(meta='  digests: ""\n'),
                  "the lock's digests: must be a string: the path of its record file"),
    DirectiveCase("after-its-own-date", lock(meta=f'  after: 2025-01-01\n  after-digest: "{H}"\n'),
                  AFTER),
    DirectiveCase("after-without-digest", lock(meta="  after: 2023-12-31\n"), AFTER),
    DirectiveCase("after-a-text", lock(meta=f'  after: "2023"\n  after-digest: "{H}"\n'), AFTER),
    DirectiveCase("after-a-missing-lock",
                  lock(meta=f'  after: 2023-12-31\n  after-digest: "{H}"\n'),
                  "locked period up to 2024-12-31 follows the lock up to 2023-12-31, which is no "
                  "longer in the ledger as it was locked; restore it (its close file and record)"),
    DirectiveCase("record-dev-zero", record_lock("/dev/zero"),
                  "locked period up to 2024-12-31: its record /dev/zero is refused: not a regular "
                  "file (a character device)"),
    DirectiveCase("record-dev-null", record_lock("/dev/null"),
                  "locked period up to 2024-12-31: its record /dev/null is refused: not a regular "
                  "file (a character device)"),
    DirectiveCase("record-link-to-dev-zero", record_lock("record.json"),
                  REFUSED + "not a regular file (a character device)", setup=_zero_link),
    DirectiveCase("record-fifo", record_lock("record.json"),
                  REFUSED + "not a regular file (a FIFO)", setup=_fifo),
    DirectiveCase("record-directory", record_lock("record.json"),
                  REFUSED + "not a regular file (a directory)", setup=_directory),
    DirectiveCase("record-socket", record_lock("record.json"),
                  REFUSED + "not a regular file (a socket)", setup=_socket),
    DirectiveCase("record-huge", record_lock("record.json"),
                  REFUSED + f"{2**26 + 1} bytes, more than the limit of {2**26} bytes",
                  setup=_huge),
    DirectiveCase("record-missing-and-books-differ", record_lock("none.json"), CHANGED),
    DirectiveCase("plugin-after-the-check", record_lock("none.json"),
                  NOT_CHECKED + 'plugin "beancount.plugins.auto_accounts" comes after the lock '
                  'check (plugin "nhnfin"), so what it adds is never checked: list the lock check '
                  "last", plugins='plugin "nhnfin"\nplugin "beancount.plugins.auto_accounts"\n'),
    DirectiveCase("lock-plugin-not-last", record_lock("none.json"),
                  NOT_CHECKED + 'plugin "nhnfin.mapping" comes after the lock check (plugin '
                  '"nhnfin.close.period_lock"), so what it adds is never checked: list the lock '
                  "check last",
                  plugins='plugin "nhnfin.close.period_lock"\nplugin "nhnfin.mapping"\n'),
    DirectiveCase("per-rule-lines-without-the-check", record_lock("none.json"),
                  NOT_CHECKED + 'no plugin line runs the lock check: add plugin "nhnfin" (or '
                  'plugin "nhnfin.close.period_lock" as the last plugin line)',
                  plugins='plugin "nhnfin.grants"\nplugin "nhnfin.mapping"\n'),
    DirectiveCase("lock-plugin-with-a-config", record_lock("none.json"),
                  "nhnfin.close.period_lock takes no config string, got \"{{'strict': False}}\"",
                  plugins='plugin "nhnfin.mapping"\n'
                          "plugin \"nhnfin.close.period_lock\" \"{'strict': False}\"\n",
                  filename="<nhnfin.close.period_lock>"),
]


@pytest.mark.parametrize("case", DIRECTIVE_CASES, ids=lambda c: c.id)
def test_lock_directive_case(case: DirectiveCase, tmp_path: Path) -> None:
    if case.setup is not None:
        case.setup(tmp_path)
    path = tmp_path / "books.beancount"
    path.write_text(BOOKS.replace('plugin "nhnfin"\n', case.plugins) + case.text,
                    encoding="utf-8")
    errors = load(path).errors
    assert not [e for e in errors if "Traceback" in e.message]
    text = path.read_text(encoding="utf-8")
    lock_line = text[: text.index('custom "nhnfin-lock"')].count("\n") + 1
    filename, line = (case.filename, 0) if case.filename else (str(path), lock_line)
    at_line = [e.message for e in errors
               if e.source.get("filename") == filename and e.source.get("lineno") == line]
    assert case.message.format(dir=tmp_path) in at_line, [e.message for e in errors]


# -------------------------------------------------------------------------------------------------
# The small ledger closed for real, then changed.

CLOSE_LINE = 10  # the lock directive in close-2024.beancount (after the header and the transfer)
RECORD = "locks/2024-12-31.json"


@dataclass(frozen=True)
class ClosedCase:
    """``change(folder)`` edits the closed ledger; ``message`` is the error at the lock
    (bean-check) or, with ``by_report``, a line of ``nhnfin report``'s refusal."""

    id: str
    change: Callable[[Path], None]
    message: str
    by_report: bool = False
    extra: dict[str, str] = field(default_factory=dict)


def _replace(name: str, old: str, new: str, count: int = -1) -> Callable[[Path], None]:
    def change(folder: Path) -> None:
        path = folder / name
        text = path.read_text(encoding="utf-8")
        assert old in text, (name, old)
        path.write_text(text.replace(old, new, count), encoding="utf-8")

    return change


def _write(name: str, content: bytes) -> Callable[[Path], None]:
    def change(folder: Path) -> None:
        (folder / name).write_bytes(content)

    return change


def _both(*changes: Callable[[Path], None]) -> Callable[[Path], None]:
    def change(folder: Path) -> None:
        for one in changes:
            one(folder)

    return change


def _delete(name: str) -> Callable[[Path], None]:
    def change(folder: Path) -> None:
        (folder / name).unlink()

    return change


def _first_entry_digest(folder: Path) -> str:
    text = (folder / RECORD).read_text(encoding="utf-8")
    return text.split('"entries": [')[1].split('"sha256": "')[1][:64]


def _alter_entry_digest(folder: Path) -> None:
    digest = _first_entry_digest(folder)
    _replace(RECORD, digest, digest[::-1], 1)(folder)


def _alter_directive(meta: str) -> Callable[[Path], None]:
    def change(folder: Path) -> None:
        path = folder / "close-2024.beancount"
        text = path.read_text(encoding="utf-8")
        start = text.index(f'  {meta}: "') + len(f'  {meta}: "')
        digit = text[start]
        path.write_text(text[:start] + ("1" if digit != "1" else "2") + text[start + 1:],
                        encoding="utf-8")

    return change


AMOUNT = _replace("books.beancount", "300.00 NOK", "301.00 NOK")
PREFIX = "locked period up to 2024-12-31 has changed since the lock: "
HINT = "; post corrections as new entries dated after 2024-12-31"
UNNAMED = (f"{PREFIX}its record {{dir}}/{RECORD} cannot be read ({{why}}), so the entry cannot "
           f"be named{HINT}")

CLOSED_CASES = [
    ClosedCase("record-not-json", _both(_write(RECORD, b"{nope"), AMOUNT),
               UNNAMED.replace("{why}", "not JSON: Expecting property name enclosed in double "
                               "quotes at line 1")),
    ClosedCase("record-other-format", _both(_write(RECORD, b'{"format": "nhnfin-lock/1"}'),
                                            AMOUNT),
               UNNAMED.replace("{why}", "not an nhnfin-lock/2 file")),
    ClosedCase("record-a-list", _both(_write(RECORD, b"[1, 2]"), AMOUNT),
               UNNAMED.replace("{why}", "not an nhnfin-lock/2 file")),
    ClosedCase("record-latin-1", _both(_write(RECORD, b'{"format": "l\xe5s"}'), AMOUNT),
               UNNAMED.replace("{why}", "not UTF-8 text at byte 13")),
    ClosedCase("record-without-entries",
               _both(_write(RECORD, b'{"format": "nhnfin-lock/2", "lock-date": "2024-12-31"}'),
                     AMOUNT),
               UNNAMED.replace("{why}", "malformed record: KeyError('digest')")),
    ClosedCase("record-deleted-and-books-changed", _both(_delete(RECORD), AMOUNT),
               UNNAMED.replace("{why}", "No such file or directory")),
    ClosedCase("record-entry-altered-and-books-changed", _both(_alter_entry_digest, AMOUNT),
               f"{PREFIX}its record {{dir}}/{RECORD} was altered after the lock (its entries no "
               f"longer add up to its digest), so the entry cannot be named{HINT}"),
    ClosedCase("record-entry-altered-books-not", _alter_entry_digest,
               f"{{dir}}/close-2024.beancount:{CLOSE_LINE}: låst periode til og med 2024-12-31: "
               f"låsens fil {{dir}}/{RECORD} er endret etter låsen (postene i den stemmer ikke "
               "med dens sjekksum); bøkene er uendret", by_report=True),
    ClosedCase("directive-files-digest-altered", _alter_directive("files"),
               f"{PREFIX}the lock directive's files: digest at {{dir}}/close-2024.beancount:"
               f"{CLOSE_LINE} was altered: the files match its record {{dir}}/{RECORD}; the "
               "locked figures are read from it"),
    ClosedCase("directive-figures-digest-altered", _alter_directive("figures"),
               f"{{dir}}/close-2024.beancount:{CLOSE_LINE}: låst periode til og med 2024-12-31 er "
               f"endret: låsens figures:-sjekksum ved {{dir}}/close-2024.beancount:{CLOSE_LINE} er "
               f"endret; tallene stemmer med låsens fil {{dir}}/{RECORD}", by_report=True),
    ClosedCase("transfer-in-the-close-file-edited",
               _replace("close-2024.beancount", "300.00 NOK", "299.00 NOK"),
               f"{PREFIX}the entry at {{dir}}/close-2024.beancount:5 (2024-12-31 transaction "
               '"Testforetaket AS Årsoppgjør 2024: årsresultat overført til annen egenkapital" '
               "(299.00 NOK)) was changed (locked version: 2024-12-31 transaction \"Testforetaket "
               'AS Årsoppgjør 2024: årsresultat overført til annen egenkapital" (300.00 NOK), at '
               f"close-2024.beancount:5 when locked); 2 differences in all (1 entry the lock "
               f"does not have, 1 entry of the lock the books no longer have){HINT}"),
    ClosedCase("open-dated-in-the-locked-year",
               _replace("books.beancount", "2023-12-31 *",
                        "2024-06-01 open Assets:1900-Cash NOK\n2023-12-31 *"),
               f"{PREFIX}the entry at {{dir}}/books.beancount:9 (2024-06-01 open Assets:1900-Cash)"
               f" was inserted after the lock; 1 difference in all{HINT}"),
    ClosedCase("layout-named-later-is-missing",
               _replace("books.beancount", "2023-12-31 *",
                        '2025-01-01 custom "nhnfin-layout" "layout.toml"\n2023-12-31 *'),
               f"{PREFIX}the layout file layout.toml (named at books.beancount:9) cannot be read "
               "(No such file or directory); the locked figures are read from it"),
    ClosedCase("layout-named-later-is-a-fifo",
               _both(lambda folder: os.mkfifo(folder / "layout.toml"),
                     _replace("books.beancount", "2023-12-31 *",
                              '2025-01-01 custom "nhnfin-layout" "layout.toml"\n2023-12-31 *')),
               f"{PREFIX}the layout file layout.toml (named at books.beancount:9) cannot be read "
               "(not a regular file (a FIFO)); the locked figures are read from it"),
]


@pytest.fixture(scope="module")
def closed_books(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """BOOKS closed for 2024 by ``nhnfin close`` (once), the close file included."""
    folder = tmp_path_factory.mktemp("closed-books")
    main = folder / "books.beancount"
    main.write_text(BOOKS, encoding="utf-8")
    result = CliRunner().invoke(close_cmd, [str(main), "--year", "2024", "--locked-by", "kari",
                                            "--waive", "reconciliation"])
    assert result.exit_code == 0, result.output
    main.write_text(BOOKS + 'include "close-2024.beancount"\n', encoding="utf-8")
    assert load(main).errors == []
    return folder


def _copy(source: Path, target: Path) -> Path:
    import shutil

    shutil.copytree(source, target)
    return target


@pytest.mark.parametrize("case", CLOSED_CASES, ids=lambda c: c.id)
def test_closed_ledger_case(case: ClosedCase, closed_books: Path, tmp_path: Path) -> None:
    folder = _copy(closed_books, tmp_path / "books")
    case.change(folder)
    main = folder / "books.beancount"
    expected = case.message.format(dir=folder)
    if case.by_report:
        from nhnfin.close.figures import lock_problems  # new in issue 15

        ledger = load(main)
        assert ledger.errors == []

        def build(year: int) -> object:
            return build_report(ledger, year)

        assert expected in lock_problems(ledger, build)  # type: ignore[arg-type]
        result = CliRunner().invoke(cli, ["report", str(main), "--year", "2024", "--no-cache"])
        assert result.exit_code == 1
        assert f"feil: {expected}\n" in result.output
        return
    errors = load(main).errors
    assert not [e for e in errors if "Traceback" in e.message]
    at_lock = [e.message for e in errors
               if e.source.get("filename") == str(folder / "close-2024.beancount")
               and e.source.get("lineno") == CLOSE_LINE]
    assert expected in at_lock, [e.message for e in errors]


# -------------------------------------------------------------------------------------------------
# Commands that must refuse.

@dataclass(frozen=True)
class CliCase:
    """``books`` written as books.beancount; ``args`` after the ledger; the one-line error."""

    id: str
    books: str
    args: tuple[str, ...]
    message: str
    command: str = "close"


NO_CHECK = BOOKS.replace('plugin "nhnfin"\n', 'plugin "nhnfin.mapping"\n')
AUTO_AFTER = BOOKS.replace('plugin "nhnfin"\n',
                           'plugin "nhnfin"\nplugin "beancount.plugins.auto_accounts"\n')
RAW = BOOKS.replace('plugin "nhnfin"\n', 'plugin "nhnfin"\noption "plugin_processing_mode" "raw"\n')
CLOSE = ("close", "--year", "2024", "--waive", "reconciliation")

CLI_CASES = [
    CliCase("close-without-lock-check", NO_CHECK, CLOSE,
            "Error: {dir}/books.beancount: låsen ville ikke bli kontrollert: no plugin line runs "
            'the lock check: add plugin "nhnfin" (or plugin "nhnfin.close.period_lock" as the '
            "last plugin line)"),
    CliCase("close-with-a-plugin-after-the-check", AUTO_AFTER, CLOSE,
            "Error: {dir}/books.beancount: låsen ville ikke bli kontrollert: plugin "
            '"beancount.plugins.auto_accounts" comes after the lock check (plugin "nhnfin"), so '
            "what it adds is never checked: list the lock check last"),
    CliCase("close-in-raw-mode", RAW, CLOSE,
            "Error: {dir}/books.beancount: låsen ville ikke bli kontrollert: option "
            '"plugin_processing_mode" is "raw", so no plugin runs, the lock check neither'),
    CliCase("close-locked-by-with-a-newline", BOOKS, (*CLOSE, "--locked-by", "Ola\nNordmann"),
            "Error: --locked-by 'Ola\\nNordmann' inneholder et kontrolltegn ('\\n') og kan ikke "
            "skrives i en Beancount-fil"),
    CliCase("report-raw-mode-with-a-lock", RAW + record_lock("none.json"),
            ("report", "--year", "2024", "--no-cache"),
            f"feil: {{dir}}/books.beancount:{LOCK_LINE + 1}: låst periode til og med 2024-12-31 "
            'kontrolleres ikke: option "plugin_processing_mode" is "raw", so no plugin runs, the '
            "lock check neither", command="report"),
    CliCase("report-without-lock-check", NO_CHECK + record_lock("none.json"),
            ("report", "--year", "2024", "--no-cache"),
            f"feil: {{dir}}/books.beancount:{LOCK_LINE}: locked period up to 2024-12-31 is not "
            'checked: no plugin line runs the lock check: add plugin "nhnfin" (or plugin '
            '"nhnfin.close.period_lock" as the last plugin line)', command="report"),
]


@pytest.mark.parametrize("case", CLI_CASES, ids=lambda c: c.id)
def test_cli_case(case: CliCase, tmp_path: Path) -> None:
    main = tmp_path / "books.beancount"
    main.write_text(case.books, encoding="utf-8")
    before = sorted(p.name for p in tmp_path.iterdir())
    args = [case.args[0], str(main), *case.args[1:]]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert case.message.format(dir=tmp_path) in result.output.splitlines(), result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # nothing written


def test_a_quote_in_locked_by_is_escaped_and_the_close_file_parses(tmp_path: Path) -> None:
    main = tmp_path / "books.beancount"
    main.write_text(BOOKS, encoding="utf-8")
    result = CliRunner().invoke(cli, [*CLOSE[:1], str(main), *CLOSE[1:], "--locked-by",
                                      'Ola "O" Nordmann'])
    assert result.exit_code == 0, result.output
    main.write_text(BOOKS + 'include "close-2024.beancount"\n', encoding="utf-8")
    ledger = load(main)
    assert ledger.errors == []
    [lock] = [e for e in ledger.entries if getattr(e, "type", None) == "nhnfin-lock"]
    assert lock.meta["locked-by"] == 'Ola "O" Nordmann'


def test_the_catalogue_has_at_least_25_cases() -> None:
    cases = [*DIRECTIVE_CASES, *CLOSED_CASES, *CLI_CASES]
    assert len(cases) >= 25
    assert len({c.id for c in cases}) == len(cases)
