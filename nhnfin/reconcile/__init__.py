"""Reconciliation before closing: bank against statements, sub-ledgers against control accounts.

- :mod:`.model` the result records (items, differences, findings);
- :mod:`.bank` bank accounts against camt.053 statements;
- :mod:`.customer_ledger` the customer ledger (open items) against its control account;
- :mod:`.run` the whole reconciliation a controller reads (``nhnfin reconcile``).
"""
