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
count negative). Cost beyond what is available is *under-coverage*: it is not recognised and is
reported at year end as a warning ("warning: ..." error) at the solution's directive. Invoices
are ordinary transactions (``nhnfin invoice-basis --format beancount`` writes them).

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
from decimal import Decimal
from typing import Any

from beancount.core import amount
from beancount.core import data

from nhnfin.accounts import account_number
from nhnfin.ehealth.directives import EHealthConfig
from nhnfin.ehealth.directives import Options
from nhnfin.ehealth.directives import Period
from nhnfin.ehealth.directives import Repayment
from nhnfin.ehealth.directives import Solution
from nhnfin.ehealth.directives import parse
from nhnfin.errors import NhnfinError
from nhnfin.errors import pseudo_source
from nhnfin.money import MAX_AMOUNT
from nhnfin.money import ZERO
from nhnfin.provenance import generated_meta

__plugins__ = ("plugin",)

RULE = "ehealth-income"
REPAYMENT_RULE = "ehealth-repayment"
TAG = "nhnfin-generated"
COST_NUMBERS = range(4000, 8000)

# (date, cost, invoiced) per solution, in ledger order
Flow = tuple[datetime.date, Decimal, Decimal]


def plugin(entries: list[Any], options_map: dict[str, Any], config_str: str | None = None
           ) -> tuple[list[Any], list[NhnfinError]]:
    """Recognise e-health income per solution in step with its cost (see the module docstring)."""
    generated, errors = generate(entries, options_map, config_str)
    return sorted([*entries, *generated], key=data.entry_sortkey), errors


def generate(entries: list[Any], options_map: dict[str, Any], config_str: str | None = None
             ) -> tuple[list[data.Transaction], list[NhnfinError]]:
    """The repayment and income entries the rule adds (unsorted), and the errors found."""
    del options_map
    config, errors = parse(entries)
    if config_str:
        errors.append(NhnfinError(pseudo_source("ehealth"), "nhnfin.ehealth takes no config "
                                  "string; use custom \"nhnfin-ehealth-options\"", None))
    repayments = [repayment_entry(r, config.options) for r in config.repayments
                  if r.solution in config.solutions]
    flows, flow_errors = collect([*entries, *repayments], config)
    generated: list[data.Transaction] = []
    for sid in sorted(flows):
        new, year_errors = recognise(config.solutions[sid], flows[sid], config.options)
        generated.extend(new)
        errors.extend(year_errors)
    return [*repayments, *generated], [*errors, *flow_errors]


def _meta(source: dict[str, Any], rule: str, solution: str, **extra: str) -> dict[str, Any]:
    return generated_meta(rule, source, "<nhnfin.ehealth>", solution=solution, **extra)


def _posting(account: str, number: Decimal, solution: str) -> data.Posting:
    return data.Posting(account, amount.Amount(number, "NOK"), None, None, None,
                        {"solution": solution})


def repayment_entry(repayment: Repayment, options: Options) -> data.Transaction:
    """The transaction of an explicit repayment: Dr liability / Cr the given account."""
    return data.Transaction(
        _meta(repayment.meta, REPAYMENT_RULE, repayment.solution), repayment.date, "*", None,
        f"Tilbakebetaling ubenyttede midler: {repayment.solution}", frozenset({TAG}),
        frozenset(), [_posting(options.liability, repayment.amount, repayment.solution),
                      _posting(repayment.account, -repayment.amount, repayment.solution)])


def _solution_of(posting: data.Posting, entry: data.Transaction) -> str | None:
    value = (posting.meta or {}).get("solution", entry.meta.get("solution"))
    return None if value is None else str(value)


def _kind(account: str, liability: str) -> tuple[bool, bool]:
    """Whether ``account`` is the liability (or below it), and whether it is a cost account."""
    is_liability = account == liability or account.startswith(liability + ":")
    return is_liability, account_number(account) in COST_NUMBERS


