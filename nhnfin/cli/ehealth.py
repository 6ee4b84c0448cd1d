"""``nhnfin invoice-basis``: the e-health invoice basis of a year, as a table or as transactions.

The command reads the ``nhnfin-ehealth-*`` directives of a ledger (or of a file holding only
those directives), computes :func:`nhnfin.ehealth.basis.invoice_basis` and writes it as md, csv,
xlsx, json or Beancount invoice transactions (receivable per customer against the e-health
liability, ready to include). It never overwrites a file unless ``--force`` is given; bad input
gives a one-line ``file:line: message`` and exit status 1.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
from decimal import Decimal
from pathlib import Path

import click
from beancount.core import data
from openpyxl import Workbook

from nhnfin.cli.bokmal import Command
from nhnfin.cli.common import first_error
from nhnfin.cli.common import is_stdout
from nhnfin.cli.common import refuse_binary_to_screen
from nhnfin.cli.common import refuse_output
from nhnfin.cli.common import write_output
from nhnfin.cli.options import FORMAT_HELP
from nhnfin.cli.options import HELP
from nhnfin.cli.options import OUTPUT
from nhnfin.cli.options import YEAR
from nhnfin.ehealth.basis import InvoiceBasis
from nhnfin.ehealth.basis import invoice_basis
from nhnfin.ehealth.basis import invoice_entries
from nhnfin.ehealth.directives import EHealthConfig
from nhnfin.ehealth.directives import parse
from nhnfin.errors import with_first_error
from nhnfin.files import WriteRefused
from nhnfin.files import check_beancount_text
from nhnfin.files import format_entries
from nhnfin.files import ledger_inputs
from nhnfin.ledger import load_entries
from nhnfin.provenance import SOURCE

FORMATS = ("md", "csv", "xlsx", "json", "beancount")
GROUP_HEADER = ("solution", "name", "group", "percent", "need", "compensated", "invoiced",
                "group_compensated", "not_compensated")
LINE_HEADER = ("period", "date", "actor", "group", "solution", "amount")
# the spreadsheet's headings, for people (CSV and JSON keep the keys above)
GROUP_LABELS = ("Løsning-id", "Løsning", "Gruppe", "%", "Behov", "Kompensert", "Fakturert",
                "Gruppens kompensasjon", "Andel som ikke kompenseres")
LINE_LABELS = ("Periode", "Dato", "Aktør", "Gruppe", "Løsning", "Beløp")


def group_rows(basis: InvoiceBasis) -> list[tuple[str, ...]]:
    """One row per solution and group, then one total row per group."""
    rows: list[tuple[str, ...]] = [
        (s.solution, s.name, g.group, str(g.percent), str(s.need), str(s.compensated),
         str(g.invoiced), str(g.compensated), str(g.not_compensated))
        for s in basis.solutions for g in s.groups]
    groups = list(dict.fromkeys(g.group for s in basis.solutions for g in s.groups))
    for group in groups:
        total = basis.group_total(group)
        rows.append(("total", "Sum", group, "", "", "", str(total.invoiced),
                     str(total.compensated), str(total.not_compensated)))
    return rows


def line_rows(basis: InvoiceBasis) -> list[tuple[str, ...]]:
    """One row per actor, solution and period."""
    return [(x.period, x.date.isoformat(), x.actor, x.group, x.solution, str(x.amount))
            for x in basis.lines]


def _nok(text: str) -> str:
    if not text:
        return ""
    value = Decimal(text)
    body = f"{abs(value):,.2f}".replace(",", " ").replace(".", ",")
    return ("−" if value < 0 else "") + body


def render_md(basis: InvoiceBasis) -> str:
    """Markdown: the group split per solution, then the total per actor."""
    out = [f"# Fakturagrunnlag nasjonale e-helseløsninger {basis.year}", "",
           "| Løsning | Gruppe | % | Behov | Kompensert | Fakturert | Gruppens kompensasjon "
           "| Andel som ikke kompenseres |", "|---|---|---:|---:|---:|---:|---:|---:|"]
    out.extend(f"| {r[1]} | {r[2]} | {r[3]} | {_nok(r[4])} | {_nok(r[5])} | {_nok(r[6])} | "
               f"{_nok(r[7])} | {_nok(r[8])} |" for r in group_rows(basis))
    out += ["", "| Aktør | Navn | Fakturert |", "|---|---|---:|"]
    out.extend(f"| {a} | {basis.names.get(a, '')} | {_nok(str(v))} |"
               for a, v in basis.actor_totals().items())
    return "\n".join(out) + "\n"


def render_csv(basis: InvoiceBasis) -> str:
    """CSV: one row per actor, solution and period (the lines the invoices are made of)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(LINE_HEADER)
    writer.writerows(line_rows(basis))
    return buffer.getvalue()


