"""``nhnfin import`` and ``nhnfin saft``: output, dedup, refusing to overwrite, clean errors."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from nhnfin.cli.imports import import_cmd
from nhnfin.cli.imports import parse_bank_option
from nhnfin.cli.imports import saft_cmd
from tests.importers.conftest import DATA
from tests.importers.test_saft import LEDGER

REVERSAL = str(DATA / "camt" / "camt053.nhn.reversal.xml")
BANK = ["--bank", "NO9386011117947=Assets:1920-Bank"]


def _empty_ledger(folder: Path) -> str:
    """An empty ledger (nothing booked), the --ledger an --append needs."""
    ledger = folder / "empty.beancount"
    ledger.write_text("", encoding="utf-8")
    return str(ledger)


def _run(command: object, args: list[str]) -> tuple[int, str, str]:
    result = CliRunner().invoke(command, args)  # type: ignore[arg-type]
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.exit_code, result.stdout, result.stderr


def test_import_prints_beancount() -> None:
    code, out, _err = _run(import_cmd, [REVERSAL, *BANK])
    assert code == 0
    assert '2025-03-03 * "Atea AS" "Faktura 556677" ^camt-NHN-PAY-0042' in out


def test_output_refuses_an_existing_file_and_append_adds_only_new(tmp_path: Path) -> None:
    out = tmp_path / "import.beancount"
    ledger = _empty_ledger(tmp_path)
    assert _run(import_cmd, [REVERSAL, *BANK, "--output", str(out)])[0] == 0
    first = out.read_text()
    code, _out, err = _run(import_cmd, [REVERSAL, *BANK, "--output", str(out)])
    assert code == 1
    assert err == (f"Feil: {out} finnes allerede; den overskrives ikke (bruk --append med "
                   "--ledger REGNSKAP)\n")
    assert _run(import_cmd, [REVERSAL, *BANK, "--ledger", ledger, "--output", str(out),
                             "--append"])[0] == 0
    assert out.read_text().count("^camt-NHN-PAY-0042\n") == 1
    assert out.read_text().startswith(first)


def test_ledger_deduplicates(tmp_path: Path) -> None:
    ledger = tmp_path / "ledger.beancount"
    code, out, _err = _run(import_cmd, [REVERSAL, *BANK])
    ledger.write_text('plugin "beancount.plugins.auto_accounts"\n' + out)
    code, out, _err = _run(import_cmd, [REVERSAL, *BANK, "--ledger", str(ledger)])
    assert code == 0
    assert "\n2025-03-03 * " not in out
    assert '; 2025-03-03 * "Atea AS"' in out


@pytest.mark.parametrize(
    ("path", "message"),
    [
        (DATA / "camt" / "camt053.v2.wrong.xml",
         ":3: <BkToCstmrStmt>: ingen <Stmt> (kontoutskrift)"),
        (DATA / "unsafe" / "billion-laughs.xml", ":7: <!DOCTYPE>: dokumentet oppgir en DTD"),
        (DATA / "invoices-bad" / "bad-run.csv", ":2: kolonne 'amount': ikke et beløp: 'abc'"),
    ],
)
def test_bad_files_give_a_clear_error_not_a_traceback(path: Path, message: str) -> None:
    code, _out, err = _run(import_cmd, [str(path), *BANK])
    assert code == 1
    assert err.startswith(f"Feil: {path}{message}")
    assert "Traceback" not in err


def test_saft_writes_validated_file_and_refuses_to_overwrite(tmp_path: Path) -> None:
    ledger = tmp_path / "nhn.beancount"
    ledger.write_text(LEDGER)
    out = tmp_path / "saft.xml"
    assert _run(saft_cmd, [str(ledger), "--year", "2024", "--output", str(out)])[0] == 0
    assert b"<AuditFileVersion>1.30</AuditFileVersion>" in out.read_bytes()
    code, _out, err = _run(saft_cmd, [str(ledger), "--year", "2024", "--output", str(out)])
    assert (code, err) == (
        1, f"Feil: {out} finnes allerede; den overskrives ikke (bruk --force)\n")
    args = [str(ledger), "--year", "2024", "--output", str(out), "--force"]
    assert _run(saft_cmd, args)[0] == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["nhn.beancount", "saft.xml"]


def test_saft_without_company_is_an_error_at_the_ledger(tmp_path: Path) -> None:
    ledger = tmp_path / "nhn.beancount"
    ledger.write_text(LEDGER.replace("983658725", "983658726"))
    code, _out, err = _run(saft_cmd, [str(ledger), "--year", "2024", "-o", str(tmp_path / "x.xml")])
    assert code == 1
    assert err == (
        f"Feil: {ledger}:3: nhnfin-company: organisasjonsnummeret '983658726' er ikke gyldig "
        "(9 sifre, MOD11)\n"
    )
    assert not (tmp_path / "x.xml").exists()


def test_saft_example_round_trips_through_import(tmp_path: Path) -> None:
    """An imported SAF-T file is a ledger nhnfin can export again (with a company)."""
    shutil.copy(
        DATA / "saft" / "ExampleFile_SAF-T_Financial_888888888_20180228235959.xml", tmp_path
    )
    code, out, err = _run(import_cmd, [str(next(tmp_path.glob("*.xml")))])
    assert code == 0
    assert err.count(": advarsel: ") == 8
    assert "^saft-888888888-123ABC-1001" in out


def test_append_never_writes_onto_a_file_of_the_ledger(tmp_path: Path) -> None:
    """Even --append refuses a file the --ledger loads (main file or include): a command never
    writes onto the ledger it reads; the import goes to a new file the ledger then includes."""
    part = tmp_path / "bank.beancount"
    part.write_text("; imported bank statements\n", encoding="utf-8")
    ledger = tmp_path / "ledger.beancount"
    ledger.write_text('plugin "beancount.plugins.auto_accounts"\ninclude "bank.beancount"\n',
                      encoding="utf-8")
    for target in (part, ledger):
        before = target.read_bytes()
        code, _out, err = _run(import_cmd, [REVERSAL, *BANK, "--ledger", str(ledger),
                                            "--output", str(target), "--append"])
        assert code == 1
        assert "skriver ikke over" in err
        assert target.read_bytes() == before


def test_append_requires_the_ledger(tmp_path: Path) -> None:
    """Without --ledger, nhnfin cannot know that --output is a file the ledger includes: main
    appended the import to bank.beancount, the ledger's own included file, and the entries
    already booked there were booked again. Now --append needs --ledger: a usage error (exit 2)
    naming the flag, and nothing written."""
    part = tmp_path / "bank.beancount"
    code, out, _err = _run(import_cmd, [REVERSAL, *BANK])
    part.write_text(out, encoding="utf-8")
    (tmp_path / "ledger.beancount").write_text(
        'plugin "beancount.plugins.auto_accounts"\ninclude "bank.beancount"\n', encoding="utf-8")
    before = part.read_bytes()
    code, stdout, err = _run(import_cmd, [REVERSAL, *BANK, "--output", str(part), "--append"])
    assert (code, stdout) == (2, "")
    assert err.endswith(
        "Feil: --append krever --ledger REGNSKAP: uten regnskapet kan ikke nhnfin se om --output "
        "er en fil regnskapet leser, og legger ikke til i den\n")
    assert part.read_bytes() == before


@pytest.mark.parametrize("spelling", ["dot", "symlink", "hardlink", "folder-dots"])
def test_append_refuses_the_ledgers_file_under_any_name(tmp_path: Path, spelling: str) -> None:
    """With --ledger, --append refuses the ledger's included file named another way."""
    books = tmp_path / "books"
    books.mkdir()
    part = books / "bank.beancount"
    part.write_text("; imported bank statements\n", encoding="utf-8")
    ledger = books / "ledger.beancount"
    ledger.write_text('plugin "beancount.plugins.auto_accounts"\ninclude "bank.beancount"\n',
                      encoding="utf-8")
    target = {"dot": books / "." / "bank.beancount", "symlink": tmp_path / "link.beancount",
              "hardlink": tmp_path / "hard.beancount",
              "folder-dots": books / ".." / "books" / "bank.beancount"}[spelling]
    if spelling == "symlink":
        target.symlink_to(part)
    elif spelling == "hardlink":
        os.link(part, target)
    before = part.read_bytes()
    code, _out, err = _run(import_cmd, [REVERSAL, *BANK, "--ledger", str(ledger),
                                        "--output", str(target), "--append"])
    assert code == 1
    assert f"skriver ikke over {part}" in err
    assert part.read_bytes() == before
    assert target.read_bytes() == before


