"""Plugin: e-health income in step with D&F cost; the unused part stays a liability (note 2).

The rule (annual report 2024, notes 1 and 2): NHN invoices the actors for the operation and
management (D&F) of the national e-health solutions; what is invoiced is first a liability
("Forpliktelser nasjonale e-helseløsninger", 2920). Income ("Inntekt nasjonale
e-helseløsninger", 3000) is recognised *in step with the costs incurred* (i takt med
kostnadspådraget), per solution. What is invoiced and not used stays a liability and is paid back
through lower invoicing later (a later year invoiced below its cost draws on it) or by an explicit
repayment (``nhnfin-ehealth-repayment``).

Per solution and period (monthly by default, option ``"recognition"``), at the period's last day
the plugin books ``Dr 2920 / Cr 3000`` so that income so far this year equals
``min(cost so far this year, liability carried in + invoiced so far this year)``. Cost is every
posting to a 4000-7999 account carrying ``solution: "<id>"`` (on the posting or the transaction);
invoiced is every other posting to 2920 with that ``solution`` (credit notes and repayments
count negative). Cost beyond what is available is *under-coverage*: it is not recognised, and it
is a finding of the year (:class:`nhnfin.model.Finding`, shown in the report, not a ledger
error: NHN bears the cost), located at the cost entry that went beyond what was available. The
liability never goes below zero: a repayment of more than it carries for the solution at the
end of its date (after the day's invoices, costs and credit notes) is an error at the repayment
and is not booked; a hand-written debit (a credit note) that takes it below zero, after the
day's invoices, is an error at that entry. A day's flows are taken in one order
(:func:`day_order`), never in the order they are written or sorted in. Invoices are ordinary
transactions (``nhnfin invoice-basis --format beancount`` writes them).

Plugin line and directives (see :mod:`nhnfin.ehealth.directives`)::

    plugin "nhnfin.ehealth"
    2024-01-01 custom "nhnfin-ehealth-solution" "kjernejournal" "Kjernejournal"

Before::

    2024-01-15 * "Faktura Kjernejournal 2024"
      Assets:1500-TradeReceivables:Helse-Vest    1000.00 NOK
      Liabilities:2920-EHealthObligations       -1000.00 NOK
        solution: "kjernejournal"
    2024-01-31 * "Drift Kjernejournal"
      solution: "kjernejournal"
      Expenses:6700-ExternalServices              300.00 NOK
      Assets:1920-Bank                           -300.00 NOK

After (added; generated entries are reproducible from the ledger alone)::

    2024-01-31 * "Inntektsføring nasjonale e-helseløsninger: Kjernejournal 2024-01"
      #nhnfin-generated
      nhnfin-rule: "ehealth-income"
      nhnfin-source: "ledger.beancount:2"
      solution: "kjernejournal"
      Liabilities:2920-EHealthObligations         300.00 NOK
      Income:3000-EHealthRevenue                 -300.00 NOK

The liability then holds 700.00 NOK for Kjernejournal, carried to the next year.
"""

from __future__ import annotations

import calendar
import datetime
from collections import defaultdict
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Iterator
from decimal import Decimal
from itertools import chain
from typing import Any
from typing import NamedTuple

from beancount.core import amount
from beancount.core import data

from nhnfin import drill as drills
from nhnfin.accounts import account_number
from nhnfin.accounts import is_under
from nhnfin.config import keep_findings
from nhnfin.config import repeated_meta_keys
from nhnfin.config import transactions_touching
from nhnfin.ehealth.basis import groups_without_anyone
from nhnfin.ehealth.basis import merger_problems
from nhnfin.ehealth.directives import PREFIX
from nhnfin.ehealth.directives import EHealthConfig
from nhnfin.ehealth.directives import Options
from nhnfin.ehealth.directives import Period
from nhnfin.ehealth.directives import Repayment
from nhnfin.ehealth.directives import Solution
from nhnfin.ehealth.directives import parse
from nhnfin.errors import NhnfinError
from nhnfin.errors import location
from nhnfin.errors import printable_errors
from nhnfin.errors import pseudo_source
from nhnfin.lock_guard import per_rule_line
from nhnfin.model import Drill
from nhnfin.model import Finding
from nhnfin.model import norwegian_date
from nhnfin.money import MAX_AMOUNT
from nhnfin.money import ZERO
from nhnfin.money import norwegian
from nhnfin.money import posting_over_limit
from nhnfin.provenance import GENERATED_TAG
from nhnfin.provenance import generated_meta

