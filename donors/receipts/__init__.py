"""The receipts room: a confirmed pledge's receipt (``RCP-1405-000042``), its PDF and its public check.

``models`` (``Receipt``), ``services`` (issue in the confirming transaction, store the original, serve copies),
``pdf`` (the A5 rendering), ``tokens`` (the signed link of the QR code), ``selectors`` (who may download which),
``tasks`` (the PDF rendered after commit). Its pages are ``donors/views/receipts.py`` and
``donors/urls/receipts.py`` (``/receipts/``).
"""
