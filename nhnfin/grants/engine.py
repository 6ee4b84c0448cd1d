"""The grant rule as arithmetic (note 3): from awards, payments and linked costs to bookings.

Pure functions over the parsed directives and links; no Beancount I/O. Each grant's *available*
balance is its share of the liability account (2910). Events are taken in date order and, within
a day, in this order: money in (awards, payments), investments, the period's income recognition,
reallocations, repayments. For each grant:

- **receivable**: after every award or payment the receivable (1570) is set to ``max(0, awarded -
  paid)``; the change is booked against the liability, so the liability holds ``max(awarded, paid)``
  less what was used. Payments above the grant's total award (all its award directives, whatever
  their date) are a finding at the payment.
- **income**: at each period end (monthly by default) the covered costs of the period are taken to
  income (2910 -> 3400), never more than is available; the rest is not recognised and is a finding
  (overspent) at the cost entry of the period that went beyond what was available. Credit notes
  (negative costs) reverse income, never below zero in total.
- **investment**: a linked asset purchase moves its covered part from 2910 to 2930 (capped the same
  way; the part not covered is a finding at the purchase); :mod:`nhnfin.grants.investments` then
  follows the asset's depreciation.
- **reallocation / repayment**: move unused grant to another grant, or out (bank or a payable); more
  than the unused balance is an error and nothing is booked.
- **the books' start** (``start``: the date of the books' opening balance, when the ledger has
  one): an award dated before it is an earlier award, taken as in the opening balance: what
  of it was received, used and invested is in the balances the opening balance brings in (2910
  unused, 2930 deferred, 1570 not received), so nothing is booked for it. For a grant with
  earlier awards the opening balance's linked postings are balances, neither payments nor
  refunds: its 2910 is available, its 1570 the receivable still open; awards from the start on
  are new money, each booked as a receivable in full. A grant with no earlier award (declared
  on or after the start) reads the opening balance as before: its 2910 is money received
  against the grant's awards (the award on the start day includes what is carried). An opening
  balance that does not match the earlier awards is a finding at the last earlier award
  (:func:`opening_findings`): nothing of the grant brought in, more brought in (unused and
  deferred) than was awarded, or a receivable larger than the awards.

Each finding carries what makes its amount (``Finding.drill``, :mod:`nhnfin.grants.trails`):
the links and awards the engine reckoned it from, and the postings the rule generated.
"""

from __future__ import annotations

import calendar
import datetime
import functools
from collections import defaultdict
from dataclasses import dataclass
from dataclasses import field
from dataclasses import replace
from decimal import Decimal
from typing import Any

from nhnfin.accounts import is_under
from nhnfin.grants import trails
from nhnfin.grants.directives import Directives
from nhnfin.grants.links import Link
from nhnfin.grants.models import Award
from nhnfin.grants.models import Booking
from nhnfin.grants.models import Funding
from nhnfin.grants.models import Grant
from nhnfin.grants.models import GrantError
from nhnfin.grants.models import Leg
from nhnfin.grants.models import Meta
from nhnfin.grants.models import Outcome
from nhnfin.grants.models import Period
from nhnfin.grants.models import Reallocation
from nhnfin.grants.models import Repayment
from nhnfin.model import Drill
from nhnfin.model import Finding
from nhnfin.model import norwegian_date
from nhnfin.money import ZERO
from nhnfin.money import norwegian
from nhnfin.provenance import NON_CASH


@dataclass(frozen=True)
class _PeriodEnd:
    """The costs linked to ``grant`` in the period ending on ``end``."""

    grant: Grant
    end: datetime.date
    label: str
    covered: Decimal
    costs: tuple[tuple[Decimal, Meta], ...] = ()
    links: tuple[Link, ...] = ()


@dataclass
class _State:
    """One grant's running figures (a mutable accumulator local to :func:`run`)."""

    available: Decimal = ZERO
    awarded: Decimal = ZERO
    paid: Decimal = ZERO
    receivable: Decimal = ZERO
    recognised: Decimal = ZERO
    award_total: Decimal = ZERO
    # what makes the figures (the findings' drills): the grant's awards, those before the
    # books' start, the links that made ``paid`` and the entry's investment links so far
    awards: list[Award] = field(default_factory=list)
    earlier: list[Award] = field(default_factory=list)
    paid_links: list[Link] = field(default_factory=list)
    invested: dict[tuple[int, str], list[Link]] = field(default_factory=dict)


