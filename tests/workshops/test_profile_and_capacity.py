"""The owner keeps her profile, capacity, working days and days off up to date; nobody else can."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from core import jalali
from core.models import AuditLog
from workshops.calendar import FRIDAY, SATURDAY, THURSDAY, WEEK_ORDER, mask_from_weekdays
from workshops.models import WorkshopCapacity, WorkshopStatus, WorkshopUnavailability

from .. import factories

OWNER_PAGES = ["register", "bank", "profile", "capacity", "availability"]


def english(client):
    client.cookies["hamdeli_language"] = "en"
    return client


def persian_date(day: dt.date) -> str:
    return jalali.format_short(day, persian=True)


@pytest.fixture
def workshop(db):
    return factories.WorkshopFactory(name="خیاطی نمونه", status=WorkshopStatus.VERIFIED)


def profile_data(workshop, **overrides):
    return {
        "name": workshop.name,
        "national_id": workshop.national_id,
        "city": workshop.city_id,
        "address": workshop.address,
        "sheba": "",
        "sewing_machines": "2",
        "workers": "3",
        **overrides,
    }


def capacity_data(weekdays=(5, 6, 0, 1, 2, 3), **rates):
    return {"weekdays": [str(day) for day in weekdays], **rates}


# --- Who may open the owner pages -------------------------------------------------


@pytest.mark.parametrize("url_name", OWNER_PAGES)
def test_anonymous_visitor_is_sent_to_login_from_owner_pages(client, db, url_name):
    response = client.get(reverse(f"workshops:{url_name}"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("url_name", OWNER_PAGES)
def test_coordinator_is_forbidden_from_owner_pages(client_for, coordinator, url_name):
    assert client_for(coordinator).get(reverse(f"workshops:{url_name}")).status_code == 403


@pytest.mark.parametrize("url_name", OWNER_PAGES)
def test_donor_is_forbidden_from_owner_pages(client_for, donor_user, url_name):
    assert client_for(donor_user).get(reverse(f"workshops:{url_name}")).status_code == 403


def test_donor_cannot_remove_a_workshops_days_off(client_for, donor_user, workshop):
    period = WorkshopUnavailability.objects.create(
        workshop=workshop, start_date=timezone.localdate(), end_date=timezone.localdate()
    )
    response = client_for(donor_user).post(reverse("workshops:availability-remove", args=[period.pk]))
    assert response.status_code == 403
    assert WorkshopUnavailability.objects.filter(pk=period.pk).exists()


# --- Profile ----------------------------------------------------------------------


def test_suspended_owner_sees_her_status_and_the_reason_on_her_profile(client_for, workshop):
    workshop.status = WorkshopStatus.SUSPENDED
    workshop.status_reason = "دوخت گان‌های سفارش قبلی استاندارد نبود"
    workshop.save()
    response = client_for(workshop.owner).get(reverse("workshops:profile"))
    assert response.status_code == 200
    assert "تعلیق‌شده" in response.text
    assert "دوخت گان‌های سفارش قبلی استاندارد نبود" in response.text


def test_pending_owner_is_told_a_coordinator_will_verify_her_workshop(client_for, workshop):
    workshop.status = WorkshopStatus.PENDING
    workshop.save()
    response = english(client_for(workshop.owner)).get(reverse("workshops:profile"))
    assert "Pending verification" in response.text
    assert "Only verified workshops receive work." in response.text


def test_owner_changes_her_profile_and_the_change_is_audited(client_for, workshop):
    # Before verification she may move and change her Sheba herself (after it, see test_change_requests.py).
    workshop.status = WorkshopStatus.PENDING
    workshop.save(update_fields=["status"])
    shiraz = factories.capital("fars")
    response = client_for(workshop.owner).post(
        reverse("workshops:profile"),
        profile_data(workshop, city=shiraz.pk, sheba="IR۸۲ ۰۵۴۰ ۱۰۲۶ ۸۰۰۲ ۰۸۱۷ ۹۰۹۰ ۰۲", public_name_consent="on"),
    )
    assert response.status_code == 302
    workshop.refresh_from_db()
    assert workshop.city == shiraz
    assert workshop.province == factories.province("fars")
    assert workshop.sheba == "IR820540102680020817909002"
    assert workshop.public_name_consent
    entry = AuditLog.objects.get(action="workshop.profile", object_id=str(workshop.pk))
    assert entry.actor == workshop.owner


def test_profile_with_an_invalid_national_id_keeps_what_she_typed_and_the_status(client_for, workshop):
    workshop.status = WorkshopStatus.SUSPENDED
    workshop.status_reason = "مدارک ناقص"
    workshop.save()
    old_national_id = workshop.national_id
    response = client_for(workshop.owner).post(
        reverse("workshops:profile"), profile_data(workshop, national_id="۱۲۳۴۵۶۷۸۹۰", address="نشانی تازه")
    )
    assert response.status_code == 200
    assert "این کد ملی معتبر نیست" in response.text
    assert 'value="۱۲۳۴۵۶۷۸۹۰"' in response.text
    assert "نشانی تازه</textarea>" in response.text
    assert "مدارک ناقص" in response.text
    workshop.refresh_from_db()
    assert workshop.national_id == old_national_id
    assert workshop.address != "نشانی تازه"


def test_owner_cannot_change_her_status_through_the_profile_form(client_for, workshop):
    workshop.status = WorkshopStatus.SUSPENDED
    workshop.save()
    client_for(workshop.owner).post(reverse("workshops:profile"), profile_data(workshop, status="verified"))
    workshop.refresh_from_db()
    assert workshop.status == WorkshopStatus.SUSPENDED


# --- Capacity and working days -------------------------------------------------------


def test_owner_declares_capacity_typed_in_persian_digits(client_for, workshop):
    mask, gown = factories.product(), factories.product("surgical-gown")
    response = client_for(workshop.owner).post(
        reverse("workshops:capacity"), capacity_data(**{f"product_{mask.pk}": "۱٬۲۰۰", f"product_{gown.pk}": "۲۵"})
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert workshop.daily_rates() == {mask.pk: 1200, gown.pk: 25}
    assert AuditLog.objects.filter(action="workshop.capacity", object_id=str(workshop.pk)).count() == 2


def test_empty_or_zero_capacity_removes_a_product_she_no_longer_makes(client_for, workshop):
    mask, gown = factories.product(), factories.product("surgical-gown")
    factories.WorkshopCapacityFactory(workshop=workshop, product=mask, units_per_day=300)
    factories.WorkshopCapacityFactory(workshop=workshop, product=gown, units_per_day=30)
    client_for(workshop.owner).post(
        reverse("workshops:capacity"), capacity_data(**{f"product_{mask.pk}": "۰", f"product_{gown.pk}": ""})
    )
    assert not WorkshopCapacity.objects.filter(workshop=workshop).exists()


def test_capacity_page_shows_current_rates_and_explains_time_sharing(client_for, workshop):
    mask = factories.product()
    factories.WorkshopCapacityFactory(workshop=workshop, product=mask, units_per_day=300)
    response = english(client_for(workshop.owner)).get(reverse("workshops:capacity"))
    assert f'name="product_{mask.pk}" value="300"' in response.text
    assert "a day spent on gowns is not available for masks" in response.text
    assert "Changing capacity never changes quotas you already accepted" in response.text


def test_working_days_are_listed_saturday_to_friday_with_saturday_to_thursday_checked(client_for, workshop):
    response = client_for(workshop.owner).get(reverse("workshops:capacity"))
    text = response.text
    positions = [text.index(f'name="weekdays" value="{day}"') for day in WEEK_ORDER]
    assert positions == sorted(positions)
    assert f'value="{SATURDAY}" id="id_weekdays_0" checked' in text
    assert f'value="{FRIDAY}" id="id_weekdays_6">' in text  # Friday off by default


def test_owner_changes_her_working_days(client_for, workshop):
    response = client_for(workshop.owner).post(
        reverse("workshops:capacity"), capacity_data(weekdays=(SATURDAY, THURSDAY))
    )
    assert response.status_code == 302
    workshop.refresh_from_db()
    assert workshop.working_weekdays == mask_from_weekdays([SATURDAY, THURSDAY])


def test_no_working_day_checked_is_refused_and_capacity_typed_is_kept(client_for, workshop):
    mask = factories.product()
    before = workshop.working_weekdays
    response = client_for(workshop.owner).post(reverse("workshops:capacity"), {f"product_{mask.pk}": "۲۵۰"})
    assert response.status_code == 200
    assert "دست‌کم یک روز کاری انتخاب کنید." in response.text
    assert 'value="۲۵۰"' in response.text
    workshop.refresh_from_db()
    assert workshop.working_weekdays == before
    assert workshop.daily_rates() == {}


def test_negative_capacity_is_refused(client_for, workshop):
    mask = factories.product()
    response = client_for(workshop.owner).post(
        reverse("workshops:capacity"), capacity_data(**{f"product_{mask.pk}": "-5"})
    )
    assert response.status_code == 200
    assert workshop.daily_rates() == {}


# --- Days off ----------------------------------------------------------------------


def test_owner_adds_days_off_typed_as_jalali_dates_in_persian_digits(client_for, workshop):
    start = timezone.localdate() + dt.timedelta(days=3)
    end = start + dt.timedelta(days=4)
    response = client_for(workshop.owner).post(
        reverse("workshops:availability"),
        {"start_date": persian_date(start), "end_date": persian_date(end), "reason": "سفر"},
    )
    assert response.status_code == 302
    period = WorkshopUnavailability.objects.get(workshop=workshop)
    assert (period.start_date, period.end_date, period.reason) == (start, end, "سفر")
    page = client_for(workshop.owner).get(reverse("workshops:availability"))
    assert jalali.format_long(start, persian=True) in page.text
    assert jalali.format_long(end, persian=True) in page.text
    assert AuditLog.objects.filter(action="workshop.unavailable", object_id=str(workshop.pk)).exists()


def test_days_off_ending_before_they_start_are_refused_and_kept_in_the_form(client_for, workshop):
    start = timezone.localdate() + dt.timedelta(days=10)
    end = start - dt.timedelta(days=2)
    response = client_for(workshop.owner).post(
        reverse("workshops:availability"),
        {"start_date": persian_date(start), "end_date": persian_date(end), "reason": "بیماری"},
    )
    assert response.status_code == 200
    assert "تاریخ پایان نباید پیش از تاریخ شروع باشد." in response.text
    assert f'value="{persian_date(start)}"' in response.text
    assert 'value="بیماری"' in response.text
    assert not WorkshopUnavailability.objects.filter(workshop=workshop).exists()


def test_days_off_entirely_in_the_past_are_refused(client_for, workshop):
    end = timezone.localdate() - dt.timedelta(days=1)
    response = client_for(workshop.owner).post(
        reverse("workshops:availability"),
        {"start_date": persian_date(end - dt.timedelta(days=3)), "end_date": persian_date(end)},
    )
    assert response.status_code == 200
    assert "این دوره گذشته است." in response.text


def test_a_date_that_is_not_a_jalali_date_is_refused(client_for, workshop):
    response = client_for(workshop.owner).post(
        reverse("workshops:availability"), {"start_date": "۱۴۰۵/۱۳/۴۰", "end_date": "۱۴۰۵/۱۲/۰۱"}
    )
    assert response.status_code == 200
    assert 'value="۱۴۰۵/۱۳/۴۰"' in response.text
    assert not WorkshopUnavailability.objects.exists()


def test_owner_removes_her_days_off(client_for, workshop):
    today = timezone.localdate()
    period = WorkshopUnavailability.objects.create(
        workshop=workshop, start_date=today, end_date=today + dt.timedelta(days=2), reason="عید"
    )
    client = client_for(workshop.owner)
    assert "عید" in client.get(reverse("workshops:availability")).text
    response = client.post(reverse("workshops:availability-remove", args=[period.pk]))
    assert response.status_code == 302
    assert not WorkshopUnavailability.objects.filter(pk=period.pk).exists()
    assert AuditLog.objects.filter(action="workshop.available", object_id=str(workshop.pk)).exists()


def test_past_days_off_are_not_listed(client_for, workshop):
    today = timezone.localdate()
    WorkshopUnavailability.objects.create(
        workshop=workshop,
        start_date=today - dt.timedelta(days=9),
        end_date=today - dt.timedelta(days=8),
        reason="گذشته",
    )
    assert "گذشته" not in client_for(workshop.owner).get(reverse("workshops:availability")).text


def test_owner_cannot_remove_another_owners_days_off(client_for, workshop):
    other = factories.WorkshopFactory()
    period = WorkshopUnavailability.objects.create(
        workshop=other, start_date=timezone.localdate(), end_date=timezone.localdate()
    )
    response = client_for(workshop.owner).post(reverse("workshops:availability-remove", args=[period.pk]))
    assert response.status_code == 404
    assert WorkshopUnavailability.objects.filter(pk=period.pk).exists()


def test_removing_days_off_is_a_post_only(client_for, workshop):
    period = WorkshopUnavailability.objects.create(
        workshop=workshop, start_date=timezone.localdate(), end_date=timezone.localdate()
    )
    response = client_for(workshop.owner).get(reverse("workshops:availability-remove", args=[period.pk]))
    assert response.status_code == 405
    assert WorkshopUnavailability.objects.filter(pk=period.pk).exists()
