"""The owner's quota inbox reads its three lists in one query and shows them as the three queries did."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from production.models import QuotaStatus
from production.selectors.quotas import inbox_quotas, inbox_workshop, newest_answer_first, quotas_of_owner

from .. import factories


@pytest.fixture
def workshop(owner):
    return factories.WorkshopFactory(owner=owner)


def quota(workshop, status, *, days_ago=None, due_in=20):
    responded = None if days_ago is None else timezone.now() - dt.timedelta(days=days_ago)
    return factories.QuotaFactory(
        workshop=workshop,
        status=status,
        responded_at=responded,
        due_date=timezone.localdate() + dt.timedelta(days=due_in),
        decline_reason="چرخ خراب است" if status == QuotaStatus.DECLINED else "",
    )


def test_the_three_lists_come_in_the_order_of_the_three_queries_they_replace(workshop):
    owner = workshop.owner
    for due_in in (30, 10, 20):
        quota(workshop, QuotaStatus.OFFERED, due_in=due_in)
        quota(workshop, QuotaStatus.ACCEPTED, days_ago=2, due_in=due_in)
    quota(workshop, QuotaStatus.DECLINED, days_ago=5)
    quota(workshop, QuotaStatus.CANCELLED, days_ago=1)
    quota(workshop, QuotaStatus.CANCELLED)  # cancelled before she answered: no responded_at
    quota(workshop, QuotaStatus.DECLINED, days_ago=3)
    quota(factories.WorkshopFactory(), QuotaStatus.OFFERED)  # another workshop's

    offered, accepted, closed = inbox_quotas(inbox_workshop(owner))

    mine = quotas_of_owner(owner)
    assert offered == list(mine.filter(status=QuotaStatus.OFFERED))
    assert accepted == list(mine.filter(status=QuotaStatus.ACCEPTED))
    expected_closed = mine.filter(status__in=[QuotaStatus.DECLINED, QuotaStatus.CANCELLED])
    assert closed == list(expected_closed.order_by("-responded_at", "-pk"))
    assert len(closed) == 4


def test_newest_answer_first_puts_unanswered_quotas_where_the_database_puts_nulls(workshop):
    answered_old = quota(workshop, QuotaStatus.DECLINED, days_ago=4)
    answered_new = quota(workshop, QuotaStatus.DECLINED, days_ago=1)
    unanswered_a = quota(workshop, QuotaStatus.CANCELLED)
    unanswered_b = quota(workshop, QuotaStatus.CANCELLED)
    answered = [answered_new, answered_old]
    unanswered = [unanswered_b, unanswered_a]
    expected = unanswered + answered if connection.features.nulls_order_largest else answered + unanswered
    assert newest_answer_first([answered_old, unanswered_a, answered_new, unanswered_b]) == expected


def test_each_inbox_quota_shares_the_owners_workshop_and_its_calendar(workshop):
    quota(workshop, QuotaStatus.ACCEPTED, days_ago=2)
    shown = inbox_workshop(workshop.owner)
    _, accepted, _ = inbox_quotas(shown)
    with CaptureQueriesContext(connection) as captured:
        assert accepted[0].workshop is shown
        accepted[0].workshop.work_calendar()
        accepted[0].workshop.daily_rates()
    assert len(captured) == 0


def test_an_owner_without_a_workshop_has_none(owner):
    assert inbox_workshop(owner) is None


def test_the_inbox_costs_the_same_queries_for_one_quota_of_each_kind_as_for_three(client_for, workshop):
    today = timezone.localdate()
    workshop.unavailable_ranges.create(start_date=today + dt.timedelta(days=3), end_date=today + dt.timedelta(days=5))
    client = client_for(workshop.owner)

    def queries_with(each: int) -> int:
        for status, days_ago in [
            (QuotaStatus.OFFERED, None),
            (QuotaStatus.ACCEPTED, 2),
            (QuotaStatus.DECLINED, 1),
            (QuotaStatus.CANCELLED, None),
        ]:
            while workshop.quotas.filter(status=status).count() < each:
                quota(workshop, status, days_ago=days_ago)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("quotas:inbox"))
        assert response.status_code == 200
        assert len(response.context["offered"]) == len(response.context["accepted"]) == each
        assert len(response.context["closed"]) == 2 * each
        return len(captured)

    assert queries_with(1) == queries_with(3)
