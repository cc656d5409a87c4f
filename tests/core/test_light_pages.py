"""Pages travel compressed: an owner on a metered 3G line pays for every byte (issue 18, bench/phone.py)."""

import gzip

import pytest

from tests import factories

pytestmark = pytest.mark.django_db


def test_a_page_is_sent_gzipped_to_a_browser_that_accepts_it_and_is_less_than_half_the_size(client):
    client.force_login(factories.WorkshopFactory().owner)
    plain = client.get("/")
    packed = client.get("/", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    assert gzip.decompress(packed.content).decode().count("<main") == 1
    assert len(packed.content) * 2 < len(plain.content)


def test_a_browser_that_does_not_ask_for_compression_gets_the_plain_page(client):
    response = client.get("/accounts/login/")
    assert not response.has_header("Content-Encoding")
    assert "<form" in response.content.decode()
