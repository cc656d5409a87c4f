"""The workshop owner's quota pages: inbox, accept/decline, daily report with Persian digits, correction, history."""

import datetime as dt
import re
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core import jalali
from production.models import OutputReport, QuotaStatus
from production.services.quotas import output_report

from .. import factories


@pytest.fixture
def workshop(owner):
    return factories.WorkshopFactory(owner=owner, name="کارگاه مهر")


def offered_quota(workshop, **kwargs):
    kwargs.setdefault("status", QuotaStatus.OFFERED)
    return factories.QuotaFactory(workshop=workshop, responded_at=None, **kwargs)


def english(client):
    client.cookies["hamdeli_language"] = "en"
    return client


def key_on_page(response) -> str:
    return re.search(r'name="idempotency_key" value="([0-9a-f-]+)"', response.text).group(1)


def report_data(key, quantity="۲۵", **extra):
    return {"quantity": quantity, "report_date": "", "note": "", "idempotency_key": key, **extra}


# --- Inbox, accept, decline ------------------------------------------------------------------------------------


def test_inbox_shows_an_offered_quota_with_jalali_due_date_destination_and_total_pay(client_for, workshop):
    due = timezone.localdate() + dt.timedelta(days=14)
    quota = offered_quota(
        workshop,
        quantity=120,
        due_date=due,
        piece_rate_rials=20_000,
        order__health_center__province=factories.province("isfahan"),
    )
    response = client_for(workshop.owner).get(reverse("quotas:inbox"))
    assert response.status_code == 200
    assert jalali.format_long(due, persian=True) in response.text
    assert "۲٬۴۰۰٬۰۰۰" in response.text  # 120 × 20,000 rials
    assert "۲۰٬۰۰۰" in response.text
    assert "اصفهان" in response.text
    assert reverse("quotas:accept", args=[quota.pk]) in response.text
    assert reverse("quotas:decline", args=[quota.pk]) in response.text


def test_inbox_shows_accepted_quota_progress_with_a_progress_bar_and_behind_badge(client_for, workshop):
    factories.QuotaFactory(
        workshop=workshop, quantity=100, produced_units=5, responded_at=timezone.now() - dt.timedelta(days=10)
    )
    client = english(client_for(workshop.owner))
    response = client.get(reverse("quotas:inbox"))
    assert '<progress class="quota-progress" value="5" max="100">' in response.text
    assert "Behind pace" in response.text
    assert "Working days left" in response.text
    assert 'style="' not in response.text


def test_the_inbox_costs_the_same_queries_for_one_accepted_quota_as_for_five(client_for, workshop):
    """A workshop with days off: each quota's progress reads the calendar, which must not cost a query each."""
    today = timezone.localdate()
    workshop.unavailable_ranges.create(start_date=today + dt.timedelta(days=3), end_date=today + dt.timedelta(days=5))
    client = client_for(workshop.owner)

    def queries_with(accepted: int) -> int:
        while workshop.quotas.count() < accepted:
            factories.QuotaFactory(workshop=workshop, responded_at=timezone.now() - dt.timedelta(days=2))
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("quotas:inbox")).status_code == 200
        return len(captured)

    assert queries_with(1) == queries_with(5)


def test_declined_quotas_are_listed_in_the_collapsed_history(client_for, workshop):
    offered_quota(workshop, status=QuotaStatus.DECLINED, decline_reason="چرخ خراب است")
    response = client_for(workshop.owner).get(reverse("quotas:inbox"))
    assert "<details" in response.text
    assert "چرخ خراب است" in response.text


