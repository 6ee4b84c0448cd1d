"""The asset register as the ledger declares it: ``custom`` directives read and validated.

One register serves the fixed-asset plugin (:mod:`nhnfin.assets`), the delivery obligation
(:mod:`.delivery_obligation`), note 8 and the investment grants (which follow an asset by its
id). The directives (exact syntax in ``docs/fixed-assets.md``)::

    2024-04-01 custom "nhnfin-asset" "srv-2024" "infrastructure" 1200000.00 NOK  ; cost optional
      months: 60                  ; default per class
    2020-01-01 custom "nhnfin-transfer" "ehealth-2020" 368887231.00 NOK
      months: 60                  ; or explicit "nhnfin-schedule" lines
    2020-01-01 custom "nhnfin-schedule" "ehealth-2020" "2023" 73776721.00 NOK
    2024-06-30 custom "nhnfin-impairment" "srv-2024" 100000.00 NOK
    2024-09-30 custom "nhnfin-disposal" "srv-2024"
      account: Expenses:7700-OtherOperatingCosts   ; where a remaining book value goes

A directive that cannot be read becomes an :class:`~nhnfin.errors.NhnfinError` at its file and
line; checks over the whole register are in :mod:`nhnfin.assets.register`.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from dataclasses import field
from decimal import Decimal
from typing import Annotated
from typing import Any
from typing import Literal

from beancount.core import data
from beancount.core.amount import Amount
from pydantic import BaseModel
from pydantic import BeforeValidator
from pydantic import ConfigDict
from pydantic import Field
from pydantic import InstanceOf
from pydantic import StrictBool
from pydantic import ValidationError
from pydantic import model_validator

from nhnfin.assets.classes import CLASSES
from nhnfin.assets.classes import AssetClass
from nhnfin.assets.classes import class_names
from nhnfin.assets.depreciation import add_months
from nhnfin.errors import DATE_FROM_DIRECTIVE
from nhnfin.errors import META_OF_NHNFIN
from nhnfin.errors import NhnfinError
from nhnfin.errors import declared_twice
from nhnfin.errors import fields_in_meta
from nhnfin.errors import meta_date
from nhnfin.errors import meta_whole
from nhnfin.errors import not_an_amount
from nhnfin.errors import validation_problems
from nhnfin.money import MAX_AMOUNT
from nhnfin.money import ZERO

ASSET, TRANSFER, SCHEDULE = "nhnfin-asset", "nhnfin-transfer", "nhnfin-schedule"
IMPAIRMENT, DISPOSAL = "nhnfin-impairment", "nhnfin-disposal"
OBLIGATION = "Liabilities:2180-DeliveryObligation"
OBLIGATION_INCOME = "Income:3410-DeliveryObligationIncome"
#: The latest start a schedule of the longest life (600 months) can run from without passing
#: the last date Python and Beancount know (9999-12-31).
LAST_START = datetime.date(9948, 12, 31)
# a directive's own metadata dict, kept as it is (checked to be a dict, not copied: a model per
# directive would otherwise hold a copy of each directive's metadata)
Meta = InstanceOf[dict[str, Any]]


class AssetSpec(BaseModel):
    """A declared asset or transfer: what it costs, where it is booked and how it is written off."""

    model_config = ConfigDict(defer_build=True, frozen=True, extra="forbid")

    id: str = Field(min_length=1)
    kind: Literal["asset", "transfer"]
    asset_class: str
    date: datetime.date
    start: Annotated[datetime.date, BeforeValidator(meta_date)]
    months: Annotated[int | None, BeforeValidator(meta_whole)] = Field(default=None, gt=0, le=600)
    amount: Decimal | None = Field(default=None, gt=0, lt=MAX_AMOUNT, decimal_places=2)
    name: str = ""
    account: str = ""
    obligation: str = OBLIGATION
    income: str = OBLIGATION_INCOME
    book: StrictBool = True
    meta: Meta

    @model_validator(mode="after")
    def _check(self) -> AssetSpec:
        if self.asset_class not in CLASSES:
            raise ValueError(f"ukjent eiendelsklasse {self.asset_class!r} (bruk {class_names()})")
        if self.start < self.date:
            raise ValueError(f"start {self.start} er før direktivets dato {self.date}")
        if self.start > LAST_START:
            raise ValueError(f"start {self.start} er utenfor gyldig område: planen må slutte "
                             "innen 9999")
        if self.kind == "transfer" and self.amount is None:
            raise ValueError("en overføring trenger beløpet sitt (f.eks. 368887231.00 NOK)")
        return self

    @property
    def cls(self) -> AssetClass:
        """The asset's class."""
        return CLASSES[self.asset_class]

    @property
    def cost_account(self) -> str:
        """The cost account (the class's unless the directive names one)."""
        return self.account or self.cls.cost


