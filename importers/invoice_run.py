"""Invoice runs from the invoicing system (CSV or XLSX) as receivables against e-health obligations.

One row is one invoice to one customer for one national e-health solution and period. It becomes
one transaction that debits the customer's receivable and credits the deferred e-health revenue
(note 2: income is recognised later, in step with the costs, by the e-health plugin)::

    2024-01-01 * "Oslo kommune" "Faktura 10042 Kjernejournal 2024-Q1" ^inv-10042-8fdb318539
      invoice: "10042"
      customer: "Oslo kommune"
      solution: "Kjernejournal"
      period: "2024-Q1"
      Assets:1500-TradeReceivables:Oslo-kommune   1042953.50 NOK
      Liabilities:2920-EHealthObligations        -1042953.50 NOK

Columns (header row, any order, Norwegian or English names, case-insensitive):
``invoice``/``fakturanummer``, ``customer``/``kunde``, ``solution``/``løsning``,
``period``/``periode``, ``amount``/``beløp`` and optionally ``date``/``fakturadato``. Amounts may
be written the Norwegian way ("1 042 953,50", decimal comma, space or no-break-space thousands)
and must have at most two decimals; a negative amount is a credit note. An amount with one
separator before exactly three digits ("1,000", "1.000") is refused as ambiguous, and a row with
more cells than the header (an unquoted decimal comma in a comma-separated file) is an error.
Periods are ``YYYY``,
``YYYY-MM`` or ``YYYY-Qn``; without a date column the invoice is dated on the first day of its
period. CSV files are UTF-8 with ``;``, ``,`` or tab as separator; XLSX files are read from their
first sheet.

A row that cannot be read is an error naming the file, the line and the column; all bad rows
of a file are reported together and nothing is imported from it. The link is
``^inv-<number>-<digest of number and customer>`` (:func:`unique_link`, full Unicode: ``Ø-1``
and ``Å-1`` differ), and the receivable account keeps the customer's letters ("Ås kommune" and
"As kommune" get two accounts); importing the same run twice adds nothing.
"""

from __future__ import annotations

import csv
import datetime
import re
import zipfile
from collections.abc import Iterable
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import beangulp
from beancount.core import data
from beancount.core.amount import Amount
from nhnfin.importers.common import DocumentError
from nhnfin.importers.common import DocumentErrors
from nhnfin.importers.common import account_component
from nhnfin.importers.common import negate
from nhnfin.importers.common import same_import
from nhnfin.importers.common import unique_link

from nhnfin.files import file_problem_words
from nhnfin.money import MAX_AMOUNT
from nhnfin.money import ORE
from nhnfin.money import to_decimal

COLUMNS = {
    "invoice": ("invoice", "invoice number", "invoice no", "fakturanummer", "fakturanr", "faktura"),
    "customer": ("customer", "kunde", "kundenavn"),
    "solution": ("solution", "løsning", "losning", "e-helseløsning"),
    "period": ("period", "periode"),
    "amount": ("amount", "beløp", "belop", "sum"),
    "date": ("date", "invoice date", "fakturadato", "dato"),
}
REQUIRED = ("invoice", "customer", "solution", "period", "amount")
#: One separator followed by exactly three digits at the end ("1,000", "2.500"): a thousands
#: separator to one reader, a decimal mark to another.
_AMBIGUOUS = re.compile(r"^[^,.]*[,.]\d{3}$")
_PERIOD = re.compile(r"^(\d{4})(?:-(\d{2})|-?Q([1-4]))?$", re.IGNORECASE)


@dataclass(frozen=True)
class Invoice:
    """One row of an invoice run."""

    lineno: int
    number: str
    customer: str
    solution: str
    period: str
    amount: Decimal
    date: datetime.date


def column_map(header: Iterable[Any]) -> dict[str, int]:
    """Field name → column index for a header row (unknown columns are ignored)."""
    lookup = {alias: name for name, aliases in COLUMNS.items() for alias in aliases}
    result: dict[str, int] = {}
    for index, cell in enumerate(header):
        name = lookup.get(str(cell or "").strip().lower())
        if name and name not in result:
            result[name] = index
    return result


