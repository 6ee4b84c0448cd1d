"""A published document's record of its own inconsistencies: a finding on the recorded cell with
the recorded figures is attributed to the published report; any other stays as it was."""

from __future__ import annotations

from decimal import Decimal as D

from nhnfin.model import PublishedFinding
from nhnfin.published import recorded_inconsistencies
from nhnfin.published import statement_prefix

DOCUMENT = {"inconsistencies": [
    {"check_id": "is.total_transfers.2024", "severity": "presentation",
     "formula": "is:total_transfers:2024 = + is:transferred_to_other_equity:2024",
     "published": "100", "recomputed": "-100"},
    {"type": "narrative_vs_table", "formula": "", "severity": "informational"},
]}


def finding(check_id: str, printed: str, recomputed: str) -> PublishedFinding:
    return PublishedFinding(check_id, "Resultatregnskap 2024: Sum overføringer", "f",
                            D(printed), D(recomputed), "error", "regnskapet gir et annet tall")


def test_a_recorded_cell_with_its_figures_is_the_published_reports_own() -> None:
    ours = [finding("ledger.income_statement.total_transfers.2024", "100", "-100"),
            finding("income_statement.total_transfers.2024", "100", "-100")]
    attributed = recorded_inconsistencies(ours, DOCUMENT)
    assert [f.severity for f in attributed] == ["presentation", "presentation"]
    assert all("is.total_transfers.2024" in f.explanation for f in attributed)
    assert all(f.explanation.startswith("det publiserte årsregnskapet motsier seg selv")
               for f in attributed)


def test_other_figures_or_cells_stay_findings_against_the_books() -> None:
    ours = [finding("ledger.income_statement.total_transfers.2024", "100", "-90"),
            finding("ledger.income_statement.total_transfers.2023", "100", "-100"),
            finding("ledger.note2.0.total.invoiced_2024", "100", "-100")]
    assert recorded_inconsistencies(ours, DOCUMENT) == ours
    assert recorded_inconsistencies(ours, {}) == ours


def test_statement_prefixes_are_the_initials_of_the_keys() -> None:
    assert [statement_prefix(k) for k in ("income_statement", "balance_sheet", "cash_flow")] == [
        "is", "bs", "cf"]
