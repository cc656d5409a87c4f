"""One workshop seen by its coordinator: private profile, quotas and on-time rate, output, notes, status actions."""

import datetime as dt
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import AuditLog, Role
from production.models import OutputReport, QuotaStatus
from production.selectors.supply import Punctuality, quota_history
from workshops.models import WorkshopNote, WorkshopStatus

from .. import factories

TODAY = dt.date(2026, 3, 7)


def english(client):
    client.cookies["hamdeli_language"] = "en"
    return client


def detail_url(workshop) -> str:
    return reverse("supply:workshop-detail", kwargs={"pk": workshop.pk})


def status_url(workshop, action: str) -> str:
    return reverse("supply:workshop-status", kwargs={"pk": workshop.pk, "action": action})


def report(quota, day: dt.date, quantity: int) -> OutputReport:
    """An output report on ``day`` (the service only allows today; history needs past days)."""
    quota.produced_units += quantity
    quota.save(update_fields=["produced_units"])
    return OutputReport.objects.create(
        quota=quota,
        report_date=day,
        quantity=quantity,
        idempotency_key=uuid.uuid4(),
        reported_by=quota.workshop.owner,
    )


def quota_due(workshop, due: dt.date, quantity: int = 50, **kwargs):
    return factories.QuotaFactory(workshop=workshop, quantity=quantity, due_date=due, **kwargs)


# --- who may open it ----------------------------------------------------------------------------------------


def test_anonymous_visitor_is_sent_to_login(client, db):
    workshop = factories.WorkshopFactory()
    response = client.get(detail_url(workshop))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("role", [Role.WORKSHOP_OWNER, Role.DONOR])
def test_workshop_owner_and_donor_are_forbidden(client_for, db, role):
    workshop = factories.WorkshopFactory()
    user = workshop.owner if role == Role.WORKSHOP_OWNER else factories.UserFactory(role=role)
    assert client_for(user).get(detail_url(workshop)).status_code == 403
    assert client_for(user).post(status_url(workshop, "suspend"), {"suspend-reason": "x"}).status_code == 403


def test_tehran_coordinator_gets_404_on_a_fars_workshop(client_for, coordinator):
    fars = factories.WorkshopFactory(province=factories.province("fars"), status=WorkshopStatus.PENDING)
    client = client_for(coordinator)
    assert client.get(detail_url(fars)).status_code == 404
    assert client.post(status_url(fars, "verify"), {"verify-reason": ""}).status_code == 404
    assert client.post(reverse("supply:workshop-note", kwargs={"pk": fars.pk}), {"text": "سلام"}).status_code == 404
    fars.refresh_from_db()
    assert fars.status == WorkshopStatus.PENDING
    assert not WorkshopNote.objects.exists()


def test_national_coordinator_opens_a_workshop_of_any_province(client_for, national_coordinator):
    fars = factories.WorkshopFactory(province=factories.province("fars"))
    assert client_for(national_coordinator).get(detail_url(fars)).status_code == 200


# --- what it shows ------------------------------------------------------------------------------------------


def test_detail_shows_private_profile_head_of_household_national_id_and_sheba(client_for, coordinator):
    workshop = factories.WorkshopFactory(
        name="کارگاه نرگس",
        is_woman_head_of_household=True,
        sheba="IR820540102680020817909002",
        sewing_machines=3,
        workers=2,
    )
    response = english(client_for(coordinator)).get(detail_url(workshop))
    assert response.status_code == 200
    text = response.text
    assert "کارگاه نرگس" in text
    assert "Private: only coordinators see this" in text
    assert 'data-testid="head-of-household">Yes<' in text
    assert workshop.national_id in text
    assert "IR820540102680020817909002" in text


def test_detail_shows_capacity_working_days_and_unavailable_periods(client_for, coordinator):
    workshop = factories.WorkshopFactory(working_weekdays=0b1100000)  # Saturday and Sunday only
    factories.WorkshopCapacityFactory(workshop=workshop, product=factories.product(), units_per_day=300)
    workshop.unavailable_ranges.create(
        start_date=timezone.localdate(), end_date=timezone.localdate() + dt.timedelta(days=2), reason="سفر"
    )
    response = english(client_for(coordinator)).get(detail_url(workshop))
    assert f"{factories.product().name_en}: 300 a day" in response.text
    assert response.context["weekdays"][:3] == [("Saturday", True), ("Sunday", True), ("Monday", False)]
    assert "سفر" in response.text


