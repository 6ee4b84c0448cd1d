"""The notes' tables as data (issue 20, item 2): a ledger's own notes layout adds a row of
accounts, a new note of declared data and renumbers notes with no code change; a bad table is an
error at its file:line."""

from __future__ import annotations

import textwrap
from decimal import Decimal
from pathlib import Path

import pytest

from nhnfin.ledger import load
from nhnfin.model import Report
from nhnfin.notes.layout import NoteLayoutError
from nhnfin.notes.layout import parse_notes_layout
from nhnfin.report import ReportError
from nhnfin.report import build_report

BOOKS = """\
option "title" "Testforetak"
option "operating_currency" "NOK"
plugin "nhnfin.mapping"
plugin "nhnfin.notes.note_data"
plugin "nhnfin.notes.note_accounts"
2022-12-31 open Assets:1920-Bank
2022-12-31 open Equity:2050-OtherEquity
2022-12-31 open Liabilities:2940-HolidayPay
  note-row: "holiday_pay"
2022-12-31 open Liabilities:2960-Accrued
  note-row: "accrued"
2022-12-31 open Liabilities:2980-Deposits
2022-12-31 open Expenses:6300-Rent
2022-12-31 * "Opening"
  Assets:1920-Bank         5000000.00 NOK
  Equity:2050-OtherEquity -5000000.00 NOK
2023-06-01 * "Gårdeier AS" "Husleie"
  Expenses:6300-Rent       400000.00 NOK
  Assets:1920-Bank        -400000.00 NOK
2023-12-31 * "Feriepenger"
  Expenses:6300-Rent       100000.00 NOK
  Liabilities:2940-HolidayPay -100000.00 NOK
2024-12-31 * "Feriepenger og påløpt"
  Expenses:6300-Rent       350000.40 NOK
  Liabilities:2940-HolidayPay -120000.40 NOK
  Liabilities:2960-Accrued -30000.00 NOK
  Liabilities:2980-Deposits -200000.00 NOK
2024-12-31 custom "nhnfin-note-data" "3" "rent" "office" 300000 NOK
2024-12-31 custom "nhnfin-note-data" "3" "rent" "parking" 50000 NOK
2023-12-31 custom "nhnfin-note-data" "3" "rent" "office" 280000 NOK
2024-12-31 custom "nhnfin-notes" "notes.toml"
"""

NOTES = """\
name = "Testforetak"

[[notes]]
number = "1"
title = "Regnskapsprinsipper"

[[notes]]
number = "2"
title = "Annen kortsiktig gjeld"
lines = ["balance_sheet.other_short_term_liabilities"]

[[notes.tables]]
key = "debt"
caption = "Annen kortsiktig gjeld"
source = "accounts"
line = "balance_sheet.other_short_term_liabilities"
rows = [
    { key = "holiday_pay", label = "Skyldige feriepenger" },
    { key = "accrued", label = "Periodiserte poster" },
    { key = "deposits", label = "Depositum", accounts = ["2980"] },
    { key = "total", label = "Sum", kind = "total", formula = "holiday_pay + accrued + deposits" },
]

[[notes]]
number = "3"
title = "Husleie"
lines = ["income_statement.other_operating_costs"]

[[notes.tables]]
key = "rent"
caption = "Husleie etter leieobjekt"
source = "data"
rows = [
    { key = "office", label = "Kontorlokaler" },
    { key = "parking", label = "Parkering" },
    { key = "total", label = "Sum husleie", kind = "total", formula = "office + parking" },
]
"""


def write(tmp_path: Path, notes: str = NOTES, books: str = BOOKS) -> Path:
    (tmp_path / "notes.toml").write_text(notes, "utf-8")
    path = tmp_path / "books.beancount"
    path.write_text(books, "utf-8")
    return path


def table(report: Report, number: str) -> list[tuple[str, str, Decimal | None, Decimal | None]]:
    """Note ``number``'s first table as (key, label, 2024, 2023) rows."""
    rows = report.note(number).tables[0].rows
    return [(r.key, r.label, r.values.get("2024"), r.values.get("2023")) for r in rows]


