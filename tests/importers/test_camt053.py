"""camt.053 importer: parsing functions, errors, XML safety and idempotency (issue 9)."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from pathlib import Path

import pytest
from beancount import loader
from beancount.core import data
from beancount.parser import printer
from nhnfin.importers.camt053 import counter_postings
from nhnfin.importers.camt053 import parse_statements
from nhnfin.importers.common import DocumentError
from nhnfin.importers.common import DocumentErrors

from tests.importers.conftest import DATA
from tests.importers.conftest import camt_importer

CAMT = DATA / "camt"


def _extract(path: Path) -> list[data.Directive]:
    importer = camt_importer()
    entries = importer.extract(str(path), [])
    importer.sort(entries)
    return entries


def test_malformed_sample_names_file_line_and_element() -> None:
    path = CAMT / "camt053.v2.wrong.xml"
    with pytest.raises(DocumentError) as info:
        _extract(path)
    assert info.value.lineno == 3
    assert info.value.where == "<BkToCstmrStmt>"
    assert str(info.value) == f"{path}:3: <BkToCstmrStmt>: ingen <Stmt> (kontoutskrift) i filen"


@pytest.mark.parametrize("name", ["billion-laughs.xml", "external-entity.xml"])
def test_entity_declarations_are_refused(name: str) -> None:
    path = DATA / "unsafe" / name
    with pytest.raises(DocumentError, match="oppgir en DTD") as info:
        _extract(path)
    assert info.value.where == "<!DOCTYPE>"
    assert info.value.lineno == (7 if name.startswith("billion") else 3)
    assert not camt_importer().identify(str(path))


def test_not_well_formed_xml(tmp_path: Path) -> None:
    path = tmp_path / "cut.xml"
    path.write_text(
        '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">\n<BkToCstmrStmt>\n'
    )
    with pytest.raises(DocumentError, match="ikke velformet") as info:
        _extract(path)
    assert info.value.where == "XML"


def test_missing_amount_names_entry_line(tmp_path: Path) -> None:
    text = (CAMT / "camt053.nhn.zero-amount.xml").read_text()
    path = tmp_path / "no-amount.xml"
    path.write_text(text.replace('<Amt Ccy="NOK">0.00</Amt>', "", 1))
    with pytest.raises(DocumentError, match="<Amt> mangler") as info:
        _extract(path)
    assert info.value.lineno == 9


def test_unconfigured_account_is_an_error() -> None:
    importer = type(camt_importer())({"NO0000000000000": "Assets:1920-Bank"})
    with pytest.raises(DocumentError, match="NO9386011117947 er ikke satt opp"):
        importer.extract(str(CAMT / "camt053.nhn.batch.xml"), [])


def test_statement_parsing_exact_values() -> None:
    [statement] = parse_statements(str(CAMT / "camt053.nhn.batch.xml"))
    assert statement.account_id == "NO9386011117947"
    assert [(b.code, b.amount, b.date) for b in statement.balances] == [
        ("OPBD", Decimal("1000000.00"), datetime.date(2025, 1, 31)),
        ("CLBD", Decimal("1350000.50"), datetime.date(2025, 1, 31)),
    ]
    [entry] = statement.entries
    assert [d.amount for d in entry.details] == [
        Decimal("200000.00"),
        Decimal("100000.50"),
        Decimal("50000.00"),
    ]
    assert entry.details[0].kid == "0001000420006"
    assert entry.details[2].end_to_end_id is None  # NOTPROVIDED


def test_batch_that_does_not_add_up_gets_one_suspense_posting() -> None:
    [statement] = parse_statements(str(CAMT / "camt053.nhn.batch.xml"))
    entry = statement.entries[0]
    broken = entry.__class__(**{**entry.__dict__, "amount": Decimal("1.00")})
    [posting] = counter_postings(broken, "Assets:1590-Unreconciled")
    assert posting.units.number == Decimal("-1.00")


def test_closing_balance_is_dated_the_day_after() -> None:
    balances = [
        e for e in _extract(CAMT / "camt053.nhn.reversal.xml") if isinstance(e, data.Balance)
    ]
    assert [(b.date, b.amount.number, b.meta["balance-type"]) for b in balances] == [
        (datetime.date(2025, 3, 3), Decimal("500.00"), "OPBD"),
        (datetime.date(2025, 3, 4), Decimal("500.00"), "CLBD"),
    ]


@pytest.mark.parametrize(
    "name",
    [
        "camt053.nhn.batch.xml",
        "camt053.nhn.reversal.xml",
        "camt053.nhn.foreign-currency.xml",
        "camt053.nhn.zero-amount.xml",
    ],
)
def test_edge_case_import_passes_bean_check(name: str) -> None:
    entries = _extract(CAMT / name)
    buffer = io.StringIO()
    printer.print_entries(entries, file=buffer)
    # What the ledger held before the statement: the opening booked balance.
    before = "".join(
        f'{e.date - datetime.timedelta(days=1)} * "before"\n  {e.account}  {e.amount}\n'
        "  Equity:2050-OtherEquity\n"
        for e in entries
        if isinstance(e, data.Balance) and e.meta["balance-type"] == "OPBD"
    )
    text = 'plugin "beancount.plugins.auto_accounts"\n' + before + buffer.getvalue()
    _entries, errors, _options = loader.load_string(text)
    assert errors == []


def test_importing_twice_adds_nothing() -> None:
    importer = camt_importer()
    path = str(CAMT / "camt053.nhn.reversal.xml")
    first = importer.extract(path, [])
    buffer = io.StringIO()
    printer.print_entries(first, file=buffer)
    existing, _errors, _options = loader.load_string(buffer.getvalue())
    again = importer.extract(path, existing)
    importer.deduplicate(again, list(existing))
    assert all("__duplicate__" in entry.meta for entry in again)
    assert len(again) == 4


# --- issue 18: to the standard of genkgo/camt and camt_parser; issue 15 E: bad amounts ---

V3 = CAMT / "camt053.nhn.v3-prcd.xml"


@pytest.mark.parametrize(
    ("name", "lineno", "where", "message"),
    [
        (
            "camt053.v2.all-balance-types.xml",
            68,
            "<Bal> CLBD",
            "kontoutskriften går ikke opp: inngående OPBD 1.01 + 1 bokførte poster 8.85 = 9.86, "
            "men utgående saldo er 4.04 EUR (differanse -5.82)",
        ),
        (
            "camt053.v2.five.decimals.xml",
            49,
            "<Bal> CLBD",
            "kontoutskriften går ikke opp: inngående OPBD 18.15 + 1 bokførte poster 8.85 = 27.00, "
            "men utgående saldo er 27.05 EUR (differanse 0.05)",
        ),
        (
            "camt053.v2.minimal.xml",
            54,
            "<Bal> CLBD",
            "-27.00 SEK avvist: konto NL26VAYB8060476890 er i EUR",
        ),
        (
            "camt053.v8.xml",
            74,
            "<Bal> CLBD",
            "-27.00 SEK avvist: konto NL26VAYB8060476890 er i EUR",
        ),
    ],
)
def test_genkgo_samples_that_do_not_reconcile_are_errors(
    name: str, lineno: int, where: str, message: str
) -> None:
    with pytest.raises(DocumentError) as info:
        _extract(CAMT / name)
    assert (info.value.lineno, info.value.where, info.value.message) == (lineno, where, message)


def test_genkgo_v8_sample_parses_as_genkgo_reads_it() -> None:
    """The parse itself (before the checks) matches genkgo's expected values."""
    [statement] = parse_statements(str(CAMT / "camt053.v8.xml"))
    assert statement.account_id == "NL26VAYB8060476890"
    assert [(b.code, b.amount, b.currency) for b in statement.balances] == [
        ("OPBD", Decimal("18.15"), "EUR"),
        ("CLBD", Decimal("-27.00"), "SEK"),
        ("OPAV", Decimal("35.00"), "CHF"),
        ("CLAV", Decimal("-2700"), "JPY"),
    ]
    [entry] = statement.entries
    assert (entry.amount, entry.booking_date, entry.details[0].debtor) == (
        Decimal("8.85"),
        datetime.date(2014, 12, 31),
        "NAME NAME",
    )


