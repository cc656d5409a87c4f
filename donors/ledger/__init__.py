"""The ledger room: the append-only double-entry ledger of donors' money.

``models`` (``LedgerEntry``), ``selectors`` (balances, whole-ledger totals and the invariants that
``manage.py ledger_check`` re-checks), ``trace`` (where each pledge's rials went, first in, first out) and
``services`` (a pledge whose money has all been paid out becomes applied). The entries are written by the money
services in ``donors/services/``, in the transaction that changes the pledge, campaign or order (README,
Architecture, says why the ledger is a room of donors and not an app).
"""
