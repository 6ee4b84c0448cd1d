"""Notes 2 and 3 as data (issue 20): tables with one row per group the rule declares (an e-health
solution, a note row of grants, a grant). A ledger's own notes layout relabels a column, adds a
sum row and a sum column and renumbers the notes with no code change; the rule's figures are
computed in its package; a bad groups table is an error at its file:line."""

from __future__ import annotations

from decimal import Decimal
from importlib import resources
from pathlib import Path

import pytest

from nhnfin.ledger import load
from nhnfin.model import Kind
from nhnfin.model import NoteTable
from nhnfin.model import Status
from nhnfin.notes import BUILDER_SETS
from nhnfin.notes import builders
from nhnfin.notes.layout import NoteLayoutError
from nhnfin.notes.layout import check_builders
from nhnfin.notes.layout import parse_notes_layout
from nhnfin.report import ReportError
from nhnfin.report import build_report
from tests.conftest import EXAMPLE
from tests.ehealth.test_note2 import TWO_SOLUTIONS
from tests.fava.drill_check import Checker
from tests.notes.test_layout_tables import write as write_files

D = Decimal
ACCOUNTS = Path(__file__).resolve().parents[2] / "ledger" / "accounts.beancount"

BOOKS = f"""\
option "title" "Testforetak"
option "operating_currency" "NOK"
plugin "nhnfin.mapping"
plugin "nhnfin.ehealth"
plugin "nhnfin.grants"
include "{ACCOUNTS}"
""" + TWO_SOLUTIONS + """\
2024-01-01 custom "nhnfin-grant" "g1"
  name: "Tilskudd kap. 701 post 21"
  source: "Kap. 701 post 21"
  amount: 1000.00 NOK
  note-row: "public_grant"
  note-label: "Offentlig tilskudd"
2024-01-01 custom "nhnfin-grant" "g2"
  name: "Tilskudd kap. 701 post 70"
  source: "Kap. 701 post 70"
  amount: 500.00 NOK
  note-row: "public_grant"
2024-01-05 * "Helsedirektoratet" "Utbetaling tilskudd"
  grant: "g1"
  Assets:1920-Bank                     1000.00 NOK
  Liabilities:2910-UnusedPublicGrants
2024-01-06 * "Helsedirektoratet" "Utbetaling tilskudd"
  grant: "g2"
  Assets:1920-Bank                      500.00 NOK
  Liabilities:2910-UnusedPublicGrants
2024-01-20 * "Konsulent" "Januar"
  grant: "g1"
  Expenses:6700-ExternalServices        600.00 NOK
  Assets:1920-Bank
2024-02-20 * "Konsulent" "Februar"
  grant: "g2"
  Expenses:6700-ExternalServices        200.00 NOK
  Assets:1920-Bank
2024-12-31 custom "nhnfin-notes" "notes.toml"
"""

SOLUTION_COLUMNS = """\
columns = [
    { key = "carried_from_previous_years", label = "Fra i fjor", figure = "carried" },
    { key = "invoiced_{year}", label = "Fakturert {year}", figure = "invoiced" },
    { key = "actual_use_{year}", label = "Brukt {year}", figure = "actual_use" },
    { key = "set_aside_for_{next}", label = "Til {next}", \
formula = "carried_from_previous_years + invoiced_{year} - actual_use_{year}" },
]
"""