__plugins__ = ("plugin",)

RULE = "ehealth-income"
# BQL: a posting not of this rule's recognition entries (the cost basis and the
# under-coverage drill read the costs without them)
NOT_RECOGNITION = f"COALESCE(str(entry_meta('nhnfin-rule')), '') != '{RULE}'"
REPAYMENT_RULE = "ehealth-repayment"
COST_NUMBERS = range(4000, 8000)



class Flow(NamedTuple):
    """One posting's cost or invoiced amount for a solution, and where it is (``repayment``:
    the entry is a generated ``nhnfin-ehealth-repayment``)."""

    date: datetime.date
    cost: Decimal
    invoiced: Decimal
    meta: dict[str, Any]
    repayment: bool = False
    account: str = ""


class Recognition(NamedTuple):
    """What :func:`recognise` finds for one solution: the income entries, the errors, the
    findings (under-coverage) and the repayments refused (their directives' ``file:line``)."""

    entries: list[data.Transaction]
    errors: list[NhnfinError]
    findings: list[Finding]
    refused: set[str]


@printable_errors
def plugin(entries: list[Any], options_map: dict[str, Any], config_str: str | None = None
           ) -> tuple[list[Any], list[NhnfinError]]:
    """Recognise e-health income per solution in step with its cost (see the module docstring)."""
    generated, errors = generate(entries, options_map, config_str)
    errors = [*errors, *per_rule_line(
        entries, options_map, ("nhnfin.ehealth", "nhnfin.ehealth.plugin"))]
    return sorted([*entries, *generated], key=data.entry_sortkey), errors


def generate(entries: list[Any], options_map: dict[str, Any], config_str: str | None = None
             ) -> tuple[list[data.Transaction], list[NhnfinError]]:
    """The repayment and income entries the rule adds (unsorted), and the errors found."""
    del options_map
    config, errors = parse(entries)
    errors += [*groups_without_anyone(config), *merger_problems(config)]
    # the invoice basis (actors, population) is validated and not read below: freed now
    config = config.model_copy(update={"actors": {}, "population": ()})
    errors += repeated_meta_keys(entries, (PREFIX,))
    if config_str:
        errors.append(NhnfinError(pseudo_source("ehealth"), "nhnfin.ehealth tar ingen "
                                  "konfigurasjonstekst; bruk custom "
                                  "\"nhnfin-ehealth-options\"", None))
    repayments = [repayment_entry(r, config.options_at(r.date)) for r in config.repayments
                  if r.solution in config.solutions]
    flows, flow_errors = collect(chain(relevant(entries, config), repayments), config)
    generated: list[data.Transaction] = []
    refused: set[str] = set()
    found: list[Finding] = []
    for sid in sorted(flows):
        result = recognise(config.solutions[sid], flows[sid], config.options_at)
        generated.extend(result.entries)
        errors.extend(result.errors)
        refused |= result.refused
        found.extend(result.findings)
    keep_findings("ehealth", found)  # the finder's, whatever order the load sorts a day into
    booked = [r for r in repayments if location(r.meta) not in refused]
    return [*booked, *generated], [*errors, *flow_errors]


def findings(entries: list[Any], options_map: dict[str, Any]) -> list[Finding]:
    """Under-coverage in a loaded ledger (registered in :data:`nhnfin.findings.FINDER_PATHS`):
    the rule run again on the booked entries (the repayments booked are among them)."""
    del options_map
    config, _ = parse(entries)
    if not config.solutions:
        return []
    flows, _ = collect(entries, config)
    return [f for sid in sorted(flows)
            for f in recognise(config.solutions[sid], flows[sid], config.options_at).findings]


