"""Polling the gateway's inbox: each message done once by its id, whatever shape the gateway answers in."""

import io
import json

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import override_settings

from sms_commands import inbox
from sms_commands.models import InboundMessage
from sms_commands.tasks import inbox_poll as inbox_poll_task
from tests.factories import QuotaFactory
from tests.sms_commands.fake_http import Answer

pytestmark = pytest.mark.django_db


@pytest.fixture
def gateway_inbox(monkeypatch):
    """What the fake gateway's inbox holds; every poll reads all of it (it marks nothing as read)."""
    held = {"data": []}
    requests = []

    def urlopen(request, timeout):
        requests.append(request)
        return Answer(json.dumps(held["data"]).encode())

    monkeypatch.setattr("urllib.request.urlopen", urlopen)
    cache.clear()
    held["requests"] = requests
    return held


@override_settings(SMS_GATEWAY_INBOX_URL="https://gateway.test/v1/{api_key}/sms/receive.json", SMS_GATEWAY_API_KEY="k")
def test_an_inbox_read_twice_does_each_message_once(gateway_inbox):
    quota = QuotaFactory()
    gateway_inbox["data"] = {"entries": [{"messageid": 7, "sender": quota.workshop.owner.mobile, "message": "ت ۶"}]}

    assert inbox.inbox_poll() == {"new": 1, "seen": 0, "skipped": 0}
    assert inbox.inbox_poll() == {"new": 0, "seen": 1, "skipped": 0}

    quota.refresh_from_db()
    assert quota.produced_units == 6
    assert gateway_inbox["requests"][0].full_url == "https://gateway.test/v1/k/sms/receive.json"


@override_settings(SMS_GATEWAY_INBOX_URL="https://gateway.test/inbox")
def test_a_plain_list_works_and_entries_without_an_id_are_skipped(gateway_inbox):
    gateway_inbox["data"] = [{"id": "a", "from": "09129999999", "text": "سلام"}, {"text": "no id"}]
    assert inbox_poll_task() == {"new": 1, "seen": 0, "skipped": 1}
    assert InboundMessage.objects.get().gateway_id == "a"


@override_settings(SMS_GATEWAY_INBOX_URL="")
def test_without_an_inbox_address_nothing_is_read(gateway_inbox):
    out = io.StringIO()
    call_command("sms_inbox_poll", stdout=out)
    assert gateway_inbox["requests"] == []
    assert "new 0" in out.getvalue()


def test_beat_reads_the_gateways_inbox_every_minute_after_migrate_and_the_command_restores_it(db):
    from django_celery_beat.models import PeriodicTask

    from hamdeli.celery import app

    task = PeriodicTask.objects.select_related("crontab").get(task="sms_commands.tasks.inbox_poll")
    assert task.enabled and (task.crontab.minute, task.crontab.hour) == ("*", "*")
    assert "sms_commands.tasks.inbox_poll" in app.tasks

    task.delete()
    call_command("notification_schedules", stdout=io.StringIO())
    assert PeriodicTask.objects.filter(task="sms_commands.tasks.inbox_poll", enabled=True).count() == 1
