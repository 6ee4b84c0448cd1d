"""Benchmark: import a camt.053 file with 100 000 entries and a SAF-T file with 200 000 lines.

Generates both files in a temporary folder, runs the importers on them and prints the time and
the peak memory of each step (peak resident set size of the process, and the peak of Python
allocations measured with tracemalloc, which slows the run down and is measured separately).

    .venv/bin/python benchmarks/bench_import.py [--entries N] [--lines N]
"""

from __future__ import annotations

import argparse
import datetime
import resource
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

from nhnfin.importers.camt053 import Camt053Importer
from nhnfin.importers.saft import SaftImporter

IBAN = "NO9386011117947"


def write_camt(path: Path, entries: int) -> None:
    """A camt.053.001.02 statement with ``entries`` booked entries of 1.00–999.99 NOK."""
    day = datetime.date(2025, 1, 1)
    with path.open("w", encoding="utf-8") as out:
        out.write(
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt>'
            "<GrpHdr><MsgId>BENCH</MsgId><CreDtTm>2025-12-31T00:00:00</CreDtTm></GrpHdr>"
            f"<Stmt><Id>BENCH-1</Id><Acct><Id><IBAN>{IBAN}</IBAN></Id><Ccy>NOK</Ccy></Acct>\n"
        )
        for i in range(entries):
            amount = f"{1 + i % 99999 / 100:.2f}"
            side = "CRDT" if i % 3 else "DBIT"
            date = day + datetime.timedelta(days=i % 365)
            out.write(
                f'<Ntry><Amt Ccy="NOK">{amount}</Amt><CdtDbtInd>{side}</CdtDbtInd><Sts>BOOK</Sts>'
                f"<BookgDt><Dt>{date}</Dt></BookgDt><ValDt><Dt>{date}</Dt></ValDt>"
                f"<AcctSvcrRef>BENCH-{i:07d}</AcctSvcrRef><NtryDtls><TxDtls>"
                f"<Refs><EndToEndId>E2E-{i}</EndToEndId></Refs>"
                f"<RltdPties><Dbtr><Nm>Kunde {i % 500}</Nm></Dbtr></RltdPties>"
                f"<RmtInf><Strd><CdtrRefInf><Ref>{i:012d}</Ref></CdtrRefInf></Strd></RmtInf>"
                "</TxDtls></NtryDtls></Ntry>\n"
            )
        out.write("</Stmt></BkToCstmrStmt></Document>\n")


def write_saft(path: Path, lines: int) -> None:
    """A SAF-T v1.30 file with ``lines`` journal lines (two per transaction)."""
    accounts = [("1920", "Bankinnskudd"), ("3000", "Salgsinntekt"), ("6700", "Fremmede tjenester")]
    with path.open("w", encoding="utf-8") as out:
        out.write(
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<AuditFile xmlns="urn:StandardAuditFile-Taxation-Financial:NO"><Header>'
            "<AuditFileVersion>1.30</AuditFileVersion><Company><RegistrationNumber>983658725"
            "</RegistrationNumber><Name>Bench AS</Name></Company>"
            "<DefaultCurrencyCode>NOK</DefaultCurrencyCode><SelectionCriteria>"
            "<SelectionStartDate>2025-01-01</SelectionStartDate>"
            "<SelectionEndDate>2025-12-31</SelectionEndDate></SelectionCriteria></Header>"
            "<MasterFiles><GeneralLedgerAccounts>"
        )
        for number, name in accounts:
            out.write(
                f"<Account><AccountID>{number}</AccountID><AccountDescription>{name}"
                "</AccountDescription><OpeningDebitBalance>0</OpeningDebitBalance>"
                "<ClosingDebitBalance>0</ClosingDebitBalance></Account>"
            )
        out.write(
            "</GeneralLedgerAccounts></MasterFiles><GeneralLedgerEntries><Journal>"
            "<JournalID>GL</JournalID><Description>Bench</Description><Type>GL</Type>\n"
        )
        day = datetime.date(2025, 1, 1)
        for i in range(lines // 2):
            date = day + datetime.timedelta(days=i % 365)
            other = "3000" if i % 2 else "6700"
            amount = f"{1 + i % 99999 / 100:.2f}"
            out.write(
                f"<Transaction><TransactionID>{i}</TransactionID><Period>{date.month}</Period>"
                f"<PeriodYear>2025</PeriodYear><TransactionDate>{date}</TransactionDate>"
                f"<Description>Bilag {i}</Description><SystemEntryDate>{date}</SystemEntryDate>"
                f"<GLPostingDate>{date}</GLPostingDate>"
                f"<Line><RecordID>1</RecordID><AccountID>1920</AccountID><Description>Bilag {i}"
                f"</Description><DebitAmount><Amount>{amount}</Amount></DebitAmount></Line>"
                f"<Line><RecordID>2</RecordID><AccountID>{other}</AccountID><Description>Bilag"
                f" {i}</Description><CreditAmount><Amount>{amount}</Amount></CreditAmount></Line>"
                "</Transaction>\n"
            )
        out.write("</Journal></GeneralLedgerEntries></AuditFile>\n")


def measure(label: str, run: Callable[[], list[Any]]) -> None:
    """Print time, entry count, peak RSS and (second run) the tracemalloc peak of ``run``."""
    start = time.perf_counter()
    entries = run()
    seconds = time.perf_counter() - start
    rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    count = len(entries)
    del entries
    tracemalloc.start()
    run()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"{label}: {count} directives in {seconds:.1f} s; peak RSS so far {rss_mib:.0f} MiB; "
        f"peak Python allocations {peak / 2**20:.0f} MiB (tracemalloc)"
    )


def main() -> None:
    """Generate the files, import them, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--lines", type=int, default=200_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        camt, saft = Path(folder) / "bench.camt053.xml", Path(folder) / "bench.saft.xml"
        write_camt(camt, args.entries)
        write_saft(saft, args.lines)
        print(f"camt.053: {args.entries} entries, {camt.stat().st_size / 2**20:.1f} MiB")
        print(f"SAF-T: {args.lines} lines, {saft.stat().st_size / 2**20:.1f} MiB")
        camt_importer = Camt053Importer({IBAN: "Assets:1920-Bank"})
        measure("camt.053 import", lambda: camt_importer.extract(str(camt), []))
        saft_importer = SaftImporter()
        measure("SAF-T import", lambda: saft_importer.extract(str(saft), []))


if __name__ == "__main__":
    main()