def day_order(flow: Flow) -> tuple[datetime.date, int, str, int]:
    """Where ``flow`` stands among its solution's flows (:func:`recognise` takes them in this
    order; the plugin's run and the finder's rerun on the loaded entries both do): by date, and
    within a day the day's invoices (credits to the liability) first, then its costs, then
    other debits to the liability (credit notes), and the explicit repayments last, each kind
    in the order of its file and line. So a repayment pays out what the liability carries at
    the end of its day, whatever order the day's entries are written in, and whatever order the
    rules' entries and Beancount's sort give them (a transaction's flows keep their posting
    order: the sort is stable)."""
    date, cost, invoiced, meta, repayment, _ = flow
    rank = 3 if repayment else 1 if cost else 0 if invoiced >= 0 else 2
    return date, rank, str(meta.get("filename", "")), int(meta.get("lineno", 0))


def _meta(source: dict[str, Any], rule: str, solution: str, **extra: str) -> dict[str, Any]:
    return generated_meta(rule, source, "<nhnfin.ehealth>", solution=solution, **extra)


def _posting(account: str, number: Decimal, solution: str) -> data.Posting:
    return data.Posting(account, amount.Amount(number, "NOK"), None, None, None,
                        {"solution": solution})


def repayment_entry(repayment: Repayment, options: Options) -> data.Transaction:
    """The transaction of an explicit repayment: Dr liability / Cr the given account."""
    return data.Transaction(
        _meta(repayment.meta, REPAYMENT_RULE, repayment.solution), repayment.date, "*", None,
        f"Tilbakebetaling ubenyttede midler: {repayment.solution}", frozenset({GENERATED_TAG}),
        frozenset(), [_posting(options.liability, repayment.amount, repayment.solution),
                      _posting(repayment.account, -repayment.amount, repayment.solution)])


def _kind(account: str, liability: str) -> tuple[bool, bool]:
    """Whether ``account`` is the liability (or below it), and whether it is a cost account."""
    is_liability = is_under(account, liability)
    return is_liability, account_number(account) in COST_NUMBERS


DEFAULT_LIABILITY = Options().liability


def _liability_at(liabilities: list[tuple[datetime.date, str]], date: datetime.date) -> str:
    """The liability account in force on ``date`` (the options act from their date)."""
    found = DEFAULT_LIABILITY
    for since, account in liabilities:
        if since > date:
            break
        found = account
    return found


def relevant(entries: list[Any], config: EHealthConfig) -> Iterator[Any]:
    """The transactions :func:`collect` can take anything from: those posting to a liability
    account (of any date's options) and those with a ``solution`` (the shared index of a plugin
    run; outside one, every entry). A cost posting of no solution is not the rule's: it reads
    no amount of it (the report's own reading names one beyond MAX_AMOUNT)."""
    liabilities = {DEFAULT_LIABILITY, *(o.liability for _, o in config.dated_options)}
    return transactions_touching(
        entries, lambda account: any(_kind(account, x)[0] for x in liabilities), ("solution",))