class ScheduleLine(BaseModel):
    """One period of an explicit schedule: ``period`` is ``"2023"`` or ``"2023-05"``."""

    model_config = ConfigDict(defer_build=True, frozen=True)

    id: str
    period: str = Field(pattern=r"^\d{4}(-(0[1-9]|1[0-2]))?$")
    amount: Decimal = Field(ge=0, lt=MAX_AMOUNT, decimal_places=2)
    meta: Meta

    @model_validator(mode="after")
    def _in_range(self) -> ScheduleLine:
        if not 1 <= int(self.period[:4]) <= LAST_START.year + 50:
            raise ValueError(f"perioden {self.period} er utenfor gyldig område (årene 0001-9998)")
        return self

    @property
    def months(self) -> tuple[datetime.date, datetime.date]:
        """First and last month of the period."""
        if len(self.period) == 4:
            first = datetime.date(int(self.period), 1, 1)
            return first, add_months(first, 11)
        first = datetime.date(int(self.period[:4]), int(self.period[5:]), 1)
        return first, first


class EventDecl(BaseModel):
    """An impairment (with its amount) or a disposal (with the account for the book value)."""

    model_config = ConfigDict(defer_build=True, frozen=True, extra="forbid")

    id: str
    kind: Literal["impairment", "disposal"]
    date: datetime.date
    amount: Decimal = Field(default=ZERO, ge=0, lt=MAX_AMOUNT, decimal_places=2)
    account: str = ""
    meta: Meta


@dataclass
class Register:
    """Everything the ledger declares about its assets, what is wrong with it, and the ids of
    the assets that cannot be booked (``invalid``)."""

    specs: dict[str, AssetSpec] = field(default_factory=dict)
    schedules: dict[str, list[ScheduleLine]] = field(default_factory=lambda: defaultdict(list))
    events: dict[str, list[EventDecl]] = field(default_factory=lambda: defaultdict(list))
    errors: list[NhnfinError] = field(default_factory=list)
    invalid: set[str] = field(default_factory=set)


def _nok(value: Any, what: str) -> Decimal:
    if not isinstance(value, Amount) or value.currency != "NOK":
        raise ValueError(not_an_amount(what, value))
    number = value.number
    if not isinstance(number, Decimal):
        raise ValueError(f"{what} har ikke noe tall")
    return number


ARITY = {
    ASSET: (3, "id-en, klassen og eventuelt kostprisen"),
    TRANSFER: (2, "id-en og beløpet"),
    SCHEDULE: (3, 'id-en, perioden ("2023") og beløpet'),
    IMPAIRMENT: (2, "id-en og beløpet"),
    DISPOSAL: (1, "bare id-en"),
}


#: The fields each directive takes from its own values and date, never from its metadata: a
#: metadata line of one of these names (``date:`` on an impairment, ``id:`` on an asset) would
#: be dropped or would silently replace what the directive says, so it is an error
#: (:func:`_not_from_meta`). A schedule line takes no metadata at all.
FROM_DIRECTIVE: dict[str, tuple[str, ...]] = {
    ASSET: ("id", "kind", "asset_class", "amount", "date", "meta"),
    TRANSFER: ("id", "kind", "asset_class", "amount", "date", "meta"),
    IMPAIRMENT: ("id", "kind", "amount", "date", "meta"),
    DISPOSAL: ("id", "kind", "amount", "date", "meta"),
}
FROM_DIRECTIVE_WORDS = {
    "id": "id-en er direktivets første verdi",
    "kind": "direktivtypen sier hva slags direktiv det er",
    "asset_class": "klassen er direktivets andre verdi",
    "amount": "beløpet er en av direktivets verdier",
    "date": DATE_FROM_DIRECTIVE,
    "meta": META_OF_NHNFIN,
}


