"""Note 2 "Inntekt nasjonale e-helseløsninger": carried, invoiced, actual use, set aside.

Computed from the postings to the e-health liability (NS 4102 2920-2929) and income (3000-3099):

* carried from previous years = the liability on 1 January, with what the books' opening balance
  brings in when it is dated in the year (``nhnfin.notes.flows.opening_balance``: a ledger started
  with ``nhnfin init`` or migrated from another system carries its liability from the books kept
  before, which is no invoicing of the year);
* actual use = the year's debits to the liability in transactions that credit e-health income
  (the recognition entries of :mod:`nhnfin.ehealth`);
* invoiced = every other movement of the liability in the year (invoices less credit notes and
  repayments);
* set aside for next year = carried + invoiced − actual use, which is the balance on
  31 December by construction.

A year with a repayment (a cost basis of the year declaring ``repayment:``, the agreed repayment
through lower invoicing, or an explicit ``nhnfin-ehealth-repayment``) gets a second table that
rolls the liability forward with the repayment in it: carried − agreed repayment through lower
invoicing − repaid to the customers + invoiced with the agreed repayment added back − actual use
= set aside. The agreed repayment is the declared figure (its drill is the cost-basis directive);
every other row is postings. A year without one keeps the published table alone.

The builder computes the figures; the notes layout (``nhnfin/data/notes_nhn.toml``, note 2's
``[[notes.tables]]``) places, labels and sums them: a groups table of the row set ``all``
(NHN's published shape: row ``national_ehealth_solutions`` and ``total``, keys as in
``nhn-annual-report-2024.json``), one of ``solutions`` (one row per solution, given when the
postings carry more than one ``solution``), and a figures table of ``repayment``. Tie-outs: set
aside = balance-sheet liability; actual use = income "Inntekt nasjonale e-helseløsninger".
:func:`check_published` says where a published row does not roll forward (2024: 72 848 588 +
1 042 953 698 − 988 138 159 = 127 664 127, printed 127 664 071).
"""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from collections.abc import Callable
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from beancount.core import data

from nhnfin import drill as drills_
from nhnfin.config import custom_directives
from nhnfin.config import transactions_touching
from nhnfin.ehealth.directives import PREFIX
from nhnfin.ehealth.directives import CostBasis
from nhnfin.ehealth.directives import parse
from nhnfin.ehealth.plugin import REPAYMENT_RULE
from nhnfin.ehealth.plugin import RULE
from nhnfin.ledger import Ledger
from nhnfin.ledger import numbered
from nhnfin.ledger import year_bounds
from nhnfin.model import Column
from nhnfin.model import Drill
from nhnfin.model import Note
from nhnfin.model import PublishedFinding
from nhnfin.model import Status
from nhnfin.model import TieOut
from nhnfin.money import ZERO
from nhnfin.notes import Figures
from nhnfin.notes import Group
from nhnfin.notes import NoteResult
from nhnfin.notes.flows import opening_balance_in
from nhnfin.notes.layout_notes import labels_of
from nhnfin.notes.layout_notes import number_of
from nhnfin.statements import BROUGHT_IN
from nhnfin.tieouts import postings_apart

LIABILITY = range(2920, 2930)
INCOME = range(3000, 3100)
UNATTRIBUTED = ""
REPAID = f"str(entry_meta('nhnfin-rule')) = '{REPAYMENT_RULE}'"


def columns(year: int) -> tuple[Column, ...]:
    """The note's columns for ``year``: keys carry the year, labels as printed."""
    return (
        Column("carried_from_previous_years", "Overført fra tidligere år"),
        Column(f"invoiced_{year}", f"Fakturert {year}"),
        Column(f"actual_use_{year}", f"Faktisk bruk {year}"),
        Column(f"set_aside_for_{year + 1}", f"Avsatt til {year + 1}"),
    )


def _solution(posting: data.Posting, entry: data.Transaction) -> str:
    return str((posting.meta or {}).get("solution", entry.meta.get("solution", UNATTRIBUTED)))