def collect(entries: Iterable[Any], config: EHealthConfig
            ) -> tuple[dict[str, list[Flow]], list[NhnfinError]]:
    """Cost and invoiced amounts per solution, from the postings (recognition entries skipped)."""
    flows: dict[str, list[Flow]] = defaultdict(list)
    errors: list[NhnfinError] = []
    kinds: dict[str, dict[str, tuple[bool, bool]]] = {}  # liability -> account -> kind
    # date -> the liability in force on it and its accounts' kinds (a day's entries share one)
    on_day: dict[datetime.date, tuple[str, dict[str, tuple[bool, bool]]]] = {}
    liabilities = [(d, o.liability) for d, o in config.dated_options]
    solutions = config.solutions
    new_flow = tuple.__new__  # a Flow without the Python frame of its __new__ (every field given)
    low, high = -MAX_AMOUNT, MAX_AMOUNT
    for entry in entries:
        if not isinstance(entry, data.Transaction):
            continue
        meta = entry.meta
        rule = meta.get("nhnfin-rule")
        if rule == RULE:
            continue
        date = entry.date
        day = on_day.get(date)
        if day is None:
            liability = _liability_at(liabilities, date)
            day = on_day[date] = liability, kinds.setdefault(liability, {})
        liability, known = day
        repayment = rule == REPAYMENT_RULE
        default = meta.get("solution")  # the entry's, unless a posting names its own
        for posting in entry.postings:
            account = posting.account
            kind = known.get(account)
            if kind is None:
                kind = known[account] = _kind(account, liability)
            is_liability, is_cost = kind
            if not (is_liability or is_cost):  # most postings: decided by the account alone
                continue
            own = posting.meta
            value = own.get("solution", default) if own else default
            sid = None if value is None else str(value)
            if sid is None and not is_liability:  # a cost of no solution: not the rule's
                continue
            units = posting.units
            number = units.number if units is not None else None
            if number is None:
                continue
            if not low < number < high:  # abs(number) < MAX_AMOUNT, without a new Decimal
                errors.append(NhnfinError(entry.meta, posting_over_limit(posting.account, number),
                                          entry))
                continue
            if sid is None:
                errors.append(NhnfinError(entry.meta, f"posteringen på {posting.account} har "
                                          "ingen løsning: legg til solution: \"<id>\"", entry))
                continue
            if sid not in solutions:  # the error at the mark: lock_guard.dangling_marks
                continue
            flows[sid].append(new_flow(Flow, (date, number, ZERO, meta, repayment, account)
                                       if is_cost else
                                       (date, ZERO, -number, meta, repayment, account)))
    return flows, errors


def period_ends(year: int, recognition: Period) -> list[tuple[str, datetime.date]]:
    """Label and last day of each recognition period of ``year``."""
    months = {"monthly": range(1, 13), "quarterly": (3, 6, 9, 12), "annual": (12,)}[recognition]
    return [(f"{year}-{m:02d}" if recognition == "monthly" else
             (f"{year}-Q{m // 3}" if recognition == "quarterly" else str(year)),
             datetime.date(year, m, calendar.monthrange(year, m)[1])) for m in months]


def recognise(solution: Solution, flows: list[Flow],
              options_at: Callable[[datetime.date], Options]) -> Recognition:
    """The recognition entries of one solution, year by year; the liability kept at zero or
    above (see the module docstring); the year's under-coverage as a finding. Each period is
    booked with the options in force at its end (``options_at``: options act from their date).
    Within a day the flows are taken in :func:`day_order`, never in the order given."""
    flows = sorted(flows, key=day_order)
    out = Recognition([], [], [], set())
    balance, index = ZERO, 0
    for year in range(flows[0].date.year, flows[-1].date.year + 1):
        cost = invoiced = recognised = ZERO
        costs: list[Flow] = []
        booked = len(out.entries)
        for label, end in period_ends(year, options_at(datetime.date(year, 1, 1)).recognition):
            while index < len(flows) and flows[index].date <= end:
                flow = flows[index]
                index += 1
                if flow.invoiced < ZERO:  # a debit: what the liability carries before it
                    carried = balance + invoiced - recognised
                    if carried + flow.invoiced < ZERO:
                        out.errors.append(_below_zero(solution, flow, carried))
                        if flow.repayment:
                            out.refused.add(location(flow.meta))
                            continue
                cost, invoiced = cost + flow.cost, invoiced + flow.invoiced
                if flow.cost:
                    costs.append(flow)
            target = min(cost, max(balance + invoiced, ZERO))
            if target != recognised:
                out.entries.append(_income(solution, end, label, target - recognised,
                                           options_at(end)))
                recognised = target
        balance += invoiced - recognised
        if cost > recognised:
            trail = under_coverage_drill(solution.id, year, costs, out.entries[booked:])
            out.findings.append(_under_coverage(solution, year, cost, recognised, costs, trail))
    return out