NOTES = """\
name = "Testforetak"

[[notes]]
number = "1"
title = "Regnskapsprinsipper"

[[notes]]
number = "4"
title = "Offentlig tilskudd"
builder = "public_grants"
lines = ["income_statement.grant_income"]

[[notes.tables]]
key = "use"
caption = "Bruk av tilskudd"
source = "groups"
groups = "rows"
identities = true
columns = [
    { key = "granted_{year}", label = "Tilskudd {year}", figure = "granted" },
    { key = "used_{year}", label = "Brukt {year}", figure = "used" },
    { key = "invested_{year}", label = "Investert {year}", figure = "invested", optional = true },
    { key = "spent_{year}", label = "Brukt i alt {year}", \
formula = "used_{year} + invested_{year}" },
    { key = "left_{next}", label = "Til {next}", figure = "set_aside", \
identity = "granted_{year} - used_{year} - invested_{year}" },
]
rows = [
    { key = "total", label = "Sum", kind = "total", formula = "groups" },
]

[[notes.tables]]
key = "per_grant"
caption = "Per tilskudd"
source = "groups"
groups = "grants"
columns = [
    { key = "used_{year}", label = "Brukt {year}", figure = "used" },
]
rows = [
    { key = "total", label = "Sum", kind = "total", formula = "groups" },
]

[[notes]]
number = "5"
title = "E-helse"
builder = "ehealth_income"
lines = ["income_statement.revenue_national_ehealth_solutions"]

[[notes.tables]]
key = "per_solution"
caption = "Per løsning"
source = "groups"
groups = "solutions"
identities = true
""" + SOLUTION_COLUMNS + """\
rows = [
    { key = "core", label = "Kjernejournalen", group = "solution_kjernejournal" },
    { key = "id", label = "HelseID-tjenesten", group = "solution_helseid" },
    { key = "total", label = "Sum løsninger", kind = "total", formula = "core + id" },
]
"""


def write(tmp_path: Path, notes: str = NOTES) -> Path:
    return write_files(tmp_path, notes, BOOKS)


def cells(table: NoteTable) -> list[tuple[str, str, list[Decimal | None]]]:
    return [(r.key, r.label, [r.values.get(c.key) for c in table.columns]) for r in table.rows]


def test_a_groups_table_of_solutions_relabelled_and_summed_by_the_layout(tmp_path: Path) -> None:
    report = build_report(load(write(tmp_path)), 2024)
    [table] = report.note("5").tables
    assert table.caption == "Per løsning"
    assert [(c.key, c.label) for c in table.columns] == [
        ("carried_from_previous_years", "Fra i fjor"), ("invoiced_2024", "Fakturert 2024"),
        ("actual_use_2024", "Brukt 2024"), ("set_aside_for_2025", "Til 2025")]
    assert cells(table) == [
        ("core", "Kjernejournalen", [D("300.00"), D("800.00"), D("1000.00"), D("100.00")]),
        ("id", "HelseID-tjenesten", [D("0.00"), D("400.00"), D("350.00"), D("50.00")]),
        ("total", "Sum løsninger", [D("300.00"), D("1200.00"), D("1350.00"), D("150.00")]),
    ]
    assert [r.kind for r in table.rows] == [Kind.ITEM, Kind.ITEM, Kind.TOTAL]
    assert [(c.across, c.target, c.terms) for c in table.checks] == [
        ("columns", "set_aside_for_2025", ((1, "carried_from_previous_years"),
                                           (1, "invoiced_2024"), (-1, "actual_use_2024"))),
        ("rows", "total", ((1, "core"), (1, "id"))),
    ]
    # the rule's tie-outs keep their ids, and their words name the layout's number
    assert [(t.check_id, t.description, t.left, t.status) for t in report.tieouts
            if t.check_id.startswith("n2.")] == [
        ("n2.set_aside_vs_balance_sheet", "Note 5 Avsatt til 2025 = balanse Forpliktelser "
         "nasjonale e-helseløsninger", D("150.00"), Status.PASSED),
        ("n2.carried_vs_opening_balance", "Note 5 Overført fra tidligere år = balanse 2023",
         D("300.00"), Status.PASSED),
        ("n2.actual_use_vs_income", "Note 5 Faktisk bruk 2024 = resultat Inntekt nasjonale "
         "e-helseløsninger", D("1350.00"), Status.PASSED)]
    assert [t.description for t in report.tieouts if t.check_id.startswith("note3.")][:3] == [
        "Note 4 avsatt = ubrukte tilskudd (2910)",
        "Note 4 overført fra tidligere år = ubrukte tilskudd (2910, balanse 2023)",
        "Note 4 faktisk bruk = tilskuddsinntekt (3400)"]