def period_start(period: str) -> datetime.date:
    """First day of ``YYYY``, ``YYYY-MM`` or ``YYYY-Qn``.

    Raises:
        ValueError: not one of these forms.
    """
    match = _PERIOD.match(period.strip())
    if not match:
        raise ValueError(f"perioden {period!r} er ikke YYYY, YYYY-MM eller YYYY-Qn")
    year, month, quarter = match.groups()
    if month and not 1 <= int(month) <= 12:
        raise ValueError(f"perioden {period!r} har ingen måned {month}")
    if quarter:
        return datetime.date(int(year), 3 * int(quarter) - 2, 1)
    return datetime.date(int(year), int(month or 1), 1)


def parse_invoice_amount(value: Any) -> Decimal:
    """An amount cell (text in Norwegian or plain format, or a spreadsheet number) in øre.

    Text with one separator before exactly three digits ("1,000", "1.000") is refused as
    ambiguous rather than guessed.

    Raises:
        ValueError: not an amount, ambiguous, or more than two decimals.
    """
    if isinstance(value, bool) or value is None:
        raise ValueError(f"ikke et beløp: {value!r}")
    if isinstance(value, str) and _AMBIGUOUS.match(value.strip()):
        raise ValueError(
            f"tvetydig beløp {value!r}: et skilletegn foran tre sifre er tusenskille for én "
            "leser og desimaltegn for en annen; skriv beløpet uten tusenskille og med høyst to "
            "desimaler (1000 eller 1,00)"
        )
    # A spreadsheet number is read through its shortest decimal repr (what the cell shows).
    text = repr(value) if isinstance(value, float) else str(value)
    try:
        number = to_decimal(text)
    except ValueError:
        both = "," in text and "." in text
        raise ValueError(f"tvetydig beløp {value!r}: både ',' og '.'" if both
                         else f"ikke et beløp: {value!r}") from None
    if not abs(number) < MAX_AMOUNT:
        limit = f"{MAX_AMOUNT:,}".replace(",", " ")
        raise ValueError(f"beløpet {value!r} er for stort (grensen er {limit})")
    if number != number.quantize(ORE):
        raise ValueError(f"beløpet {value!r} har mer enn to desimaler")
    return number.quantize(ORE)


def parse_date(value: Any) -> datetime.date:
    """A date cell: a spreadsheet date, ISO ``2024-01-31`` or Norwegian ``31.01.2024``."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    try:
        if re.fullmatch(r"\d{1,2}\.\d{1,2}\.\d{4}", text):
            day, month, year = (int(part) for part in text.split("."))
            return datetime.date(year, month, day)
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"ikke en dato: {text!r}") from None


def parse_row(filepath: str, lineno: int, row: list[Any], columns: dict[str, int]) -> Invoice:
    """One data row as an :class:`Invoice`.

    Raises:
        DocumentError: a missing value or an unreadable amount, period or date.
    """

    def cell(name: str) -> Any:
        index = columns.get(name)
        value = row[index] if index is not None and index < len(row) else None
        if isinstance(value, str):
            value = value.strip()
        return None if value in (None, "") else value

    if any(isinstance(value, str) and "\x00" in value for value in row):
        raise DocumentError(filepath, lineno, "rad", "inneholder en NUL-byte")
    for name in REQUIRED:
        if cell(name) is None:
            raise DocumentError(filepath, lineno, f"kolonne {name!r}", "tom")
    current = "amount"
    try:
        amount = parse_invoice_amount(cell("amount"))
        current = "period"
        start = period_start(str(cell("period")))
        current = "date"
        date = parse_date(cell("date")) if cell("date") is not None else start
    except ValueError as exc:
        raise DocumentError(filepath, lineno, f"kolonne {current!r}", str(exc)) from None
    return Invoice(
        lineno=lineno,
        number=_text(cell("invoice")),
        customer=str(cell("customer")),
        solution=str(cell("solution")),
        period=str(cell("period")),
        amount=amount,
        date=date,
    )


def _text(value: Any) -> str:
    """An invoice number as text (a spreadsheet may store 10042 as the float 10042.0)."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_rows(filepath: str) -> Iterator[tuple[int, list[Any]]]:
    """``(line number, cells)`` of every row of a CSV or XLSX file, header included."""
    if filepath.lower().endswith(".xlsx"):
        yield from _xlsx_rows(filepath)
    else:
        yield from _csv_rows(filepath)


