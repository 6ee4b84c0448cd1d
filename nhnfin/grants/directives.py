"""The grant directives (note 3): parsing and validation of what controllers declare.

Four ``custom`` directives, each naming one grant by its id (the only positional value); all
other values are metadata, validated with pydantic. A bad value becomes a :class:`GrantError` at
the directive's file and line, never an exception::

    2024-01-01 custom "nhnfin-grant" "hod-0701-21"
      name: "Tilskudd kap. 701 post 21"
      source: "Kap. 701 post 21"
      amount: 307644000.00 NOK
      note-row: "public_grant"
    2024-06-01 custom "nhnfin-grant-award" "hod-0701-21"
      amount: 1000000.00 NOK
    2024-12-31 custom "nhnfin-grant-repayment" "hod-0701-21"
      amount: 500000.00 NOK
    2024-12-31 custom "nhnfin-grant-reallocation" "hod-0701-21"
      to: "mhe-2024"
      amount: 250000.00 NOK

Defaults for the accounts and the recognition period come from the plugin's config string
(:class:`GrantConfig`). See ``docs/grants.md`` for every key.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from typing import Any

from beancount.core import data
from beancount.core.amount import Amount
from pydantic import ValidationError

from nhnfin.config import entries_of
from nhnfin.config import literal_dict
from nhnfin.errors import DATE_FROM_DIRECTIVE
from nhnfin.errors import META_OF_NHNFIN
from nhnfin.errors import declared_twice
from nhnfin.errors import fields_in_meta
from nhnfin.errors import location
from nhnfin.errors import pseudo_source
from nhnfin.errors import validation_problems
from nhnfin.grants.models import Award
from nhnfin.grants.models import DirectiveModel
from nhnfin.grants.models import Grant
from nhnfin.grants.models import GrantConfig
from nhnfin.grants.models import GrantError
from nhnfin.grants.models import Reallocation
from nhnfin.grants.models import Repayment
from nhnfin.lock_guard import unknown_id

GRANT = "nhnfin-grant"
AWARD = "nhnfin-grant-award"
REPAYMENT = "nhnfin-grant-repayment"
REALLOCATION = "nhnfin-grant-reallocation"


@dataclass(frozen=True)
class Directives:
    """Everything declared: grants by id (in declaration order) and their events."""

    grants: dict[str, Grant] = field(default_factory=dict)
    awards: list[Award] = field(default_factory=list)
    repayments: list[Repayment] = field(default_factory=list)
    reallocations: list[Reallocation] = field(default_factory=list)


def loaded_config(options_map: dict[str, Any]) -> GrantConfig:
    """The grant defaults a loaded ledger's plugin lines give: ``plugin "nhnfin.grants"``'s config
    string, or the ``'grants'`` section of ``plugin "nhnfin"``'s (errors were reported when the
    ledger was loaded; defaults then)."""
    for name, config_str in options_map.get("plugin", []):
        if name == "nhnfin.grants":
            return parse_config(config_str)[0]
        if name == "nhnfin" and config_str:
            try:
                section = literal_dict(config_str).get("grants")
            except ValueError:
                section = None
            if isinstance(section, dict):
                return parse_config(repr(section))[0]
    return GrantConfig()


def parse_config(config_str: str | None) -> tuple[GrantConfig, list[GrantError]]:
    """Parse the plugin line's config (a Python dict literal); defaults on error."""
    if not config_str:
        return GrantConfig(), []
    try:
        return GrantConfig.model_validate(literal_dict(config_str)), []
    except (ValueError, SyntaxError, ValidationError) as exc:
        message = f"ugyldig konfigurasjon av nhnfin.grants {config_str!r}: {_describe(exc)}"
        return GrantConfig(), [
            GrantError(pseudo_source("grants"), message, None)
        ]


def _describe(exc: Exception) -> str:
    """A one-line account of what is wrong, naming the keys at fault."""
    if not isinstance(exc, ValidationError):
        return str(exc)
    return validation_problems(exc)


def unknown_grant(gid: str) -> str:
    """A directive names a grant no ``custom "nhnfin-grant"`` declares (a link's error is
    :func:`nhnfin.lock_guard.dangling_marks`', in the same words)."""
    return unknown_id("grant", gid)


#: The fields a grant directive takes from its value and date, never from its metadata: a
#: ``date:`` line would move the directive to another day (a 2025 award booked in 2024), an
#: ``id:`` line would make it another grant's, without a word.
FROM_DIRECTIVE_WORDS = {
    "id": "tilskuddets id er direktivets verdi",
    "date": DATE_FROM_DIRECTIVE,
    "meta": META_OF_NHNFIN,
}


def _not_from_meta(user: dict[str, Any]) -> None:
    """Refuse metadata named like a field the directive's value or date gives.

    Raises:
        ValueError: one part per such key, ``key: why``.
    """
    problems = fields_in_meta(user, FROM_DIRECTIVE_WORDS)
    if problems:
        raise ValueError("; ".join(problems))


