"""The drills of the two tie-outs that are no amounts: a mapping check's count of errors links to
the errors it counts (as many as the count, none for zero), and a useful-life check's months
link to the asset directive declaring the life and to the notes layout's line printing the
range. Literal ledgers, exact items."""

from __future__ import annotations

import textwrap
from decimal import Decimal as D
from pathlib import Path
from urllib.parse import parse_qs
from urllib.parse import urlsplit

from nhnfin.fava_ext import views
from nhnfin.fava_ext.drill_values import DrillValues
from nhnfin.ledger import Ledger
from nhnfin.model import Report
from nhnfin.model import TieOut
from nhnfin.report import build_report
from tests.conftest import load_text
from tests.fava.drill_check import QUERY_PAGE
from tests.fava.drill_check import Checker
from tests.fava.drill_check import page_problems
from tests.fava.test_drill_sums import SECOND
from tests.fava.test_drill_sums import tieout_page

# Two accounts on note 5's line mapped to no row; one of them also names a row that is none.
UNMAPPED = """
    2022-12-31 open Expenses:5010-HolidayPay
    2022-12-31 open Expenses:5020-Bonus
      note-row: "no_such_row"
    2024-05-01 * "Ferie"
      Expenses:5010-HolidayPay   10.00 NOK
      Assets:1920-Bank          -10.00 NOK
"""
# A transfer of the e-health class depreciated by a plan of one year: 12 months, further
# outside the printed "10 år" than los-2023's 24.
PLANNED = """
    2023-01-01 custom "nhnfin-transfer" "plan-2023" 600.00 NOK
    2023-01-01 custom "nhnfin-schedule" "plan-2023" "2023" 600.00 NOK
"""
LAYOUT = "nhnfin/data/notes_nhn.toml"


def line_of(text: str, words: str) -> int:
    """The line of the dedented ledger ``text`` (as ``load_text`` numbers it) holding
    ``words``."""
    lines = textwrap.dedent(text).splitlines()
    found = [n for n, line in enumerate(lines, 1) if words in line]
    assert len(found) == 1, words
    return found[0]


def layout_line(column: str) -> int:
    """The line of note 8's column ``column`` in the packaged notes layout (the column with
    a ``useful_life`` text)."""
    lines = (Path(__file__).resolve().parents[2] / LAYOUT).read_text("utf-8").splitlines()
    found = [n for n, line in enumerate(lines, 1)
             if f'{{ key = "{column}"' in line and "useful_life" in line]
    assert len(found) == 1, column
    return found[0]


def tieout(report: Report, check_id: str) -> TieOut:
    return next(t for t in report.tieouts if t.check_id == check_id)


def linked_page(ledger: Ledger, url: str) -> views.Page:
    """The declared page a figure's link opens (its ``at`` and ``what`` parameters)."""
    query = parse_qs(urlsplit(url).query)
    assert query["section"] == [views.DECLARED]
    places = views.parse_places(query.get("at", []))
    assert places is not None
    counted = query.get("what", []) if query.get("count") == ["1"] else None
    return views.declared_page(ledger.entries, places, QUERY_PAGE, None, counted)


def test_a_mapping_count_lists_exactly_the_errors_it_counts() -> None:
    """n5.accounts_mapped counts three errors: Bonus's row that is none, HolidayPay and Bonus
    mapped to no row; its link lists those three, each at its account's open with its message
    (Bonus twice, one row per error), and the walk passes (the count numbers its items)."""
    text = SECOND + UNMAPPED
    ledger = load_text(text)
    report = build_report(ledger, 2024)
    check = tieout(report, "n5.accounts_mapped")
    assert (check.left, check.right, check.status.value) == (D(3), D(0), "failed")
    drill = check.left_drill
    assert drill is not None
    assert drill.counted
    assert check.right_drill is None
    holiday = line_of(text, "open Expenses:5010-HolidayPay")
    bonus = line_of(text, "open Expenses:5020-Bonus")
    assert [(f, n, what.split(" ")[0]) for f, n, what in drill.declared] == [
        ("<string>", bonus, "Expenses:5020-Bonus:"),
        ("<string>", holiday, "Expenses:5010-HolidayPay"),
        ("<string>", bonus, "Expenses:5020-Bonus"),
    ]
    assert "no_such_row" in drill.declared[0][2]
    assert "havner på linjen" in drill.declared[2][2]
    assert Checker(ledger).shown(drill) == [D(3)]
    assert DrillValues(ledger).value(drill) == D(3)
    page = linked_page(ledger, views.drill_url(QUERY_PAGE, drill))
    (table,) = page.tables
    assert table.title == "Det som telles: 3"
    assert [(r.cells[0].text, r.cells[2].text, r.cells[3].text.split("\n")[0])
            for r in table.rows] == [
        ("1", str(bonus), "2022-12-31 open Expenses:5020-Bonus"),
        ("2", str(holiday), "2022-12-31 open Expenses:5010-HolidayPay"),
        ("3", str(bonus), "2022-12-31 open Expenses:5020-Bonus"),
    ]
    assert [r.cells[4].text for r in table.rows] == [w for _, _, w in drill.declared]
    assert page_problems([tieout_page(report)], ledger)[1] == []


