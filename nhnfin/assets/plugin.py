"""Fixed and intangible assets: the register's plugin that books depreciation (note 8).

The rule (note 1, "Varige driftsmidler"; note 8): an asset is carried at cost and written off
straight-line over its useful life from the date it is ready for use; a value loss that is not
temporary is written down ("nedskrivning"); a disposal takes the asset off the books. Costs of a
project not yet in use stay on 1280 (assets under construction) until the asset is declared.

For every ``custom "nhnfin-asset"`` directive this plugin generates:

* when the asset's tagged costs are on 1280: the move to its cost account on the date declared;
* each period (monthly by default): Dr 6000/6010 (the class's expense), Cr NNN9;
* each ``nhnfin-impairment``: Dr 6050, Cr NNN8, and the rest of the life is re-planned;
* a ``nhnfin-disposal``: Dr NNN9 and NNN8 (what was written off), Dr the directive's ``account``
  (the book value left), Cr the cost.

Generated entries carry ``nhnfin-rule``, ``nhnfin-source`` (file:line of the directive),
``asset: "<id>"`` and the tag ``#nhnfin-generated``. Transfers (``nhnfin-transfer``) belong to the
register too but are booked by :mod:`nhnfin.assets.delivery_obligation`.

Plugin line::

    plugin "nhnfin.assets"                       ; or "{'period': 'quarter', 'until': ...}"

Before::

    2024-01-10 * "Servers"
      Assets:1200-Infrastructure   36000.00 NOK
        asset: "srv-1"
      Assets:1920-Bank            -36000.00 NOK
    2024-01-10 custom "nhnfin-asset" "srv-1" "infrastructure"
      months: 36

After (one entry a month until the ledger's last period, the 36th month takes the remainder)::

    2024-01-31 * "Avskrivning srv-1" #nhnfin-generated
      nhnfin-rule: "asset-depreciation"
      nhnfin-source: "ledger.beancount:5"
      asset: "srv-1"
      Expenses:6000-DepreciationTangible            709.67 NOK
      Assets:1209-InfrastructureAccumDepreciation  -709.67 NOK

(January counts from the 10th: 22 of 31 days of a month's 1000.00; February to December take
1000.00; the 9 days left of January come in January 2027.)
"""

from __future__ import annotations

import datetime
from typing import Any

from beancount.core import data

from nhnfin.assets.classes import AUC_ACCOUNT
from nhnfin.assets.engine import Period
from nhnfin.assets.engine import Plan
from nhnfin.assets.engine import by_period
from nhnfin.assets.engine import event_entries
from nhnfin.assets.engine import horizon
from nhnfin.assets.engine import plan_asset
from nhnfin.assets.engine import read_config
from nhnfin.assets.engine import tagged_postings
from nhnfin.assets.engine import transaction
from nhnfin.assets.register import REGISTER_KINDS
from nhnfin.assets.register import read_register
from nhnfin.config import shared
from nhnfin.errors import NhnfinError
from nhnfin.errors import printable_errors
from nhnfin.lock_guard import per_rule_line

__plugins__ = ("plugin",)

RULE = "asset"


NARRATION = {"impairment": "Nedskrivning", "disposal": "Avgang"}


def asset_entries(
    plan: Plan, period: Period, until: datetime.date
) -> tuple[list[data.Transaction], list[NhnfinError]]:
    """Every transaction the register generates for one asset."""
    spec, cls = plan.spec, plan.spec.cls
    entries: list[data.Transaction] = []
    errors: list[NhnfinError] = list(plan.errors)
    if plan.auc_moved and spec.date <= until:
        legs = [(spec.cost_account, plan.auc_moved), (AUC_ACCOUNT, -plan.auc_moved)]
        text = f"Aktivering {spec.id}"
        entries.append(
            transaction(
                spec.meta, f"{RULE}-ready", spec.id, spec.date, narration=text, postings=legs
            )
        )
    for day, amount in by_period(plan.charges, period, until):
        legs = [(cls.expense, amount), (cls.accumulated, -amount)]
        text = f"Avskrivning {spec.id}"
        rule = f"{RULE}-depreciation"
        entries.append(transaction(spec.meta, rule, spec.id, day, narration=text, postings=legs))
    events, problems = event_entries(spec, plan.charges, RULE, NARRATION)
    return [*entries, *events], [*errors, *problems]


@printable_errors
def plugin(
    entries: list[Any], options_map: dict[str, Any], config_str: str | None = None
) -> tuple[list[Any], list[Any]]:
    """The entries plus the depreciation, impairment, disposal and ready entries of assets."""
    generated, errors = generate(entries, options_map, config_str)
    errors = [*errors, *per_rule_line(
        entries, options_map, ("nhnfin.assets", "nhnfin.assets.plugin"))]
    return [*entries, *generated], errors


def generate(
    entries: list[Any], options_map: dict[str, Any], config_str: str | None = None
) -> tuple[list[Any], list[Any]]:
    """The depreciation, impairment, disposal and ready entries of declared assets."""
    del options_map
    config, errors = read_config(config_str, "assets")
    register = shared(read_register, entries, REGISTER_KINDS)  # one reading per plugin run
    errors = [*errors, *register.errors]
    until = horizon(entries, config)
    tagged = tagged_postings(entries)
    new: list[Any] = []
    for spec in register.specs.values():
        if spec.kind != "asset" or spec.id in register.invalid:
            continue
        made, problems = asset_entries(
            plan_asset(spec, register, tagged.get(spec.id, []), until), config.period, until
        )
        new += made
        errors += problems
    return new, errors
