"""The coordinator's SMS log: her provinces' messages with what each did; nobody else's."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from sms_commands.services import sms_receive
from tests.factories import CoordinatorFactory, QuotaFactory, WorkshopFactory, province

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_limits():
    cache.clear()


def test_a_coordinator_sees_her_provinces_messages_and_not_anothers(client):
    tehran_quota = QuotaFactory()
    isfahan_owner = WorkshopFactory(province=province("isfahan")).owner
    sms_receive(gateway_id="t", sender=tehran_quota.workshop.owner.mobile, text="ت ۷")
    sms_receive(gateway_id="i", sender=isfahan_owner.mobile, text="وضعیت تهران؟")
    client.force_login(CoordinatorFactory())

    page = client.get(reverse("sms:log")).content.decode()

    assert "ت ۷" in page
    assert "وضعیت تهران" not in page


def test_a_national_coordinator_also_sees_unknown_senders(client):
    sms_receive(gateway_id="u", sender="09129999999", text="سلام")
    client.force_login(CoordinatorFactory(is_national=True))
    assert "سلام" in client.get(reverse("sms:log")).content.decode()


def test_a_provincial_coordinator_does_not_see_unknown_senders(client):
    sms_receive(gateway_id="u", sender="09129999999", text="سلام")
    client.force_login(CoordinatorFactory())
    assert "سلام" not in client.get(reverse("sms:log")).content.decode()


def test_the_log_is_linked_from_the_coordinators_menu(client):
    client.force_login(CoordinatorFactory())
    assert reverse("sms:log") in client.get(reverse("home")).content.decode()


def test_an_owner_may_not_open_the_log(client):
    client.force_login(QuotaFactory().workshop.owner)
    assert client.get(reverse("sms:log")).status_code == 403


def test_the_logs_query_count_does_not_grow_with_its_rows(client, django_assert_max_num_queries):
    quota = QuotaFactory()
    for number in range(20):
        sms_receive(gateway_id=f"q{number}", sender=quota.workshop.owner.mobile, text="و")
    client.force_login(CoordinatorFactory())
    with django_assert_max_num_queries(15):
        assert client.get(reverse("sms:log")).status_code == 200