@pytest.mark.parametrize("name", ["camt053.nhn.v3-prcd.xml", "camt053.nhn.v4.xml"])
def test_versions_03_and_04_are_recognised(name: str) -> None:
    assert camt_importer().identify(str(CAMT / name))


def test_prcd_is_the_opening_when_there_is_no_opbd() -> None:
    [opening, *_rest, closing] = [e for e in _extract(V3) if isinstance(e, data.Balance)]
    # PRCD is the balance at the end of 2025-04-30: asserted at the start of 2025-05-01.
    assert (opening.date, opening.amount.number, opening.meta["balance-type"]) == (
        datetime.date(2025, 5, 1),
        Decimal("250000.00"),
        "PRCD",
    )
    assert (closing.date, closing.amount.number) == (
        datetime.date(2025, 5, 3),
        Decimal("287500.00"),
    )


def test_opbd_wins_over_prcd(tmp_path: Path) -> None:
    text = V3.read_text().replace(
        "<Bal><Tp><CdOrPrtry><Cd>CLBD",
        '<Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy="NOK">250000.00</Amt>'
        "<CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2025-05-02</Dt></Dt></Bal>\n"
        "      <Bal><Tp><CdOrPrtry><Cd>CLBD",
    )
    path = tmp_path / "both.xml"
    path.write_text(text)
    types = [e.meta["balance-type"] for e in _extract(path) if isinstance(e, data.Balance)]
    assert types == ["OPBD", "CLBD"]


