"""Note 3 "Offentlig tilskudd": the use of public grants, per note row and in sum.

The builder computes the figures; the notes layout (``nhnfin/data/notes_nhn.toml``, note 3's
``[[notes.tables]]``) places, labels and sums them: groups tables of the row sets ``rows`` and
``grants`` (:func:`groups`, each figure of :data:`FIGURES` per group) and a figures table of
``investment``. In NHN's layout, columns and keys follow the published note
(``carried_from_previous_years``, ``grant_not_received_<year>``, ``grant_<year>``,
``available_<year>``, ``actual_use_<year>``, ``set_aside_for_<year+1>``). When a grant was used
on investments, repaid or reallocated in the year, a column for each such event shows before
``set_aside_for_<year+1>`` (the layout's optional columns) so that every row still adds up (the
columns' identities).

Rows are the grants' ``note-row`` keys (several grants may share one; the label is the first
grant's ``note-label`` or name) and ``total``. When a row holds several grants a second table
shows them one by one. A third table follows the deferred investment grant (the note-13 line
``state_budget_appropriation_used_on_investments``). Tie-outs: set aside = the liability (2910)
balance, actual use = grant income (3400), awarded and not received = the receivable (1570)
balance, the investment table = 2930 and 3920.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal

from beancount.core import data

from nhnfin import drill as drills
from nhnfin.grants.figures import GrantYear
from nhnfin.grants.figures import accounts_under
from nhnfin.grants.figures import declared_grants
from nhnfin.grants.figures import grant_years
from nhnfin.grants.links import TAG_PREFIX
from nhnfin.grants.models import Grant
from nhnfin.grants.usage import USE_RULES
from nhnfin.grants.usage import by_rule
from nhnfin.grants.usage import grant_condition
from nhnfin.ledger import Ledger
from nhnfin.ledger import year_bounds
from nhnfin.model import Drill
from nhnfin.model import Note
from nhnfin.model import NoteRow
from nhnfin.model import Status
from nhnfin.model import TieOut
from nhnfin.money import ZERO
from nhnfin.notes import Figures
from nhnfin.notes import Group
from nhnfin.notes import NoteResult
from nhnfin.notes.flows import opening_balance_in
from nhnfin.notes.layout_notes import number_of
from nhnfin.statements import BROUGHT_IN
from nhnfin.statements import posting_weights
from nhnfin.tieouts import postings_apart

INVESTMENT_LINE = "state_budget_appropriation_used_on_investments"
Value = Callable[[GrantYear], Decimal]
Opening = tuple[data.Transaction, ...]
"""The books' opening balance dated in the note's year (:func:`opening_balance_in`), read as
1 January."""


def _without(condition: str, opening: Opening) -> str:
    """``condition`` without the postings of the books' ``opening`` balance (none: as is)."""
    return f"{condition} AND {drills.not_in_transactions(opening)}" if opening else condition


FIGURES: dict[str, Value] = {
    "carried": lambda g: g.carried,
    "not_received": lambda g: g.not_received,
    "granted": lambda g: g.granted,
    "available": lambda g: g.available,
    "used": lambda g: g.used,
    "invested": lambda g: g.invested,
    "repaid": lambda g: g.repaid,
    "reallocated": lambda g: g.reallocated,
    "set_aside": lambda g: g.set_aside,
}
"""The figures of a grant (or a note row of grants) a groups table's columns show."""


def _in_note(figure: GrantYear) -> bool:
    return any((figure.available, figure.used, figure.invested, figure.repaid,
                figure.reallocated, figure.set_aside))


def _not_received(grant: Grant, figure: GrantYear, year: int, opening: Opening = ()) -> Drill:
    """What :func:`nhnfin.grants.figures.grant_years` counts as not received: the year's
    debits to the receivable (not those of the books' ``opening`` balance, older) while an older
    receivable is still open at year end, else the receivable's whole balance at year end."""
    start, end = datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1)
    linked = grant_condition([grant.id])
    if figure.old_receivable_open > 0:
        return drills.postings((grant.receivable,), start, end, side="debit",
                               condition=_without(linked, opening),
                               condition_text=f"knyttet til {grant.id}, tilført i året")
    return drills.postings((grant.receivable,), None, end, condition=linked,
                           condition_text=f"knyttet til {grant.id}, åpent ved årets slutt")


def _receivable_drills(grants: list[Grant], figures: dict[str, GrantYear], funding: Drill,
                       year: int, opening: Opening = ()) -> dict[str, Drill]:
    """Not received (per grant, summed over the row) and the grant for the year (the year's
    funding less what was not received)."""
    open_ = drills.total(((1, _not_received(g, figures[g.id], year, opening)) for g in grants),
                         f"Ikke mottatt tilskudd {year}")
    return {"not_received": open_,
            "granted": drills.total(((1, funding), (-1, open_)), f"Tilskudd {year}")}


