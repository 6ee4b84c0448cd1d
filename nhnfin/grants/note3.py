"""Note 3 "Offentlig tilskudd": the use of public grants, per note row and in sum.

Columns and keys follow the published note (``carried_from_previous_years``,
``grant_not_received_<year>``, ``grant_<year>``, ``available_<year>``, ``actual_use_<year>``,
``set_aside_for_<year+1>``). When a grant was used on investments, repaid or reallocated in the
year, a column for each such event is added before ``set_aside_for_<year+1>`` so that every row
still adds up: set aside = available + reallocated − use − investments − repaid.

Rows are the grants' ``note-row`` keys (several grants may share one; the label is the first
grant's ``note-label`` or name) and ``total``. When a row holds several grants a second table
shows them one by one. A third table follows the deferred investment grant (the note-13 line
``state_budget_appropriation_used_on_investments``). Tie-outs: set aside = the liability (2910)
balance, actual use = grant income (3400), the investment table = 2930 and 3920.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal

from nhnfin import drill as drills
from nhnfin.grants.figures import GrantYear
from nhnfin.grants.figures import accounts_under
from nhnfin.grants.figures import declared_grants
from nhnfin.grants.figures import grant_years
from nhnfin.grants.models import Grant
from nhnfin.grants.usage import USE_RULES
from nhnfin.grants.usage import by_rule
from nhnfin.grants.usage import grant_condition
from nhnfin.ledger import Ledger
from nhnfin.model import Column
from nhnfin.model import Drill
from nhnfin.model import Kind
from nhnfin.model import Note
from nhnfin.model import NoteRow
from nhnfin.model import NoteTable
from nhnfin.model import Status
from nhnfin.model import TableCheck
from nhnfin.model import TieOut
from nhnfin.money import ZERO
from nhnfin.notes import NoteResult

INVESTMENT_LINE = "state_budget_appropriation_used_on_investments"
Value = Callable[[GrantYear], Decimal]


def columns(year: int, extra: set[str]) -> list[tuple[Column, Value]]:
    """The note's columns for ``year`` with the value each takes from a :class:`GrantYear`."""
    optional: list[tuple[Column, Value]] = [
        (Column(f"used_on_investments_{year}", f"Benyttet på investeringer {year}"),
         lambda g: g.invested),
        (Column(f"repaid_{year}", f"Tilbakebetalt {year}"), lambda g: g.repaid),
        (Column(f"reallocated_{year}", f"Omdisponert {year}"), lambda g: g.reallocated),
    ]
    return [
        (Column("carried_from_previous_years", "Overført fra tidligere år"), lambda g: g.carried),
        (Column(f"grant_not_received_{year}", f"Ikke mottatt tilskudd {year}"),
         lambda g: g.not_received),
        (Column(f"grant_{year}", f"Tilskudd {year}"), lambda g: g.granted),
        (Column(f"available_{year}", f"Disponibelt {year}"), lambda g: g.available),
        (Column(f"actual_use_{year}", f"Faktisk bruk {year}"), lambda g: g.used),
        *[(c, v) for c, v in optional if c.key.rsplit("_", 1)[0] in extra],
        (Column(f"set_aside_for_{year + 1}", f"Avsatt til {year + 1}"), lambda g: g.set_aside),
    ]


def _extra_columns(figures: list[GrantYear]) -> set[str]:
    names = {"used_on_investments": "invested", "repaid": "repaid", "reallocated": "reallocated"}
    return {key for key, attr in names.items() if any(getattr(f, attr) for f in figures)}


def _in_note(figure: GrantYear) -> bool:
    return any((figure.available, figure.used, figure.invested, figure.repaid,
                figure.reallocated, figure.set_aside))


def _not_received(grant: Grant, figure: GrantYear, year: int) -> Drill:
    """What :func:`nhnfin.grants.figures.grant_years` counts as not received: the year's
    debits to the receivable while an older receivable is still open at year end, else the
    receivable's whole balance at year end."""
    start, end = datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1)
    linked = grant_condition([grant.id])
    if figure.old_receivable_open > 0:
        return drills.postings((grant.receivable,), start, end, side="debit", condition=linked,
                               condition_text=f"knyttet til {grant.id}, tilført i året")
    return drills.postings((grant.receivable,), None, end, condition=linked,
                           condition_text=f"knyttet til {grant.id}, åpent ved årets slutt")


def _receivable_drills(grants: list[Grant], figures: dict[str, GrantYear], funding: Drill,
                       year: int) -> dict[str, Drill]:
    """Not received (per grant, summed over the row) and the grant for the year (the year's
    funding less what was not received)."""
    open_ = drills.total(((1, _not_received(g, figures[g.id], year)) for g in grants),
                         f"Ikke mottatt tilskudd {year}")
    return {f"grant_not_received_{year}": open_,
            f"grant_{year}": drills.total(((1, funding), (-1, open_)), f"Tilskudd {year}")}


