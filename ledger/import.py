#!/usr/bin/env python3
"""beangulp configuration of the example ledger: nhnfin's importers under beangulp's own CLI.

    python ledger/import.py identify DOCUMENTS/
    python ledger/import.py extract DOCUMENTS/ -e ledger/nhn.beancount -o new.beancount
    python ledger/import.py archive DOCUMENTS/ -o documents/

The bank accounts are the ``custom "nhnfin-bank-account"`` directives of ``nhn.beancount``
(read with Beancount's parser: the file as written, no plugins run), so ``nhnfin import``,
``nhnfin reconcile``, Fava and this file share one configuration. Copy this file beside your
own ledger and change ``LEDGER`` (docs/importers.md).

The commands are beangulp's, run by :func:`nhnfin.cli.imports.ingest`: its ``extract`` loads the
``-e`` ledger without Beancount's pickle cache and refuses an ``-o`` that exists, is a file of the
ledger or is one of the documents, as ``nhnfin import`` does.
"""

from __future__ import annotations

from pathlib import Path

from beancount.parser import parser
from nhnfin.importers.camt053 import DEFAULT_COUNTER_ACCOUNT
from nhnfin.importers.camt053 import Camt053Importer
from nhnfin.importers.invoice_run import InvoiceRunImporter
from nhnfin.importers.saft import SaftImporter

from nhnfin.cli.imports import ingest
from nhnfin.reconcile.bank import bank_accounts

LEDGER = Path(__file__).resolve().with_name("nhn.beancount")

_directives, _errors, _options = parser.parse_file(str(LEDGER))
_accounts, _counter = bank_accounts(_directives)

CONFIG = [
    Camt053Importer(_accounts, _counter or DEFAULT_COUNTER_ACCOUNT),
    InvoiceRunImporter(),
    SaftImporter(),
]

if __name__ == "__main__":
    ingest(CONFIG)()
