"""The annual-report document: statements, notes and tie-outs as frozen dataclasses of Decimals.

Builders in ``nhnfin`` produce these; renderers in ``nhnfin.reports`` only format them. Amounts are
the ledger's exact amounts; rounding to whole kroner happens in the renderers (line by line, as
the published report rounds), via :func:`nhnfin.money.round_krone`.
"""

from __future__ import annotations

import dataclasses
import datetime
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field
from decimal import Decimal
from enum import StrEnum
from pathlib import Path


class Kind(StrEnum):
    """How a row relates to the others: a leaf line, a subtotal or a final total."""

    ITEM = "item"
    SUBTOTAL = "subtotal"
    TOTAL = "total"


@dataclass(frozen=True)
class Drill:
    """What makes a figure, carried beside it so the trail cannot drift from the figure.

    A figure from postings: ``query`` is a beanquery (BQL) statement whose WHERE clause selects
    exactly those postings, and the figure is ``sign`` × the sum of their NOK weights;
    ``accounts``, ``start`` (inclusive) and ``end`` (exclusive) say where they are.

    A sum of figures: ``parts`` are the signed drills of its terms (flattened to postings and
    declared drills); ``query`` selects the postings of all of them, and the figure is the
    signed sum of the parts (when every part has the same effective sign it is also ``sign`` ×
    the sum of ``query``).

    A figure from declared data: ``declared`` lists (file, line, value key) of the directives
    whose values make it.

    A quotient (a unit cost): ``per`` is the drill of the divisor; the figure is what the rest
    of the drill makes divided by what ``per`` makes, rounded half up to the øre.

    An amount at a rate (employer's tax on a base): ``rate`` is the drill of a percentage; the
    figure is what the rest of the drill makes times what ``rate`` makes, divided by 100.

    A holding of foreign units: ``units`` names the currency (``EUR``) whose units the postings
    are summed in, instead of their NOK weights (``sign`` × the units of that currency the
    postings its query lists hold). Units at a price (a balance in EUR at the year-end rate):
    ``price`` is the declared drill of a ``price`` directive (its file, line and the key
    ``price``, whose value is the directive's amount); the figure is what the rest of the drill
    makes (the units) times what ``price`` makes (:func:`nhnfin.drill.at_price`).

    A rounded figure: ``rounded`` is the quantum (1: whole kroner); the figure is what the rest
    of the drill makes, rounded half up to it (last, after ``per``, ``rate`` or ``price``).

    A count (how many mapping errors): ``counted`` is True and ``declared`` lists the counted
    items, one (file, line, what) each (an account's ``open``, a directive, a line of the notes
    layout; the same place twice for two items there); the figure is their number, not a sum
    of values.

    ``description`` says in Norwegian what the link shows (the hover text).
    """

    accounts: tuple[str, ...] = ()
    start: str | None = None
    end: str = ""
    query: str = ""
    sign: int = 1
    description: str = ""
    parts: tuple[tuple[int, Drill], ...] = ()
    declared: tuple[tuple[str, int, str], ...] = ()
    per: Drill | None = None
    rate: Drill | None = None
    rounded: Decimal | None = None
    counted: bool = False
    units: str = ""
    price: Drill | None = None

    @property
    def computed(self) -> bool:
        """Whether the figure is computed from what the drill selects (a quotient, an amount at
        a rate, units at a price, a rounding), not their plain sum."""
        return (self.per is not None or self.rate is not None or self.price is not None
                or self.rounded is not None)


@dataclass(frozen=True)
class StatementRow:
    """One line of a statement; ``amounts`` maps a year ("2024") to the exact amount."""

    key: str
    label: str
    note: str | None
    section: str
    kind: Kind
    amounts: dict[str, Decimal]
    drill: dict[str, Drill] = field(default_factory=dict)


@dataclass(frozen=True)
class Statement:
    """A statement (income statement, balance sheet or cash flow) for ``years`` (current first)."""

    key: str
    title: str
    years: tuple[str, ...]
    rows: tuple[StatementRow, ...]
    # the columns' headings when they are not the years: a period report's dates
    # ("01.01.–30.06.2025" for flows, "30.06.2025" for the balance sheet)
    headings: tuple[str, ...] = ()

    def column_headings(self) -> tuple[str, ...]:
        """What each year's column is headed: ``headings`` when given, else the years."""
        return self.headings or self.years

    def row(self, key: str) -> StatementRow:
        """The row with ``key``; KeyError if there is none."""
        for row in self.rows:
            if row.key == key:
                return row
        raise KeyError(key)