def test_on_time_rate_counts_accepted_quotas_that_reached_their_quantity_by_the_due_date(db):
    workshop = factories.WorkshopFactory()
    on_time = quota_due(workshop, TODAY - dt.timedelta(days=10))
    report(on_time, TODAY - dt.timedelta(days=13), 30)
    report(on_time, TODAY - dt.timedelta(days=10), 20)  # on the due date itself
    late = quota_due(workshop, TODAY - dt.timedelta(days=5))
    report(late, TODAY - dt.timedelta(days=6), 40)
    report(late, TODAY - dt.timedelta(days=3), 10)  # finished, but after the due date
    early = quota_due(workshop, TODAY + dt.timedelta(days=5))
    report(early, TODAY - dt.timedelta(days=1), 50)  # finished before it is due
    running = quota_due(workshop, TODAY + dt.timedelta(days=5))  # not due, not finished: not judged
    due_today = quota_due(workshop, TODAY)  # the due day still counts as time left
    quota_due(workshop, TODAY - dt.timedelta(days=3), status=QuotaStatus.DECLINED, decline_reason="بیمار")
    quota_due(workshop, TODAY - dt.timedelta(days=3), status=QuotaStatus.OFFERED)

    records, rate = quota_history(workshop, today=TODAY)

    verdicts = {record.quota.pk: record.punctuality for record in records}
    assert verdicts[on_time.pk] == Punctuality.ON_TIME
    assert verdicts[late.pk] == Punctuality.LATE
    assert verdicts[early.pk] == Punctuality.ON_TIME
    assert verdicts[running.pk] == Punctuality.OPEN
    assert verdicts[due_today.pk] == Punctuality.OPEN
    assert (rate.on_time, rate.judged, rate.percent) == (2, 3, 67)


def test_detail_page_shows_the_on_time_rate_and_quota_history(client_for, coordinator):
    workshop = factories.WorkshopFactory()
    today = timezone.localdate()
    done = quota_due(workshop, today - dt.timedelta(days=4), quantity=40)
    report(done, today - dt.timedelta(days=5), 40)
    quota_due(workshop, today - dt.timedelta(days=2), quantity=60)  # nothing made: late
    response = english(client_for(coordinator)).get(detail_url(workshop))
    assert response.context["on_time"].percent == 50
    text = response.text
    assert "50%" in text
    assert "1 of 2 accepted quotas finished by their due date" in text
    assert done.order.number in text
    assert ">On time<" in text
    assert ">Late<" in text


def test_output_timeline_groups_reports_by_day_with_daily_totals(client_for, coordinator):
    workshop = factories.WorkshopFactory()
    quota = factories.QuotaFactory(workshop=workshop, quantity=500)
    today = timezone.localdate()
    report(quota, today, 30)
    report(quota, today, 45)
    report(quota, today - dt.timedelta(days=1), 20)
    report(quota, today - dt.timedelta(days=40), 7)  # too old for the timeline
    response = english(client_for(coordinator)).get(detail_url(workshop))
    timeline = response.context["timeline"]
    assert [(day.day, day.total) for day in timeline] == [(today, 75), (today - dt.timedelta(days=1), 20)]
    assert "Total 75" in response.text


def test_history_of_changes_lists_the_workshops_audit_entries(client_for, coordinator):
    workshop = factories.WorkshopFactory(status=WorkshopStatus.PENDING)
    client = english(client_for(coordinator))
    client.post(status_url(workshop, "verify"), {"verify-reason": ""})
    response = client.get(detail_url(workshop))
    history = response.context["history"]
    assert history[0].what == "Status changed"
    assert history[0].who == coordinator.full_name
    assert "from Pending verification to Verified" in response.text


# --- status actions -----------------------------------------------------------------------------------------


def test_coordinator_verifies_a_pending_workshop(client_for, coordinator):
    workshop = factories.WorkshopFactory(name="کارگاه تازه", status=WorkshopStatus.PENDING)
    client = english(client_for(coordinator))
    response = client.post(status_url(workshop, "verify"), {"verify-reason": ""}, follow=True)
    workshop.refresh_from_db()
    assert workshop.status == WorkshopStatus.VERIFIED
    assert "“کارگاه تازه” is verified and can now receive quotas." in response.text
    entry = AuditLog.objects.get(action="workshop.status", object_id=str(workshop.pk))
    assert entry.actor == coordinator
    assert entry.changes["status"] == ["pending", "verified"]


def test_coordinator_suspends_a_workshop_with_a_reason(client_for, coordinator):
    workshop = factories.WorkshopFactory()
    client = english(client_for(coordinator))
    response = client.post(status_url(workshop, "suspend"), {"suspend-reason": "دوخت نامرغوب"}, follow=True)
    workshop.refresh_from_db()
    assert workshop.status == WorkshopStatus.SUSPENDED
    assert workshop.status_reason == "دوخت نامرغوب"
    assert "is suspended" in response.text
    assert AuditLog.objects.filter(action="workshop.status", object_id=str(workshop.pk)).count() == 1


def test_suspending_without_a_reason_shows_the_error_and_changes_nothing(client_for, coordinator):
    workshop = factories.WorkshopFactory()
    response = english(client_for(coordinator)).post(status_url(workshop, "suspend"), {"suspend-reason": "  "})
    assert response.status_code == 200
    assert "Please give a reason; the owner will see it." in response.text
    workshop.refresh_from_db()
    assert workshop.status == WorkshopStatus.VERIFIED
    assert not AuditLog.objects.filter(action="workshop.status").exists()


