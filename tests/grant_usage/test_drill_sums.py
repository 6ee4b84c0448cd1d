"""Each grant-usage and note-3 figure's drill query lists postings that sum to the figure: on the
example ledger, and on a literal ledger with every way of linking a posting to a grant (posting
meta, transaction meta, tag), postings without metadata of their own, and a generated entry."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from nhnfin.grants import usage as grant_usage
from nhnfin.ledger import Ledger
from nhnfin.notes.layout_notes import build_note
from tests.grant_usage.usage_testing import SPLIT
from tests.grant_usage.usage_testing import links_ledger
from tests.grant_usage.usage_testing import listed_sum
from tests.grant_usage.usage_testing import run


def drilled(ledger: Ledger, year: int) -> list[tuple[str, str, D, D]]:
    """(table, row:column, figure, drill sign × sum of the listed postings) for the accounts'
    drills of the usage table and note 3's actual use and set aside (every other drill, sums
    included, is checked by tests/fava/test_drill_sums.py)."""
    result = []
    for built in (grant_usage.build(ledger, year), build_note(ledger, year, "3")):
        assert built is not None
        usage = built.note.number != "3"
        for table in built.note.tables:
            for row in table.rows:
                for key, drill in row.drill.items():
                    if drill.parts or (usage and ":" not in row.key) or (
                            not usage and not key.startswith(("actual_use", "set_aside"))):
                        continue
                    figure = row.values[key]
                    assert figure is not None
                    result.append((built.note.number, f"{row.key}:{key}", figure,
                                   drill.sign * listed_sum(ledger, drill.query)))
    return result


@pytest.mark.parametrize("year", [2023, 2024])
def test_every_drill_on_the_example_sums_to_its_figure(example_ledger: Ledger,
                                                       year: int) -> None:
    found = drilled(example_ledger, year)
    assert {number for number, *_ in found} == {"3-usage", "3"}
    assert [f for f in found if f[2] != f[3]] == []
    usage = {key: figure for number, key, figure, _ in found if number == "3-usage"}
    assert usage == {
        "hod-kap701:Expenses:5000-Salaries:linked_2024": D("233191205.29"),
        "myhealth-eu:Expenses:5000-Salaries:linked_2024": D("8708209.00"),
    } if year == 2024 else {
        "hod-kap701:Expenses:5000-Salaries:linked_2023": D("282146757.09"),
        "myhealth-eu:Expenses:5000-Salaries:linked_2023": D("3700000.00"),
    }


@pytest.mark.parametrize("bare_postings", [False, True])
def test_usage_drills_follow_the_links(bare_postings: bool) -> None:
    ledger = links_ledger(bare_postings=bare_postings)
    found = {key: (figure, listed) for _, key, figure, listed in drilled(ledger, 2024)}
    assert found == {
        "a:Expenses:6700-ExternalServices:linked_2024": (D("1200.00"), D("1200.00")),
        "b:Expenses:6700-ExternalServices:linked_2024": (D("350.00"), D("350.00")),
        "public_grant:actual_use_2024": (D("1200.00"), D("1200.00")),
        "public_grant:set_aside_for_2025": (D("8800.00"), D("8800.00")),
        "myhealth_eu:actual_use_2024": (D("350.00"), D("350.00")),
        "myhealth_eu:set_aside_for_2025": (D("9650.00"), D("9650.00")),
    }


def test_any_meta_misses_a_transaction_link_on_a_bare_posting() -> None:
    """Why the queries read COALESCE(meta, entry_meta) and leave out generated entries: the old
    condition lost a's 1 200 on bare postings (any_meta() gives null for a posting without
    metadata) and counted the generated 70."""
    ledger = links_ledger(bare_postings=True)
    old = ("SELECT position WHERE account = 'Expenses:6700-ExternalServices' "
           "AND any_meta('grant') = 'a'")
    assert listed_sum(ledger, old) == D("70.00")


def test_a_split_posting_is_listed_whole_with_its_shares() -> None:
    ledger = links_ledger(SPLIT)
    usage = grant_usage.build(ledger, 2024)
    assert usage is not None
    row = usage.note.tables[0].row("a:Expenses:7700-OtherOperatingCosts")
    assert row.values["linked_2024"] == D("600.01")
    listed = run(ledger, row.drill["linked_2024"].query)
    assert [(r["position"].units.number, r["grant"]) for r in listed] == [
        (D("1000.01"), "a:60,b:40")
    ]