def test_a_row_of_accounts_and_a_note_of_declared_data_need_no_code(tmp_path: Path) -> None:
    report = build_report(load(write(tmp_path)), 2024)
    assert [(n.number, n.title) for n in report.notes] == [
        ("2", "Annen kortsiktig gjeld"), ("3", "Husleie")]
    assert table(report, "2") == [
        ("holiday_pay", "Skyldige feriepenger", Decimal("220000.40"), Decimal("100000.00")),
        ("accrued", "Periodiserte poster", Decimal("30000.00"), Decimal("0")),
        ("deposits", "Depositum", Decimal("200000.00"), Decimal("0")),
        ("total", "Sum", Decimal("450000.40"), Decimal("100000.00")),
    ]
    assert table(report, "3") == [
        ("office", "Kontorlokaler", Decimal("300000"), Decimal("280000")),
        ("parking", "Parkering", Decimal("50000"), None),
        ("total", "Sum husleie", Decimal("350000"), Decimal("280000")),
    ]
    ties = {t.check_id: (t.left, t.right, t.status.value) for t in report.tieouts
            if t.check_id.startswith(("n2.", "n3."))}
    assert ties == {
        "n2.accounts_mapped": (Decimal(0), Decimal(0), "passed"),
        "n2.total_vs_balance_sheet.2024": (Decimal("450000.40"), Decimal("450000.40"),
                                           "passed"),
        "n2.total_vs_balance_sheet.2023": (Decimal("100000.00"), Decimal("100000.00"),
                                           "passed"),
        "n2.t0.rounded_sum.2024": (Decimal(450000), Decimal(450000), "passed"),
        "n2.t0.rounded_sum.2023": (Decimal(100000), Decimal(100000), "passed"),
        "n3.t0.rounded_sum.2024": (Decimal(350000), Decimal(350000), "passed"),
        "n3.t0.rounded_sum.2023": (Decimal(280000), Decimal(280000), "passed"),
    }
    notes = {r.key: r.note for s in report.statements for r in s.rows if r.note}
    assert notes == {"other_short_term_liabilities": "2", "other_operating_costs": "3"}


def test_each_cell_drills_to_what_makes_it(tmp_path: Path) -> None:
    report = build_report(load(write(tmp_path)), 2024)
    deposits = report.note("2").tables[0].rows[2].drill["2024"]
    assert deposits.accounts == ("Liabilities:2980-Deposits",)
    rent = report.note("3").tables[0].rows[2].drill["2024"]
    assert [(line, key) for _, line, key in rent.declared] == [(28, "value"), (29, "value")]


def test_renumbering_moves_the_note_its_data_and_the_note_column(tmp_path: Path) -> None:
    notes = NOTES.replace('number = "3"', 'number = "4"')
    books = BOOKS.replace('"nhnfin-note-data" "3"', '"nhnfin-note-data" "4"')
    report = build_report(load(write(tmp_path, notes, books)), 2024)
    assert [n.number for n in report.notes] == ["2", "4"]
    assert report.note("4").tables[0].rows[2].values["2024"] == Decimal("350000")
    notes_column = {r.key: r.note for s in report.statements for r in s.rows if r.note}
    assert notes_column["other_operating_costs"] == "4"


def test_an_account_off_the_tables_line_is_a_failed_tie(tmp_path: Path) -> None:
    notes = NOTES.replace('accounts = ["2980"]', 'accounts = ["2980", "6300"]')
    report = build_report(load(write(tmp_path, notes)), 2024)
    mapped = next(t for t in report.tieouts if t.check_id == "n2.accounts_mapped")
    assert mapped.status.value == "failed"
    assert "Expenses:6300-Rent er knyttet til note 2 rad 'deposits'" in mapped.detail


def test_declared_data_for_a_row_the_layout_lacks_is_an_error_at_the_directive(
    tmp_path: Path,
) -> None:
    path = write(tmp_path, books=BOOKS + '2024-12-31 custom "nhnfin-note-data" "3" "rent" '
                                         '"storage" 100 NOK\n')
    from beancount import loader

    _, errors, _ = loader.load_file(str(path))
    assert [(e.source["lineno"], e.message) for e in errors] == [
        (32, "tabellen 'rent' har ingen rad 'storage' (rader: office, parking)")]


ROW = '    { key = "deposits", label = "Depositum", accounts = ["2980"] },'


