"""E-health invoicing (annual report note 2).

The rule: the sector pays for the operation and management (D&F) of the national e-health
solutions, split between actor groups by keys and within a group by population. What is invoiced
is first a liability (2920); income (3000) is recognised in step with the cost incurred, per
solution. The unused surplus stays a liability and is paid back through lower invoicing later.

``plugin "nhnfin.ehealth"`` runs this rule alone; ``plugin "nhnfin"`` runs it with the others.

- :mod:`.directives` reads and checks the solution, key, population and option directives;
- :mod:`.basis` the invoice basis: who pays what, by key and population (``nhnfin invoice-basis``);
- :mod:`.plugin` the Beancount plugin that recognises income in step with cost;
- :mod:`.note2` the builder of note 2.
"""

from __future__ import annotations

from typing import Any

__plugins__ = ("run",)


def run(
    entries: list[Any], options_map: dict[str, Any], config_str: str | None = None
) -> tuple[list[Any], list[Any]]:
    """The e-health plugin (:func:`nhnfin.ehealth.plugin.plugin`), imported when it runs."""
    from nhnfin.ehealth.plugin import plugin as run

    return run(entries, options_map, config_str)
