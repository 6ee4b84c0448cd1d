"""``nhnfin invoice-basis``: formats, no overwriting, one-line errors."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

from beancount import loader
from click.testing import CliRunner
from openpyxl import load_workbook

from nhnfin.cli.ehealth import invoice_basis_cmd

EXAMPLE = Path(__file__).resolve().parents[2] / "ledger/examples/invoice-basis-2022.beancount"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(invoice_basis_cmd, [str(EXAMPLE), "--year", "2022", *args])
    return result.exit_code, result.output


def test_markdown() -> None:
    code, out = run()
    assert code == 0
    assert "| Kjernejournal | RHF | 60 | 105 900 000,00 | 86 500 000,00 | 63 540 000,00 |" in out
    assert "| Sum | RHF |  |  |  | 319 970 000,00 | 269 784 500,00 | 50 185 500,00 |" in out


def test_csv_lines_sum_to_the_need() -> None:
    code, out = run("--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert sum(Decimal(r["amount"]) for r in rows) == Decimal(573_900_000)


def test_json() -> None:
    code, out = run("--format", "json")
    assert code == 0
    document = json.loads(out)
    totals = {g["group"]: g["invoiced"] for g in document["groups"] if g["solution"] == "total"}
    assert totals == {"RHF": "319970000", "Kommune": "237710000", "Apotek": "13420000",
                      "Andre": "2800000"}


def test_beancount_invoices_load_with_the_example(tmp_path: Path) -> None:
    target = tmp_path / "invoices.beancount"
    code, out = run("--format", "beancount", "--output", str(target))
    assert (code, out) == (0, "")
    assert target.read_text().startswith("; Fakturagrunnlag nasjonale e-helseløsninger 2022")
    main = tmp_path / "main.beancount"  # the printed invoices open their customer accounts
    main.write_text(f'include "{EXAMPLE}"\ninclude "{target}"\n')
    entries, errors, _ = loader.load_file(str(main))
    assert errors == []
    liability = sum(p.units.number for e in entries if hasattr(e, "postings")
                    for p in e.postings if p.account == "Liabilities:2920-EHealthObligations")
    assert liability == Decimal(-573_900_000)


def test_printed_invoices_name_their_sources_relative_to_the_ledger(tmp_path: Path) -> None:
    target = tmp_path / "invoices.beancount"
    code, _ = run("--format", "beancount", "--output", str(target))
    assert code == 0
    text = target.read_text("utf-8")
    sources = [line.split(":", 1)[1].strip() for line in text.splitlines()
               if line.strip().startswith("nhnfin-source:")]
    assert len(sources) == 12  # one invoice per actor
    # the actor directives' lines in the example, by the ledger's own file name, no folder
    assert all(s.startswith('"invoice-basis-2022.beancount:') for s in sources), sources[:2]
    assert str(EXAMPLE.parent) not in text
    assert sources[0] == '"invoice-basis-2022.beancount:95"'


def test_xlsx(tmp_path: Path) -> None:
    target = tmp_path / "basis.xlsx"
    code, _ = run("--format", "xlsx", "--output", str(target))
    assert code == 0
    book = load_workbook(target)
    assert book.sheetnames == ["Grupper", "Aktører"]
    assert [c.value for c in book["Grupper"][1]] == [
        "Løsning-id", "Løsning", "Gruppe", "%", "Behov", "Kompensert", "Fakturert",
        "Gruppens kompensasjon", "Andel som ikke kompenseres"]
    assert [c.value for c in book["Aktører"][1]] == [
        "Periode", "Dato", "Aktør", "Gruppe", "Løsning", "Beløp"]


def test_never_overwrites_without_force(tmp_path: Path) -> None:
    target = tmp_path / "basis.md"
    target.write_text("keep")
    code, out = run("--output", str(target))
    assert (code, out) == (
        1, f"Feil: {target} finnes allerede; bruk --force for å overskrive den\n")
    assert target.read_text() == "keep"
    code, _ = run("--output", str(target), "--force")
    assert code == 0
    assert target.read_text().startswith("# Fakturagrunnlag nasjonale e-helseløsninger 2022")


def test_bad_input_is_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.beancount"
    bad.write_text(EXAMPLE.read_text().replace('"Kommune" 44.5 "Apotek" 11',
                                               '"Kommune" 44.5 "Apotek" 10'))
    result = CliRunner().invoke(invoice_basis_cmd, [str(bad), "--year", "2022"])
    assert result.exit_code == 1
    assert result.output.count("\n") == 1
    assert result.output.startswith(f"Feil: {bad}:")
    assert "nøkkelen for 'e-resept' summerer til 99.0 %, ikke 100 %" in result.output


def test_year_without_cost_basis() -> None:
    result = CliRunner().invoke(invoice_basis_cmd, [str(EXAMPLE), "--year", "2030"])
    assert (result.exit_code, result.output) == (
        1, f"Feil: {EXAMPLE}: ingen nhnfin-ehealth-cost-basis for 2030\n")


def test_several_errors_say_how_many_more_in_norwegian(tmp_path: Path) -> None:
    """The first error at its file:line and the count of the rest, as every command says it
    (before: invoice-basis said "(and 1 more)", cost-basis "(og 1 til)")."""
    bad = tmp_path / "bad.beancount"
    text = EXAMPLE.read_text()
    text = text.replace('"Kommune" 44.5 "Apotek" 11', '"Kommune" 44.5 "Apotek" 10')
    text = text.replace('"helseid" "RHF" 60 "Kommune" 40', '"helseid" "RHF" 60 "Kommune" 30')
    bad.write_text(text)
    result = CliRunner().invoke(invoice_basis_cmd, [str(bad), "--year", "2022"])
    assert result.exit_code == 1
    assert result.output.startswith(f"Feil: {bad}:51: ")
    assert result.output.endswith(" (og 3 til)\n")  # four errors in all


def test_a_fault_the_load_names_is_said_once_in_the_loads_words(tmp_path: Path) -> None:
    """The key gives Apotek 11 % and no pharmacy is declared: the load names the group at its
    line, with the period and what to do (basis.groups_without_anyone). Before, invoice-basis
    said its own shorter words for the same directive ("gruppen 'Apotek' har ingen aktør å
    fordele andelen sin på" and nothing more); now the load's, once."""
    accounts = Path(__file__).resolve().parents[2] / "ledger/accounts.beancount"
    bad = tmp_path / "groups.beancount"
    bad.write_text(
        f'option "operating_currency" "NOK"\nplugin "nhnfin"\ninclude "{accounts}"\n'
        '2022-01-01 custom "nhnfin-ehealth-options" "invoicing" "quarterly"\n'
        '2022-01-01 custom "nhnfin-ehealth-group" "RHF" TRUE\n'
        '2022-01-01 custom "nhnfin-ehealth-group" "Apotek" FALSE\n'          # 6
        '  split: "equal"\n'
        '2022-01-01 custom "nhnfin-ehealth-solution" "e-resept" "E-resept"\n'
        '2022-01-01 custom "nhnfin-ehealth-key" "e-resept" "RHF" 89 "Apotek" 11\n'
        '2022-01-01 custom "nhnfin-ehealth-cost-basis" "e-resept" 2022 1000000.00 NOK\n'
        '2022-01-01 custom "nhnfin-ehealth-actor" "Helse-Vest" "RHF"\n'
        '2022-01-01 custom "nhnfin-ehealth-population" "Helse-Vest" 1130000\n',
        encoding="utf-8")
    result = CliRunner().invoke(invoice_basis_cmd, [str(bad), "--year", "2022"])
    assert (result.exit_code, result.output) == (1, (
        f"Feil: {bad}:6: gruppen 'Apotek' har ingen aktør å fordele andelen sin på i 2022-Q1: "
        "nøkkelen for 'e-resept' gir gruppen 27500.00 NOK for perioden, men ingen blir "
        "fakturert for dem, så nhnfin invoice-basis --year 2022 stopper; legg til en aktør i "
        "gruppen (nhnfin-ehealth-actor) eller endre nøkkelen\n"))