@pytest.mark.parametrize(
    ("change", "line", "message"),
    [
        ((ROW, ROW.replace(" }", ', farge = "blå" }')), 20,
         "notes.1.tables.0.rows.2.farge: ukjent felt (det er ikke tillatt her)"),
        ((ROW, ROW.replace('"2980"', '"29x0"')), 20,
         "notes.1.tables.0.rows.2.accounts: ikke et kontonummer eller intervall: '29x0'"),
        (('formula = "office + parking"', 'formula = "office + parkering"'), 36,
         "raden 'total' viser til 'parkering', som ikke står over den i tabellen 'rent'"),
        (('formula = "office + parking"', 'formula = "office + * parking"'), 36,
         "formelen 'office + * parking'"),
        (('{ key = "parking", label', '{ key = "office", label'), 35,
         "nøkkelen til raden 'office' står to ganger i tabellen 'rent'"),
        (('source = "data"', 'source = "konto"'), 32, "notes.2.tables.0.source: må være"),
        (('line = "balance_sheet.other_short_term_liabilities"\nrows',
          'line = "other_short_term_liabilities"\nrows'), 16,
         "notes.1.tables.0.line: må følge mønsteret"),
        (('key = "rent"', 'key = "debt"'), 12, None),  # a key twice in a note is fine
    ],
)
def test_a_bad_table_is_an_error_at_its_line(
    tmp_path: Path, change: tuple[str, str], line: int, message: str | None
) -> None:
    old, new = change
    assert old in NOTES
    text = NOTES.replace(old, new)
    if message is None:
        parse_notes_layout(text, "notes.toml")
        return
    with pytest.raises(ReportError) as caught:
        build_report(load(write(tmp_path, text)), 2024)
    assert str(caught.value).startswith(f"{tmp_path / 'notes.toml'}:{line}: "), caught.value
    assert message in str(caught.value)


def test_a_row_key_in_two_accounts_tables_is_an_error_at_the_second() -> None:
    text = NOTES + textwrap.dedent("""\

        [[notes]]
        number = "4"
        title = "Mer gjeld"

        [[notes.tables]]
        key = "more"
        caption = "Mer gjeld"
        source = "accounts"
        line = "balance_sheet.other_short_term_liabilities"
        opt_in = true
        rows = [
            { key = "other", label = "Annet" },
            { key = "accrued", label = "Periodiserte poster" },
        ]
        """)
    with pytest.raises(NoteLayoutError, match=r"^notes.toml:51: notes.3.tables.0.rows.1.key: "
                       r"radnøkkelen 'accrued' er også en rad i note 2 tabellen 'debt'"):
        parse_notes_layout(text, "notes.toml")


def test_an_unknown_check_is_an_error_at_its_line(tmp_path: Path) -> None:
    text = NOTES.replace('source = "data"', 'source = "data"\nchecks = "pensjon"')
    with pytest.raises(ReportError, match=r"notes.toml:33: notes.2.tables.0.checks: ukjent "
                       r"kontroll 'pensjon' \(kontroller: pensions, equity, delivery_obligation, "
                       r"fixed_assets\)"):
        build_report(load(write(tmp_path, text)), 2024)


ROLL_FORWARD = NOTES + """
[[notes]]
number = "4"
title = "Feriepenger"

[[notes.tables]]
key = "holiday_pay"
caption = "Skyldige feriepenger"
source = "ledger"
sign = -1
active = true
identities = true
columns = [
    { key = "holiday_pay", label = "Feriepenger", accounts = ["2940"] },
    { key = "accrued", label = "Påløpt", accounts = ["2960"] },
    { key = "both", label = "Sum", formula = "holiday_pay + accrued" },
]
rows = [
    { key = "at_{prior}_12_31", label = "Pr. 31.12.{prior_yy}", measure = "closing_prior" },
    { key = "set_aside_{year}", label = "Avsatt {year}", measure = "credit" },
    { key = "paid_{year}", label = "Utbetalt {year}", measure = "debit", optional = true },
    { key = "at_{year}_12_31", label = "Pr. 31.12.{yy}", kind = "total", formula = \
"at_{prior}_12_31 + set_aside_{year} + paid_{year}" },
    { key = "booked", label = "Bokført", measure = "closing" },
]
"""


def test_a_ledger_table_rolls_accounts_forward_by_measure(tmp_path: Path) -> None:
    report = build_report(load(write(tmp_path, ROLL_FORWARD)), 2024)
    table = report.note("4").tables[0]
    assert [(r.key, r.label, r.values["holiday_pay"], r.values["accrued"], r.values["both"])
            for r in table.rows] == [
        ("at_2023_12_31", "Pr. 31.12.23", Decimal("100000.00"), Decimal(0), Decimal("100000.00")),
        ("set_aside_2024", "Avsatt 2024", Decimal("120000.40"), Decimal("30000.00"),
         Decimal("150000.40")),
        ("at_2024_12_31", "Pr. 31.12.24", Decimal("220000.40"), Decimal("30000.00"),
         Decimal("250000.40")),
        ("booked", "Bokført", Decimal("220000.40"), Decimal("30000.00"), Decimal("250000.40")),
    ]  # "Utbetalt 2024" is optional and has no amount: left out, and out of the sum
    [identity] = table.checks
    assert (identity.target, identity.terms) == (
        "at_2024_12_31", ((1, "at_2023_12_31"), (1, "set_aside_2024")))
    set_aside = table.row("set_aside_2024").drill["holiday_pay"]
    assert set_aside.accounts == ("Liabilities:2940-HolidayPay",)
    assert "number < 0" in set_aside.query


