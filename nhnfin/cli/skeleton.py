"""A new ledger's files (``nhnfin init``): a working skeleton for a Norwegian state enterprise.

The skeleton is data (``nhnfin/data/init/``): a generic NS 4102 chart, the generic layout
(``nhnfin/data/layout_generic.toml``: regnskapsloven §§ 6-1/6-2, the rules' lines optional), the
generic notes (:func:`nhnfin.notes.generic.generic_notes`: the packaged notes without NHN's own
rows, title and useful lives), the single plugin line and the Fava line, the note-account mapping
and a README. Each rule asked for adds its accounts and a commented example of its directives.
:func:`skeleton` is pure: it returns the files' names and texts; the command writes them.
"""

from __future__ import annotations

import datetime
from importlib import resources
from string import Template

from nhnfin.files import WriteRefused
from nhnfin.files import escape_string
from nhnfin.lock_guard import valid_org_number
from nhnfin.notes.generic import generic_notes

RULES = ("grants", "delivery-obligation", "ehealth")
RULE_TITLES = {"grants": "Offentlig tilskudd", "delivery-obligation": "Leveranseforpliktelse",
               "ehealth": "Nasjonale e-helseløsninger"}
"""The rules' names in bokmål, for the heading of their accounts in ``accounts.beancount``."""
MAIN = "regnskap.beancount"


class SkeletonError(ValueError):
    """The name, number or year cannot make a valid ledger (the message says why)."""


def beancount_string(value: str, what: str) -> str:
    """``value`` as the inside of a Beancount string literal (:func:`nhnfin.files.escape_string`,
    the one escaping of nhnfin); a line break or other control character is refused."""
    try:
        return escape_string(value, what)
    except WriteRefused:
        raise SkeletonError(f"{what} må stå på én linje: {value!r}") from None


def _data(name: str) -> str:
    return (resources.files("nhnfin.data") / name).read_text(encoding="utf-8")


def _sales_account(values: dict[str, str], ehealth: bool) -> str:
    """The chart's ordinary sales account (``init/accounts-sales.beancount``: 3000 Salgsinntekt);
    with the e-health rule none, since note 2 takes every account numbered 3000-3099 as e-health
    income (3000 is the rule's ``Income:3000-EHealthRevenue``), so ordinary sales go on 3100."""
    if ehealth:
        return ("; 3000-3099: e-helseinntektene (e-helsekontoene nedenfor; note 2 tar hver konto "
                "med\n; nummer 3000-3099 som e-helseinntekt): vanlig salg føres på 3100\n")
    return Template(_data("init/accounts-sales.beancount")).substitute(values)


def skeleton(name: str, orgnr: str, year: int, rules: tuple[str, ...] = ()) -> dict[str, str]:
    """File name -> text of a new ledger for ``name`` whose first fiscal year is ``year``."""
    orgnr = orgnr.replace(" ", "")
    if not name.strip():
        raise SkeletonError("navnet er tomt (--name)")
    if not valid_org_number(orgnr):
        raise SkeletonError(f"organisasjonsnummeret {orgnr!r} er ikke gyldig (9 sifre, MOD11)")
    if not 1900 < year < 2200:
        raise SkeletonError(f"året {year} kan ikke brukes (1901-2199)")
    unknown = [r for r in rules if r not in RULES]
    if unknown:
        raise SkeletonError(f"ukjent regel {unknown[0]!r} (regler: {', '.join(RULES)})")
    values = {"name": beancount_string(name.strip(), "navnet"), "orgnr": orgnr,
              "year": str(year), "first_day": datetime.date(year, 1, 1).isoformat(),
              # accounts open on the last day of the year before: the opening balance is the
              # previous year's closing balance, dated there (docs/new-ledger.md)
              "open_date": datetime.date(year - 1, 12, 31).isoformat(),
              "main": MAIN}
    values["sales_account"] = _sales_account(values, "ehealth" in rules)

    def fill(template: str) -> str:
        return Template(template).substitute(values)

    accounts = _data("init/accounts.beancount")
    declarations = _data("init/rules.beancount")
    for rule in RULES:
        if rule in rules:
            accounts += (f"\n; --- {RULE_TITLES[rule]} (--{rule}) ---\n"
                         + _data(f"init/accounts-{rule}.beancount"))
            declarations += _data(f"init/rules-{rule}.beancount")
    return {
        MAIN: fill(_data("init/main.beancount")),
        "accounts.beancount": fill(accounts),
        "notes.beancount": fill(_data("init/notes.beancount")),
        "rules.beancount": fill(declarations),
        f"{year}.beancount": fill(_data("init/year.beancount")),
        "layout.toml": _data("layout_generic.toml"),
        "notes.toml": generic_notes(name.strip(), year),
        "README.md": Template(_data("init/README.md")).substitute(values, name=name.strip()),
    }
