"""The coordinator's SMS log: her provinces' messages with what each did; nobody else's."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from sms_commands.models import InboundMessage, Outcome
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


def test_the_coordinator_finds_a_senders_messages_by_a_number_typed_in_persian_digits(client):
    quota = QuotaFactory()
    other = QuotaFactory(workshop=WorkshopFactory())
    sms_receive(gateway_id="a", sender=quota.workshop.owner.mobile, text="ت ۷")
    sms_receive(gateway_id="b", sender=other.workshop.owner.mobile, text="ت ۹")
    client.force_login(CoordinatorFactory())
    persian_number = quota.workshop.owner.mobile.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))

    page = client.get(reverse("sms:log"), {"q": persian_number}).content.decode()

    assert "ت ۷" in page and "ت ۹" not in page
    assert "۱ پیام" in page


def test_the_coordinator_lists_only_the_refused_messages_and_the_filter_survives_paging(client):
    quota = QuotaFactory()
    sms_receive(gateway_id="r", sender=quota.workshop.owner.mobile, text="ت ۹۹۹۹۹۹")
    InboundMessage.objects.bulk_create(
        InboundMessage(
            gateway_id=f"h{number}",
            sender=quota.workshop.owner.mobile,
            text="راهنما",
            province=quota.workshop.province,
            outcome=Outcome.ANSWERED,
        )
        for number in range(55)
    )
    client.force_login(CoordinatorFactory())

    refused = client.get(reverse("sms:log"), {"outcome": "refused"}).content.decode()
    assert "ت ۹۹۹۹۹۹" in refused and "راهنما</td>" not in refused

    everything = client.get(reverse("sms:log"), {"outcome": "answered"}).content.decode()
    assert "outcome=answered&amp;page=2" in everything


def test_a_hostile_search_is_shown_back_escaped_and_finds_nothing(client):
    client.force_login(CoordinatorFactory())
    response = client.get(reverse("sms:log"), {"q": "<script>x</script>\u202e" + "۱" * 3000, "date_from": "۱۴۰۵/۱۳/۴۰"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "<script>x" not in page
