"""A gateway that delivers the same message twice at the same moment: done and answered once (PostgreSQL)."""

import pytest
from django.core.cache import cache
from django.db import connection

from production.models import OutputReport
from sms_commands import services
from sms_commands.models import InboundMessage
from tests import races
from tests.factories import QuotaFactory


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are PostgreSQL's; CI runs this on PostgreSQL")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_message_delivered_twice_at_once_is_done_once(monkeypatch):
    """The first holds the new row's key uncommitted; the twin waits on it, then finds the row and does nothing."""
    cache.clear()
    quota = QuotaFactory()
    owner = quota.workshop.owner

    def deliver():
        return services.sms_receive(gateway_id="twin", sender=owner.mobile, text="ت ۱۲")

    with races.Race() as race:
        claimed = race.park(monkeypatch, services, "_claim")
        race.start("first", deliver)
        claimed.wait_until_reached()
        second = race.start("second", deliver)
        race.wait_until_blocked(second)
        claimed.release()
    assert race.errors == {}
    assert [caller.result[1] for caller in race.callers] == [True, False]
    quota.refresh_from_db()
    assert quota.produced_units == 12
    assert OutputReport.objects.filter(quota=quota).count() == 1
    assert InboundMessage.objects.count() == 1
