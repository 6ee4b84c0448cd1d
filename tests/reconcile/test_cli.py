"""``nhnfin reconcile`` on the command line: the text summary, JSON, and the exit codes."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from nhnfin.cli.reconcile import nok
from tests.conftest import EXAMPLE
from tests.reconcile.conftest import ATEA
from tests.reconcile.conftest import BOOKS
from tests.reconcile.conftest import FEE
from tests.reconcile.conftest import PAYMENT
from tests.reconcile.conftest import books
from tests.reconcile.conftest import cli
from tests.reconcile.conftest import statement
from tests.reconcile.conftest import statement_xml
from tests.reconcile.conftest import write

DATA = Path(__file__).resolve().parents[1] / "data" / "camt"


def test_reconciled_exits_0_with_a_text_summary(tmp_path: Path) -> None:
    result = cli(str(books(tmp_path, PAYMENT, FEE)), "--year", "2024",
                 "--statement", str(statement(tmp_path)), "--as-of", "2025-01-15")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "Avstemming Testforetak 2024 per 15.01.2025"
    assert [line for line in lines if line and not line.startswith(" ")][1:] == [
        "Bank: OK", "Kunder: OK", "Leverandører: IKKE AKTUELT", "Avstemminger: OK",
        "Resultat: alt er avstemt"]
    assert any(line.startswith("    Utgående saldo 31.12.2024 NHN-2024-12: kontoutskrift "
                               "1 199 750, regnskap 1 199 750 NOK: OK") for line in lines)
    assert "    Bergen-kommune           10043                        01.12.2024        " \
           "100 000,50  45 dager" in lines
    assert "  ingen leverandørreskontro (ingen underkontoer til 2400)" in lines


def test_difference_exits_1_and_lists_the_item_with_its_age(tmp_path: Path) -> None:
    result = cli(str(books(tmp_path, PAYMENT)), "--statement", str(statement(tmp_path)),
                 "--as-of", "2025-01-15")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert "Bank: AVVIK (differanse 250; 1 ikke bokført)" in lines
    assert "    Ikke bokført (1):" in lines
    item = next(line for line in lines if "camt-REF-2" in line)
    assert item.startswith("    30.12.2024              \u2212250 NOK  16 dager  camt-REF-2  "
                           "DNB Gebyr  [")
    assert lines[-1] == "Resultat: AVVIK"


def test_json(tmp_path: Path) -> None:
    result = cli(str(books(tmp_path, PAYMENT)), "--statement", str(statement(tmp_path)),
                 "--as-of", "2025-01-15", "--format", "json")
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert (document["reconciled"], document["year"], document["as_of"]) == (
        False, 2024, "2025-01-15")
    assert {k: document[k]["outcome"] for k in ("bank", "customers", "suppliers", "tieouts")} == {
        "bank": "avvik", "customers": "ok", "suppliers": "empty", "tieouts": "ok"}
    (account,) = document["bank"]["accounts"]
    assert account["not_booked"][0]["amount"] == "-250.00"
    assert account["not_booked"][0]["age_days"] == 16
    assert account["checks"][1]["difference"] == "250.00"


ON_SUSPENSE = """\
2024-12-20 * "Oslo kommune" "Faktura 10042" ^camt-REF-1
  statement: "NHN-2024-12"
  Assets:1920-Bank                            200000.00 NOK
  Assets:1590-Unreconciled                   -200000.00 NOK
2024-12-30 * "DNB" "Gebyr" ^camt-REF-2
  statement: "NHN-2024-12"
  Assets:1920-Bank                              -250.00 NOK
  Assets:1590-Unreconciled                       250.00 NOK
