"""Donors hear that their money arrived; coordinators get a morning digest of what waits for them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.models import Notification
from core.notifications import backends
from core.notifications.texts import persian_number
from core.site import absolute_url
from donors.models import PledgeStatus
from donors.notification_tasks import coordinator_action_counts, coordinator_daily_digest
from donors.services.pledges import pledge_confirm
from fulfilment.models import DeliveryStatus
from tests import factories
from workshops.models import WorkshopStatus

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def outbox():
    backends.outbox.clear()
    yield backends.outbox
    backends.outbox.clear()


def confirm(pledge, actor):
    return pledge_confirm(
        pledge=pledge,
        actor=actor,
        amount_received_rials=pledge.amount_rials,
        bank_reference="BANK-77",
        received_on=timezone.localdate(),
    )


def test_a_confirmed_pledge_thanks_the_donor_with_the_amount_and_a_link_to_the_receipt(
    outbox, coordinator, django_capture_on_commit_callbacks
):
    pledge = factories.PledgeFactory(amount_rials=25_000_000)
    with django_capture_on_commit_callbacks(execute=True):
        confirm(pledge, coordinator)

    (message,) = outbox
    assert message.to == pledge.donor.user.mobile
    assert persian_number(25_000_000) in message.text
    assert absolute_url(reverse("giving:mine")) in message.text


def test_the_thanks_names_the_pledge_reference_she_quoted_when_paying(
    outbox, coordinator, django_capture_on_commit_callbacks
):
    pledge = factories.PledgeFactory()
    with django_capture_on_commit_callbacks(execute=True):
        confirm(pledge, coordinator)
    (message,) = outbox
    assert pledge.reference in message.text  # Latin, as she types it into her bank's form


def test_confirming_twice_thanks_once(outbox, coordinator, django_capture_on_commit_callbacks):
    pledge = factories.PledgeFactory()
    with django_capture_on_commit_callbacks(execute=True):
        confirm(pledge, coordinator)
        confirm(pledge, coordinator)
    assert len(outbox) == 1


def test_no_thanks_when_the_confirmation_is_rolled_back(outbox, coordinator, django_capture_on_commit_callbacks):
    pledge = factories.PledgeFactory()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        confirm(pledge, coordinator)
        raise RuntimeError("the bank statement was wrong")
    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.PLEDGED
    assert outbox == [] and not Notification.objects.exists()


def test_a_donor_who_chose_email_gets_the_thanks_by_email(outbox, coordinator, django_capture_on_commit_callbacks):
    pledge = factories.PledgeFactory(
        donor__user__notify_by_sms=False, donor__user__notify_by_email=True, donor__user__email="d@ex.ir"
    )
    with django_capture_on_commit_callbacks(execute=True):
        confirm(pledge, coordinator)
    assert outbox == []
    assert [message.to for message in mail.outbox] == [["d@ex.ir"]]


# --- The morning digest -------------------------------------------------------------------------------------------


@pytest.fixture
def tehran_to_do():
    """In Tehran: 2 workshops to verify, 1 pledge waiting, 3 disputed deliveries, 4 quotas behind pace."""
    for _ in range(2):
        factories.WorkshopFactory(status=WorkshopStatus.PENDING)
    factories.PledgeFactory()
    for _ in range(3):
        factories.DeliveryFactory(status=DeliveryStatus.DISPUTED)
    for _ in range(4):
        factories.QuotaFactory(
            workshop__working_weekdays=0b1111111, responded_at=timezone.now() - dt.timedelta(days=10)
        )


def test_the_digest_counts_what_waits_in_the_coordinators_provinces(coordinator, other_coordinator, tehran_to_do):
    today = timezone.localdate()
    assert coordinator_action_counts(coordinator, today) == {"workshops": 2, "pledges": 1, "disputed": 3, "behind": 4}
    assert coordinator_action_counts(other_coordinator, today) == {
        "workshops": 0,
        "pledges": 0,
        "disputed": 0,
        "behind": 0,
    }


def test_each_coordinator_with_work_gets_one_digest_a_day(
    outbox, coordinator, other_coordinator, tehran_to_do, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        coordinator_daily_digest.delay()
        coordinator_daily_digest.delay()  # beat fired twice

    to_coordinator = [message for message in outbox if message.to == coordinator.mobile]
    assert len(to_coordinator) == 1
    for count in (2, 1, 3, 4):
        assert persian_number(count) in to_coordinator[0].text
    assert other_coordinator.mobile not in [message.to for message in outbox]  # nothing waits in Isfahan


def test_a_coordinator_who_opted_out_gets_no_digest(
    outbox, coordinator, tehran_to_do, django_capture_on_commit_callbacks
):
    coordinator.reminders_opt_out = True
    coordinator.save(update_fields=["reminders_opt_out"])
    with django_capture_on_commit_callbacks(execute=True):
        coordinator_daily_digest.delay()
    assert coordinator.mobile not in [message.to for message in outbox]
