"""The controllers' ``custom`` directives for e-health invoicing (note 2), parsed and validated.

Everything a controller edits for the invoice basis and the income rule lives in the ledger, one
directive a line, so every error points at ``file:line``::

    2022-01-01 custom "nhnfin-ehealth-options" "rounding" "krone" "invoicing" "quarterly"
    2022-01-01 custom "nhnfin-ehealth-group" "RHF" TRUE           ; TRUE: share is compensated
    2022-01-01 custom "nhnfin-ehealth-group" "Apotek" FALSE
      split: "population"                                        ; or "equal"
    2022-01-01 custom "nhnfin-ehealth-solution" "e-resept" "E-resept"
    2022-01-01 custom "nhnfin-ehealth-key" "e-resept" "RHF" 44.5 "Kommune" 44.5 "Apotek" 11
    2022-01-01 custom "nhnfin-ehealth-cost-basis" "e-resept" 2022 122000000 NOK
      compensated: 122100000 NOK                                 ; default 0
      repayment: 0 NOK                                           ; lower invoicing; default 0
    2022-01-01 custom "nhnfin-ehealth-actor" "Helse-Vest" "RHF"
      name: "Helse Vest RHF"                                     ; account: defaults to 1500:<id>
    2022-01-01 custom "nhnfin-ehealth-population" "Helse-Vest" 1130000
      source: "SSB tabell 07459, 1.1.2022"
    2024-01-01 custom "nhnfin-ehealth-merger" "Kommune-A" "Kommune-B"   ; optional count moved
    2025-06-30 custom "nhnfin-ehealth-repayment" "e-resept" 1000.00 NOK Assets:1920-Bank

See ``docs/ehealth-invoicing.md`` for the meaning of each. :func:`parse` returns a validated
:class:`EHealthConfig` and the errors (never raises for bad input).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from collections.abc import Iterable
from decimal import Decimal
from typing import Annotated
from typing import Any
from typing import Literal

from beancount.core import account as bc_account
from beancount.core import amount as bc_amount
from beancount.core import data
from pydantic import BaseModel
from pydantic import BeforeValidator
from pydantic import ConfigDict
from pydantic import InstanceOf
from pydantic import ValidationError

from nhnfin.config import entries_of
from nhnfin.config import period_alias
from nhnfin.errors import NhnfinError
from nhnfin.errors import as_written
from nhnfin.errors import declared_twice
from nhnfin.errors import given_twice
from nhnfin.errors import not_an_amount
from nhnfin.errors import validation_problem
from nhnfin.money import KRONE
from nhnfin.money import MAX_AMOUNT
from nhnfin.money import ORE
from nhnfin.money import ZERO
from nhnfin.money import over_limit

PREFIX = "nhnfin-ehealth-"
# a directive's own metadata dict, kept as it is (checked to be a dict, not copied: a model per
# directive would otherwise hold a copy of each directive's metadata)
Meta = InstanceOf[dict[str, Any]]
Period = Annotated[
    Literal["annual", "quarterly", "monthly"],
    BeforeValidator(period_alias({"month": "monthly", "quarter": "quarterly", "year": "annual"})),
]


class _Model(BaseModel):
    model_config = ConfigDict(defer_build=True, frozen=True, extra="forbid")


class Options(_Model):
    """Ledger-wide settings (``nhnfin-ehealth-options``, at most one)."""

    rounding: Literal["krone", "øre"] = "øre"
    invoicing: Period = "annual"
    recognition: Period = "monthly"
    liability: str = "Liabilities:2920-EHealthObligations"
    income: str = "Income:3000-EHealthRevenue"
    receivables: str = "Assets:1500-TradeReceivables"

    @property
    def quantum(self) -> Decimal:
        """The smallest unit of a split part."""
        return KRONE if self.rounding == "krone" else ORE


#: the receivables account of the default options (read from the field: no model per actor)
DEFAULT_RECEIVABLES: str = Options.model_fields["receivables"].default


class Group(_Model):
    """An actor group (RHF, kommune, apotek, andre); ``compensated``: its share is compensated."""

    id: str
    compensated: bool
    split: Literal["population", "equal"] = "population"
    name: str = ""
    meta: Meta


class Solution(_Model):
    """A national e-health solution."""

    id: str
    name: str
    meta: Meta


class Key(_Model):
    """A solution's split between groups (percent), in force from ``date``."""

    solution: str
    date: datetime.date
    shares: tuple[tuple[str, Decimal], ...]
    rule: str = ""
    meta: Meta