@functools.cache  # thousands of cost links fall on a few hundred days
def period_end(day: datetime.date, period: Period) -> tuple[datetime.date, str]:
    """Last day and label ("2024-03", "2024-Q1", "2024") of the period holding ``day``."""
    if period == "yearly":
        return datetime.date(day.year, 12, 31), str(day.year)
    month = day.month if period == "monthly" else (day.month - 1) // 3 * 3 + 3
    end = datetime.date(day.year, month, calendar.monthrange(day.year, month)[1])
    label = f"{day.year}-{month:02d}" if period == "monthly" else f"{day.year}-Q{month // 3}"
    return end, label


def period_start(end: datetime.date, period: Period) -> datetime.date:
    """The first day of the period ending on ``end`` (:func:`period_end`)."""
    if period == "yearly":
        return datetime.date(end.year, 1, 1)
    return datetime.date(end.year, end.month - (2 if period == "quarterly" else 0), 1)


def _key(day: datetime.date, order: int, meta: Meta, seq: int = -1) -> tuple[Any, ...]:
    return (day, order, seq, str(meta.get("filename", "")), int(meta.get("lineno", 0)))


def _events(directives: Directives, links: list[Link]) -> list[tuple[tuple[Any, ...], Any]]:
    """Every event with its sort key; costs are summed into one event per grant and period."""
    events: list[tuple[tuple[Any, ...], Any]] = []
    events += [(_key(a.date, 0, a.meta), a) for a in directives.awards]
    costs: dict[tuple[str, datetime.date, str], list[Link]] = defaultdict(list)
    for link in links:
        if link.kind == "deferred":
            continue
        if link.kind == "cost":
            end, label = period_end(link.date, directives.grants[link.grant].period)
            costs[(link.grant, end, label)].append(link)
        else:
            events.append((_key(link.date, 0 if link.kind == "funding" else 1, link.meta,
                                link.seq), link))
    for (gid, end, label), period_links in sorted(costs.items()):
        grant = directives.grants[gid]
        ordered = sorted(period_links, key=lambda lk: _key(lk.date, 0, lk.meta, lk.seq))
        covered = sum((lk.amount for lk in ordered), ZERO)
        events.append((_key(end, 2, grant.meta), _PeriodEnd(
            grant, end, label, covered, tuple((lk.amount, lk.meta) for lk in ordered),
            tuple(ordered))))
    events += [(_key(r.date, 3, r.meta), r) for r in directives.reallocations]
    events += [(_key(r.date, 4, r.meta), r) for r in directives.repayments]
    return sorted(events, key=lambda item: item[0])


def earlier_awards(directives: Directives, start: datetime.date | None
                   ) -> dict[str, list[Award]]:
    """Each grant's awards dated before the books' ``start`` (none without one), by date: what
    the books' opening balance holds, not booked again."""
    found: dict[str, list[Award]] = {}
    if start is None:
        return found
    for award in sorted(directives.awards, key=lambda a: _key(a.date, 0, a.meta)):
        if award.date < start:
            found.setdefault(award.id, []).append(award)
    return found


