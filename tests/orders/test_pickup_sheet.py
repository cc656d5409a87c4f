"""The collector's pickup route: which workshops to visit in a city, what to expect, what to fill in by hand."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from core.models import Role
from core.persian import to_persian_digits
from fulfilment.pickup_sheet import pickup_route_pdf, pickup_route_stops
from production.models import QuotaStatus
from tests import factories
from tests.pdf_tools import run_poppler
from tests.pdf_tools import squeezed_text as pdf_text

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 11, 28)  # ۷ آذر ۱۴۰۵


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture
def tehran_route():
    """Waiting units at one workshop, a quota in production at another, a finished one, and one in Isfahan."""
    waiting = factories.QuotaFactory(
        workshop__name="کارگاه یاس",
        workshop__address="کوچه نرگس شماره ۷",
        produced_units=50,
        collected_units=20,
        accepted_units=18,
    )
    in_production = factories.QuotaFactory(workshop__name="کارگاه نسترن")
    finished = factories.QuotaFactory(
        workshop__name="کارگاه تمام‌شده", produced_units=100, collected_units=100, accepted_units=100
    )
    cancelled_with_units = factories.QuotaFactory(
        workshop__name="کارگاه لغو", status=QuotaStatus.CANCELLED, cancel_reason="x", produced_units=12
    )
    elsewhere = factories.QuotaFactory(
        workshop__name="کارگاه اصفهان", workshop__province=factories.province("isfahan"), produced_units=40
    )
    return {
        "waiting": waiting,
        "in_production": in_production,
        "finished": finished,
        "cancelled_with_units": cancelled_with_units,
        "elsewhere": elsewhere,
    }


def test_the_route_lists_workshops_with_units_to_collect_or_still_sewing(tehran_route):
    stops = pickup_route_stops(city=factories.capital("tehran"))
    by_name = {stop["workshop"].name: stop for stop in stops}
    assert set(by_name) == {"کارگاه یاس", "کارگاه نسترن", "کارگاه لغو"}
    assert by_name["کارگاه یاس"]["expected_units"] == 30  # produced 50 - collected 20
    assert by_name["کارگاه نسترن"]["expected_units"] == 0
    assert by_name["کارگاه لغو"]["expected_units"] == 12  # made before the cancellation: still to be picked up


def test_the_route_can_be_narrowed_to_chosen_workshops(tehran_route):
    chosen = [tehran_route["in_production"].workshop]
    stops = pickup_route_stops(city=factories.capital("tehran"), workshops=chosen)
    assert [stop["workshop"] for stop in stops] == chosen


def test_the_route_sheet_shows_address_phone_quotas_and_hand_fill_columns(tehran_route):
    pdf = pickup_route_pdf(city=factories.capital("tehran"), day=DAY)
    text = pdf_text(pdf)
    waiting = tehran_route["waiting"]
    assert squeeze("کارگاه یاس") in text
    assert squeeze("کوچه نرگس شماره") in text  # (pdftotext moves a trailing digit to the other end of an RTL run)
    assert to_persian_digits(waiting.workshop.owner.mobile) in text
    assert waiting.order.number.split("-")[-1] in text  # codes are Latin everywhere
    assert "آذر" in text and "۱۴۰۵" in text
    assert "کارگاه اصفهان".replace(" ", "") not in text
    info = run_poppler("pdfinfo", pdf)
    assert "842 x 595" in info or "841.89 x 595.276" in info  # A4 landscape: room for the hand-fill columns


def test_the_english_route_sheet_has_english_columns(tehran_route):
    text = pdf_text(pickup_route_pdf(city=factories.capital("tehran"), day=DAY, language="en"))
    for heading in ("Pickuproute", "Expected", "Collected", "Accepted", "Rejected", "Reason", "Signature"):
        assert heading in text


def test_the_pickup_page_shows_a_form_then_returns_the_pdf(client_for, coordinator, tehran_route):
    client = client_for(coordinator)
    url = reverse("sheets:pickup-sheet")
    page = client.get(url)
    assert page.status_code == 200 and "text/html" in page["Content-Type"]
    tehran = factories.capital("tehran")
    response = client.get(url, {"city": tehran.pk, "day": "۱۴۰۵/۰۹/۰۷"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert squeeze("کارگاه یاس") in pdf_text(response.content)


def test_a_coordinator_cannot_print_a_route_outside_her_provinces(client_for, other_coordinator, tehran_route):
    response = client_for(other_coordinator).get(
        reverse("sheets:pickup-sheet"), {"city": factories.capital("tehran").pk, "day": "1405/09/07"}
    )
    assert response.status_code == 200 and "text/html" in response["Content-Type"]
    assert response.context["form"].errors["city"]


def test_a_collector_prints_routes_in_her_provinces_only(client_for, tehran_route):
    collector = factories.UserFactory(role=Role.COLLECTOR, provinces=[factories.province("tehran")])
    client = client_for(collector)
    url = reverse("sheets:pickup-sheet")
    tehran = factories.capital("tehran")
    assert client.get(url, {"city": tehran.pk, "day": "1405/09/07"})["Content-Type"] == "application/pdf"
    isfahan = factories.capital("isfahan")
    assert client.get(url, {"city": isfahan.pk, "day": "1405/09/07"}).context["form"].errors["city"]
    assert client.get(reverse("sheets:batch-list")).status_code == 403


def test_only_coordinators_and_collectors_print_routes(client_for):
    owner = factories.UserFactory(role=Role.WORKSHOP_OWNER)
    assert client_for(owner).get(reverse("sheets:pickup-sheet")).status_code == 403