class CostBasis(_Model):
    """Financing need, compensated amount and repayment of a solution for a year."""

    solution: str
    year: int
    need: Decimal
    compensated: Decimal = ZERO
    repayment: Decimal = ZERO
    source: str = ""
    meta: Meta

    @property
    def invoiced(self) -> Decimal:
        """What is invoiced: the need less what the liability pays back (lower invoicing)."""
        return self.need - self.repayment


class Actor(_Model):
    """A paying actor (customer) in a group, with its receivable account."""

    id: str
    group: str
    name: str
    account: str
    date: datetime.date
    meta: Meta


class PopulationEvent(_Model):
    """A population figure (``count`` set) or a merger (``target`` set; ``count`` None = all)."""

    date: datetime.date
    actor: str
    count: Decimal | None
    target: str | None = None
    source: str = ""
    meta: Meta


class Repayment(_Model):
    """An explicit repayment out of the liability, booked against ``account``."""

    date: datetime.date
    solution: str
    amount: Decimal
    account: str
    meta: Meta


class EHealthConfig(_Model):
    """Everything declared, validated."""

    options: Options = Options(rounding="øre")
    dated_options: tuple[tuple[datetime.date, Options], ...] = ()
    groups: dict[str, Group] = {}
    solutions: dict[str, Solution] = {}
    keys: tuple[Key, ...] = ()
    cost_bases: tuple[CostBasis, ...] = ()
    actors: dict[str, Actor] = {}
    population: tuple[PopulationEvent, ...] = ()
    repayments: tuple[Repayment, ...] = ()

    def options_at(self, date: datetime.date) -> Options:
        """The options in force on ``date``: a ``nhnfin-ehealth-options`` directive acts from
        its own date on, never on earlier periods (before the first one, the defaults)."""
        found = [o for d, o in self.dated_options if d <= date]
        return found[-1] if found else Options()

    def key_at(self, solution: str, date: datetime.date) -> Key | None:
        """The key of ``solution`` in force on ``date``."""
        found = [k for k in self.keys if k.solution == solution and k.date <= date]
        return max(found, key=lambda k: k.date) if found else None


def _values(entry: data.Custom) -> list[Any]:
    return [v.value for v in entry.values or []]


def _text(value: Any, what: str) -> str:
    if not isinstance(value, str) or not value:
        raise ValueError(f"{what} må være en tekst, men er {as_written(value)}")
    return value


def _nok(value: Any, what: str) -> Decimal:
    if isinstance(value, bc_amount.Amount) and value.currency == "NOK" and value.number is not None:
        return _bounded(Decimal(value.number), what)
    raise ValueError(not_an_amount(what, value))


def _bounded(number: Decimal, what: str) -> Decimal:
    if not abs(number) < MAX_AMOUNT:
        raise ValueError(f"{what}: {over_limit(number, unit='')}")
    return number


def _count(value: Any, what: str) -> Decimal:
    if isinstance(value, Decimal) and value >= 0 and value == value.to_integral_value():
        return _bounded(value, what)
    raise ValueError(f"{what} må være et helt tall ≥ 0, men er {as_written(value)}")


def _arity(values: list[Any], low: int, high: int, usage: str) -> None:
    if not low <= len(values) <= high:
        raise ValueError(f"ventet {usage}")


def _options(entry: data.Custom, v: list[Any]) -> dict[str, Any]:
    if len(v) % 2:
        raise ValueError('ventet par: "rounding" "krone" "invoicing" "quarterly" ...')
    names = [_text(v[i], "opsjonsnavnet") for i in range(0, len(v), 2)]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise ValueError(given_twice(f"opsjonen {', '.join(repeated)}"))
    return {"options": Options(**dict(zip(names, v[1::2], strict=True)))}


def _group(entry: data.Custom, v: list[Any]) -> dict[str, Any]:
    _arity(v, 2, 2, 'GROUP-ID TRUE|FALSE (compensated)')
    if not isinstance(v[1], bool):
        raise ValueError(f"compensated må være TRUE eller FALSE, men er {as_written(v[1])}")
    return {"group": Group(id=_text(v[0], "gruppe-id-en"), compensated=v[1],
                           split=entry.meta.get("split", "population"),
                           name=entry.meta.get("name", ""), meta=entry.meta)}


