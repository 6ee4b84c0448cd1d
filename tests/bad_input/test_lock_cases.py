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
    "låst periode til og med 2024-12-31 er endret siden låsen: registeret {dir}/none.json kan "
    "ikke leses (finnes ikke), så posten kan ikke navngis; før rettelser som nye "
    "poster datert etter 2024-12-31"
)
NOT_CHECKED = "låst periode til og med 2024-12-31 blir ikke kontrollert: "
OLD_LOCK = (
    'custom "nhnfin-lock" mangler digestene files: og figures: (en lås skrevet før '
    "nhnfin-lock/2, som utelot genererte poster, oppsettet og tallene): åpne året igjen og lukk "
    "det på nytt (docs/year-end-close.md)"
)
NOT_A_DIGEST = (
    'custom "nhnfin-lock" tar én streng: SHA-256 (64 heksadesimale tegn, små bokstaver) av de '
    "låste postene, slik nhnfin close skriver den"
)
AFTER = (
    "låsens after: må være datoen til låsen før den (tidligere enn dens egen dato), med "
    "after-digest: den låsens SHA-256"
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


REFUSED = "låst periode til og med 2024-12-31: registeret {dir}/record.json avvises: "

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
                  "låsens digests: må være en streng: stien til registerfilen"),
    DirectiveCase("digests-empty", lock(meta='  digests: ""\n'),
                  "låsens digests: må være en streng: stien til registerfilen"),
    DirectiveCase("after-its-own-date", lock(meta=f'  after: 2025-01-01\n  after-digest: "{H}"\n'),
                  AFTER),
    DirectiveCase("after-without-digest", lock(meta="  after: 2023-12-31\n"), AFTER),
    DirectiveCase("after-a-text", lock(meta=f'  after: "2023"\n  after-digest: "{H}"\n'), AFTER),
    DirectiveCase("after-a-missing-lock",
                  lock(meta=f'  after: 2023-12-31\n  after-digest: "{H}"\n'),
                  "låst periode til og med 2024-12-31 følger låsen til og med 2023-12-31, som "
                  "ikke lenger er i regnskapet slik den ble låst; gjenopprett den "
                  "(årsavslutningsfilen og registeret)"),
    DirectiveCase("record-dev-zero", record_lock("/dev/zero"),
                  "låst periode til og med 2024-12-31: registeret /dev/zero avvises: ikke en "
                  "vanlig fil (en tegnenhet)"),
    DirectiveCase("record-dev-null", record_lock("/dev/null"),
                  "låst periode til og med 2024-12-31: registeret /dev/null avvises: ikke en "
                  "vanlig fil (en tegnenhet)"),
    DirectiveCase("record-link-to-dev-zero", record_lock("record.json"),
                  REFUSED + "ikke en vanlig fil (en tegnenhet)", setup=_zero_link),
    DirectiveCase("record-fifo", record_lock("record.json"),
                  REFUSED + "ikke en vanlig fil (en FIFO)", setup=_fifo),
    DirectiveCase("record-directory", record_lock("record.json"),
                  REFUSED + "ikke en vanlig fil (en mappe)", setup=_directory),
    DirectiveCase("record-socket", record_lock("record.json"),
                  REFUSED + "ikke en vanlig fil (en socket)", setup=_socket),
    DirectiveCase("record-huge", record_lock("record.json"),
                  REFUSED + f"{2**26 + 1} byte, mer enn grensen på {2**26} byte",
                  setup=_huge),
    DirectiveCase("record-missing-and-books-differ", record_lock("none.json"), CHANGED),
    DirectiveCase("plugin-after-the-check", record_lock("none.json"),
                  NOT_CHECKED + 'plugin "beancount.plugins.auto_accounts" kommer etter '
                  'låsekontrollen (plugin "nhnfin"), så det den legger til, blir aldri '
                  "kontrollert: sett låsekontrollen sist",
                  plugins='plugin "nhnfin"\nplugin "beancount.plugins.auto_accounts"\n'),
    DirectiveCase("lock-plugin-not-last", record_lock("none.json"),
                  NOT_CHECKED + 'plugin "nhnfin.mapping" kommer etter låsekontrollen (plugin '
                  '"nhnfin.close.period_lock"), så det den legger til, blir aldri kontrollert: '
                  "sett låsekontrollen sist",
                  plugins='plugin "nhnfin.close.period_lock"\nplugin "nhnfin.mapping"\n'),
    DirectiveCase("per-rule-lines-without-the-check", record_lock("none.json"),
                  NOT_CHECKED + 'ingen plugin-linje kjører låsekontrollen: legg til plugin '
                  '"nhnfin" (eller plugin "nhnfin.close.period_lock" som siste plugin-linje)',
                  plugins='plugin "nhnfin.grants"\nplugin "nhnfin.mapping"\n'),
    DirectiveCase("lock-plugin-with-a-config", record_lock("none.json"),
                  ("nhnfin.close.period_lock tar ingen konfigurasjonstekst, men fikk "
                   "\"{{'strict': False}}\""),
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
FILLED_IN = _replace("books.beancount", "  Income:3400-GrantIncome          -300.00 NOK",
                     "  Income:3400-GrantIncome")
TOLERANCE = _replace("books.beancount", 'option "operating_currency" "NOK"\n',
                     'option "operating_currency" "NOK"\n'
                     'option "inferred_tolerance_default" "NOK:1000"\n')
TOLERANCE_CHANGED = (
    'option "inferred_tolerance_default" er «NOK:1000», men var ikke satt da året ble låst; de '
    "låste tallene er regnet ut med verdien fra da året ble låst: sett den tilbake i "
    '{dir}/books.beancount (fjern option "inferred_tolerance_default"), eller åpne året igjen '
    "(docs/year-end-close.md)")


def _without_options(folder: Path) -> None:
    """The lock as nhnfin close wrote it before options were recorded: no ``options:`` in the
    directive, no options in the record."""
    close = folder / "close-2024.beancount"
    close.write_text("".join(line for line in close.read_text(encoding="utf-8")
                             .splitlines(keepends=True) if not line.startswith("  options: ")),
                     encoding="utf-8")
    record = folder / RECORD
    text = record.read_text(encoding="utf-8")
    head, rest = text.split("\n", 1)
    start = head.index(', "options-digest"')
    end = head.index(', "plugins"')
    record.write_text(head[:start] + head[end:] + "\n" + rest, encoding="utf-8")


WITHOUT_OPTIONS = _without_options
PREFIX = "låst periode til og med 2024-12-31 er endret siden låsen: "
HINT = "; før rettelser som nye poster datert etter 2024-12-31"
UNNAMED = (f"{PREFIX}registeret {{dir}}/{RECORD} kan ikke leses ({{why}}), så posten kan ikke "
           f"navngis{HINT}")

CLOSED_CASES = [
    ClosedCase("record-not-json", _both(_write(RECORD, b"{nope"), AMOUNT),
               UNNAMED.replace("{why}", "ikke gyldig JSON på linje 1: Expecting property name "
                               "enclosed in double quotes (kolonne 2)")),
    ClosedCase("record-other-format", _both(_write(RECORD, b'{"format": "nhnfin-lock/1"}'),
                                            AMOUNT),
               UNNAMED.replace("{why}", "ikke en nhnfin-lock/2-fil")),
    ClosedCase("record-a-list", _both(_write(RECORD, b"[1, 2]"), AMOUNT),
               UNNAMED.replace("{why}", "ikke en nhnfin-lock/2-fil")),
    ClosedCase("record-latin-1", _both(_write(RECORD, b'{"format": "l\xe5s"}'), AMOUNT),
               UNNAMED.replace("{why}", "ikke UTF-8-tekst ved byte 13")),
    ClosedCase("record-without-entries",
               _both(_write(RECORD, b'{"format": "nhnfin-lock/2", "lock-date": "2024-12-31"}'),
                     AMOUNT),
               UNNAMED.replace("{why}", "registeret er ikke slik nhnfin skriver det: "
                                               "KeyError('digest')")),
    ClosedCase("record-deleted-and-books-changed", _both(_delete(RECORD), AMOUNT),
               UNNAMED.replace("{why}", "finnes ikke")),
    ClosedCase("record-entry-altered-and-books-changed", _both(_alter_entry_digest, AMOUNT),
               f"{PREFIX}registeret {{dir}}/{RECORD} er endret etter låsen (postene stemmer "
               f"ikke lenger med digesten), så posten kan ikke navngis{HINT}"),
    ClosedCase("record-entry-altered-books-not", _alter_entry_digest,
               f"{{dir}}/close-2024.beancount:{CLOSE_LINE}: låst periode til og med 2024-12-31: "
               f"låsens fil {{dir}}/{RECORD} er endret etter låsen (postene i den stemmer ikke "
               "med dens sjekksum); bøkene er uendret", by_report=True),
    ClosedCase("directive-files-digest-altered", _alter_directive("files"),
               f"{PREFIX}låsedirektivets files:-digest på {{dir}}/close-2024.beancount:"
               f"{CLOSE_LINE} er endret: filene stemmer med registeret {{dir}}/{RECORD}; de "
               "låste tallene leses fra den"),
    ClosedCase("directive-figures-digest-altered", _alter_directive("figures"),
               f"{{dir}}/close-2024.beancount:{CLOSE_LINE}: låst periode til og med 2024-12-31 er "
               f"endret: låsens figures:-sjekksum ved {{dir}}/close-2024.beancount:{CLOSE_LINE} er "
               f"endret; tallene stemmer med låsens fil {{dir}}/{RECORD}", by_report=True),
    ClosedCase("transfer-in-the-close-file-edited",
               _replace("close-2024.beancount", "300.00 NOK", "299.00 NOK"),
               f"{PREFIX}posten på {{dir}}/close-2024.beancount:5 (2024-12-31 transaksjon "
               '"Testforetaket AS Årsoppgjør 2024: årsresultat overført til annen egenkapital" '
               "(299.00 NOK)) er endret (låst versjon: 2024-12-31 transaksjon \"Testforetaket "
               'AS Årsoppgjør 2024: årsresultat overført til annen egenkapital" (300.00 NOK), på '
               f"close-2024.beancount:5 da den ble låst); 2 forskjeller i alt (1 post som låsen "
               f"ikke har, 1 post fra låsen som regnskapet ikke lenger har){HINT}"),
    # round twelve: an option that changes what Beancount derives from a locked entry (the
    # filled-in amount -300 became -300.00... as written, the tolerance 1000): the entry read
    # the same twice and no cause was named; round thirteen: the lock records the options,
    # and the error names the option, its value now and its locked value (before: the hint
    # below, without the old value)
    ClosedCase("tolerance-option-added", _both(FILLED_IN, TOLERANCE),
               f"{PREFIX}{TOLERANCE_CHANGED}"),
    # an option that changes no locked entry is still one the figures are computed under
    ClosedCase("booking-method-changed",
               _replace("books.beancount", 'option "operating_currency" "NOK"\n',
                        'option "operating_currency" "NOK"\noption "booking_method" "FIFO"\n'),
               f'{PREFIX}option "booking_method" er «FIFO», men var «STRICT» da året ble låst; '
               "de låste tallene er regnet ut med verdien fra da året ble låst: sett den "
               'tilbake i {dir}/books.beancount (option "booking_method" "STRICT"), eller åpne '
               "året igjen (docs/year-end-close.md)"),
    # a lock written before options were recorded (no options: in the directive nor the
    # record): the check is as it was, the entry the option changes named with the hint
    ClosedCase("tolerance-option-added-to-a-lock-without-options",
               _both(WITHOUT_OPTIONS, FILLED_IN, TOLERANCE),
               f"{PREFIX}posten på {{dir}}/books.beancount:13 (2024-03-01 transaksjon "
               '"Tilskudd" (300.00 NOK)) er endret (låst versjon: 2024-03-01 transaksjon '
               '"Tilskudd" (300.00 NOK), på books.beancount:12 da den ble låst): dato, tekst og '
               "beløp er som da den ble låst, så er heller ikke kontoene eller metadataene endret, "
               "er forskjellen i det Beancount regner ut av den (et beløp den fyller inn, "
               "toleransen): se om en option i hovedfilen er endret siden låsen, som option "
               '"inferred_tolerance_default", "infer_tolerance_from_cost" eller "booking_method"; '
               "2 forskjeller i alt (1 post som låsen ikke har, 1 post fra låsen som regnskapet "
               f"ikke lenger har){HINT}"),
    ClosedCase("options-digest-edited", _alter_directive("options"),
               f"{PREFIX}låsedirektivets options:-digest på {{dir}}/close-2024.beancount:10 er "
               "endret: optionene stemmer med registeret {dir}/locks/2024-12-31.json"),
    ClosedCase("options-changed-record-unreadable",
               _both(TOLERANCE, _write(RECORD, b"{nope")),
               f"{PREFIX}en option som de låste tallene er regnet ut med (\"booking_method\", "
               '"inferred_tolerance_default", "tolerance_multiplier", '
               '"infer_tolerance_from_cost", "use_precise_interpolation", "account_rounding") '
               "er endret, og registeret {dir}/locks/2024-12-31.json kan ikke leses (ikke "
               "gyldig JSON på linje 1: Expecting property name enclosed in double quotes "
               "(kolonne 2)), så den kan ikke navngis"),
    # the hint above must not say the entry reads the same when only its description (date,
    # text, amount) does: the income posted to another account reads alike too
    ClosedCase("account-changed-reads-alike",
               _replace("books.beancount", "  Income:3400-GrantIncome          -300.00 NOK",
                        "  Equity:2050-OtherEquity          -300.00 NOK"),
               f"{PREFIX}posten på {{dir}}/books.beancount:12 (2024-03-01 transaksjon "
               '"Tilskudd" (300.00 NOK)) er endret (låst versjon: 2024-03-01 transaksjon '
               '"Tilskudd" (300.00 NOK), på books.beancount:12 da den ble låst): dato, tekst og '
               "beløp er som da den ble låst, så er heller ikke kontoene eller metadataene endret, "
               "er forskjellen i det Beancount regner ut av den (et beløp den fyller inn, "
               "toleransen): se om en option i hovedfilen er endret siden låsen, som option "
               '"inferred_tolerance_default", "infer_tolerance_from_cost" eller "booking_method"; '
               "2 forskjeller i alt (1 post som låsen ikke har, 1 post fra låsen som regnskapet "
               f"ikke lenger har){HINT}"),
    ClosedCase("open-dated-in-the-locked-year",
               _replace("books.beancount", "2023-12-31 *",
                        "2024-06-01 open Assets:1900-Cash NOK\n2023-12-31 *"),
               f"{PREFIX}posten på {{dir}}/books.beancount:9 (2024-06-01 kontoåpning "
               "Assets:1900-Cash)"
               f" er satt inn etter låsen; 1 forskjell i alt{HINT}"),
    ClosedCase("layout-named-later-is-missing",
               _replace("books.beancount", "2023-12-31 *",
                        '2025-01-01 custom "nhnfin-layout" "layout.toml"\n2023-12-31 *'),
               f"{PREFIX}oppsettsfilen layout.toml (oppgitt i books.beancount:9) kan ikke leses "
               "(finnes ikke); de låste tallene leses fra den"),
    ClosedCase("layout-named-later-is-a-fifo",
               _both(lambda folder: os.mkfifo(folder / "layout.toml"),
                     _replace("books.beancount", "2023-12-31 *",
                              '2025-01-01 custom "nhnfin-layout" "layout.toml"\n2023-12-31 *')),
               f"{PREFIX}oppsettsfilen layout.toml (oppgitt i books.beancount:9) kan ikke leses "
               "(ikke en vanlig fil (en FIFO)); de låste tallene leses fra den"),
]


@pytest.fixture(scope="module")
def closed_books(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """BOOKS closed for 2024 by ``nhnfin close`` (once), the close file included."""
    folder = tmp_path_factory.mktemp("closed-books")
    main = folder / "books.beancount"
    main.write_text(BOOKS, encoding="utf-8")
    result = CliRunner().invoke(close_cmd, [str(main), "--year", "2024", "--waive", "months",
                                            "--locked-by", "kari",
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


def test_a_lock_written_before_options_were_recorded_still_holds(closed_books: Path,
                                                                  tmp_path: Path) -> None:
    """A lock without ``options:`` (and a record without options), as nhnfin close wrote it
    before round thirteen, is read as it was: the books load without an error."""
    folder = _copy(closed_books, tmp_path / "books")
    assert '  options: "' in (folder / "close-2024.beancount").read_text(encoding="utf-8")
    _without_options(folder)
    assert "options" not in (folder / "close-2024.beancount").read_text(encoding="utf-8")
    assert '"options' not in (folder / RECORD).read_text(encoding="utf-8")
    assert [e.message for e in load(folder / "books.beancount").errors] == []


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
CLOSE = ("close", "--year", "2024", "--waive", "months", "--waive", "reconciliation")

CLI_CASES = [
    CliCase("close-without-lock-check", NO_CHECK, CLOSE,
            "Feil: {dir}/books.beancount: låsen ville ikke bli kontrollert: ingen plugin-linje "
            'kjører låsekontrollen: legg til plugin "nhnfin" (eller plugin '
            '"nhnfin.close.period_lock" som siste plugin-linje)'),
    CliCase("close-with-a-plugin-after-the-check", AUTO_AFTER, CLOSE,
            "Feil: {dir}/books.beancount: låsen ville ikke bli kontrollert: plugin "
            '"beancount.plugins.auto_accounts" kommer etter låsekontrollen (plugin "nhnfin"), så '
            "det den legger til, blir aldri kontrollert: sett låsekontrollen sist"),
    CliCase("close-in-raw-mode", RAW, CLOSE,
            "Feil: {dir}/books.beancount: låsen ville ikke bli kontrollert: option "
            '"plugin_processing_mode" er "raw", så ingen plugin kjører, heller ikke '
            "låsekontrollen"),
    CliCase("close-locked-by-with-a-newline", BOOKS, (*CLOSE, "--locked-by", "Ola\nNordmann"),
            "Feil: --locked-by 'Ola\\nNordmann' inneholder et kontrolltegn ('\\n') og kan ikke "
            "skrives i en Beancount-fil"),
    CliCase("report-raw-mode-with-a-lock", RAW + record_lock("none.json"),
            ("report", "--year", "2024", "--no-cache"),
            f"feil: {{dir}}/books.beancount:{LOCK_LINE + 1}: låst periode til og med 2024-12-31 "
            'kontrolleres ikke: option "plugin_processing_mode" er "raw", så ingen plugin kjører, '
            "heller ikke låsekontrollen", command="report"),
    CliCase("report-without-lock-check", NO_CHECK + record_lock("none.json"),
            ("report", "--year", "2024", "--no-cache"),
            f"feil: {{dir}}/books.beancount:{LOCK_LINE}: låst periode til og med 2024-12-31 "
            'kontrolleres ikke: ingen plugin-linje kjører låsekontrollen: legg til plugin "nhnfin" '
            '(eller plugin "nhnfin.close.period_lock" som siste plugin-linje)', command="report"),
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
