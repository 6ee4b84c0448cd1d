"""The lock digest is independent of file layout, include order and meta order, and covers only
what the user wrote (literal ledgers)."""

from __future__ import annotations

import dataclasses
import datetime
import textwrap
from pathlib import Path
from typing import Any

from beancount import loader

from nhnfin.close.digest import FileRecord
from nhnfin.close.digest import entry_digest
from nhnfin.close.digest import figure_files
from nhnfin.close.digest import files_digest
from nhnfin.close.digest import has_account_value
from nhnfin.close.digest import legacy_digest
from nhnfin.close.digest import lock_records
from nhnfin.close.digest import read_sidecar
from nhnfin.close.digest import sidecar_text
from nhnfin.close.digest import total_digest
from nhnfin.close.period_lock import check_locks

END = datetime.date(2024, 12, 31)
CHECKED: dict[str, Any] = {"plugin": [("nhnfin.close.period_lock", None)]}
OPENS = """
2019-12-31 open Assets:1920-Bank NOK
2019-12-31 open Income:3400-GrantIncome NOK
"""
GRANT = """
2024-03-01 * "Tilskudd" "mars"
  grant: "hod-1"
  kid: "123"
  Assets:1920-Bank          300.00 NOK
  Income:3400-GrantIncome
"""
GRANT_WRITTEN_OUT = """
2024-03-01 * "Tilskudd" "mars"
  kid: "123"
  grant: "hod-1"
  Assets:1920-Bank          300.00 NOK
  Income:3400-GrantIncome  -300.00 NOK
"""


def entries(text: str) -> list[Any]:
    loaded, errors, _ = loader.load_string(textwrap.dedent(text))
    assert errors == []
    return list(loaded)


def digest(text: str) -> str:
    return total_digest(r.sha256 for r in lock_records(entries(text), END))


def test_digest_ignores_order_elision_and_meta_order() -> None:
    assert len(lock_records(entries(GRANT_WRITTEN_OUT + OPENS), END)) == 3
    assert digest(OPENS + GRANT) == digest(GRANT_WRITTEN_OUT + OPENS)


def test_digest_changes_with_an_amount_and_a_date_after_the_lock_is_outside() -> None:
    base = digest(OPENS + GRANT)
    assert digest(OPENS + GRANT.replace("300.00", "300.01")) != base
    later = OPENS + GRANT + GRANT.replace("2024-03-01", "2025-01-02")
    assert digest(later) == base


def test_digest_is_the_same_when_entries_move_to_an_included_file(tmp_path: Path) -> None:
    (tmp_path / "one.beancount").write_text(OPENS + GRANT, encoding="utf-8")
    (tmp_path / "grant.beancount").write_text(GRANT, encoding="utf-8")
    (tmp_path / "two.beancount").write_text('include "grant.beancount"\n' + OPENS)
    one, errors_one, _ = loader.load_file(str(tmp_path / "one.beancount"))
    two, errors_two, _ = loader.load_file(str(tmp_path / "two.beancount"))
    assert errors_one == errors_two == []
    records_one, records_two = lock_records(one, END), lock_records(two, END)
    assert [r.sha256 for r in records_one] == [r.sha256 for r in records_two]
    assert {r.at.split(":")[0].rsplit("/", 1)[-1] for r in records_two} == {
        "grant.beancount", "two.beancount"}


def test_a_document_keeps_its_digest_when_the_ledger_folder_moves(tmp_path: Path) -> None:
    """A ``document`` directive's file is absolute once loaded; the lock digests it as written
    (relative to its ledger file), so a copied or moved ledger folder keeps its lock."""
    def records(folder: Path) -> list[str]:
        (folder / "docs").mkdir(parents=True)
        (folder / "docs" / "letter.txt").write_text("brev\n", encoding="utf-8")
        (folder / "main.beancount").write_text(
            OPENS + '2024-01-02 document Assets:1920-Bank "docs/letter.txt"\n', encoding="utf-8")
        loaded, errors, _ = loader.load_file(str(folder / "main.beancount"))
        assert errors == []
        return [r.sha256 for r in lock_records(loaded, END)]

    first, second = records(tmp_path / "a"), records(tmp_path / "b" / "c")
    assert len(first) == len(entries(OPENS)) + 1
    assert first == second


