"""Issue 15 part A: each way the period lock was bypassed, on the example ledger closed for 2024.

Every case changed locked 2024 figures while bean-check stayed clean. Now each is an error at the
lock directive (close-2024.beancount:5) that names the period and the cause by file:line, or, for
what bean-check cannot see, a refusal by ``nhnfin report``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from nhnfin.cli.main import main as cli
from nhnfin.ehealth.directives import EHealthConfig
from nhnfin.ehealth.directives import Options
from nhnfin.ledger import load
from tests.close.conftest import ROOT

PERIOD = "låst periode til og med 2024-12-31 er endret siden låsen: "
HINT = "; før rettelser som nye poster datert etter 2024-12-31"
PER_RULE = ('plugin "nhnfin.assets.delivery_obligation"{config}\nplugin "nhnfin.grants"\n'
            'plugin "nhnfin.ehealth"\nplugin "nhnfin.mapping"\n{lock}')
LOCK_PLUGIN = 'plugin "nhnfin.close.period_lock"\n'


def lock_messages(main: Path) -> list[str]:
    """The messages of the ledger's errors at the lock directive (all must be there)."""
    errors = load(main).errors
    located = [e for e in errors if e.source.get("filename", "").endswith("close-2024.beancount")]
    for error in located:
        assert error.source["lineno"] == 5
    return [e.message for e in located]


def append(path: Path, text: str) -> int:
    """Append ``text`` after a blank line; returns the line it starts at."""
    before = path.read_text(encoding="utf-8")
    path.write_text(before + "\n" + text, encoding="utf-8")
    return before.count("\n") + 2


def report(main: Path) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["report", str(main), "--year", "2024", "--format", "json",
                                      "--no-cache"])
    return result.exit_code, result.output


@pytest.mark.parametrize(("header", "kind"), [
    ('2024-06-30 * "Tilført" "ført i låst periode" #nhnfin-generated\n',
     "den genererte posten laget fra"),
    ('2024-06-30 * "Tilført" "ført i låst periode"\n  nhnfin-rule: "grant-income"\n',
     "den genererte posten laget fra"),
    ('2024-06-30 P "Tilført" "ført i låst periode"\n', "posten på"),
])
def test_a_new_entry_marked_as_generated_is_not_exempt(closed: Path, header: str, kind: str
                                                        ) -> None:
    year = closed / "nhn" / "2024.beancount"
    line = append(year, header + "  Assets:1920-Bank  1.00 NOK\n"
                  "  Equity:2050-OtherEquity  -1.00 NOK\n")
    rule = " generert av regelen grant-income" if "nhnfin-rule" in header else ""
    accounts = ": Assets:1920-Bank, Equity:2050-OtherEquity" if rule else ""
    assert lock_messages(closed / "nhn.beancount") == [
        f"{PERIOD}{kind} {year}:{line} (2024-06-30 transaksjon{rule} \"Tilført ført i låst "
        f"periode\" (1.00 NOK{accounts})) er satt inn etter låsen; 1 forskjell i alt{HINT}"]


def test_a_plugin_config_that_removes_generated_entries(closed: Path) -> None:
    main = closed / "nhn.beancount"
    text = main.read_text(encoding="utf-8")
    config = "{'delivery_obligation': {'until': '2023-12-31'}}"
    main.write_text(text.replace('plugin "nhnfin"\n', f'plugin "nhnfin" "{config}"\n'))
    [message] = lock_messages(main)
    assert message.startswith(
        f'{PERIOD}den låste posten 2024-01-31 transaksjon generert av regelen delivery-obligation '
        '"Avskrivning og inntektsføring av leveranseforpliktelse vkp-2022" (1279879.06 NOK: ')
    assert message.endswith(
        f"da den ble låst) er slettet; 24 forskjeller i alt; plugin-linjene i {main} er endret: "
        f"plugin \"fava.plugins.link_documents\", plugin \"nhnfin\" \"{config}\" (da den ble låst: "
        f"plugin \"fava.plugins.link_documents\", plugin \"nhnfin\"){HINT}")


def test_a_per_rule_plugin_config_that_removes_generated_entries(closed: Path) -> None:
    main = closed / "nhn.beancount"
    text = main.read_text(encoding="utf-8")
    same = PER_RULE.format(config="", lock=LOCK_PLUGIN)
    main.write_text(text.replace('plugin "nhnfin"\n', same))
    assert lock_messages(main) == []
    config = " \"{'until': '2023-12-31'}\""
    main.write_text(text.replace('plugin "nhnfin"\n', PER_RULE.format(config=config,
                                                                       lock=LOCK_PLUGIN)))
    [message] = lock_messages(main)
    assert message.startswith(f"{PERIOD}den låste posten 2024-01-31 transaksjon generert av "
                              "regelen delivery-obligation")
    assert "24 forskjeller i alt; plugin-linjene i" in message