def test_an_active_ledger_table_is_left_out_of_a_year_without_postings(tmp_path: Path) -> None:
    report = build_report(load(write(tmp_path, ROLL_FORWARD)), 2022)
    assert "4" not in [n.number for n in report.notes]  # 2940 and 2960 are empty in 2022
    assert "4" in [n.number for n in build_report(load(write(tmp_path, ROLL_FORWARD)),
                                                   2023).notes]


def test_a_ledger_row_without_measure_or_formula_is_an_error_at_the_table() -> None:
    text = ROLL_FORWARD.replace(', measure = "closing" }', " }")
    with pytest.raises(NoteLayoutError, match=r"^notes.toml:43: notes.3.tables.0: "
                       r"tabellen 'holiday_pay': raden 'booked' har en measure"):
        parse_notes_layout(text, "notes.toml")


FIGURES = """\
name = "Testforetak"

[[notes]]
number = "5"
title = "Utstyr"
builder = "fixed_assets"

[[notes.tables]]
key = "tangible"
caption = "Utstyr"
source = "figures"
identities = true
columns = [
    { key = "fixtures_fittings_and_equipment", label = "Utstyr", accounts = ["1250-1279"], \
texts = { useful_life = "3-10 år" } },
    { key = "total", label = "I alt", formula = "fixtures_fittings_and_equipment" },
]
rows = [
    { key = "opening", label = "Bokført 1.1", figure = "opening" },
    { key = "bought", label = "Kjøpt", figure = "additions" },
    { key = "written_off", label = "Avskrevet", figure = "depreciation" },
    { key = "closing", label = "Bokført 31.12", kind = "total", formula = "opening + bought + \
written_off" },
    { key = "life", label = "Levetid", figure = "useful_life", text = true },
]
"""
EQUIPMENT = BOOKS.replace('2024-12-31 custom "nhnfin-notes" "notes.toml"\n', "") + """\
2022-12-31 open Assets:1250-Equipment
2022-12-31 open Assets:1259-EquipmentDepreciation
2022-12-31 open Expenses:6010-Depreciation
2024-03-01 * "Leverandør AS" "PC-er"
  Assets:1250-Equipment  90000.00 NOK
  Assets:1920-Bank      -90000.00 NOK
2024-12-31 * "Avskrivning"
  Expenses:6010-Depreciation        15000.00 NOK
  Assets:1259-EquipmentDepreciation -15000.00 NOK
2024-12-31 custom "nhnfin-notes" "notes.toml"
"""


def test_a_figures_table_places_the_builders_figures(tmp_path: Path) -> None:
    report = build_report(load(write(tmp_path, FIGURES, EQUIPMENT)), 2024)
    [table] = report.note("5").tables
    assert [c.label for c in table.columns] == ["Utstyr", "I alt"]
    assert [(r.key, r.label, r.values.get("fixtures_fittings_and_equipment"),
             r.values.get("total"), r.text_values) for r in table.rows] == [
        ("opening", "Bokført 1.1", Decimal(0), Decimal(0), {}),
        ("bought", "Kjøpt", Decimal("90000.00"), Decimal("90000.00"), {}),
        ("written_off", "Avskrevet", Decimal("-15000.00"), Decimal("-15000.00"), {}),
        ("closing", "Bokført 31.12", Decimal("75000.00"), Decimal("75000.00"), {}),
        ("life", "Levetid", None, None, {"fixtures_fittings_and_equipment": "3-10 år"}),
    ]
    assert [(c.across, c.target) for c in table.checks] == [("rows", "closing"),
                                                           ("columns", "total")]


def test_a_figure_the_builder_does_not_give_is_an_error_at_the_row(tmp_path: Path) -> None:
    text = FIGURES.replace('figure = "additions"', 'figure = "purchases"')
    with pytest.raises(ReportError, match=r"notes.toml:19: raden 'bought': notens bygger gir "
                       r"ikke tallet 'purchases' \(tall: cost, accumulated, "):
        build_report(load(write(tmp_path, text, EQUIPMENT)), 2024)