def _solution(entry: data.Custom, v: list[Any]) -> dict[str, Any]:
    _arity(v, 1, 2, '"solution-id" ["Name"]')
    sid = _text(v[0], "løsnings-id-en")
    name = _text(v[1], "løsningsnavnet") if len(v) > 1 else sid
    return {"solution": Solution(id=sid, name=name, meta=entry.meta)}


def _key(entry: data.Custom, v: list[Any]) -> dict[str, Any]:
    if len(v) < 3 or len(v) % 2 == 0:
        raise ValueError('ventet "solution-id" "GROUP" PROSENT ["GROUP" PROSENT ...]')
    shares = []
    for i in range(1, len(v), 2):
        if not isinstance(v[i + 1], Decimal) or v[i + 1] < 0:
            raise ValueError(f"andelen til {as_written(v[i])} må være en prosentsats ≥ 0, "
                             f"men er {as_written(v[i + 1])}")
        shares.append((_text(v[i], "gruppe-id-en"), v[i + 1]))
    groups = [g for g, _ in shares]
    if len(set(groups)) != len(groups):
        raise ValueError(f"en gruppe står to ganger i nøkkelen: {', '.join(groups)}")
    total = sum((p for _, p in shares), ZERO)
    if total != 100:
        raise ValueError(f"nøkkelen for {v[0]!r} summerer til {total} %, ikke 100 %")
    return {"key": Key(solution=_text(v[0], "løsnings-id-en"), date=entry.date,
                       shares=tuple(shares), rule=entry.meta.get("rule", ""), meta=entry.meta)}


def _cost_basis(entry: data.Custom, v: list[Any]) -> dict[str, Any]:
    _arity(v, 3, 3, '"solution-id" YEAR NEED-AMOUNT NOK')
    year = v[1]
    if not isinstance(year, Decimal) or year != year.to_integral_value() or not 0 < year < 9999:
        raise ValueError(f"året må være et tall som 2022, men er {as_written(year)}")
    meta = entry.meta
    basis = CostBasis(
        solution=_text(v[0], "løsnings-id-en"), year=int(year), need=_nok(v[2], "behovet"),
        compensated=_nok(meta["compensated"], "compensated") if "compensated" in meta else ZERO,
        repayment=_nok(meta["repayment"], "repayment") if "repayment" in meta else ZERO,
        source=str(meta.get("source", "")), meta=meta)
    if basis.need < 0 or basis.compensated < 0 or not ZERO <= basis.repayment <= basis.need:
        raise ValueError("behovet og compensated må være ≥ 0, og 0 ≤ repayment ≤ behovet")
    return {"cost_basis": basis}


def _actor(entry: data.Custom, v: list[Any]) -> dict[str, Any]:
    _arity(v, 2, 2, '"actor-id" "GROUP-ID"')
    aid = _text(v[0], "aktør-id-en")
    account = entry.meta.get("account") or f"{DEFAULT_RECEIVABLES}:{aid}"
    if not (isinstance(account, str) and bc_account.is_valid(account)):
        # the customer account its invoices post to (nhnfin invoice-basis) and the customer
        # ledger reads: refused here, at the actor's line, not in a file written later
        raise ValueError(
            f"aktøren {aid!r} får kundekontoen «{account}», som ikke er et Beancount-kontonavn: "
            f"bruk bare bokstaver, sifre og bindestrek i id-en (som «{'-'.join(aid.split())}»), "
            "eller oppgi kontoen med account:")
    return {"actor": Actor(id=aid, group=_text(v[1], "gruppe-id-en"), account=account,
                           name=entry.meta.get("name", aid), date=entry.date, meta=entry.meta)}


def _population(entry: data.Custom, v: list[Any]) -> dict[str, Any]:
    _arity(v, 2, 2, '"actor-id" POPULATION')
    return {"population": PopulationEvent(
        date=entry.date, actor=_text(v[0], "aktør-id-en"), count=_count(v[1], "folketallet"),
        source=str(entry.meta.get("source", "")), meta=entry.meta)}


