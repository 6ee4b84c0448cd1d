"""Bad input on the command line: one short message naming the file (and line), exit != 0, no
traceback, and no half-written output file.

Each row of :data:`CLI_CASES` is one invocation of ``nhnfin``: the arguments (``{tmp}`` is the
test's folder), the files to write there first, the exit code, a fragment the message must hold,
and whether ``--output`` must be absent afterwards or keep its old content.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from nhnfin.cli.main import main
from tests.bad_input.cases import ACCOUNTS
from tests.bad_input.cases import ROOT

DATA = ROOT / "tests" / "data"
CAMT = (DATA / "camt" / "camt053.nhn.reversal.xml").read_bytes()
RUN = (DATA / "invoices" / "invoice-run-2024-q1.csv").read_bytes()
XLSX = (DATA / "invoices" / "invoice-run-2024-q3.xlsx").read_bytes()
SAFT = (DATA / "saft" / "Eksempelfil_fra_xmlSpy.xml").read_bytes()
EXAMPLE = str(ROOT / "ledger" / "nhn.beancount")
BANK = ("--bank", "NO9386011117947=Assets:1920-Bank")
OLD = b"; the old content\n"

GOOD = (
    f'option "operating_currency" "NOK"\ninclude "{ACCOUNTS}"\n'
    '2024-01-10 * "Renter"\n  Assets:1920-Bank 100.00 NOK\n  Income:3900-OtherIncome -100.00 NOK\n'
).encode()
HUGE_POSTING = (
    '2024-02-10 * "x"\n'
    f"  Assets:1920-Bank 1{'0' * 40}.00 NOK\n"
    f"  Income:3900-OtherIncome -1{'0' * 40}.00 NOK\n"
).encode()
EHEALTH = (
    b'2024-01-01 custom "nhnfin-ehealth-solution" "kj" "Kjernejournal"\n'
    b'2024-01-01 custom "nhnfin-ehealth-group" "RHF" TRUE\n'
    b'2024-01-01 custom "nhnfin-ehealth-key" "kj" "RHF" 100\n'
    b'2024-01-01 custom "nhnfin-ehealth-cost-basis" "kj" 2024 100 USD\n'
)

EXAMPLES = ROOT / "ledger" / "examples"
GRANTS = str(EXAMPLES / "grants.beancount")
COST_BASIS = str(EXAMPLES / "cost-basis-2022.beancount")
INVOICE_BASIS = str(EXAMPLES / "invoice-basis-2022.beancount")
OVERSPENT = (  # a grant of 1000 paid, 1500 of costs linked in March: overspent by 500
    f'option "operating_currency" "NOK"\nplugin "nhnfin"\ninclude "{ACCOUNTS}"\n'
    '2024-01-01 custom "nhnfin-grant" "g1"\n  name: "Tilskudd"\n  source: "Kap. 701"\n'
    '  amount: 1000.00 NOK\n  note-row: "public_grant"\n'
    '2024-01-05 * "Utbetaling"\n  grant: "g1"\n  Assets:1920-Bank 1000.00 NOK\n'
    "  Liabilities:2910-UnusedPublicGrants\n"
    '2024-03-10 * "Konsulent"\n  Expenses:6700-ExternalServices 1500.00 NOK\n'
    '    grant: "g1"\n  Assets:1920-Bank\n'
).encode()
UNDER_COVERED = (  # 500 invoiced for a solution, 800 of its cost: 300 not covered
    f'option "operating_currency" "NOK"\nplugin "nhnfin"\ninclude "{ACCOUNTS}"\n'
    '2024-01-01 custom "nhnfin-ehealth-solution" "kj" "Kjernejournal"\n'
    '2024-01-15 * "Faktura"\n  Assets:1500-TradeReceivables 500.00 NOK\n'
    '  Liabilities:2920-EHealthObligations -500.00 NOK\n    solution: "kj"\n'
    '2024-03-31 * "Drift"\n  solution: "kj"\n  Expenses:6700-ExternalServices 800.00 NOK\n'
    "  Assets:1920-Bank -800.00 NOK\n"
).encode()
YEARLESS = "regnskapet har ingen posteringer i"
LATE = (  # books that begin on 1 March 2024
    b'option "operating_currency" "NOK"\n2024-03-01 open Assets:1920-Bank NOK\n'
    b'2024-03-01 open Income:3900-OtherIncome NOK\n'
    b'2024-03-10 * "Renter"\n  Assets:1920-Bank 100.00 NOK\n  Income:3900-OtherIncome\n'
)


def published(row: str) -> bytes:
    """A published report whose income statement has the one row given (JSON text)."""
    return ('{"statements": {"income_statement": [' + row + "]}}").encode()


@dataclass(frozen=True)
class CliCase:
    """One bad invocation: ``args`` (``{tmp}`` = the test folder), ``files`` written there first,
    the expected exit code and message fragment, and ``output``: the ``--output`` file name, and
    whether it existed before (``old``: it must keep :data:`OLD`; else it must not exist)."""

    id: str
    category: str
    args: tuple[str, ...]
    fragment: str
    exit_code: int = 1
    files: dict[str, bytes] = field(default_factory=dict)
    output: str | None = None
    old: bool = False


CLI_CASES: list[CliCase] = [
    # ---- nhnfin report ------------------------------------------------------------------------
    CliCase("report-no-ledger", "missing fields", ("report", "{tmp}/nope.beancount", "--year",
            "2024", "--output", "{tmp}/out.md"), "nope.beancount: regnskapsfilen finnes ikke",
            output="out.md"),
    CliCase("report-year-text", "wrong types", ("report", "{tmp}/l.beancount", "--year", "abc"),
            "'abc' er ikke et gyldig heltall", 2, {"l.beancount": GOOD}),
    CliCase("report-year-without-postings", "dates out of range",
            ("report", "{tmp}/l.beancount", "--year", "9998", "--output", "{tmp}/out.md"),
            "regnskapet har ingen posteringer i 9998 (det har 2024)", 1,
            {"l.beancount": GOOD, "out.md": OLD}, "out.md", old=True),
    CliCase("report-unknown-format", "wrong types",
            ("report", "{tmp}/l.beancount", "--year", "2024", "--format", "odt"),
            "'odt' er ikke en av", 2, {"l.beancount": GOOD}),
    CliCase("report-huge-posting", "huge numbers",
            ("report", "{tmp}/l.beancount", "--year", "2024", "--strict"),
            "l.beancount:7: posteringen på Assets:1920-Bank: 1" + "0" * 40 + ".00 er for stort",
            1, {"l.beancount": GOOD + HUGE_POSTING}),
    # bean-check and the report said nothing of a malformed company: only nhnfin saft read it
    CliCase("report-company-bad-org-number", "wrong types",
            ("report", "{tmp}/l.beancount", "--year", "2024", "--strict"),
            "l.beancount:4: nhnfin-company: organisasjonsnummeret '994598758' er ikke gyldig", 1,
            {"l.beancount": GOOD.replace(b"\n", b'\nplugin "nhnfin"\n', 1).replace(
                b"2024-01-10", b'2024-01-01 custom "nhnfin-company" "994598758" "NHN"\n'
                b"2024-01-10", 1)}),
    # a purchase marked with an asset id nothing declares: never depreciated, without a word
    CliCase("report-asset-mark-undeclared", "unknown accounts",
            ("report", "{tmp}/l.beancount", "--year", "2024", "--strict"),
            "l.beancount:8: ukjent eiendel 'srv-1': ingen custom \"nhnfin-asset\"", 1,
            {"l.beancount": GOOD.replace(b"\n", b'\nplugin "nhnfin"\n', 1)
             + b'2024-02-10 * "Server"\n  Assets:1200-Infrastructure 100.00 NOK\n'
               b'    asset: "srv-1"\n  Assets:1920-Bank -100.00 NOK\n'}),
    CliCase("report-latin1-ledger", "encoding errors",
            ("report", "{tmp}/l.beancount", "--year", "2024", "--strict"),
            "l.beancount:6: UnicodeDecodeError", 1,
            {"l.beancount": GOOD + b'2024-02-10 * "K\xf8benhavn"\n'}),
    CliCase("report-bom-ledger", "encoding errors",
            ("report", "{tmp}/l.beancount", "--year", "2024", "--strict"),
            "l.beancount:1: Invalid token", 1, {"l.beancount": b"\xef\xbb\xbf" + GOOD}),
    CliCase("report-layout-latin1", "encoding errors",
            ("report", "{tmp}/l.beancount", "--year", "2024", "--output", "{tmp}/out.md"),
            "l.beancount:6: layout", 1,
            {"l.beancount": GOOD + b'2024-01-01 custom "nhnfin-layout" "latin.toml"\n',
             "latin.toml": b"name = '\xe6'\n"}, "out.md"),
    CliCase("report-published-truncated", "truncated files",
            ("report", "{tmp}/l.beancount", "--year", "2024", "--published", "{tmp}/p.json",
             "--output", "{tmp}/out.md"),
            "p.json:1: ikke gyldig JSON: Expecting value (kolonne 16)", 1,
            {"l.beancount": GOOD, "p.json": b'{"statements": '}, "out.md"),
    CliCase("report-published-not-an-object", "wrong types",
            ("report", "{tmp}/l.beancount", "--year", "2024", "--published", "{tmp}/p.json",
             "--output", "{tmp}/out.md"),
            "p.json: ikke en publisert rapport: øverste nivå må være et objekt", 1,
            {"l.beancount": GOOD, "p.json": b"[1, 2]"}, "out.md"),
    CliCase("report-published-text-amount", "non-numeric amounts",
            ("report", "{tmp}/l.beancount", "--year", "2024", "--published", "{tmp}/p.json",
             "--output", "{tmp}/out.md"),
            "statements.income_statement.x.2024: 'abc' er ikke et beløp", 1,
            {"l.beancount": GOOD, "p.json": published('{"key": "x", "2024": "abc"}'),
             "out.md": OLD}, "out.md", old=True),
    CliCase("report-published-1e30", "huge numbers",
            ("report", "{tmp}/l.beancount", "--year", "2024", "--published", "{tmp}/p.json"),
            "statements.income_statement.x.2024: '1E+30' er ikke et beløp", 1,
            {"l.beancount": GOOD, "p.json": published('{"key": "x", "2024": "1E+30"}')}),
    CliCase("report-published-row-without-key", "missing fields",
            ("report", "{tmp}/l.beancount", "--year", "2024", "--published", "{tmp}/p.json"),
            "hver rad må være et objekt med en 'key'", 1,
            {"l.beancount": GOOD, "p.json": published('{"2024": "1"}')}),
    CliCase("report-published-latin1", "encoding errors",
            ("report", "{tmp}/l.beancount", "--year", "2024", "--published", "{tmp}/p.json"),
            "p.json:1: er ikke UTF-8-tekst: byte 0xe6 i kolonne 8 er ikke gyldig UTF-8", 1,
            {"l.beancount": GOOD, "p.json": b'{"a": "\xe6"}'}),
    CliCase("report-published-directive-missing-file", "missing fields",
            ("report", "{tmp}/l.beancount", "--year", "2024"), "nope.json", 1,
            {"l.beancount": GOOD + b'2024-12-31 custom "nhnfin-published" "nope.json"\n'}),
    # a byte that is not UTF-8 in the notes file was "n.toml:1: kan ikke lese notefilen:
    # 'utf-8' codec can't decode byte 0xe6 in position 14: ...", line 1 whatever its line; in a
    # note text template Python's words without a line; a folder "[Errno 21] Is a directory: 3"
    CliCase("report-notes-latin1", "encoding errors", ("report", "{tmp}/l.beancount", "--year",
                                                       "2024"),
            "Feil: {tmp}/n.toml:3: notefilen er ikke UTF-8-tekst: byte 0xe6 i kolonne 3 er "
            "ikke gyldig UTF-8", 1,
            {"l.beancount": GOOD + b'2024-01-01 custom "nhnfin-notes" "n.toml"\n',
             "n.toml": b"# noter\n# x\n# \xe6\n"}),
    CliCase("report-note-text-latin1", "encoding errors", ("report", "{tmp}/l.beancount",
                                                           "--year", "2024"),
            "Feil: {tmp}/l.beancount:6: notemalen {tmp}/t.md.j2:3 er ikke UTF-8-tekst: byte "
            "0xe6 i kolonne 1 er ikke gyldig UTF-8", 1,
            {"l.beancount": GOOD + b'2024-12-31 custom "nhnfin-note-text" "1" "t.md.j2"\n',
             "t.md.j2": b"# Tekst\n\n\xe6\n"}),
    CliCase("report-note-text-folder", "wrong types", ("report", "{tmp}/l.beancount", "--year",
                                                       "2024"),
            "Feil: {tmp}/l.beancount:6: kan ikke lese notemalen {tmp}: er en mappe", 1,
            {"l.beancount": GOOD + b'2024-12-31 custom "nhnfin-note-text" "1" "."\n'}),
    # ---- nhnfin import: camt.053 -----------------------------------------------------------
    CliCase("camt-truncated", "truncated files",
            ("import", "{tmp}/s.xml", *BANK, "--output", "{tmp}/out.beancount"),
            "s.xml:16: XML: ikke velformet: Premature end of data", 1,
            {"s.xml": CAMT[: len(CAMT) // 2]}, "out.beancount"),
    CliCase("camt-latin1-bytes", "encoding errors", ("import", "{tmp}/s.xml", *BANK),
            "s.xml:21: XML: ikke velformet: Invalid bytes in character encoding", 1,
            {"s.xml": CAMT.replace(b"Atea AS", b"\xc5tea AS")}),
    CliCase("camt-nul-byte", "encoding errors", ("import", "{tmp}/s.xml", *BANK),
            "s.xml:21: XML: ikke velformet: Invalid character: Char 0x0", 1,
            {"s.xml": CAMT.replace(b"Atea AS", b"At\x00ea AS")}),
    CliCase("camt-text-amount", "non-numeric amounts",
            ("import", "{tmp}/s.xml", *BANK, "--output", "{tmp}/out.beancount"),
            "s.xml:13: <Amt>: ikke et beløp: '12,500.0x'", 1,
            {"s.xml": CAMT.replace(b">12500.00<", b">12,500.0x<", 1)}, "out.beancount"),
    CliCase("camt-1e30", "huge numbers",
            ("import", "{tmp}/s.xml", *BANK, "--output", "{tmp}/out.beancount"),
            "s.xml:13: <Amt>: ikke et beløp: '1E+30'", 1,
            {"s.xml": CAMT.replace(b">12500.00<", b">1E+30<", 1)}, "out.beancount"),
    CliCase("camt-40-digits", "huge numbers", ("import", "{tmp}/s.xml", *BANK),
            "s.xml:13: <Amt>: ikke et beløp: '" + "9" * 40 + ".00'", 1,
            {"s.xml": CAMT.replace(b">12500.00<", b">" + b"9" * 40 + b".00<", 1)}),
    CliCase("camt-bad-date", "dates out of range", ("import", "{tmp}/s.xml", *BANK),
            "s.xml:30: <BookgDt>: ikke en dato: '2025-13-03'", 1,
            {"s.xml": CAMT.replace(b"<Dt>2025-03-03</Dt></BookgDt>",
                                   b"<Dt>2025-13-03</Dt></BookgDt>")}),
    CliCase("camt-missing-currency", "missing fields", ("import", "{tmp}/s.xml", *BANK),
            "s.xml:13: <Amt>: attributtet Ccy mangler", 1,
            {"s.xml": CAMT.replace(b'<Amt Ccy="NOK">12500.00', b"<Amt>12500.00", 1)}),
    # ---- nhnfin import: invoice runs (CSV, XLSX) -------------------------------------------
    CliCase("csv-cut-mid-row", "truncated files",
            ("import", "{tmp}/run.csv", "--output", "{tmp}/out.beancount"),
            "run.csv:3: kolonne 'solution': tom", 1,
            {"run.csv": RUN[: RUN.index(b"\n10043") + 12]}, "out.beancount"),
    CliCase("csv-latin1", "encoding errors", ("import", "{tmp}/run.csv"),
            "run.csv:1: tegnkoding: ikke UTF-8-tekst", 1,
            {"run.csv": RUN.decode().encode("latin-1")}),
    CliCase("csv-nul-byte", "encoding errors", ("import", "{tmp}/run.csv"),
            "run.csv:2: rad: inneholder en NUL-byte", 1,
            {"run.csv": RUN.replace(b"Oslo", b"Os\x00lo")}),
    CliCase("csv-text-amount", "non-numeric amounts", ("import", "{tmp}/run.csv"),
            "run.csv:2: kolonne 'amount': ikke et beløp: 'tusen'", 1,
            {"run.csv": RUN.replace(b"1 042 953,50", b"tusen")}),
    CliCase("csv-1e30", "huge numbers",
            ("import", "{tmp}/run.csv", "--output", "{tmp}/out.beancount"),
            "run.csv:2: kolonne 'amount': beløpet '1E+30' er for stort", 1,
            {"run.csv": RUN.replace(b"1 042 953,50", b"1E+30")}, "out.beancount"),
    CliCase("csv-40-digits", "huge numbers", ("import", "{tmp}/run.csv"),
            "run.csv:2: kolonne 'amount': beløpet '" + "9" * 40 + "' er for stort", 1,
            {"run.csv": RUN.replace(b"1 042 953,50", b"9" * 40)}),
    CliCase("csv-month-13", "dates out of range", ("import", "{tmp}/run.csv"),
            "run.csv:3: kolonne 'period': perioden '2024-13' har ingen måned 13", 1,
            {"run.csv": RUN.replace(b"2024-01", b"2024-13")}),
    CliCase("csv-missing-column", "missing fields", ("import", "{tmp}/run.csv"),
            "run.csv:1: overskrift: mangler kolonnene ['amount']", 1,
            {"run.csv": RUN.replace(b";Bel\xc3\xb8p", b";Tekst")}),
    CliCase("xlsx-truncated", "truncated files",
            ("import", "{tmp}/run.xlsx", "--output", "{tmp}/out.beancount"),
            "run.xlsx: XLSX: kan ikke leses", 1, {"run.xlsx": XLSX[:500]}, "out.beancount"),
    CliCase("import-append-keeps-old-content", "truncated files",
            ("import", "{tmp}/run.csv", "--ledger", "{tmp}/books.beancount", "--output",
             "{tmp}/out.beancount", "--append"),
            "run.csv:3: kolonne 'solution': tom", 1,
            {"run.csv": RUN[: RUN.index(b"\n10043") + 12], "out.beancount": OLD,
             "books.beancount": b""},
            "out.beancount", old=True),
    # ---- nhnfin import: SAF-T --------------------------------------------------------------
    CliCase("saft-truncated", "truncated files", ("import", "{tmp}/saft.xml"),
            "saft.xml:200: XML: ikke velformet", 1, {"saft.xml": SAFT[: len(SAFT) // 2]}),
    CliCase("saft-huge-amount", "huge numbers", ("import", "{tmp}/saft.xml"),
            "saft.xml:", 1, {"saft.xml": SAFT.replace(
                b"<DebitAmount>\n\t\t\t\t\t\t<Amount>", b"<DebitAmount>\n\t\t\t\t\t\t<Amount>"
                + b"9" * 40, 1)}),
    # ---- nhnfin saft -----------------------------------------------------------------------
    CliCase("saft-export-year-0", "dates out of range",
            ("saft", EXAMPLE, "--year", "0", "--output", "{tmp}/out.xml"),
            "0 er ikke i intervallet 1<=x<=9998", 2, output="out.xml"),
    CliCase("saft-export-ledger-with-errors", "unknown accounts",
            ("saft", "{tmp}/l.beancount", "--year", "2024", "--output", "{tmp}/out.xml"),
            "l.beancount har 1 feil; rett dem først (den første: ", 1,
            {"l.beancount": GOOD + b'2024-03-01 * "x"\n  Assets:1921-Nope 1.00 NOK\n'
             b"  Assets:1920-Bank\n"}, "out.xml"),
    CliCase("saft-export-company-without-contact", "missing fields",
            ("saft", "{tmp}/l.beancount", "--year", "2024", "--output", "{tmp}/out.xml",
             "--force"),
            "l.beancount:6: nhnfin-company: contact-first-name: mangler",
            1, {"l.beancount": GOOD + b'2024-01-01 custom "nhnfin-company" "994598759" "NHN"\n',
                "out.xml": OLD}, "out.xml", old=True),
    CliCase("saft-export-company-bad-org-number", "wrong types",
            ("saft", "{tmp}/l.beancount", "--year", "2024", "--output", "{tmp}/out.xml"),
            "l.beancount:6: nhnfin-company: organisasjonsnummeret '123' er ikke gyldig", 1,
            {"l.beancount": GOOD + b'2024-01-01 custom "nhnfin-company" "123" "NHN"\n'
             b'  contact-first-name: "A"\n  contact-last-name: "B"\n'}, "out.xml"),
    # ---- nhnfin invoice-basis --------------------------------------------------------------
    CliCase("invoice-basis-year-99999", "dates out of range",
            ("invoice-basis", EXAMPLE, "--year", "99999"),
            "99999 er ikke i intervallet 1<=x<=9998", 2),
    CliCase("invoice-basis-usd-need", "wrong currency",
            ("invoice-basis", "{tmp}/e.beancount", "--year", "2024", "--output",
             "{tmp}/out.csv", "--format", "csv"),
            "e.beancount:4: nhnfin-ehealth-cost-basis: behovet må være et beløp i NOK", 1,
            {"e.beancount": EHEALTH}, "out.csv"),
    CliCase("invoice-basis-output-under-a-file", "missing fields",
            ("invoice-basis", "{tmp}/e.beancount", "--year", "2024", "--format", "csv",
             "--output", "{tmp}/f.txt/out.csv"),
            "f.txt/out.csv: kan ikke skrives: en del av stien er en fil, ikke en mappe", 1,
            {"e.beancount": EHEALTH.replace(b"100 USD", b"100 NOK")
             + b'2024-01-01 custom "nhnfin-ehealth-actor" "HV" "RHF"\n'
             b'2024-01-01 custom "nhnfin-ehealth-population" "HV" 1000\n', "f.txt": OLD}),
    CliCase("invoice-basis-xlsx-to-stdout", "missing fields",
            ("invoice-basis", EXAMPLE, "--year", "2024", "--format", "xlsx"),
            "--format xlsx krever --output FIL (et regneark skrives ikke til skjermen)", 1),
    # ==== a year with nothing in the ledger is a one-line error, never an empty table (15 E) ==
    CliCase("grant-usage-year-1900", "empty year",
            ("grant-usage", GRANTS, "--year", "1900"),
            f"{YEARLESS} 1900 (det har 2022, 2023 og 2024)"),
    CliCase("grant-usage-year-after-the-books", "empty year",
            ("grant-usage", GRANTS, "--year", "2031", "--output", "{tmp}/out.md"),
            f"{YEARLESS} 2031", output="out.md"),
    CliCase("grant-usage-year-keeps-old-output", "empty year",
            ("grant-usage", GRANTS, "--year", "1900", "--format", "csv", "--output",
             "{tmp}/out.csv"), f"{YEARLESS} 1900", files={"out.csv": OLD}, output="out.csv",
            old=True),
    CliCase("grant-usage-year-text", "wrong types", ("grant-usage", GRANTS, "--year", "abc"),
            "'abc' er ikke et gyldig heltall", 2),
    CliCase("grant-usage-without-grants", "missing fields",
            ("grant-usage", "{tmp}/l.beancount", "--year", "2024"),
            'l.beancount: ingen tilskudd er oppgitt (custom "nhnfin-grant")', 1,
            {"l.beancount": GOOD}),
    CliCase("grant-usage-xlsx-to-stdout", "missing fields",
            ("grant-usage", GRANTS, "--year", "2024", "--format", "xlsx"),
            "--format xlsx krever --output FIL (et regneark skrives ikke til skjermen)"),
    CliCase("saft-export-year-without-postings", "empty year",
            ("saft", EXAMPLE, "--year", "2031", "--output", "{tmp}/out.xml"),
            f"{YEARLESS} 2031 (det har 2020, 2021, 2022, 2023 og 2024)", output="out.xml"),
    CliCase("saft-export-year-1900", "empty year",
            ("saft", "{tmp}/l.beancount", "--year", "1900", "--output", "{tmp}/out.xml"),
            f"{YEARLESS} 1900 (det har 2024)", 1, {"l.beancount": GOOD}, "out.xml"),
    CliCase("report-year-1900", "empty year",
            ("report", "{tmp}/l.beancount", "--year", "1900"), f"{YEARLESS} 1900 (det har 2024)",
            1, {"l.beancount": GOOD}),
    CliCase("cost-basis-year-1900", "empty year",
            ("cost-basis", COST_BASIS, "--year", "1900"),
            "verken budsjett, prognose eller D&F-kostnad for 1900"),
    CliCase("cost-basis-year-1", "empty year",
            ("cost-basis", COST_BASIS, "--year", "1", "--output", "{tmp}/out.md"),
            "verken budsjett, prognose eller D&F-kostnad for 1", output="out.md"),
    CliCase("cost-basis-unknown-version", "unknown accounts",
            ("cost-basis", COST_BASIS, "--year", "2022", "--versions", "nope,nada"),
            "ukjent versjon 'nope' (kjente versjoner: vaar-2021, host-2021)"),
    CliCase("cost-basis-three-versions", "wrong types",
            ("cost-basis", COST_BASIS, "--year", "2022", "--versions", "a,b,c"),
            "oppgi én eller to versjons-id-er, skilt med komma", 2),
    CliCase("cost-basis-xlsx-to-stdout", "missing fields",
            ("cost-basis", COST_BASIS, "--year", "2022", "--format", "xlsx"),
            "--format xlsx krever --output FIL (et regneark skrives ikke til skjermen)"),
    CliCase("investment-plan-without-initiatives", "missing fields",
            ("investment-plan", "{tmp}/l.beancount"),
            "l.beancount: ingen nhnfin-initiative med plan (nhnfin-investment-plan)", 1,
            {"l.beancount": GOOD}),
    CliCase("invoice-basis-year-1900", "empty year",
            ("invoice-basis", INVOICE_BASIS, "--year", "1900"),
            "ingen nhnfin-ehealth-cost-basis for 1900"),
    CliCase("reconcile-year-1900", "empty year",
            ("reconcile", "{tmp}/l.beancount", "--year", "1900"),
            f"{YEARLESS} 1900 (det har 2024)", 2, {"l.beancount": GOOD}),
    # ==== a reconciliation date outside the year or before the books is refused, in words =====
    # (round eight: `reconcile --year 2025 --as-of 2024-06-30` said OK, nothing compared)
    CliCase("reconcile-as-of-before-year", "dates out of range",
            ("reconcile", "{tmp}/l.beancount", "--year", "2024", "--as-of", "2023-06-30"),
            "avstemmingsdatoen (--as-of) 30.06.2023 er før regnskapsåret 2024 begynner "
            "(01.01.2024)", 2, {"l.beancount": GOOD}),
    CliCase("reconcile-as-of-before-books", "dates out of range",
            ("reconcile", "{tmp}/late.beancount", "--year", "2024", "--as-of", "2024-02-01"),
            "avstemmingsdatoen (--as-of) 01.02.2024 er før regnskapet begynner: det første som "
            "er ført, er datert 01.03.2024 ({tmp}/late.beancount:2)", 2,
            {"late.beancount": LATE}),
    CliCase("reconcile-as-of-years-after", "dates out of range",
            ("reconcile", "{tmp}/l.beancount", "--year", "2024", "--as-of", "2026-01-01"),
            "avstemmingsdatoen (--as-of) 01.01.2026 er mer enn ett år etter regnskapsåret 2024 "
            "(senest 31.12.2025)", 2, {"l.beancount": GOOD}),
    CliCase("report-as-of-before-books", "dates out of range",
            ("report", "{tmp}/late.beancount", "--as-of", "2024-02-01", "--no-cache"),
            "datoen 01.02.2024 er før regnskapet begynner: det første som er ført, er datert "
            "01.03.2024 ({tmp}/late.beancount:2)", 1, {"late.beancount": LATE}),
    CliCase("close-year-1900", "empty year",
            ("close", "{tmp}/l.beancount", "--year", "1900", "--dry-run"),
            f"{YEARLESS} 1900 (det har 2024)", 1, {"l.beancount": GOOD}),
    CliCase("close-waive-unknown-check", "wrong types",
            ("close", "{tmp}/l.beancount", "--year", "2024", "--waive", "tie-outs"),
            "'tie-outs' er ikke en av 'reconciliation', 'findings'", 2, {"l.beancount": GOOD}),
    # ==== a year no date can hold is a usage error in every command, never a traceback ======
    # (`close --year 0` ended in "ValueError: year 0 is out of range" from datetime.date)
    *(CliCase(f"{args[0]}-year-{year}", "dates out of range",
              tuple(a.replace("YEAR", year) for a in args),
              f"{year} er ikke i intervallet 1<=x<=9998", 2, output=out)
      for year in ("0", "99999")
      for args, out in (
          (("report", EXAMPLE, "--year", "YEAR", "--output", "{tmp}/out.md"), "out.md"),
          (("grant-usage", GRANTS, "--year", "YEAR", "--output", "{tmp}/out.md"), "out.md"),
          (("cost-basis", COST_BASIS, "--year", "YEAR", "--output", "{tmp}/out.md"), "out.md"),
          (("reconcile", EXAMPLE, "--year", "YEAR"), None),
          (("close", EXAMPLE, "--year", "YEAR", "--output", "{tmp}/out.beancount"),
           "out.beancount"),
          (("init", "{tmp}/new", "--name", "X", "--orgnr", "983544622", "--year", "YEAR"),
           "new"))),
    # ==== a file format (xlsx, docx, pdf) is never written to the screen ====================
    # (`report --format xlsx` without --output wrote the workbook's bytes to the terminal)
    *(CliCase(f"report-{fmt}-to-stdout", "missing fields",
              ("report", EXAMPLE, "--year", "2024", "--format", fmt),
              f"--format {fmt} krever --output FIL ({what} skrives ikke til skjermen)")
      for fmt, what in (("xlsx", "et regneark"), ("docx", "et dokument"),
                        ("pdf", "et dokument"))),
    CliCase("investment-plan-xlsx-to-stdout", "missing fields",
            ("investment-plan", EXAMPLE, "--format", "xlsx"),
            "--format xlsx krever --output FIL (et regneark skrives ikke til skjermen)"),
    # ==== findings are not ledger errors, but --strict stops on them (issue 15 F) ============
    # (named from the ledger's folder, as the report names them; r11user: "funn: /tmp/.../g...")
    CliCase("report-strict-overspent-grant", "over the balance",
            ("report", "{tmp}/g.beancount", "--year", "2024", "--strict", "--no-cache"),
            "funn: g.beancount:13: Tilskudd g1 er overforbrukt i 2024-03: kostnader "
            "1 500 NOK, tilgjengelig 1 000 NOK; 500 NOK er ikke inntektsført", 1,
            {"g.beancount": OVERSPENT}),
    CliCase("report-strict-under-coverage", "over the balance",
            ("report", "{tmp}/e.beancount", "--year", "2024", "--strict", "--no-cache"),
            "funn: e.beancount:9: Underdekning Kjernejournal (kj) 2024: D&F-kostnad 800 NOK "
            "overstiger det som var tilgjengelig (overført + fakturert) med 300 NOK", 1,
            {"e.beancount": UNDER_COVERED}),
]


@pytest.mark.parametrize("case", CLI_CASES, ids=lambda c: c.id)
def test_cli_case_gives_one_clear_message(case: CliCase, tmp_path: Path) -> None:
    for name, content in case.files.items():
        (tmp_path / name).write_bytes(content)
    args = [a.replace("{tmp}", str(tmp_path)) for a in case.args]
    result = CliRunner().invoke(main, args)
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.exit_code == case.exit_code, result.stderr
    assert "Traceback" not in result.stderr
    assert case.fragment.replace("{tmp}", str(tmp_path)) in result.stderr
    if case.exit_code == 1 and "--strict" not in args:  # one message, not a dump
        assert result.stderr.startswith("Feil: ")
        assert result.stderr.count("\n") <= 3, result.stderr
    if case.output is not None:
        target = tmp_path / case.output
        if case.old:
            assert target.read_bytes() == OLD
        else:
            assert not target.exists()
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []


def test_the_cli_catalogue_covers_every_command() -> None:
    assert {c.args[0] for c in CLI_CASES} == {
        "report", "import", "saft", "invoice-basis", "grant-usage", "cost-basis",
        "investment-plan", "reconcile", "close", "init"}
    assert len({c.id for c in CLI_CASES}) == len(CLI_CASES)


def _commands() -> dict[str, click.Command]:
    context = click.Context(main)
    return {name: main.get_command(context, name) for name in main.list_commands(context)}


def test_every_year_option_is_tried_out_of_range() -> None:
    """A command that takes --year is in the catalogue with a year no date holds."""
    with_year = {name for name, command in _commands().items()
                 if any(p.name == "year" for p in command.params)}
    tried = {c.args[0] for c in CLI_CASES if c.category == "dates out of range"
             and set(c.args) & {"0", "99999"}}
    assert with_year == tried


def test_every_as_of_option_is_tried_out_of_range() -> None:
    """A command that takes --as-of is in the catalogue with a date outside its year."""
    with_as_of = {name for name, command in _commands().items()
                  if any(p.name == "as_of" for p in command.params)}
    tried = {c.args[0] for c in CLI_CASES if c.category == "dates out of range"
             and "--as-of" in c.args}
    assert with_as_of == tried


def test_every_file_format_is_tried_without_output() -> None:
    """A command that can write xlsx, docx or pdf is in the catalogue writing one to the screen."""
    binary = {"xlsx", "docx", "pdf"}
    offered = {(name, fmt) for name, command in _commands().items() for p in command.params
               if p.name == "fmt" and isinstance(p.type, click.Choice)
               for fmt in set(p.type.choices) & binary}
    tried = {(c.args[0], c.args[c.args.index("--format") + 1]) for c in CLI_CASES
             if "--format" in c.args and "--output" not in c.args
             and "skrives ikke til skjermen" in c.fragment}
    assert offered <= tried, sorted(offered - tried)
