"""The published annual report beside the ledger: where they differ, and where the published
report does not add up by itself.

The published figures come as JSON in the shape ``nhnfin report --format json`` writes (the
reference file of NHN's 2024 report is ``ledger/published/nhn-annual-report-2024.json``). Two
kinds of findings, never silently "fixed":

- *within the published report*: a subtotal of the layout recomputed from the published lines
  above it, and a cash-flow change line recomputed from the published balance sheet, differ
  from what is printed (``rounding`` when within 2 NOK, ``error`` beyond);
- *ledger against published*: a line whose figure, rounded from the ledger's exact amounts,
  differs from the printed one; and a figure quoted in a note's text (``narrative_figures``)
  that the note's template computes otherwise, or does not quote.

A published document may record where it contradicts itself (``inconsistencies``: a
``check_id``, a ``formula`` whose target is the cell, ``is:total_transfers:2024``, the printed
and the recomputed figure, a ``severity``). A statement finding on such a cell that gives the
same two figures is that recorded contradiction (:func:`recorded_inconsistencies`): it takes the
record's severity (e.g. ``presentation`` for a printed sign flip) and says that the published
report contradicts itself, citing the record, rather than that the books differ.

Every finding's figures can be followed (:class:`Origin`): the printed figure to the
``nhnfin-published`` directive that declares the document, keyed by its cell; the recomputed one
to the report figure's own drill, or to the printed cells it is recomputed from, or (a figure
quoted in a note's text) to the text figure's drill, rounded as the text prints it; a figure that
cannot be followed says why (``unlinked``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from nhnfin.drill import declared
from nhnfin.drill import rounded
from nhnfin.drill import total
from nhnfin.errors import json_problem
from nhnfin.errors import utf8_problem
from nhnfin.files import read_regular_file
from nhnfin.layout import DERIVED_MEASURES
from nhnfin.layout import Layout
from nhnfin.layout import StatementSpec
from nhnfin.layout import line_accounts
from nhnfin.ledger import Ledger
from nhnfin.ledger import numbered
from nhnfin.model import Drill
from nhnfin.model import Note
from nhnfin.model import NoteTable
from nhnfin.model import PublishedFinding
from nhnfin.model import Statement
from nhnfin.model import TableCheck
from nhnfin.model import TextFigure
from nhnfin.money import MAX_AMOUNT
from nhnfin.money import ZERO
from nhnfin.money import round_krone

ROUNDING_TOLERANCE = Decimal(2)

Figures = dict[str, dict[str, Decimal]]  # line key -> year -> published amount
Terms = list[tuple[int, str]]  # signed cells of the published document

NARRATIVE_UNLINKED = (
    "et tall sitert i notens tekst som ikke kan følges hit: malen regner det ut av andre tall, "
    "teksten siterer det ikke, eller dokumentet er ikke oppgitt med nhnfin-published")


@dataclass(frozen=True)
class Origin:
    """Where the published document is declared: the meta (file, line) of the
    ``nhnfin-published`` directive, and the document's name as the directive gives it."""

    meta: Mapping[str, Any]
    document: str

    def cell(self, cell: str) -> Drill:
        """The drill of a printed figure: the directive, keyed by the document's cell."""
        return declared(((self.meta, cell),),
                        f"Trykt tall, celle {cell} i {self.document} (nhnfin-published)")

    def cells(self, terms: Terms) -> Drill:
        """The drill of a figure recomputed from printed cells: their signed sum."""
        return total(((sign, self.cell(c)) for sign, c in terms),
                     "Beregnet fra de trykte tallene")


def _drill(origin: Origin | None, cell: str) -> Drill | None:
    return origin.cell(cell) if origin is not None else None


def _drills(origin: Origin | None, terms: Terms) -> Drill | None:
    return origin.cells(terms) if origin is not None and terms else None


def statement_cell(statement: str, line: str, year: str) -> str:
    """A statement figure's cell in the published document's notation: ``is:line:2024``."""
    return f"{statement_prefix(statement)}:{line}:{year}"


def note_cell(number: str, table: int, row: str, column: str) -> str:
    """A note table figure's cell in the published document's notation: ``n2.0:row:column``."""
    return f"n{number}.{table}:{row}:{column}"


def narrative_cell(number: str, key: str) -> str:
    """A figure quoted in note ``number``'s published text (its ``narrative_figures`` entry
    ``key``), in the cells' notation: ``n3.text:grant_awarded_2024_mnok``."""
    return f"n{number}.text:{key}"


