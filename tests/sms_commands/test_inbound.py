"""Inbound SMS commands end to end: the gateway's callback, the same services as the pages, duplicates, limits."""

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from core.models import AuditLog
from core.notifications import backends
from fulfilment.models import DeliveryStatus
from production.models import OutputReport, QuotaStatus
from production.selectors.quotas import quota_progress
from sms_commands.grammar import quota_short_code
from sms_commands.models import InboundMessage, Outcome
from sms_commands.services import help_text, sms_receive
from tests.factories import DeliveryLineFactory, HealthCenterStaffFactory, QuotaFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/sms/inbound/test-gateway-secret/"


@pytest.fixture(autouse=True)
def clean_outbox_and_limits():
    backends.outbox.clear()
    cache.clear()
    yield
    backends.outbox.clear()


def send(client, text, sender, gateway_id="gw-1"):
    return client.post(URL, {"id": gateway_id, "from": sender, "text": text})


def test_an_owner_reports_twelve_by_sms_and_her_quota_shows_twelve_produced_as_the_web_page_would(
    client, django_capture_on_commit_callbacks
):
    quota = QuotaFactory()
    owner = quota.workshop.owner

    with django_capture_on_commit_callbacks(execute=True):
        response = send(client, "ت ۱۲", owner.mobile)

    assert response.status_code == 200
    quota.refresh_from_db()
    assert quota.produced_units == 12
    assert quota_progress(quota).produced == 12
    report = OutputReport.objects.get(quota=quota)
    assert (report.quantity, report.reported_by) == (12, owner)
    assert AuditLog.objects.filter(action="output.report", object_id=str(quota.pk)).count() == 1
    message = InboundMessage.objects.get()
    assert message.outcome == Outcome.DONE
    assert AuditLog.objects.filter(action="sms.inbound", object_id=str(message.pk)).exists()
    assert "۱۲" in response.json()["reply"]
    assert [sms.to for sms in backends.outbox] == [owner.mobile]
    assert len(backends.outbox[0].text) <= 70


def test_a_message_delivered_twice_counts_once_and_is_answered_once(client, django_capture_on_commit_callbacks):
    quota = QuotaFactory()
    owner = quota.workshop.owner

    with django_capture_on_commit_callbacks(execute=True):
        send(client, "T 12", owner.mobile, gateway_id="gw-twice")
        second = send(client, "T 12", owner.mobile, gateway_id="gw-twice")

    quota.refresh_from_db()
    assert quota.produced_units == 12
    assert second.json()["duplicate"] is True
    assert InboundMessage.objects.count() == 1
    assert len(backends.outbox) == 1


def test_two_messages_with_different_ids_count_twice(client):
    quota = QuotaFactory()
    send(client, "T 12", quota.workshop.owner.mobile, gateway_id="a")
    send(client, "T 3", quota.workshop.owner.mobile, gateway_id="b")
    quota.refresh_from_db()
    assert quota.produced_units == 15


def test_a_report_over_the_five_percent_ceiling_is_refused_with_the_services_reason():
    quota = QuotaFactory(quantity=100, produced_units=100)
    message, _ = sms_receive(gateway_id="x", sender=quota.workshop.owner.mobile, text="ت ۱۰")
    quota.refresh_from_db()
    assert quota.produced_units == 100
    assert message.outcome == Outcome.REFUSED
    assert "۵" in message.reply  # at most 105: "you can report at most 5 more"


def test_an_owner_with_several_quotas_is_asked_for_the_code_and_the_code_picks_one():
    first = QuotaFactory()
    second = QuotaFactory(workshop=first.workshop)
    owner = first.workshop.owner

    asked, _ = sms_receive(gateway_id="1", sender=owner.mobile, text="ت ۵")
    assert asked.outcome == Outcome.REFUSED
    assert quota_short_code(second.pk) in asked.reply

    done, _ = sms_receive(gateway_id="2", sender=owner.mobile, text=f"T 5 K{second.pk}")
    second.refresh_from_db()
    first.refresh_from_db()
    assert done.outcome == Outcome.DONE
    assert (first.produced_units, second.produced_units) == (0, 5)