@dataclass(frozen=True)
class Column:
    """A note table's column: key as in the reference JSON, Norwegian label as printed."""

    key: str
    label: str


@dataclass(frozen=True)
class NoteRow:
    """A note table's row. ``values`` holds amounts per column key (None for an empty cell),
    ``text_values`` the non-amount cells (useful life, periods)."""

    key: str
    label: str
    values: dict[str, Decimal | None]
    kind: Kind = Kind.ITEM
    text_values: dict[str, str] = field(default_factory=dict)
    drill: dict[str, Drill] = field(default_factory=dict)
    unit: str | None = None


@dataclass(frozen=True)
class TableCheck:
    """An identity a note table's figures satisfy, checked on the published table too.

    ``across="columns"``: in every row (or those in ``only``), column ``target`` equals the
    signed sum of the columns in ``terms`` (a roll-forward: set aside = carried + invoiced − use).
    ``across="rows"``: in every column (or those in ``only``), row ``target`` equals the signed
    sum of the rows in ``terms`` (a total row).
    """

    across: str
    target: str
    terms: tuple[tuple[int, str], ...]
    only: tuple[str, ...] = ()

    def describe(self) -> str:
        """``target = + a − b`` for messages."""
        parts = " ".join(f"{'+' if s > 0 else '−'} {k}" for s, k in self.terms)
        return f"{self.target} = {parts}"


@dataclass(frozen=True)
class NoteTable:
    """One table of a note; ``checks`` are the identities its figures satisfy."""

    caption: str
    columns: tuple[Column, ...]
    rows: tuple[NoteRow, ...]
    unit: str = "NOK"
    text_columns: tuple[Column, ...] = ()
    checks: tuple[TableCheck, ...] = ()

    def row(self, key: str) -> NoteRow:
        """The row with ``key``; KeyError if there is none."""
        for row in self.rows:
            if row.key == key:
                return row
        raise KeyError(key)


@dataclass(frozen=True)
class TextFigure:
    """A figure a placeholder printed in a note's text: characters ``start``-``end`` of its
    block's text (of list item ``item`` in a list), ``text`` as printed ("127,7"), ``value`` the
    exact figure it rounds, quoted in units of ``scale`` (1, or 1 000 000 for MNOK) to the last
    printed digit ``quantum`` (1, 0.1), with what makes it (``drill``; None when the template
    computed it from other figures). ``key`` is its ``narrative`` key, if the text names one."""

    start: int
    end: int
    text: str
    value: Decimal
    scale: Decimal = Decimal(1)
    quantum: Decimal = Decimal(1)
    drill: Drill | None = None
    item: int | None = None
    key: str = ""


@dataclass(frozen=True)
class TextBlock:
    """A piece of a note's text, in print order: a ``heading``, a ``paragraph``, a bullet
    ``list`` (``items``) or the place of the note's ``table`` number ``table`` (0-based).
    ``figures`` are the figures its placeholders printed, where they stand in it."""

    kind: str
    text: str = ""
    items: tuple[str, ...] = ()
    table: int | None = None
    figures: tuple[TextFigure, ...] = ()


@dataclass(frozen=True)
class NarrativeFigure:
    """A figure quoted in a note's text, computed from the ledger: ``key`` names it (as the
    published report's ``narrative_figures``), ``text`` is how it is printed ("127,7"),
    ``value`` the printed figure as a plain number string ("127.7"), ``source`` the template's
    file:line."""

    key: str
    text: str
    value: str
    source: str


@dataclass(frozen=True)
class TextFinding:
    """A literal figure in a note's text (not a placeholder) that the ledger does not give, or
    a figure the text quotes that the year lacks; ``note`` is the note's number."""

    where: str
    figure: str
    message: str
    note: str = ""


@dataclass(frozen=True)
class Note:
    """A note to the accounts, numbered as in the annual report; ``text`` is its text (from the
    template the ledger names), with the places of its tables, and ``figures`` the figures the
    text quotes."""

    number: str
    title: str
    tables: tuple[NoteTable, ...]
    text: tuple[TextBlock, ...] = ()
    figures: tuple[NarrativeFigure, ...] = ()

    def blocks(self) -> tuple[TextBlock, ...]:
        """Text and tables in print order: the text's blocks, with every table the text does not
        place after it."""
        placed = {b.table for b in self.text if b.kind == "table"}
        rest = tuple(
            TextBlock("table", table=i) for i in range(len(self.tables)) if i not in placed
        )
        return self.text + rest


class Status(StrEnum):
    """Outcome of a tie-out."""

    PASSED = "passed"
    FAILED = "failed"
    WARNING = "warning"