def flows(ledger: Ledger, year: int, liability: set[str], income: set[str],
          opening: tuple[data.Transaction, ...] = ()
          ) -> dict[str, tuple[Decimal, Decimal, Decimal]]:
    """(carried, invoiced, actual use) per solution, as positive liability amounts; the
    postings of ``opening`` (the books' opening balance dated in the year) are carried."""
    start, end = datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1)
    brought = set(map(id, opening))
    result: dict[str, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO, ZERO])
    # within a report run only the transactions posting to the liability, in their order
    for entry in transactions_touching(ledger.entries, liability.__contains__, ()):
        if not isinstance(entry, data.Transaction) or entry.date >= end:
            continue
        is_use = any(p.account in income for p in entry.postings)
        for posting in entry.postings:
            number = posting.units.number if posting.units is not None else None
            if posting.account not in liability or number is None:
                continue
            values = result[_solution(posting, entry)]
            if entry.date < start or id(entry) in brought:
                values[0] -= number
            elif is_use:
                values[2] += number
            else:
                values[1] -= number
    return {k: (v[0], v[1], v[2]) for k, v in sorted(result.items())}


def _names(ledger: Ledger) -> dict[str, str]:
    return {str(e.values[0].value): str(e.values[-1].value)
            for e in ledger.derived(custom_directives)
            if e.type == "nhnfin-ehealth-solution" and e.values}


FIGURES = ("carried", "invoiced", "actual_use", "set_aside")


def drills(liability: tuple[str, ...], income: tuple[str, ...], year: int,
           solution: str | None, opening: tuple[data.Transaction, ...] = ()
           ) -> dict[str, Drill]:
    """The postings behind each figure (:data:`FIGURES`), selected as :func:`flows` sums them:
    the liability before the year and in the books' ``opening`` balance (carried), the year's
    other liability postings in transactions that do not (invoiced) and that do (actual use)
    post to e-health income; set aside is their sum."""
    start, end = year_bounds(year)
    uses = drills_.in_transaction_with(income)
    tagged, words = "", ""
    if solution == UNATTRIBUTED:
        tagged, words = "any_meta('solution') IS NULL", "uten løsning (solution)"
    elif solution is not None:
        tagged, words = (f"str(any_meta('solution')) = {drills_.literal(solution)}",
                         f"løsning {solution}")

    def narrowed(condition: str, text: str, sign: int, since: datetime.date | None) -> Drill:
        return drills_.postings(
            liability, since, end if since else start, sign=sign,
            condition=" AND ".join(c for c in (condition, tagged) if c),
            condition_text=", ".join(t for t in (text, words) if t))

    carried = narrowed("", "", -1, None)
    not_use = f"NOT {uses}"
    if opening:
        carried = drills_.total(((1, carried), (1, narrowed(
            drills_.in_transactions(opening), BROUGHT_IN, -1, start))),
            "Overført fra tidligere år")
        not_use += f" AND {drills_.not_in_transactions(opening)}"
    invoiced = narrowed(not_use, "i bilag uten inntektsføring", -1, start)
    use = narrowed(uses, "i bilag som inntektsfører e-helse", 1, start)
    set_aside = drills_.total(((1, carried), (1, invoiced), (-1, use)), "Avsatt")
    return dict(zip(FIGURES, (carried, invoiced, use, set_aside), strict=True))


def group(key: str, label: str, amounts: tuple[Decimal, Decimal, Decimal],
          drill: dict[str, Drill]) -> Group:
    """One solution (or all together) as a row of the layout's groups tables: carried,
    invoiced, actual use and set aside (carried + invoiced − actual use), with their drills."""
    carried, invoiced, use = amounts
    values = (carried, invoiced, use, carried + invoiced - use)
    return Group(key, label, dict(zip(FIGURES, values, strict=True)), drill)


def uses_rule(entries: list[Any]) -> bool:
    """Whether the ledger declares an e-health solution: without one, accounts numbered
    3000-3099 are ordinary sales, not the income of note 2."""
    return any(isinstance(e, data.Custom) and e.type == f"{PREFIX}solution" for e in entries)