def _drill(grants: list[Grant], year: int, figures: dict[str, GrantYear] | None = None,
           opening: Opening = ()) -> dict[str, Drill]:
    """The 2910 postings linked to the row's grants behind each column, classified as
    :mod:`nhnfin.grants.figures` classifies them (by the generating rule; those of the books'
    ``opening`` balance are carried)."""
    start, end = datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1)
    liability = tuple(sorted({g.liability for g in grants}))
    linked = grant_condition([g.id for g in grants])
    words = "knyttet til " + ", ".join(g.id for g in grants)

    def linked_postings(since: datetime.date | None, until: datetime.date, sign: int,
                        condition: str = "", text: str = "") -> Drill:
        return drills.postings(
            liability, since, until, sign=sign,
            condition=" AND ".join(c for c in (linked, condition) if c),
            condition_text=", ".join(t for t in (words, text) if t))

    carried = linked_postings(None, start, -1)
    if opening:
        carried = drills.total(((1, carried), (1, linked_postings(
            start, end, -1, drills.in_transactions(opening), BROUGHT_IN))),
            "Overført fra tidligere år")
    funding = linked_postings(start, end, -1,
                              _without(f"NOT ({by_rule(USE_RULES.values())})", opening),
                              "tilført i året")
    result = {
        "carried": carried,
        "available": drills.total(((1, carried), (1, funding)), f"Disponibelt {year}"),
        "set_aside": linked_postings(None, end, -1),
    }
    if figures is not None:
        result.update(_receivable_drills(grants, figures, funding, year, opening))
    for name, rule in USE_RULES.items():
        sign = -1 if name == "reallocated" else 1
        result[name] = linked_postings(start, end, sign, by_rule([rule]),
                                       f"bokført av regelen {rule}")
    return result


def group(key: str, label: str, figures: list[GrantYear], drill: dict[str, Drill]) -> Group:
    """A note row of grants (or one grant) as a row of the layout's groups tables: each of
    :data:`FIGURES` summed over its grants, with the drills behind them."""
    return Group(key, label, {name: sum((value(f) for f in figures), ZERO)
                              for name, value in FIGURES.items()}, drill)


def groups(grants: dict[str, Grant], figures: list[GrantYear], year: int,
           opening: Opening = ()) -> dict[str, tuple[Group, ...]]:
    """The row sets of the layout's groups tables: ``rows`` (one a note row: the grants'
    ``note-row`` key, labelled by its first grant's ``note-label`` or name) and, when a note row
    holds several grants, ``grants`` (one a grant, labelled by its name)."""
    by_id = {f.grant: f for f in figures}
    by_row: dict[str, list[GrantYear]] = {}
    for figure in figures:
        by_row.setdefault(grants[figure.grant].note_row, []).append(figure)
    result = {"rows": tuple(
        group(key, grants[rows[0].grant].label, rows,
              _drill([grants[f.grant] for f in rows], year, by_id, opening))
        for key, rows in by_row.items())}
    if any(len(rows) > 1 for rows in by_row.values()):
        result["grants"] = tuple(group(f.grant, grants[f.grant].name, [f],
                                       _drill([grants[f.grant]], year, by_id, opening))
                                 for f in figures)
    return result


def investment_drills(grants: list[Grant], year: int, opening: Opening = ()
                      ) -> dict[str, Drill]:
    """The postings behind the deferred investment grant's lines for ``year``: 2930 before
    the year (and in the books' ``opening`` balance dated in it) and up to the year's end, the
    year's investment postings on 2910 and its income (3920)."""
    start, end = datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1)
    linked = grant_condition([g.id for g in grants])
    words = "knyttet til " + ", ".join(g.id for g in grants)
    deferred = tuple(sorted({g.deferred for g in grants}))
    income = tuple(sorted({g.investment_income for g in grants}))
    liability = tuple(sorted({g.liability for g in grants}))
    invested = f"{linked} AND {by_rule([USE_RULES['invested']])}"
    deferred_opening = drills.postings(deferred, None, start, sign=-1, condition=linked,
                                       condition_text=words)
    if opening:
        deferred_opening = drills.total(((1, deferred_opening), (1, drills.postings(
            deferred, start, end, sign=-1,
            condition=f"{linked} AND {drills.in_transactions(opening)}",
            condition_text=f"{words}, {BROUGHT_IN}"))), "Utsatt investeringstilskudd 1.1.")
    return {
        "deferred_opening": deferred_opening,
        "used_on_investments": drills.postings(liability, start, end, condition=invested,
                                               condition_text=f"{words}, brukt på investeringer"),
        "recognised_as_income": drills.postings(income, start, end, sign=-1, condition=linked,
                                                condition_text=words),
        INVESTMENT_LINE: drills.postings(deferred, None, end, sign=-1, condition=linked,
                                         condition_text=words),
    }