def _merger(entry: data.Custom, v: list[Any]) -> dict[str, Any]:
    _arity(v, 2, 3, '"from-actor" "to-actor" [POPULATION MOVED]')
    count = _count(v[2], "folketallet som flyttes") if len(v) == 3 else None
    source, target = _text(v[0], "aktør-id-en"), _text(v[1], "aktør-id-en")
    if source == target:
        raise ValueError(f"sammenslåing av aktøren {source!r} med seg selv; oppgi aktøren den "
                         "slås sammen med")
    return {"population": PopulationEvent(
        date=entry.date, actor=source, target=target,
        count=count, source=str(entry.meta.get("source", "")), meta=entry.meta)}


def _repayment(entry: data.Custom, v: list[Any]) -> dict[str, Any]:
    _arity(v, 3, 3, '"solution-id" AMOUNT NOK ACCOUNT')
    amount = _nok(v[1], "tilbakebetalingen")
    if amount <= 0:
        raise ValueError("en tilbakebetaling må være positiv")
    target = _text(v[2], "kontoen")
    if not bc_account.is_valid(target):
        raise ValueError(f"kontoen for tilbakebetalingen må være en konto som Assets:1920-Bank, "
                         f"men er {as_written(target)}")
    return {"repayment": Repayment(date=entry.date, solution=_text(v[0], "solution id"),
                                   amount=amount, account=target, meta=entry.meta)}


PARSERS: dict[str, Callable[[data.Custom, list[Any]], dict[str, Any]]] = {
    "options": _options, "group": _group, "solution": _solution, "key": _key,
    "cost-basis": _cost_basis, "actor": _actor, "population": _population,
    "merger": _merger, "repayment": _repayment,
}


# the metadata each directive reads; any other key would be ignored silently, so it is an error
METADATA: dict[str, tuple[str, ...]] = {
    "options": (), "group": ("split", "name"), "solution": (), "key": ("rule",),
    "cost-basis": ("compensated", "repayment", "source"), "actor": ("account", "name"),
    "population": ("source",), "merger": ("source",), "repayment": (),
}


def no_population(actor: str) -> str:
    """An actor whose group is split by population has no population (directives, basis)."""
    return f"aktøren {actor!r} har ikke noe folketall"


def unknown_metadata(entry: data.Custom, allowed: Iterable[str]) -> str | None:
    """Why ``entry`` carries a metadata key it does not read (None when it does not)."""
    extra = sorted(set(entry.meta) - {"filename", "lineno", *allowed})
    if not extra:
        return None
    takes = ", ".join(allowed) if allowed else "ingen"
    return f"ukjent metadata {', '.join(extra)} (dette direktivet tar: {takes})"


def parse_entry(entry: data.Custom) -> dict[str, Any]:
    """Parse one ``nhnfin-ehealth-*`` directive into ``{kind: model}``.

    Raises:
        ValueError: the directive is malformed (the message says how).
    """
    kind = entry.type.removeprefix(PREFIX)
    parser = PARSERS.get(kind)
    if parser is None:
        raise ValueError(f"ukjent direktiv; bruk ett av: {', '.join(PREFIX + k for k in PARSERS)}")
    unknown = unknown_metadata(entry, METADATA[kind])
    if unknown is not None:
        raise ValueError(unknown)
    try:
        return parser(entry, _values(entry))
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        message = validation_problem(first)
        raise ValueError(f"{where}: {message}" if where else message) from None


def parse(entries: Iterable[Any]) -> tuple[EHealthConfig, list[NhnfinError]]:
    """Collect and validate every ``nhnfin-ehealth-*`` directive of ``entries``."""
    errors: list[NhnfinError] = []
    found: dict[str, list[Any]] = {}
    for entry in entries_of(entries, data.Custom):
        if entry.type.startswith(PREFIX):
            try:
                for kind, model in parse_entry(entry).items():
                    found.setdefault(kind, []).append((model, entry))
            except ValueError as exc:
                errors.append(NhnfinError(entry.meta, f"{entry.type}: {exc}", entry))
    config = _assemble(found, errors)
    errors.extend(validate(config))
    return config, errors


def _unique(items: list[Any], errors: list[NhnfinError], what: str) -> dict[str, Any]:
    result: dict[str, Any] = {}
    first: dict[str, Any] = {}
    for model, entry in items:
        if model.id in result:
            errors.append(NhnfinError(entry.meta, declared_twice(what, model.id, first[model.id]),
                                      entry))
        else:
            result[model.id] = model
            first[model.id] = entry.meta
    return result


