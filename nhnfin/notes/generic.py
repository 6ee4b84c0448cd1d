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

The file keeps NHN's comments in bokmål (tomlkit edits the parsed document in place; each comment
has its bokmål text in :data:`COMMENTS`, the head :data:`HEADER`); the result is a valid notes
layout (``tests/test_init.py`` reads it).
"""

from __future__ import annotations

from importlib import resources
from string import Template
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


HEADER = """\
# Notene i årsregnskapet til $enterprise (skrevet av `nhnfin init` for $year): nummer, tittel
# og rekkefølge, hvilken regels notebygger (om noen) som lager tabellene i en note, hvilke linjer i
# oppstillingene som viser til hver note i kolonnen «Note», og formen på notenes tabeller av
# kontoer og oppgitte data (rader, kolonner, tekster, enheter, summer).
#
# Filen er regnskapets egen kopi (custom "nhnfin-notes" i hovedfilen). Å nummerere om en note,
# endre rekkefølgen, legge til en note med bare tekst (teksten er en mal regnskapet oppgir med
# `custom "nhnfin-note-text" "NUMMER" "sti/til/note.md.j2"`), eller legge til en rad, en tabell
# eller en note av kontoer eller oppgitte data krever ingen kodeendring. Alle feltene er beskrevet
# i nhnfins docs/notes-layout.md; kort:
#
#   number     notens nummer slik det skrives ("1", "2", ...); notene skrives i rekkefølgen her
#   title      notens tittel slik den skrives
#   builder    regelens notebygger som lager tabellene (nhnfin.notes.BUILDER_PATHS); ingen for en
#              note med bare tekst eller bare [[notes.tables]]
#   lines      linjer i oppstillingene ("statement.line") som viser til noten i kolonnen «Note»
#
# [[notes.tables]], skrevet i rekkefølgen her, etter byggerens tabeller:
#   key        tabellens nøkkel (oppgitte data navngir den: custom "nhnfin-note-data" NOTE KEY ROW)
#   caption    overskriften slik den skrives
#   source     "ledger": en bevegelsestabell, kolonnene tar kontoer, radene et mål på dem;
#              "accounts": regnskapsåret og året før, hver rad kontoene som er knyttet til den;
#              "data": oppgitt per år; "figures": notebyggerens tall; "persons": en rad per
#              oppgitt person; "groups": en rad per gruppe notebyggeren gir
#   unit       NOK (standard), percent, years, count eller mixed (hver rad oppgir sin egen)
#   shown      false: oppgitte data som bare notens tekst siterer (ingen tabell skrives)
#   tieout     tabellens navn i id-ene til kontrollene (standard t0, t1, ... etter plass)
#   checks     en registrert kontroll som legger til regelens egne kontroller
#              (nhnfin.notes.CHECK_PATHS)
#   rows       `{ key, label, kind = item|subtotal|total, unit, formula = "a + b - c" }` (en sum
#              av rader over), `accounts = ["2940", "2941-2949"]`, `group = "..."`
#   columns    `{ key, label, ... }`: kontoer, formel, tekst eller notebyggerens tall, etter
#              tabellens source (docs/notes-layout.md)
"""
"""The bokmål head of a new ledger's ``notes.toml``, in place of the packaged file's (English,
NHN's) head comment."""

COMMENTS = {
    "# the rule's own rows:": """\
# regelens egne rader: alle løsningene samlet (vist av en groups-tabell over "all" der radene ikke
# navngir den), og posteringene som ikke navngir noen løsning (i tabellen over "solutions")""",
    "# the e-health rule's figures": """\
# e-helseregelens tall (nhnfin/ehealth/note2.py): overført, fakturert og faktisk bruk per gruppe
# av posteringer; avsatt er summen av dem. "all" er alle løsningene samlet; "solutions" en rad per
# oppgitt løsning, bare når posteringene navngir mer enn én""",
    "# a year with a repayment": """\
# et år med tilbakebetaling (oppgitt på kostnadsgrunnlaget, eller nhnfin-ehealth-repayment):
# forpliktelsen rullet fram med den; regelen gir hver rads tall, med fortegn som lagt til""",
    "# the grants rule's figures": """\
# tilskuddsregelens tall per gruppe (nhnfin/grants/note3.py): "rows" er en rad per noterad for de
# oppgitte tilskuddene (note-row; med navnet fra det første tilskuddets note-label eller name),
# "grants" en rad per tilskudd, bare når en noterad har flere; kolonnene benyttet på
# investeringer, tilbakebetalt og omdisponert vises bare når en rad har et beløp i dem""",
    "# the deferred investment grant": """\
# det utsatte investeringstilskuddet (2930), når tilskuddene er benyttet på investeringer""",
    "# the roll-forward of the obligation": """\
# bevegelsene i forpliktelsen (2180, kreditt vist positivt); summene er identiteter den
# publiserte tabellen kontrolleres mot""",
    "# the figures of the fixed-asset rule's builder": """\
# tallene fra anleggsregelens notebygger, per klasse av eiendeler: kolonnenes kontoer er klassens
# NS 4102-områder (NNN9 akkumulerte avskrivninger, NNN8 nedskrivninger, de andre anskaffelseskost);
# uten tekster i kolonnen skriver noten levetiden og metoden til de registrerte eiendelene; den
# immaterielle tabellen viser avgang og nedskrivning bare når de har et beløp; begge tabellene
# vises når regnskapet har en konto 1000-1299. «Ført i inngående balanse» er den bokførte verdien
# regnskapets åpningsbalanse tar inn, i sitt eget år (da ingen tilgang, avgang eller avskrivning
# av den)""",
    "# other equity takes the result": """\
# annen egenkapital tar med resultatet som ikke er overført ennå (3000-8999), så noten stemmer før
# årsoppgjørets overføring er bokført; resultatet er 3000-8899 (8900-8999 flytter det bare inn i
# egenkapitalen); i året med regnskapets åpningsbalanse er egenkapitalen den tar inn en egen rad,
# ikke en endring""",
}
"""The bokmål text of each comment of the packaged notes file, by how the English one begins.
A comment with none is left out of a new ledger's file (never printed in English):
``tests/test_init.py`` fails when NHN's file has one without a text here."""


def comment_blocks(text: str) -> list[list[str]]:
    """The runs of comment lines (``#`` first) in ``text``."""
    blocks: list[list[str]] = []
    previous = False
    for line in text.splitlines():
        comment = line.lstrip().startswith("#")
        if comment and not previous:
            blocks.append([])
        if comment:
            blocks[-1].append(line)
        previous = comment
    return blocks


def bokmal_comment(block: list[str]) -> str | None:
    """The bokmål text of a comment of the packaged notes file (:data:`COMMENTS`), or None."""
    return next((text for start, text in COMMENTS.items() if block[0].startswith(start)), None)


def bokmal_comments(text: str) -> str:
    """``text`` (the notes TOML) with each comment in bokmål, or left out when it has none."""
    out: list[str] = []
    block: list[str] = []
    for line in [*text.splitlines(), ""]:
        if line.lstrip().startswith("#"):
            block.append(line)
            continue
        if block:
            translated = bokmal_comment(block)
            out += translated.splitlines() if translated is not None else []
            block = []
        out.append(line)
    return "\n".join(out[:-1]) + "\n"


def generic_notes(enterprise: str, year: int) -> str:
    """The text of a new ledger's ``notes.toml`` for ``enterprise``, first fiscal year
    ``year``: the packaged notes without NHN's own (see the module's docstring), its comments in
    bokmål (:data:`HEADER`, :data:`COMMENTS`)."""
    packaged = packaged_text()
    head = comment_blocks(packaged)[0]
    rest = packaged.split("\n", len(head))[-1]  # the head names NHN, and is in English
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
    header = Template(HEADER).substitute(enterprise=enterprise, year=year)
    return header + bokmal_comments(tomlkit.dumps(doc))