INVESTMENT_FIGURES: dict[str, Value] = {
    "deferred_opening": lambda g: g.deferred_opening,
    "used_on_investments": lambda g: g.invested,
    "recognised_as_income": lambda g: g.investment_income,
    INVESTMENT_LINE: lambda g: g.deferred_closing,
}


def investment_figures(now: list[GrantYear], before: list[GrantYear], year: int,
                       grants: list[Grant], opening: tuple[Opening, Opening] = ((), ())
                       ) -> Figures:
    """The deferred investment grant (note 13's line) for the columns ``year`` and ``prior``,
    with the postings behind each figure (``opening``: the books' opening balance dated in
    ``year`` and in the year before)."""
    trails = {"year": investment_drills(grants, year, opening[0]),
              "prior": investment_drills(grants, year - 1, opening[1])}
    return Figures(
        values={name: {"year": sum((value(f) for f in now), ZERO),
                       "prior": sum((value(f) for f in before), ZERO)}
                for name, value in INVESTMENT_FIGURES.items()},
        drills={name: {column: trail[name] for column, trail in trails.items()}
                for name in INVESTMENT_FIGURES})


def receivable_drill(grants: list[Grant], end: datetime.date) -> Drill:
    """The postings on the grants' receivables (1570) linked to them, to ``end``: what the rule
    counts as awarded and not received."""
    receivable = tuple(sorted({g.receivable for g in grants}))
    return drills.postings(receivable, None, end, condition=grant_condition([g.id for g in grants]),
                           condition_text="knyttet til " + ", ".join(g.id for g in grants))


def _tie(check_id: str, description: str, left: tuple[Decimal, Drill],
         right: tuple[Decimal, Drill], detail: Callable[[], str] = lambda: "") -> TieOut:
    """A note-3 tie-out; when it fails, ``detail()`` says why."""
    status = Status.PASSED if left[0] == right[0] else Status.FAILED
    return TieOut(check_id, description, left[0], right[0], status, left_drill=left[1],
                  right_drill=right[1], detail=detail() if status == Status.FAILED else "")


def _linked(txn: data.Transaction, posting: data.Posting) -> bool:
    """Whether the posting names a grant (on itself, on its transaction, or a ``#grant-`` tag)."""
    return ("grant" in (posting.meta or {}) or "grant" in txn.meta
            or any(tag.startswith(TAG_PREFIX) for tag in txn.tags or ()))


def unlinked(ledger: Ledger, accounts: set[str], start: datetime.date | None,
             end: datetime.date) -> str:
    """Why a note-3 tie-out fails, as far as the books tell: the postings on ``accounts`` that
    name no grant, which the statements count and the note leaves out; empty when there are
    none."""
    listed = postings_apart(ledger, accounts, start, end, _linked)
    return (f"{listed} har ingen tilskuddskobling (grant:): regnskapet tar dem med, noten ikke"
            if listed else "")


def _brought_in_to(accounts: tuple[str, ...], year: int, opening: Opening
                   ) -> tuple[Decimal, Drill]:
    """What the books' ``opening`` balance (dated in ``year``) brings to ``accounts`` (a
    liability, positive), and its postings."""
    wanted = set(accounts)
    amount = -sum((n for e in opening for a, n in posting_weights(e) if a in wanted), ZERO)
    start, end = year_bounds(year)
    return amount, drills.postings(accounts, start, end, sign=-1,
                                   condition=drills.in_transactions(opening),
                                   condition_text=BROUGHT_IN)