def build(ledger: Ledger, year: int) -> NoteResult | None:
    """Note 2's figures for ``year``, for the notes layout's tables: the row sets ``all`` (one
    group, ``all``: every solution together) and, when the postings name more than one solution
    (``solution``, or some none), ``solutions`` (one group a solution, labelled by its
    ``nhnfin-ehealth-solution`` directive); the figures ``repayment`` when the year has a
    repayment (:func:`repayment_figures`). None when the ledger does not use the e-health rule
    (declares no solution) or has no e-health liability or income."""
    if not uses_rule(ledger.entries):
        return None
    accounts = numbered(ledger.accounts())
    liability = tuple(sorted(a for a, n in accounts.items() if n in LIABILITY))
    income = tuple(sorted(a for a, n in accounts.items() if n in INCOME))
    opening = opening_balance_in(ledger, year)
    per_solution = flows(ledger, year, set(liability), set(income), opening)
    if not per_solution and ledger.movement(income, year) == 0:
        return None
    totals = [sum((v[i] for v in per_solution.values()), ZERO) for i in range(3)]
    drill = drills(liability, income, year, None, opening)
    labels = labels_of(ledger, "ehealth_income")
    every = group("all", labels["all"], (totals[0], totals[1], totals[2]), drill)
    groups: dict[str, tuple[Group, ...]] = {"all": (every,)}
    if len(set(per_solution) - {UNATTRIBUTED}) > 1 or (
        UNATTRIBUTED in per_solution and len(per_solution) > 1
    ):
        names = _names(ledger)
        groups["solutions"] = tuple(
            group(_row_key(sid), names.get(sid, sid) if sid else labels["unattributed"], v,
                  drills(liability, income, year, sid, opening))
            for sid, v in per_solution.items())
    repayment = repayment_figures(ledger, year, liability, drill, totals)
    note = Note("2", "Inntekt nasjonale e-helseløsninger", ())
    return NoteResult(note, tieouts(ledger, year, liability, income, totals, drill, opening),
                      figures={"repayment": repayment} if repayment is not None else {},
                      groups=groups)


def agreed_repayments(entries: list[Any], year: int) -> tuple[CostBasis, ...]:
    """The cost bases of ``year`` that declare a repayment through lower invoicing."""
    config, _ = parse(entries)
    return tuple(b for b in config.cost_bases if b.year == year and b.repayment > 0)


def repaid_to_customers(ledger: Ledger, year: int, liability: set[str]) -> Decimal:
    """The year's explicit repayments out of the liability (``nhnfin-ehealth-repayment``, booked
    by the rule), as a positive amount."""
    start, end = year_bounds(year)
    return sum((p.units.number for e in ledger.entries if isinstance(e, data.Transaction)
                and start <= e.date < end and e.meta.get("nhnfin-rule") == REPAYMENT_RULE
                for p in e.postings if p.account in liability and p.units is not None
                and p.units.number is not None), ZERO)


REPAYMENT_ROWS = ("carried_from_previous_years", "agreed_repayment_lower_invoicing",
                  "repaid_to_customers", "invoiced_with_agreed_repayment", "actual_use")


def repayment_figures(ledger: Ledger, year: int, liability: tuple[str, ...],
                      drill: dict[str, Drill], totals: list[Decimal]) -> Figures | None:
    """The liability rolled forward with the year's repayments (module docstring), as the
    figures :data:`REPAYMENT_ROWS` of the column ``movement``, signed as the table adds them;
    None when the year has none, so a year without a repayment keeps the published note
    alone."""
    agreed = agreed_repayments(ledger.entries, year)
    paid = repaid_to_customers(ledger, year, set(liability))
    if not agreed and paid == 0:
        return None
    carried, invoiced, use = totals
    lower = sum((b.repayment for b in agreed), ZERO)
    lower_drill = drills_.declared(((b.meta, "repayment") for b in agreed),
                                   "Avtalt tilbakebetaling gjennom lavere fakturering")
    start, end = year_bounds(year)
    paid_drill = drills_.postings(liability, start, end, sign=1, condition=REPAID,
                                  condition_text="tilbakebetalinger (nhnfin-ehealth-repayment)")
    rows = [
        (carried, drill["carried"]),
        (-lower, drills_.total(((-1, lower_drill),), "Avtalt tilbakebetaling")),
        (-paid, drills_.total(((-1, paid_drill),), "Tilbakebetalt kundene")),
        (invoiced + paid + lower,
         drills_.total(((1, drill["invoiced"]), (1, paid_drill), (1, lower_drill)),
                       "Fakturert med tillegg av avtalt tilbakebetaling")),
        (-use, drills_.total(((-1, drill["actual_use"]),), "Faktisk bruk")),
    ]
    return Figures(
        values={key: {"movement": value} for key, (value, _) in zip(REPAYMENT_ROWS, rows,
                                                                      strict=True)},
        drills={key: {"movement": trail} for key, (_, trail) in zip(REPAYMENT_ROWS, rows,
                                                                      strict=True)})


def _row_key(solution: str) -> str:
    return "solution_" + (re.sub(r"[^a-z0-9]+", "_", solution.lower()).strip("_") or "none")


