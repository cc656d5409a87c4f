"""'Pledges waiting for this coordinator' is one number wherever it is shown: list, home card, dashboard, digest."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from core.notifications import backends
from donors.models import PledgeStatus
from donors.notification_tasks import coordinator_action_counts, coordinator_daily_digest
from reports.dashboard_actions import action_lists
from tests import factories

pytestmark = pytest.mark.django_db


def every_count(client_for, user) -> dict[str, int]:
    client = client_for(user)
    listed = client.get(reverse("donations:pledge-list"), {"status": PledgeStatus.PLEDGED})
    home = client.get(reverse("home"))
    dashboard = {item.key: item for item in action_lists(user=user)}["pledges"]
    return {
        "pledge list": listed.context["table"].paginator.count,
        "home card": home.context["coordinator"]["pledges_waiting"],
        "dashboard": dashboard.total,
        "digest": coordinator_action_counts(user, timezone.localdate())["pledges"],
    }


def test_one_waiting_campaign_pledge_is_counted_once_on_every_page_that_counts_waiting_pledges(client_for, coordinator):
    factories.PledgeFactory(order=None, campaign=factories.CampaignFactory())
    assert every_count(client_for, coordinator) == {"pledge list": 1, "home card": 1, "dashboard": 1, "digest": 1}


def test_waiting_pledges_of_another_province_count_nowhere_and_those_of_hers_count_everywhere(
    client_for, coordinator, other_coordinator
):
    factories.PledgeFactory()  # an order of Tehran
    factories.PledgeFactory(status=PledgeStatus.CANCELLED)
    assert every_count(client_for, coordinator) == {"pledge list": 1, "home card": 1, "dashboard": 1, "digest": 1}
    assert every_count(client_for, other_coordinator) == {
        "pledge list": 0,
        "home card": 0,
        "dashboard": 0,
        "digest": 0,
    }


def test_a_coordinator_whose_only_waiting_item_is_a_campaign_pledge_gets_the_morning_digest(
    coordinator, django_capture_on_commit_callbacks
):
    backends.outbox.clear()
    factories.PledgeFactory(order=None, campaign=factories.CampaignFactory())
    with django_capture_on_commit_callbacks(execute=True):
        coordinator_daily_digest.delay()
    assert [message.to for message in backends.outbox].count(coordinator.mobile) == 1
    backends.outbox.clear()
