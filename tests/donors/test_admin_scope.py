"""The donors admin (ledger, pledges, donors, receipts, payouts) shows a coordinator only her provinces' money."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory
from django.urls import reverse

from core.persian import to_persian_digits
from donors.models import Donor, LedgerEntry, Pledge, Receipt
from payouts.forms import last_jalali_month
from payouts.models import PayoutBatch, PayoutLine
from payouts.services import payout_batch_create
from tests import factories

from .test_payout_batches import fund, pick_up

SHEBA = "IR820540102680020817909002"

pytestmark = pytest.mark.django_db


def changelist(client, model) -> list:
    response = client.get(reverse(f"admin:donors_{model._meta.model_name}_changelist"))
    assert response.status_code == 200
    return list(response.context["cl"].queryset)


@pytest.fixture
def fars_pledge():
    """A Fars donor's 77,000,000 rials, received and receipted."""
    fars_order = factories.OrderFactory(
        health_center=factories.HealthCenterFactory(province=factories.province("fars"))
    )
    order = factories.fund_order(fars_order, 50_000_000)
    return Pledge.objects.get(order=order)


def admin_rows(model, user) -> list:
    """What the admin's list of ``model`` would hold for ``user`` (some lists are not open to coordinators at all)."""
    request = RequestFactory().get("/")
    request.user = user
    return list(site._registry[model].get_queryset(request))


def test_the_tehran_coordinator_sees_no_fars_donor_pledge_ledger_entry_or_receipt_in_the_admin(
    client_for, coordinator, fars_pledge
):
    tehran_pledge = Pledge.objects.get(order=factories.fund_order(factories.OrderFactory(), 5_000_000))
    client = client_for(coordinator)
    assert changelist(client, Pledge) == [tehran_pledge]
    assert {entry.pledge_id for entry in changelist(client, LedgerEntry)} == {tehran_pledge.pk}
    assert changelist(client, Donor) == [tehran_pledge.donor]
    assert admin_rows(Receipt, coordinator) == [tehran_pledge.receipt]
    fars_entry = LedgerEntry.objects.get(pledge=fars_pledge)
    assert client.get(reverse("admin:donors_ledgerentry_change", args=[fars_entry.pk])).status_code in (302, 404)
    page = client.get(reverse("admin:donors_pledge_changelist")).content.decode()
    assert fars_pledge.donor.user.full_name not in page


def test_a_campaign_pledge_is_in_every_coordinators_admin_like_on_her_pages(client_for, other_coordinator):
    pledge = factories.PledgeFactory(order=None, campaign=factories.CampaignFactory())
    assert changelist(client_for(other_coordinator), Pledge) == [pledge]


def test_the_national_coordinator_sees_every_province_in_the_admin(client_for, national_coordinator, fars_pledge):
    client = client_for(national_coordinator)
    assert changelist(client, Pledge) == [fars_pledge]
    assert len(changelist(client, LedgerEntry)) == 1
    assert changelist(client, Donor) == [fars_pledge.donor]


@pytest.fixture
def batch(coordinator):
    """A Tehran batch paying 30 units to a workshop with a Sheba."""
    quota = factories.QuotaFactory(quantity=100, workshop__sheba=SHEBA)
    fund(quota.order, 60_000_000, coordinator)
    start, end = last_jalali_month()
    pick_up(quota, 30, start + dt.timedelta(days=2), coordinator)
    return payout_batch_create(period_start=start, period_end=end, actor=coordinator)


def test_payout_batches_of_another_province_are_not_in_her_admin_and_shebas_are_masked(
    client_for, coordinator, other_coordinator, batch
):
    assert admin_rows(PayoutBatch, other_coordinator) == []
    assert admin_rows(PayoutBatch, coordinator) == [batch]
    line = batch.lines.get()
    assert admin_rows(PayoutLine, other_coordinator) == []
    shown = site._registry[PayoutLine].paid_sheba(line)
    assert SHEBA not in shown and shown.endswith(SHEBA[-4:])


def test_the_admin_finds_a_pledge_by_its_reference_typed_in_persian_digits(client_for, coordinator):
    wanted, _other = factories.PledgeFactory(), factories.PledgeFactory()
    response = client_for(coordinator).get(
        reverse("admin:donors_pledge_changelist"), {"q": to_persian_digits(wanted.reference)}
    )
    assert list(response.context["cl"].queryset) == [wanted]