def test_a_groups_table_of_grants_with_a_sum_column_and_a_renumbered_note(
        tmp_path: Path) -> None:
    report = build_report(load(write(tmp_path)), 2024)
    assert [(n.number, n.title) for n in report.notes] == [
        ("4", "Offentlig tilskudd"), ("5", "E-helse")]
    use, per_grant = report.note("4").tables
    # nothing was invested: the optional column is left out, and the sums skip it
    assert [(c.key, c.label) for c in use.columns] == [
        ("granted_2024", "Tilskudd 2024"), ("used_2024", "Brukt 2024"),
        ("spent_2024", "Brukt i alt 2024"), ("left_2025", "Til 2025")]
    assert cells(use) == [
        ("public_grant", "Offentlig tilskudd", [D("1500.00"), D("800.00"), D("800.00"),
                                                D("700.00")]),
        ("total", "Sum", [D("1500.00"), D("800.00"), D("800.00"), D("700.00")]),
    ]
    assert [(c.across, c.target, c.terms) for c in use.checks] == [
        ("columns", "spent_2024", ((1, "used_2024"),)),
        ("columns", "left_2025", ((1, "granted_2024"), (-1, "used_2024"))),
        ("rows", "total", ((1, "public_grant"),)),
    ]
    assert cells(per_grant) == [
        ("g1", "Tilskudd kap. 701 post 21", [D("600.00")]),
        ("g2", "Tilskudd kap. 701 post 70", [D("200.00")]),
        ("total", "Sum", [D("800.00")]),
    ]
    notes_column = {r.key: r.note for s in report.statements for r in s.rows if r.note}
    assert notes_column["grant_income"] == "4"
    assert notes_column["revenue_national_ehealth_solutions"] == "5"


def test_every_cell_and_tie_out_side_drills_to_postings_that_sum_to_it(tmp_path: Path) -> None:
    ledger = load(write(tmp_path))
    report = build_report(ledger, 2024)
    checker = Checker(ledger)
    for number in ("4", "5"):
        for table in report.note(number).tables:
            for row in table.rows:
                assert set(row.drill) == {c.key for c in table.columns}, (number, row.key)
                for key, drill in row.drill.items():
                    assert set(checker.shown(drill)) == {row.values[key]}, (row.key, key)
    tieouts = [t for t in report.tieouts if t.check_id.startswith(("n2.", "note3."))]
    assert len(tieouts) == 8  # note3.receivable.1570 since round nine
    for tie in tieouts:
        assert tie.left_drill is not None
        assert tie.right_drill is not None
        assert set(checker.shown(tie.left_drill)) == {tie.left}, tie.check_id
        assert set(checker.shown(tie.right_drill)) == {tie.right}, tie.check_id


def test_a_figure_the_builder_does_not_give_is_an_error_at_the_column(tmp_path: Path) -> None:
    text = NOTES.replace('figure = "granted"', 'figure = "promised"')
    with pytest.raises(ReportError, match=r"notes.toml:20: kolonnen 'granted_2024': notens "
                       r"bygger gir ikke tallet 'promised' \(tall: carried, not_received, "):
        build_report(load(write(tmp_path, text)), 2024)


def test_a_group_the_builder_does_not_give_is_an_error_at_the_row(tmp_path: Path) -> None:
    text = NOTES.replace('group = "solution_helseid"', 'group = "solution_helsenorge"')
    with pytest.raises(ReportError, match=r"notes.toml:62: raden 'id': notens bygger gir ikke "
                       r"gruppen 'solution_helsenorge' \(grupper: solution_helseid, "
                       r"solution_kjernejournal\)"):
        build_report(load(write(tmp_path, text)), 2024)


@pytest.mark.parametrize(("old", "new", "where", "message"), [
    ('groups = "rows"\n', "", "notes.toml:13: notes.1.tables.0",
     "en groups-tabell (og bare en groups-tabell) oppgir byggerens radsett"),
    (', figure = "used" },\n    { key = "invested',
     ' },\n    { key = "invested', "notes.toml:13: notes.1.tables.0",
     "kolonnen 'used_{year}' viser et tall"),
    ('formula = "groups" },\n]\n\n[[notes.tables]]\nkey = "per_grant"',
     'formula = "groups + rest" },\n]\n\n[[notes.tables]]\nkey = "per_grant"',
     "notes.toml:27: notes.1.tables.0.rows.0.formula",
     "raden 'total' viser til 'rest', som ikke står over den"),
    ('identity = "granted_{year} - used_{year} - invested_{year}"',
     'identity = "granted_{year} - kept_{year}"', "notes.toml:24: notes.1.tables.0.columns.4"
     ".identity", "kolonnen 'left_{next}': identity viser til 'kept_2000'"),
    ('{ key = "core", label = "Kjernejournalen", group = "solution_kjernejournal" }',
     '{ key = "core", label = "Kjernejournalen" }', "notes.toml:48: notes.2.tables.0",
     "raden 'core' summerer rader"),
    ('caption = "Per tilskudd"\nsource = "groups"\ngroups = "grants"\n',
     'caption = "Per tilskudd"\nsource = "data"\n', "notes.toml:30: notes.1.tables.1",
     "kolonnen 'used_{year}': bare kolonnene i ledger-, figures- og groups-tabeller oppgir året"),
])
def test_a_bad_groups_table_is_an_error_at_its_line(old: str, new: str, where: str,
                                                    message: str) -> None:
    assert old in NOTES
    with pytest.raises(NoteLayoutError) as caught:
        parse_notes_layout(NOTES.replace(old, new), "notes.toml")
    assert str(caught.value).startswith(where + ": "), str(caught.value)
    assert message in str(caught.value)


