"""Pickup pages for coordinators and collectors: where to collect, recording, the list, one pickup, collectors."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from core import jalali
from core.models import Role, User
from fulfilment.models import Pickup
from production.models import Quota

from .. import factories


@pytest.fixture(autouse=True)
def english_ui(client):
    """Pages (and the service messages on them) are asserted in English unless a test asks for Persian."""
    client.cookies["hamdeli_language"] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def collector(db):
    return factories.UserFactory(role=Role.COLLECTOR, provinces=[factories.province("tehran")])


def produced_quota(produced=100, collected=0, **kwargs) -> Quota:
    return factories.QuotaFactory(
        produced_units=produced, collected_units=collected, accepted_units=collected, **kwargs
    )


def record_url(workshop) -> str:
    return reverse("pickups:record", kwargs={"workshop_pk": workshop.pk})


def row_data(quota, collected="", accepted="", rejected="", reason="", note="") -> dict:
    prefix = f"q{quota.pk}-"
    return {
        prefix + "collected_units": collected,
        prefix + "accepted_units": accepted,
        prefix + "rejected_units": rejected,
        prefix + "reject_reason": reason,
        prefix + "reject_note": note,
    }


def today_jalali() -> str:
    return jalali.format_short(timezone.localdate(), persian=False)


# --- Where to collect -----------------------------------------------------------------------------------------


def test_a_collector_sees_workshops_with_units_waiting_and_a_link_to_record(client_for, collector):
    waiting = produced_quota(produced=80, collected=30, workshop=factories.WorkshopFactory(name="کارگاه منتظر"))
    produced_quota(produced=50, collected=50, workshop=factories.WorkshopFactory(name="کارگاه تمام‌شده"))
    produced_quota(
        produced=50, workshop=factories.WorkshopFactory(name="کارگاه اصفهان", province=factories.province("isfahan"))
    )
    response = client_for(collector).get(reverse("pickups:workshops"))
    assert response.status_code == 200
    assert "کارگاه منتظر" in response.text and "50 units" in response.text
    assert "کارگاه تمام‌شده" not in response.text
    assert "کارگاه اصفهان" not in response.text
    assert record_url(waiting.workshop) in response.text


def test_where_to_collect_filters_by_province(client_for, national_coordinator):
    produced_quota(workshop=factories.WorkshopFactory(name="کارگاه تهران"))
    produced_quota(workshop=factories.WorkshopFactory(name="کارگاه اصفهان", province=factories.province("isfahan")))
    isfahan = factories.province("isfahan")
    response = client_for(national_coordinator).get(reverse("pickups:workshops"), {"province": isfahan.pk})
    assert "کارگاه اصفهان" in response.text and "کارگاه تهران" not in response.text


# --- Access ---------------------------------------------------------------------------------------------------


def test_an_anonymous_visitor_is_sent_to_login(client, db):
    response = client.get(reverse("pickups:workshops"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("url_name", ["pickups:list", "pickups:workshops", "pickups:collectors"])
def test_a_workshop_owner_is_forbidden(client_for, owner, url_name):
    assert client_for(owner).get(reverse(url_name)).status_code == 403


def test_a_collector_may_not_manage_collectors(client_for, collector):
    assert client_for(collector).get(reverse("pickups:collectors")).status_code == 403


def test_a_workshop_of_another_province_is_not_found(client_for, collector):
    quota = produced_quota(workshop=factories.WorkshopFactory(province=factories.province("isfahan")))
    assert client_for(collector).get(record_url(quota.workshop)).status_code == 404


def test_a_pickup_of_another_province_is_not_found(client_for, other_coordinator, coordinator):
    pickup = Pickup.objects.create(
        workshop=factories.WorkshopFactory(), pickup_date=timezone.localdate(), recorded_by=coordinator
    )
    assert client_for(other_coordinator).get(reverse("pickups:detail", args=[pickup.pk])).status_code == 404


# --- Recording ------------------------------------------------------------------------------------------------


def test_the_form_shows_one_row_per_quota_with_units_to_collect(client_for, coordinator):
    quota = produced_quota(produced=70, collected=20)
    produced_quota(produced=10, collected=10, workshop=quota.workshop)  # nothing left: no row
    response = client_for(coordinator).get(record_url(quota.workshop))
    assert response.text.count('data-testid="pickup-row"') == 1
    assert quota.order.number in response.text
    assert ">50<" in response.text  # collectable
    assert today_jalali() in response.text  # the date defaults to today


def test_a_collector_records_a_pickup_typed_in_persian_digits(client_for, collector):
    quota = produced_quota(produced=100)
    other = produced_quota(produced=10, workshop=quota.workshop)
    data = {
        "pickup_date": jalali.format_short(timezone.localdate(), persian=True),
        "note": "",
        **row_data(quota, collected="۶۰", rejected="۵", reason="stitching", note="درز باز"),
        **row_data(other),
    }
    response = client_for(collector).post(record_url(quota.workshop), data, follow=True)
    pickup = Pickup.objects.get()
    assert response.redirect_chain[-1][0] == reverse("pickups:detail", args=[pickup.pk])
    assert "Pickup recorded: 55 accepted units" in response.text
    assert collector.full_name in response.text
    quota.refresh_from_db()
    assert (quota.collected_units, quota.accepted_units) == (60, 55)
    assert pickup.lines.count() == 1


def test_errors_show_on_their_row_and_nothing_typed_is_lost(client_for, coordinator):
    quota = produced_quota(produced=100, collected=60)
    fine = produced_quota(produced=10, workshop=quota.workshop)
    data = {
        "pickup_date": today_jalali(),
        "note": "یادداشت من",
        **row_data(quota, collected="۴۵"),
        **row_data(fine, collected="8", rejected="2", note="پارچه"),
    }
    response = client_for(coordinator).post(record_url(quota.workshop), data)
    assert response.status_code == 200
    assert "Only 40 produced units are still to be collected." in response.text
    assert "Choose the reason for rejecting 2 units." in response.text
    assert 'value="۴۵"' in response.text and 'value="یادداشت من"' in response.text and 'value="پارچه"' in response.text
    assert not Pickup.objects.exists()
    assert Quota.objects.get(pk=quota.pk).collected_units == 60


def test_a_future_date_is_refused_next_to_the_date(client_for, coordinator):
    quota = produced_quota()
    future = jalali.format_short(timezone.localdate() + timezone.timedelta(days=2), persian=False)
    response = client_for(coordinator).post(
        record_url(quota.workshop), {"pickup_date": future, **row_data(quota, collected="5")}
    )
    assert "A pickup cannot be dated in the future." in response.text
    assert not Pickup.objects.exists()


def test_an_empty_form_says_to_enter_units(client_for, coordinator):
    quota = produced_quota()
    response = client_for(coordinator).post(
        record_url(quota.workshop), {"pickup_date": today_jalali(), **row_data(quota)}
    )
    assert "Enter the units collected for at least one quota." in response.text


def test_persian_pages_show_persian_digits(client_for, coordinator):
    quota = produced_quota(produced=70, collected=20)
    client = client_for(coordinator)
    client.cookies["hamdeli_language"] = "fa"
    response = client.get(record_url(quota.workshop))
    assert "۵۰" in response.text


# --- List, detail and export ----------------------------------------------------------------------------------


def recorded_pickup(coordinator, workshop=None, rejected=0):
    from fulfilment.services.collection import PickupLineInput, pickup_record

    quota = produced_quota(produced=20, workshop=workshop or factories.WorkshopFactory())
    line = PickupLineInput(
        quota=quota,
        collected_units=20,
        accepted_units=20 - rejected,
        rejected_units=rejected,
        reject_reason="hygiene" if rejected else "",
    )
    return pickup_record(workshop=quota.workshop, pickup_date=timezone.localdate(), lines=[line], actor=coordinator)


def test_the_list_shows_pickups_of_her_provinces_only(client_for, coordinator, national_coordinator):
    recorded_pickup(coordinator, factories.WorkshopFactory(name="کارگاه تهران"))
    recorded_pickup(
        national_coordinator, factories.WorkshopFactory(name="کارگاه اصفهان", province=factories.province("isfahan"))
    )
    response = client_for(coordinator).get(reverse("pickups:list"))
    assert "کارگاه تهران" in response.text and "کارگاه اصفهان" not in response.text


def test_the_list_filters_pickups_with_rejections(client_for, coordinator):
    recorded_pickup(coordinator, factories.WorkshopFactory(name="کارگاه بی‌عیب"))
    recorded_pickup(coordinator, factories.WorkshopFactory(name="کارگاه با مرجوعی"), rejected=3)
    response = client_for(coordinator).get(reverse("pickups:list"), {"rejections": "yes"})
    assert "کارگاه با مرجوعی" in response.text and "کارگاه بی‌عیب" not in response.text


def test_the_list_filters_by_jalali_date_range_typed_in_persian(client_for, coordinator):
    recorded_pickup(coordinator, factories.WorkshopFactory(name="کارگاه امروز"))
    tomorrow = jalali.format_short(timezone.localdate() + timezone.timedelta(days=1), persian=True)
    response = client_for(coordinator).get(reverse("pickups:list"), {"date_from": tomorrow})
    assert response.status_code == 200 and "کارگاه امروز" not in response.text


def test_the_detail_shows_lines_totals_and_who_recorded(client_for, coordinator):
    pickup = recorded_pickup(coordinator, rejected=4)
    response = client_for(coordinator).get(reverse("pickups:detail", args=[pickup.pk]))
    assert "Hygiene" in response.text
    assert 'data-testid="total-accepted">16<' in response.text
    assert coordinator.full_name in response.text


def test_the_csv_export_escapes_formulas(client_for, coordinator):
    recorded_pickup(coordinator, factories.WorkshopFactory(name="=HYPERLINK(1)"))
    response = client_for(coordinator).get(reverse("pickups:list"), {"_export": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][1] == "'=HYPERLINK(1)"
    assert rows[1][4] == "20"


def test_the_excel_export_downloads(client_for, coordinator):
    recorded_pickup(coordinator)
    response = client_for(coordinator).get(reverse("pickups:list"), {"_export": "xlsx"})
    assert response.status_code == 200 and "spreadsheet" in response["Content-Type"]


# --- Collectors -----------------------------------------------------------------------------------------------


def test_a_coordinator_appoints_a_collector_and_sees_the_password_once(client_for, coordinator):
    tehran = factories.province("tehran")
    response = client_for(coordinator).post(
        reverse("pickups:collectors"), {"mobile": "۰۹۱۲۱۲۳۴۵۶۷", "full_name": "علی جمع‌آور", "provinces": [tehran.pk]}
    )
    collector = User.objects.get(mobile="09121234567")
    assert collector.role == Role.COLLECTOR
    assert 'data-testid="temporary-password"' in response.text
    assert "At the first login they must choose a password of their own" in response.text  # she can tell them so
    assert collector.must_change_password
    assert "علی جمع‌آور" in client_for(coordinator).get(reverse("pickups:collectors")).text


def test_a_province_she_does_not_cover_is_not_offered(client_for, coordinator):
    isfahan = factories.province("isfahan")
    response = client_for(coordinator).post(
        reverse("pickups:collectors"), {"mobile": "09121234567", "full_name": "علی", "provinces": [isfahan.pk]}
    )
    assert response.status_code == 200
    assert not User.objects.filter(mobile="09121234567").exists()
    assert 'value="09121234567"' in response.text  # kept for correcting


def test_revoking_a_collector_removes_her_from_the_list(client_for, coordinator, collector):
    response = client_for(coordinator).post(reverse("pickups:collector-revoke", args=[collector.pk]), follow=True)
    assert collector.full_name not in response.text.split("Collectors in your provinces")[1]
    collector.refresh_from_db()
    assert not collector.is_active


def test_a_collector_of_another_province_cannot_be_revoked_by_url(client_for, other_coordinator, collector):
    response = client_for(other_coordinator).post(reverse("pickups:collector-revoke", args=[collector.pk]))
    assert response.status_code == 404
