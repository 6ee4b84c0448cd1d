"""Shared fixtures of the importer tests: sample folders and configured importers."""

from __future__ import annotations

from pathlib import Path

import pytest
from nhnfin.importers.camt053 import Camt053Importer
from nhnfin.importers.invoice_run import InvoiceRunImporter
from nhnfin.importers.saft import SaftImporter

DATA = Path(__file__).resolve().parents[1] / "data"

#: The bank accounts of the sample statements (genkgo samples and nhnfin edge cases).
BANK_ACCOUNTS = {
    "NL26VAYB8060476890": "Assets:1920-Bank",
    "CH2801234000123456789": "Assets:1960-BankAbroad",
    "NO9386011117947": "Assets:1920-Bank",
    "NO2786011117948": "Assets:1960-BankEUR",
}


def camt_importer() -> Camt053Importer:
    """The camt.053 importer as the tests configure it."""
    return Camt053Importer(BANK_ACCOUNTS)


def importer_for(folder: str) -> Camt053Importer | InvoiceRunImporter | SaftImporter:
    """The importer whose samples live in ``tests/data/<folder>``."""
    if folder == "camt":
        return camt_importer()
    if folder == "saft":
        return SaftImporter()
    return InvoiceRunImporter()


@pytest.fixture
def data_dir() -> Path:
    """``tests/data``."""
    return DATA