def run(directives: Directives, links: list[Link], start: datetime.date | None = None
        ) -> Outcome:
    """Apply the rule to every grant; see the module docstring (``start``: the date of the
    books' opening balance, whose links are :attr:`Link.brought_in`)."""
    states: dict[str, _State] = defaultdict(_State)
    for award in directives.awards:
        states[award.id].award_total += award.amount
        states[award.id].awards.append(award)
    earlier = earlier_awards(directives, start)
    for gid, awards in earlier.items():  # received, less what the opening balance leaves on 1570
        states[gid].awarded = states[gid].paid = sum((a.amount for a in awards), ZERO)
        states[gid].earlier = awards
    out = Outcome([], [], [])
    grants = directives.grants
    later = replace(directives, awards=[a for a in directives.awards
                                        if start is None or a.date >= start])
    for _, event in _events(later, links):
        if isinstance(event, Award):
            states[event.id].awarded += event.amount
            _settle(grants[event.id], states[event.id], event.date, event.meta, out)
        elif isinstance(event, Link) and event.kind == "funding" and (
                event.brought_in and event.grant in earlier):
            _bring_in(grants[event.grant], states[event.grant], event)
        elif isinstance(event, Link) and event.kind == "funding":
            _payment(grants[event.grant], states[event.grant], event, out)
        elif isinstance(event, Link):
            _investment(grants[event.grant], states[event.grant], event, out)
        elif isinstance(event, _PeriodEnd):
            _recognise(event, states[event.grant.id], out)
        elif isinstance(event, Reallocation):
            _reallocate(grants[event.id], grants[event.to], states, event, out)
        elif isinstance(event, Repayment):
            _repay(grants[event.id], states[event.id], event, out)
    if start is not None:
        out.findings.extend(opening_findings(grants, earlier, links, start))
    return out


def _brought(links: list[Link], grant: Grant) -> tuple[list[Link], list[Link]]:
    """The links of ``grant`` the books' opening balance brings in, in their order: those on
    the receivable (not received) and the others it holds (unused, on the liability, and
    deferred)."""
    owed: list[Link] = []
    held: list[Link] = []
    for link in links:
        if not link.brought_in or link.grant != grant.id:
            continue
        if link.kind == "funding" and is_under(link.account, grant.receivable):
            owed.append(link)
        elif link.kind in ("funding", "deferred"):
            held.append(link)
    return owed, held


def _sum(links: list[Link], kind: str | None = None) -> Decimal:
    return sum((lk.amount for lk in links if kind is None or lk.kind == kind), ZERO)


def opening_findings(grants: dict[str, Grant], earlier: dict[str, list[Award]],
                     links: list[Link], start: datetime.date) -> list[Finding]:
    """The books' opening balance against each grant's earlier awards (dated before ``start``),
    a finding at the last of them where they do not match: nothing linked to the grant brought
    in (its balances not linked with ``grant:``, or the grant used up before the books start),
    more unused and deferred grant brought in than was awarded, or a receivable larger than
    the awards."""
    found: list[Finding] = []
    for gid, awards in earlier.items():
        awarded = sum((a.amount for a in awards), ZERO)
        grant = grants[gid]
        owed, held = _brought(links, grant)
        # unused: the liability's credit, not received: the receivable's debit, deferred: the
        # deferred grant's credit
        unused, receivable, deferred = -_sum(held, "funding"), _sum(owed), -_sum(held, "deferred")
        where = awards[-1].meta
        before = (f"tildelt før regnskapet starter {norwegian_date(start)} "
                  f"({norwegian(awarded)} NOK)")
        if not (unused or receivable or deferred):
            found.append(_finding("grant-opening-mismatch", where, start, awarded, (
                f"Tilskudd {gid} er {before}, men inngående balanse fører ikke noe knyttet til "
                "tilskuddet (ubrukt 2910, ikke mottatt 1570 eller utsatt 2930): tildelingen er "
                "tatt som brukt opp før regnskapet starter; knytt inngående balanses saldoer "
                f'til tilskuddet med grant: "{gid}"'), trails.opening(grant, [], awards, 1)))
        if unused + deferred > awarded:
            excess = unused + deferred - awarded
            found.append(_finding("grant-opening-mismatch", where, start, excess, (
                f"Inngående balanse fører {norwegian(unused + deferred)} NOK for tilskudd {gid} "
                f"(ubrukt {norwegian(unused)} NOK, utsatt investeringstilskudd "
                f"{norwegian(deferred)} NOK), mer enn {before}: {norwegian(excess)} NOK er ikke "
                "dekket av en tildeling"), trails.opening(grant, held, awards, -1)))
        if receivable > awarded:
            excess = receivable - awarded
            found.append(_finding("grant-opening-mismatch", where, start, excess, (
                f"Inngående balanse fører {norwegian(receivable)} NOK ikke mottatt for tilskudd "
                f"{gid}, mer enn {before}: {norwegian(excess)} NOK for mye"),
                trails.opening(grant, owed, awards, 1)))
    return found