def _csv_rows(filepath: str) -> Iterator[tuple[int, list[Any]]]:
    try:
        with open(filepath, encoding="utf-8-sig", newline="") as handle:
            sample = handle.readline()  # the header: a row cut short must not fool the sniffer
            handle.seek(0)
            try:
                dialect: Any = csv.Sniffer().sniff(sample, delimiters=";,\t")
            except csv.Error:
                dialect = csv.excel
            reader = csv.reader(handle, dialect)
            for row in reader:
                yield reader.line_num, row
    except UnicodeDecodeError as exc:
        raise DocumentError(
            filepath, _bad_byte_line(filepath), "tegnkoding", f"ikke UTF-8-tekst: {exc.reason}"
        ) from None


def _bad_byte_line(filepath: str) -> int | None:
    """The line of the first byte that is not UTF-8 (None if the whole file decodes)."""
    raw = Path(filepath).read_bytes()
    try:
        raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return raw[: exc.start].count(b"\n") + 1
    return None


#: The most an XLSX part may declare uncompressed (an invoice run is kilobytes), and in all.
MAX_XLSX_PART_BYTES = 64 * 1024 * 1024
MAX_XLSX_TOTAL_BYTES = 256 * 1024 * 1024


def check_xlsx_sizes(filepath: str) -> None:
    """Refuse a workbook whose parts declare more than the limits uncompressed (a zip bomb),
    before anything is decompressed. Python's zip reader never inflates a part beyond its
    declared size, so the declared sizes bound what openpyxl can read.

    Raises:
        DocumentError: a part or the whole is over the limit.
    """
    try:
        with zipfile.ZipFile(filepath) as archive:
            parts = archive.infolist()
    except OSError as exc:
        raise DocumentError(filepath, None, "XLSX",
                            f"kan ikke leses: {file_problem_words(exc.strerror or str(exc))}"
                            ) from None
    except (zipfile.BadZipFile, ValueError) as exc:
        raise DocumentError(filepath, None, "XLSX", f"kan ikke leses: {exc}") from None
    for part in parts:
        if part.file_size > MAX_XLSX_PART_BYTES:
            raise DocumentError(
                filepath, None, f"XLSX-delen {part.filename}",
                f"oppgir {part.file_size} byte ukomprimert; grensen er "
                f"{MAX_XLSX_PART_BYTES} (avvist før lesing)")
    total = sum(part.file_size for part in parts)
    if total > MAX_XLSX_TOTAL_BYTES:
        raise DocumentError(
            filepath, None, "XLSX",
            f"oppgir {total} byte ukomprimert i alt; grensen er {MAX_XLSX_TOTAL_BYTES} "
            "(avvist før lesing)")


