"""``nhnfin init`` (issue 21): a new organisation's ledger that passes bean-check and gives a
report and the Fava pages at once; the layout check names the lines the notes need; one spelling
of periods across the rules."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from decimal import Decimal
from pathlib import Path

import pytest
from beancount import loader
from click.testing import CliRunner
from nhnfin.importers.saft_export import chart_mapping

from nhnfin.cli.main import main
from nhnfin.ledger import load
from nhnfin.model import Report
from nhnfin.model import Status
from nhnfin.model import TieOut
from nhnfin.report import build_report
from tests.close.conftest import with_contact
from tests.conftest import without_line
from tests.fava.conftest import fava_app

ORGNR = "974760673"  # a valid MOD11 number


def init(target: Path, *flags: str, name: str = "Eksempel SF") -> Path:
    result = CliRunner().invoke(
        main, ["init", str(target), "--name", name, "--orgnr", ORGNR, "--year", "2025", *flags])
    assert result.exit_code == 0, result.output
    return target / "regnskap.beancount"


@pytest.mark.parametrize("flags", [(), ("--grants", "--delivery-obligation", "--ehealth")])
def test_a_new_ledger_checks_clean_and_reports_at_once(tmp_path: Path, flags: tuple[str, ...]
                                                      ) -> None:
    main_file = init(tmp_path / "books", *flags)
    assert sorted(p.name for p in main_file.parent.iterdir()) == [
        "2025.beancount", "README.md", "accounts.beancount", "layout.toml", "notes.beancount",
        "notes.toml", "regnskap.beancount", "rules.beancount"]
    ledger = load(main_file)
    assert ledger.errors == []
    assert 'plugin "nhnfin"' in main_file.read_text(encoding="utf-8")
    report = build_report(ledger, 2025)
    assert report.entity == "Eksempel SF"
    assert [t.check_id for t in report.tieouts if t.status is Status.FAILED] == []
    # NHN's rule lines are not printed for a company that books nothing on them
    labels = {row.label for s in report.statements for row in s.rows}
    assert "Inntekt nasjonale e-helseløsninger" not in labels
    assert "Leveranseforpliktelse" not in labels
    assert {"Salgsinntekt", "Lønnskostnad", "Bankinnskudd, kontanter o.l."} <= labels
    assert {n.number for n in report.notes} >= {"5", "9", "11", "13"}
    assert not {"2", "3", "4"} & {n.number for n in report.notes}


def test_the_rule_flags_add_accounts_and_commented_directives(tmp_path: Path) -> None:
    main_file = init(tmp_path / "books", "--grants")
    accounts = (main_file.parent / "accounts.beancount").read_text(encoding="utf-8")
    assert "Liabilities:2910-UnusedPublicGrants" in accounts
    assert "Liabilities:2180-DeliveryObligation" not in accounts
    rules = (main_file.parent / "rules.beancount").read_text(encoding="utf-8")
    assert '; 2025-01-01 custom "nhnfin-grant" "tilskudd-2025"' in rules


def test_the_fava_pages_of_a_new_ledger(tmp_path: Path) -> None:
    main_file = init(tmp_path / "books")
    app = fava_app(main_file)
    slug = app.config["LEDGERS"].first_slug()
    with app.test_client() as client:
        for section in ("overview", "income_statement", "balance_sheet", "cash_flow"):
            response = client.get(f"/{slug}/extension/NhnfinReport/?section={section}")
            assert response.status_code == 200, section
            assert "Eksempel SF" in response.get_data(as_text=True)


def test_a_name_with_quotes_is_escaped_and_a_newline_refused(tmp_path: Path) -> None:
    main_file = init(tmp_path / "a", name='Ola "O" Nordmann SF')
    _, errors, options = loader.load_file(str(main_file))
    assert errors == []
    assert options["title"] == 'Ola "O" Nordmann SF'
    result = CliRunner().invoke(main, ["init", str(tmp_path / "b"), "--name", "A\nB",
                                       "--orgnr", ORGNR])
    assert result.exit_code != 0
    assert "må stå på én linje" in result.output
    assert not (tmp_path / "b").exists()


@pytest.mark.parametrize(("args", "message"), [
    (["--orgnr", "123456789"], "organisasjonsnummeret '123456789' er ikke gyldig"),
    (["--orgnr", ORGNR, "--year", "1800"], "året 1800 kan ikke brukes (1901-2199)"),
])
def test_bad_arguments_are_one_line_errors(tmp_path: Path, args: list[str], message: str) -> None:
    result = CliRunner().invoke(main, ["init", str(tmp_path / "x"), "--name", "X", *args])
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output


def test_an_existing_folder_is_never_written_into(tmp_path: Path) -> None:
    (tmp_path / "books").mkdir()
    (tmp_path / "books" / "mine.beancount").write_text("; mine\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["init", str(tmp_path / "books"), "--name", "X",
                                       "--orgnr", ORGNR])
    assert result.exit_code == 1
    assert "ikke en tom mappe" in result.output
    assert [p.name for p in (tmp_path / "books").iterdir()] == ["mine.beancount"]


def test_a_layout_without_a_line_a_note_reads_is_an_error_at_its_directive(tmp_path: Path
                                                                            ) -> None:
    main_file = init(tmp_path / "books")
    layout = main_file.parent / "layout.toml"
    text = layout.read_text(encoding="utf-8")
    block = re.search(r'\[\[statements\.lines\]\]\nkey = "other_short_term_receivables"\n'
                      r'(?:[a-z].*\n)+', text)
    assert block is not None
    text = text.replace(block.group(0), "").replace(" + other_short_term_receivables", "")
    text = text.replace('"1530-1899", ', "").replace(', "1530-1899"', "")
    layout.write_text(text, encoding="utf-8")
    errors = [e for e in load(main_file).errors if "layouten har ingen linje" in e.message]
    assert [(Path(e.source["filename"]).name, e.message) for e in errors] == [(
        "regnskap.beancount",
        "layouten har ingen linje 'other_short_term_receivables' i Balanse: note 11 leser den; "
        "legg til linjen (se docs/chart-of-accounts.md)")]
    assert errors[0].source["lineno"] == main_file.read_text(encoding="utf-8").splitlines().index(
        '2024-12-31 custom "nhnfin-layout" "layout.toml"') + 1


def test_a_rule_note_needs_its_line_only_when_the_rule_is_used(tmp_path: Path) -> None:
    """The generic layout keeps the delivery obligation line; without it a ledger with no
    transfer is fine, one with a transfer is told."""
    main_file = init(tmp_path / "books")
    layout = main_file.parent / "layout.toml"
    text = layout.read_text(encoding="utf-8")
    block = re.search(r'\[\[statements\.lines\]\]\nkey = "delivery_obligation"\n(?:[a-z].*\n)+',
                      text)
    assert block is not None
    layout.write_text(text.replace(block.group(0), "").replace("delivery_obligation + ", ""),
                      encoding="utf-8")
    assert load(main_file).errors == []
    with (main_file.parent / "rules.beancount").open("a", encoding="utf-8") as stream:
        stream.write('2024-12-31 open Assets:1020-Transferred NOK\n'
                     '2024-12-31 open Assets:1029-TransferredAccum NOK\n'
                     '2024-12-31 open Liabilities:2180-DeliveryObligation NOK\n'
                     '2024-12-31 open Income:3410-DeliveryObligationIncome NOK\n')
    errors = [e.message for e in load(main_file).errors if "layouten har ingen linje" in e.message]
    assert errors == []  # no transfer declared yet
    with (main_file.parent / "rules.beancount").open("a", encoding="utf-8") as stream:
        stream.write('2025-01-01 custom "nhnfin-transfer" "t" 1200.00 NOK\n  months: 12\n')
    errors = [e.message for e in load(main_file).errors if "layouten har ingen linje" in e.message]
    assert errors == ["layouten har ingen linje 'delivery_obligation' i Balanse: note 4 leser "
                      "den; legg til linjen (se docs/chart-of-accounts.md)"]


PERIODS = """
option "operating_currency" "NOK"
plugin "nhnfin" "{{'grants': {{'period': '{grants}'}}, 'assets': {{'period': '{assets}'}}}}"
2024-01-01 open Assets:1250-FixturesAndEquipment NOK
2024-01-01 open Assets:1259-FixturesAccumDepreciation NOK
2024-01-01 open Assets:1920-Bank NOK
2024-01-01 open Expenses:6000-DepreciationTangible NOK
2024-01-01 * "Desks"
  Assets:1250-FixturesAndEquipment   3600.00 NOK
    asset: "desk"
  Assets:1920-Bank                  -3600.00 NOK