def collect(entries: list[Any], config: EHealthConfig
            ) -> tuple[dict[str, list[Flow]], list[NhnfinError]]:
    """Cost and invoiced amounts per solution, from the postings (recognition entries skipped)."""
    flows: dict[str, list[Flow]] = defaultdict(list)
    errors: list[NhnfinError] = []
    liability = config.options.liability
    kinds: dict[str, tuple[bool, bool]] = {}  # account -> (is liability, is cost), once each
    for entry in entries:
        if not isinstance(entry, data.Transaction) or entry.meta.get("nhnfin-rule") == RULE:
            continue
        for posting in entry.postings:
            kind = kinds.get(posting.account)
            if kind is None:
                kind = kinds[posting.account] = _kind(posting.account, liability)
            is_liability, is_cost = kind
            if not (is_liability or is_cost):  # most postings: decided by the account alone
                continue
            number = posting.units.number if posting.units is not None else None
            if number is None:
                continue
            if not abs(number) < MAX_AMOUNT:
                errors.append(NhnfinError(entry.meta, f"posting to {posting.account}: {number} "
                                          f"is too large (the limit is {MAX_AMOUNT:,} NOK)", entry))
                continue
            sid = _solution_of(posting, entry)
            if sid is None:
                if is_liability:
                    errors.append(NhnfinError(entry.meta, f"posting to {posting.account} has no "
                                              "solution: add solution: \"<id>\"", entry))
                continue
            if sid not in config.solutions:
                errors.append(NhnfinError(entry.meta, f"{'cost' if is_cost else 'posting'} for "
                                          f"unknown solution {sid!r}", entry))
                continue
            flows[sid].append((entry.date, number if is_cost else ZERO,
                               ZERO if is_cost else -number))
    return flows, errors


def period_ends(year: int, recognition: Period) -> list[tuple[str, datetime.date]]:
    """Label and last day of each recognition period of ``year``."""
    months = {"monthly": range(1, 13), "quarterly": (3, 6, 9, 12), "annual": (12,)}[recognition]
    return [(f"{year}-{m:02d}" if recognition == "monthly" else
             (f"{year}-Q{m // 3}" if recognition == "quarterly" else str(year)),
             datetime.date(year, m, calendar.monthrange(year, m)[1])) for m in months]


def recognise(solution: Solution, flows: list[Flow], options: Options
              ) -> tuple[list[data.Transaction], list[NhnfinError]]:
    """The recognition entries of one solution, year by year, and its year-end findings."""
    flows = sorted(flows, key=lambda f: f[0])
    new: list[data.Transaction] = []
    errors: list[NhnfinError] = []
    balance, index = ZERO, 0
    for year in range(flows[0][0].year, flows[-1][0].year + 1):
        cost = invoiced = recognised = ZERO
        for label, end in period_ends(year, options.recognition):
            while index < len(flows) and flows[index][0] <= end:
                cost, invoiced = cost + flows[index][1], invoiced + flows[index][2]
                index += 1
            target = min(cost, max(balance + invoiced, ZERO))
            if target != recognised:
                new.append(_income(solution, end, label, target - recognised, options))
                recognised = target
        balance += invoiced - recognised
        if cost > recognised:
            errors.append(NhnfinError(solution.meta, (
                f"warning: under-coverage {solution.id} {year}: D&F cost {cost} NOK exceeds what "
                f"was available (carried + invoiced) by {cost - recognised} NOK; not recognised"),
                None))
        if balance < 0:
            errors.append(NhnfinError(solution.meta, (
                f"liability for {solution.id} is {balance} NOK at the end of {year}: more was "
                "credited or repaid than was carried and invoiced"), None))
    return new, errors


def _income(solution: Solution, end: datetime.date, label: str, number: Decimal,
            options: Options) -> data.Transaction:
    return data.Transaction(
        _meta(solution.meta, RULE, solution.id, period=label), end, "*", None,
        f"Inntektsføring nasjonale e-helseløsninger: {solution.name} {label}",
        frozenset({TAG}), frozenset(),
        [_posting(options.liability, number, solution.id),
         _posting(options.income, -number, solution.id)])