def _finding(kind: str, meta: Meta, day: datetime.date, amount: Decimal, message: str,
             drill: Drill | None) -> Finding:
    """A finding at ``meta``'s entry; ``drill`` what makes ``amount`` (:mod:`trails`)."""
    return Finding(kind, message, str(meta.get("filename", "<unknown>")),
                   int(meta.get("lineno", 0)), day.year, amount, drill)


def _cap(wanted: Decimal, available: Decimal) -> Decimal:
    return min(wanted, max(available, ZERO))


def _move(out: Outcome, booking: Booking, debit: Leg, credit: Leg) -> None:
    """Add ``booking`` with legs ``debit`` and ``credit`` (both given as positive amounts)."""
    legs = (debit, Leg(credit.account, -credit.amount, credit.grant, credit.asset))
    out.bookings.append(replace(booking, legs=legs))


def _settle(grant: Grant, st: _State, day: datetime.date, source: Meta, out: Outcome) -> None:
    """Set the receivable to what is awarded and not yet paid."""
    delta = max(ZERO, st.awarded - st.paid) - st.receivable
    if delta == 0:
        return
    st.receivable += delta
    st.available += delta
    text = "tildelt, ikke mottatt" if delta > 0 else "mottatt, fordring oppgjort"
    receivable = Leg(grant.receivable, abs(delta), grant.id)
    liability = Leg(grant.liability, abs(delta), grant.id)
    debit, credit = (receivable, liability) if delta > 0 else (liability, receivable)
    booking = Booking(day, "grant-receivable", grant.id, f"Tilskudd {grant.id}: {text}", (), source)
    _move(out, booking, debit, credit)


def _bring_in(grant: Grant, st: _State, link: Link) -> None:
    """A balance of the books' opening balance for a grant with earlier awards: the liability
    is available, the receivable still open; neither is a payment, nothing is booked."""
    if is_under(link.account, grant.receivable):
        st.receivable += link.amount
        st.paid -= link.amount
        st.paid_links.append(link)
    else:
        st.available -= link.amount


def _payment(grant: Grant, st: _State, link: Link, out: Outcome) -> None:
    """A payment (or refund) posted by the controller to the liability or the receivable."""
    on_receivable = is_under(link.account, grant.receivable)
    if on_receivable:
        st.receivable += link.amount
    else:
        st.available -= link.amount
    st.paid -= link.amount
    st.paid_links.append(link)
    if link.amount < 0 and st.paid > st.award_total:
        excess = st.paid - st.award_total
        text = (f"Utbetalt til tilskudd {grant.id} ({norwegian(st.paid)} NOK) er mer enn tildelt "
                f"({norwegian(st.award_total)} NOK): {norwegian(excess)} NOK for mye")
        if link.brought_in:  # a grant declared on or after the books' start
            text += ("; inngående balanse regnes som mottatt av tildelingene fra regnskapets "
                     "start: ta med det som er overført fra tidligere år i tilskuddets amount, "
                     "eller oppgi tildelingen med datoen den ble gitt, før regnskapet starter")
        out.findings.append(_finding("grant-overpaid", link.meta, link.date, excess, text,
                                     trails.overpaid(grant, st.paid_links, st.earlier,
                                                     st.awards, link.date)))
    _settle(grant, st, link.date, link.meta, out)


def _investment(grant: Grant, st: _State, link: Link, out: Outcome) -> None:
    """Move the covered part of an asset purchase from the liability to the deferred grant."""
    asset = str(link.asset)
    moved = _cap(link.amount, st.available)
    before = st.invested.setdefault((link.seq, asset), [])
    if moved < link.amount:
        out.findings.append(_finding("grant-investment-uncovered", link.meta, link.date,
                                     link.amount - moved, (
            f"Tilskudd {grant.id} dekker ikke hele investeringen {asset}: "
            f"{norwegian(link.amount)} NOK knyttet til tilskuddet, "
            f"{norwegian(max(st.available, ZERO))} NOK tilgjengelig; "
            f"{norwegian(link.amount - moved)} NOK er ikke dekket (foretaket bærer kostnaden)"),
            trails.investment_uncovered(grant, link, before, moved > 0)))
    before.append(link)
    if moved <= 0:
        return
    st.available -= moved
    booking = Booking(link.date, "grant-investment", grant.id,
                      f"Tilskudd {grant.id} benyttet på investering {asset}", (), link.meta,
                      (("asset", asset), (NON_CASH, True)))
    _move(out, booking, Leg(grant.liability, moved, grant.id, asset),
          Leg(grant.deferred, moved, grant.id, asset))
    out.fundings.append(Funding(grant.id, asset, moved, link.seq))