def _text_figures(note: Note) -> dict[str, TextFigure]:
    """The figures the note's text prints that carry a narrative key, by key."""
    return {f.key: f for block in note.text for f in block.figures if f.key}


def _quoted_drill(figure: TextFigure | None) -> Drill | None:
    """What makes a figure the text quotes, rounded as the text prints it (to 0,1 million for
    "127,7 millioner"): the text figure's own drill, rounded to its last printed digit."""
    if figure is None or figure.drill is None:
        return None
    quantum = (figure.quantum * figure.scale).normalize()  # 1E+5 for a tenth of a million
    return rounded(figure.drill, quantum, "Avrundet slik teksten skriver det")


def load_published(path: Path) -> dict[str, Any]:
    """Read a published report JSON file.

    Raises:
        OSError: the file cannot be read.
        ValueError: it is not UTF-8 JSON in the shape ``nhnfin report --format json`` writes.
    """
    try:
        result = json.loads(read_regular_file(path).decode("utf-8"))
    except UnicodeDecodeError as exc:
        line, words = utf8_problem(exc)
        raise ValueError(f"{path}:{line}: {words}") from exc
    except json.JSONDecodeError as exc:
        line, syntax = json_problem(exc)
        raise ValueError(f"{path}:{line}: ikke gyldig JSON: {syntax}") from exc
    problem = shape_problem(result)
    if problem is not None:
        raise ValueError(f"{path}: ikke en publisert rapport: {problem}")
    return dict(result)


def shape_problem(document: Any) -> str | None:
    """What is wrong with the shape of a published report (None when it is usable): the
    statements' rows and the notes' table rows must be objects with a ``key`` and amounts that
    are finite numbers (or null)."""
    if not isinstance(document, dict):
        return "øverste nivå må være et objekt"
    statements, notes = document.get("statements", {}), document.get("notes", {})
    if not isinstance(statements, dict) or not isinstance(notes, dict):
        return "'statements' og 'notes' må være objekter"
    rows = [(f"statements.{k}", r, r) for k, v in statements.items() for r in _list(v)]
    for number, note in notes.items():
        for table in _list(note.get("tables") if isinstance(note, dict) else None):
            values = table.get("rows") if isinstance(table, dict) else None
            rows += [(f"notes.{number}", r, r.get("values", {}) if isinstance(r, dict) else r)
                     for r in _list(values)]
    for where, row, amounts in rows:
        if not isinstance(row, dict) or not isinstance(row.get("key"), str):
            return f"{where}: hver rad må være et objekt med en 'key'"
        if not isinstance(amounts, dict):
            return f"{where}.{row['key']}: 'values' må være et objekt"
        for column, value in amounts.items():
            if (where.startswith("notes") or column.isdigit()) and not _amount(value):
                return f"{where}.{row['key']}.{column}: {value!r} er ikke et beløp"
    return None


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value] if value is not None else []