def _not_from_meta(entry: data.Custom, meta: dict[str, Any]) -> None:
    """Refuse metadata that names a field the directive's values or date give (or, on a
    schedule line, any metadata): read as a model field it would silently be overridden or
    override the directive.

    Raises:
        ValueError: one part per such key, ``key: why``.
    """
    if entry.type == SCHEDULE:
        problems = [f"{k}: ukjent felt (en planlinje har ingen metadata)" for k in meta]
    else:
        problems = fields_in_meta(meta, {k: FROM_DIRECTIVE_WORDS[k]
                                         for k in FROM_DIRECTIVE[entry.type]})
    if problems:
        raise ValueError("; ".join(problems))


def _fields(entry: data.Custom) -> dict[str, Any]:
    """The directive's arguments and meta as model fields."""
    values = [v.value for v in entry.values or []]
    meta = {k: v for k, v in entry.meta.items() if k not in ("filename", "lineno")}
    _not_from_meta(entry, meta)
    if not values or not isinstance(values[0], str):
        raise ValueError(f'"{entry.type}" trenger eiendelens id først, f.eks. "srv-2024"')
    most, usage = ARITY[entry.type]
    if len(values) > most:
        raise ValueError(f'"{entry.type}" tar {usage}; fikk {len(values)} verdier (skriv '
                         "resten som metadata, f.eks. account: ...)")
    common: dict[str, Any] = {"id": values[0], "meta": entry.meta}
    if entry.type == ASSET:
        if len(values) < 2 or not isinstance(values[1], str):
            raise ValueError(f'"{ASSET}" trenger id-en og klassen ({class_names()})')
        cost = _nok(values[2], "kostprisen") if len(values) > 2 else None
        return {**common, **meta, "kind": "asset", "asset_class": values[1], "amount": cost}
    if entry.type == TRANSFER:
        amount = _nok(values[1] if len(values) > 1 else None, "det overførte beløpet")
        return {**common, **meta, "kind": "transfer", "asset_class": "ehealth", "amount": amount}
    if entry.type == SCHEDULE:
        if len(values) != 3:
            raise ValueError(f'"{SCHEDULE}" tar id-en, perioden ("2023") og beløpet')
        return {**common, "period": values[1], "amount": _nok(values[2], "beløpet")}
    kind = "impairment" if entry.type == IMPAIRMENT else "disposal"
    fields = {**common, **meta, "kind": kind, "date": entry.date}
    if kind == "impairment":
        fields["amount"] = _nok(values[1] if len(values) > 1 else None, "nedskrivningen")
    return fields


def describe(exc: ValidationError | ValueError) -> str:
    """A validation failure as one line: ``field: reason; field: reason``."""
    if isinstance(exc, ValidationError):
        return validation_problems(exc)
    return str(exc)


def read_entry(entry: data.Custom, register: Register) -> None:
    """Read one directive into ``register`` (or record why it cannot be read)."""
    try:
        fields = _fields(entry)
        if entry.type in (ASSET, TRANSFER):
            fields.setdefault("date", entry.date)
            fields.setdefault("start", fields["date"])
            spec = AssetSpec(**fields)
            if spec.id in register.specs:
                other = register.specs[spec.id].meta
                raise ValueError(declared_twice("eiendels-id-en", spec.id, other))
            register.specs[spec.id] = spec
        elif entry.type == SCHEDULE:
            register.schedules[fields["id"]].append(ScheduleLine(**fields))
        else:
            register.events[fields["id"]].append(EventDecl(**fields))
    except (ValidationError, ValueError) as exc:
        register.errors.append(NhnfinError(entry.meta, f"{entry.type}: {describe(exc)}", entry))