def test_metadata_kept_from_the_statement() -> None:
    [_opening, received, paid, _closing] = _extract(V3)
    assert isinstance(received, data.Transaction)
    assert isinstance(paid, data.Transaction)
    assert {k: v for k, v in received.meta.items() if k not in ("filename", "lineno")} == {
        "bank-ref": "NHN-V3-0001",
        "statement": "NHN-2025-05-02",
        "statement-info": "Kontoutskrift 2025-05-02, side 1 av 1",
        "bank-tx-domain": "PMNT",
        "bank-tx-family": "RCDT",
        "bank-tx-subfamily": "DMCT",
        "bank-tx-proprietary": "230 (DNB)",
        "end-to-end-id": "E2E-TRD-9",
        "debtor": "Trondheim kommune",
        "debtor-account": "NO6512345678903",
        "creditor": "Norsk helsenett SF",
        "creditor-account": "NO9386011117947",
        "proprietary-ref": "ARCHIVE: 2025050200417",
    }
    assert (paid.payee, paid.meta["creditor"], paid.meta["creditor-account"]) == (
        "Atea AS",
        "Atea AS",
        "12345678903",
    )


def _variant(tmp_path: Path, old: str, new: str, source: Path = V3) -> Path:
    text = source.read_text()
    assert old in text
    path = tmp_path / "variant.xml"
    path.write_text(text.replace(old, new, 1))
    return path


def test_statement_that_does_not_add_up_is_an_error(tmp_path: Path) -> None:
    path = _variant(tmp_path, '<Amt Ccy="NOK">287500.00</Amt>', '<Amt Ccy="NOK">287600.00</Amt>')
    with pytest.raises(DocumentError) as info:
        _extract(path)
    assert str(info.value) == (
        f"{path}:13: <Bal> CLBD: kontoutskriften går ikke opp: inngående PRCD 250000.00 + "
        "2 bokførte poster 37500.00 = 287500.00, men utgående saldo er 287600.00 NOK "
        "(differanse 100.00)"
    )


def test_currency_the_ledger_account_does_not_allow_is_refused() -> None:
    importer = camt_importer()
    ledger = [
        data.Open(
            data.new_metadata("l", 1), datetime.date(2020, 1, 1), "Assets:1920-Bank", ["EUR"], None
        )
    ]
    with pytest.raises(DocumentErrors) as info:
        importer.extract(str(V3), ledger)
    assert [(e.lineno, e.where) for e in info.value.errors] == [
        (12, "<Bal> PRCD"),
        (13, "<Bal> CLBD"),
        (14, "<Ntry>"),
        (41, "<Ntry>"),
    ]
    assert info.value.errors[0].message == (
        "250000.00 NOK avvist: konto NO9386011117947 er i NOK (kontoen i regnskapet tillater EUR)"
    )


@pytest.mark.parametrize(
    ("old", "new", "lineno", "where", "message"),
    [
        pytest.param(
            '<Amt Ccy="NOK">287500.00</Amt>',
            '<Amt Ccy="SEK">287500.00</Amt>',
            13,
            "<Bal> CLBD",
            "287500.00 SEK avvist: konto NO9386011117947 er i NOK",
            id="closing-balance-in-another-currency",
        ),
        pytest.param(
            '<Amt Ccy="NOK">12500.00</Amt>',
            '<Amt Ccy="NOK">-12500.00</Amt>',
            42,
            "<Amt>",
            "negativt beløp '-12500.00': beløp i camt har ikke fortegn, fortegnet er <CdtDbtInd>",
            id="negative-amount-with-dbit-is-not-money-in",
        ),
        pytest.param(
            '<Amt Ccy="NOK">12500.00</Amt>',
            '<Amt Ccy="NOK">12500.005</Amt>',
            42,
            "<Amt>",
            "beløpet 12500.005 NOK har flere desimaler enn NOK har (2)",
            id="nok-amount-with-three-decimals",
        ),
    ],
)
def test_bad_value_is_refused_at_its_line(
    tmp_path: Path, old: str, new: str, lineno: int, where: str, message: str
) -> None:
    with pytest.raises(DocumentError) as info:
        _extract(_variant(tmp_path, old, new))
    assert (info.value.lineno, info.value.where, info.value.message) == (lineno, where, message)


