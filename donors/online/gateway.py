"""The one place that talks to az-iranian-bank-gateways (CONTRIBUTING, "Library internals").

The library's ``Zarinpal`` class does the protocol (request.json → authority, StartPay page, verify.json)
and keeps its own ``Bank`` row. Two things it does not let us choose, so they are overridden here and
pinned by ``tests/donors/online/test_gateway_seam.py``:

- its hosts are written into ``__init__`` (``_payment_url``, ``_startpay_url``, ``_verify_url`` on
  ``payment``/``sandbox.zarinpal.com``); the mock bank lives in the project, so the three are replaced;
- its ``verify`` keeps only "complete or not" and counts code 101 ("already verified") as complete; the
  bank's answer (code, ref_id) is kept here so the caller decides, comparing the authority itself.

Amounts are handed to the library in tomans with its currency set to tomans: its own rials → tomans conversion
divides (``amount / 10``), a float in the JSON, and a rial amount not a multiple of ten would be a fraction.
Everything else (the callback address, timeouts raising ``BankGatewayConnectionError``) is its public behaviour.
"""

from __future__ import annotations

from dataclasses import dataclass

from azbankgateways.banks import Zarinpal
from azbankgateways.exceptions.exceptions import BankGatewayConnectionError, BankGatewayRejectPayment
from azbankgateways.models import CurrencyEnum
from django.conf import settings
from django.urls import reverse

MOCK_MERCHANT_ID = "00000000-0000-0000-0000-000000000000"  # the mock bank's only merchant
ZARINPAL_HOSTS = {False: "https://payment.zarinpal.com/", True: "https://sandbox.zarinpal.com/"}
# Codes of Zarinpal v4's verify: 100 verified now, 101 verified before (a replay, or our earlier try that timed out).
VERIFIED_CODES = (100, 101)


class BankUnreachable(Exception):
    """The bank did not answer in time (or refused the connection): try again later."""


class BankRefused(Exception):
    """The bank answered, but would not start a payment."""


@dataclass(frozen=True)
class VerifyAnswer:
    code: int | None
    ref_id: str
    authority: str
    message: str

    @property
    def verified(self) -> bool:
        return self.code in VERIFIED_CODES and bool(self.ref_id)


def gateway_name() -> str:
    """``mock``, ``zarinpal`` or ``off`` (settings.ONLINE_GIVING_GATEWAY)."""
    return settings.ONLINE_GIVING_GATEWAY


def _base_url(request) -> str:
    if gateway_name() == "mock":
        # Absolute, on this very site: the server calls itself as it would call the bank.
        return request.build_absolute_uri(reverse("mock-bank:root")) if request is not None else _mock_base()
    return ZARINPAL_HOSTS[settings.ZARINPAL_SANDBOX]


def _mock_base() -> str:
    from .mock_bank import base_url_without_request

    return base_url_without_request()


class _Zarinpal(Zarinpal):
    """The library's Zarinpal with its three addresses on ``base_url`` and the verify answer kept."""

    def __init__(self, *, base_url: str, **kwargs):
        super().__init__(**kwargs)
        self._payment_url = f"{base_url}pg/v4/payment/request.json"
        self._startpay_url = f"{base_url}pg/StartPay/"
        self._verify_url = f"{base_url}pg/v4/payment/verify.json"
        self.verify_answer: dict = {}

    def verify(self, tracking_code):
        # The library's Zarinpal.verify, with the answer kept (it keeps only complete / not complete).
        super(Zarinpal, self).verify(tracking_code)
        self.verify_answer = self._send_data(api=self._verify_url, data=self.get_verify_data())


def _bank(request=None) -> _Zarinpal:
    merchant = MOCK_MERCHANT_ID if gateway_name() == "mock" else settings.ZARINPAL_MERCHANT_ID
    bank = _Zarinpal(base_url=_base_url(request), identifier="1", MERCHANT_CODE=merchant, SANDBOX=0)
    bank.set_currency(CurrencyEnum.IRT)  # we convert, exactly: see the module's docstring
    if request is not None:
        bank.set_request(request)
    return bank


def start(*, request, amount_rials: int, mobile: str, result_url: str) -> tuple[str, str]:
    """Ask the bank for a payment; return its authority and the address of its payment page."""
    if amount_rials % 10:
        raise ValueError("online amounts are whole tomans (multiples of 10 rials)")
    bank = _bank(request)
    bank.set_amount(amount_rials // 10)
    if mobile:
        bank.set_mobile_number(mobile)
    bank.set_client_callback_url(result_url)
    try:
        record = bank.ready()
    except BankGatewayConnectionError as exc:
        raise BankUnreachable from exc
    except BankGatewayRejectPayment as exc:
        raise BankRefused(str(exc)) from exc
    page = bank.get_gateway()  # marks the library's row as sent to the bank
    return record.reference_number, page["url"]


def verify(*, authority: str, request=None) -> VerifyAnswer:
    """Ask the bank whether the payment ``authority`` was paid (for the amount the library's row holds)."""
    from azbankgateways.models import Bank

    record = Bank.objects.get(reference_number=authority, bank_type="ZARINPAL")
    bank = _bank(request)
    # Without it the library looks its row up by "reference '' or tracking code" and could find another row.
    bank._set_reference_number(authority)
    try:
        bank.verify(record.tracking_code)
    except BankGatewayConnectionError as exc:
        raise BankUnreachable from exc
    except ValueError as exc:  # not JSON: a proxy's error page
        raise BankUnreachable from exc
    data = bank.verify_answer.get("data") or {}
    errors = bank.verify_answer.get("errors") or {}
    code = data.get("code") if isinstance(data, dict) else None
    if code is None and isinstance(errors, dict):
        code = errors.get("code")
    message = (data.get("message") if isinstance(data, dict) else "") or (
        errors.get("message", "") if isinstance(errors, dict) else ""
    )
    ref_id = str(data.get("ref_id") or "") if isinstance(data, dict) else ""
    return VerifyAnswer(code=code, ref_id=ref_id, authority=authority, message=str(message)[:200])


def library_amount_rials(authority: str) -> int | None:
    """The amount (in rials) the library's own row holds for ``authority``: what it asks the bank to verify."""
    from azbankgateways.models import Bank

    amount = Bank.objects.filter(reference_number=authority, bank_type="ZARINPAL").values_list("amount", flat=True)
    return int(amount[0]) * 10 if amount else None  # the row holds tomans