def _fields(entry: data.Custom, config: GrantConfig) -> dict[str, Any]:
    """The directive's values as model input: id, date, meta and every user key."""
    # ``document:`` (and ``document-2:`` ...) cite a source document (Fava's link_documents)
    user = {k: v for k, v in entry.meta.items()
            if k not in ("filename", "lineno") and not k.startswith("document")}
    _not_from_meta(user)
    base: dict[str, Any] = {"id": entry.values[0].value, "date": entry.date, "meta": entry.meta}
    if entry.type == GRANT:
        base |= {"start": entry.date, "period": config.period, "liability": config.liability,
                 "receivable": config.receivable, "income": config.income,
                 "deferred": config.deferred, "investment-income": config.investment_income}
    elif entry.type == REPAYMENT:
        base["account"] = config.repayment_account
    return base | user


_MODELS: dict[str, type[DirectiveModel]] = {
    GRANT: Grant, AWARD: Award, REPAYMENT: Repayment, REALLOCATION: Reallocation,
}


def parse_one(entry: data.Custom, config: GrantConfig) -> tuple[DirectiveModel | None, str | None]:
    """Validate one grant directive: the model, or None and the error message."""
    values = entry.values or []
    if len(values) != 1 or not isinstance(values[0].value, str):
        return None, f'custom "{entry.type}" tar én verdi: tilskuddets id i anførselstegn'
    try:
        return _MODELS[entry.type].model_validate(_fields(entry, config)), None
    except (ValidationError, ValueError) as exc:
        return None, f'custom "{entry.type}" "{values[0].value}": {_describe(exc)}'


def parse_directives(
    entries: list[Any], config: GrantConfig
) -> tuple[Directives, list[GrantError]]:
    """Collect and validate every grant directive, with an error at each bad one."""
    found = Directives()
    errors: list[GrantError] = []
    for entry in entries_of(entries, data.Custom):
        if entry.type not in _MODELS:
            continue
        model, message = parse_one(entry, config)
        if message is not None:
            errors.append(GrantError(entry.meta, message, entry))
        elif isinstance(model, Grant):
            if model.id in found.grants:
                errors.append(GrantError(entry.meta, declared_twice(
                    "tilskuddet", model.id, found.grants[model.id].meta), entry))
                continue
            found.grants[model.id] = model
            if model.amount > 0:
                found.awards.append(Award(id=model.id, date=model.date, meta=model.meta,
                                          amount=Amount(model.amount, "NOK")))
        elif isinstance(model, Award):
            found.awards.append(model)
        elif isinstance(model, Repayment):
            found.repayments.append(model)
        elif isinstance(model, Reallocation):
            found.reallocations.append(model)
    return _drop_unknown(found, errors)


def _drop_unknown(
    found: Directives, errors: list[GrantError]
) -> tuple[Directives, list[GrantError]]:
    """Events that name an undeclared grant, are dated before its declaration, or move a grant
    to itself become errors and are dropped."""
    def known(event: DirectiveModel, *ids: str) -> bool:
        missing = [i for i in ids if i not in found.grants]
        for gid in missing:
            errors.append(GrantError(event.meta, unknown_grant(gid), None))
        early = [g for g in ids if g in found.grants and event.date < found.grants[g].date]
        for gid in early:
            declared = found.grants[gid]
            errors.append(GrantError(event.meta, (
                f"{event.date} er før tilskuddet {gid!r} er oppgitt ({declared.date}, "
                f"{location(declared.meta)}); ingenting er bokført"), None))
        return not missing and not early

    def not_to_itself(event: Reallocation) -> bool:
        if event.to != event.id:
            return True
        errors.append(GrantError(event.meta, f"omdisponering fra tilskuddet {event.id!r} til seg "
                                             "selv; "
                                 "oppgi et annet tilskudd i to:", None))
        return False

    return Directives(
        grants=found.grants,
        awards=[a for a in found.awards if known(a, a.id)],
        repayments=[r for r in found.repayments if known(r, r.id)],
        reallocations=[r for r in found.reallocations
                       if not_to_itself(r) and known(r, r.id, r.to)],
    ), errors


#: the accounts a grant books on, as a controller names them
ROLE_WORDS = {"liability": "gjeldskontoen", "receivable": "fordringskontoen"}


def check_accounts(grants: dict[str, Grant], opens: set[str]) -> list[GrantError]:
    """Every grant needs an open income, liability and receivable account."""
    errors: list[GrantError] = []
    for grant in grants.values():
        if grant.income not in opens:
            errors.append(GrantError(grant.meta, f"tilskuddet {grant.id!r} har ingen "
                                                 "inntektskonto: "
                                     f"{grant.income} er ikke åpnet", None))
        for role in ("liability", "receivable"):
            account = getattr(grant, role)
            if account not in opens:
                errors.append(GrantError(grant.meta, f"tilskuddet {grant.id!r}: {ROLE_WORDS[role]} "
                                         f"{account} er ikke åpnet", None))
    return errors