# --- issue 15 E and issue 18: options and --append ---


@pytest.mark.parametrize(
    ("option", "account"),
    [
        ("NO9386011117947=bank account", "bank account"),
        ("NO9386011117947=Assets:1920 Bank", "Assets:1920 Bank"),
        ("NO9386011117947=Bank:1920", "Bank:1920"),
        ("NO9386011117947=assets:1920-Bank", "assets:1920-Bank"),
    ],
)
def test_bank_account_beancount_cannot_parse_is_refused(
    tmp_path: Path, option: str, account: str
) -> None:
    out = tmp_path / "out.beancount"
    code, stdout, err = _run(import_cmd, [REVERSAL, "--bank", option, "--output", str(out)])
    assert (code, stdout) == (1, "")
    assert err == (
        f"Feil: --bank {option!r}: {account!r} er ikke et Beancount-kontonavn "
        "(Assets/Liabilities/Equity/Income/Expenses:Komponent, f.eks. Assets:1920-Bank); "
        "skriver ikke Beancount-tekst som ikke kan leses\n"
    )
    assert not out.exists()


def test_bank_account_under_the_ledgers_own_root_names(tmp_path: Path) -> None:
    """With --ledger the roots are the ledger's (option "name_assets" "Eiendeler")."""
    assert parse_bank_option("NO1=Eiendeler:1920-Bank", ("Eiendeler", "Gjeld")) == (
        "NO1",
        "Eiendeler:1920-Bank",
    )
    ledger = tmp_path / "l.beancount"
    ledger.write_text('option "name_assets" "Eiendeler"\n')
    code, _out, err = _run(import_cmd, [REVERSAL, "--ledger", str(ledger), *BANK])
    assert code == 1
    assert "'Assets:1920-Bank' er ikke et Beancount-kontonavn (Eiendeler/" in err


