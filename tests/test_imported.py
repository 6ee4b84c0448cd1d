"""One imported document booked twice is an error at the copy (nhnfin.imported): an invoice run,
a bank statement line and a SAF-T transaction, each written by ``nhnfin import`` to two new files
that are both included. Before, an invoice run booked twice passed bean-check and ``nhnfin
reconcile`` said "alt er avstemt" with every invoice counted twice."""

from __future__ import annotations

import textwrap
from pathlib import Path

from click.testing import CliRunner

from nhnfin.cli.imports import import_cmd
from nhnfin.ledger import load
from tests.conftest import load_text

BOOKS = """\
option "title" "Testforetak"
option "operating_currency" "NOK"
plugin "nhnfin"
2024-12-31 open Assets:1500-TradeReceivables NOK
2024-12-31 open Assets:1500-TradeReceivables:Oslo-kommune NOK
2024-12-31 open Assets:1590-Unreconciled NOK
2024-12-31 open Assets:1920-Bank NOK
2024-12-31 open Liabilities:2920-EHealthObligations NOK
2024-12-31 open Income:3100-ServiceRevenue NOK
2024-12-31 custom "nhnfin-bank-account" "NO9386011117947" Assets:1920-Bank
"""

RUN = """\
Fakturanummer;Kunde;Løsning;Periode;Beløp
10042;Oslo kommune;kjernejournal;2025-Q1;1 042 953,50
"""

STATEMENT = """\
<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">
  <BkToCstmrStmt>
    <GrpHdr><MsgId>M1</MsgId><CreDtTm>2025-02-01T06:00:00</CreDtTm></GrpHdr>
    <Stmt>
      <Id>S-2025-01</Id>
      <Acct><Id><IBAN>NO9386011117947</IBAN></Id><Ccy>NOK</Ccy></Acct>
      <Ntry>
        <Amt Ccy="NOK">250.00</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts>BOOK</Sts>
        <BookgDt><Dt>2025-01-30</Dt></BookgDt><AcctSvcrRef>REF-2</AcctSvcrRef>
        <NtryDtls><TxDtls><RmtInf><Ustrd>Gebyr</Ustrd></RmtInf></TxDtls></NtryDtls>
      </Ntry>
    </Stmt>
  </BkToCstmrStmt>
</Document>
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text), "utf-8")
    return path


def imported_twice(tmp_path: Path, document: Path, text: str = BOOKS) -> Path:
    """``nhnfin import DOCUMENT --ledger books --output`` to a.beancount and to b.beancount
    (neither included yet, so both are new), then both included (books: ``text``)."""
    books = write(tmp_path, "books.beancount", text)
    for name in ("a.beancount", "b.beancount"):
        result = CliRunner().invoke(import_cmd, [str(document), "--ledger", str(books),
                                                 "--output", str(tmp_path / name)])
        assert result.exit_code == 0, result.output
    books.write_text(text + 'include "a.beancount"\ninclude "b.beancount"\n', "utf-8")
    return books


def test_an_invoice_run_imported_twice_is_an_error_at_the_copy(tmp_path: Path) -> None:
    # the run's solution declared: its invoices name it (else: ukjent løsning 'kjernejournal')
    books = imported_twice(tmp_path, write(tmp_path, "run.csv", RUN), BOOKS
                           + '2024-12-31 custom "nhnfin-ehealth-solution" "kjernejournal" "KJ"\n')
    ledger = load(books)
    assert [(e.source["filename"], e.source["lineno"], e.message) for e in ledger.errors] == [(
        str(tmp_path / "b.beancount"), 3,
        "importposten ^inv-10042-8fdb318539 er ført to ganger: den står også på "
        f"{tmp_path / 'a.beancount'}:3 med samme dato (2025-01-01) og postering (1042953.50 "
        "NOK på Assets:1500-TradeReceivables:Oslo-kommune); er samme dokument importert to "
        "ganger (til to filer som begge er tatt med)? Fjern den ene kopien")]


def test_a_bank_line_imported_twice_is_an_error_after_it_is_moved_off_suspense(
        tmp_path: Path) -> None:
    """The controller moved the first copy's line to 7700 (as docs/new-ledger.md says); the
    second copy still books the same bank posting."""
    books = imported_twice(tmp_path, write(tmp_path, "jan.xml", STATEMENT))
    first = tmp_path / "a.beancount"
    first.write_text(first.read_text("utf-8").replace("Assets:1590-Unreconciled",
                                                      "Expenses:7700-Other"), "utf-8")
    books.write_text(books.read_text("utf-8")
                     + "2024-12-31 open Expenses:7700-Other NOK\n", "utf-8")
    ledger = load(books)
    assert [(e.source["lineno"], e.message) for e in ledger.errors] == [(
        3, "importposten ^camt-REF-2 er ført to ganger: den står også på "
        f"{first}:3 med samme dato (2025-01-30) og postering (-250.00 NOK på Assets:1920-Bank); "
        "er samme dokument importert to ganger (til to filer som begge er tatt med)? Fjern den "
        "ene kopien")]


def test_a_payment_with_the_invoice_link_and_two_equal_instalments_are_no_copies() -> None:
    """A payment that settles an invoice by its link posts the opposite amount; two equal
    instalments on different days are two payments."""
    ledger = load_text(BOOKS + """