def test_owner_accepts_an_offer_and_lands_on_the_quota_page(client_for, workshop):
    quota = offered_quota(workshop)
    response = client_for(workshop.owner).post(reverse("quotas:accept", args=[quota.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("quotas:detail", args=[quota.pk])
    quota.refresh_from_db()
    assert quota.status == QuotaStatus.ACCEPTED


def test_accepting_is_post_only(client_for, workshop):
    quota = offered_quota(workshop)
    assert client_for(workshop.owner).get(reverse("quotas:accept", args=[quota.pk])).status_code == 405


def test_suspended_owner_sees_why_she_cannot_accept(client_for, workshop):
    workshop.status = "suspended"
    workshop.save()
    quota = offered_quota(workshop)
    client = english(client_for(workshop.owner))
    response = client.post(reverse("quotas:accept", args=[quota.pk]), follow=True)
    assert "not verified at the moment" in response.text
    quota.refresh_from_db()
    assert quota.status == QuotaStatus.OFFERED


def test_owner_declines_an_offer_with_a_reason(client_for, workshop):
    quota = offered_quota(workshop)
    client = client_for(workshop.owner)
    assert client.get(reverse("quotas:decline", args=[quota.pk])).status_code == 200
    response = client.post(reverse("quotas:decline", args=[quota.pk]), {"reason": "پارچه نداریم"})
    assert response.status_code == 302
    quota.refresh_from_db()
    assert quota.status == QuotaStatus.DECLINED
    assert quota.decline_reason == "پارچه نداریم"


def test_declining_without_a_reason_shows_the_error_and_keeps_the_offer(client_for, workshop):
    quota = offered_quota(workshop)
    client = english(client_for(workshop.owner))
    response = client.post(reverse("quotas:decline", args=[quota.pk]), {"reason": "   "})
    assert response.status_code == 200
    assert "Please say why you decline" in response.text
    quota.refresh_from_db()
    assert quota.status == QuotaStatus.OFFERED


# --- Daily output report ---------------------------------------------------------------------------------------


def test_owner_reports_output_typed_with_persian_digits(client_for, workshop):
    quota = factories.QuotaFactory(workshop=workshop)
    client = english(client_for(workshop.owner))
    page = client.get(reverse("quotas:detail", args=[quota.pk]))
    response = client.post(reverse("quotas:detail", args=[quota.pk]), report_data(key_on_page(page)))
    assert response.status_code == 302
    assert response["Location"] == reverse("quotas:detail", args=[quota.pk])
    quota.refresh_from_db()
    assert quota.produced_units == 25
    report = OutputReport.objects.get()
    assert report.report_date == timezone.localdate()
    follow = client.get(response["Location"])
    assert "Total so far: 25 of 100" in follow.text


def test_report_form_accepts_a_jalali_day_in_persian_digits(client_for, workshop):
    quota = factories.QuotaFactory(workshop=workshop, responded_at=timezone.now() - dt.timedelta(days=5))
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    client = client_for(workshop.owner)
    data = report_data(str(uuid.uuid4()), report_date=jalali.format_short(yesterday, persian=True))
    assert client.post(reverse("quotas:detail", args=[quota.pk]), data).status_code == 302
    assert OutputReport.objects.get().report_date == yesterday


def test_double_submit_with_the_same_key_counts_once(client_for, workshop):
    quota = factories.QuotaFactory(workshop=workshop)
    client = english(client_for(workshop.owner))
    key = key_on_page(client.get(reverse("quotas:detail", args=[quota.pk])))
    client.post(reverse("quotas:detail", args=[quota.pk]), report_data(key))
    response = client.post(reverse("quotas:detail", args=[quota.pk]), report_data(key), follow=True)
    assert "already recorded" in response.text
    quota.refresh_from_db()
    assert quota.produced_units == 25
    assert OutputReport.objects.count() == 1


def test_after_a_successful_report_the_form_carries_a_new_key(client_for, workshop):
    quota = factories.QuotaFactory(workshop=workshop)
    client = client_for(workshop.owner)
    key = key_on_page(client.get(reverse("quotas:detail", args=[quota.pk])))
    response = client.post(reverse("quotas:detail", args=[quota.pk]), report_data(key), follow=True)
    assert key_on_page(response) != key


def test_over_the_ceiling_shows_the_maximum_next_to_the_field_and_keeps_the_typed_value(client_for, workshop):
    quota = factories.QuotaFactory(workshop=workshop, quantity=100)
    output_report(quota=quota, owner=workshop.owner, quantity=100, idempotency_key=uuid.uuid4())
    client = client_for(workshop.owner)
    key = str(uuid.uuid4())
    response = client.post(reverse("quotas:detail", args=[quota.pk]), report_data(key, quantity="۱۰", note="برش آخر"))
    assert response.status_code == 200
    assert "۱۰۵" in response.text  # the maximum, with Persian digits
    assert 'value="۱۰"' in response.text  # what she typed is still there
    assert 'value="برش آخر"' in response.text
    assert key_on_page(response) == key  # same key, so a later resend is still one submission
    assert response.context["report_form"].errors["quantity"]
    quota.refresh_from_db()
    assert quota.produced_units == 100


def test_a_future_day_is_refused_next_to_the_day_field(client_for, workshop):
    quota = factories.QuotaFactory(workshop=workshop)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    client = english(client_for(workshop.owner))
    data = report_data(str(uuid.uuid4()), report_date=jalali.format_short(tomorrow, persian=False))
    response = client.post(reverse("quotas:detail", args=[quota.pk]), data)
    assert response.status_code == 200
    assert "a day that has not come yet" in response.text
    assert response.context["report_form"].errors["report_date"]
    assert OutputReport.objects.count() == 0


def test_zero_units_is_refused_with_the_services_message(client_for, workshop):
    quota = factories.QuotaFactory(workshop=workshop)
    client = english(client_for(workshop.owner))
    response = client.post(reverse("quotas:detail", args=[quota.pk]), report_data(str(uuid.uuid4()), quantity="۰"))
    assert response.status_code == 200
    assert "at least 1" in response.text
    assert 'value="۰"' in response.text


def test_a_tampered_submission_key_is_replaced_and_nothing_is_recorded(client_for, workshop):
    quota = factories.QuotaFactory(workshop=workshop)
    client = english(client_for(workshop.owner))
    response = client.post(reverse("quotas:detail", args=[quota.pk]), report_data("not-a-key"))
    assert response.status_code == 200
    assert "out of date" in response.text
    uuid.UUID(key_on_page(response))
    assert OutputReport.objects.count() == 0


def test_owner_corrects_todays_report(client_for, workshop):
    quota = factories.QuotaFactory(workshop=workshop)
    report, _ = output_report(quota=quota, owner=workshop.owner, quantity=30, idempotency_key=uuid.uuid4())
    client = client_for(workshop.owner)
    page = client.get(reverse("quotas:detail", args=[quota.pk]))
    assert reverse("quotas:correct", args=[quota.pk, report.pk]) in page.text
    response = client.post(
        reverse("quotas:correct", args=[quota.pk, report.pk]),
        {f"correct-{report.pk}-quantity": "۲۸", f"correct-{report.pk}-note": "دو تا خراب بود"},
    )
    assert response.status_code == 302
    quota.refresh_from_db()
    report.refresh_from_db()
    assert (quota.produced_units, report.quantity, report.note) == (28, 28, "دو تا خراب بود")


def test_a_correction_above_the_ceiling_reopens_the_form_with_the_typed_value(client_for, workshop):
    quota = factories.QuotaFactory(workshop=workshop, quantity=100)
    report, _ = output_report(quota=quota, owner=workshop.owner, quantity=100, idempotency_key=uuid.uuid4())
    client = client_for(workshop.owner)
    response = client.post(
        reverse("quotas:correct", args=[quota.pk, report.pk]), {f"correct-{report.pk}-quantity": "۱۲۰"}
    )
    assert response.status_code == 200
    assert 'value="۱۲۰"' in response.text
    assert "۱۰۵" in response.text
    assert '<details class="correct-form" open>' in response.text
    quota.refresh_from_db()
    assert quota.produced_units == 100


def test_yesterdays_report_has_no_correction_form(client_for, workshop):
    quota = factories.QuotaFactory(workshop=workshop)
    report, _ = output_report(quota=quota, owner=workshop.owner, quantity=30, idempotency_key=uuid.uuid4())
    OutputReport.objects.filter(pk=report.pk).update(created_at=timezone.now() - dt.timedelta(days=1))
    page = client_for(workshop.owner).get(reverse("quotas:detail", args=[quota.pk]))
    assert reverse("quotas:correct", args=[quota.pk, report.pk]) not in page.text


# --- History ---------------------------------------------------------------------------------------------------


def test_history_lists_reports_and_earnings(client_for, workshop):
    quota = factories.QuotaFactory(workshop=workshop, piece_rate_rials=20_000)
    output_report(quota=quota, owner=workshop.owner, quantity=40, idempotency_key=uuid.uuid4())
    quota.refresh_from_db()
    quota.collected_units = quota.accepted_units = 30  # picked up and passed the quality check
    quota.paid_units = 10
    quota.save()
    response = client_for(workshop.owner).get(reverse("quotas:history"))
    assert response.status_code == 200
    assert jalali.format_short(timezone.localdate(), persian=True) in response.text
    assert quota.order.number in response.text  # codes are Latin everywhere (issue 14)
    assert "۶۰۰٬۰۰۰" in response.text  # earned: 30 × 20,000
    assert "۴۰۰٬۰۰۰" in response.text  # not yet paid: 20 × 20,000
    earnings = response.context["earnings"]
    assert (earnings.paid_rials, earnings.produced_awaiting_check) == (200_000, 10)


def test_history_shows_only_the_owners_own_reports(client_for, workshop):
    mine = factories.QuotaFactory(workshop=workshop)
    theirs = factories.QuotaFactory()
    output_report(quota=mine, owner=workshop.owner, quantity=7, idempotency_key=uuid.uuid4())
    output_report(quota=theirs, owner=theirs.workshop.owner, quantity=9, idempotency_key=uuid.uuid4())
    response = client_for(workshop.owner).get(reverse("quotas:history"))
    assert [report.quota_id for report in response.context["reports"]] == [mine.pk]


# --- Who may see what ------------------------------------------------------------------------------------------


def test_another_owners_quota_is_not_found(client_for, workshop):
    theirs = factories.QuotaFactory()
    offer = offered_quota(theirs.workshop)
    report, _ = output_report(quota=theirs, owner=theirs.workshop.owner, quantity=5, idempotency_key=uuid.uuid4())
    client = client_for(workshop.owner)
    assert client.get(reverse("quotas:detail", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("quotas:detail", args=[theirs.pk]), report_data(str(uuid.uuid4()))).status_code == 404
    assert client.post(reverse("quotas:accept", args=[offer.pk])).status_code == 404
    assert client.get(reverse("quotas:decline", args=[offer.pk])).status_code == 404
    assert client.post(reverse("quotas:decline", args=[offer.pk]), {"reason": "x"}).status_code == 404
    correct_url = reverse("quotas:correct", args=[theirs.pk, report.pk])
    assert client.post(correct_url, {f"correct-{report.pk}-quantity": "1"}).status_code == 404
    theirs.refresh_from_db()
    offer.refresh_from_db()
    assert (theirs.produced_units, offer.status) == (5, QuotaStatus.OFFERED)


def test_a_report_cannot_be_corrected_through_another_quotas_url(client_for, workshop):
    mine = factories.QuotaFactory(workshop=workshop)
    theirs = factories.QuotaFactory()
    report, _ = output_report(quota=theirs, owner=theirs.workshop.owner, quantity=5, idempotency_key=uuid.uuid4())
    url = reverse("quotas:correct", args=[mine.pk, report.pk])
    assert client_for(workshop.owner).post(url, {f"correct-{report.pk}-quantity": "1"}).status_code == 404


@pytest.mark.parametrize("name", ["quotas:inbox", "quotas:history"])
def test_coordinator_is_forbidden_from_the_owner_pages(client_for, coordinator, name):
    assert client_for(coordinator).get(reverse(name)).status_code == 403


def test_coordinator_is_forbidden_from_a_quota_page(client_for, coordinator):
    quota = factories.QuotaFactory()
    assert client_for(coordinator).get(reverse("quotas:detail", args=[quota.pk])).status_code == 403


@pytest.mark.parametrize("name", ["quotas:inbox", "quotas:history"])
def test_anonymous_visitor_is_sent_to_login(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_owner_without_a_workshop_is_offered_to_register(client_for, owner):
    response = client_for(owner).get(reverse("quotas:inbox"))
    assert response.status_code == 200
    assert reverse("workshops:register") in response.text
