"""A lock's texts record that cannot be read is said in Norwegian in the report's error (the
reader's own refusal and a file's problem; both were English before: "not an
nhnfin-lock-texts/1 file", "not a regular file (a directory)")."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.close.test_lock_texts import PERIOD
from tests.close.test_lock_texts import append
from tests.close.test_lock_texts import old_lock
from tests.close.test_lock_texts import replace
from tests.close.test_lock_texts import report
from tests.close.test_lock_texts import run_close


def _unreadable(output: str) -> str:
    lines = [line for line in output.splitlines() if "kan ikke leses" in line]
    assert len(lines) == 1, output
    return lines[0].split(": ", 2)[2].split("; årsak:")[0]


@pytest.mark.parametrize(("record", "why"), [
    ('{"format": "x"}', "ikke en nhnfin-lock-texts/1-fil"),
    ('{"format": "nhnfin-lock-texts/1"}',
     "registeret er ikke slik nhnfin skriver det: KeyError('texts-digest')"),
    (None, "ikke en vanlig fil (en mappe)"),
])
def test_an_unreadable_texts_record_is_said_in_norwegian(tmp_path: Path, record: str | None,
                                                         why: str) -> None:
    main = old_lock(tmp_path)
    assert run_close(main, "--year", 2024, "--add-texts").exit_code == 0
    append(main, 'include "close-2024-texts.beancount"\n')
    replace(main, '"Testforetaket AS"', '"Testforetaket ASA"')
    path = tmp_path / "locks/2024-12-31-texts.json"
    if record is None:
        path.unlink()
        path.mkdir()
    else:
        path.write_text(record, encoding="utf-8")
    code, output = report(main, 2024)
    assert code == 1
    assert _unreadable(output) == (
        f"{PERIOD} er endret: tekstene er endret, men låsens fil {path} kan ikke leses ({why}), "
        "så teksten kan ikke navngis")


def test_a_close_without_a_login_name_is_locked_by_ukjent(monkeypatch: pytest.MonkeyPatch
                                                         ) -> None:
    import getpass

    from nhnfin.cli.close import _login

    def no_user() -> str:
        raise KeyError("uid 1234")

    monkeypatch.setattr(getpass, "getuser", no_user)
    assert _login() == "ukjent"