def test_trailing_zero_decimals_are_the_same_amount(tmp_path: Path) -> None:
    """genkgo's five-decimals case: 12500.000 NOK is 12500.00 NOK, written as such."""
    path = _variant(tmp_path, '<Amt Ccy="NOK">12500.00</Amt>', '<Amt Ccy="NOK">12500.000</Amt>')
    paid = [e for e in _extract(path) if isinstance(e, data.Transaction)][1]
    assert str(paid.postings[0].units) == "-12500.00 NOK"


def test_yen_has_no_decimals(tmp_path: Path) -> None:
    text = V3.read_text().replace("NOK", "JPY").replace(".00<", "<")
    path = tmp_path / "jpy.xml"
    path.write_text(text.replace('<Amt Ccy="JPY">12500</Amt>', '<Amt Ccy="JPY">12500.50</Amt>'))
    with pytest.raises(DocumentError, match=r"12500.50 JPY har flere desimaler enn JPY har \(0\)"):
        _extract(path)


EUR_LEDGER = """\
option "operating_currency" "NOK"
plugin "nhnfin"
2027-12-31 open Assets:1590-Unreconciled NOK
2027-12-31 open Assets:1921-BankEUR EUR,NOK
2027-12-31 open Equity:2050-OtherEquity NOK
2027-12-31 custom "nhnfin-bank-account" "NO9386011117947" Assets:1921-BankEUR
"""

EUR_STATEMENT = """\
<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">
  <BkToCstmrStmt>
    <GrpHdr><MsgId>E-1</MsgId><CreDtTm>2028-04-01T06:00:00+02:00</CreDtTm></GrpHdr>
    <Stmt>
      <Id>E-2028-03</Id>
      <CreDtTm>2028-04-01T06:00:00+02:00</CreDtTm>
      <Acct><Id><IBAN>NO9386011117947</IBAN></Id><Ccy>EUR</Ccy></Acct>
      <Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">500.00</Amt>
        <CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2028-03-01</Dt></Dt></Bal>
      <Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">400.00</Amt>
        <CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2028-03-31</Dt></Dt></Bal>
      <Ntry>
        <Amt Ccy="EUR">100.00</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts>BOOK</Sts>
        <BookgDt><Dt>2028-03-05</Dt></BookgDt><ValDt><Dt>2028-03-05</Dt></ValDt>
        <AcctSvcrRef>E-0001</AcctSvcrRef>
      </Ntry>
    </Stmt>
  </BkToCstmrStmt>
</Document>
"""


def test_an_entry_the_counter_accounts_open_does_not_allow_is_refused(tmp_path: Path) -> None:
    """r15probe: a EUR account's statement was booked against a suspense account opened for
    NOK only, and the file written failed bean-check with Beancount's English "Invalid currency
    EUR for account 'Assets:1590-Unreconciled'". Now the import refuses it at the entry's line,
    in Norwegian, and writes nothing; a suspense account that allows EUR takes it."""
    from click.testing import CliRunner

    from nhnfin.cli.main import main

    ledger = tmp_path / "books.beancount"
    ledger.write_text(EUR_LEDGER, "utf-8")
    statement = tmp_path / "eur.xml"
    statement.write_text(EUR_STATEMENT, "utf-8")
    out = tmp_path / "bank.beancount"
    args = ["import", str(statement), "--ledger", str(ledger), "--output", str(out)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1
    assert result.output.strip().splitlines()[-1] == (
        f"Feil: {statement}:13: <Ntry>: -100.00 EUR avvist: motkontoen Assets:1590-Unreconciled "
        "tillater NOK, så posten kan ikke føres mot den: åpne den også for EUR (open "
        "Assets:1590-Unreconciled NOK,EUR), eller oppgi en annen motkonto med --counter-account "
        "eller counter-account: på nhnfin-bank-account")
    assert not out.exists()
    ledger.write_text(EUR_LEDGER.replace("Unreconciled NOK", "Unreconciled NOK,EUR"), "utf-8")
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "Assets:1590-Unreconciled   100.00 EUR" in out.read_text("utf-8")
