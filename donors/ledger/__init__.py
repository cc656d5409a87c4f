"""The ledger room: the append-only double-entry ledger of donors' money.

``models`` (``LedgerEntry``), ``selectors`` (balances, whole-ledger totals and the invariants that
``manage.py ledger_check`` re-checks), ``trace`` (where each pledge's rials went, first in, first out) and
``services`` (``entry_append``, the one writer of entries, which the money services in ``donors/services/`` call in
the transaction that changes the pledge, campaign or order; and a pledge whose money has all been paid out becomes
applied). README, Architecture, says why the ledger is a room of donors and not an app.
"""