def test_counter_account_beancount_cannot_parse_is_refused() -> None:
    code, _out, err = _run(import_cmd, [REVERSAL, *BANK, "--counter-account", "suspense"])
    assert (code, err) == (
        1,
        "Feil: --counter-account 'suspense': ikke et Beancount-kontonavn "
        "(f.eks. Assets:1590-Unreconciled)\n",
    )


def test_append_with_nothing_new_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "import.beancount"
    assert _run(import_cmd, [REVERSAL, *BANK, "--output", str(out)])[0] == 0
    before = out.read_bytes()
    stamp = out.stat().st_mtime_ns
    code, _out, err = _run(import_cmd, [REVERSAL, *BANK, "--ledger", _empty_ledger(tmp_path),
                                        "--output", str(out), "--append"])
    assert (code, err) == (
        0,
        f"{out}: 0 nye poster skrevet (ingenting nytt: filen er urørt)\n",
    )
    assert out.read_bytes() == before
    assert out.stat().st_mtime_ns == stamp


def test_append_writes_only_the_heading_of_a_file_with_new_entries(tmp_path: Path) -> None:
    out = tmp_path / "import.beancount"
    assert _run(import_cmd, [REVERSAL, *BANK, "--output", str(out)])[0] == 0
    v4 = str(DATA / "camt" / "camt053.nhn.v4.xml")
    args = [REVERSAL, v4, *BANK, "--ledger", _empty_ledger(tmp_path), "--output", str(out),
            "--append"]
    assert _run(import_cmd, args)[0] == 0
    text = out.read_text()
    assert text.count(f";; {REVERSAL}\n") == 1
    assert text.count(f";; {v4}\n") == 1


def test_a_ledger_with_its_own_root_names_can_import(tmp_path: Path) -> None:
    """The text written is checked as the ledger parses it: with its renamed roots."""
    ledger = tmp_path / "bok.beancount"
    ledger.write_text(
        'option "name_assets" "Eiendeler"\n'
        'plugin "beancount.plugins.auto_accounts"\n'
        '2024-12-31 custom "nhnfin-bank-account" "NO9386011117947" Eiendeler:1920-Bank\n'
        '  counter-account: "Eiendeler:1590-Uavklart"\n', encoding="utf-8")
    out = tmp_path / "bank.beancount"
    code, _out, err = _run(import_cmd, [REVERSAL, "--ledger", str(ledger), "--output", str(out)])
    assert code == 0, err
    text = out.read_text(encoding="utf-8")
    assert "  Eiendeler:1920-Bank " in text
    assert "Assets:" not in text