def test_coordinator_reactivates_a_suspended_workshop_with_a_reason(client_for, coordinator):
    workshop = factories.WorkshopFactory(status=WorkshopStatus.SUSPENDED, status_reason="کیفیت")
    client = english(client_for(coordinator))
    assert "Reactivate" in client.get(detail_url(workshop)).text
    client.post(status_url(workshop, "reactivate"), {"reactivate-reason": "کیفیت بهتر شد"})
    workshop.refresh_from_db()
    assert workshop.status == WorkshopStatus.VERIFIED
    assert workshop.status_reason == "کیفیت بهتر شد"
    assert AuditLog.objects.filter(action="workshop.status", object_id=str(workshop.pk)).exists()


def test_reactivating_without_a_reason_keeps_it_suspended(client_for, coordinator):
    workshop = factories.WorkshopFactory(status=WorkshopStatus.SUSPENDED, status_reason="کیفیت")
    response = english(client_for(coordinator)).post(status_url(workshop, "reactivate"), {"reactivate-reason": ""})
    assert "Please give a reason; the owner will see it." in response.text
    workshop.refresh_from_db()
    assert workshop.status == WorkshopStatus.SUSPENDED


def test_an_impossible_change_shows_the_services_message(client_for, coordinator):
    # Suspended meanwhile (in another tab): suspending again is refused by the service, and the page says so.
    workshop = factories.WorkshopFactory(status=WorkshopStatus.SUSPENDED, status_reason="کیفیت")
    response = english(client_for(coordinator)).post(status_url(workshop, "suspend"), {"suspend-reason": "دوباره"})
    assert response.status_code == 200
    assert "A workshop cannot go from “Suspended” to “Suspended”." in response.text
    workshop.refresh_from_db()
    assert workshop.status_reason == "کیفیت"


def test_a_too_long_reason_is_refused_and_kept_in_the_box(client_for, coordinator):
    workshop = factories.WorkshopFactory()
    reason = "خ" * 401
    response = english(client_for(coordinator)).post(status_url(workshop, "suspend"), {"suspend-reason": reason})
    assert "Ensure this value has at most 400 characters" in response.text
    assert f"{reason}</textarea>" in response.text
    workshop.refresh_from_db()
    assert workshop.status == WorkshopStatus.VERIFIED


def test_only_the_possible_actions_are_offered(client_for, coordinator):
    pending = factories.WorkshopFactory(status=WorkshopStatus.PENDING)
    verified = factories.WorkshopFactory()
    client = english(client_for(coordinator))
    pending_page, verified_page = client.get(detail_url(pending)).text, client.get(detail_url(verified)).text
    assert 'data-testid="status-verify"' in pending_page
    assert 'data-testid="status-suspend"' in pending_page
    assert 'data-testid="status-verify"' not in verified_page
    assert 'data-testid="status-reactivate"' not in verified_page


def test_status_change_needs_post(client_for, coordinator):
    workshop = factories.WorkshopFactory(status=WorkshopStatus.PENDING)
    assert client_for(coordinator).get(status_url(workshop, "verify")).status_code == 405


# --- notes --------------------------------------------------------------------------------------------------


def test_coordinator_adds_a_note(client_for, coordinator):
    workshop = factories.WorkshopFactory()
    client = english(client_for(coordinator))
    url = reverse("supply:workshop-note", kwargs={"pk": workshop.pk})
    response = client.post(url, {"text": "تماس گرفتم؛ پارچه رسيد"}, follow=True)
    note = WorkshopNote.objects.get(workshop=workshop)
    assert note.author == coordinator
    assert note.text == "تماس گرفتم؛ پارچه رسید"  # Arabic yeh normalised
    assert "Note added." in response.text
    assert "تماس گرفتم؛ پارچه رسید" in response.text


def test_an_empty_note_shows_an_error(client_for, coordinator):
    workshop = factories.WorkshopFactory()
    url = reverse("supply:workshop-note", kwargs={"pk": workshop.pk})
    response = english(client_for(coordinator)).post(url, {"text": ""})
    assert response.status_code == 200
    assert "Write the note first." in response.text
    assert not WorkshopNote.objects.exists()


def test_order_numbers_on_a_workshop_link_to_the_order_only_where_the_coordinator_may_open_it(client_for, coordinator):
    workshop = factories.WorkshopFactory(status=WorkshopStatus.VERIFIED)  # Tehran
    home_order = factories.QuotaFactory(workshop=workshop, status=QuotaStatus.ACCEPTED).order
    isfahan_center = factories.HealthCenterFactory(province=factories.province("isfahan"))
    away_order = factories.QuotaFactory(
        workshop=workshop, status=QuotaStatus.ACCEPTED, order__health_center=isfahan_center
    ).order
    client = client_for(coordinator)

    page = client.get(detail_url(workshop)).content.decode()

    home_link = reverse("orders:detail", args=[home_order.pk])
    assert f'<a href="{home_link}"><bdi class="doc-code" dir="ltr">{home_order.number}</bdi></a>' in page
    assert client.get(home_link).status_code == 200
    # Sewn for an Isfahan hospital: shown, but not a link that would end in "not found".
    assert f'dir="ltr">{away_order.number}</bdi>' in page
    assert reverse("orders:detail", args=[away_order.pk]) not in page