2024-01-01 custom "nhnfin-asset" "desk" "fixtures"
  months: 36
2024-12-31 balance Assets:1920-Bank -3600.00 NOK
"""


@pytest.mark.parametrize("spelling", ["quarter", "quarterly"])
def test_one_spelling_of_periods_and_the_old_ones_as_aliases(spelling: str) -> None:
    text = textwrap.dedent(PERIODS.format(grants=spelling, assets=spelling))
    entries, errors, _ = loader.load_string(text)
    assert errors == []
    dates = [e.date.isoformat() for e in entries if "nhnfin-generated" in getattr(e, "tags", ())]
    assert dates == ["2024-03-31", "2024-06-30", "2024-09-30", "2024-12-31"]


def test_a_period_no_rule_knows_is_refused_with_the_choices() -> None:
    text = textwrap.dedent(PERIODS.format(grants="month", assets="fortnight"))
    _, errors, _ = loader.load_string(text)
    assert len(errors) == 1
    assert "'month', 'quarter' eller 'year'" in errors[0].message


def test_ehealth_options_take_the_same_period_words() -> None:
    text = textwrap.dedent("""
        option "operating_currency" "NOK"
        plugin "nhnfin.ehealth"
        2024-01-01 custom "nhnfin-ehealth-options" "invoicing" "quarter" "recognition" "quarter"
        2024-01-01 open Liabilities:2920-EHealthObligations NOK
        2024-01-01 open Income:3000-EHealthRevenue NOK
        2024-01-01 open Expenses:6700-ExternalServices NOK
        2024-01-01 open Assets:1920-Bank NOK
        2024-01-01 custom "nhnfin-ehealth-solution" "kj" "Kjernejournal"
        2024-01-15 * "Faktura"
          Assets:1920-Bank                      1000.00 NOK
          Liabilities:2920-EHealthObligations  -1000.00 NOK
            solution: "kj"
        2024-02-10 * "Drift"
          solution: "kj"
          Expenses:6700-ExternalServices         300.00 NOK
          Assets:1920-Bank                      -300.00 NOK
        2024-12-31 balance Assets:1920-Bank 700.00 NOK
    """)
    entries, errors, _ = loader.load_string(text)
    assert errors == []
    income = [e for e in entries if "nhnfin-generated" in getattr(e, "tags", ())]
    assert [(e.date.isoformat(), e.postings[0].units.number) for e in income] == [
        ("2024-03-31", 300)]


OPENING_BALANCE = ('2024-12-31 * "Åpningsbalanse"\n'
                   '  Assets:1920-Bank                  5000.00 NOK\n'
                   '  Equity:2000-ContributedCapital   -1000.00 NOK\n'
                   '  Equity:2050-OtherEquity          -4000.00 NOK\n')


def opening_year_checks(books: Path, lines_left_out: tuple[tuple[str, str], ...] = ()
                        ) -> tuple[Report, dict[str, TieOut]]:
    """The 2025 report of a new ledger with OPENING_BALANCE, its layout.toml without the
    cash-flow lines ``lines_left_out`` ((comment, key) each), and its tie-outs by id."""
    main_file = init(books)
    layout = main_file.parent / "layout.toml"
    text = layout.read_text(encoding="utf-8")
    for comment, key in lines_left_out:
        text = without_line(text, comment, key)
    layout.write_text(text, encoding="utf-8")
    with (main_file.parent / "2025.beancount").open("a", encoding="utf-8") as stream:
        stream.write(OPENING_BALANCE)
    report = build_report(load(main_file), 2025)
    return report, {t.check_id: t for t in report.tieouts}


def test_the_opening_year_cash_flow_ends_at_the_bank(tmp_path: Path) -> None:
    """The year that holds only the opening balance shows no flows: its 01.01 is the 0 before
    it, the opening balance's cash is a line of its own, and 31.12 is the balance sheet's bank
    (round 4: financing 1000, 31.12 1000, beside a bank of 5000, and a warning)."""
    report, checks = opening_year_checks(tmp_path / "books")
    opening = checks["cf.ends_at_cash.2024"]
    assert (opening.status, opening.left, opening.right) == (Status.PASSED, 5000, 5000)
    assert checks["cf.ends_at_cash.2025"].status is Status.PASSED
    rows = {r.key: r.amounts["2024"] for r in report.statement("cash_flow").rows}
    assert {k: rows[k] for k in ("net_cash_from_financing_activities", "net_change_in_cash",
                                 "cash_at_beginning_of_year", "cash_from_opening_balance",
                                 "cash_at_end_of_year")} == {
        "net_cash_from_financing_activities": 0, "net_change_in_cash": 0,
        "cash_at_beginning_of_year": 0, "cash_from_opening_balance": 5000,
        "cash_at_end_of_year": 5000}


def test_a_layout_without_the_opening_balance_line_warns_in_the_opening_year(
        tmp_path: Path) -> None:
    """A ledger's own layout copied before the opening-balance and "untaken" lines (round 4's):
    its opening year cannot end at the bank, and the checks are warnings with the reason (the
    2050 leg on no line is named), not failures."""
    report, checks = opening_year_checks(tmp_path / "books", (
        ("# Kontantene regnskapets åpningsbalanse tar inn", "cash_from_opening_balance"),
        ("# Kontanter ført mot en konto ingen linje over tar med", "cash_against_other_equity")))
    opening = checks["cf.ends_at_cash.2024"]
    assert (opening.status, opening.left, opening.right) == (Status.WARNING, 1000, 5000)
    assert opening.detail.startswith("regnskapet begynner dette året")
    untaken = checks["cf.untaken.2024"]
    assert (untaken.status, untaken.left) == (Status.WARNING, 4000)
    assert untaken.detail.startswith("regnskapet begynner dette året")
    assert "2024-12-31 Åpningsbalanse (" in untaken.detail
    assert checks["cf.ends_at_cash.2025"].status is Status.PASSED
    assert [t.check_id for t in report.tieouts if t.status is Status.FAILED] == []


def test_a_new_ledgers_locks_read_its_own_layouts_not_the_packaged_ones(tmp_path: Path) -> None:
    """A lock digests the layouts in force. A new ledger names its own copies, so an nhnfin
    upgrade that changes the packaged defaults does not break its locks (before, the notes
    layout was the packaged one)."""
    import datetime

    from nhnfin.close.digest import figure_files

    main_file = init(tmp_path / "books", "--grants")
    ledger = load(main_file)
    files = figure_files(ledger.entries, datetime.date(2025, 12, 31), main_file.parent)
    assert [(f.role, f.name) for f in files] == [
        ("layout", "layout.toml (oppgitt i regnskap.beancount:18)"),
        ("notes-layout", "notes.toml (oppgitt i regnskap.beancount:22)")]
    assert all("packaged" not in f.name for f in files)


ENGLISH = frozenset({
    "the", "and", "of", "is", "are", "with", "which", "each", "from", "written", "when", "this",
    "that", "its", "their", "only", "or", "not", "one", "every", "what", "where", "has", "have",
    "any", "it", "an", "be", "see", "you", "your", "until", "then", "books", "into", "after",
    "before", "given", "shown", "own", "rule", "rules", "notes", "accounts", "account"})
"""Words of English prose that a bokmål comment does not have (a path such as docs/notes.md is
left out of the text checked)."""


def _read_texts(folder: Path) -> list[tuple[str, int, str]]:
    """(file, line, text) of what a user reads in a skeleton: the comments of its ``.beancount``
    (``;``) and ``.toml`` (``#``) files, and every line of its README, without `code`, "strings",
    paths, the field names of a list of fields (``#   number     notens nummer``) and the commented
    directives' own lines (``; 2025-01-01 custom ...``, ``;   key: ...``)."""
    found = []
    for path in sorted(folder.iterdir()):
        mark = {".beancount": ";", ".toml": "#"}.get(path.suffix)
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            text = line
            if mark is not None:
                if not line.lstrip().startswith(mark):
                    continue
                text = line.lstrip()[1:]
                if re.match(r" (\d{4}-\d\d-\d\d custom |  +[a-z-]+: )", text):
                    continue
                text = re.sub(r"^   [a-z_]+ {2,}", "", text)  # a field list's field name
            found.append((path.name, number, re.sub(r'`[^`]*`|"[^"]*"|\S*[/.]\S*[a-z]', "", text)))
    return found


def test_everything_a_user_reads_in_a_new_ledger_is_bokmal(tmp_path: Path) -> None:
    """The comments of the files `nhnfin init` writes (with every rule), its README and the
    notes file's comments taken from NHN's are bokmål, and the ledger still checks clean
    (failed before: "; Chart of accounts (NS 4102), written by ...", "# The notes of ...", an
    English README)."""
    main_file = init(tmp_path / "books", "--grants", "--delivery-obligation", "--ehealth")
    english = [(name, number, sorted(words & ENGLISH))
               for name, number, text in _read_texts(main_file.parent)
               if (words := set(re.findall(r"[a-z]+", text.lower()))) & ENGLISH]
    assert english == []
    check = subprocess.run([str(Path(sys.executable).with_name("bean-check")), str(main_file)],
                           capture_output=True, text=True, check=False)
    assert (check.returncode, check.stdout, check.stderr) == (0, "", "")


def test_every_comment_of_nhns_notes_file_has_its_bokmal_text() -> None:
    """A new ledger's notes.toml takes NHN's comments in bokmål (generic.COMMENTS); one without
    a text there would be left out of it. Add the bokmål text when NHN's file gets a comment."""
    from nhnfin.notes.generic import bokmal_comment
    from nhnfin.notes.generic import comment_blocks
    from nhnfin.notes.generic import packaged_text
    blocks = comment_blocks(packaged_text())[1:]  # the first, NHN's head, is generic.HEADER
    assert [b[0] for b in blocks if bokmal_comment(b) is None] == []
    assert len(blocks) == 8


def test_the_commented_rule_examples_check_clean_once_uncommented(tmp_path: Path) -> None:
    """A new user's first step with a rule is to uncomment its example in rules.beancount: it
    must be a valid declaration (before, the grant example had no `source:`, a required key,
    and bean-check said 'source: Field required')."""
    main_file = init(tmp_path / "books", "--grants", "--delivery-obligation", "--ehealth")
    rules = main_file.parent / "rules.beancount"
    lines = rules.read_text(encoding="utf-8").splitlines()
    uncommented, in_example = [], False
    for line in lines:
        if re.match(r"; \d{4}-\d\d-\d\d custom ", line):
            in_example = True
        elif not line.startswith(";   "):
            in_example = False
        uncommented.append(line[2:] if in_example else line)
    rules.write_text("\n".join(uncommented) + "\n", encoding="utf-8")
    text = rules.read_text(encoding="utf-8")
    assert 'custom "nhnfin-grant" "tilskudd-2025"' in text
    assert '\n2025-01-01 custom "nhnfin-transfer"' in text
    assert load(main_file).errors == []


@pytest.mark.parametrize("sales", ["1000.00", "-1000.00"])
def test_a_closed_year_shows_its_transfer_with_the_sign_of_its_line(tmp_path: Path, sales: str
                                                                     ) -> None:
    """The generic layout's "Sum overføringer" is the sum of its one line, so a closed year's
    result is transferred (before, its formula negated the line: after `nhnfin close` of a
    profit of 1 000 the line read −1 000 and the sum +1 000, and the check said 2 000 was left
    to transfer; a loss likewise)."""
    main_file = init(tmp_path / "books")
    with (main_file.parent / "2025.beancount").open("a", encoding="utf-8") as stream:
        stream.write(textwrap.dedent(f"""\
            2024-12-31 * "Åpningsbalanse"
              Assets:1920-Bank                  5000.00 NOK
              Equity:2050-OtherEquity          -5000.00 NOK
            2025-03-01 * "Kunde" "Salg"
              Assets:1920-Bank                  {sales} NOK
              Income:3000-SalesRevenue
            """))
    with_contact(main_file)
    result = CliRunner().invoke(main, ["close", str(main_file), "--year", "2025", "--waive",
                                       "months", "--locked-by", "test"])
    assert result.exit_code == 0, result.output
    with main_file.open("a", encoding="utf-8") as stream:
        stream.write('include "close-2025.beancount"\n')
    ledger = load(main_file)
    assert ledger.errors == []
    income = build_report(ledger, 2025).statement("income_statement")
    profit = Decimal(sales)
    assert income.row("net_result_for_the_year").amounts["2025"] == profit
    assert income.row("transferred_to_other_equity").amounts["2025"] == -profit
    assert income.row("total_transfers").amounts["2025"] == -profit
    checks = {t.check_id: t for t in build_report(ledger, 2025).tieouts}
    assert checks["is.result_transferred.2025"].status is Status.PASSED


def test_every_link_of_a_new_ledgers_overview_opens_a_page(tmp_path: Path) -> None:
    """A ledger without a published report has no page of its differences: the overview's count
    of them links nowhere (before, it linked to a page that answered 404), and no link has the
    hover text "None"."""
    main_file = init(tmp_path / "books")
    with (main_file.parent / "2025.beancount").open("a", encoding="utf-8") as stream:
        stream.write('2025-03-01 * "Kunde" "Salg"\n'
                     '  Assets:1920-Bank                  1000.00 NOK\n'
                     '  Income:3000-SalesRevenue\n')
    app = fava_app(main_file)
    slug = app.config["LEDGERS"].first_slug()
    with app.test_client() as client:
        page = client.get(f"/{slug}/extension/NhnfinReport/").get_data(as_text=True)
        assert 'title="None"' not in page
        sections = sorted(set(re.findall(r'\?section=([a-z0-9_-]+)"', page)))
        assert "published" not in sections
        assert "tieouts" in sections
        for section in sections:
            response = client.get(f"/{slug}/extension/NhnfinReport/?section={section}")
            assert response.status_code == 200, section


NHN_WORDS = ("Norsk helsenett", "NHN", "Akuttmedisinsk", "stamnett", "Helse Sør-Øst", "10 år",
             "3-7 år", "3-10 år", "3-5 år", "Evig")


def _fjordhelse(tmp_path: Path) -> Path:
    """An init ledger (every rule) with an opening balance, a long-term loan and three assets:
    servers over 60 months, software over 48, art."""
    main_file = init(tmp_path / "books", "--grants", "--delivery-obligation", "--ehealth",
                     name="Fjordhelse SF")
    with (main_file.parent / "2025.beancount").open("a", encoding="utf-8") as stream:
        stream.write(textwrap.dedent("""\
            2024-12-31 * "Åpningsbalanse"
              Assets:1920-Bank                  5000000.00 NOK
              Equity:2000-ContributedCapital   -1000000.00 NOK
              Equity:2050-OtherEquity          -4000000.00 NOK
            2025-02-01 * "Bergen kommune" "Langsiktig lån"
              Assets:1390-OtherLongTermReceivables  250000.00 NOK
              Assets:1920-Bank                     -250000.00 NOK
            2025-03-01 * "Leverandør" "Programvare"
              Assets:1040-Software               120000.00 NOK
                asset: "sw-2025"
              Assets:1920-Bank                  -120000.00 NOK
            2025-03-01 custom "nhnfin-asset" "sw-2025" "software"
              months: 48
            2025-04-01 * "Galleri" "Maleri"
              Assets:1060-Art                     50000.00 NOK
                asset: "art-2025"
              Assets:1920-Bank                   -50000.00 NOK
            2025-04-01 custom "nhnfin-asset" "art-2025" "art"
            2025-06-15 * "Leverandør" "Servere"
              Assets:1200-Infrastructure         600000.00 NOK
                asset: "srv-2025"
              Assets:1920-Bank                  -600000.00 NOK
            2025-07-01 custom "nhnfin-asset" "srv-2025" "infrastructure"
              months: 60
            """))
    return main_file


def test_a_new_ledgers_notes_are_its_own_not_nhns(tmp_path: Path) -> None:
    """`nhnfin init` writes generic notes: note 10 has the enterprise's one row of long-term
    receivables (before, NHN's "Prosjekt Akuttmedisinsk kommunikasjonssentral*" and "Utbygging
    stamnett Helse Sør-Øst" printed 0 / 0 above it), note 8 prints the lives of the assets the
    ledger registers (before, NHN's policy: "3-7 år", "10 år", "Evig"), and the layout is named
    for the enterprise."""
    main_file = _fjordhelse(tmp_path)
    notes_text = (main_file.parent / "notes.toml").read_text(encoding="utf-8")
    assert 'name = "Fjordhelse SF, noter til årsregnskapet fra 2025"' in notes_text
    assert notes_text.startswith("# Notene i årsregnskapet til Fjordhelse SF (skrevet av "
                                 "`nhnfin init` for 2025)")
    ledger = load(main_file)
    assert ledger.errors == []
    report = build_report(ledger, 2025)
    notes = {n.number: n for n in report.notes}
    (receivables,) = notes["10"].tables
    assert [(r.label, r.values["2025"], r.values["2024"]) for r in receivables.rows] == [
        ("Andre langsiktige fordringer", Decimal("250000.00"), Decimal("0")),
        ("Sum", Decimal("250000.00"), Decimal("0"))]
    tangible, intangible = notes["8"].tables
    assert tangible.row("useful_life").text_values == {"infrastructure": "5 år"}
    # the method of a class with a depreciated asset only: fixtures (no asset) and art (never
    # depreciated) are blank (failed before: "Lineær" for fixtures, which has no asset)
    assert tangible.row("depreciation_method").text_values == {"infrastructure": "Lineær"}
    assert intangible.row("useful_life").text_values == {"software": "4 år", "art": "Ubegrenset"}
    assert intangible.row("depreciation_method").text_values == {"software": "Lineær"}
    # July: the ledger's last entry is in July, and the plugin books up to its month's end
    assert tangible.row("depreciation_for_year").values["infrastructure"] == Decimal("-10000.00")
    assert not [t for t in report.tieouts if t.check_id.startswith("n8.useful_life")]


def test_note8_method_says_when_an_asset_follows_an_explicit_plan(tmp_path: Path) -> None:
    """A layout stating no method prints "Etter avskrivningsplan" for a class whose depreciated
    assets all follow ``nhnfin-schedule`` lines, "Lineær, etter avskrivningsplan" for one that
    mixes them with assets over ``months``, "Lineær" for straight-line only (failed before:
    "Lineær" for every class with a depreciated asset, though a plan's amounts are not
    straight-line)."""
    main_file = _fjordhelse(tmp_path)
    with (main_file.parent / "2025.beancount").open("a", encoding="utf-8") as stream:
        stream.write(textwrap.dedent("""\
            2025-05-01 * "Leverandør" "Journalsystem"
              Assets:1040-Software                90000.00 NOK
                asset: "sw-plan"
              Assets:1920-Bank                   -90000.00 NOK
            2025-05-01 custom "nhnfin-asset" "sw-plan" "software"
            2025-05-01 custom "nhnfin-schedule" "sw-plan" "2025" 60000.00 NOK
            2025-05-01 custom "nhnfin-schedule" "sw-plan" "2026" 30000.00 NOK
            2025-07-01 * "Leverandør" "Møbler"
              Assets:1250-FixturesAndEquipment    40000.00 NOK
                asset: "desk-plan"
              Assets:1920-Bank                   -40000.00 NOK
            2025-07-01 custom "nhnfin-asset" "desk-plan" "fixtures"
            2025-07-01 custom "nhnfin-schedule" "desk-plan" "2025-07" 10000.00 NOK
            2025-07-01 custom "nhnfin-schedule" "desk-plan" "2026" 30000.00 NOK
            """))
    ledger = load(main_file)
    assert ledger.errors == []
    tangible, intangible = {n.number: n for n in build_report(ledger, 2025).notes}["8"].tables
    assert tangible.row("depreciation_method").text_values == {
        "infrastructure": "Lineær", "fixtures_fittings_and_equipment": "Etter avskrivningsplan"}
    assert intangible.row("depreciation_method").text_values == {
        "software": "Lineær, etter avskrivningsplan"}


@pytest.mark.parametrize("form", ["md", "json"])
def test_no_nhn_text_in_a_new_ledgers_report(tmp_path: Path, form: str) -> None:
    """Nothing of NHN's own (its name, its projects, its printed lives) in the report of a ledger
    made by `nhnfin init`, nor in its notes file (before, note 10 and note 8 printed NHN's)."""
    main_file = _fjordhelse(tmp_path)
    result = CliRunner().invoke(main, ["report", str(main_file), "--year", "2025",
                                       "--format", form, "--no-cache"])
    assert result.exit_code == 0, result.output
    assert "Andre langsiktige fordringer" in result.output
    assert [w for w in NHN_WORDS if w in result.output] == []
    files = "".join(p.read_text(encoding="utf-8") for p in main_file.parent.iterdir())
    assert [w for w in NHN_WORDS if w in files] == []


def test_no_two_accounts_of_a_new_chart_share_a_number(tmp_path: Path) -> None:
    """With every rule the chart opens each NS 4102 number once (before, --ehealth opened
    Income:3000-SalesRevenue and Income:3000-EHealthRevenue), and the ordinary sales are not on
    3000-3099, which note 2 takes as e-health income when the rule is used."""
    main_file = init(tmp_path / "books", "--grants", "--delivery-obligation", "--ehealth")
    entries, errors, _ = loader.load_file(str(main_file))
    assert errors == []
    numbers = [o.account.split(":")[1].split("-")[0] for o in entries if type(o).__name__ == "Open"]
    assert sorted(n for n in set(numbers) if numbers.count(n) > 1) == []
    income = sorted(a.account for a in entries if type(a).__name__ == "Open"
                    and a.account.startswith("Income:30"))
    assert income == ["Income:3000-EHealthRevenue"]


def test_a_new_charts_grouping_codes_are_the_reviewed_ones(tmp_path: Path) -> None:
    """Where the chart `nhnfin init` writes sets a SAF-T grouping code on an account the reviewed
    mapping also has (docs/importers.md: "Reviewed account by account, for NHN's chart and the
    generic chart"), it is the reviewed code (before, 2910, 2920 and 2930 were "2990", Annen
    kortsiktig gjeld, where the table gives 2970, Uopptjent inntekt)."""
    main_file = init(tmp_path / "books", "--grants", "--delivery-obligation", "--ehealth")
    entries, errors, _ = loader.load_file(str(main_file))
    assert errors == []
    reviewed = chart_mapping()
    own = {o.account: (o.meta["saft-grouping-category"], o.meta["saft-grouping-code"])
           for o in entries if type(o).__name__ == "Open" and "saft-grouping-code" in o.meta}
    assert set(own) == {"Liabilities:2910-UnusedPublicGrants",
                        "Liabilities:2920-EHealthObligations",
                        "Liabilities:2930-InvestmentGrantsDeferred"}
    assert {a: g for a, g in own.items()
            if (reviewed[a].category, reviewed[a].code) != g} == {}


def test_every_delivery_obligation_event_books_in_a_new_ledger(tmp_path: Path) -> None:
    """Round twelve's probe: an ``nhnfin-impairment`` of a transfer in books made by ``nhnfin
    init --delivery-obligation`` was "ukjent konto Assets:1028-EHealthSolutionsAccumImpairment"
    at the transfer, which then was not booked at all (and broke the year's lock): the chart
    had no 1028. Transfer, impairment and disposal (the directives of
    docs/delivery-obligation.md) book, the report's tie-outs pass, and note 4 shows the year
    although the transfer's accounts net to zero in it."""
    main_file = init(tmp_path / "books", "--delivery-obligation")
    year = main_file.parent / "2025.beancount"
    year.write_text(year.read_text(encoding="utf-8") + textwrap.dedent("""
        2024-12-31 * "Åpningsbalanse" "Utgående balanse 2024"
          Assets:1920-Bank                  100000.00 NOK
          Equity:2000-ContributedCapital   -100000.00 NOK
        2025-01-01 custom "nhnfin-transfer" "journal-2025" 1200000.00 NOK
          months: 60
        2025-03-31 custom "nhnfin-impairment" "journal-2025" 100000.00 NOK
        2025-06-30 custom "nhnfin-disposal" "journal-2025"
          account: Expenses:7700-OtherOperatingCosts
        2025-12-31 * "Lønn" "Lønn desember"
          Expenses:5000-Salaries   1000.00 NOK
          Assets:1920-Bank        -1000.00 NOK
        """), encoding="utf-8")
    ledger = load(main_file)
    assert [e.message for e in ledger.errors] == []
    report = build_report(ledger, 2025)
    assert [t.check_id for t in report.tieouts if t.status is Status.FAILED] == []
    note4 = {r.key: r.values["national_ehealth_solutions"]
             for r in next(n for n in report.notes if n.number == "4").tables[0].rows}
    # added and disposed of in the year: the account nets to zero, and the note still shows
    # (before, note 4 was left out while the income statement cited it for 1 200 000)
    assert note4 == {"transferred_intangible_assets": 0, "accumulated_recognised_at_2025_01_01": 0,
                     "book_value_at_2025_01_01": 0, "additions_2025": Decimal("1200000.00"),
                     "recognised_2025": Decimal("-1200000.00"), "book_value_at_2025_12_31": 0}
    income = {r.key: r for r in report.statement("income_statement").rows}
    assert income["delivery_obligation_income"].amounts["2025"] == Decimal("1200000.00")