def _xlsx_rows(filepath: str) -> Iterator[tuple[int, list[Any]]]:
    from openpyxl import load_workbook

    check_xlsx_sizes(filepath)
    try:
        workbook = load_workbook(filepath, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a broken file
        raise DocumentError(filepath, None, "XLSX", f"kan ikke leses: {exc}") from None
    try:
        sheet = workbook.worksheets[0]
        for index, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield index, list(row)
    finally:
        workbook.close()


def parse_invoice_run(filepath: str) -> list[Invoice]:
    """All invoices of a run.

    Raises:
        DocumentErrors: every bad row (or a missing header) with file, line and column.
    """
    invoices: list[Invoice] = []
    errors: list[DocumentError] = []
    columns: dict[str, int] | None = None
    width = 0
    first_line: dict[str, int] = {}
    for lineno, row in read_rows(filepath):
        if not any(str(cell or "").strip() for cell in row):
            continue
        if columns is None:
            columns = column_map(row)
            missing = [name for name in REQUIRED if name not in columns]
            if missing:
                raise DocumentErrors(
                    [DocumentError(filepath, lineno, "overskrift", f"mangler kolonnene {missing}")]
                )
            width = len(row)
            continue
        extra = row[width:]
        if any(str(cell or "").strip() for cell in extra):
            errors.append(too_many_cells(filepath, lineno, len(row), width))
            continue
        try:
            invoice = parse_row(filepath, lineno, row, columns)
        except DocumentError as exc:
            errors.append(exc)
            continue
        if invoice.number in first_line:
            where = f"faktura {invoice.number!r}"
            message = f"står allerede på linje {first_line[invoice.number]}"
            errors.append(DocumentError(filepath, lineno, where, message))
            continue
        first_line[invoice.number] = lineno
        invoices.append(invoice)
    if columns is None:
        errors.append(DocumentError(filepath, None, "overskrift", "filen har ingen rader"))
    if errors:
        raise DocumentErrors(errors)
    return invoices


def too_many_cells(filepath: str, lineno: int, found: int, width: int) -> DocumentError:
    """The error of a row with more cells than its header: in a comma-separated file an
    unquoted decimal comma ("1042953,50") or thousands comma ("1,000") splits the amount."""
    return DocumentError(
        filepath,
        lineno,
        "rad",
        f"{found} celler, men overskriften har {width}: er et beløp skrevet med komma uten "
        'anførselstegn (1042953,50 eller 1,000)? Sett det i anførselstegn ("1042953,50"), eller '
        'bruk ";" mellom kolonnene',
    )


def build_transaction(
    filepath: str, invoice: Invoice, receivable_root: str, obligation_account: str, currency: str
) -> data.Transaction:
    """The transaction of one invoice: customer receivable against e-health obligations."""
    meta = data.new_metadata(filepath, invoice.lineno)
    meta.update(
        {
            "invoice": invoice.number,
            "customer": invoice.customer,
            "solution": invoice.solution,
            "period": invoice.period,
        }
    )
    receivable = f"{receivable_root}:{account_component(invoice.customer)}"
    narration = f"Faktura {invoice.number} {invoice.solution} {invoice.period}"
    postings = [
        data.Posting(receivable, Amount(invoice.amount, currency), None, None, None, None),
        data.Posting(
            obligation_account, Amount(negate(invoice.amount), currency), None, None, None, None
        ),
    ]
    links = frozenset({unique_link("inv-", invoice.number, invoice.customer)})
    return data.Transaction(
        meta, invoice.date, "*", invoice.customer, narration, data.EMPTY_SET, links, postings
    )


class InvoiceRunImporter(beangulp.Importer):
    """beangulp importer for invoice runs (CSV or XLSX).

    Args:
        receivable_root: parent of the per-customer receivable accounts.
        obligation_account: the deferred e-health revenue credited by each invoice.
        currency: the currency of the amounts.
    """

    def __init__(
        self,
        receivable_root: str = "Assets:1500-TradeReceivables",
        obligation_account: str = "Liabilities:2920-EHealthObligations",
        currency: str = "NOK",
    ) -> None:
        self.receivable_root = receivable_root
        self.obligation_account = obligation_account
        self.currency = currency

    def identify(self, filepath: str) -> bool:
        """True for a .csv or .xlsx file whose first non-empty row has the invoice columns."""
        if Path(filepath).suffix.lower() not in (".csv", ".xlsx"):
            return False
        try:
            for _lineno, row in read_rows(filepath):
                if any(str(cell or "").strip() for cell in row):
                    return all(name in column_map(row) for name in REQUIRED)
        except (DocumentError, OSError, csv.Error):
            return False
        return False

    def account(self, filepath: str) -> data.Account:
        """The receivable root: the run files under it."""
        return self.receivable_root

    def date(self, filepath: str) -> datetime.date | None:
        """The archive date: the run's latest invoice date (None for a run that cannot be read)."""
        try:
            return max((invoice.date for invoice in parse_invoice_run(filepath)), default=None)
        except (DocumentErrors, OSError, csv.Error):
            return None

    def extract(self, filepath: str, existing: data.Entries) -> data.Entries:
        """One transaction per invoice of the run."""
        return [
            build_transaction(
                filepath, invoice, self.receivable_root, self.obligation_account, self.currency
            )
            for invoice in parse_invoice_run(filepath)
        ]

    cmp = staticmethod(same_import)