def test_a_count_of_zero_links_to_a_page_saying_none() -> None:
    """With every account of note 5's line mapped, the count is 0: its link lists no item and
    says so; the walk takes it (a count of zero lists nothing)."""
    ledger = load_text(SECOND)
    report = build_report(ledger, 2024)
    check = tieout(report, "n5.accounts_mapped")
    assert (check.left, check.status.value) == (D(0), "passed")
    drill = check.left_drill
    assert drill is not None
    assert drill.counted
    assert drill.declared == ()
    assert Checker(ledger).shown(drill) == [D(0)]
    page = linked_page(ledger, views.drill_url(QUERY_PAGE, drill))
    assert [(t.title, t.rows) for t in page.tables] == [
        ("Det som telles: ingen (tallet er 0)", ())]


def test_a_life_check_links_the_asset_and_the_printed_range() -> None:
    """n8.useful_life.ehealth compares plan-2023's 12 months (the span of its one schedule
    line), the life furthest outside, with the printed "10 år" (120 months): the left side
    opens plan-2023's directive, the right the note 8 column's line of the notes layout, and
    each side (and the difference, −108) adds up on the walk and in Fava's values."""
    text = SECOND + PLANNED
    ledger = load_text(text)
    assert [e.message for e in ledger.errors] == []
    report = build_report(ledger, 2024)
    check = tieout(report, "n8.useful_life.ehealth")
    assert (check.left, check.right, check.status.value) == (D(12), D(120), "warning")
    assert check.detail == "los-2023: 24 måneder, plan-2023: 12 måneder"
    left, right = check.left_drill, check.right_drill
    assert left is not None
    assert right is not None
    planned = line_of(text, 'custom "nhnfin-transfer" "plan-2023"')
    assert left.declared == (("<string>", planned, "life_months"),)
    assert "nhnfin-schedule-linje (1 linje)" in left.description
    ehealth = layout_line("national_ehealth_solutions")  # dbdff18 moved it: not typed here
    assert right.declared == ((LAYOUT, ehealth, "useful_life:high"),)
    checker, values = Checker(ledger), DrillValues(ledger)
    assert [checker.shown(left), checker.shown(right)] == [[D(12)], [D(120)]]
    assert [values.value(left), values.value(right)] == [D(12), D(120)]
    difference = views.tieout_drills(check)[3]
    assert difference is not None
    assert values.value(difference) == D(-108)
    assert views.drill_url(QUERY_PAGE, left).startswith("/bfile/editor/?")
    page = linked_page(ledger, views.drill_url(QUERY_PAGE, right))
    ((row,),) = [t.rows for t in page.tables]
    assert (row.cells[0].text, row.cells[1].text, row.cells[1].href) == (
        LAYOUT, str(ehealth), None)
    assert row.cells[2].text.startswith('{ key = "national_ehealth_solutions"')
    assert 'useful_life = "10 år"' in row.cells[2].text
    assert page_problems([tieout_page(report)], ledger)[1] == []


def test_a_life_inside_the_range_links_the_longest_and_the_upper_bound() -> None:
    """srv-1's 36 months lie inside the printed "3-7 år": the sides are its 36 months, at its
    months: on the directive, and the upper bound, 84, at the infrastructure column's line."""
    ledger = load_text(SECOND)
    check = tieout(build_report(ledger, 2024), "n8.useful_life.infrastructure")
    assert (check.left, check.right, check.status.value) == (D(36), D(84), "passed")
    assert check.left_drill is not None
    assert check.right_drill is not None
    assert check.left_drill.declared == (
        ("<string>", line_of(SECOND, '"nhnfin-asset" "srv-1"'), "life_months"),)
    assert "(months: på direktivet)" in check.left_drill.description
    assert check.right_drill.declared == (
        (LAYOUT, layout_line("infrastructure"), "useful_life:high"),)