def render_json(basis: InvoiceBasis) -> str:
    """JSON with amounts as strings (exact)."""
    document = {
        "year": basis.year, "quantum": str(basis.quantum),
        "groups": [dict(zip(GROUP_HEADER, r, strict=True)) for r in group_rows(basis)],
        "lines": [dict(zip(LINE_HEADER, r, strict=True)) for r in line_rows(basis)],
        "actor_totals": {a: str(v) for a, v in basis.actor_totals().items()},
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def missing_opens(invoices: list[data.Transaction], opened: set[str]) -> list[data.Open]:
    """An ``open`` for each account the invoices post to that the ledger does not open, dated
    on its first invoice, so the printed invoices load as they are."""
    first: dict[str, datetime.date] = {}
    for entry in invoices:
        for posting in entry.postings:
            if posting.account not in opened:
                first[posting.account] = min(first.get(posting.account, entry.date), entry.date)
    return [data.Open(data.new_metadata("<nhnfin.ehealth.basis>", 0), day, account, ["NOK"], None)
            for account, day in sorted(first.items(), key=lambda item: (item[1], item[0]))]


def relative_source(entry: data.Transaction, folder: Path) -> data.Transaction:
    """``entry`` with its ``nhnfin-source`` (file:line) relative to ``folder``, the ledger's, as
    Beancount's include paths are: a printed file names its sources on any machine that has the
    books, not on the one that wrote it. A source outside the folder stays as it is."""
    source = entry.meta.get(SOURCE)
    if not isinstance(source, str) or ":" not in source:
        return entry
    file, line = source.rsplit(":", 1)
    try:
        relative = Path(file).resolve().relative_to(folder.resolve())
    except ValueError:
        return entry
    return entry._replace(meta={**entry.meta, SOURCE: f"{relative.as_posix()}:{line}"})


def render_beancount(basis: InvoiceBasis, config: EHealthConfig, opened: set[str],
                     folder: Path) -> str:
    """The invoice transactions, printed as Beancount, after an ``open`` for each customer
    account the ledger (whose opened accounts are ``opened``) does not open yet; each names
    its source relative to ``folder``, the ledger's."""
    header = f"; Fakturagrunnlag nasjonale e-helseløsninger {basis.year} (nhnfin invoice-basis)\n"
    invoices = [relative_source(e, folder) for e in invoice_entries(basis, config)]
    opens = missing_opens(invoices, opened)
    try:
        head = "".join(format_entries(opens))
        text = header + ("\n" + head if head else "") + "".join(
            "\n" + e for e in format_entries(invoices))
        return check_beancount_text(text, "invoice-basis")
    except WriteRefused as exc:
        raise click.ClickException(str(exc)) from None


def write_xlsx(basis: InvoiceBasis, path: Path | io.BytesIO) -> None:
    """Two sheets: the group split and the actor lines; amounts as numbers."""
    book = Workbook()
    sheets = ((book.active, "Grupper", GROUP_LABELS, group_rows(basis), range(3, 9)),
              (book.create_sheet(), "Aktører", LINE_LABELS, line_rows(basis), range(5, 6)))
    for sheet, title, header, rows, numeric in sheets:
        sheet.title = title
        sheet.append(list(header))
        for row in rows:
            sheet.append([Decimal(v) if i in numeric and v else v for i, v in enumerate(row)])
    book.save(path)


@click.command("invoice-basis", cls=Command)
@click.argument("ledger_or_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--year", type=YEAR, required=True, help="Året som faktureres.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="md", show_default=True,
              help=FORMAT_HELP)
@click.option("--output", type=OUTPUT,
              help="Skriv hit i stedet for til skjermen (påkrevd for xlsx); «-» er standard "
                   "ut (xlsx bare til et rør eller en fil, ikke til terminalen).")
@click.option("--force", is_flag=True, help="Overskriv --output om den finnes.")
@HELP
def invoice_basis_cmd(ledger_or_file: Path, year: int, fmt: str, output: Path | None,
                      force: bool) -> None:
    """Beregn fakturagrunnlaget for nasjonale e-helseløsninger for --year fra regnskapets
    direktiver."""
    if output is not None and not is_stdout(output) and output.exists() and not force:
        raise click.ClickException(f"{output} finnes allerede; bruk --force for å overskrive den")
    refuse_binary_to_screen(fmt, output)
    entries, load_errors, options = load_entries(ledger_or_file)
    inputs = ledger_inputs(entries, options, ledger_or_file).plus([ledger_or_file])
    refuse_output(output, inputs)
    config, errors = parse(entries)
    basis, basis_errors = invoice_basis(config, year)
    errors = [e for e in [*errors, *basis_errors] if not e.message.startswith("warning:")]
    if errors:
        raise first_error(errors, load_errors)
    if not basis.solutions:
        raise click.ClickException(with_first_error(
            f"{ledger_or_file}: ingen nhnfin-ehealth-cost-basis for {year}", load_errors))
    if fmt == "xlsx":
        assert output is not None  # checked above
        buffer = io.BytesIO()
        write_xlsx(basis, buffer)
        write_output(output, buffer.getvalue(), inputs)
        return
    text = {"md": render_md, "csv": render_csv, "json": render_json}.get(fmt)
    opened = {e.account for e in entries if isinstance(e, data.Open)}
    rendered = (text(basis) if text
                else render_beancount(basis, config, opened, ledger_or_file.parent))
    if output is None:
        click.echo(rendered, nl=False)
    else:  # a file, or standard out (``--output -``)
        write_output(output, rendered.encode("utf-8"), inputs)