"""


def test_bank_header_says_what_is_open_when_the_balances_agree(tmp_path: Path) -> None:
    """The statement imported and not yet moved off the suspense account (docs/new-ledger.md,
    step 4): every balance agrees, so the difference is 0, and the header names the two items
    left (before: "Bank: AVVIK (differanse 0)", which does not say what is wrong)."""
    result = cli(str(books(tmp_path, ON_SUSPENSE)), "--statement", str(statement(tmp_path)),
                 "--as-of", "2025-01-15")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[2] == "Bank: AVVIK (differanse 0; 2 poster på Assets:1590-Unreconciled)"
    assert lines[-1] == "Resultat: AVVIK"


def test_missing_ledger_exits_2(tmp_path: Path) -> None:
    result = cli(str(tmp_path / "nope.beancount"))
    assert result.exit_code == 2
    assert result.stderr == f"Feil: {tmp_path / 'nope.beancount'}: filen finnes ikke\n"


def test_missing_statement_exits_2(tmp_path: Path) -> None:
    result = cli(str(books(tmp_path)), "--statement", str(tmp_path / "nope.xml"))
    assert (result.exit_code, result.stderr) == (
        2, f"Feil: {tmp_path / 'nope.xml'}: filen finnes ikke\n")


def test_unreadable_statement_exits_2_with_one_line(tmp_path: Path) -> None:
    wrong = DATA / "camt053.v2.wrong.xml"
    result = cli(str(books(tmp_path)), "--statement", str(wrong))
    assert result.exit_code == 2
    assert result.stderr == (f"Feil: {wrong}:3: <BkToCstmrStmt>: ingen <Stmt> (kontoutskrift) "
                             "i filen\n")


def test_statement_of_an_unconfigured_account_exits_2(tmp_path: Path) -> None:
    other = DATA / "camt053.v2.minimal.xml"
    result = cli(str(books(tmp_path)), "--statement", str(other))
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert ("konto NL26VAYB8060476890 er ikke satt opp med nhnfin-bank-account (satt opp: "
            "NO9386011117947)") in result.stderr


def test_statement_in_another_currency_than_the_bank_account_exits_2(tmp_path: Path) -> None:
    """A EUR statement for the NOK bank account is no statement of these books: it is refused
    as the importer refuses it (one line, the first balance at fault), not compared with the
    books as "regnskap 0 EUR" (before: an AVVIK of the whole balance, exit 1)."""
    eur = write(tmp_path, statement_xml().replace("NOK", "EUR"), "eur.xml")
    result = cli(str(books(tmp_path)), "--statement", str(eur), "--as-of", "2025-01-15")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (f"Feil: {eur}:8: <Bal> OPBD: 1000000.00 EUR avvist: konto "
                             "NO9386011117947 er i EUR (kontoen i regnskapet tillater NOK)\n")


def test_statement_that_does_not_add_up_is_still_compared(tmp_path: Path) -> None:
    """Only the currency is refused: a statement whose balances do not add up is a difference
    of the reconciliation, as the bank wrote it."""
    result = cli(str(books(tmp_path, PAYMENT, FEE)), "--statement",
                 str(statement(tmp_path, closing="1199700.00")), "--as-of", "2025-01-15")
    assert result.exit_code == 1
    assert ("Utgående saldo 31.12.2024 NHN-2024-12: kontoutskrift 1 199 700, regnskap "
            "1 199 750 NOK: AVVIK 50") in result.stdout


def test_year_without_postings_exits_2(tmp_path: Path) -> None:
    result = cli(str(books(tmp_path)), "--year", "2030")
    assert (result.exit_code, result.stderr) == (
        2, "Feil: regnskapet har ingen posteringer i 2030 (det har 2022 og 2024)\n")


def test_amounts_in_norwegian_format_to_the_ore() -> None:
    assert [nok(Decimal(x)) for x in ("1199750.00", "-250", "100000.50", "-0.40", "0")] == [
        "1 199 750", "\u2212250", "100 000,50", "\u22120,40", "0"]


def test_acceptance_ledger_2024() -> None:
    result = cli(str(EXAMPLE), "--year", "2024")
    lines = result.stdout.splitlines()
    assert lines[0] == "Avstemming Norsk helsenett SF 2024 per 31.12.2024"
    # no bank statements are imported into the acceptance ledger, and 1590 is empty
    assert lines[2:6] == [
        "Bank: IKKE AKTUELT",
        "  Assets:1920-Bank (NO9386011117947)",
        "    ingen importerte kontoutskrifter (ingen saldokontroller (balance) i perioden, "
        "ingen --statement)",
        "  Assets:1590-Unreconciled: saldo 0",
    ]
    # every receivable sits on a customer: the sub-ledger equals the control account
    assert "Kunder: OK" in lines
    assert "Leverandører: IKKE AKTUELT" in lines
    assert "Avstemminger: OK" in lines
    assert lines[-1] == "Resultat: alt er avstemt"
    assert result.exit_code == 0


def test_a_balances_source_is_named_in_norwegian(tmp_path: Path) -> None:
    """Each statement balance says where it was read: ``[hovedbok file:line]`` for a ``balance``
    in the ledger, ``[kontoutskrift file:line]`` for a --statement file (failed before:
    ``[ledger …]``, and a statement file's line with no word)."""
    from tests.reconcile.test_bank import IMPORTED
    main = books(tmp_path, IMPORTED)
    xml = statement(tmp_path, closing="1199000.00")
    result = cli(str(main), "--statement", str(xml), "--as-of", "2025-01-15")
    sources = [line.rsplit("  [", 1)[1] for line in result.stdout.splitlines()
               if line.startswith("    ") and " saldo " in line]
    assert [s.split(" ", 1)[0] for s in sources] == ["hovedbok", "kontoutskrift", "hovedbok"]
    line = main.read_text().splitlines().index(IMPORTED.splitlines()[0]) + 1
    assert sources[0] == f"hovedbok {main}:{line}]"
    assert sources[1].startswith(f"kontoutskrift {xml}:")


def test_the_tieout_count_says_advarsler_in_the_plural() -> None:
    """"2 ADVARSLER", "1 ADVARSEL" (failed before: "2 ADVARSEL")."""
    from nhnfin.cli.reconcile import render_tieouts
    from nhnfin.model import Status
    from nhnfin.model import TieOut
    from nhnfin.reconcile.model import TieOutResult

    def tieout(n: int) -> TieOut:
        return TieOut(f"x.{n}", "Kontroll", Decimal(1), Decimal(2), Status.WARNING)

    assert render_tieouts(TieOutResult((tieout(1), tieout(2)), ()))[1] == (
        "  2 kontroller: 0 OK, 0 AVVIK, 2 ADVARSLER")
    assert render_tieouts(TieOutResult((tieout(1),), ()))[1] == (
        "  1 kontroller: 0 OK, 0 AVVIK, 1 ADVARSEL")


def test_each_open_bank_item_says_statement_or_ledger_at_file_line(tmp_path: Path) -> None:
    """An entry of the statement not in the books ends ``[kontoutskrift file:line]`` (the
    ``<Ntry>`` of the XML), a posting of the books not on the statement and an item left on the
    suspense account ``[hovedbok file:line]`` (failed before: ``[file:line]`` with no word, so the
    controller could not tell a bank line from a posting)."""
    manual = """\
2024-12-16 * "Ukjent" ^camt-REF-9
  Assets:1590-Unreconciled          500.00 NOK
  Expenses:7700-Other              -500.00 NOK
"""
    main = books(tmp_path, PAYMENT, ATEA, manual)
    xml = statement(tmp_path)
    result = cli(str(main), "--statement", str(xml), "--as-of", "2025-01-15")
    assert result.exit_code == 1, result.output
    lines = result.stdout.splitlines()
    start = (BOOKS + PAYMENT).count("\n") + 1  # ATEA's first line, then manual's
    fee = statement_xml().splitlines().index("      <Ntry>", 12) + 1
    assert lines[lines.index("    Ikke bokført (1):") + 1] == (
        f"    30.12.2024              \u2212250 NOK  16 dager  camt-REF-2  DNB Gebyr  "
        f"[kontoutskrift {xml}:{fee}]")
    assert lines[lines.index("    Ikke på kontoutskrift (1):") + 1] == (
        f"    15.12.2024            \u22123 000 NOK  31 dager  -  Atea AS Faktura 556677  "
        f"[hovedbok {main}:{start}]")
    assert lines[lines.index("  Assets:1590-Unreconciled: saldo 500, 1 åpne poster:") + 1] == (
        f"    16.12.2024               500 NOK  30 dager  camt-REF-9  Ukjent  "
        f"[hovedbok {main}:{start + 3}]")
    document = json.loads(cli(str(main), "--statement", str(xml), "--as-of", "2025-01-15",
                              "--format", "json").stdout)
    (account,) = document["bank"]["accounts"]
    assert [(i["in_ledger"], i["source"]) for i in (*account["not_booked"],
                                                    *account["not_on_statement"],
                                                    *document["bank"]["suspense"])] == [
        (False, f"{xml}:{fee}"), (True, f"{main}:{start}"), (True, f"{main}:{start + 3}")]


@pytest.mark.parametrize("given", ["2025-13-01", "2024-02-30", "15.01.2025", "2025-1-15"])
def test_an_as_of_that_is_no_date_is_refused_in_bokmal(tmp_path: Path, given: str) -> None:
    """Exit 2 and one line in bokmål (failed before: Click's "Invalid value for '--as-of':
    '2025-13-01' does not match the format '%Y-%m-%d'." under a usage line)."""
    result = cli(str(books(tmp_path)), "--as-of", given)
    assert (result.exit_code, result.stderr) == (
        2, f"Feil: --as-of: «{given}» er ikke en dato; skriv den ÅÅÅÅ-MM-DD, f.eks. 2025-01-15\n")


def test_an_as_of_outside_the_year_is_refused_before_anything_is_computed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """--as-of is checked before the statements are read and the report is built (failed
    before: the whole report for the year was built, then the date refused)."""
    def not_now(*args: object, **kwargs: object) -> None:
        raise AssertionError("computed before --as-of was checked")

    monkeypatch.setattr("nhnfin.reconcile.run.build_report", not_now)
    monkeypatch.setattr("nhnfin.cli.reconcile.read_statements", not_now)
    result = cli(str(books(tmp_path)), "--year", "2024", "--as-of", "2026-01-01",
                 "--statement", str(statement(tmp_path)))
    assert (result.exit_code, result.stderr) == (
        2, "Feil: avstemmingsdatoen (--as-of) 01.01.2026 er mer enn ett år etter regnskapsåret "
           "2024 (senest 31.12.2025); angi året som skal avstemmes med --year\n")
    result = cli(str(books(tmp_path)), "--year", "1900")
    assert (result.exit_code, result.stderr) == (
        2, "Feil: regnskapet har ingen posteringer i 1900 (det har 2022 og 2024)\n")


def test_ledger_and_statement_files_are_named_from_the_current_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run in the books' folder, the output names the ledger's files as it names the statement,
    from there (failed before: ``[hovedbok /tmp/.../books.beancount:30]`` beside
    ``[kontoutskrift december.xml:19]``); the ledger given by its full path likewise, in the text
    and the JSON. A file outside the folder keeps its full path."""
    main = books(tmp_path, PAYMENT, ATEA)
    statement(tmp_path)
    monkeypatch.chdir(tmp_path)
    start = (BOOKS + PAYMENT).count("\n") + 1
    fee = statement_xml().splitlines().index("      <Ntry>", 12) + 1
    for ledger in ("books.beancount", str(main)):
        lines = cli(ledger, "--statement", "december.xml", "--as-of", "2025-01-15"
                    ).stdout.splitlines()
        assert lines[lines.index("    Ikke bokført (1):") + 1].endswith(
            f"[kontoutskrift december.xml:{fee}]")
        assert lines[lines.index("    Ikke på kontoutskrift (1):") + 1].endswith(
            f"[hovedbok books.beancount:{start}]")
    document = json.loads(cli(str(main), "--statement", str(tmp_path / "december.xml"),
                              "--as-of", "2025-01-15", "--format", "json").stdout)
    (account,) = document["bank"]["accounts"]
    assert [i["source"] for i in (*account["not_booked"], *account["not_on_statement"])] == [
        f"december.xml:{fee}", f"books.beancount:{start}"]
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub")
    lines = cli(str(main), "--statement", str(tmp_path / "december.xml"),
                "--as-of", "2025-01-15").stdout.splitlines()
    assert lines[lines.index("    Ikke på kontoutskrift (1):") + 1].endswith(
        f"[hovedbok {main}:{start}]")


def test_a_folder_is_named_a_folder_not_a_missing_file(tmp_path: Path) -> None:
    """Round 13's probe: ``--statement bank`` (a folder) and a folder as LEDGER said "filen finnes
    ikke" of a folder that is there."""
    (tmp_path / "bank").mkdir()
    result = cli(str(books(tmp_path)), "--statement", str(tmp_path / "bank"))
    assert (result.exit_code, result.stderr) == (
        2, f"Feil: {tmp_path / 'bank'}: er en mappe, ikke en fil\n")
    result = cli(str(tmp_path / "bank"))
    assert (result.exit_code, result.stderr) == (
        2, f"Feil: {tmp_path / 'bank'}: er en mappe, ikke en regnskapsfil\n")


def test_tieouts_header_names_the_ledger_errors_not_a_difference(tmp_path: Path) -> None:
    """A failed ``balance`` is an error of the ledger, no tie-out's: the header counts it
    (before: "Avstemminger: AVVIK (differanse 0)" beside "0 AVVIK", naming a difference of
    nothing)."""
    path = books(tmp_path, PAYMENT, FEE, "2025-01-01 balance Assets:1920-Bank  1.00 NOK\n")
    result = cli(str(path), "--year", "2024", "--statement", str(statement(tmp_path)),
                 "--as-of", "2025-01-15")
    assert result.exit_code == 1, result.output
    lines = result.stdout.splitlines()
    at = lines.index("Avstemminger: AVVIK (1 feil i regnskapet)")
    assert lines[at + 1] == "  25 kontroller: 24 OK, 0 AVVIK, 1 ADVARSEL"
    assert lines[at + 3] == (
        f"  Feil i regnskapet: {path}:33: Balance failed for 'Assets:1920-Bank': "
        "expected 1.00 NOK != accumulated 1199750.00 NOK (1199749.00 too much)")
    assert lines[-1] == "Resultat: AVVIK"
