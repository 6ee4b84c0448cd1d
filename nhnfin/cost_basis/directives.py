"""The cost basis for the paying actors (TBU): budgets, forecasts and what pays, as directives.

A controller declares, one ``custom`` directive a line (so every error points at ``file:line``)::

    2021-01-01 custom "nhnfin-cost-element" "infrastruktur" "Infrastruktur"
      accounts: "6300-6399 6540"       ; optional: the cost accounts whose postings are this
    2021-01-01 custom "nhnfin-funding" "post-70-72" "Bevilgning post 70/72"
    ;   (besides the two built in: "forskrift" and "satsingsmidler")
    2021-08-01 custom "nhnfin-budget-version" "host-2021" "forecast" "Tall til TBU høst 2021"
    2021-08-01 custom "nhnfin-budget" "host-2021" "kjernejournal" "infrastruktur" "2021" 1000 NOK
      driver: "Fordeling av infrastrukturkostnader"   ; optional: what the line is for
      note: "Økt med 11 mnok pga infrastruktur"       ; optional: why it changed (the change log)
      funding: "post-70-72"                           ; optional: overrides the rule below
    2024-01-01 custom "nhnfin-ready-for-management" "sfm"   ; the date is the day it is ready
    2022-12-31 custom "nhnfin-volume" "kjernejournal" "2022" 1500000 "pålogginger"

The solutions are the e-health solutions (``nhnfin-ehealth-solution``, see
:mod:`nhnfin.ehealth.directives`). A version is a complete, dated snapshot (budget 2026,
forecast 1, ...); its lines give an amount per solution, cost element and period (``"2026"``,
``"2026-Q2"`` or ``"2026-05"``). The rule for who pays: a solution's D&F is paid by investment
funds (``satsingsmidler``) before its ready-for-management date and falls under the payment
regulation (``forskrift``) from that date; a solution with no such date is under the regulation.
A line's or posting's ``funding:`` overrides the rule.

With ``plugin "nhnfin.cost_basis.directives"`` bean-check and Fava show the errors; the plugin adds
no entries. :func:`parse` returns the validated :class:`CostBasisConfig` and the errors.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from collections.abc import Iterable
from dataclasses import dataclass
from dataclasses import field
from decimal import Decimal
from typing import Any
from typing import Literal

from beancount.core import amount as bc_amount
from beancount.core import data

from nhnfin.config import MARK_BUILT_IN
from nhnfin.config import no_config
from nhnfin.config import repeated_meta_keys
from nhnfin.ehealth.directives import parse as parse_ehealth
from nhnfin.ehealth.directives import unknown_metadata
from nhnfin.errors import NhnfinError
from nhnfin.errors import as_written
from nhnfin.errors import given_twice
from nhnfin.errors import location
from nhnfin.errors import not_an_amount
from nhnfin.errors import printable_errors
from nhnfin.lock_guard import per_rule_line
from nhnfin.money import ORE

__plugins__ = ("plugin",)

Meta = dict[str, Any]
REGULATION, INVESTMENT = MARK_BUILT_IN["funding"]  # "forskrift", "satsingsmidler"
BUILT_IN_FUNDING = {REGULATION: "Forskrift (plikt til betaling)", INVESTMENT: "Satsingsmidler"}
KINDS = ("budget", "forecast")
_PERIOD = re.compile(r"^(\d{4})(?:-(?:Q([1-4])|(0[1-9]|1[0-2])))?$")
_RANGE = re.compile(r"^(\d{4})(?:-(\d{4}))?$")


@dataclass(frozen=True)
class Period:
    """A year, quarter or month: ``start`` inclusive, ``end`` exclusive."""

    label: str
    start: datetime.date
    end: datetime.date

    @property
    def year(self) -> int:
        """The calendar year the period lies in."""
        return self.start.year

    def overlaps(self, other: Period) -> bool:
        """Whether the two periods share a day."""
        return self.start < other.end and other.start < self.end


@dataclass(frozen=True)
class Element:
    """A cost element; ``ranges``: the account numbers mapped to it (inclusive pairs)."""

    id: str
    name: str
    ranges: tuple[tuple[int, int], ...]
    meta: Meta


@dataclass(frozen=True)
class Version:
    """A dated version of the figures: a budget or a forecast, with the note it was given with."""

    id: str
    kind: Literal["budget", "forecast"]
    date: datetime.date
    note: str
    meta: Meta


@dataclass(frozen=True)
class BudgetLine:
    """One amount of a version for a solution, cost element and period."""

    version: str
    solution: str
    element: str
    period: Period
    amount: Decimal
    driver: str
    note: str
    funding: str | None
    meta: Meta


@dataclass(frozen=True)
class Ready:
    """The day a service is ready for management: its D&F moves to the regulation."""

    solution: str
    date: datetime.date
    note: str
    meta: Meta


@dataclass(frozen=True)
class Volume:
    """The volume of a solution in a year (logins, prescriptions, ...) for unit costs."""

    solution: str
    year: int
    count: Decimal
    unit: str
    meta: Meta


@dataclass(frozen=True)
class CostBasisConfig:
    """Everything declared; lines and versions in ledger order."""

    solutions: dict[str, str] = field(default_factory=dict)
    elements: dict[str, Element] = field(default_factory=dict)
    funding: dict[str, str] = field(default_factory=lambda: dict(BUILT_IN_FUNDING))
    versions: dict[str, Version] = field(default_factory=dict)
    lines: tuple[BudgetLine, ...] = ()
    ready: dict[str, Ready] = field(default_factory=dict)
    volumes: dict[tuple[str, int], Volume] = field(default_factory=dict)

    def element_of(self, account_number: int) -> str | None:
        """The element an account number is mapped to, if any."""
        for element in self.elements.values():
            if any(low <= account_number <= high for low, high in element.ranges):
                return element.id
        return None


def parse_period(value: Any) -> Period:
    """``"2026"``, ``"2026-Q2"``, ``"2026-05"`` (or the number 2026) as a :class:`Period`.

    Raises:
        ValueError: not a period.
    """
    text = str(int(value)) if isinstance(value, Decimal) and value == int(value) else value
    match = _PERIOD.match(text) if isinstance(text, str) else None
    if match is None:
        raise ValueError('perioden må være "2026", "2026-Q2" eller "2026-05", '
                         f"men er {as_written(value)}")
    year, quarter, month = int(match[1]), match[2], match[3]
    if quarter is None and month is None:
        first, months = 1, 12
    else:
        first, months = (3 * int(quarter) - 2, 3) if quarter else (int(month), 1)
    start = datetime.date(year, first, 1)
    after = first + months
    end = datetime.date(year + 1, 1, 1) if after > 12 else datetime.date(year, after, 1)
    return Period(text, start, end)


def _text(value: Any, what: str) -> str:
    if not isinstance(value, str) or not value:
        raise ValueError(f"{what} må være en tekst som ikke er tom, men er {as_written(value)}")
    return value


def _nok(value: Any, what: str) -> Decimal:
    if not (isinstance(value, bc_amount.Amount) and value.currency == "NOK"
            and isinstance(value.number, Decimal)):
        raise ValueError(not_an_amount(what, value))
    if value.number % ORE:
        raise ValueError(f"{what} {value.number} NOK har brøkdeler av en øre")
    return value.number


def _arity(values: list[Any], low: int, high: int, usage: str) -> None:
    if not low <= len(values) <= high:
        raise ValueError(f"ventet {usage}")


def _ranges(text: Any) -> tuple[tuple[int, int], ...]:
    result = []
    for part in str(text).replace(",", " ").split():
        match = _RANGE.match(part)
        if match is None:
            raise ValueError('accounts må være kontonumre eller intervaller som "6300-6399", men '
                             f'er {part!r}')
        low = int(match[1])
        result.append((low, int(match[2] or low)))
    return tuple(result)


def _element(entry: data.Custom, v: list[Any]) -> Any:
    _arity(v, 1, 2, '"element-id" ["Name"]')
    eid = _text(v[0], "element-id-en")
    return Element(eid, _text(v[1], "navnet") if len(v) > 1 else eid,
                   _ranges(entry.meta.get("accounts", "")), entry.meta)


def _funding(entry: data.Custom, v: list[Any]) -> Any:
    _arity(v, 2, 2, '"funding-id" "Name"')
    return (_text(v[0], "finansierings-id-en"), _text(v[1], "navnet"))


def _version(entry: data.Custom, v: list[Any]) -> Any:
    _arity(v, 3, 3, '"version-id" "budget"|"forecast" "note"')
    if v[1] not in KINDS:
        raise ValueError(f'typen må være "budget" eller "forecast", men er {as_written(v[1])}')
    return Version(_text(v[0], "versjons-id-en"), v[1], entry.date, _text(v[2], "notatet"),
                   entry.meta)


def _line(entry: data.Custom, v: list[Any]) -> Any:
    _arity(v, 5, 5, '"version" "solution" "element" "PERIOD" AMOUNT NOK')
    meta = entry.meta
    driver = str(meta.get("driver", ""))
    amount = _nok(v[4], "beløpet")
    if amount < 0 and not driver:
        raise ValueError(f"det negative beløpet {amount} NOK trenger en driver: som sier hva det "
                         "reduserer")
    funding = meta.get("funding")
    return BudgetLine(_text(v[0], "versjons-id-en"), _text(v[1], "løsnings-id-en"),
                      _text(v[2], "element-id-en"), parse_period(v[3]), amount, driver,
                      str(meta.get("note", "")), None if funding is None else str(funding), meta)


def _ready(entry: data.Custom, v: list[Any]) -> Any:
    _arity(v, 1, 1, '"solution-id" (direktivets dato er dagen løsningen er klar til bruk)')
    return Ready(_text(v[0], "løsnings-id-en"), entry.date, str(entry.meta.get("note", "")),
                 entry.meta)


def _volume(entry: data.Custom, v: list[Any]) -> Any:
    _arity(v, 4, 4, '"solution" "YEAR" COUNT "unit"')
    period = parse_period(v[1])
    if period.label != str(period.year):
        raise ValueError(f"et volum gjelder per år, men er {as_written(v[1])}")
    count = v[2]
    if not isinstance(count, Decimal) or count <= 0:
        raise ValueError(f"volumet må være et tall > 0, men er {as_written(count)}")
    return Volume(_text(v[0], "løsnings-id-en"), period.year, count, _text(v[3], "enheten"),
                  entry.meta)


PARSERS: dict[str, Callable[[data.Custom, list[Any]], Any]] = {
    "nhnfin-cost-element": _element, "nhnfin-funding": _funding,
    "nhnfin-budget-version": _version, "nhnfin-budget": _line,
    "nhnfin-ready-for-management": _ready, "nhnfin-volume": _volume,
}


# the metadata each directive reads; any other key would be ignored silently, so it is an error
METADATA: dict[str, tuple[str, ...]] = {
    "nhnfin-cost-element": ("accounts",), "nhnfin-funding": (), "nhnfin-budget-version": (),
    "nhnfin-budget": ("driver", "note", "funding"), "nhnfin-ready-for-management": ("note",),
    "nhnfin-volume": (),
}


def parse(entries: Iterable[Any]) -> tuple[CostBasisConfig, list[NhnfinError]]:
    """Collect and validate every cost-basis directive of ``entries`` (never raises)."""
    entries = list(entries)
    errors: list[NhnfinError] = []
    found: dict[str, list[tuple[Any, data.Custom]]] = {k: [] for k in PARSERS}
    for entry in entries:
        if isinstance(entry, data.Custom) and entry.type in PARSERS:
            try:
                unknown = unknown_metadata(entry, METADATA[entry.type])
                if unknown is not None:
                    raise ValueError(unknown)
                found[entry.type].append(
                    (PARSERS[entry.type](entry, [x.value for x in entry.values or []]), entry))
            except ValueError as exc:
                errors.append(NhnfinError(entry.meta, f"{entry.type}: {exc}", entry))
    ehealth, _ = parse_ehealth(entries)
    config = _assemble(found, {k: s.name for k, s in ehealth.solutions.items()}, errors)
    errors.extend(validate(config))
    return config, errors


def _first(items: list[tuple[Any, data.Custom]], key: Callable[[Any], Any], what: str,
           errors: list[NhnfinError]) -> dict[Any, Any]:
    result: dict[Any, Any] = {}
    for model, entry in items:
        k = key(model)
        if k in result:
            message = f"{entry.type}: " + given_twice(f"{what} {k!r}")
            errors.append(NhnfinError(entry.meta, message, entry))
        else:
            result[k] = model
    return result


def _assemble(found: dict[str, list[tuple[Any, data.Custom]]], solutions: dict[str, str],
              errors: list[NhnfinError]) -> CostBasisConfig:
    funding = dict(BUILT_IN_FUNDING)
    declared = _first(found["nhnfin-funding"], lambda m: m[0], "finansieringen", errors)
    funding.update(declared.values())
    return CostBasisConfig(
        solutions=solutions,
        elements=_first(found["nhnfin-cost-element"], lambda m: m.id, "elementet", errors),
        funding=funding,
        versions=_first(found["nhnfin-budget-version"], lambda m: m.id, "versjonen", errors),
        lines=tuple(m for m, _ in found["nhnfin-budget"]),
        ready=_first(found["nhnfin-ready-for-management"], lambda m: m.solution,
                     "datoen for klar til bruk for", errors),
        volumes=_first(found["nhnfin-volume"], lambda m: (m.solution, m.year), "volumet", errors),
    )


def validate(config: CostBasisConfig) -> list[NhnfinError]:
    """Cross-checks: every name is declared, versions do not overlap, lines do not overlap."""
    problems: list[tuple[Meta, str]] = []
    for line in config.lines:
        for what, name, known in (("versjon", line.version, config.versions),
                                  ("løsning", line.solution, config.solutions),
                                  ("kostnadselement", line.element, config.elements),
                                  ("finansiering", line.funding, config.funding)):
            if name is not None and name not in known:
                problems.append((line.meta, f"budsjettlinje for ukjent {what} {name!r}"))
    problems.extend((v.meta, f"volum for ukjent løsning {v.solution!r}")
                    for v in config.volumes.values() if v.solution not in config.solutions)
    problems.extend((r.meta, f"dato for klar til bruk for ukjent løsning {r.solution!r}")
                    for r in config.ready.values() if r.solution not in config.solutions)
    problems.extend(_overlapping_versions(config))
    problems.extend(_overlapping_lines(config.lines))
    problems.extend(_overlapping_elements(config))
    return [NhnfinError(meta, message, None) for meta, message in problems]


#: a version's kind as a message says it (plural: two versions of one kind)
KIND_WORDS = {"budget": "budsjetter", "forecast": "prognoser"}


def _overlapping_versions(config: CostBasisConfig) -> list[tuple[Meta, str]]:
    problems = []
    seen: dict[tuple[str, datetime.date], Version] = {}
    for version in config.versions.values():
        other = seen.setdefault((version.kind, version.date), version)
        if other is not version:
            problems.append((version.meta, f"versjonene {other.id!r} og {version.id!r} er begge "
                             f"{KIND_WORDS[version.kind]} datert {version.date}: det er uklart "
                             f"hvilken som gjelder (overlappende versjoner; se "
                             f"{location(other.meta)})"))
    return problems


def _overlapping_lines(lines: Iterable[BudgetLine]) -> list[tuple[Meta, str]]:
    problems = []
    seen: dict[tuple[str, str, str, str, str | None], list[BudgetLine]] = {}
    for line in lines:
        key = (line.version, line.solution, line.element, line.driver, line.funding)
        for other in seen.setdefault(key, []):
            if other.period.overlaps(line.period):
                problems.append((line.meta, f"budsjettlinjen {line.period.label} for "
                                 f"{line.solution!r}/{line.element!r} i versjonen {line.version!r} "
                                 f"overlapper {other.period.label} på {location(other.meta)}"))
                break
        seen[key].append(line)
    return problems


def _overlapping_elements(config: CostBasisConfig) -> list[tuple[Meta, str]]:
    problems = []
    claimed: list[tuple[int, int, str]] = []
    for element in config.elements.values():
        for low, high in element.ranges:
            clash = next((e for lo, hi, e in claimed if low <= hi and lo <= high), None)
            if clash is not None:
                problems.append((element.meta, f"kontoene {low}-{high} i {element.id!r} er "
                                 f"også knyttet til {clash!r}"))
            claimed.append((low, high, element.id))
    return problems


@printable_errors
def plugin(entries: list[Any], options_map: dict[str, Any], config_str: str | None = None
           ) -> tuple[list[Any], list[NhnfinError]]:
    """Validate the cost-basis directives; the entries pass through unchanged."""
    _config, errors = parse(entries)
    guard = per_rule_line(entries, options_map, ("nhnfin.cost_basis.directives",))
    return entries, [*no_config("nhnfin.cost_basis.directives", config_str), *errors,
                     *repeated_meta_keys(entries, tuple(PARSERS)), *guard]
