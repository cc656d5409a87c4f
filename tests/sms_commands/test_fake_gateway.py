"""The fake gateway's command posts a message to the site's callback and prints the reply."""

import io
import urllib.parse

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client

from tests.factories import QuotaFactory
from tests.sms_commands.fake_http import Answer

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(monkeypatch):
    """The running site, reached in-process: the command's POST goes through the real URL and view."""
    client = Client()

    def urlopen(url, data, timeout):
        path = urllib.parse.urlsplit(url).path
        response = client.post(path, data.decode(), content_type="application/x-www-form-urlencoded")
        return Answer(response.content)

    monkeypatch.setattr("urllib.request.urlopen", urlopen)
    cache.clear()


def test_the_fake_gateway_delivers_a_report_once_and_prints_the_reply(site):
    quota = QuotaFactory()
    out = io.StringIO()
    call_command("sms_fake_gateway", quota.workshop.owner.mobile, "ت ۴", "--id", "demo-1", stdout=out)
    call_command("sms_fake_gateway", quota.workshop.owner.mobile, "ت ۴", "--id", "demo-1", stdout=out)
    quota.refresh_from_db()
    assert quota.produced_units == 4
    assert "۴" in out.getvalue()
    assert "seen before" in out.getvalue()