def _drill(grants: list[Grant], year: int,
           figures: dict[str, GrantYear] | None = None) -> dict[str, Drill]:
    """The 2910 postings linked to the row's grants behind each column, classified as
    :mod:`nhnfin.grants.figures` classifies them (by the generating rule)."""
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
    funding = linked_postings(start, end, -1, f"NOT ({by_rule(USE_RULES.values())})",
                              "tilført i året")
    result = {
        "carried_from_previous_years": carried,
        f"available_{year}": drills.total(((1, carried), (1, funding)), f"Disponibelt {year}"),
        f"set_aside_for_{year + 1}": linked_postings(None, end, -1),
    }
    if figures is not None:
        result.update(_receivable_drills(grants, figures, funding, year))
    for name, rule in USE_RULES.items():
        key = "actual_use" if name == "used" else {"invested": "used_on_investments"}.get(
            name, name)
        sign = -1 if name == "reallocated" else 1
        result[f"{key}_{year}"] = linked_postings(start, end, sign, by_rule([rule]),
                                                  f"bokført av regelen {rule}")
    return result


def _row(key: str, label: str, cols: list[tuple[Column, Value]], figures: list[GrantYear], *,
         kind: Kind = Kind.ITEM, drill: dict[str, Drill] | None = None) -> NoteRow:
    values: dict[str, Decimal | None] = {
        col.key: sum((value(f) for f in figures), ZERO) for col, value in cols
    }
    shown = {k: d for k, d in (drill or {}).items() if k in values}
    return NoteRow(key, label, values, kind, drill=shown)


def checks(year: int, header: tuple[Column, ...], rows: tuple[str, ...]) -> tuple[TableCheck, ...]:
    """Each row: available = carried + not received + grant; set aside = available − use (less
    what went to investments, was repaid or reallocated); the sum row adds the rows."""
    keys = {c.key for c in header}
    spent = [f"actual_use_{year}", f"used_on_investments_{year}", f"repaid_{year}",
             f"reallocated_{year}"]
    return (
        TableCheck("columns", f"available_{year}", ((1, "carried_from_previous_years"),
                   (1, f"grant_not_received_{year}"), (1, f"grant_{year}"))),
        TableCheck("columns", f"set_aside_for_{year + 1}",
                   ((1, f"available_{year}"), *((-1, k) for k in spent if k in keys))),
        TableCheck("rows", "total", tuple((1, r) for r in rows)),
    )


def _sum_drill(rows: list[NoteRow]) -> dict[str, Drill]:
    """The sum row's drills: the postings of every row, column by column."""
    keys = set.intersection(*(set(r.drill) for r in rows)) if rows else set()
    return {k: drills.total(((1, r.drill[k]) for r in rows), "Sum") for k in sorted(keys)}


def _tables(grants: dict[str, Grant], figures: list[GrantYear], year: int) -> list[NoteTable]:
    cols = columns(year, _extra_columns(figures))
    by_id = {f.grant: f for f in figures}
    by_row: dict[str, list[GrantYear]] = {}
    for figure in figures:
        by_row.setdefault(grants[figure.grant].note_row, []).append(figure)
    rows = [
        _row(key, grants[group[0].grant].label, cols, group,
             drill=_drill([grants[f.grant] for f in group], year, by_id))
        for key, group in by_row.items()
    ]
    rows.append(_row("total", "Sum", cols, figures, kind=Kind.TOTAL, drill=_sum_drill(rows)))
    header = tuple(c for c, _ in cols)
    tables = [NoteTable("Spesifikasjon over bruk", header, tuple(rows),
                        checks=checks(year, header, tuple(r.key for r in rows[:-1])))]
    if any(len(group) > 1 for group in by_row.values()):
        per_grant = [_row(f.grant, grants[f.grant].name, cols, [f],
                          drill=_drill([grants[f.grant]], year, by_id)) for f in figures]
        per_grant.append(_row("total", "Sum", cols, figures, kind=Kind.TOTAL,
                              drill=_sum_drill(per_grant)))
        tables.append(NoteTable("Spesifikasjon per tilskudd", header, tuple(per_grant),
                                checks=checks(year, header,
                                              tuple(r.key for r in per_grant[:-1]))))
    return tables


def investment_drills(grants: list[Grant], year: int) -> dict[str, Drill]:
    """The postings behind the deferred investment grant's lines for ``year``: 2930 before
    and up to the year's end, the year's investment postings on 2910 and its income (3920)."""
    start, end = datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1)
    linked = grant_condition([g.id for g in grants])
    words = "knyttet til " + ", ".join(g.id for g in grants)
    deferred = tuple(sorted({g.deferred for g in grants}))
    income = tuple(sorted({g.investment_income for g in grants}))
    liability = tuple(sorted({g.liability for g in grants}))
    invested = f"{linked} AND {by_rule([USE_RULES['invested']])}"
    return {
        "deferred_opening": drills.postings(deferred, None, start, sign=-1, condition=linked,
                                            condition_text=words),
        "used_on_investments": drills.postings(liability, start, end, condition=invested,
                                               condition_text=f"{words}, brukt på investeringer"),
        "recognised_as_income": drills.postings(income, start, end, sign=-1, condition=linked,
                                                condition_text=words),
        INVESTMENT_LINE: drills.postings(deferred, None, end, sign=-1, condition=linked,
                                         condition_text=words),
    }


