"""The notes layout of a new ledger (``nhnfin init``): the packaged notes without NHN's own.

There is one hand-kept notes file, NHN's (``nhnfin/data/notes_nhn.toml``); a new ledger's
``notes.toml`` is derived from it, so every note, table, row and comment a state enterprise
shares with NHN stays in step with it. What is NHN's alone is taken out:

* the layout's name ("Norsk helsenett SF, noter til årsregnskapet 2024") and the file's first
  line say the enterprise and the first year given to ``nhnfin init``;
* the rows of an accounts table for NHN's own receivables (:data:`NHN_ROWS`: note 10's
  "Prosjekt Akuttmedisinsk kommunikasjonssentral*" and "Utbygging stamnett Helse Sør-Øst") are
  left out, the rows kept relabelled where the label only made sense beside them
  (:data:`LABELS`), and a sum that named a dropped row sums the rows kept;
* note 8's printed useful lives and methods (NHN's accounting policy: "3-7 år", "10 år", "Evig",
  "Lineær") are left out of the columns' ``texts``: the fixed-asset builder then prints the
  lives the ledger's registered assets have (:func:`nhnfin.assets.note8.registered_life`), and
  a method only for a class with a depreciated asset (:func:`nhnfin.assets.note8.method_text`:
  "Lineær", "Etter avskrivningsplan" or both; a class with none is blank); one that
  states a policy writes it back as ``texts = { useful_life = "3-7 år" }`` (then checked
  against the register).

The file keeps NHN's comments (tomlkit edits the parsed document in place); the result is a
valid notes layout (``tests/test_init.py`` reads it).
"""

from __future__ import annotations

from importlib import resources
from typing import Any

import tomlkit
from tomlkit.items import Array
from tomlkit.items import InlineTable

from nhnfin.layout import parse_formula
from nhnfin.notes.layout import PACKAGED

# note 10's rows for NHN's own projects (a state enterprise has receivables of its own)
NHN_ROWS = frozenset({"project_emergency_medical_communication_centre",
                      "backbone_network_helse_sor_ost"})
# a kept row whose label read as "the rest" beside NHN's rows -> its label on its own
LABELS = {"other_receivables": "Andre langsiktige fordringer"}
# the column texts that are NHN's accounting policy, not the rule's
POLICY_TEXTS = ("useful_life", "depreciation_method")
FIXED_ASSETS = "fixed_assets"


def packaged_text() -> str:
    """The text of the packaged (NHN's) notes file."""
    return resources.files("nhnfin").joinpath(PACKAGED).read_text("utf-8")


def _inline(text: str) -> InlineTable:
    """An inline table written as NHN's file writes them (``{ key = "...", ... }``)."""
    table = tomlkit.parse(f"x = {text}")["x"]
    assert isinstance(table, InlineTable)
    return table


def _generic_rows(rows: Array) -> Array | None:
    """An accounts table's rows without NHN's (None when it has none of them)."""
    if not any(str(r["key"]) in NHN_ROWS for r in rows):
        return None
    kept = [r for r in rows if str(r["key"]) not in NHN_ROWS]
    items = [str(r["key"]) for r in kept if "formula" not in r]
    new = tomlkit.array()
    for row in kept:
        fields = dict(row.items())
        fields["label"] = LABELS.get(str(row["key"]), str(row["label"]))
        formula = fields.get("formula")
        if formula is not None and any(k in NHN_ROWS for _, k in parse_formula(str(formula))):
            fields["formula"] = " + ".join(items)
        new.append(_inline(_written(fields)))
    return new.multiline(True)


def _written(fields: dict[str, Any]) -> str:
    """``fields`` as the text of an inline table."""
    parts = [f"{k} = {tomlkit.item(v).as_string()}" for k, v in fields.items()]
    return "{ " + ", ".join(parts) + " }"


def _without_policy(column: InlineTable) -> InlineTable:
    """A note 8 column without the printed policy texts (the life)."""
    fields = dict(column.items())
    texts = {k: str(v) for k, v in fields.pop("texts", {}).items() if k not in POLICY_TEXTS}
    if texts:
        fields["texts"] = _inline(_written(texts))
    return _inline(_written(fields))


def generic_notes(enterprise: str, year: int) -> str:
    """The text of a new ledger's ``notes.toml`` for ``enterprise``, first fiscal year
    ``year``: the packaged notes without NHN's own (see the module's docstring)."""
    _, rest = packaged_text().split("\n", 1)  # its first line names NHN
    first = (f"# The notes of {enterprise}'s annual accounts (written by `nhnfin init` for "
             f"{year}): their numbers,")
    doc = tomlkit.parse(rest)
    doc["name"] = f"{enterprise}, noter til årsregnskapet fra {year}"
    for note in doc["notes"]:
        for table in note.get("tables", ()):
            if table.get("source") == "accounts":
                rows = _generic_rows(table["rows"])
                if rows is not None:
                    table["rows"] = rows
            if note.get("builder") == FIXED_ASSETS and table.get("source") == "figures":
                columns = table["columns"]
                for index, column in enumerate(columns):
                    columns[index] = _without_policy(column)
    return f"{first}\n{tomlkit.dumps(doc)}"
