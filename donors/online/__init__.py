"""Online giving: a donor (or a guest with a mobile number) pays an order or a campaign through a bank's gateway.

``models`` (the payment row, app label ``donors``), ``gateway`` (the one seam around az-iranian-bank-gateways and
its hardcoded Zarinpal hosts), ``services`` (start, settle on the callback, ask again), ``selectors``,
``mock_bank`` (a Zarinpal v4 bank inside the project for development and tests) and ``tasks``.
"""