def _named(solution: Solution) -> str:
    """The solution as a message names it: ``Kjernejournal (kj)``; its name alone when that is
    its id (``kjernejournal``)."""
    if solution.name.casefold() in ("", solution.id.casefold()):
        return solution.name or solution.id
    return f"{solution.name} ({solution.id})"


def _below_zero(solution: Solution, flow: Flow, carried: Decimal) -> NhnfinError:
    """The error for a debit to the liability beyond what it carries for ``solution``."""
    carried = max(carried, ZERO)
    if flow.repayment:
        return NhnfinError(flow.meta, (
            f"tilbakebetalingen på {norwegian(-flow.invoiced)} NOK for {_named(solution)} "
            f"{norwegian_date(flow.date)} er mer enn forpliktelsen har for den "
            f"({norwegian(carried)} NOK); ingenting er bokført"), None)
    return NhnfinError(flow.meta, (
        f"posteringen på {norwegian(-flow.invoiced)} NOK mot forpliktelsen for "
        f"{_named(solution)} {norwegian_date(flow.date)} tar den under null: den har "
        f"{norwegian(carried)} NOK (det er ført mer til kredit enn det som var overført og "
        "fakturert)"), None)


def under_coverage_drill(solution: str, year: int, costs: list[Flow],
                         income: list[data.Transaction]) -> Drill:
    """What makes a year's under-coverage: the solution's cost postings of the year (as
    :func:`collect` takes them: a cost account, the ``solution`` of the posting or else its
    entry, not a recognition entry) less the year's recognition entries' postings on the
    liability (``income``: the entries :func:`recognise` made for the year)."""
    start, end = datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1)
    named = f"{drills.meta_value('solution')} = {drills.literal(solution)}"
    cost = drills.postings(sorted({f.account for f in costs}), start, end,
                           condition=f"{named} AND {NOT_RECOGNITION}",
                           condition_text=f"D&F-kostnad for {solution}")
    booked = sorted({e.postings[0].account for e in income})
    recognised = drills.postings(
        booked, start, end,
        condition=f"str(entry_meta('nhnfin-rule')) = '{RULE}' AND "
                  f"str(meta('solution')) = {drills.literal(solution)}",
        condition_text=f"inntektsført for {solution} av regelen {RULE}")
    return drills.total(((1, cost), (-1, recognised)), "Underdekning")


def _under_coverage(solution: Solution, year: int, cost: Decimal, recognised: Decimal,
                    costs: list[Flow], trail: Drill) -> Finding:
    """The finding for a year's cost beyond what was available, at the cost entry from which
    the year's cost was no longer covered."""
    running, meta = ZERO, solution.meta
    for flow in costs:
        running += flow.cost
        if running > recognised:
            meta = flow.meta
            break
    short = cost - recognised
    return Finding("ehealth-under-coverage", (
        f"Underdekning {_named(solution)} {year}: D&F-kostnad {norwegian(cost)} NOK overstiger "
        f"det som var tilgjengelig (overført + fakturert) med {norwegian(short)} NOK; ikke "
        "inntektsført (foretaket bærer kostnaden)"), str(meta.get("filename", "<unknown>")),
        int(meta.get("lineno", 0)), year, short, trail)


def _income(solution: Solution, end: datetime.date, label: str, number: Decimal,
            options: Options) -> data.Transaction:
    return data.Transaction(
        _meta(solution.meta, RULE, solution.id, period=label), end, "*", None,
        f"Inntektsføring nasjonale e-helseløsninger: {solution.name} {label}",
        frozenset({GENERATED_TAG}), frozenset(),
        [_posting(options.liability, number, solution.id),
         _posting(options.income, -number, solution.id)])