def tieouts(ledger: Ledger, grants: dict[str, Grant], figures: list[GrantYear],
            year: int, opening: Opening = ()) -> tuple[TieOut, ...]:
    """Note 3 against the balance sheet and the income statement; each side drills to its
    postings (the note's sum as the note selects them, the accounts as the statements read
    them). On 1 January: carried = the liability (2910) then, which in the year of the books'
    ``opening`` balance is what it brings in (the balances of the books kept before), and in
    that year also the deferred grant at 1 January = what it brings to 2930."""
    start, end = year_bounds(year)
    every = list(grants.values())
    note = _drill(every, year, opening=opening)
    invested = investment_drills(every, year, opening)

    def accounts_of(role: str) -> set[str]:
        return set(accounts_under(ledger.accounts(), {getattr(g, role) for g in grants.values()}))

    def ledger_sum(role: str, balance: bool) -> tuple[Decimal, Drill]:
        accounts = accounts_of(role)
        total = ledger.closing(accounts, year) if balance else ledger.movement(accounts, year)
        trail = drills.postings(tuple(accounts), None if balance else start, end, sign=-1)
        return -total, trail

    def receivables() -> tuple[Decimal, Drill]:  # an asset: its debit balance, positive
        accounts = accounts_of("receivable")
        return (ledger.closing(accounts, year),
                drills.postings(tuple(sorted(accounts)), None, end))

    def why(role: str, balance: bool) -> Callable[[], str]:
        return lambda: unlinked(ledger, accounts_of(role), None if balance else start, end)

    def total(value: Value, trail: Drill) -> tuple[Decimal, Drill]:
        return sum((value(f) for f in figures), ZERO), trail

    def first_of_january(role: str) -> tuple[Decimal, Drill]:
        accounts = accounts_under(ledger.accounts(), {getattr(g, role) for g in grants.values()})
        amount = -ledger.opening(accounts, year)
        trail = drills.postings(accounts, None, start, sign=-1)
        if opening:
            brought, brought_trail = _brought_in_to(accounts, year, opening)
            amount += brought
            trail = drills.total(((1, trail), (1, brought_trail)), "Inngående balanse")
        return amount, trail

    number = number_of(ledger, "public_grants", "3")
    compared = f"inngående balanse {year}" if opening else f"balanse {year - 1}"
    deferred_opening: tuple[TieOut, ...] = ()
    if opening:  # where 1 January is not the year before's closing, tied already
        left, right = (total(lambda f: f.deferred_opening, invested["deferred_opening"]),
                       first_of_january("deferred"))
        if left[0] or right[0]:
            deferred_opening = (_tie(
                "note3.deferred_opening.2930",
                f"Note {number} utsatt investeringstilskudd 1.1. = 2930 ({compared})",
                left, right),)
    return (
        _tie("note3.set_aside.2910", f"Note {number} avsatt = ubrukte tilskudd (2910)",
             total(lambda f: f.set_aside, note["set_aside"]),
             ledger_sum("liability", balance=True), why("liability", balance=True)),
        _tie("note3.carried.2910",
             f"Note {number} overført fra tidligere år = ubrukte tilskudd (2910, {compared})",
             total(lambda f: f.carried, note["carried"]), first_of_january("liability")),
        _tie("note3.actual_use.3400", f"Note {number} faktisk bruk = tilskuddsinntekt (3400)",
             total(lambda f: f.used, note["used"]), ledger_sum("income", balance=False),
             why("income", balance=False)),
        _tie("note3.receivable.1570",
             f"Note {number} tildelt og ikke mottatt = tilskuddsfordringer (1570)",
             total(lambda f: f.not_received + f.old_receivable_open,
                   receivable_drill(every, end)),
             receivables(), why("receivable", balance=True)),
        *deferred_opening,
        _tie("note13.investment_grants.2930",
             "Note 13 statsbudsjettbevilgning benyttet på investeringer = 2930",
             total(lambda f: f.deferred_closing, invested[INVESTMENT_LINE]),
             ledger_sum("deferred", balance=True), why("deferred", balance=True)),
        _tie("note3.investment_income.3920", "Inntektsført investeringstilskudd = 3920",
             total(lambda f: f.investment_income, invested["recognised_as_income"]),
             ledger_sum("investment_income", balance=False),
             why("investment_income", balance=False)),
    )


def build(ledger: Ledger, year: int) -> NoteResult | None:
    """Note 3's figures for ``year``, for the notes layout's tables: the row sets ``rows`` and
    ``grants`` (:func:`groups`) and, when the grants were used on investments, the figures
    ``investment`` (:func:`investment_figures`); None when the ledger declares no grant."""
    grants = declared_grants(ledger.entries, ledger.options_map)
    if not grants:
        return None
    opening = (opening_balance_in(ledger, year), opening_balance_in(ledger, year - 1))
    figures = list(grant_years(ledger.entries, grants, year, opening[0]).values())
    before = list(grant_years(ledger.entries, grants, year - 1, opening[1]).values())
    given = {}
    if any(f.deferred_opening or f.deferred_closing or f.invested for f in figures + before):
        given["investment"] = investment_figures(figures, before, year, list(grants.values()),
                                                 opening)
    note = Note("3", "Offentlig tilskudd", ())
    return NoteResult(note, tieouts(ledger, grants, figures, year, opening[0]),
                      figures=given, groups=groups(grants, [f for f in figures if _in_note(f)],
                                                   year, opening[0]))


def investment_grant_line(ledger: Ledger, year: int) -> NoteRow:
    """Note 13's row ``state_budget_appropriation_used_on_investments`` (2930 at year end)."""
    grants = declared_grants(ledger.entries, ledger.options_map)
    values: dict[str, Decimal | None] = {
        str(y): sum((f.deferred_closing for f in grant_years(ledger.entries, grants, y).values()),
                    ZERO)
        for y in (year, year - 1)
    }
    return NoteRow(INVESTMENT_LINE, "Statsbudsjettbevilgning benyttet på investeringer", values)
