"""The delivery obligation (leveranseforpliktelse, note 4): amortise the transferred e-health
solutions and release the obligation to income in step.

The rule (note 1, "Leveranseforpliktelse immaterielle eiendeler"; note 4; note 8): intangible
assets transferred to NHN (the national e-health solutions on 1 Jan 2020, VKP on 1 Nov 2022) are
booked at fair value with an equal liability, the delivery obligation. The assets are amortised
(five years, straight-line); as NHN uses them for its public mission the obligation is reduced by
the same amount and taken to income ("Inntektsføring av leveranseforpliktelse"). Net effect on
the result: zero, and the asset's book value equals the obligation at every period end.

For every ``custom "nhnfin-transfer"`` directive this plugin generates:

* on the transfer date: Dr 1020, Cr 2180 (the amount; leave out with ``book: FALSE`` when the
  transfer is booked by hand);
* each period (monthly by default): Dr 6010, Cr 1029 and the equal release Dr 2180, Cr 3410,
  from the transfer's schedule (``months: N`` straight-line, remainder in the last month, or
  ``nhnfin-schedule`` lines per year or month);
* an ``nhnfin-impairment`` of the asset: Dr 6050, Cr 1028 and the equal release; the rest of the
  schedule is reduced in proportion. A ``nhnfin-disposal`` stops it and releases what is left.

The schedule engine is the fixed-asset register's (:mod:`.depreciation`); the directives
are read and checked by :mod:`nhnfin.assets.register`, which reports unknown accounts, schedules
not adding up to the amount, a start before the transfer and overlapping schedule lines at their
line.

Plugin line (after ``nhnfin.assets`` when both are used)::

    plugin "nhnfin.assets.delivery_obligation"         ; or "{'period': 'year'}"

Before::

    2022-11-01 custom "nhnfin-transfer" "vkp-2022" 38396372.00 NOK
      months: 60

After (the 60th month, October 2027, takes the remainder 639939.73)::

    2022-11-01 * "Overføring vkp-2022" #nhnfin-generated
      Assets:1020-EHealthSolutions           38396372.00 NOK
      Liabilities:2180-DeliveryObligation   -38396372.00 NOK
    2022-11-30 * "Avskrivning og inntektsføring av leveranseforpliktelse vkp-2022" #nhnfin-generated
      nhnfin-rule: "delivery-obligation"
      nhnfin-source: "ledger.beancount:1"
      asset: "vkp-2022"
      Expenses:6010-AmortisationIntangible              639939.53 NOK
      Assets:1029-EHealthSolutionsAccumAmortisation    -639939.53 NOK
      Liabilities:2180-DeliveryObligation               639939.53 NOK
      Income:3410-DeliveryObligationIncome             -639939.53 NOK
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from beancount.core import data

from nhnfin.assets.directives import AssetSpec
from nhnfin.assets.engine import Period
from nhnfin.assets.engine import Plan
from nhnfin.assets.engine import by_period
from nhnfin.assets.engine import event_entries
from nhnfin.assets.engine import horizon
from nhnfin.assets.engine import plan_asset
from nhnfin.assets.engine import read_config
from nhnfin.assets.engine import transaction
from nhnfin.assets.register import REGISTER_KINDS
from nhnfin.assets.register import read_register
from nhnfin.config import shared
from nhnfin.errors import NhnfinError
from nhnfin.errors import printable_errors
from nhnfin.lock_guard import per_rule_line

__plugins__ = ("plugin",)

RULE = "delivery-obligation"


NARRATION = {
    "depreciation": "Avskrivning og inntektsføring av leveranseforpliktelse",
    "impairment": "Nedskrivning og inntektsføring av leveranseforpliktelse",
    "disposal": "Avgang og inntektsføring av leveranseforpliktelse",
}


def release(spec: AssetSpec, amount: Decimal) -> list[tuple[str, Decimal]]:
    """The release of ``amount`` of the obligation to income."""
    return [(spec.obligation, amount), (spec.income, -amount)]


def transfer_entries(
    plan: Plan, period: Period, until: datetime.date
) -> tuple[list[data.Transaction], list[NhnfinError]]:
    """Recognition, amortisation with release, and events of one transfer."""
    spec = plan.spec
    entries: list[data.Transaction] = []
    errors = list(plan.errors)
    if spec.book and spec.amount is not None and spec.date <= until:
        legs = [(spec.cost_account, spec.amount), (spec.obligation, -spec.amount)]
        text = f"Overføring {spec.id}"
        rule = f"{RULE}-transfer"
        entries.append(
            transaction(spec.meta, rule, spec.id, spec.date, narration=text, postings=legs)
        )
    text = f"{NARRATION['depreciation']} {spec.id}"
    for day, amount in by_period(plan.charges, period, until):
        legs = [(spec.cls.expense, amount), (spec.cls.accumulated, -amount), *release(spec, amount)]
        entries.append(transaction(spec.meta, RULE, spec.id, day, narration=text, postings=legs))
    events, problems = event_entries(
        spec, plan.charges, RULE, NARRATION, lambda amount: release(spec, amount)
    )
    return [*entries, *events], [*errors, *problems]


@printable_errors
def plugin(
    entries: list[Any], options_map: dict[str, Any], config_str: str | None = None
) -> tuple[list[Any], list[Any]]:
    """The entries plus the transfer, amortisation and release entries of declared transfers."""
    plugins = {name for name, _ in options_map.get("plugin", [])}
    # with nhnfin.assets in the ledger too, that plugin reports the register's errors
    generated, errors = generate(entries, config_str, "nhnfin.assets" not in plugins)
    errors = [*errors, *per_rule_line(
        entries, options_map, ("nhnfin.assets.delivery_obligation",))]
    return [*entries, *generated], errors


def generate(
    entries: list[Any], config_str: str | None, register_errors: bool
) -> tuple[list[Any], list[Any]]:
    """The transfer, amortisation and release entries of declared transfers; the register's own
    errors only when ``register_errors`` (the asset plugin reports them when it runs too)."""
    config, errors = read_config(config_str, "assets.delivery_obligation")
    register = shared(read_register, entries, REGISTER_KINDS)  # one reading per plugin run
    if register_errors:
        errors += register.errors
    until = horizon(entries, config)
    new: list[Any] = []
    for spec in register.specs.values():
        if spec.kind == "transfer" and spec.id not in register.invalid:
            made, problems = transfer_entries(
                plan_asset(spec, register, [], until), config.period, until
            )
            new += made
            errors += problems
    return new, errors
