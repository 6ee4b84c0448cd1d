"""Note 9, the equity roll-forward from the ledger, and its ties to the statements (issue 7)."""

from __future__ import annotations

from decimal import Decimal
from importlib import resources
from pathlib import Path

from nhnfin.model import Status
from nhnfin.notes.layout_notes import build_note
from tests.notes.ledgers import BOOKS
from tests.notes.ledgers import ledger
from tests.notes.ledgers import tie

D = Decimal


def rows(text: str) -> dict[str, tuple[Decimal | None, ...]]:
    result = build_note(ledger(text), 2024, "9")
    assert result is not None
    return {
        r.key: tuple(r.values[c] for c in ("contributed_capital", "other_equity", "total_equity"))
        for r in result.note.tables[0].rows
    }


def test_roll_forward_before_the_year_end_transfer() -> None:
    assert rows(BOOKS) == {
        "balance_at_2023_12_31": (D("100000.00"), D("26179.54"), D("126179.54")),
        "balance_at_2024_01_01": (D("100000.00"), D("26179.54"), D("126179.54")),
        "result_for_the_year": (D(0), D("31415.50"), D("31415.50")),
        "balance_at_2024_12_31": (D("100000.00"), D("57595.04"), D("157595.04")),
    }


def test_other_changes_row_when_equity_moves_otherwise() -> None:
    text = BOOKS + (
        '2024-05-01 * "More capital"\n  Assets:1920-Bank  5000.00 NOK\n'
        "  Equity:2000-ContributedCapital  -5000.00 NOK\n"
    )
    found = rows(text)
    assert found["other_changes"] == (D("5000.00"), D(0), D("5000.00"))
    assert found["balance_at_2024_12_31"] == (D("105000.00"), D("57595.04"), D("162595.04"))


def test_ties_pass() -> None:
    result = build_note(ledger(BOOKS), 2024, "9")
    assert result is not None
    assert {t.check_id: t.status for t in result.tieouts} == {
        f"n9.{c}_vs_balance_sheet.{y}": Status.PASSED
        for y in (2023, 2024)
        for c in ("contributed_capital", "other_equity", "total_equity")
    } | {"n9.result_vs_income_statement": Status.PASSED}
    check = tie(result.tieouts, "n9.result_vs_income_statement")
    assert (check.left, check.right) == (D("31415.50"), D("31415.50"))


def test_ties_fail_when_the_layout_places_equity_and_result_elsewhere(tmp_path: Path) -> None:
    layout = resources.files("nhnfin").joinpath("data/layout_nhn.toml").read_text("utf-8")
    changed = layout.replace('accounts = ["2000-2049"]', 'accounts = ["2000-2059"]')
    changed = changed.replace('accounts = ["2050-2099", "3000-8999"]',
                              'accounts = ["2060-2099", "3000-8999"]')
    changed = changed.replace('accounts = ["3100-3199"]', 'accounts = ["3150-3199"]')
    assert changed.count("2000-2059") == 1
    assert changed.count("3150-3199") == 1
    path = tmp_path / "layout.toml"
    path.write_text(changed, "utf-8")
    text = BOOKS + f'2019-12-31 custom "nhnfin-layout" "{path}"\n'
    result = build_note(ledger(text), 2024, "9")
    assert result is not None
    contributed = tie(result.tieouts, "n9.contributed_capital_vs_balance_sheet.2024")
    assert (contributed.status, contributed.left, contributed.right) == (
        Status.FAILED, D("100000.00"), D("126179.54"))
    assert tie(result.tieouts, "n9.total_equity_vs_balance_sheet.2024").status is Status.PASSED
    result_tie = tie(result.tieouts, "n9.result_vs_income_statement")
    # the layout leaves 3100 off the income statement: the sales of 60 000 are not in Årsresultat
    assert (result_tie.status, result_tie.left, result_tie.right) == (
        Status.FAILED, D("31415.50"), D("-28584.50"))


def test_the_result_tie_says_the_layouts_words(tmp_path: Path) -> None:
    """The result's tie-out quotes the notes layout's row label, the statement's title and its
    line's label, as the balance-sheet ties do: words of the layouts, not typed in code (before,
    "Note 9 årets resultat = Resultatregnskap «Årsresultat» 2024" whatever the layouts said)."""
    result = build_note(ledger(BOOKS), 2024, "9")
    assert result is not None
    assert tie(result.tieouts, "n9.result_vs_income_statement").description == (
        "Note 9 årets resultat = Resultatregnskap «Årsresultat» 2024")
    layout = resources.files("nhnfin").joinpath("data/layout_nhn.toml").read_text("utf-8")
    changed = layout.replace('title = "Resultatregnskap"', 'title = "Resultat"').replace(
        'label = "Årsresultat"', 'label = "Resultat etter skatt"')
    notes = resources.files("nhnfin").joinpath("data/notes_nhn.toml").read_text("utf-8")
    changed_notes = notes.replace('label = "Årets resultat", period_label',
                                  'label = "Resultat i året", period_label')
    assert changed_notes != notes
    (tmp_path / "layout.toml").write_text(changed, "utf-8")
    (tmp_path / "notes.toml").write_text(changed_notes, "utf-8")
    text = BOOKS + (f'2019-12-31 custom "nhnfin-layout" "{tmp_path / "layout.toml"}"\n'
                    f'2019-12-31 custom "nhnfin-notes" "{tmp_path / "notes.toml"}"\n')
    result = build_note(ledger(text), 2024, "9")
    assert result is not None
    assert tie(result.tieouts, "n9.result_vs_income_statement").description == (
        "Note 9 resultat i året = Resultat «Resultat etter skatt» 2024")