def test_another_workshops_quota_code_is_not_found():
    mine = QuotaFactory()
    theirs = QuotaFactory()
    message, _ = sms_receive(gateway_id="1", sender=mine.workshop.owner.mobile, text=f"ت ۵ ک{theirs.pk}")
    theirs.refresh_from_db()
    assert message.outcome == Outcome.REFUSED
    assert theirs.produced_units == 0


def test_an_owner_accepts_and_declines_offers_by_their_codes():
    offered = QuotaFactory(status=QuotaStatus.OFFERED, responded_at=None)
    other = QuotaFactory(status=QuotaStatus.OFFERED, responded_at=None, workshop=offered.workshop)
    owner = offered.workshop.owner

    sms_receive(gateway_id="1", sender=owner.mobile, text=f"ق ک{offered.pk}")
    sms_receive(gateway_id="2", sender=owner.mobile, text=f"D K{other.pk}")

    offered.refresh_from_db()
    other.refresh_from_db()
    assert offered.status == QuotaStatus.ACCEPTED
    assert other.status == QuotaStatus.DECLINED
    assert other.decline_reason
    assert AuditLog.objects.filter(action="quota.accept", object_id=str(offered.pk)).exists()


def test_status_lists_the_owners_quotas_with_their_progress():
    quota = QuotaFactory(produced_units=30)
    message, _ = sms_receive(gateway_id="1", sender=quota.workshop.owner.mobile, text="و")
    assert message.outcome == Outcome.ANSWERED
    assert quota_short_code(quota.pk) in message.reply and "۳۰" in message.reply


def test_help_answers_with_the_commands():
    owner = QuotaFactory().workshop.owner
    message, _ = sms_receive(gateway_id="1", sender=owner.mobile, text="راهنما")
    assert message.outcome == Outcome.ANSWERED
    assert message.reply == help_text()


def test_a_health_center_confirms_a_delivery_with_its_short_code_and_the_count():
    line = DeliveryLineFactory(units=40)
    delivery = line.delivery
    delivery.status = DeliveryStatus.DISPATCHED
    delivery.save()
    staff = HealthCenterStaffFactory(health_center=delivery.health_center)

    message, _ = sms_receive(gateway_id="1", sender=staff.mobile, text=f"ح {delivery.short_code} ۴۰")

    delivery.refresh_from_db()
    assert message.outcome == Outcome.DONE
    assert delivery.status == DeliveryStatus.CONFIRMED
    assert delivery.confirmed_by == staff


def test_another_centers_staff_cannot_confirm_a_delivery_by_its_code():
    line = DeliveryLineFactory(units=40)
    line.delivery.status = DeliveryStatus.DISPATCHED
    line.delivery.save()
    stranger = HealthCenterStaffFactory()
    message, _ = sms_receive(gateway_id="1", sender=stranger.mobile, text=f"C {line.delivery.short_code} 40")
    line.delivery.refresh_from_db()
    assert message.outcome == Outcome.REFUSED
    assert line.delivery.status == DeliveryStatus.DISPATCHED


def test_an_unknown_number_gets_a_polite_reply_that_names_nobody(client):
    QuotaFactory()
    response = send(client, "ت ۱۲", "09129999999")
    message = InboundMessage.objects.get()
    assert message.outcome == Outcome.UNKNOWN_SENDER
    assert message.user is None and message.province is None
    assert response.json()["reply"] == message.reply
    assert OutputReport.objects.count() == 0


def test_an_unknown_number_gets_the_same_reply_whatever_it_sends():
    first, _ = sms_receive(gateway_id="1", sender="09129999999", text="ت ۱۲")
    second, _ = sms_receive(gateway_id="2", sender="09129999998", text=f"ق ک{QuotaFactory().pk}")
    assert first.reply == second.reply


def test_a_donor_is_told_the_commands_are_for_workshop_owners():
    donor = UserFactory(role="donor")
    message, _ = sms_receive(gateway_id="1", sender=donor.mobile, text="ت ۱۲")
    assert message.outcome == Outcome.REFUSED


def test_text_the_grammar_does_not_read_is_answered_with_the_way_to_help():
    owner = QuotaFactory().workshop.owner
    message, _ = sms_receive(gateway_id="1", sender=owner.mobile, text="سلام")
    assert message.outcome == Outcome.NOT_UNDERSTOOD