def _assemble(found: dict[str, list[Any]], errors: list[NhnfinError]) -> EHealthConfig:
    options = sorted(found.get("options", []), key=lambda o: o[1].date)
    dated: list[tuple[datetime.date, Options]] = []
    for model, entry in options:
        if dated and dated[-1][0] == entry.date:
            errors.append(NhnfinError(entry.meta, given_twice(
                f"nhnfin-ehealth-options for {entry.date}"), entry))
            continue
        dated.append((entry.date, model))
    opts = dated[0][1] if dated else Options()
    actors = _unique(found.get("actor", []), errors, "aktøren")
    default_prefix = f"{Options().receivables}:"
    if opts.receivables != Options().receivables:  # else each default account stays as it is
        actors = {k: a if a.meta.get("account") else a.model_copy(
            update={"account": a.account.replace(default_prefix, f"{opts.receivables}:", 1)})
            for k, a in actors.items()}
    return EHealthConfig(
        options=opts,
        dated_options=tuple(dated),
        groups=_unique(found.get("group", []), errors, "gruppen"),
        solutions=_unique(found.get("solution", []), errors, "løsningen"),
        keys=tuple(m for m, _ in found.get("key", [])),
        cost_bases=tuple(m for m, _ in found.get("cost_basis", [])),
        actors=actors,
        population=tuple(sorted((m for m, _ in found.get("population", [])),
                                key=lambda p: (p.date, p.meta.get("lineno", 0)))),
        repayments=tuple(m for m, _ in found.get("repayment", [])),
    )


def validate(config: EHealthConfig) -> list[NhnfinError]:
    """Cross-checks: every name used is declared, every actor has a population, no duplicates."""
    problems = [*_check_keys(config), *_check_cost_bases(config), *_check_actors(config)]
    problems.extend((r.meta, f"tilbakebetaling for ukjent løsning {r.solution!r}")
                    for r in config.repayments if r.solution not in config.solutions)
    return [NhnfinError(meta, message, None) for meta, message in problems]


def _check_keys(config: EHealthConfig) -> list[tuple[Meta, str]]:
    problems = [(k.meta, f"nøkkel for ukjent løsning {k.solution!r}")
                for k in config.keys if k.solution not in config.solutions]
    problems.extend((k.meta, f"nøkkelen for {k.solution!r} nevner ukjent gruppe {g!r}")
                    for k in config.keys for g, _ in k.shares if g not in config.groups)
    return problems


def _check_cost_bases(config: EHealthConfig) -> list[tuple[Meta, str]]:
    problems: list[tuple[Meta, str]] = []
    seen: set[tuple[str, int]] = set()
    for basis in config.cost_bases:
        if basis.solution not in config.solutions:
            problems.append((basis.meta, f"kostnadsgrunnlag for ukjent løsning {basis.solution!r}"))
        elif config.key_at(basis.solution, datetime.date(basis.year, 1, 1)) is None:
            problems.append((basis.meta, f"ingen nøkkel for {basis.solution!r} gjelder "
                             f"{basis.year}-01-01"))
        if (basis.solution, basis.year) in seen:
            problems.append((basis.meta, given_twice(
                f"kostnadsgrunnlaget for {basis.solution!r} {basis.year}")))
        seen.add((basis.solution, basis.year))
        options = config.options_at(datetime.date(basis.year, 1, 1))
        problems.extend((basis.meta, f"{a} er ikke et helt antall {options.rounding}")
                        for a in (basis.need, basis.compensated, basis.repayment)
                        if a % options.quantum)
    return problems


def _check_actors(config: EHealthConfig) -> list[tuple[Meta, str]]:
    problems: list[tuple[Meta, str]] = []
    counted = {p.actor for p in config.population if p.target is None}
    for actor in config.actors.values():
        group = config.groups.get(actor.group)
        if group is None:
            problems.append((actor.meta,
                             f"aktøren {actor.id!r} er i ukjent gruppe {actor.group!r}"))
        elif group.split == "population" and actor.id not in counted:
            problems.append((actor.meta, no_population(actor.id) + " (legg til "
                                                                   "nhnfin-ehealth-population)"))
    problems.extend((e.meta, f"folketall for ukjent aktør {name!r}")
                    for e in config.population for name in (e.actor, e.target)
                    if name is not None and name not in config.actors)
    return problems
