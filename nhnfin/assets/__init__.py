"""Fixed assets and the delivery obligation (annual report notes 8 and 4).

The rules: an asset is carried at cost and written off straight-line over its useful life from
the date it is ready for use; impairments and disposals follow note 1. The national e-health
solutions transferred to NHN in 2020 and 2022 were booked with an equal liability, the delivery
obligation (2180), released to income (3410) in step with their amortisation: the net effect on
the result is zero. Both rules share one schedule engine.

``plugin "nhnfin.assets"`` and ``plugin "nhnfin.assets.delivery_obligation"`` run them alone;
``plugin "nhnfin"`` runs them with the others.

- :mod:`.classes` asset classes and their accounts (NNN0 cost, NNN8 impairment, NNN9 write-off);
- :mod:`.depreciation` the schedule engine: straight-line, explicit schedules, remainders;
- :mod:`.directives` reads and checks asset, transfer, impairment and disposal directives;
- :mod:`.register` the register: every asset with its schedule, checked;
- :mod:`.engine` the entries the register generates;
- :mod:`.plugin` the asset plugin (depreciation, impairment, disposal);
- :mod:`.delivery_obligation` the transfer plugin (amortisation and release of the obligation);
- :mod:`.note4` and :mod:`.note8` the builders of notes 4 and 8.
"""

from __future__ import annotations

from typing import Any

__plugins__ = ("run",)


def run(
    entries: list[Any], options_map: dict[str, Any], config_str: str | None = None
) -> tuple[list[Any], list[Any]]:
    """The asset plugin (:func:`nhnfin.assets.plugin.plugin`), imported when it runs."""
    from nhnfin.assets.plugin import plugin as run

    return run(entries, options_map, config_str)
