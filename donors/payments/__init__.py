"""Where donors pay: ``models`` (``PaymentAccount``, set in the admin) and ``selectors`` (the account a pledge
shows). The page is ``donors/views/payment.py`` (``/giving/mine/<id>/pay/``)."""