def test_generated_entries_are_locked_but_not_their_location_or_version() -> None:
    """Issue 15: an entry tagged #nhnfin-generated, carrying nhnfin-rule or flag P was left out of
    the lock, so inserting one in 2024 changed figures silently."""
    for marked in ('2024-03-31 * "Inntektsføring" #nhnfin-generated\n',
                   '2024-03-31 * "Inntektsføring"\n  nhnfin-rule: "grant-income"\n',
                   '2024-03-31 P "Inntektsføring"\n'):
        extra = marked + "  Assets:1920-Bank  1.00 NOK\n  Income:3400-GrantIncome  -1.00 NOK\n"
        assert digest(OPENS + GRANT + extra) != digest(OPENS + GRANT)
    made = ('2024-03-31 * "Inntektsføring" #nhnfin-generated\n  nhnfin-rule: "grant-income"\n'
            '  nhnfin-source: "{}"\n  nhnfin-version: "{}"\n'
            "  Assets:1920-Bank  1.00 NOK\n  Income:3400-GrantIncome  -1.00 NOK\n")
    assert digest(OPENS + made.format("a.beancount:3", "0.1.0")) == digest(
        OPENS + made.format("b.beancount:9", "0.2.0"))
    lock = f'2024-12-31 custom "nhnfin-lock" "{"0" * 64}"\n'
    assert digest(OPENS + GRANT + lock) == digest(OPENS + GRANT)
    assert len(lock_records(entries(OPENS + GRANT), END)) == 3


def test_a_chained_lock_covers_only_its_own_period() -> None:
    later = GRANT.replace("2024-03-01", "2025-03-01")
    records = lock_records(entries(OPENS + GRANT + later), datetime.date(2025, 12, 31),
                           after=END)
    assert [r.date for r in records] == [datetime.date(2025, 3, 1)]


def test_sidecar_round_trip(tmp_path: Path) -> None:
    records = lock_records(entries(OPENS + GRANT), END)
    files = [FileRecord("layout", "layout.toml", "a" * 64)]
    figures = [("income_statement/sales/2024", "300.00"), ("note 3/1/g1/amount", "")]
    path = tmp_path / "lock.json"
    path.write_text(sidecar_text(END, records, files, figures, [("nhnfin", None)]),
                    encoding="utf-8")
    sidecar = read_sidecar(path)
    assert sidecar.entries == tuple(records)
    assert sidecar.files == tuple(files)
    assert sidecar.figures == tuple(figures)
    assert sidecar.plugins == (("nhnfin", None),)
    assert sidecar.digest == total_digest(r.sha256 for r in records)


def test_malformed_lock_directive_is_an_error_at_its_line() -> None:
    text = OPENS + '2024-12-31 custom "nhnfin-lock" "abc"\n'
    _, errors = check_locks(entries(text), CHECKED)
    [error] = errors
    assert error.source["lineno"] == 4
    assert error.message.startswith('custom "nhnfin-lock" tar én streng: SHA-256')


def test_lock_with_matching_digest_passes_and_a_change_fails(tmp_path: Path) -> None:
    ledger = OPENS + GRANT
    files = files_digest(figure_files(entries(ledger), END))
    lock = (f'2024-12-31 custom "nhnfin-lock" "{digest(ledger)}"\n  files: "{files}"\n'
            f'  figures: "{"0" * 64}"\n  digests: "none.json"\n')
    _, errors = check_locks(entries(ledger + lock), CHECKED)
    assert errors == []
    _, errors = check_locks(entries(ledger.replace("300.00", "299.00") + lock), CHECKED)
    [error] = errors
    assert error.source["lineno"] == 10
    assert error.message.startswith(
        "låst periode til og med 2024-12-31 er endret siden låsen: registeret "
    )


def test_the_note_text_directive_is_the_notes_own() -> None:
    from nhnfin.close import digest
    from nhnfin.notes import text

    assert digest.TEXT_DIRECTIVE == text.TEXT_DIRECTIVE


