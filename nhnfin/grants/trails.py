"""What makes a grant finding's amount (:class:`nhnfin.model.Drill`), built where the engine
reckons it, from the same links and awards:

- **overspent**: the costs linked to the grant in the period (the postings) less the period's
  ``grant-income`` posting on the grant's income account;
- **investment not covered**: the asset's linked cost debit (with those of the same entry,
  asset and grant before it) less the ``grant-investment`` posting to the deferred grant that
  the entry caused for the asset;
- **overpaid**: the funding postings so far (payments credited to 2910 or 1570; with earlier
  awards, those brought in and declared awards dated before the books' start) less the grant's
  declared awards (the ``amount`` of ``nhnfin-grant`` and ``nhnfin-grant-award``);
- **opening balance not matching**: the opening balance's linked postings less the earlier
  awards, or the earlier awards alone when nothing was brought in.

The postings are selected by their file and line (:func:`nhnfin.drill.at_places`), so the
listing is exactly the links. A link that is a share of a posting (``grant: "A:60,B:40"``) is
not the posting's sum, and a posting with no file and line cannot be selected: a finding that
rests on one has no drill (:func:`followable`), and its hover says why
(:func:`nhnfin.findings.unlinked_finding`).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from collections.abc import Sequence

from nhnfin import drill as drills
from nhnfin.errors import location
from nhnfin.grants.links import Link
from nhnfin.grants.models import Award
from nhnfin.grants.models import Grant
from nhnfin.model import Drill
from nhnfin.provenance import GENERATED_TAG as GENERATED

DAY = datetime.timedelta(days=1)


def followable(links: Iterable[Link]) -> bool:
    """Whether the postings of ``links`` sum to their parts: each the whole posting, at a
    file and line."""
    return all(link.whole and link.place is not None for link in links)


def linked(links: Sequence[Link], start: datetime.date | None, end: datetime.date, what: str,
           sign: int = 1) -> Drill:
    """The postings of ``links`` (dated from ``start`` to ``end``, exclusive), ``sign`` × their
    sum."""
    places = [link.place for link in links if link.place is not None]
    return drills.postings(sorted({link.account for link in links}), start, end, sign=sign,
                           condition=drills.at_places(places), condition_text=what)


def generated(rule: str, grant: Grant, account: str, day: datetime.date, sign: int,
              condition: str = "", what: str = "") -> Drill:
    """The postings of ``grant`` the rule ``rule`` generated on ``account`` on ``day``."""
    clauses = [f"'{GENERATED}' IN tags", f"str(entry_meta('nhnfin-rule')) = '{rule}'",
               f"str(meta('grant')) = '{grant.id}'", *([condition] if condition else [])]
    words = f"generert av regelen {rule} for {grant.id}" + (f", {what}" if what else "")
    return drills.postings((account,), day, day + DAY, sign=sign,
                           condition=" AND ".join(clauses), condition_text=words)


def awarded(awards: Sequence[Award], what: str) -> Drill:
    """The declared amounts of ``awards``."""
    return drills.declared(((a.meta, "amount") for a in awards), what)


def overspent(grant: Grant, start: datetime.date, end: datetime.date, costs: Sequence[Link]
              ) -> Drill | None:
    """The period's linked costs less its generated income (``end``: the period's last day)."""
    if not followable(costs):
        return None
    return drills.total((
        (1, linked(costs, start, end + DAY, f"kostnader knyttet til {grant.id}")),
        (-1, generated("grant-income", grant, grant.income, end, -1, what="inntektsført")),
    ), "Ikke inntektsført")


def investment_uncovered(grant: Grant, link: Link, before: Sequence[Link], moved: bool
                         ) -> Drill | None:
    """The investment's linked cost debit less what the rule moved to the deferred grant for
    it: with ``moved``, the entry's debits for the asset so far (``before``, covered in full,
    and ``link``) less the entry's ``grant-investment`` postings for the asset; else ``link``'s
    posting alone (nothing was moved for it)."""
    if not followable([*before, link]):
        return None
    day = link.date
    if not moved:
        return linked([link], day, day + DAY, f"investering knyttet til {grant.id}")
    source = (f"str(meta('asset')) = '{link.asset}' AND "
              f"str(entry_meta('nhnfin-source')) = '{location(link.meta)}'")
    return drills.total((
        (1, linked([*before, link], day, day + DAY, f"investering knyttet til {grant.id}")),
        (-1, generated("grant-investment", grant, grant.deferred, day, -1, source,
                       f"eiendel {link.asset}")),
    ), "Ikke dekket")


def overpaid(grant: Grant, paid: Sequence[Link], earlier: Sequence[Award],
             awards: Sequence[Award], day: datetime.date) -> Drill | None:
    """What was paid so far (the earlier awards, taken as received, and the funding postings:
    credits positive) less every award of the grant."""
    if not followable(paid):
        return None
    terms = [(1, awarded(earlier, "Tildelt før regnskapet starter"))] if earlier else []
    terms.append((1, linked(paid, None, day + DAY, f"finansiering av {grant.id}", -1)))
    if awards:  # none: a grant declared without an amount, and never awarded one
        terms.append((-1, awarded(awards, f"Tildelt {grant.id}")))
    return drills.total(terms, "For mye utbetalt")


def opening(grant: Grant, brought: Sequence[Link], earlier: Sequence[Award], sign: int
            ) -> Drill | None:
    """The opening balance's links (``sign`` × their postings; none: nothing brought in) less
    the earlier awards, or the earlier awards alone when nothing was brought in."""
    earlier_drill = awarded(earlier, "Tildelt før regnskapet starter")
    if not brought:
        return earlier_drill
    if not followable(brought):
        return None
    end = max(link.date for link in brought) + DAY
    return drills.total(((1, linked(brought, None, end, f"inngående balanse for {grant.id}",
                                    sign)),
                         (-1, earlier_drill)), "Ikke dekket av tildelingene")
