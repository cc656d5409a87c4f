"""The workshop owner's panel on the home page: status, offers waiting, progress, quotas at risk."""

from django.urls import reverse

from production.models import QuotaStatus
from workshops.services import capacity_set

from .. import factories


def english_home(client):
    client.cookies["hamdeli_language"] = "en"
    return client.get(reverse("home"))


def test_home_shows_the_workshop_status_and_its_reason(client_for, owner):
    factories.WorkshopFactory(owner=owner, status="suspended", status_reason="تحویل دیرهنگام سه سفارش")
    response = english_home(client_for(owner))
    assert "Suspended" in response.text
    assert "تحویل دیرهنگام سه سفارش" in response.text
    assert "cannot accept new quotas" in response.text


def test_home_explains_a_pending_workshop(client_for, owner):
    factories.WorkshopFactory(owner=owner, status="pending")
    response = english_home(client_for(owner))
    assert "Pending verification" in response.text
    assert "A coordinator will check your details" in response.text


def test_home_counts_offers_waiting_and_links_to_the_inbox(client_for, owner):
    workshop = factories.WorkshopFactory(owner=owner)
    for _ in range(3):
        factories.QuotaFactory(workshop=workshop, status=QuotaStatus.OFFERED, responded_at=None)
    factories.QuotaFactory(workshop=workshop)  # accepted: not an offer
    response = client_for(owner).get(reverse("home"))
    assert response.context["owner_panel"]["offered_count"] == 3
    assert '<div class="figure" data-testid="offered-count">۳</div>' in response.text
    assert reverse("quotas:inbox") in response.text


def test_home_lists_accepted_quotas_with_progress_and_a_link(client_for, owner):
    quota = factories.QuotaFactory(workshop=factories.WorkshopFactory(owner=owner), quantity=80, produced_units=20)
    response = client_for(owner).get(reverse("home"))
    assert reverse("quotas:detail", args=[quota.pk]) in response.text
    assert '<progress class="quota-progress" value="20" max="80">' in response.text
    assert "۲۰" in response.text


def test_home_warns_about_quotas_at_risk_after_capacity_is_lowered(client_for, owner):
    workshop = factories.WorkshopFactory(owner=owner)
    quota = factories.QuotaFactory(workshop=workshop, quantity=100, capacity=20)
    client = client_for(owner)
    assert 'data-testid="quotas-at-risk"' not in client.get(reverse("home")).text
    capacity_set(workshop=workshop, product=quota.order.product, units_per_day=2, actor=owner)
    response = english_home(client)
    assert 'data-testid="quotas-at-risk"' in response.text
    assert "Quotas at risk" in response.text
    assert "100 units left" in response.text
    assert response.context["owner_panel"]["at_risk"] == [quota]


def test_home_links_to_the_owners_other_pages(client_for, owner):
    factories.WorkshopFactory(owner=owner)
    response = client_for(owner).get(reverse("home"))
    for name in ("workshops:profile", "workshops:capacity", "workshops:availability", "quotas:history"):
        assert reverse(name) in response.text


def test_owner_without_a_workshop_gets_a_register_button(client_for, owner):
    response = client_for(owner).get(reverse("home"))
    assert reverse("workshops:register") in response.text
    assert "owner_panel" not in response.context
