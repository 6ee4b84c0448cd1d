"""Public grants (annual report note 3, and note 13).

The rule: grant income is recognised in step with the costs the grant covers, never more than the
grant makes available. What is unused at year end is a liability (2910) carried into the next
year; a grant awarded but not received is a receivable (1570); a grant spent on an investment is
deferred (2930) and taken to income (3920) in step with the investment's depreciation.

``plugin "nhnfin.grants"`` runs this rule alone; ``plugin "nhnfin"`` runs it with the others.

- :mod:`.directives` reads and checks ``nhnfin-grant`` and its award, repayment and reallocation
  directives;
- :mod:`.models` the grant's typed records;
- :mod:`.links` which postings a grant pays for (``grant:`` metadata, shares);
- :mod:`.engine` the arithmetic: income, receivable, set-aside, per period;
- :mod:`.investments` investment grants released with the asset's depreciation;
- :mod:`.plugin` the Beancount plugin that books the generated entries;
- :mod:`.figures` the note figures per grant and year;
- :mod:`.note3` the builder of note 3; :mod:`.usage` what each grant paid for (grant usage).
"""

from __future__ import annotations

from typing import Any

__plugins__ = ("run",)


def run(
    entries: list[Any], options_map: dict[str, Any], config_str: str | None = None
) -> tuple[list[Any], list[Any]]:
    """The grants plugin (:func:`nhnfin.grants.plugin.grants`), imported when it runs."""
    from nhnfin.grants.plugin import grants as run

    return run(entries, options_map, config_str)