@dataclass(frozen=True)
class TieOut:
    """A check that two figures agree: ``left`` (what is checked) against ``right`` (what it must
    equal). ``difference`` = left − right. ``tolerance`` is what is allowed (zero unless the check
    compares rounded published figures). ``left_drill`` and ``right_drill`` are what makes each
    side when it is a report figure (a statement line, or a sum of them); None otherwise.
    ``unlinked`` says in Norwegian, for a side without a drill (the zero a count of errors
    must be), what it is and why it links nowhere. ``right`` is None when the side has no
    figure (a foreign currency without a rate: its NOK cannot be computed); ``missing`` then
    says in a word or two what is missing (``kurs mangler``), shown instead of the figure and
    of the difference, and ``right_drill`` is what the figure would be made of (the holding)."""

    check_id: str
    description: str
    left: Decimal
    right: Decimal | None
    status: Status
    tolerance: Decimal = Decimal(0)
    detail: str = ""
    left_drill: Drill | None = field(default=None, compare=False)
    right_drill: Drill | None = field(default=None, compare=False)
    unlinked: str = field(default="", compare=False)
    missing: str = ""

    @property
    def difference(self) -> Decimal | None:
        """left − right; None when the right side has no figure."""
        return None if self.right is None else self.left - self.right


@dataclass(frozen=True)
class PublishedFinding:
    """A place where the published report does not add up (or differs from the ledger).

    What makes each figure, when it can be followed: ``published_drill`` the
    ``nhnfin-published`` directive that declares the document, keyed by the printed figure's
    cell in the document's own notation (``is:total_transfers:2024``,
    ``n2.0:total:invoiced_2024``); ``recomputed_drill`` the report figure's own
    drill (a ledger figure) or the printed cells it is recomputed from; ``exact`` the recomputed
    figure before it was rounded to kroner (a ledger figure), None when it was not rounded.
    ``unlinked`` says in Norwegian why a figure links nowhere (a figure quoted in a text that
    the note's template computes, or a document no ``nhnfin-published`` directive names)."""

    check_id: str
    where: str
    formula: str
    published: Decimal
    recomputed: Decimal
    severity: str
    explanation: str
    published_drill: Drill | None = field(default=None, compare=False)
    recomputed_drill: Drill | None = field(default=None, compare=False)
    exact: Decimal | None = field(default=None, compare=False)
    unlinked: str = field(default="", compare=False)

    @property
    def difference(self) -> Decimal:
        """published − recomputed."""
        return self.published - self.recomputed


@dataclass(frozen=True)
class Finding:
    """A business situation the books show, not an error in them: NHN bears a cost (an e-health
    solution's cost beyond what was invoiced, a grant overspent). ``filename``/``lineno`` locate
    the entry that caused it; ``year`` is the fiscal year it belongs to; ``amount`` is what is not
    covered; ``message`` is for people (Norwegian); ``drill`` what makes ``amount``: the
    postings and declared data the rule reckoned it from (an overspent grant's linked costs less
    its generated income), None only where no list of postings sums to it (a share of a posting
    split over grants)."""

    kind: str
    message: str
    filename: str
    lineno: int
    year: int
    amount: Decimal
    drill: Drill | None = field(default=None, compare=False)

    @property
    def location(self) -> str:
        """``file:line`` of the entry that caused it."""
        return f"{self.filename}:{self.lineno}"