def test_options_dated_after_the_lock_leave_2024_alone(closed: Path) -> None:
    """The e-health rule reads options from their date on: 2025's options do not touch 2024."""
    main = closed / "nhn.beancount"
    append(main, '2025-01-01 custom "nhnfin-ehealth-options" "income" '
                 '"Income:3100-ServiceRevenue"\n')
    assert lock_messages(main) == []


def test_a_later_directive_acting_backwards_is_caught_anyway(
        closed: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Were a rule to let a 2025 directive act on 2024 (as the e-health options did), the lock
    still names the changed entry and the later directive."""
    def last_options(self: EHealthConfig, date: object) -> Options:
        return self.dated_options[-1][1] if self.dated_options else Options()

    monkeypatch.setattr(EHealthConfig, "options_at", last_options)
    main = closed / "nhn.beancount"
    line = append(main, '2025-01-01 custom "nhnfin-ehealth-options" "income" '
                        '"Income:3100-ServiceRevenue"\n')
    [message] = lock_messages(main)
    rules = closed / "nhn" / "rules.beancount"
    assert message.startswith(f"{PERIOD}den genererte posten laget fra {rules}:")
    assert "generert av regelen ehealth-income" in message
    assert message.endswith(
        "; nhnfin-direktiver datert etter 2024-12-31, og ett av dem kan virke på perioden: "
        f'{main}:{line} (custom "nhnfin-ehealth-options"){HINT}')


def test_editing_the_layout_file_the_ledger_names(closed: Path) -> None:
    main = closed / "nhn.beancount"
    layout = closed / "layout.toml"
    packaged = (ROOT / "nhnfin" / "data" / "layout_nhn.toml").read_text(encoding="utf-8")
    layout.write_text(packaged, encoding="utf-8")
    line = append(main, '2025-01-01 custom "nhnfin-layout" "layout.toml"\n')
    assert lock_messages(main) == []  # the same layout, now from a file
    moved = packaged.replace('accounts = ["3000-3099"]', 'accounts = ["3000-3049"]').replace(
        'accounts = ["3100-3199"]', 'accounts = ["3050-3199"]')
    assert moved != packaged
    layout.write_text(moved, encoding="utf-8")
    assert lock_messages(main) == [
        f"{PERIOD}oppsettsfilen layout.toml (oppgitt i nhn.beancount:{line}) er endret siden "
        "låsen; de låste tallene leses fra den"]


def test_editing_a_row_of_the_notes_layout_the_ledger_names(closed: Path) -> None:
    main = closed / "nhn.beancount"
    notes = closed / "notes.toml"
    packaged = (ROOT / "nhnfin" / "data" / "notes_nhn.toml").read_text(encoding="utf-8")
    notes.write_text(packaged, encoding="utf-8")
    line = append(main, '2025-01-01 custom "nhnfin-notes" "notes.toml"\n')
    assert lock_messages(main) == []  # the same notes layout, now from a file
    row = '{ key = "cost_accruals", label = "Kostnadsavsetninger" },'
    assert row in packaged
    notes.write_text(packaged.replace(row, '{ key = "cost_accruals", label = '
                                           '"Kostnadsavsetninger", accounts = ["2965"] },'),
                     encoding="utf-8")
    assert lock_messages(main) == [
        f"{PERIOD}noteoppsettet notes.toml (oppgitt i nhn.beancount:{line}) er endret siden "
        "låsen; de låste tallene leses fra den"]


def test_editing_the_published_report_the_lock_read(closed: Path) -> None:
    published = closed / "published" / "nhn-annual-report-2024.json"
    published.write_text(published.read_text(encoding="utf-8").replace("1", "2", 1))
    main = (closed / "nhn.beancount").read_text(encoding="utf-8")
    line = main[: main.index('custom "nhnfin-published"')].count("\n") + 1
    [message] = lock_messages(closed / "nhn.beancount")
    assert message == (
        f"{PERIOD}den publiserte rapporten published/nhn-annual-report-2024.json (oppgitt i "
        f"nhn.beancount:{line}) er endret siden låsen; de låste tallene leses fra den")


def test_editing_a_note_text_template_the_lock_read(closed: Path) -> None:
    template = closed / "nhn" / "notes" / "note-02.md.j2"
    template.write_text(template.read_text(encoding="utf-8") + "\nEn ny setning.\n")
    notes = (closed / "nhn" / "notes-text.beancount").read_text(encoding="utf-8")
    line = notes[: notes.index('"notes/note-02.md.j2"')].count("\n") + 1
    assert lock_messages(closed / "nhn.beancount") == [
        f"{PERIOD}noteteksten nhn/notes/note-02.md.j2 (oppgitt i "
        f"nhn/notes-text.beancount:{line}) er endret siden låsen; de låste tallene leses fra "
        "den"]


def test_removing_the_lock_check_is_an_error_and_report_refuses(closed: Path) -> None:
    main = closed / "nhn.beancount"
    text = main.read_text(encoding="utf-8")
    main.write_text(text.replace('plugin "nhnfin"\n', PER_RULE.format(config="", lock="")))
    problem = ("låst periode til og med 2024-12-31 blir ikke kontrollert: ingen plugin-linje "
               'kjører låsekontrollen: legg til plugin "nhnfin" (eller plugin '
               '"nhnfin.close.period_lock" som siste plugin-linje)')
    assert lock_messages(main) == [problem]
    code, output = report(main)
    assert code == 1
    assert (f"feil: {closed}/close-2024.beancount:5: låst periode til og med 2024-12-31 "
            "kontrolleres ikke: ingen plugin-linje kjører låsekontrollen" in output)
    assert output.endswith("Feil: en lås holder ikke (se over); ingen rapport skrevet\n")
    assert '"statements"' not in output


def test_a_plugin_after_the_lock_check_is_an_error(closed: Path) -> None:
    main = closed / "nhn.beancount"
    text = main.read_text(encoding="utf-8")
    main.write_text(text.replace('plugin "nhnfin"\n',
                                 'plugin "nhnfin"\nplugin "beancount.plugins.auto_accounts"\n'))
    assert lock_messages(main) == [
        "låst periode til og med 2024-12-31 blir ikke kontrollert: plugin "
        '"beancount.plugins.auto_accounts" kommer etter låsekontrollen (plugin "nhnfin"), så det '
        "den legger til, blir aldri kontrollert: sett låsekontrollen sist"]


def test_a_one_digit_change_in_the_record_blames_the_record(closed: Path) -> None:
    record = closed / "locks" / "2024-12-31.json"
    text = record.read_text(encoding="utf-8")
    digest = text.split('"entries": [')[1].split('"sha256": "')[1][:64]
    changed = digest[:-1] + ("0" if digest[-1] != "0" else "1")
    record.write_text(text.replace(digest, changed, 1), encoding="utf-8")
    assert lock_messages(closed / "nhn.beancount") == []  # the books are unchanged
    code, output = report(closed / "nhn.beancount")
    assert code == 1
    assert (f"feil: {closed}/close-2024.beancount:5: låst periode til og med 2024-12-31: låsens "
            f"fil {closed}/locks/2024-12-31.json er endret etter låsen (postene i den stemmer ikke "
            "med dens sjekksum); bøkene er uendret" in output)
    year = closed / "nhn" / "2024.beancount"
    year.write_text(year.read_text(encoding="utf-8").replace("107469256.28", "107469256.27", 2))
    assert lock_messages(closed / "nhn.beancount") == [
        f"{PERIOD}registeret {closed}/locks/2024-12-31.json er endret etter låsen "
        f"(postene stemmer ikke lenger med digesten), så posten kan ikke navngis{HINT}"]


def test_a_one_digit_change_in_the_lock_directive_blames_the_directive(closed: Path) -> None:
    close = closed / "close-2024.beancount"
    text = close.read_text(encoding="utf-8")
    digest = text.split('custom "nhnfin-lock" "')[1][:64]
    changed = digest[:-1] + ("0" if digest[-1] != "0" else "1")
    close.write_text(text.replace(digest, changed), encoding="utf-8")
    assert lock_messages(closed / "nhn.beancount") == [
        f"{PERIOD}låsedirektivets digest på {close}:5 er endret: postene stemmer med "
        f"registeret {closed}/locks/2024-12-31.json{HINT}"]


@pytest.mark.parametrize("target", ["/dev/zero", "fifo", "directory", "huge"])
def test_a_record_that_is_not_a_small_regular_file_is_refused(closed: Path, target: str) -> None:
    record = closed / "locks" / "2024-12-31.json"
    record.unlink()
    what = {"/dev/zero": "en tegnenhet", "fifo": "en FIFO", "directory": "en mappe",
            "huge": f"{2**27} byte, mer enn grensen på {2**26} byte"}[target]
    if target == "/dev/zero":
        record.symlink_to("/dev/zero")
    elif target == "fifo":
        os.mkfifo(record)
    elif target == "directory":
        record.mkdir()
    else:
        with record.open("wb") as stream:
            stream.truncate(2**27)  # sparse: no disk used
    what = what if target == "huge" else f"ikke en vanlig fil ({what})"
    assert lock_messages(closed / "nhn.beancount") == [
        f"låst periode til og med 2024-12-31: registeret {record} avvises: {what}"]


def test_a_figure_that_changes_without_a_changed_input_is_named(
        closed: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What no digest of the inputs sees (here: the computation itself changed) the report
    catches by the figures."""
    from nhnfin import statements

    original = statements.build_statements

    def changed(layout: object, ledger: object, year: int, *rest: object) -> object:
        result = original(layout, ledger, year, *rest)  # type: ignore[arg-type]
        first = result[0]
        row = first.rows[0]
        amounts = {**row.amounts, "2024": row.amounts["2024"] + 1}
        rows = (row.__class__(**{**row.__dict__, "amounts": amounts}), *first.rows[1:])
        return (first.__class__(**{**first.__dict__, "rows": rows}), *result[1:])

    monkeypatch.setattr("nhnfin.report.build_statements", changed)
    code, output = report(closed / "nhn.beancount")
    assert code == 1
    assert (f"feil: {closed}/close-2024.beancount:5: låst periode til og med 2024-12-31 er "
            "endret: tallet income_statement/revenue_national_ehealth_solutions/2024 er "
            in output)
    assert "da året ble låst; årsak: postene og filene til og med 2024-12-31 er uendret" in output


def test_the_closed_example_reports_as_before(closed: Path) -> None:
    code, output = report(closed / "nhn.beancount")
    assert code == 0, output
    _, plain = report(ROOT / "ledger" / "nhn.beancount")
    assert output == plain


def test_every_fava_report_page_shows_a_lock_that_does_not_hold_above_the_report(
    closed: Path,
) -> None:
    from nhnfin.fava_ext import NhnfinReport
    from tests.fava.conftest import fava_app

    def pages(main: Path) -> dict[str, str]:
        app = fava_app(main)
        slug = app.config["LEDGERS"].first_slug()
        extension = app.config["LEDGERS"][slug].extensions.get_extension("NhnfinReport")
        assert isinstance(extension, NhnfinReport)
        assert extension.ready(timeout=600)
        client = app.test_client()
        return {section: client.get(f"/{slug}/extension/NhnfinReport/?section={section}&"
                                    "time=2024").get_data(as_text=True)
                for section in ("overview", "income_statement", "note-8")}

    notice = "En lås holder ikke: tallene nedenfor er ikke tallene som ble låst."
    assert not any(notice in page for page in pages(closed / "nhn.beancount").values())
    year = closed / "nhn" / "2024.beancount"
    year.write_text(year.read_text(encoding="utf-8").replace("107469256.28", "107469256.27", 2))
    changed = pages(closed / "nhn.beancount")
    for section, page in changed.items():
        assert notice in page, section
        # the lock's own message, in Norwegian, with the period and the figure that changed
        assert "låst periode til og med 2024-12-31 er endret: tallet" in page, section
    # the count of the ledger's errors is the overview's, not the lock problems added to it
    errors = len(load(closed / "nhn.beancount").errors)
    assert f"Regnskapet har {errors} feil" in changed["income_statement"]


def test_a_directive_added_to_the_period_is_the_cause_not_the_later_directives(
        closed: Path) -> None:
    """A directive dated in the locked period and added after the lock: the message names the
    period and the directive at file:line, and not the nhnfin directives dated after the lock,
    which have nothing to do with it (failed before: "; nhnfin-direktiver datert etter
    2024-12-31, og ett av dem kan virke på perioden: …nhn.beancount:56 (custom
    "nhnfin-ehealth-options")")."""
    main = closed / "nhn.beancount"
    append(main, '2025-01-01 custom "nhnfin-ehealth-options" "income" '
                 '"Income:3100-ServiceRevenue"\n')
    assert lock_messages(main) == []  # the later directive alone leaves 2024 alone
    year = closed / "nhn" / "2024.beancount"
    line = append(year, '2024-06-30 note Assets:1920-Bank "ført etter låsen"\n')
    assert lock_messages(main) == [
        f"{PERIOD}posten på {year}:{line} (2024-06-30 notat Assets:1920-Bank) er satt inn etter "
        f"låsen; 1 forskjell i alt{HINT}"]
