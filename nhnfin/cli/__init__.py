"""The ``nhnfin`` command line: one module per command family, on top of everything else.

- :mod:`.main` the ``nhnfin`` group, ``report`` and ``fava``;
- :mod:`.ehealth` ``invoice-basis``; :mod:`.grants` ``grant-usage``;
- :mod:`.cost_basis` ``cost-basis`` and ``investment-plan``;
- :mod:`.imports` ``import`` and ``saft``; :mod:`.reconcile` ``reconcile``; :mod:`.close` ``close``.

Nothing outside this package imports it.
"""
