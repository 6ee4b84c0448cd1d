"""Closing a year: the checks before sign-off, the transfer of the result, and the period lock.

- :mod:`.year_end` ``nhnfin close``: the checks, the closing entries and the lock directive;
- :mod:`.digest` what a lock records (the digest of what a locked year's figures depend on);
- :mod:`.period_lock` the check that a locked period has not changed
  (``plugin "nhnfin.close.period_lock"``, part of ``plugin "nhnfin"``);
- :mod:`.figures` and :mod:`.texts` the locked year's figures and texts, compared where the
  report is built.
"""