BANK = '2019-12-31 custom "nhnfin-bank-account" "NO9386011117947" {account}\n'


def test_an_account_value_digests_as_the_text_it_means() -> None:
    """Beancount types a bare account in a custom directive as an account and a quoted one as a
    string; every nhnfin reader takes the text either way, so the lock does too."""
    bare = OPENS + GRANT + BANK.format(account="Assets:1920-Bank")
    quoted = OPENS + GRANT + BANK.format(account='"Assets:1920-Bank"')
    [bank] = [e for e in entries(bare) if getattr(e, "type", "") == "nhnfin-bank-account"]
    assert bank.values[1].dtype != str  # what Beancount makes of it: account.TYPE
    assert digest(bare) == digest(quoted)
    assert digest(bare) != digest(OPENS + GRANT + BANK.format(account="Assets:1921-Bank"))


def _lock(ledger: str, entry_digests: list[str], tmp_path: Path) -> str:
    records = [dataclasses.replace(r, sha256=d) for r, d in zip(lock_records(entries(ledger), END),
                                                      entry_digests, strict=True)]
    record = tmp_path / "locks" / "2024-12-31.json"
    record.parent.mkdir(exist_ok=True)
    record.write_text(sidecar_text(END, records), encoding="utf-8")
    files = files_digest(figure_files(entries(ledger), END))
    return (f'2024-12-31 custom "nhnfin-lock" "{total_digest(entry_digests)}"\n'
            f'  files: "{files}"\n  figures: "{"0" * 64}"\n  digests: "{record}"\n')


def test_a_lock_written_when_account_values_kept_their_type_still_holds(tmp_path: Path) -> None:
    """A lock record written before: the account-valued directive's digest kept Beancount's
    account type. The unchanged period still matches; a real change names the changed entry,
    not the directive with the account value."""
    ledger = OPENS + GRANT + BANK.format(account="Assets:1920-Bank")
    before = _in_record_order(ledger)
    assert before != [r.sha256 for r in lock_records(entries(ledger), END)]
    lock = _lock(ledger, before, tmp_path)
    _, errors = check_locks(entries(ledger + lock), CHECKED)
    assert errors == []
    _, errors = check_locks(entries(ledger.replace("300.00", "299.00") + lock), CHECKED)
    [error] = errors
    assert "2024-03-01 transaksjon" in error.message
    assert "nhnfin-bank-account" not in error.message
    assert "2 forskjeller i alt" in error.message


def _in_record_order(ledger: str) -> list[str]:
    """The digests a lock written before would record, in :func:`lock_records`' order."""
    pairs = sorted(((e.date, entry_digest(e)), legacy_digest(e) if has_account_value(e)
                    else entry_digest(e)) for e in entries(ledger) if e.date <= END)
    return [d for _, d in pairs]


def test_only_a_derived_price_is_left_out_not_an_entry_marked_like_one() -> None:
    """``beancount.plugins.implicit_prices`` marks the prices it derives with the transaction's
    meta and ``__implicit_prices__``; any entry carrying that key was left out of the lock, so a
    plugin line before ``plugin "nhnfin"`` that marked a 2024 transaction of its own made it
    invisible to bean-check (round 11's probe)."""
    from beancount.core import data

    extra = '2024-03-31 * "Tilført"\n  Assets:1920-Bank  1.00 NOK\n  Income:3400-GrantIncome\n'
    marked = [e._replace(meta={**e.meta, "__implicit_prices__": True})
              if isinstance(e, data.Transaction) and e.narration == "Tilført" else e
              for e in entries(OPENS + GRANT + extra)]
    assert len(lock_records(marked, END)) == 4
    priced = entries('plugin "beancount.plugins.implicit_prices"\n'
                     "2019-12-31 open Assets:Fund\n" + OPENS + GRANT
                     + '2024-04-02 * "Kjøp"\n  Assets:Fund  2 FUND @ 10.00 NOK\n'
                       "  Assets:1920-Bank\n")
    assert [e for e in priced if isinstance(e, data.Price)]  # derived, and left out:
    assert len(lock_records(priced, END)) == 5
