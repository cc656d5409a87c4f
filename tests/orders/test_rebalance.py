"""Work that cannot be done in time goes back to the order for the next allocation run."""

import datetime as dt
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.models import AuditLog
from orders.funding import allocated_units
from production.models import QuotaStatus
from production.services.quotas import output_report, quota_cancel
from production.services.rebalance import quota_release_remainder, releases_due

from .. import factories

# Accepted Saturday 4 Jan 2025, due Thursday 16 Jan 2025: 12 working days (Sat-Thu).
ACCEPTED_AT = timezone.make_aware(dt.datetime(2025, 1, 4, 10, 0))
DUE = dt.date(2025, 1, 16)


def quota(**kwargs):
    return factories.QuotaFactory(quantity=120, due_date=DUE, responded_at=ACCEPTED_AT, **kwargs)


def test_a_quota_far_behind_near_its_due_date_releases_its_remainder(db):
    late = quota(produced_units=30)  # 30 made, 110 expected by Tuesday 14 Jan, 3 of 12 days left
    (release,) = releases_due([late], today=dt.date(2025, 1, 14))
    assert release.quota == late
    assert release.units == 90
    assert "30" in release.reason or "۳۰" in release.reason


def test_a_quota_behind_but_with_time_left_keeps_its_work(db):
    slow = quota(produced_units=10)  # far behind, but on 8 Jan most of the time is still ahead
    assert releases_due([slow], today=dt.date(2025, 1, 8)) == []


def test_a_quota_close_to_pace_keeps_its_work_near_the_end(db):
    nearly = quota(produced_units=80)  # 80 of 110 expected is above 60%
    assert releases_due([nearly], today=dt.date(2025, 1, 14)) == []


def test_releasing_takes_the_remainder_back_from_the_order_and_is_audited(db, coordinator):
    late = quota(produced_units=30)
    order = late.order
    assert allocated_units(order) == 120
    quota_release_remainder(quota=late, actor=coordinator, reason="عقب‌تر از برنامه")
    late.refresh_from_db()
    assert late.released_units == 90
    assert late.remaining_units == 0
    assert late.status == QuotaStatus.ACCEPTED  # she keeps the quota and what she made
    assert allocated_units(order) == 30
    entry = AuditLog.objects.get(action="quota.release", object_id=str(late.pk))
    assert entry.changes == {"released_units": [0, 90]}


def test_after_a_release_the_workshop_may_report_only_up_to_its_new_target(db):
    late = quota(produced_units=30)
    quota_release_remainder(quota=late, actor=None, reason="x")
    late.refresh_from_db()
    assert late.max_total_units == 31  # 30 plus 5%, rounded down
    owner, day = late.workshop.owner, dt.date(2025, 1, 14)
    _, created = output_report(quota=late, owner=owner, quantity=1, report_date=day, idempotency_key=uuid.uuid4())
    assert created
    with pytest.raises(ValidationError):
        output_report(quota=late, owner=owner, quantity=1, report_date=day, idempotency_key=uuid.uuid4())


def test_declined_quotas_give_everything_back_and_cancelled_ones_keep_what_was_made(db, coordinator):
    order = factories.OrderFactory(quantity=1000)
    factories.QuotaFactory(order=order, quantity=100, status=QuotaStatus.DECLINED, decline_reason="نه")
    cancelled = factories.QuotaFactory(order=order, quantity=100, produced_units=40)
    quota_cancel(quota=cancelled, actor=coordinator, reason="تعلیق کارگاه")
    factories.QuotaFactory(order=order, quantity=100)
    assert allocated_units(order) == 40 + 100