def test_a_groups_table_needs_a_builder() -> None:
    text = NOTES.replace('builder = "ehealth_income"\n', "")
    with pytest.raises(NoteLayoutError, match=r"^notes.toml:50: notes.2.tables.0.source: tabellen "
                       r"'per_solution': en groups-tabell viser tallene til notens bygger"):
        parse_notes_layout(text, "notes.toml")


EXAMPLES = EXAMPLE.parent / "examples"
PACKAGED = (resources.files("nhnfin") / "data" / "notes_nhn.toml").read_text("utf-8")


@pytest.mark.parametrize(("text", "old", "new", "message"), [
    (NOTES, 'groups = "grants"\n', 'groups = "grant"\n',
     "notes.toml:34: notes.1.tables.1.groups: tabellen 'per_grant': byggeren 'public_grants' gir "
     "ikke noe radsett 'grant' (den gir: rows, grants)"),
    (NOTES, 'groups = "solutions"\n', 'groups = "solutons"\n',
     "notes.toml:52: notes.2.tables.0.groups: tabellen 'per_solution': byggeren 'ehealth_income' "
     "gir ikke noe radsett 'solutons' (den gir: all, solutions)"),
    (PACKAGED, 'key = "repayment"\n', 'key = "repaid"\n',
     "notes.toml:{line}: notes.1.tables.2.key: tabellen 'repaid': byggeren 'ehealth_income' gir "
     "ikke noe tallsett 'repaid' (den gir: repayment)"),
])
def test_a_table_naming_a_set_its_builder_never_gives_is_an_error_at_its_line(
    text: str, old: str, new: str, message: str
) -> None:
    """Such a table would never show, and nothing said why (a typo in the layout)."""
    assert text.count(old) == 1
    changed = text.replace(old, new)
    line = changed[:changed.index(new)].count("\n") + 1
    with pytest.raises(NoteLayoutError) as caught:
        check_builders(parse_notes_layout(changed, "notes.toml"), changed, "notes.toml")
    assert str(caught.value) == message.format(line=line)


def test_each_builder_gives_only_the_sets_it_declares() -> None:
    """:data:`nhnfin.notes.BUILDER_SETS` against what the builders give, on the example ledger's
    two years and the examples that use the rules."""
    given: dict[str, set[tuple[str, str]]] = {name: set() for name in BUILDER_SETS}
    for path, years in ((EXAMPLE, (2023, 2024)), (EXAMPLES / "grants.beancount", (2024,)),
                        (EXAMPLES / "delivery-obligation.beancount", (2022, 2023))):
        ledger = load(path)
        for year in years:
            for name, build in builders().items():
                result = build(ledger, year)
                if result is not None:
                    given[name] |= {("figures", k) for k in result.figures}
                    given[name] |= {("groups", k) for k in result.groups}
    for name, (figure_sets, row_sets) in BUILDER_SETS.items():
        assert {k for kind, k in given[name] if kind == "groups"} <= set(row_sets), name
        if figure_sets is not None:
            assert {k for kind, k in given[name] if kind == "figures"} <= set(figure_sets), name
    assert ("groups", "rows") in given["public_grants"]  # the check saw the builders' sets
    assert ("figures", "investment") in given["public_grants"]
    assert ("groups", "all") in given["ehealth_income"]
