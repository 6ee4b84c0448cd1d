"""Finding: a year's invoices differ from its invoice basis (note 2's "Fakturert").

The invoices ``nhnfin invoice-basis --format beancount`` writes are recognised by their meta:
``nhnfin-rule: "ehealth-invoice"`` and ``invoice: "EHF-<period>-<actor>"`` (the period a label of
the year's invoicing plan, :func:`nhnfin.ehealth.basis.periods`: ``2026``, ``2026-Q1``,
``2026-01``), with ``solution`` on each liability posting. For each cost basis of a year with
such invoices, what they credit the liability per solution, and per actor and period, is
compared with what :func:`nhnfin.ehealth.basis.invoice_basis` gives from the declarations as
they stand. A difference (the cost basis, a key or a population changed after the invoices were
written, or an invoice edited by hand) is a finding (``ehealth-invoiced-vs-basis``) at the
cost-basis directive, with both figures, the difference and a drill: the invoices' liability
postings for the solution and year less the declared need, plus the declared repayment (in a
year not invoiced to its end no list sums to the basis of the invoiced periods: no drill, and
the hover says why, :func:`nhnfin.findings.unlinked_finding`).

Only the invoicing periods that have invoices are compared: a period of the year no invoice
names yet (a quarterly year invoiced to Q2) is not invoiced yet, not a difference; the finding,
when there is one, names the periods left. Invoices written by hand (without the rule's meta)
are not compared: a ledger that invoices by hand has no invoice basis to follow.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal
from typing import Any

from beancount.core import data

from nhnfin import drill as drills
from nhnfin.ehealth.basis import invoice_basis
from nhnfin.ehealth.basis import periods
from nhnfin.ehealth.directives import CostBasis
from nhnfin.ehealth.directives import EHealthConfig
from nhnfin.ehealth.directives import parse
from nhnfin.model import Drill
from nhnfin.model import Finding
from nhnfin.money import ZERO
from nhnfin.money import norwegian

KIND = "ehealth-invoiced-vs-basis"
INVOICE_RULE = "ehealth-invoice"
SHOWN = 3  # actors named in a finding's message

# (solution, actor, period) -> amount credited to the liability
Amounts = dict[tuple[str, str, str], Decimal]


def _period_actor(invoice: str, labels: list[str]) -> tuple[str, str] | None:
    """The period and actor of an invoice number ``EHF-<period>-<actor>``; None when it names no
    period of the year's plan."""
    for label in sorted(labels, key=len, reverse=True):
        prefix = f"EHF-{label}-"
        if invoice.startswith(prefix) and len(invoice) > len(prefix):
            return label, invoice[len(prefix):]
    return None


def invoiced(entries: list[Any], config: EHealthConfig, years: set[int]
             ) -> dict[int, Amounts]:
    """What the rule-written invoices of each of ``years`` credit the liability, per solution,
    actor and period (positive), in one pass over the entries. An invoice's period is read
    against every scheme's labels of its year (an invoice of ``2026-Q1`` stays one when the
    options later say yearly: it is then no period of the plan, and differs from the basis)."""
    labels = {year: [label for scheme in ("annual", "quarterly", "monthly")
                     for label, _ in periods(year, scheme)] for year in years}
    found: dict[int, Amounts] = defaultdict(lambda: defaultdict(lambda: ZERO))
    for entry in entries:
        if (not isinstance(entry, data.Transaction) or entry.date.year not in labels
                or entry.meta.get("nhnfin-rule") != INVOICE_RULE):
            continue
        where = _period_actor(str(entry.meta.get("invoice", "")), labels[entry.date.year])
        if where is None:
            continue
        liability = config.options_at(entry.date).liability
        for posting in entry.postings:
            number = posting.units.number if posting.units is not None else None
            solution = (posting.meta or {}).get("solution")
            if posting.account == liability and number is not None and solution is not None:
                found[entry.date.year][str(solution), where[1], where[0]] -= number
    return {year: dict(amounts) for year, amounts in found.items()}