def test_an_asset_class_column_and_its_printed_life_need_no_code(tmp_path: Path) -> None:
    """A new column in the layout (its accounts, printed life and method) is measured and
    printed as declared."""
    text = FIGURES.replace('["1250-1279"]', '["1250-1269"]').replace(
        '    { key = "total", label = "I alt", formula = "fixtures_fittings_and_equipment" },',
        '    { key = "furniture", label = "Møbler", accounts = ["1270-1279"], texts = { '
        'useful_life = "8 år", depreciation_method = "Saldo" } },\n'
        '    { key = "total", label = "I alt", formula = "fixtures_fittings_and_equipment + '
        'furniture" },').replace(
        '    { key = "life", label = "Levetid", figure = "useful_life", text = true },',
        '    { key = "life", label = "Levetid", figure = "useful_life", text = true },\n'
        '    { key = "method", label = "Metode", figure = "depreciation_method", text = true },')
    books = EQUIPMENT + """\
2022-12-31 open Assets:1270-Furniture
2024-06-01 * "Møbelhuset" "Stoler"
  Assets:1270-Furniture  20000.00 NOK
  Assets:1920-Bank      -20000.00 NOK
"""
    [table] = build_report(load(write(tmp_path, text, books)), 2024).note("5").tables
    assert [c.label for c in table.columns] == ["Utstyr", "Møbler", "I alt"]
    assert [(r.key, r.values.get("fixtures_fittings_and_equipment"), r.values.get("furniture"),
             r.values.get("total"), r.text_values) for r in table.rows] == [
        ("opening", Decimal(0), Decimal(0), Decimal(0), {}),
        ("bought", Decimal("90000.00"), Decimal("20000.00"), Decimal("110000.00"), {}),
        ("written_off", Decimal("-15000.00"), Decimal(0), Decimal("-15000.00"), {}),
        ("closing", Decimal("75000.00"), Decimal("20000.00"), Decimal("95000.00"), {}),
        ("life", None, None, None, {"fixtures_fittings_and_equipment": "3-10 år",
                                    "furniture": "8 år"}),
        ("method", None, None, None, {"furniture": "Saldo"}),
    ]


def test_a_figures_column_without_accounts_is_an_error_at_its_line(tmp_path: Path) -> None:
    text = FIGURES.replace('accounts = ["1250-1279"], ', "")
    with pytest.raises(ReportError, match=r"notes.toml:14: tabellen 'tangible': kolonnen "
                       r"'fixtures_fittings_and_equipment' tar kontoer \(eiendelsklassens NS "
                       r"4102-intervaller: accounts = \[\"1100-1249\"\]\) eller summerer "
                       r"kolonner \(formula\)"):
        build_report(load(write(tmp_path, text, EQUIPMENT)), 2024)


def test_texts_on_a_sum_column_are_an_error_at_its_line() -> None:
    text = FIGURES.replace('formula = "fixtures_fittings_and_equipment" },',
                           'formula = "fixtures_fittings_and_equipment", texts = { a = "b" } },')
    with pytest.raises(NoteLayoutError, match=r"^notes.toml:15: .*en sumkolonne \(formula\) har "
                       r"ingen text, texts, figure eller accounts"):
        parse_notes_layout(text, "notes.toml")


def test_a_figures_table_needs_a_builder() -> None:
    text = FIGURES.replace('builder = "fixed_assets"\n', "")
    with pytest.raises(NoteLayoutError, match=r"^notes.toml:10: notes.0.tables.0.source: tabellen "
                       r"'tangible': en figures-tabell viser tallene til notens bygger"):
        parse_notes_layout(text, "notes.toml")


def test_whether_a_figures_table_shows_is_the_layouts(tmp_path: Path) -> None:
    # by default: when the ledger has an account of its columns
    def numbers(notes: str, books: str) -> list[str]:
        return [n.number for n in build_report(load(write(tmp_path, notes, books)), 2024).notes]

    assert numbers(FIGURES, EQUIPMENT) == ["5"]
    no_assets = EQUIPMENT.replace("Assets:1250-Equipment", "Assets:1300-Shares").replace(
        "Assets:1259-EquipmentDepreciation", "Assets:1301-SharesWrittenDown")
    assert numbers(FIGURES, no_assets) == []
    # requires: the ranges that make it show, whatever the columns take
    required = FIGURES.replace('source = "figures"\n', 'source = "figures"\nrequires = ["1300"]\n')
    report = build_report(load(write(tmp_path, required, no_assets)), 2024)
    assert [(r.key, r.values.get("total")) for r in report.note("5").tables[0].rows][:2] == [
        ("opening", Decimal(0)), ("bought", Decimal(0))]
    assert numbers(required, EQUIPMENT) == []
