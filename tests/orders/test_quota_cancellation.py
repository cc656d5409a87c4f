"""Quotas withdrawn by a coordinator or by a workshop's suspension go back to the order."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.models import AuditLog
from production.models import QuotaStatus
from production.services.quotas import quota_cancel, workshop_set_status_with_quotas
from workshops.models import WorkshopStatus

from .. import factories


def test_cancelling_a_quota_keeps_what_was_produced_and_records_why(db, coordinator):
    quota = factories.QuotaFactory(produced_units=30)
    quota_cancel(quota=quota, actor=coordinator, reason="سفارش لغو شد")
    quota.refresh_from_db()
    assert quota.status == QuotaStatus.CANCELLED
    assert quota.produced_units == 30
    assert quota.cancel_reason == "سفارش لغو شد"
    assert AuditLog.objects.filter(action="quota.cancel", object_id=str(quota.pk)).exists()


def test_a_declined_quota_cannot_be_cancelled(db, coordinator):
    quota = factories.QuotaFactory(status=QuotaStatus.DECLINED, decline_reason="مریضی")
    with pytest.raises(ValidationError):
        quota_cancel(quota=quota, actor=coordinator, reason="x")


def test_cancelling_without_a_reason_is_refused(db, coordinator):
    with pytest.raises(ValidationError):
        quota_cancel(quota=factories.QuotaFactory(), actor=coordinator, reason="  ")


def test_suspending_a_workshop_cancels_its_offered_and_accepted_quotas_only(db, coordinator):
    workshop = factories.WorkshopFactory()
    accepted = factories.QuotaFactory(workshop=workshop, produced_units=10)
    offered = factories.QuotaFactory(workshop=workshop, status=QuotaStatus.OFFERED, responded_at=None)
    declined = factories.QuotaFactory(workshop=workshop, status=QuotaStatus.DECLINED, decline_reason="نه")
    other = factories.QuotaFactory()

    _, cancelled = workshop_set_status_with_quotas(
        workshop=workshop, status=WorkshopStatus.SUSPENDED, reason="کیفیت پایین", actor=coordinator
    )

    assert {quota.pk for quota in cancelled} == {accepted.pk, offered.pk}
    for quota in (accepted, offered, declined, other):
        quota.refresh_from_db()
    assert accepted.status == offered.status == QuotaStatus.CANCELLED
    assert "کیفیت پایین" in accepted.cancel_reason
    assert declined.status == QuotaStatus.DECLINED
    assert other.status == QuotaStatus.ACCEPTED


def test_verifying_a_workshop_touches_no_quota(db, coordinator):
    workshop = factories.WorkshopFactory(status=WorkshopStatus.PENDING)
    _, cancelled = workshop_set_status_with_quotas(
        workshop=workshop, status=WorkshopStatus.VERIFIED, reason="", actor=coordinator
    )
    assert cancelled == []


def test_coordinator_suspending_from_the_detail_page_sees_the_quotas_cancelled(client_for, coordinator):
    quota = factories.QuotaFactory()
    client = client_for(coordinator)
    client.cookies["hamdeli_language"] = "en"
    url = reverse("supply:workshop-status", kwargs={"pk": quota.workshop.pk, "action": "suspend"})
    response = client.post(url, {"suspend-reason": "Poor stitching"}, follow=True)
    assert "1 open quotas of this workshop were cancelled" in response.text
    quota.refresh_from_db()
    assert quota.status == QuotaStatus.CANCELLED