@dataclass(frozen=True)
class Report:
    """The whole document for one fiscal year, with the prior year beside each figure."""

    entity: str
    year: int
    years: tuple[str, ...]
    statements: tuple[Statement, ...]
    notes: tuple[Note, ...]
    tieouts: tuple[TieOut, ...]
    published_findings: tuple[PublishedFinding, ...] = ()
    ledger_errors: tuple[str, ...] = ()
    findings: tuple[Finding, ...] = ()
    text_findings: tuple[TextFinding, ...] = ()
    # A report of a year not booked to its end (or to a date, ``nhnfin report --as-of``): the
    # last date with postings, the last date the rules booked to when that is later, and the
    # date the prior-year column ends. None for a finished year.
    booked_to: datetime.date | None = None
    rules_booked_to: datetime.date | None = None
    prior_to: datetime.date | None = None
    # A period report: the notes whose text the ledger declares only after the period's end (a
    # declaration acts from its date, as every nhnfin directive does), so the report has none.
    texts_after_period: tuple[str, ...] = ()
    # A period report (``nhnfin report --as-of``): the last day of its period, which the
    # title names; None for a year's report.
    period_to: datetime.date | None = None

    @property
    def kind(self) -> str:
        """What the document is: "årsregnskap", or "delårsregnskap" for a period report."""
        return "årsregnskap" if self.period_to is None else "delårsregnskap"

    @property
    def period(self) -> str:
        """What it covers: the year ("2024"), or a period's flows ("01.01.–31.03.2025")."""
        if self.period_to is None:
            return str(self.year)
        return f"01.01.–{norwegian_date(self.period_to)}"

    @property
    def compared_with(self) -> str:
        """What the prior column shows: "2023", or a period report's "samme periode i 2023"."""
        prior = str(self.year - 1)
        return prior if self.period_to is None else f"samme periode i {prior}"

    @property
    def title(self) -> str:
        """"årsregnskap 2024"; a period report's "delårsregnskap 01.01.–31.03.2025"."""
        return f"{self.kind} {self.period}"

    @property
    def preliminary(self) -> str:
        """"foreløpig, bokført til 28.02.2025" (and to which date the rules booked, and the
        prior-year column's end, when they differ); "" for a finished year."""
        if self.booked_to is None:
            return ""
        text = f"foreløpig, bokført til {norwegian_date(self.booked_to)}"
        if self.rules_booked_to is not None and self.rules_booked_to != self.booked_to:
            text += f"; reglene har bokført til {norwegian_date(self.rules_booked_to)}"
        if self.prior_to is not None:
            text += f"; sammenligningstall til {norwegian_date(self.prior_to)}"
        return text

    @property
    def status(self) -> str:
        """:attr:`preliminary`, and in a period report the notes whose text is declared after
        the period (the report's "Status" table)."""
        if not self.texts_after_period:
            return self.preliminary
        numbers = ", ".join(self.texts_after_period)
        which = "note" if len(self.texts_after_period) == 1 else "notene"
        return (f"{self.preliminary}; teksten til {which} {numbers} er oppgitt med dato etter "
                "perioden og vises ikke")

    @property
    def heading(self) -> str:
        """:attr:`title`, with the preliminary status in brackets when there is one."""
        return f"{self.title} ({self.preliminary})" if self.preliminary else self.title

    def statement(self, key: str) -> Statement:
        """The statement with ``key`` (income_statement, balance_sheet, cash_flow)."""
        for statement in self.statements:
            if statement.key == key:
                return statement
        raise KeyError(key)

    def note(self, number: str) -> Note:
        """The note numbered ``number``."""
        for note in self.notes:
            if note.number == number:
                return note
        raise KeyError(number)


def norwegian_date(day: datetime.date) -> str:
    """28.02.2025."""
    return day.strftime("%d.%m.%Y")


def norwegian_list(items: Sequence[object]) -> str:
    """"2022, 2023 og 2024"; "2024"; "" for none."""
    words = [str(item) for item in items]
    return " og ".join(filter(None, [", ".join(words[:-1]), *words[-1:]]))


def as_filed(report: Report, folder: Path) -> Report:
    """``report`` as a written document gives it: the files its words name (a finding's entry,
    the ledger's errors, the tie-outs' and findings' texts and keys) seen from ``folder``, the
    ledger's, as the notes' texts are (``nhnfin.report``), so that a report sent on names no
    machine's absolute paths. A file outside the folder keeps its path; the figures, the
    drills (queries for Fava) and the built report (cached, compared with a lock) are left
    as they are."""
    start = str(folder).rstrip(os.sep) + os.sep
    prefix = re.compile(r"(?<![\w/.~-])" + re.escape(start))

    def shown(text: str) -> str:
        return prefix.sub("", text)

    def key(text: str) -> str:  # a key's parts are joined by dots: ``finding.kind./path:13``
        return shown(text.replace("." + start, "."))

    return dataclasses.replace(
        report,
        ledger_errors=tuple(map(shown, report.ledger_errors)),
        findings=tuple(dataclasses.replace(f, filename=shown(f.filename),
                                           message=shown(f.message)) for f in report.findings),
        tieouts=tuple(dataclasses.replace(t, check_id=key(t.check_id),
                                          description=shown(t.description),
                                          detail=shown(t.detail), unlinked=shown(t.unlinked))
                      for t in report.tieouts),
        published_findings=tuple(
            dataclasses.replace(f, where=shown(f.where), explanation=shown(f.explanation),
                                unlinked=shown(f.unlinked)) for f in report.published_findings),
        text_findings=tuple(dataclasses.replace(f, where=shown(f.where), message=shown(f.message))
                            for f in report.text_findings),
    )