def investment_table(now: list[GrantYear], before: list[GrantYear], year: int,
                     grants: list[Grant] | None = None) -> NoteTable:
    """The deferred investment grant for ``year`` and the year before (note 13's line)."""
    rows = []
    lines: list[tuple[str, str, Value]] = [
        ("deferred_opening", "Utsatt investeringstilskudd 1.1.", lambda g: g.deferred_opening),
        ("used_on_investments", "Tilskudd benyttet på investeringer", lambda g: g.invested),
        ("recognised_as_income", "Inntektsført i takt med avskrivninger (andre inntekter)",
         lambda g: g.investment_income),
        (INVESTMENT_LINE, "Statsbudsjettbevilgning benyttet på investeringer",
         lambda g: g.deferred_closing),
    ]
    trails = {y: investment_drills(grants, y) for y in (year, year - 1)} if grants else {}
    for key, label, value in lines:
        values: dict[str, Decimal | None] = {
            str(year): sum((value(f) for f in now), ZERO),
            str(year - 1): sum((value(f) for f in before), ZERO),
        }
        drill = {str(y): d[key] for y, d in trails.items()}
        rows.append(NoteRow(key, label, values, Kind.TOTAL if key == INVESTMENT_LINE else
                            Kind.ITEM, drill=drill))
    cols = (Column(str(year), str(year)), Column(str(year - 1), str(year - 1)))
    return NoteTable("Offentlig tilskudd benyttet på investeringer", cols, tuple(rows))


def _tie(check_id: str, description: str, left: Decimal, right: Decimal,
         drills: tuple[Drill | None, Drill | None] = (None, None)) -> TieOut:
    status = Status.PASSED if left == right else Status.FAILED
    return TieOut(check_id, description, left, right, status,
                  left_drill=drills[0], right_drill=drills[1])


def tieouts(ledger: Ledger, grants: dict[str, Grant], figures: list[GrantYear],
            year: int) -> tuple[TieOut, ...]:
    """Note 3 against the balance sheet and the income statement."""
    def ledger_sum(role: str, balance: bool) -> Decimal:
        accounts = accounts_under(ledger.accounts(), {getattr(g, role) for g in grants.values()})
        total = ledger.closing(accounts, year) if balance else ledger.movement(accounts, year)
        return -total

    def total(value: Value) -> Decimal:
        return sum((value(f) for f in figures), ZERO)

    return (
        _tie("note3.set_aside.2910", "Note 3 avsatt = ubrukte tilskudd (2910)",
             total(lambda f: f.set_aside), ledger_sum("liability", balance=True)),
        _tie("note3.actual_use.3400", "Note 3 faktisk bruk = tilskuddsinntekt (3400)",
             total(lambda f: f.used), ledger_sum("income", balance=False)),
        _tie("note13.investment_grants.2930",
             "Note 13 statsbudsjettbevilgning benyttet på investeringer = 2930",
             total(lambda f: f.deferred_closing), ledger_sum("deferred", balance=True),
             (investment_drills(list(grants.values()), year)[INVESTMENT_LINE],
              drills.postings(sorted(accounts_under(ledger.accounts(),
                                                    {g.deferred for g in grants.values()})),
                              None, datetime.date(year + 1, 1, 1), sign=-1))),
        _tie("note3.investment_income.3920", "Inntektsført investeringstilskudd = 3920",
             total(lambda f: f.investment_income),
             ledger_sum("investment_income", balance=False)),
    )


def build(ledger: Ledger, year: int) -> NoteResult | None:
    """Note 3 for ``year``; None when the ledger declares no grant."""
    grants = declared_grants(ledger.entries, ledger.options_map)
    if not grants:
        return None
    figures = list(grant_years(ledger.entries, grants, year).values())
    tables = _tables(grants, [f for f in figures if _in_note(f)], year)
    before = list(grant_years(ledger.entries, grants, year - 1).values())
    if any(f.deferred_opening or f.deferred_closing or f.invested for f in figures + before):
        tables.append(investment_table(figures, before, year, list(grants.values())))
    note = Note("3", "Offentlig tilskudd", tuple(tables))
    return NoteResult(note, tieouts(ledger, grants, figures, year))


def investment_grant_line(ledger: Ledger, year: int) -> NoteRow:
    """Note 13's row ``state_budget_appropriation_used_on_investments`` (2930 at year end)."""
    grants = declared_grants(ledger.entries, ledger.options_map)
    values: dict[str, Decimal | None] = {
        str(y): sum((f.deferred_closing for f in grant_years(ledger.entries, grants, y).values()),
                    ZERO)
        for y in (year, year - 1)
    }
    return NoteRow(INVESTMENT_LINE, "Statsbudsjettbevilgning benyttet på investeringer", values)
