"""Pages that used to end in a bare figure or a lone button now say why and where to go next."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from production.models import Quota
from workshops.models import Workshop, WorkshopStatus

from .. import factories

pytestmark = pytest.mark.django_db


def weeks_ago(weeks: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(weeks=weeks)


def verified_long_ago(**kwargs) -> Workshop:
    workshop = factories.WorkshopFactory(status=WorkshopStatus.VERIFIED, **kwargs)
    Workshop.objects.filter(pk=workshop.pk).update(created_at=weeks_ago(5))
    return workshop


# --- The anonymous home page: three doors -------------------------------------------------------------------


def test_an_anonymous_visitor_sees_three_doors_and_the_login(client):
    page = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="fa").content.decode()

    assert reverse("workshops:signup") in page
    assert reverse("giving:board") in page
    assert reverse("receiving:enter-code") in page
    for door in ("door-workshop", "door-give", "door-received"):
        assert f'data-testid="{door}"' in page
    assert "دریافت کرده‌ام" in page or "تحویل گرفتم" in page
    assert reverse("login") in page


# --- The newly verified owner with no offer ---------------------------------------------------------------


def test_a_verified_owner_never_offered_anything_is_told_why_and_what_comes_next(client_for):
    workshop = factories.WorkshopFactory(status=WorkshopStatus.VERIFIED)

    home = client_for(workshop.owner).get(reverse("home"), HTTP_ACCEPT_LANGUAGE="fa").content.decode()
    inbox = client_for(workshop.owner).get(reverse("quotas:inbox"), HTTP_ACCEPT_LANGUAGE="fa").content.decode()

    for page in (home, inbox):
        assert 'data-testid="no-offers-yet"' in page
        assert "پیامک" in page  # an SMS comes with the offer


def test_an_owner_who_has_had_quotas_does_not_see_the_explanation(client_for):
    quota = factories.QuotaFactory()
    Workshop.objects.filter(pk=quota.workshop_id).update(status=WorkshopStatus.VERIFIED)

    page = client_for(quota.workshop.owner).get(reverse("home")).content.decode()

    assert 'data-testid="no-offers-yet"' not in page


# --- Coordinators: workshops without an offer for two weeks, and cards that link ----------------------------


def test_the_workshop_list_filters_verified_workshops_with_no_offer_for_two_weeks(client_for, coordinator):
    idle = verified_long_ago(name="کارگاه بی‌کار")
    busy = verified_long_ago(name="کارگاه پرکار")
    factories.QuotaFactory(workshop=busy)
    old_offer = verified_long_ago(name="کارگاه قدیمی")
    Quota.objects.filter(pk=factories.QuotaFactory(workshop=old_offer).pk).update(offered_at=weeks_ago(3))
    new = factories.WorkshopFactory(name="کارگاه تازه", status=WorkshopStatus.VERIFIED)
    pending = factories.WorkshopFactory(name="کارگاه منتظر", status=WorkshopStatus.PENDING)
    Workshop.objects.filter(pk=pending.pk).update(created_at=weeks_ago(5))
    fars = verified_long_ago(name="کارگاه فارس", province=factories.province("fars"))

    response = client_for(coordinator).get(reverse("supply:workshop-list"), {"no_offer": "yes"})

    page = response.content.decode()
    assert idle.name in page
    assert old_offer.name in page
    for hidden in (busy, new, pending, fars):
        assert hidden.name not in page
    home = client_for(coordinator).get(reverse("home")).content.decode()
    assert f"{reverse('supply:workshop-list')}?no_offer=yes" in home
    assert response.context["table"].paginator.count == 2


def test_the_coordinators_home_cards_link_to_the_lists_they_count_and_order_numbers_to_the_order(
    client_for, coordinator
):
    order = factories.OrderFactory()

    page = client_for(coordinator).get(reverse("home")).content.decode()

    assert f"{reverse('orders:list')}?status=requested" in page
    assert f"{reverse('orders:list')}?status=open" in page
    assert f"{reverse('supply:workshop-list')}?status=pending" in page
    assert f"{reverse('donations:pledge-list')}?status=pledged" in page
    assert f'href="{reverse("orders:detail", args=[order.pk])}"' in page
