"""The grant directives' data (note 3): pydantic models, validated from ``custom`` metadata.

:mod:`nhnfin.grants.directives` turns ``custom`` entries into these models; a value that fails
validation becomes a :class:`GrantError` at the directive's line. Amounts are written
``123.45 NOK`` and must be in NOK; accounts must lie under the root their role needs. The
engine's output (:class:`Booking` of :class:`Leg` s, :class:`Funding`) is defined here too.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from dataclasses import field
from decimal import Decimal
from typing import Annotated
from typing import Any
from typing import Literal
from typing import NamedTuple

from beancount.core.amount import Amount
from pydantic import BaseModel
from pydantic import BeforeValidator
from pydantic import ConfigDict
from pydantic import Field
from pydantic import InstanceOf
from pydantic import field_validator
from pydantic import model_validator

from nhnfin.config import period_alias
from nhnfin.errors import as_written
from nhnfin.errors import meta_date
from nhnfin.model import Finding
from nhnfin.money import MAX_AMOUNT
from nhnfin.money import ZERO

# a directive's own metadata dict, kept as it is (checked to be a dict, not copied: a model per
# directive would otherwise hold a copy of each directive's metadata)
Meta = InstanceOf[dict[str, Any]]
Period = Annotated[
    Literal["monthly", "quarterly", "yearly"],
    BeforeValidator(period_alias({"month": "monthly", "quarter": "quarterly", "year": "yearly"})),
]
CURRENCY = "NOK"
ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"
_ACCOUNT = r"^{}(:[A-Z0-9][A-Za-z0-9-]*)+$"


class GrantError(NamedTuple):
    """A grant problem at ``source`` (a directive's meta)."""

    source: Meta
    message: str
    entry: Any


def _account(root: str, default: str | None = None) -> Any:
    """A pydantic field holding an account under ``root`` (required when no default)."""
    if default is None:
        return Field(pattern=_ACCOUNT.format(root))
    return Field(default, pattern=_ACCOUNT.format(root))


#: dates in a grant's metadata, refused unless Beancount read them as dates (round 13's probe)
MetaDate = Annotated[datetime.date, BeforeValidator(meta_date)]
OptionalMetaDate = Annotated[datetime.date | None, BeforeValidator(meta_date)]


class GrantConfig(BaseModel):
    """The plugin line's config: defaults for every grant (each can override them)."""

    model_config = ConfigDict(defer_build=True, extra="forbid", frozen=True)

    period: Period = "monthly"
    liability: str = _account("Liabilities", "Liabilities:2910-UnusedPublicGrants")
    receivable: str = _account("Assets", "Assets:1570-GrantsReceivable")
    income: str = _account("Income", "Income:3400-GrantIncome")
    deferred: str = _account("Liabilities", "Liabilities:2930-InvestmentGrantsDeferred")
    investment_income: str = _account("Income", "Income:3920-InvestmentGrantIncome")
    repayment_account: str = _account("(Assets|Liabilities)", "Assets:1920-Bank")


def _nok(value: Any) -> Any:
    """A beancount ``Amount`` in NOK becomes its Decimal number; anything else is refused, as
    every other rule refuses it (round 13's probe: ``amount: 1000`` and ``amount: "1e3"`` were
    taken as 1 000 NOK without a word)."""
    if isinstance(value, Amount):
        if value.currency != CURRENCY:
            raise ValueError(f"må være i {CURRENCY}, ikke {value.currency}")
        return value.number
    raise ValueError(f"må være et beløp i {CURRENCY} (f.eks. 1000.00 {CURRENCY}), "
                     f"men er {as_written(value)}")


class DirectiveModel(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="forbid", frozen=True, populate_by_name=True)

    id: str = Field(pattern=ID_PATTERN)
    date: datetime.date
    meta: Meta = Field(exclude=True, repr=False)

    @field_validator("amount", mode="before", check_fields=False)
    @classmethod
    def amount_in_nok(cls, value: Any) -> Any:
        """Amounts are written ``123.45 NOK``; the currency must be NOK."""
        return _nok(value)


class Grant(DirectiveModel):
    """A declared grant: where the money comes from, how much, when it may be used, where it
    is booked and which note-3 row it is shown on."""

    name: str = Field(min_length=1)
    source: str = Field(min_length=1)
    amount: Decimal = Field(ZERO, ge=0, lt=MAX_AMOUNT)
    start: MetaDate
    end: OptionalMetaDate = None
    ready_for_management: OptionalMetaDate = Field(None, alias="ready-for-management")
    period: Period
    note_row: str = Field(alias="note-row", pattern=r"^[a-z][a-z0-9_]*$")
    note_label: str | None = Field(None, alias="note-label", min_length=1)
    liability: str = _account("Liabilities")
    receivable: str = _account("Assets")
    income: str = _account("Income")
    deferred: str = _account("Liabilities")
    investment_income: str = Field(alias="investment-income", pattern=_ACCOUNT.format("Income"))

    @model_validator(mode="after")
    def _dates_in_order(self) -> Grant:
        if self.end is not None and self.end < self.start:
            raise ValueError(f"slutt {self.end} er før start {self.start}")
        ready = self.ready_for_management
        if ready is not None and (ready < self.start or (self.end and ready > self.end)):
            raise ValueError(f"ready-for-management {ready} er utenfor tilskuddets periode")
        return self

    @property
    def label(self) -> str:
        """The note-3 row label: ``note-label``, or the grant's name."""
        return self.note_label or self.name


class Award(DirectiveModel):
    """An amount awarded to a grant on ``date`` (the declaration's ``amount`` is the first)."""

    amount: Decimal = Field(gt=0, lt=MAX_AMOUNT)


class Repayment(DirectiveModel):
    """Unused grant paid back (or owed back, credited to ``account``) on ``date``."""

    amount: Decimal = Field(gt=0, lt=MAX_AMOUNT)
    account: str = _account("(Assets|Liabilities)")
    reason: str = ""


class Reallocation(DirectiveModel):
    """Unused grant moved from grant ``id`` to grant ``to`` on ``date``."""

    to: str = Field(pattern=ID_PATTERN)
    amount: Decimal = Field(gt=0, lt=MAX_AMOUNT)
    reason: str = ""


@dataclass(frozen=True)
class Leg:
    """One posting of a booking."""

    account: str
    amount: Decimal
    grant: str
    asset: str | None = None


@dataclass(frozen=True)
class Booking:
    """A transaction the rule generates; ``source`` is the meta of what caused it."""

    date: datetime.date
    rule: str
    grant: str
    narration: str
    legs: tuple[Leg, ...]
    source: Meta
    extra: tuple[tuple[str, str | bool], ...] = ()


@dataclass(frozen=True)
class Funding:
    """Grant money moved to the deferred investment grant for an asset, at entry ``seq``."""

    grant: str
    asset: str
    amount: Decimal
    seq: int


@dataclass(frozen=True)
class Outcome:
    """What the engine produced: ``errors`` in the ledger, and ``findings``: overspending and
    the like, legitimate states of the books reported to the controller (not errors)."""

    bookings: list[Booking]
    fundings: list[Funding]
    errors: list[GrantError]
    findings: list[Finding] = field(default_factory=list)