def _amount(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return False
    try:
        return abs(Decimal(str(value))) < MAX_AMOUNT
    except ArithmeticError:
        return False


def statement_figures(published: Mapping[str, Any], key: str) -> Figures:
    """The published amounts of statement ``key`` by line key and year."""
    figures: Figures = {}
    for row in published.get("statements", {}).get(key, []):
        figures[row["key"]] = {
            k: Decimal(v) for k, v in row.items() if k.isdigit() and v is not None
        }
    return figures


def published_year(published: Mapping[str, Any]) -> int | None:
    """The year a published report describes: the latest year column of its statements (a
    report prints its own year first and the prior year beside it); None when it has no
    statements (a file of notes alone is compared with the report's own year)."""
    years = {
        int(k)
        for rows in published.get("statements", {}).values()
        for row in _list(rows)
        if isinstance(row, dict)
        for k in row
        if k.isdigit()
    }
    return max(years) if years else None


def severity(difference: Decimal) -> str:
    """``rounding`` for a difference of at most 2 NOK, ``error`` beyond."""
    return "rounding" if abs(difference) <= ROUNDING_TOLERANCE else "error"


def _printed_terms(formula: str, unprinted: set[str], figures: Figures) -> str:
    """``formula`` as the published report can have it: without the cash flow's lines made from
    the ledger's transactions (``measure = "non_cash"``, "opening_balance", "untaken") when it
    prints none (the line counts zero in the check then, as an optional line does)."""
    for ref in sorted(unprinted - set(figures)):
        formula = re.sub(rf"\s*[+-]\s*\b{re.escape(ref)}\b", "", formula)
        formula = re.sub(rf"^\s*\b{re.escape(ref)}\b\s*\+\s*", "", formula)
    return formula


def _self_contradiction(check_id: str, where: str, formula: str,
                        figures: tuple[Decimal, Decimal], explanation: str,
                        origin: Origin | None, cell: str, terms: Terms) -> PublishedFinding:
    """The published report against itself: the figure printed at ``cell`` and what the printed
    ``terms`` make of it (``figures``: printed, recomputed), each with its cells' drill."""
    printed, recomputed = figures
    return PublishedFinding(
        check_id=check_id, where=where, formula=formula, published=printed,
        recomputed=recomputed, severity=severity(printed - recomputed), explanation=explanation,
        published_drill=_drill(origin, cell), recomputed_drill=_drills(origin, terms))


def subtotal_findings(
    spec: StatementSpec, figures: Figures, years: Collection[str] | None = None,
    origin: Origin | None = None,
) -> list[PublishedFinding]:
    """Published subtotals that differ from their formula over the published lines (of
    ``years`` only, when given); with ``origin``, each figure carries its cells."""
    findings: list[PublishedFinding] = []
    optional = {line.key for line in spec.lines if line.optional}
    derived = {line.key for line in spec.lines if line.measure in DERIVED_MEASURES}
    for line in spec.lines:
        if line.formula is None or line.key not in figures:
            continue
        for year, printed in sorted(figures[line.key].items(), reverse=True):
            if years is not None and year not in years:
                continue
            parts = [
                (s, figures.get(ref, {}).get(year, ZERO if ref in optional else None))
                for s, ref in line.terms
            ]
            if any(v is None for _, v in parts):
                continue
            recomputed = sum((s * v for s, v in parts if v is not None), ZERO)
            if recomputed != printed:
                cell = statement_cell(spec.key, line.key, year)
                printed_terms = [(s, statement_cell(spec.key, ref, year))
                                 for s, ref in line.terms if year in figures.get(ref, {})]
                findings.append(_self_contradiction(
                    f"{spec.key}.{line.key}.{year}", f"{spec.title} {year}: {line.label}",
                    f"{line.key} = {_printed_terms(line.formula, derived, figures)}",
                    (printed, recomputed),
                    "den trykte delsummen er ikke summen av de trykte linjene",
                    origin, cell, printed_terms))
    return findings


def _bs_lines_for(accounts: set[str], bs_lines: dict[str, set[str]]) -> list[str] | None:
    """Balance-sheet lines whose accounts together are exactly ``accounts``, if any."""
    chosen = [key for key, taken in bs_lines.items() if taken and taken <= accounts]
    union: set[str] = set().union(*(bs_lines[k] for k in chosen)) if chosen else set()
    return chosen if chosen and union == accounts else None


def cash_flow_findings(
    layout: Layout,
    ledger: Ledger,
    published: Mapping[str, Any],
    years: Collection[str] | None = None,
    origin: Origin | None = None,
) -> list[PublishedFinding]:
    """Published cash-flow change lines that differ from the change in the published balance
    sheet lines made of the same accounts (e.g. the change in inventories); of ``years`` only,
    when given; with ``origin``, each figure carries its cells."""
    accounts = numbered(ledger.accounts())
    bs_spec = layout.statement("balance_sheet")
    cf_spec = layout.statement("cash_flow")
    bs_lines = {
        line.key: set(line_accounts(line, accounts))
        for line in bs_spec.lines
        if line.measure == "closing"
    }
    bs = statement_figures(published, "balance_sheet")
    cf = statement_figures(published, "cash_flow")
    findings: list[PublishedFinding] = []
    for line in cf_spec.coverage_lines():
        taken = set(line_accounts(line, accounts))
        keys = _bs_lines_for(taken, bs_lines) if taken else None
        if not keys or line.key not in cf:
            continue
        for year, printed in sorted(cf[line.key].items(), reverse=True):
            if years is not None and year not in years:
                continue
            prior = str(int(year) - 1)
            try:
                # movement = sign_bs × change of the printed line; the cash-flow line is
                # sign_cf × movement.
                recomputed = sum(
                    (line.sign * bs_spec.line_sign(k) * (bs[k][year] - bs[k][prior]) for k in keys),
                    ZERO,
                )
            except KeyError:
                continue
            if recomputed != printed:
                cell = statement_cell(cf_spec.key, line.key, year)
                terms = [(line.sign * bs_spec.line_sign(k) * side,
                          statement_cell(bs_spec.key, k, at))
                         for k in keys for side, at in ((1, year), (-1, prior))]
                findings.append(_self_contradiction(
                    f"cash_flow.{line.key}.{year}", f"{cf_spec.title} {year}: {line.label}",
                    f"{line.key} = endringen i balansen {' + '.join(keys)}",
                    (printed, recomputed),
                    "den trykte endringen avviker fra den trykte balansen", origin, cell, terms))
    return findings


def _finding(check_id: str, where: str, printed: Decimal, exact: Decimal,
             drills: tuple[Drill | None, Drill | None]) -> PublishedFinding:
    rounded = round_krone(exact)
    return PublishedFinding(
        check_id=check_id,
        where=where,
        formula="regnskapet (avrundet) mot det trykte",
        published=printed,
        recomputed=rounded,
        severity=severity(printed - rounded),
        explanation="regnskapet gir et annet tall enn det trykte",
        published_drill=drills[0],
        recomputed_drill=drills[1],
        exact=exact,
    )


def statement_differences(
    statements: tuple[Statement, ...], published: Mapping[str, Any], origin: Origin | None = None
) -> list[PublishedFinding]:
    """Statement lines whose ledger figure (rounded to kroner) differs from the printed one;
    the recomputed figure carries the statement line's drill."""
    findings: list[PublishedFinding] = []
    for statement in statements:
        figures = statement_figures(published, statement.key)
        for row in statement.rows:
            for year, exact in row.amounts.items():
                printed = figures.get(row.key, {}).get(year)
                if printed is not None and printed != round_krone(exact):
                    cell = statement_cell(statement.key, row.key, year)
                    findings.append(
                        _finding(
                            f"ledger.{statement.key}.{row.key}.{year}",
                            f"{statement.title} {year}: {row.label}",
                            printed,
                            exact,
                            (_drill(origin, cell), row.drill.get(year)),
                        )
                    )
    return findings


def note_differences(
    notes: tuple[Note, ...], published: Mapping[str, Any], origin: Origin | None = None
) -> list[PublishedFinding]:
    """Note amounts whose ledger figure (rounded to kroner) differs from the printed one; tables
    are matched by position within the note, rows and columns by key; the recomputed figure
    carries the note cell's drill."""
    findings: list[PublishedFinding] = []
    for note in notes:
        tables = published.get("notes", {}).get(note.number, {}).get("tables", [])
        for index, (table, printed_table) in enumerate(zip(note.tables, tables, strict=False)):
            printed_rows = {r["key"]: r.get("values", {}) for r in printed_table.get("rows", [])}
            for row in table.rows:
                if (row.unit or table.unit) != "NOK":
                    continue
                for column, exact in row.values.items():
                    text = printed_rows.get(row.key, {}).get(column)
                    if exact is None or text is None or Decimal(text) == round_krone(exact):
                        continue
                    cell = note_cell(note.number, index, row.key, column)
                    findings.append(
                        _finding(
                            f"ledger.note{note.number}.{index}.{row.key}.{column}",
                            f"Note {note.number} {table.caption}: {row.label}, "
                            f"{_column_label(table, column)}",
                            Decimal(text),
                            exact,
                            (_drill(origin, cell), row.drill.get(column)),
                        )
                    )
    return findings


def _row_label(table: NoteTable, key: str) -> str:
    """The printed label of row ``key`` (the key itself when the table has no such row)."""
    return next((r.label for r in table.rows if r.key == key), key)


def _column_label(table: NoteTable, key: str) -> str:
    """The printed label of column ``key`` (the key itself when the table has no such
    column)."""
    return next((c.label for c in (*table.columns, *table.text_columns) if c.key == key), key)


def ledger_findings(
    statements: tuple[Statement, ...], notes: tuple[Note, ...], published: Mapping[str, Any],
    origin: Origin | None = None,
) -> list[PublishedFinding]:
    """Everything where the ledger's figure differs from the published one."""
    return (statement_differences(statements, published, origin)
            + note_differences(notes, published, origin))


def published_findings(
    layout: Layout,
    ledger: Ledger,
    published: Mapping[str, Any],
    years: Collection[str] | None = None,
    origin: Origin | None = None,
) -> list[PublishedFinding]:
    """Everything in the published statements that does not add up by itself (in the columns
    of ``years`` only, when given: the years the report shows)."""
    findings: list[PublishedFinding] = []
    for spec in layout.statements:
        findings.extend(subtotal_findings(spec, statement_figures(published, spec.key), years,
                                          origin))
    findings.extend(cash_flow_findings(layout, ledger, published, years, origin))
    return findings


def _published_values(table: Mapping[str, Any]) -> dict[str, dict[str, Decimal]]:
    return {
        row["key"]: {k: Decimal(v) for k, v in row.get("values", {}).items() if v is not None}
        for row in table.get("rows", [])
    }


def _signed_sum(terms: tuple[tuple[int, str], ...], parts: list[Decimal | None]) -> Decimal | None:
    if any(p is None for p in parts):
        return None
    return sum((s * p for (s, _), p in zip(terms, parts, strict=True) if p is not None), ZERO)


def check_failures(
    check: TableCheck, values: dict[str, dict[str, Decimal]]
) -> list[tuple[str, str, Decimal, Decimal]]:
    """(row, column, printed, recomputed) for every cell ``check`` covers and that breaks it."""
    failures = []
    if check.across == "columns":
        for row, cells in values.items():
            if check.only and row not in check.only:
                continue
            recomputed = _signed_sum(check.terms, [cells.get(k) for _, k in check.terms])
            printed = cells.get(check.target)
            if recomputed is not None and printed is not None and recomputed != printed:
                failures.append((row, check.target, printed, recomputed))
    else:
        for column in sorted({c for cells in values.values() for c in cells}):
            if check.only and column not in check.only:
                continue
            parts = [values.get(k, {}).get(column) for _, k in check.terms]
            recomputed = _signed_sum(check.terms, parts)
            printed = values.get(check.target, {}).get(column)
            if recomputed is not None and printed is not None and recomputed != printed:
                failures.append((check.target, column, printed, recomputed))
    return failures


def check_terms(check: TableCheck, row: str, column: str) -> list[tuple[int, str, str]]:
    """The signed (row, column) cells ``check`` recomputes the cell (row, column) from."""
    if check.across == "columns":
        return [(sign, row, key) for sign, key in check.terms]
    return [(sign, key, column) for sign, key in check.terms]


def note_table_findings(
    notes: tuple[Note, ...], published: Mapping[str, Any], origin: Origin | None = None
) -> list[PublishedFinding]:
    """Published note tables that break the identities our note tables satisfy (a total row
    that is not the sum of its rows, a roll-forward that does not roll); with ``origin``, each
    figure carries its cells."""
    findings: list[PublishedFinding] = []
    for note in notes:
        tables = published.get("notes", {}).get(note.number, {}).get("tables", [])
        for index, (table, printed) in enumerate(zip(note.tables, tables, strict=False)):
            values = _published_values(printed)
            seen: set[tuple[str, str]] = set()
            for check in table.checks:
                for row, column, shown, recomputed in check_failures(check, values):
                    if (row, column) in seen:  # one finding a cell, from its first identity
                        continue
                    seen.add((row, column))
                    cell = note_cell(note.number, index, row, column)
                    terms = [(sign, note_cell(note.number, index, r, c))
                             for sign, r, c in check_terms(check, row, column)]
                    findings.append(_self_contradiction(
                        f"note{note.number}.{index}.{row}.{column}",
                        f"Note {note.number} {table.caption}: "
                        f"{_row_label(table, row)}, {_column_label(table, column)}",
                        check.describe(), (shown, recomputed),
                        "den trykte noten summerer ikke i seg selv", origin, cell, terms))
    return findings


def _first_number(text: str) -> Decimal:
    match = re.search(r"-?\d+(?:\.\d+)?", text)
    return Decimal(match.group(0)) if match else Decimal(0)


def compared_figures(
    statements: tuple[Statement, ...], notes: tuple[Note, ...], published: Mapping[str, Any]
) -> int:
    """How many figures of ``published`` the report has a figure for, to compare them: statement
    lines by statement, key and year; note cells by note, table position, row key and column;
    the quoted figures of the notes with a text. None means the file compares with nothing (a
    report of another layout, another year, or not a report at all)."""
    count = 0
    for statement in statements:
        figures = statement_figures(published, statement.key)
        count += sum(figures.get(row.key, {}).get(year) is not None
                     for row in statement.rows for year in row.amounts)
    for note in notes:
        printed_note = published.get("notes", {}).get(note.number, {})
        for table, printed in zip(note.tables, printed_note.get("tables", []), strict=False):
            printed_rows = {r["key"]: r.get("values", {}) for r in printed.get("rows", [])}
            count += sum(printed_rows.get(row.key, {}).get(column) is not None
                         for row in table.rows for column in row.values)
        if note.text:
            count += len(_list(printed_note.get("narrative_figures")))
    return count


def narrative_findings(
    notes: tuple[Note, ...], published: Mapping[str, Any], origin: Origin | None = None,
) -> list[PublishedFinding]:
    """Figures quoted in the text of the notes that have a text: each published
    ``narrative_figures`` entry is compared with the figure the note's template computes under
    the same key; one the text does not quote, or quotes otherwise, is a finding (figures in
    millions are given in kroner, as the other findings). The printed figure links to the
    document's entry (:func:`narrative_cell`), the recomputed one to what makes the text's
    figure, rounded as the text prints it."""
    findings: list[PublishedFinding] = []
    for note in notes:
        if not note.text:
            continue
        ours = {f.key: f for f in note.figures}
        printed_figures = _text_figures(note)
        printed = published.get("notes", {}).get(note.number, {}).get("narrative_figures", [])
        for item in _list(printed):
            key, value = str(item.get("key", "")), str(item.get("value", ""))
            quoted = f"«{item.get('text', '')}»"
            scale = Decimal(1_000_000) if item.get("unit") == "MNOK" else Decimal(1)
            figure = ours.get(key)
            if figure is not None and figure.value == value:
                continue
            printed_drill = _drill(origin, narrative_cell(note.number, key))
            quoted_drill = _quoted_drill(printed_figures.get(key))
            followed = printed_drill is not None and quoted_drill is not None
            findings.append(
                PublishedFinding(
                    check_id=f"narrative.note{note.number}.{key}",
                    where=f"Note {note.number}, tekst: {quoted}",
                    formula=figure.source if figure else "ikke sitert i notens tekst",
                    published=_first_number(value) * scale,
                    recomputed=_first_number(figure.value) * scale if figure else Decimal(0),
                    severity="narrative",
                    explanation=(
                        f"den publiserte teksten sier {value.replace('.', ',')}; regnskapet gir "
                        f"{figure.text}"
                        if figure
                        else "notens tekst siterer ikke dette tallet (ingen tekstnøkkel)"
                    ),
                    published_drill=printed_drill,
                    recomputed_drill=quoted_drill,
                    unlinked="" if followed else NARRATIVE_UNLINKED,
                )
            )
    return findings


def statement_prefix(key: str) -> str:
    """A statement's abbreviation in a published document's formulas: the initials of its key
    (``income_statement`` → ``is``, ``balance_sheet`` → ``bs``, ``cash_flow`` → ``cf``)."""
    return "".join(word[:1] for word in key.split("_"))


def _recorded(published: Mapping[str, Any]) -> dict[tuple[str, str, str], Mapping[str, Any]]:
    """The document's own records by the cell they are about (prefix, line key, year)."""
    records: dict[tuple[str, str, str], Mapping[str, Any]] = {}
    for record in _list(published.get("inconsistencies")):
        if not isinstance(record, dict):
            continue
        target = str(record.get("formula", "")).split("=", 1)[0].strip().split(":")
        if len(target) == 3:
            records[(target[0], target[1], target[2])] = record
    return records


def _same(text: Any, value: Decimal) -> bool:
    try:
        return Decimal(str(text)) == value
    except ArithmeticError:
        return False


def recorded_inconsistencies(findings: list[PublishedFinding], published: Mapping[str, Any]
                             ) -> list[PublishedFinding]:
    """``findings`` with each statement finding the published document records as its own
    inconsistency (same cell, same printed and recomputed figures) attributed to it."""
    records = _recorded(published)
    result = []
    for finding in findings:
        parts = finding.check_id.removeprefix("ledger.").split(".")
        record = (records.get((statement_prefix(parts[0]), parts[1], parts[2]))
                  if len(parts) == 3 else None)
        if (record is None or not _same(record.get("published"), finding.published)
                or not _same(record.get("recomputed"), finding.recomputed)):
            result.append(finding)
            continue
        kind = str(record.get("severity", finding.severity))
        result.append(replace(
            finding, severity=kind,
            explanation=(f"det publiserte årsregnskapet motsier seg selv: dokumentet registrerer "
                         f"selv avviket som {record.get('check_id', '')} "
                         f"({SEVERITY_WORDS.get(kind, kind)}), og tallet her er det dokumentets "
                         f"egen kontroll gir")))
    return result


SEVERITY_WORDS = {"presentation": "presentasjon, ikke et beløpsavvik", "rounding": "avrunding",
                  "error": "feil"}