@override_settings(SMS_INBOUND_MAX_PER_HOUR=3)
def test_a_number_over_its_hourly_limit_is_kept_but_not_done_nor_answered(django_capture_on_commit_callbacks):
    quota = QuotaFactory()
    with django_capture_on_commit_callbacks(execute=True):
        for number in range(4):
            message, _ = sms_receive(gateway_id=f"m{number}", sender=quota.workshop.owner.mobile, text="T 1")
    quota.refresh_from_db()
    assert quota.produced_units == 3
    assert message.outcome == Outcome.RATE_LIMITED
    assert message.reply == ""
    assert len(backends.outbox) == 3
    assert InboundMessage.objects.count() == 4


@override_settings(SMS_INBOUND_MAX_PER_HOUR=3)
def test_the_limit_counts_per_number():
    quota = QuotaFactory()
    for number in range(3):
        sms_receive(gateway_id=f"u{number}", sender="09120000001", text="T 1")
    message, _ = sms_receive(gateway_id="owner", sender=quota.workshop.owner.mobile, text="T 1")
    assert message.outcome == Outcome.DONE


def test_a_wrong_secret_is_a_404_and_records_nothing(client):
    response = client.post("/sms/inbound/wrong/", {"id": "1", "from": "09120000001", "text": "T 1"})
    assert response.status_code == 404
    assert InboundMessage.objects.count() == 0


@override_settings(SMS_INBOUND_SECRET="")
def test_without_a_configured_secret_the_callback_is_a_404(client):
    assert client.post("/sms/inbound/x/", {"id": "1", "from": "09120000001", "text": "T 1"}).status_code == 404


def test_the_callback_takes_only_post(client):
    assert client.get(URL).status_code == 405


def test_the_callback_takes_json_too(client):
    quota = QuotaFactory()
    response = client.post(
        URL,
        {"message_id": "j1", "sender": quota.workshop.owner.mobile, "message": "T 2"},
        content_type="application/json",
    )
    assert response.status_code == 200
    quota.refresh_from_db()
    assert quota.produced_units == 2


def test_the_callback_needs_an_id_and_a_sender(client):
    assert client.post(URL, {"text": "T 1"}).status_code == 400


def test_the_route_is_named():
    assert reverse("sms-inbound", kwargs={"secret": "s"}) == "/sms/inbound/s/"


def test_the_everyday_replies_fit_one_persian_sms_page():
    quota = QuotaFactory(quantity=1000)
    owner = quota.workshop.owner
    replies = [
        sms_receive(gateway_id=str(number), sender=owner.mobile, text=text)[0].reply
        for number, text in enumerate(["ت ۱۲۳", "و", "راهنما", "سلام", "ت ۵ ک۹۹۹۹۹"])
    ]
    replies.append(sms_receive(gateway_id="stranger", sender="09129999999", text="ت ۱۲")[0].reply)
    assert all(0 < len(reply) <= 70 for reply in replies), [(len(reply), reply) for reply in replies]


def test_the_sender_is_recognised_in_the_gateways_international_format():
    quota = QuotaFactory()
    international = "+98" + quota.workshop.owner.mobile[1:]
    message, _ = sms_receive(gateway_id="intl", sender=international, text="T 2")
    assert message.user == quota.workshop.owner
    assert message.outcome == Outcome.DONE


def test_the_everyday_refusals_also_fit_one_persian_sms_page_and_say_what_is_left():
    quota = QuotaFactory(quantity=100, produced_units=100)
    owner = quota.workshop.owner
    over, _ = sms_receive(gateway_id="over", sender=owner.mobile, text="ت ۱۰")
    offered = QuotaFactory(workshop=quota.workshop, status="offered")
    sms_receive(gateway_id="yes", sender=owner.mobile, text=f"ق ک{offered.pk}")
    again, _ = sms_receive(gateway_id="yes-again", sender=owner.mobile, text=f"ر ک{offered.pk}")

    assert over.outcome == again.outcome == Outcome.REFUSED
    assert "۵" in over.reply and quota_short_code(quota.pk) in over.reply
    assert quota_short_code(offered.pk) in again.reply
    assert all(len(reply) <= 70 for reply in (over.reply, again.reply)), (over.reply, again.reply)
