"""The mock bank reached without a network: the gateway library's ``requests.post`` goes to Django's test client.

Whatever host the library posts to (``http://testserver/mock-bank/...`` from a request, the configured mock
address from the periodic task), a path under ``/mock-bank/`` is served by the project's own mock bank views, and
a payment told to time out raises ``requests.Timeout`` at once (over real HTTP the mock bank sleeps past the
timeout instead).
"""

from __future__ import annotations

import json
from urllib.parse import urlparse

import requests
from django.test import Client

from donors.online import mock_bank

_real_post = requests.post


class _Response:
    def __init__(self, django_response):
        self.content = django_response.content
        self.status_code = django_response.status_code


def route_to_mock_bank(monkeypatch) -> None:
    client = Client()

    def post(url, json=None, timeout=None, **kwargs):
        parsed = urlparse(url)
        if not parsed.path.startswith("/mock-bank/"):
            return _real_post(url, json=json, timeout=timeout, **kwargs)
        if parsed.path.endswith("verify.json"):
            payment = mock_bank.payment(str((json or {}).get("authority", "")))
            if payment is not None and payment.mode == "timeout":
                payment.verify_calls.append((json or {}).get("amount"))
                raise requests.Timeout("the mock bank was told to time out")
        return _Response(client.post(parsed.path, data=_dumps(json), content_type="application/json"))

    monkeypatch.setattr(requests, "post", post)


def _dumps(data) -> str:
    return json.dumps(data or {})
