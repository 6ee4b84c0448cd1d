"""Bad input to the importers and the SAF-T export (issue 15 E, issue 18), in the catalogue's
form: one short ``Feil: file:line: ...`` message, exit 1, no traceback, no output file.

Kept beside :mod:`tests.bad_input.test_cli` (same :class:`CliCase` rows, same check) so the
importer cases can grow without touching the general table.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.bad_input.test_cli import BANK
from tests.bad_input.test_cli import CAMT
from tests.bad_input.test_cli import GOOD
from tests.bad_input.test_cli import RUN
from tests.bad_input.test_cli import CliCase
from tests.bad_input.test_cli import test_cli_case_gives_one_clear_message as check_case

OUT = ("--output", "{tmp}/out.beancount")
COMPANY = (
    b'2024-01-01 custom "nhnfin-company" "994598759" "NHN"\n'
    b'  contact-first-name: "A"\n  contact-last-name: "B"\n'
)
SAFT_OUT = ("--year", "2024", "--output", "{tmp}/out.xml")
#: the reversal sample's first entry amount, its closing balance and its account currency
ENTRY, CLOSING = b'<Amt Ccy="NOK">12500.00', b'<Amt Ccy="NOK">500.00</Amt><CdtDbtInd>CRDT</Cdt'
CLOSING_AT = CAMT.index(b"<Cd>CLBD</Cd>")


def closing(replacement: bytes) -> bytes:
    """The reversal sample with its closing balance (line 11) replaced."""
    head, tail = CAMT[:CLOSING_AT], CAMT[CLOSING_AT:]
    return head + tail.replace(CLOSING, replacement, 1)


def csv_run(body: bytes) -> bytes:
    """A comma-separated invoice run with one data row."""
    return b"invoice,customer,solution,period,amount\n" + body + b"\n"


IMPORT_CASES: list[CliCase] = [
    # ---- camt.053 amounts: the sign is CdtDbtInd, the decimals are the currency's ----------
    CliCase("camt-negative-amount-with-dbit", "non-numeric amounts",
            ("import", "{tmp}/s.xml", *BANK, *OUT),
            "s.xml:13: <Amt>: negativt beløp '-12500.00': beløp i camt har ikke fortegn", 1,
            {"s.xml": CAMT.replace(ENTRY, b'<Amt Ccy="NOK">-12500.00', 1)}, "out.beancount"),
    CliCase("camt-negative-balance", "non-numeric amounts", ("import", "{tmp}/s.xml", *BANK),
            "s.xml:11: <Amt>: negativt beløp '-500.00'", 1,
            {"s.xml": closing(b'<Amt Ccy="NOK">-500.00</Amt><CdtDbtInd>CRDT</Cdt')}),
    CliCase("camt-nok-three-decimals", "non-numeric amounts",
            ("import", "{tmp}/s.xml", *BANK, *OUT),
            "s.xml:13: <Amt>: beløpet 12500.005 NOK har flere desimaler enn NOK har (2)", 1,
            {"s.xml": CAMT.replace(ENTRY, b'<Amt Ccy="NOK">12500.005', 1)}, "out.beancount"),
    CliCase("camt-jpy-with-decimals", "non-numeric amounts", ("import", "{tmp}/s.xml", *BANK),
            "har flere desimaler enn JPY har (0)", 1,
            {"s.xml": CAMT.replace(ENTRY, b'<Amt Ccy="NOK">12500.50', 1).replace(b'"NOK"', b'"JPY"')
             .replace(b"<Ccy>NOK", b"<Ccy>JPY")}),
    # ---- camt.053 statements that cannot be booked ------------------------------------------
    CliCase("camt-does-not-add-up", "non-numeric amounts",
            ("import", "{tmp}/s.xml", *BANK, *OUT),
            "s.xml:11: <Bal> CLBD: kontoutskriften går ikke opp: inngående OPBD 500.00 + 2 "
            "bokførte poster 0.00 = 500.00, men utgående saldo er 600.00 NOK", 1,
            {"s.xml": closing(b'<Amt Ccy="NOK">600.00</Amt><CdtDbtInd>CRDT</Cdt')},
            "out.beancount"),
    CliCase("camt-closing-in-another-currency", "wrong currency",
            ("import", "{tmp}/s.xml", *BANK, *OUT),
            "s.xml:11: <Bal> CLBD: 500.00 SEK avvist: konto NO9386011117947 er i NOK", 1,
            {"s.xml": closing(b'<Amt Ccy="SEK">500.00</Amt><CdtDbtInd>CRDT</Cdt')},
            "out.beancount"),
    CliCase("camt-entry-in-another-currency", "wrong currency",
            ("import", "{tmp}/s.xml", *BANK),
            "s.xml:12: <Ntry>: -12500.00 EUR avvist: konto NO9386011117947 er i NOK", 1,
            {"s.xml": CAMT.replace(ENTRY, b'<Amt Ccy="EUR">12500.00', 1)}),
    # ---- invoice runs: commas are never guessed ----------------------------------------------
    CliCase("csv-comma-separated-unquoted-decimal-comma", "non-numeric amounts",
            ("import", "{tmp}/run.csv", *OUT),
            "run.csv:2: rad: 6 celler, men overskriften har 5", 1,
            {"run.csv": csv_run(b"1,Oslo kommune,Kjernejournal,2024-Q1,1042953,50")},
            "out.beancount"),
    CliCase("csv-comma-separated-unquoted-thousands", "non-numeric amounts",
            ("import", "{tmp}/run.csv", *OUT),
            "run.csv:2: rad: 6 celler, men overskriften har 5", 1,
            {"run.csv": csv_run(b"1,Oslo kommune,Kjernejournal,2024-Q1,1,000")},
            "out.beancount"),
    CliCase("csv-comma-separated-quoted-1-000", "non-numeric amounts",
            ("import", "{tmp}/run.csv", *OUT),
            "run.csv:2: kolonne 'amount': tvetydig beløp '1,000'", 1,
            {"run.csv": csv_run(b'1,Oslo kommune,Kjernejournal,2024-Q1,"1,000"')},
            "out.beancount"),
    CliCase("csv-semicolon-1-000", "non-numeric amounts", ("import", "{tmp}/run.csv"),
            "run.csv:2: kolonne 'amount': tvetydig beløp '1,000'", 1,
            {"run.csv": RUN.replace(b"1 042 953,50", b"1,000")}),
    CliCase("csv-semicolon-dot-thousands", "non-numeric amounts", ("import", "{tmp}/run.csv"),
            "run.csv:2: kolonne 'amount': tvetydig beløp '2.500'", 1,
            {"run.csv": RUN.replace(b"1 042 953,50", b"2.500")}),
    # ---- --bank / --counter-account: names Beancount cannot parse ---------------------------
    CliCase("bank-account-with-a-space", "wrong types",
            ("import", "{tmp}/s.xml", "--bank", "NO9386011117947=bank account", *OUT),
            "--bank 'NO9386011117947=bank account': 'bank account' er ikke et Beancount-kontonavn",
            1, {"s.xml": CAMT}, "out.beancount"),
    CliCase("bank-account-unknown-root", "unknown accounts",
            ("import", "{tmp}/s.xml", "--bank", "NO9386011117947=Bank:1920", *OUT),
            "'Bank:1920' er ikke et Beancount-kontonavn", 1, {"s.xml": CAMT}, "out.beancount"),
    CliCase("bank-account-empty", "missing fields",
            ("import", "{tmp}/s.xml", "--bank", "NO9386011117947="),
            "--bank 'NO9386011117947=': skriv IBAN=KONTO", 1, {"s.xml": CAMT}),
    CliCase("counter-account-lowercase", "wrong types",
            ("import", "{tmp}/s.xml", *BANK, "--counter-account", "assets:1590", *OUT),
            "--counter-account 'assets:1590': ikke et Beancount-kontonavn", 1,
            {"s.xml": CAMT}, "out.beancount"),
    # ---- nhnfin saft: grouping codes and registration numbers --------------------------------
    CliCase("saft-export-account-outside-the-mapping", "unknown accounts",
            ("saft", "{tmp}/l.beancount", *SAFT_OUT),
            "l.beancount:9: ingen SAF-T-grupperingskode for 1280 (Assets:1280-Kontormaskiner)", 1,
            {"l.beancount": GOOD + COMPANY + b"2019-12-31 open Assets:1280-Kontormaskiner NOK\n"},
            "out.xml"),
    CliCase("saft-export-code-not-in-the-official-list", "wrong types",
            ("saft", "{tmp}/l.beancount", *SAFT_OUT),
            "l.beancount:9: SAF-T-grupperingskoden 1281 er ikke i den offisielle listen for "
            "næringsspesifikasjonen i kategorien 'balanseverdiForAnleggsmiddel'", 1,
            {"l.beancount": GOOD + COMPANY + b"2019-12-31 open Assets:1280-Kontormaskiner NOK\n"
             b'  saft-grouping-category: "balanseverdiForAnleggsmiddel"\n'
             b'  saft-grouping-code: "1281"\n'}, "out.xml"),
    CliCase("saft-export-half-an-override", "missing fields",
            ("saft", "{tmp}/l.beancount", *SAFT_OUT),
            "l.beancount:9: oppgi både saft-grouping-category og saft-grouping-code på "
            "open-direktivet",
            1, {"l.beancount": GOOD + COMPANY + b"2019-12-31 open Assets:1280-Kontormaskiner NOK\n"
                b'  saft-grouping-code: "1280"\n'}, "out.xml"),
    CliCase("saft-export-supplier-bad-org-number", "wrong types",
            ("saft", "{tmp}/l.beancount", *SAFT_OUT),
            "l.beancount:9: nhnfin-supplier: organisasjonsnummeret '988999998' er ikke gyldig", 1,
            {"l.beancount": GOOD + COMPANY
             + b'2019-12-31 custom "nhnfin-supplier" "Crayon AS" "988999998"\n'}, "out.xml"),
]


@pytest.mark.parametrize("case", IMPORT_CASES, ids=lambda c: c.id)
def test_importer_case_gives_one_clear_message(case: CliCase, tmp_path: Path) -> None:
    check_case(case, tmp_path)


def test_importer_case_ids_are_unique() -> None:
    assert len({c.id for c in IMPORT_CASES}) == len(IMPORT_CASES)
