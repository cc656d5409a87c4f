"""A bank inside the project that speaks Zarinpal v4, for ``make run`` (ONLINE_GIVING_GATEWAY=mock) and tests.

- ``POST pg/v4/payment/request.json`` (merchant_id, amount in tomans, callback_url) → ``data.authority``;
- ``GET pg/StartPay/<authority>``: a page with "Pay" and "Cancel"; either sends the payer back to the
  callback with ``Authority`` and ``Status=OK``/``NOK``;
- ``POST pg/v4/payment/verify.json`` (merchant_id, authority, amount) → code 100 the first time, 101
  after, with ``ref_id``; -50 when the amount is not the one paid, -51 when nothing was paid, -9 unknown.

Tests make it misbehave per payment: ``misbehave(authority, "timeout")`` (verify never answers in time) or
``"wrong_amount"`` (the payer paid less than was asked). Its state is this process's memory: one
development server or one test run, nothing to migrate.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

_lock = threading.Lock()
_payments: dict[str, MockPayment] = {}
_ref_ids = iter(range(10_000_001, 99_999_999))


@dataclass
class MockPayment:
    authority: str
    amount: int  # tomans, as asked
    callback_url: str
    paid_amount: int | None = None
    verified: bool = False
    ref_id: int | None = None
    mode: str = "normal"  # "timeout" or "wrong_amount"
    verify_calls: list = field(default_factory=list)


def payment(authority: str) -> MockPayment | None:
    return _payments.get(authority)


def misbehave(authority: str, mode: str) -> None:
    """Make the bank time out on verify (``timeout``) or have the payer pay less (``wrong_amount``)."""
    _payments[authority].mode = mode


def behave(authority: str) -> None:
    _payments[authority].mode = "normal"


def reset() -> None:
    with _lock:
        _payments.clear()


def base_url_without_request() -> str:
    """Where the periodic task (no request to build it from) finds the mock bank: ``make run``'s address."""
    return settings.ONLINE_GIVING_MOCK_BANK_URL


def _body(request) -> dict:
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        body = {}
    return body if isinstance(body, dict) else {}


def _error(code: int, message: str) -> JsonResponse:
    return JsonResponse({"data": [], "errors": {"code": code, "message": message, "validations": []}})


def root(request):
    return JsonResponse({"bank": "Hamdeli mock bank (Zarinpal v4)"})


@csrf_exempt
@require_POST
def request_json(request):
    body = _body(request)
    if not body.get("merchant_id") or not body.get("callback_url"):
        return _error(-9, "The input params invalid, validation error.")
    try:
        amount = int(body.get("amount"))
    except (TypeError, ValueError):
        return _error(-9, "The input params invalid, validation error.")
    if amount < 1000:
        return _error(-9, "The amount must be at least 1000.")
    authority = "A" + secrets.token_hex(17)[:35].upper()
    with _lock:
        _payments[authority] = MockPayment(authority=authority, amount=amount, callback_url=body["callback_url"])
    return JsonResponse(
        {"data": {"code": 100, "message": "Success", "authority": authority, "fee_type": "Merchant", "fee": 0}}
    )


def start_pay(request, authority: str):
    mock = _payments.get(authority)
    if mock is None:
        raise Http404
    if request.method == "POST":
        paid = request.POST.get("choice") == "pay"
        with _lock:
            if paid and mock.paid_amount is None:
                mock.paid_amount = mock.amount // 2 if mock.mode == "wrong_amount" else mock.amount
        separator = "&" if "?" in mock.callback_url else "?"
        query = urlencode({"Authority": authority, "Status": "OK" if paid else "NOK"})
        return HttpResponseRedirect(f"{mock.callback_url}{separator}{query}")
    return render(request, "donors/online/mock_bank.html", {"mock": mock, "rials": mock.amount * 10})


start_pay = csrf_exempt(start_pay)  # the bank's page, not ours: the callback is what we protect


@csrf_exempt
@require_POST
def verify_json(request):
    body = _body(request)
    authority = str(body.get("authority", ""))
    with _lock:
        mock = _payments.get(authority)
        if mock is None or not body.get("merchant_id"):
            return _error(-9, "The input params invalid, validation error.")
        mock.verify_calls.append(body.get("amount"))
        if mock.mode == "timeout":
            timeout = True
        else:
            timeout = False
            if mock.paid_amount is None:
                return _error(-51, "Session is not valid, session is not active paid try.")
            if body.get("amount") != mock.paid_amount:
                return _error(-50, "Session is not valid, amounts values is not the same.")
            code = 101 if mock.verified else 100
            mock.verified = True
            if mock.ref_id is None:
                mock.ref_id = next(_ref_ids)
            answer = {"code": code, "message": "Verified" if code == 100 else "Verified before", "ref_id": mock.ref_id}
    if timeout:
        time.sleep(settings.ONLINE_GIVING_BANK_TIMEOUT + 1)
        return _error(-9, "Too late.")
    answer.update({"card_pan": "502229******5995", "card_hash": "", "fee_type": "Merchant", "fee": 0})
    return JsonResponse({"data": answer, "errors": []})
