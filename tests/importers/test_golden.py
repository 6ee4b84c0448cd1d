"""Golden-file regression tests in beangulp's convention.

Each sample document in ``tests/data/{camt,saft,invoices}`` has its expected import beside it as
``<document>.beancount`` (``;; Account:``/``;; Date:``/``;; Name:`` header, then the entries).
The test fails with a unified diff when the importer's output differs. To create the file of a
new sample once (then check it by eye): ``NHNFIN_GOLDEN=generate pytest tests/importers``;
an existing golden file is never overwritten.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from beangulp import testing

from tests.importers.conftest import DATA
from tests.importers.conftest import importer_for

FOLDERS = ("camt", "saft", "invoices")
SUFFIXES = (".xml", ".csv", ".xlsx")
#: Samples that must fail with an error instead (tested in test_camt053.py): genkgo's malformed
#: sample, two whose balances do not add up, two whose closing balance is in SEK on a EUR account.
ERROR_SAMPLES = {
    "camt053.v2.wrong.xml",
    "camt053.v2.all-balance-types.xml",
    "camt053.v2.five.decimals.xml",
    "camt053.v2.minimal.xml",
    "camt053.v8.xml",
}
DOCUMENTS = sorted(
    path for folder in FOLDERS for path in (DATA / folder).iterdir() if path.suffix in SUFFIXES
)


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_golden(document: Path) -> None:
    importer = importer_for(document.parent.name)
    expected = document.with_name(document.name + ".beancount")
    if document.name in ERROR_SAMPLES:
        assert not expected.exists()
        return
    assert importer.identify(str(document))
    account, date, name, entries = testing.run_importer(importer, str(document))
    if not expected.exists() and os.environ.get("NHNFIN_GOLDEN") == "generate":
        testing.write_expected_file(str(expected), account, date, name, entries)
    assert expected.exists(), f"no golden file {expected.name}; see this module's docstring"
    diff = testing.compare_expected(str(expected), account, date, name, entries)
    assert not diff, "".join(diff)


def test_every_sample_is_covered() -> None:
    """All and only the documents with a golden file are samples (beangulp's rule)."""
    goldens = {p.with_suffix("") for f in FOLDERS for p in (DATA / f).glob("*.beancount")}
    assert goldens == {p for p in DOCUMENTS if p.name not in ERROR_SAMPLES}
