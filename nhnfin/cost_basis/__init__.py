"""The cost basis the paying actors see (tallgrunnlaget): a job on top of the e-health rule.

Budget, forecast and actual per solution and cost element, who pays, unit costs, the change log
between two versions, and the investment plan. ``plugin "nhnfin.cost_basis.directives"`` checks
its directives alone; ``plugin "nhnfin"`` checks them with the rest.

- :mod:`.directives` reads and checks the cost-basis directives (versions, lines, funding);
- :mod:`.facts` the actual figures from the ledger;
- :mod:`.basis` builds the cost basis (``nhnfin cost-basis``);
- :mod:`.changes` the change log between two versions;
- :mod:`.investment_plan` the investment plan (``nhnfin investment-plan``).
"""
