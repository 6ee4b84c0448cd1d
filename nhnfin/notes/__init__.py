"""Notes of the annual report: the notes layout and the builders of the rules' notes.

The notes layout (:mod:`nhnfin.notes.layout`, ``nhnfin/data/notes_nhn.toml`` by default) says
which notes there are, their numbers, titles and order, and the shape of every table of accounts
or declared data (:mod:`nhnfin.notes.layout_notes` builds them). A rule's note whose tables come
from a rule engine (notes 2, 3 and 8) has a builder
``build(ledger: Ledger, year: int) -> NoteResult``: the note's tables for the fiscal year (with
the prior year where the published note has it) and the tie-outs that connect the note to the
statements or to the ledger. Builders are registered in :data:`BUILDER_PATHS` under the name the
notes layout gives them; a builder returns None when the ledger has nothing for its note (no such
rule in use). A rule's tie-outs on a table the layout shapes are a check registered in
:data:`CHECK_PATHS`.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from decimal import Decimal

from nhnfin.config import import_target
from nhnfin.ledger import Ledger
from nhnfin.model import Drill
from nhnfin.model import Note
from nhnfin.model import TieOut


@dataclass(frozen=True)
class Figures:
    """The named figures a rule's builder gives one table of the notes layout (``source =
    "figures"``): figure -> column key -> amount (and the drill behind it), or text. The layout
    says which figure goes in which row, the columns, labels and sums."""

    values: Mapping[str, Mapping[str, Decimal]] = field(default_factory=dict)
    drills: Mapping[str, Mapping[str, Drill]] = field(default_factory=dict)
    texts: Mapping[str, Mapping[str, str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Group:
    """One group a rule declares (an e-health solution, a grant, a note row of grants) with its
    named figures (figure -> amount) and the drill behind each: one row of a groups table of the
    notes layout (``source = "groups"``), whose columns say which figure each shows. ``key`` and
    ``label`` are the row's, as the ledger declares the group."""

    key: str
    label: str
    values: Mapping[str, Decimal] = field(default_factory=dict)
    drills: Mapping[str, Drill] = field(default_factory=dict)


@dataclass(frozen=True)
class NoteResult:
    """A built note, its tie-outs, the figures it gives the layout's figures tables (by the
    table's ``figures``, by default its key) and the row sets it gives its groups tables (by the
    table's ``groups``). A figures or groups table the builder gives nothing for is left
    out."""

    note: Note
    tieouts: tuple[TieOut, ...] = ()
    figures: Mapping[str, Figures] = field(default_factory=dict)
    groups: Mapping[str, tuple[Group, ...]] = field(default_factory=dict)


Builder = Callable[[Ledger, int], NoteResult | None]

# builder name (as the notes layout names it) -> "module:function"; modules are imported when a
# report is built. The notes layout says which note each builder's tables make.
BUILDER_PATHS: dict[str, str] = {
    "ehealth_income": "nhnfin.ehealth.note2:build",
    "public_grants": "nhnfin.grants.note3:build",
    "fixed_assets": "nhnfin.assets.note8:build",
}

# builder name -> the sets it gives the layout's tables: (the figures tables' ``figures`` names,
# None when it gives figures for any figures table of its note by the table's key; the groups
# tables' ``groups`` row sets). A table naming another set would never show, so the notes layout
# refuses it (:func:`nhnfin.notes.layout.check_builders`); tests/notes/test_layout_groups.py checks
# that each builder gives no set it does not declare here.
BUILDER_SETS: dict[str, tuple[tuple[str, ...] | None, tuple[str, ...]]] = {
    "ehealth_income": (("repayment",), ("all", "solutions")),
    "public_grants": (("investment",), ("rows", "grants")),
    "fixed_assets": (None, ()),
}

# builder name -> the labels it prints for rows of its own, which the notes layout gives in the
# note's ``labels`` (words for people are data), each with what it labels (for the error when a
# layout lacks it: :func:`nhnfin.notes.layout.check_builders`)
BUILDER_LABELS: dict[str, dict[str, str]] = {
    "ehealth_income": {
        "all": "the row of every solution together, in a groups table of the set 'all' whose "
               "rows do not name it",
        "unattributed": "the row of the postings that name no solution, in a groups table of "
                        "the set 'solutions'",
    },
}

# check name (a table's ``checks`` in the notes layout) -> "module:function": the rule's own
# tie-outs on a table the layout shapes (:data:`nhnfin.notes.layout_notes.Check`)
CHECK_PATHS: dict[str, str] = {
    "pensions": "nhnfin.notes.note6:checks",
    "equity": "nhnfin.notes.note9:checks",
    "delivery_obligation": "nhnfin.assets.note4:checks",
    "fixed_assets": "nhnfin.assets.note8:checks",
}


def builders() -> dict[str, Builder]:
    """The registered builders by name, in registration order."""
    return {name: import_target(target) for name, target in BUILDER_PATHS.items()}
