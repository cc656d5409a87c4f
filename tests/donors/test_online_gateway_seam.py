"""What donors/online/gateway.py relies on in az-iranian-bank-gateways (CONTRIBUTING, "Library internals").

An upgrade that changes any of these fails here, by name, instead of sending donors to the wrong host or letting
a replayed "already verified" through unnoticed.
"""

from __future__ import annotations

import inspect

import pytest
import requests
from azbankgateways.banks import Zarinpal
from azbankgateways.banks.banks import BaseBank
from azbankgateways.exceptions.exceptions import BankGatewayConnectionError
from azbankgateways.models import CurrencyEnum
from django.test import override_settings

from donors.online import gateway


def _library_zarinpal(sandbox: int = 0) -> Zarinpal:
    return Zarinpal(identifier="1", MERCHANT_CODE=gateway.MOCK_MERCHANT_ID, SANDBOX=sandbox)


def test_the_library_writes_zarinpals_hosts_into_three_attributes_which_the_seam_replaces():
    bank = _library_zarinpal()
    assert bank._payment_url == "https://payment.zarinpal.com/pg/v4/payment/request.json"
    assert bank._startpay_url == "https://payment.zarinpal.com/pg/StartPay/"
    assert bank._verify_url == "https://payment.zarinpal.com/pg/v4/payment/verify.json"
    assert _library_zarinpal(sandbox=1)._verify_url.startswith("https://sandbox.zarinpal.com/")
    ours = gateway._Zarinpal(base_url="http://bank.test/", identifier="1", MERCHANT_CODE="m", SANDBOX=0)
    assert (ours._payment_url, ours._startpay_url, ours._verify_url) == (
        "http://bank.test/pg/v4/payment/request.json",
        "http://bank.test/pg/StartPay/",
        "http://bank.test/pg/v4/payment/verify.json",
    )


def test_with_the_real_gateway_the_seam_sends_donors_to_zarinpals_own_hosts():
    with override_settings(ONLINE_GIVING_GATEWAY="zarinpal", ZARINPAL_MERCHANT_ID="x" * 36, ZARINPAL_SANDBOX=False):
        assert gateway._bank()._startpay_url == "https://payment.zarinpal.com/pg/StartPay/"
    with override_settings(ONLINE_GIVING_GATEWAY="zarinpal", ZARINPAL_MERCHANT_ID="x" * 36, ZARINPAL_SANDBOX=True):
        assert gateway._bank()._verify_url == "https://sandbox.zarinpal.com/pg/v4/payment/verify.json"


def test_the_librarys_verify_counts_already_verified_as_complete_which_is_why_the_seam_keeps_the_answer():
    source = inspect.getsource(Zarinpal.verify)
    assert "[100, 101]" in source  # the library's own acceptance; our services decide with the code kept
    assert "self._send_data(api=self._verify_url, data=data)" in source
    assert "def verify(self, tracking_code)" in inspect.getsource(BaseBank)


def test_the_librarys_own_rials_to_tomans_is_a_float_so_the_seam_hands_it_tomans():
    library = _library_zarinpal()
    library.set_currency(CurrencyEnum.IRR)
    library.set_amount(12_000_005)
    library.prepare_amount()
    assert library.get_gateway_amount() == 1_200_000.5  # a fraction in the JSON: why we never let it convert
    ours = gateway._bank()
    ours.set_amount(1_200_000)
    ours.prepare_amount()
    assert ours.get_gateway_amount() == 1_200_000 and isinstance(ours.get_gateway_amount(), int)
    assert "_set_reference_number" in dir(ours)  # the seam names the authority before verify looks its row up


def test_a_timeout_in_the_librarys_request_becomes_its_connection_error(monkeypatch):
    def slow(*args, **kwargs):
        raise requests.Timeout

    monkeypatch.setattr(requests, "post", slow)
    with pytest.raises(BankGatewayConnectionError):
        _library_zarinpal()._send_data(api="http://bank.test/", data={})