def _trail(basis: CostBasis, liability: str, year: int) -> Drill:
    start, end = datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1)
    posted = drills.postings(
        (liability,), start, end, sign=-1,
        condition=f"str(entry_meta('nhnfin-rule')) = '{INVOICE_RULE}' AND "
                  f"str(meta('solution')) = {drills.literal(basis.solution)}",
        condition_text=f"fakturaer ({INVOICE_RULE}) for {basis.solution}")
    need = drills.declared(((basis.meta, "need"),), "Behov i kostnadsgrunnlaget")
    terms: list[tuple[int, Drill]] = [(1, posted), (-1, need)]
    if basis.repayment:
        terms.append((1, drills.declared(((basis.meta, "repayment"),),
                                         "Tilbakebetaling gjennom lavere fakturering")))
    return drills.total(terms, "Fakturert mer enn fakturagrunnlaget")


def _message(basis: CostBasis, name: str, sums: tuple[Decimal, Decimal],
             actors: list[tuple[str, Decimal, Decimal]], left: list[str]) -> str:
    got, due = sums
    words = (f"Fakturert {name} {basis.year} {norwegian(got)} NOK, men fakturagrunnlaget "
             f"(kostnadsgrunnlaget slik det står nå) gir {norwegian(due)} NOK: differanse "
             f"{norwegian(got - due)} NOK")
    if actors:
        shown = "; ".join(f"{a} fakturert {norwegian(g)}, grunnlaget {norwegian(d)}"
                          for a, g, d in actors[:SHOWN])
        more = f" og {len(actors) - SHOWN} aktører til" if len(actors) > SHOWN else ""
        words += f" (per aktør: {shown}{more})"
    if left:
        words += (f"; sammenlignet for de fakturerte periodene, {', '.join(left)} er ikke "
                  "fakturert ennå")
    return words + ("; fakturaene er skrevet fra et annet grunnlag (endret etter at de ble "
                    "skrevet?): rett fakturaene eller grunnlaget")


def _compared(cost_basis: CostBasis, config: EHealthConfig, got: Amounts, due: Amounts,
              names: dict[str, str], left: list[str]) -> Finding | None:
    """The finding of one cost basis whose invoices (``got``) differ from the basis of the
    invoiced periods (``due``); None when every actor's every period agrees."""
    sid, year = cost_basis.solution, cost_basis.year
    cells = {k for k in (*got, *due) if k[0] == sid}
    if all(got.get(k, ZERO) == due.get(k, ZERO) for k in cells):
        return None
    per_actor: dict[str, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
    for cell in cells:
        per_actor[cell[1]][0] += got.get(cell, ZERO)
        per_actor[cell[1]][1] += due.get(cell, ZERO)
    total = (sum((v[0] for v in per_actor.values()), ZERO),
             sum((v[1] for v in per_actor.values()), ZERO))
    actors = [(names.get(a, a), g, d) for a, (g, d) in sorted(per_actor.items()) if g != d]
    solution = config.solutions[sid]
    name = (solution.name if solution.name.casefold() in ("", sid.casefold())
            else f"{solution.name} ({sid})")
    liability = config.options_at(datetime.date(year, 1, 1)).liability
    return Finding(KIND, _message(cost_basis, name, total, actors, left),
                   str(cost_basis.meta.get("filename", "<unknown>")),
                   int(cost_basis.meta.get("lineno", 0)), year, total[0] - total[1],
                   None if left else _trail(cost_basis, liability, year))


def findings(entries: list[Any], options_map: dict[str, Any]) -> list[Finding]:
    """Each cost basis of a year whose rule-written invoices differ from the invoice basis
    (registered in :data:`nhnfin.findings.FINDER_PATHS`; module docstring)."""
    del options_map
    config, _ = parse(entries)
    if not config.solutions or not config.cost_bases:
        return []
    found: list[Finding] = []
    invoices = invoiced(entries, config, {b.year for b in config.cost_bases})
    for year in sorted(invoices):
        got = invoices[year]
        basis, problems = invoice_basis(config, year)
        if problems:
            continue  # the load names them; no basis to compare with
        plan = [label for label, _ in periods(year, config.options_at(
            datetime.date(year, 1, 1)).invoicing)]
        billed = {period for _, _, period in got}
        due: Amounts = defaultdict(lambda: ZERO)
        for line in basis.lines:
            if line.period in billed:
                due[line.solution, line.actor, line.period] += line.amount
        left = [p for p in plan if p not in billed]
        found.extend(f for b in config.cost_bases
                     if b.year == year and b.solution in config.solutions
                     and (f := _compared(b, config, got, due, dict(basis.names), left))
                     is not None)
    return found
