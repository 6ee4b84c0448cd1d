"""Findings: business situations the rules see in the books, reported, not ledger errors.

Under-coverage of an e-health solution and an overspent grant are legitimate states of the books
(NHN bears the cost): bean-check passes, and the report shows them as findings
(:class:`nhnfin.model.Finding`, with the ``file:line`` of the entry that caused each) in their
own section and in the tie-out list; ``nhnfin report --strict`` and ``nhnfin close`` decide
whether they block.

Each rule exposes its findings as data: ``findings(entries, options_map) -> list[Finding]`` in
its own package, registered in :data:`FINDER_PATHS` (the core never imports a rule: the modules
are imported by name when a report is built, as the note builders are).
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable
from typing import Any

from nhnfin.config import handed_findings
from nhnfin.config import import_target
from nhnfin.ledger import Ledger
from nhnfin.model import Finding
from nhnfin.model import Status
from nhnfin.model import TieOut
from nhnfin.model import norwegian_date
from nhnfin.money import ZERO

Finder = Callable[[list[Any], dict[str, Any]], list[Finding]]

# rule -> "module:function"
FINDER_PATHS: dict[str, str] = {
    "grants": "nhnfin.grants.plugin:findings",
    "ehealth": "nhnfin.ehealth.plugin:findings",
    "ehealth-invoiced": "nhnfin.ehealth.invoiced:findings",
}
TIEOUT_PREFIX = "finding."
LABELS = {
    "ehealth-under-coverage": "Underdekning e-helseløsning",
    "ehealth-invoiced-vs-basis": "Fakturert avviker fra fakturagrunnlaget",
    "grant-overspent": "Tilskudd overforbrukt",
    "grant-investment-uncovered": "Investering ikke dekket av tilskudd",
    "grant-overpaid": "Utbetalt mer enn tildelt",
    "grant-opening-mismatch": "Inngående balanse stemmer ikke med tildelingen",
    "grant-hand-receivable": "Tilskuddsfordring ført for hånd",
}


def finders() -> dict[str, Finder]:
    """The registered finders, by rule."""
    return {rule: import_target(path) for rule, path in FINDER_PATHS.items()}


# The findings of a cost beyond what covers it, which the rest of a year may still cover (the
# next invoice, a grant's payment): in a year not booked to its end they are so far. A grant
# paid beyond its awards, a hand posting or an opening balance beyond the awards are not.
COVERAGE_KINDS = frozenset({"ehealth-under-coverage", "grant-overspent",
                            "grant-investment-uncovered"})


def so_far(found: tuple[Finding, ...], booked_to: datetime.date | None) -> tuple[Finding, ...]:
    """The findings of a year whose books reach ``booked_to`` only (a period report, a year
    not yet finished): each of :data:`COVERAGE_KINDS` says that it is so far. A finished
    year's (None), and the other kinds (a hand posting), as they are."""
    if booked_to is None:
        return found
    words = (f"; foreløpig: året er bokført til {norwegian_date(booked_to)}, og resten av året "
             "kan dekke det")
    return tuple(dataclasses.replace(f, message=f.message + words)
                 if f.kind in COVERAGE_KINDS else f for f in found)


def collect_findings(ledger: Ledger, year: int) -> tuple[Finding, ...]:
    """Every rule's findings that belong to ``year``, in file and line order: those the rule
    made in the plugin run of this very load (:func:`nhnfin.config.handed_findings`), else
    its finder's, run on the loaded entries."""
    handed = handed_findings(ledger.entries, ledger.options_map)
    found = [f for rule, path in FINDER_PATHS.items()
             for f in (handed[rule] if rule in handed
                       else import_target(path)(ledger.entries, ledger.options_map))
             if f.year == year]
    return tuple(sorted(found, key=lambda f: (f.filename, f.lineno, f.kind, f.message)))


def label(finding: Finding) -> str:
    """The Norwegian name of the finding's kind."""
    return LABELS.get(finding.kind, finding.kind)


def finding_tieouts(findings: tuple[Finding, ...]) -> tuple[TieOut, ...]:
    """Each finding as a tie-out (a warning): what is not covered against zero, with the
    ``file:line`` as its detail; its amount links to the postings that make it when the finding
    names them (``drill``), and a figure without a link says why in its hover."""
    return tuple(
        TieOut(f"{TIEOUT_PREFIX}{f.kind}.{f.location}", f"{label(f)}: {f.message}", f.amount,
               ZERO, Status.WARNING, detail=f.location, left_drill=f.drill,
               unlinked=unlinked_finding(f))
        for f in findings
    )


def unlinked_finding(finding: Finding) -> str:
    """Why a figure of a finding's row has no link (its hover)."""
    if finding.drill is not None:
        return "et funn sammenlignes med null, ikke med et tall i regnskapet"
    if finding.kind == "ehealth-invoiced-vs-basis":
        return ("året er ikke fakturert for alle perioder ennå, og fakturagrunnlaget for de "
                "fakturerte periodene er ikke et tall som står i regnskapet; fakturaene har "
                f"nhnfin-rule: \"ehealth-invoice\", kostnadsgrunnlaget står på {finding.location}")
    return (f"beløpet hviler på en andel av en postering fordelt på flere tilskudd (grant: "
            f"\"A:60,B:40\"), eller en postering uten fil og linje, så ingen liste av "
            f"posteringer summerer til det; posten som ga funnet står på {finding.location}")


def is_finding(tieout: TieOut) -> bool:
    """Whether ``tieout`` is a finding listed among the tie-outs."""
    return tieout.check_id.startswith(TIEOUT_PREFIX)