def _recognise(period: _PeriodEnd, st: _State, out: Outcome) -> None:
    """Take the period's covered costs to income, capped by what is available."""
    grant, label, covered = period.grant, period.label, period.covered
    amount = _cap(covered, st.available) if covered >= 0 else max(covered, -st.recognised)
    if amount < covered:
        out.findings.append(_finding("grant-overspent", _tipping_cost(period, amount),
                                     period.end, covered - amount, (
            f"Tilskudd {grant.id} er overforbrukt i {label}: kostnader {norwegian(covered)} NOK, "
            f"tilgjengelig {norwegian(max(st.available, ZERO))} NOK; "
            f"{norwegian(covered - amount)} NOK er ikke inntektsført (foretaket bærer kostnaden)"),
            trails.overspent(grant, period_start(period.end, grant.period), period.end,
                             period.links)))
    if amount == 0:
        return
    st.available -= amount
    st.recognised += amount
    debit = Leg(grant.liability, amount, grant.id)
    credit = Leg(grant.income, amount, grant.id)
    if amount < 0:
        debit, credit = Leg(grant.income, -amount, grant.id), Leg(grant.liability, -amount,
                                                                  grant.id)
    booking = Booking(period.end, "grant-income", grant.id,
                      f"Inntektsføring tilskudd {grant.id} {label}", (), grant.meta,
                      (("covered", f"{covered} NOK"), ("period", label)))
    _move(out, booking, debit, credit)


def _tipping_cost(period: _PeriodEnd, recognised: Decimal) -> Meta:
    """The meta of the period's first cost entry that took its costs beyond ``recognised``
    (what was available): the month's cost that caused the overspending."""
    running = ZERO
    for amount, meta in period.costs:
        running += amount
        if running > recognised:
            return meta
    return period.costs[-1][1] if period.costs else period.grant.meta


def _too_much(event: Reallocation | Repayment, what: str, st: _State) -> GrantError | None:
    if event.amount <= st.available:
        return None
    return GrantError(event.meta, (
        f"{what} av {norwegian(event.amount)} NOK fra tilskuddet {event.id!r} er mer enn ubrukt "
        f"saldo ({norwegian(max(st.available, ZERO))} NOK) {norwegian_date(event.date)}; "
        "ingenting er bokført"), None)


def _reallocate(grant: Grant, to: Grant, states: dict[str, _State], event: Reallocation,
                out: Outcome) -> None:
    """Move unused grant from ``grant`` to ``to``."""
    error = _too_much(event, "omdisponering", states[grant.id])
    if error is not None:
        out.errors.append(error)
        return
    states[grant.id].available -= event.amount
    states[to.id].available += event.amount
    booking = Booking(event.date, "grant-reallocation", grant.id,
                      f"Omdisponering tilskudd {grant.id} -> {to.id}", (), event.meta,
                      (("grant-to", to.id),))
    _move(out, booking, Leg(grant.liability, event.amount, grant.id),
          Leg(to.liability, event.amount, to.id))


def _repay(grant: Grant, st: _State, event: Repayment, out: Outcome) -> None:
    """Pay unused grant back (credit the bank, or a payable to the grantor)."""
    error = _too_much(event, "tilbakebetaling", st)
    if error is not None:
        out.errors.append(error)
        return
    st.available -= event.amount
    booking = Booking(event.date, "grant-repayment", grant.id,
                      f"Tilbakebetaling tilskudd {grant.id}", (), event.meta)
    _move(out, booking, Leg(grant.liability, event.amount, grant.id),
          Leg(event.account, event.amount, grant.id))
