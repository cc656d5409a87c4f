"""The owner hears when a coordinator verifies or suspends her workshop."""

import pytest

from core.notifications import backends
from tests import factories
from workshops.models import WorkshopStatus
from workshops.services import workshop_set_status

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def outbox():
    backends.outbox.clear()
    yield backends.outbox
    backends.outbox.clear()


def test_the_owner_hears_her_workshop_is_verified_then_suspended_with_the_reason(
    outbox, coordinator, django_capture_on_commit_callbacks
):
    workshop = factories.WorkshopFactory(status=WorkshopStatus.PENDING)
    with django_capture_on_commit_callbacks(execute=True):
        workshop_set_status(workshop=workshop, status=WorkshopStatus.VERIFIED, reason="", actor=coordinator)
        workshop_set_status(workshop=workshop, status=WorkshopStatus.SUSPENDED, reason="کیفیت دوخت", actor=coordinator)
        workshop_set_status(workshop=workshop, status=WorkshopStatus.VERIFIED, reason="رفع شد", actor=coordinator)

    assert [message.to for message in outbox] == [workshop.owner.mobile] * 3
    assert "کیفیت دوخت" in outbox[1].text
    assert outbox[0].text == outbox[2].text  # verified again after the suspension: told again


def test_a_refused_status_change_sends_nothing(outbox, coordinator, django_capture_on_commit_callbacks):
    workshop = factories.WorkshopFactory(status=WorkshopStatus.PENDING)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(Exception, match="reason"):
        workshop_set_status(workshop=workshop, status=WorkshopStatus.SUSPENDED, reason="", actor=coordinator)
    assert outbox == []
