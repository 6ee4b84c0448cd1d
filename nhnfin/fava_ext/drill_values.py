"""What a drill makes, computed from the ledger: the figures of a figure's parts, for the page
that lists them (:func:`nhnfin.fava_ext.views.parts_page`).

A part from postings makes its sign × the sum of the NOK weights of the postings its query
lists; a part from declared data the values its directives declare under their keys (a
note-data value, a cost-basis line's amount or its part, a volume's count, an amount in a
directive's metadata, a printed cell of the published document); a quotient, an amount at a
rate and a rounding are computed from their operands as the figure's builder computes them.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from decimal import ROUND_HALF_UP
from decimal import Decimal
from pathlib import Path
from typing import Any

from beancount.core import data
from beanquery.query import run_query

from nhnfin.cost_basis.directives import PARSERS as COST_BASIS_DIRECTIVES
from nhnfin.cost_basis.directives import parse as parse_cost_basis
from nhnfin.cost_basis.drills import line_value
from nhnfin.drill import where
from nhnfin.ledger import Ledger
from nhnfin.model import Drill
from nhnfin.money import ORE
from nhnfin.notes.note_data import parse_fact

ZERO = Decimal(0)
# A cell of a published document: "is:line:2024" (a statement by its key's initials),
# "n2.0:row:column" (note 2's first table), or "n3.text:key" (a figure note 3's text quotes).
_CELL = re.compile(r"(?:n(?P<note>\w+)\.(?P<table>\d+)|(?P<statement>[a-z]+)):(?P<row>[^:]+)"
                   r":(?P<column>[^:]+)")
_TEXT_CELL = re.compile(r"n(?P<note>\w+)\.text:(?P<key>.+)")
_FIRST_NUMBER = re.compile(r"-?\d+(?:[.,]\d+)?")


def published_cell(document: dict[str, Any], cell: str) -> Decimal | None:
    """The figure a published document prints in ``cell`` (a text's figure in millions in
    kroner, the first of a range); None when the document has no such cell."""
    text = _TEXT_CELL.fullmatch(cell)
    if text is not None:
        note = document.get("notes", {}).get(text["note"], {})
        quoted = [f for f in note.get("narrative_figures", []) if f.get("key") == text["key"]]
        first = _FIRST_NUMBER.search(str(quoted[0].get("value"))) if len(quoted) == 1 else None
        if first is None:
            return None
        scale = Decimal(1_000_000) if quoted[0].get("unit") == "MNOK" else Decimal(1)
        return Decimal(first.group().replace(",", ".")) * scale
    match = _CELL.fullmatch(cell)
    if match is None:
        return None
    row, column = match["row"], match["column"]
    if match["note"] is not None:
        tables = document.get("notes", {}).get(match["note"], {}).get("tables", [])
        table = tables[int(match["table"])] if int(match["table"]) < len(tables) else {}
        found = [r["values"].get(column) for r in table.get("rows", []) if r.get("key") == row]
    else:
        statements = [rows for key, rows in document.get("statements", {}).items()
                      if "".join(w[0] for w in key.split("_")) == match["statement"]]
        found = [r.get(column) for rows in statements for r in rows if r.get("key") == row]
    return Decimal(str(found[0])) if len(found) == 1 and found[0] is not None else None


class DrillValues:
    """Computes drills on one ledger (each query once)."""

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger
        self._sums: dict[str, Decimal] = {}
        self._customs = {
            (str(e.meta.get("filename")), int(e.meta.get("lineno", 0))): e
            for e in ledger.entries if isinstance(e, data.Custom)
        }
        self._cost_basis: Any = None

    def listed(self, drill: Drill) -> Decimal:
        """The sum of the NOK weights of the postings the drill's query lists."""
        clause = where(drill)
        if clause not in self._sums:
            _, rows = run_query(self.ledger.entries, self.ledger.options_map,
                                f"SELECT sum(weight) AS total WHERE {clause}")
            inventory: Any = rows[0][0] if rows else None
            positions = list(inventory) if inventory is not None else []
            self._sums[clause] = sum(
                (p.units.number for p in positions if p.units.currency == "NOK"), ZERO)
        return self._sums[clause]

    def declared_value(self, file: str, line: int, key: str) -> Decimal | None:
        """The value ``key`` of the directive at ``file:line``; None when there is none."""
        entry = self._customs.get((file, line))
        if entry is None:
            return None
        if entry.type == "nhnfin-published":
            path = Path(file).parent / str(entry.values[0].value)
            try:
                document = json.loads(path.read_text("utf-8"))
            except (OSError, ValueError):
                return None
            return published_cell(document, key)
        if entry.type in COST_BASIS_DIRECTIVES:
            if self._cost_basis is None:
                self._cost_basis, _ = parse_cost_basis(self.ledger.entries)
            return line_value(entry, key, self._cost_basis)
        if key in entry.meta:
            number = getattr(entry.meta[key], "number", None)
            return number if isinstance(number, Decimal) else None
        fact, _ = parse_fact(entry)
        found = fact.values.get(key) if fact is not None else None
        return found if isinstance(found, Decimal) else None

    def value(self, drill: Drill) -> Decimal | None:  # noqa: PLR0911 - one per kind of drill
        """What ``drill`` makes; None when a directive it names gives no value."""
        if drill.rounded is not None:
            inner = self.value(replace(drill, rounded=None))
            return None if inner is None else inner.quantize(drill.rounded, ROUND_HALF_UP)
        if drill.per is not None:
            base, by = self.value(replace(drill, per=None)), self.value(drill.per)
            if base is None or not by:
                return None
            return (base / by).quantize(ORE, ROUND_HALF_UP)
        if drill.rate is not None:
            base, by = self.value(replace(drill, rate=None)), self.value(drill.rate)
            return None if base is None or by is None else base * by / 100
        if drill.parts:
            values = [(s, self.value(p)) for s, p in drill.parts]
            if any(v is None for _, v in values):
                return None
            return sum((s * v for s, v in values if v is not None), ZERO)
        if drill.declared:
            found = [self.declared_value(*place) for place in drill.declared]
            if any(v is None for v in found):
                return None
            return sum((v for v in found if v is not None), ZERO)
        return drill.sign * self.listed(drill) if drill.query else ZERO
