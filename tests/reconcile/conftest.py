"""Literal books and camt.053 statements for the reconciliation tests (issue 9, item 4).

The books: a bank account configured for camt.053, two customers invoiced on 1 December 2024,
and a December statement on which Oslo kommune pays its invoice and the bank takes a fee.
"""

from __future__ import annotations

import datetime
import textwrap
from pathlib import Path

from click.testing import CliRunner
from click.testing import Result

from nhnfin.cli.reconcile import reconcile_cmd
from nhnfin.ledger import Ledger
from nhnfin.ledger import load
from nhnfin.reconcile.bank import read_statements
from nhnfin.reconcile.model import Reconciliation
from nhnfin.reconcile.run import reconcile

IBAN = "NO9386011117947"

BOOKS = """\
option "title" "Testforetak"
option "operating_currency" "NOK"
plugin "nhnfin.mapping"
2022-12-31 open Assets:1920-Bank NOK
2022-12-31 open Assets:1590-Unreconciled NOK
  note-row: "other_short_term_receivables"
2022-12-31 open Assets:1500-TradeReceivables NOK
2022-12-31 open Assets:1500-TradeReceivables:Oslo-kommune NOK
2022-12-31 open Assets:1500-TradeReceivables:Bergen-kommune NOK
2022-12-31 open Equity:2050-OtherEquity NOK
2022-12-31 open Income:3100-Services NOK
2022-12-31 open Expenses:7700-Other NOK
2022-12-31 custom "nhnfin-bank-account" "NO93 8601 1117 947" Assets:1920-Bank
  counter-account: "Assets:1590-Unreconciled"
2022-12-31 * "Opening"
  Assets:1920-Bank                           1000000.00 NOK
  Equity:2050-OtherEquity                   -1000000.00 NOK
2024-12-01 * "Oslo kommune" "Faktura 10042" ^inv-10042
  invoice: "10042"
  Assets:1500-TradeReceivables:Oslo-kommune   200000.00 NOK
  Income:3100-Services                       -200000.00 NOK
2024-12-01 * "Bergen kommune" "Faktura 10043" ^inv-10043
  invoice: "10043"
  Assets:1500-TradeReceivables:Bergen-kommune 100000.50 NOK
  Income:3100-Services                       -100000.50 NOK
"""

#: The statement's two lines as booked by the controller (moved off the suspense account).
PAYMENT = """\
2024-12-20 * "Oslo kommune" "Faktura 10042" ^camt-REF-1
  invoice: "10042"
  Assets:1920-Bank                            200000.00 NOK
  Assets:1500-TradeReceivables:Oslo-kommune  -200000.00 NOK
"""
FEE = """\
2024-12-30 * "DNB" "Gebyr" ^camt-REF-2
  Assets:1920-Bank                              -250.00 NOK
  Expenses:7700-Other                            250.00 NOK
"""
#: A payment booked by hand that the bank's statement does not have.
ATEA = """\
2024-12-15 * "Atea AS" "Faktura 556677"
  Assets:1920-Bank                -3000.00 NOK
  Expenses:7700-Other              3000.00 NOK
"""

ENTRY = """\
      <Ntry>
        <Amt Ccy="NOK">{amount}</Amt><CdtDbtInd>{sign}</CdtDbtInd><Sts>BOOK</Sts>
        <BookgDt><Dt>{date}</Dt></BookgDt>
        <AcctSvcrRef>{ref}</AcctSvcrRef>
        <NtryDtls><TxDtls>
          <RltdPties><{role}><Nm>{party}</Nm></{role}></RltdPties>
          <RmtInf><Ustrd>{text}</Ustrd></RmtInf>
        </TxDtls></NtryDtls>
      </Ntry>
"""


def balance(code: str, amount: str, date: str) -> str:
    """One ``<Bal>`` of a camt.053 statement."""
    return (f'      <Bal><Tp><CdOrPrtry><Cd>{code}</Cd></CdOrPrtry></Tp><Amt Ccy="NOK">{amount}'
            f"</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>{date}</Dt></Dt></Bal>\n")


def statement_xml(closing: str = "1199750.00") -> str:
    """The December statement: OPBD 1 000 000.00 on 2 Dec, the payment and the fee, CLBD."""
    entries = ENTRY.format(amount="200000.00", sign="CRDT", date="2024-12-20", ref="REF-1",
                           role="Dbtr", party="Oslo kommune", text="Faktura 10042")
    entries += ENTRY.format(amount="250.00", sign="DBIT", date="2024-12-30", ref="REF-2",
                            role="Cdtr", party="DNB", text="Gebyr")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">\n'
        "  <BkToCstmrStmt>\n"
        "    <GrpHdr><MsgId>M1</MsgId><CreDtTm>2025-01-01T06:00:00</CreDtTm></GrpHdr>\n"
        "    <Stmt>\n      <Id>NHN-2024-12</Id>\n"
        f"      <Acct><Id><IBAN>{IBAN}</IBAN></Id><Ccy>NOK</Ccy></Acct>\n"
        + balance("OPBD", "1000000.00", "2024-12-02")
        + balance("CLBD", closing, "2024-12-31")
        + entries
        + "    </Stmt>\n  </BkToCstmrStmt>\n</Document>\n"
    )


def write(tmp_path: Path, text: str, name: str = "books.beancount") -> Path:
    """Write a literal (dedented) file into ``tmp_path``."""
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), "utf-8")
    return path


def books(tmp_path: Path, *extra: str) -> Path:
    """BOOKS plus ``extra`` entries, written to ``tmp_path``."""
    return write(tmp_path, BOOKS + "".join(extra))


def statement(tmp_path: Path, closing: str = "1199750.00") -> Path:
    """The December statement written to ``tmp_path``."""
    return write(tmp_path, statement_xml(closing), "december.xml")


def loaded(path: Path) -> Ledger:
    """A ledger that must load without errors."""
    ledger = load(path)
    assert ledger.errors == []
    return ledger


def run_reconcile(ledger: Path, *statements: Path,
                  as_of: datetime.date = datetime.date(2025, 1, 15)) -> Reconciliation:
    """The library path: ``reconcile`` for 2024 with the statements read by the importer."""
    books_ = load(ledger)
    files = read_statements([str(s) for s in statements], books_.entries)
    return reconcile(books_, 2024, as_of, files)


def cli(*args: str) -> Result:
    """``nhnfin reconcile ARGS``."""
    return CliRunner().invoke(reconcile_cmd, list(args))