def _tie(check_id: str, description: str, left: Decimal, right: Decimal,
         sides: tuple[Drill, Drill], detail: Callable[[], str] = lambda: "") -> TieOut:
    """A note-2 tie-out; when it fails, ``detail()`` says why."""
    status = Status.PASSED if left == right else Status.FAILED
    return TieOut(check_id, description, left, right, status, left_drill=sides[0],
                  right_drill=sides[1], detail=detail() if status == Status.FAILED else "")


def _recognised(txn: data.Transaction, _posting: data.Posting) -> bool:
    """Whether an income posting is the e-health rule's (income recognised from 2920)."""
    return txn.meta.get("nhnfin-rule") == RULE


def not_recognised(ledger: Ledger, income: tuple[str, ...], year: int) -> str:
    """Why "Faktisk bruk = resultat" fails, as far as the books tell: the year's postings on the
    e-health income accounts that the rule did not book; empty when there are none."""
    start, end = year_bounds(year)
    listed = postings_apart(ledger, income, start, end, _recognised)
    return (f"{listed} er ikke inntektsført av e-helseregelen (fra 2920, i takt med kostnaden): "
            "resultatet tar dem med, noten ikke" if listed else "")


def brought_in(liability: tuple[str, ...], year: int, opening: tuple[data.Transaction, ...]
               ) -> tuple[Decimal, Drill]:
    """What the books' ``opening`` balance (dated in ``year``) brings to the liability, as a
    positive amount, and its postings."""
    wanted = set(liability)
    amount = -sum((p.units.number for e in opening for p in e.postings
                   if p.account in wanted and p.units is not None
                   and p.units.number is not None), ZERO)
    start, end = year_bounds(year)
    trail = drills_.postings(liability, start, end, sign=-1,
                             condition=drills_.in_transactions(opening), condition_text=BROUGHT_IN)
    return amount, trail


def tieouts(ledger: Ledger, year: int, liability: tuple[str, ...], income: tuple[str, ...],
            totals: list[Decimal], drill: dict[str, Drill],
            opening: tuple[data.Transaction, ...] = ()) -> tuple[TieOut, ...]:
    """Note 2 against the balance sheet and the income statement; each side drills to its
    postings (the note's figure as the note selects them, the accounts as the statement reads
    them). In the year of the books' ``opening`` balance the liability on 1 January is what it
    brings in (the balance of the books kept before)."""
    carried, invoiced, use = totals
    start, end = year_bounds(year)
    number = number_of(ledger, "ehealth_income", "2")
    before = -ledger.opening(liability, year)
    before_drill = drills_.postings(liability, None, start, sign=-1)
    compared = f"balanse {year - 1}"
    if opening:
        amount, trail = brought_in(liability, year, opening)
        before += amount
        before_drill = drills_.total(((1, before_drill), (1, trail)), "Inngående balanse")
        compared = f"inngående balanse {year}"
    return (
        _tie("n2.set_aside_vs_balance_sheet", f"Note {number} Avsatt til {year + 1} = balanse "
             "Forpliktelser nasjonale e-helseløsninger", carried + invoiced - use,
             -ledger.closing(liability, year),
             (drill["set_aside"], drills_.postings(liability, None, end, sign=-1))),
        _tie("n2.carried_vs_opening_balance", f"Note {number} Overført fra tidligere år = "
             f"{compared}", carried, before, (drill["carried"], before_drill)),
        _tie("n2.actual_use_vs_income", f"Note {number} Faktisk bruk {year} = resultat Inntekt "
             "nasjonale e-helseløsninger", use, -ledger.movement(income, year),
             (drill["actual_use"], drills_.postings(income, start, end, sign=-1)),
             lambda: not_recognised(ledger, income, year)),
    )


def check_published(row: str, values: Mapping[str, Decimal], year: int
                    ) -> PublishedFinding | None:
    """A finding when a published note-2 row does not roll forward (carried + invoiced − use)."""
    carried, invoiced, use, set_aside = (values[c.key] for c in columns(year))
    recomputed = carried + invoiced - use
    if recomputed == set_aside:
        return None
    return PublishedFinding(
        check_id=f"n2.published.{row}.roll_forward", where=f"Note 2, rad {row!r}",
        formula="avsatt = overført + fakturert − faktisk bruk", published=set_aside,
        recomputed=recomputed, severity="error",
        explanation=(f"{carried} + {invoiced} − {use} = {recomputed}, men {set_aside} er "
                     "trykt; en note laget fra regnskapet ruller alltid fremover"))