2025-01-01 * "Oslo kommune" "Faktura 10042" ^inv-10042-8fdb318539
  Assets:1500-TradeReceivables:Oslo-kommune   1000.00 NOK
  Income:3100-ServiceRevenue
2025-02-01 * "Oslo kommune" "Avdrag 1" ^inv-10042-8fdb318539
  Assets:1920-Bank                             500.00 NOK
  Assets:1500-TradeReceivables:Oslo-kommune
2025-03-01 * "Oslo kommune" "Avdrag 2" ^inv-10042-8fdb318539
  Assets:1920-Bank                             500.00 NOK
  Assets:1500-TradeReceivables:Oslo-kommune
""")
    assert [e.message for e in ledger.errors] == []


def test_a_saft_transaction_booked_twice_is_an_error() -> None:
    text = """
2025-01-10 * "Bilag 7" ^saft-974760673-GL-7
  Assets:1920-Bank             100.00 NOK
  Income:3100-ServiceRevenue
"""
    ledger = load_text(BOOKS + text + text)
    assert [(e.source["lineno"], e.message.split(":")[0]) for e in ledger.errors] == [
        (16, "importposten ^saft-974760673-GL-7 er ført to ganger")]


def test_the_imports_section_takes_no_configuration() -> None:
    configured = "plugin \"nhnfin\" \"{'imports': {'x': 1}}\""
    ledger = load_text(BOOKS.replace('plugin "nhnfin"', configured))
    assert [(e.source["filename"], e.message) for e in ledger.errors] == [
        ("<nhnfin.imports>", "nhnfin.imports tar ingen konfigurasjonstekst, men fikk \"{'x': 1}\"")]


# round fourteen's probe: `nhnfin invoice-basis --year 2026 --format beancount` run again on books
# that already include the year's invoices writes them once more (no importer link); with both
# files included every invoice of the year was booked twice, bean-check was clean and the
# customer ledger showed each invoice with twice its amount (EHF-2026-Q1-Helse-Vest 315 000)
INVOICE = """\
2025-01-01 * "Oslo kommune" "Faktura nasjonale e-helseløsninger 2025-Q1" #nhnfin-generated
  invoice: "EHF-2025-Q1-Oslo-kommune"
  Assets:1500-TradeReceivables:Oslo-kommune   78000.00 NOK
  Income:3100-ServiceRevenue                 -78000.00 NOK
"""


def test_an_invoice_written_twice_is_an_error_at_the_copy(tmp_path: Path) -> None:
    write(tmp_path, "invoices-2025.beancount", INVOICE)
    write(tmp_path, "invoices-2025b.beancount", "; again\n" + INVOICE)
    books = write(tmp_path, "books.beancount", BOOKS + 'include "invoices-2025.beancount"\n'
                  'include "invoices-2025b.beancount"\n')
    ledger = load(books)
    assert [(e.source["filename"], e.source["lineno"], e.message) for e in ledger.errors] == [(
        str(tmp_path / "invoices-2025b.beancount"), 2,
        "fakturaen EHF-2025-Q1-Oslo-kommune er ført to ganger: den står også på "
        f"{tmp_path / 'invoices-2025.beancount'}:1 med samme dato (2025-01-01) og postering "
        "(78000.00 NOK på Assets:1500-TradeReceivables:Oslo-kommune); er fakturaene skrevet to "
        "ganger (til to filer som begge er tatt med)? Fjern den ene kopien")]


def test_an_invoice_and_its_credit_note_and_two_invoices_of_one_number_on_two_days_are_no_copies(
        ) -> None:
    ledger = load_text(BOOKS + """
2025-01-01 * "Oslo kommune" "Faktura 10042"
  invoice: "10042"
  Assets:1500-TradeReceivables:Oslo-kommune   1000.00 NOK
  Income:3100-ServiceRevenue
2025-01-01 * "Oslo kommune" "Kreditnota 10042"
  invoice: "10042"
  Assets:1500-TradeReceivables:Oslo-kommune  -1000.00 NOK
  Income:3100-ServiceRevenue
2025-02-01 * "Oslo kommune" "Faktura 10042, tillegg"
  invoice: "10042"
  Assets:1500-TradeReceivables:Oslo-kommune   1000.00 NOK
  Income:3100-ServiceRevenue
""")
    assert [e.message for e in ledger.errors] == []
