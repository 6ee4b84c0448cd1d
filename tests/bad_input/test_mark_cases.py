"""Marks that name nothing (``asset:``, ``grant:``, ``solution:``, ``cost-element:``,
``funding:``, ``initiative:`` on postings,
nhnfin.lock_guard.dangling_marks):
each case is a literal ledger under ``plugin "nhnfin"`` (where a rule whose kind the ledger
declares none of did not even run) and the errors it must give, message and line exactly.
Before: every one of them loaded without a word (an asset mark never had an error; a grant or
solution mark only when the ledger declared some grant or solution).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from beancount import loader

from nhnfin.config import one_plugin_run
from nhnfin.lock_guard import dangling_marks
from tests.bad_input.cases import ACCOUNTS

HEAD = f'option "operating_currency" "NOK"\nplugin "nhnfin"\ninclude "{ACCOUNTS}"\n'
ASSET = (
    '2024-03-01 custom "nhnfin-asset" "srv-2024" "infrastructure" 100.00 NOK\n'
    '2024-02-10 * "Server"\n  Assets:1200-Infrastructure 100.00 NOK\n    asset: "srv-2024"\n'
    "  Assets:1920-Bank -100.00 NOK\n"
)
GRANT = (
    '2024-01-01 custom "nhnfin-grant" "{gid}"\n  name: "Tilskudd"\n  source: "Kap. 701"\n'
    '  amount: 1000.00 NOK\n  note-row: "public_grant"\n'
)
NO_ASSET = ('ingen custom "nhnfin-asset" eller custom "nhnfin-transfer" oppgir den, ingen '
            "tilskuddskobling (grant:) finansierer den og den har ingen kostnad på "
            "Assets:1280-AssetsUnderConstruction, så den blir verken avskrevet eller fulgt av et "
            "investeringstilskudd")
LOCKED = ("; posteringen er i den låste perioden til og med 2024-12-31, så rettelsen endrer det "
          "låste året (docs/year-end-close.md)")


def cost(day: str, mark: str, account: str = "Expenses:6700-ExternalServices") -> str:
    """A cost of 10 NOK with ``mark`` (a metadata line) on its first posting (4 lines)."""
    return (f'{day} * "Kostnad"\n  {account} 10.00 NOK\n    {mark}\n'
            "  Assets:1920-Bank -10.00 NOK\n")


def mark_errors(body: str, tmp_path: Path) -> list[tuple[int, str]]:
    """(line, message) of each error about an unknown id, of HEAD + ``body`` loaded."""
    path = tmp_path / "case.beancount"
    path.write_text(HEAD + body, encoding="utf-8")
    _entries, errors, _options = loader.load_file(str(path))
    assert not [e.message for e in errors if "Traceback" in e.message]
    return [(e.source["lineno"], e.message) for e in errors
            if e.message.startswith("ukjent ") and e.source["filename"] == str(path)]


LINE = HEAD.count("\n")  # the body's line 1 is the file's LINE + 1

CASES = [
    # a typo in the id: the server was never depreciated
    ("asset-typo", ASSET + cost("2024-02-11", 'asset: "srv-2042"', "Assets:1200-Infrastructure"),
     [(7, f"ukjent eiendel 'srv-2042': {NO_ASSET} (mente du \"srv-2024\"?)")]),
    # no asset declared at all: the asset rule did not run
    ("asset-none-declared", cost("2024-02-11", 'asset: "srv-1"', "Assets:1200-Infrastructure"),
     [(2, f"ukjent eiendel 'srv-1': {NO_ASSET}")]),
    # no grant declared: the grant rule did not run, the cost was no grant's
    ("grant-none-declared", cost("2024-02-12", 'grant: "g9"'),
     [(2, "ukjent tilskudd 'g9': ingen custom \"nhnfin-grant\" oppgir det")]),
    ("grant-tag-none-declared",
     '2024-02-12 * "Kostnad" #grant-g9\n  Expenses:6700-ExternalServices 10.00 NOK\n'
     "  Assets:1920-Bank -10.00 NOK\n",
     [(1, "ukjent tilskudd 'g9': ingen custom \"nhnfin-grant\" oppgir det")]),
    # a share list with one unknown part: that part is named, and the nearest grant
    ("grant-share-one-unknown", GRANT.format(gid="drift-2024") + cost(
        "2024-02-12", 'grant: "drift-2024:60,drift-2042:40"'),
     [(7, "ukjent tilskudd 'drift-2042': ingen custom \"nhnfin-grant\" oppgir det "
          '(mente du "drift-2024"?)')]),
    # no solution declared: e-health did not run
    ("solution-none-declared", cost("2024-02-13", 'solution: "kj"'),
     [(2, "ukjent løsning 'kj': ingen custom \"nhnfin-ehealth-solution\" oppgir den")]),
    # on the transaction: the error at its line, once
    ("solution-on-the-transaction",
     '2024-01-01 custom "nhnfin-ehealth-solution" "kjernejournal" "Kjernejournal"\n'
     '2024-02-13 * "Faktura"\n  solution: "kjernjournal"\n'
     "  Assets:1500-TradeReceivables 10.00 NOK\n  Liabilities:2920-EHealthObligations "
     "-10.00 NOK\n",
     [(2, "ukjent løsning 'kjernjournal': ingen custom \"nhnfin-ehealth-solution\" oppgir den "
          '(mente du "kjernejournal"?)')]),
    # a cost element with a typo: only nhnfin cost-basis refused it, bean-check said nothing
    ("cost-element-typo",
     '2021-01-01 custom "nhnfin-cost-element" "infrastruktur" "Infrastruktur"\n'
     + cost("2024-02-13", 'cost-element: "infrastrukur"'),
     [(3, "ukjent kostnadselement 'infrastrukur': ingen custom \"nhnfin-cost-element\" oppgir "
          'det (mente du "infrastruktur"?)')]),
    # a funding source on the transaction, none declared: not even a built-in one
    ("funding-on-the-transaction",
     '2024-02-13 * "Kostnad"\n  funding: "forskrif"\n  Expenses:6700-ExternalServices 10.00 NOK\n'
     "  Assets:1920-Bank -10.00 NOK\n",
     [(1, "ukjent finansiering 'forskrif': ingen custom \"nhnfin-funding\" oppgir den, og den "
          "er ingen av de innebygde ('forskrift' og 'satsingsmidler') (mente du \"forskrift\"?)")]),
    # an initiative of the investment plan with a typo: only nhnfin investment-plan refused it
    ("initiative-typo",
     '2024-01-01 custom "nhnfin-initiative" "pll" "Pasientens legemiddelliste"\n'
     + cost("2024-02-13", 'initiative: "plll"', "Assets:1280-AssetsUnderConstruction"),
     [(3, "ukjent tiltak 'plll': ingen custom \"nhnfin-initiative\" oppgir det "
          '(mente du "pll"?)')]),
    # in a locked year: the error says that its correction changes the locked year
    ("grant-in-a-locked-year", cost("2024-02-12", 'grant: "g9"')
     + f'2024-12-31 custom "nhnfin-lock" "{"0" * 64}"\n  files: "{"0" * 64}"\n'
       f'  figures: "{"0" * 64}"\n',
     [(2, "ukjent tilskudd 'g9': ingen custom \"nhnfin-grant\" oppgir det" + LOCKED)]),
]


@pytest.mark.parametrize(("body", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_a_mark_naming_no_declared_id_is_an_error_at_its_line(
        body: str, expected: list[tuple[int, str]], tmp_path: Path) -> None:
    assert mark_errors(body, tmp_path) == [(LINE + line, m) for line, m in expected]


KNOWN = [
    # an asset a grant link funds is known through the ledger: its hand-booked depreciation
    # carries its id, and the investment grant follows it (ledger/nhn: helsenett-kjerne-2022)
    ("asset-funded-by-a-grant", GRANT.format(gid="g1")
     + '2024-02-01 * "Server"\n  Assets:1200-Infrastructure 100.00 NOK\n    asset: "kjerne"\n'
       '    grant: "g1"\n  Assets:1920-Bank -100.00 NOK\n'
     + '2024-03-31 * "Avskrivning"\n  asset: "kjerne"\n  Expenses:6000-DepreciationTangible '
       "10.00 NOK\n  Assets:1209-InfrastructureAccumDepreciation -10.00 NOK\n"),
    # declared in a later year: a purchase before its asset is ready is its cost
    ("asset-declared-later", cost("2023-11-10", 'asset: "srv-2024"',
                                  "Assets:1200-Infrastructure") + ASSET),
    # under construction: declared when it is ready, a year not yet in the books
    ("asset-under-construction", cost("2024-02-10", 'asset: "dc"',
                                      "Assets:1280-AssetsUnderConstruction")),
    # the two funding sources built in, and one declared
    ("funding-built-in-and-declared",
     '2021-01-01 custom "nhnfin-funding" "post-70-72" "Bevilgning post 70/72"\n'
     + cost("2024-02-13", 'funding: "forskrift"') + cost("2024-02-14", 'funding: "satsingsmidler"')
     + cost("2024-02-15", 'funding: "post-70-72"')),
    # a grant declared later: the grant's period is the grant rule's (brukt før perioden)
    ("grant-declared-later", GRANT.format(gid="g1").replace("2024-01-01", "2024-06-01")
     + cost("2024-02-12", 'grant: "g1"')),
]


@pytest.mark.parametrize("body", [c[1] for c in KNOWN], ids=[c[0] for c in KNOWN])
def test_a_mark_naming_an_id_declared_anywhere_is_no_unknown_id(body: str,
                                                                 tmp_path: Path) -> None:
    assert mark_errors(body, tmp_path) == []


@pytest.mark.parametrize("body", [c[1] for c in CASES + KNOWN], ids=[c[0] for c in CASES + KNOWN])
def test_the_plugin_runs_reading_of_the_marks_gives_the_same_errors(body: str,
                                                                     tmp_path: Path) -> None:
    """Inside a plugin run the check first reads the marks' texts from the shared posting
    index and reads the transactions only when one may name nothing; outside one it reads
    every transaction: the same errors either way, for every case."""
    path = tmp_path / "case.beancount"
    path.write_text(HEAD.replace('plugin "nhnfin"\n', "") + body, encoding="utf-8")
    entries, _, _ = loader.load_file(str(path))
    alone = [(e.source["lineno"], e.message) for e in dangling_marks(entries)]
    with one_plugin_run():
        shared = [(e.source["lineno"], e.message) for e in dangling_marks(entries)]
    assert shared == alone
