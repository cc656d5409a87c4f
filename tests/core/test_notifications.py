"""The notification machinery: SMS backends, the notify service, the sending task, the settings page."""

from __future__ import annotations

import json
import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse

from core.models import Notification, NotificationChannel, NotificationStatus, Role
from core.notifications import PermanentSendError, RetryableSendError, SmsMessage, backends, get_backend, notify
from core.persian import to_persian_digits
from core.tasks import MAX_RETRIES, notification_send, retry_countdown

from .. import factories

# Reads the run's database or broker settings: kept on both of .ci/run's runs (tests/conftest.py).
pytestmark = pytest.mark.backend


@pytest.fixture(autouse=True)
def empty_outbox():
    backends.outbox.clear()
    yield
    backends.outbox.clear()


# --- Backends --------------------------------------------------------------------------------------------


def test_the_memory_backend_keeps_messages_in_the_outbox():
    sent = get_backend().send_messages([SmsMessage("09121234567", "سلام"), SmsMessage("09351234567", "درود")])
    assert sent == 2
    assert [(m.to, m.text) for m in backends.outbox] == [("09121234567", "سلام"), ("09351234567", "درود")]


def test_the_console_backend_writes_each_message_to_the_log(caplog):
    with caplog.at_level(logging.INFO, logger="hamdeli.sms"):
        sent = get_backend("core.notifications.backends.ConsoleBackend").send_messages(
            [SmsMessage("09121234567", "سهمیه تازه")]
        )
    assert sent == 1
    assert "09121234567" in caplog.text and "سهمیه تازه" in caplog.text


def test_the_file_backend_appends_messages_to_the_file(settings, tmp_path):
    settings.SMS_FILE_PATH = str(tmp_path / "sms" / "out.log")
    backend = get_backend("core.notifications.backends.FileBackend")
    backend.send_messages([SmsMessage("09121234567", "اول")])
    backend.send_messages([SmsMessage("09351234567", "دوم\nخط دوم")])
    lines = (tmp_path / "sms" / "out.log").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2
    assert lines[0].endswith("09121234567\tاول")
    assert lines[1].endswith("09351234567\tدوم خط دوم")


class _Gateway:
    """A local HTTP server standing in for the SMS gateway: answers with ``status``; ``hang`` makes it not answer."""

    def __init__(self):
        self.status = 200
        self.requests: list[dict] = []
        self.release = threading.Event()
        self.hang = False
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                gateway.requests.append(
                    {"path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()}, "body": body}
                )
                if gateway.hang:
                    gateway.release.wait(5)  # until the test is over: the client must give up first
                    return
                self.send_response(gateway.status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b'{"return": {"status": %d}}' % gateway.status)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def gateway():
    server = _Gateway()
    yield server
    server.close()


def _http_backend(gateway, **options):
    options = {
        "url": gateway.url + "/v1/{api_key}/sms/send.json",
        "api_key": "secret-key",
        "sender": "3000123",
    } | options
    return get_backend("core.notifications.backends.HttpGatewayBackend", **options)


def test_the_http_gateway_posts_the_number_sender_and_text_with_the_api_key(gateway):
    sent = _http_backend(gateway).send_messages([SmsMessage("09121234567", "محموله در راه است")])
    assert sent == 1
    (request,) = gateway.requests
    assert request["path"] == "/v1/secret-key/sms/send.json"
    assert request["headers"]["x-api-key"] == "secret-key"
    assert json.loads(request["body"]) == {
        "receptor": "09121234567",
        "sender": "3000123",
        "message": "محموله در راه است",
    }


def test_the_http_gateway_can_post_a_form_instead_of_json(gateway):
    _http_backend(gateway, body_format="form").send_messages([SmsMessage("09121234567", "سلام")])
    assert gateway.requests[0]["headers"]["content-type"].startswith("application/x-www-form-urlencoded")
    assert b"receptor=09121234567" in gateway.requests[0]["body"]


def test_a_gateway_error_500_is_worth_retrying(gateway):
    gateway.status = 503
    with pytest.raises(RetryableSendError, match="503"):
        _http_backend(gateway).send_messages([SmsMessage("09121234567", "سلام")])


def test_a_gateway_refusal_400_is_permanent(gateway):
    gateway.status = 400
    with pytest.raises(PermanentSendError, match="400"):
        _http_backend(gateway).send_messages([SmsMessage("09121234567", "سلام")])


def test_a_gateway_that_does_not_answer_in_time_is_worth_retrying(gateway):
    gateway.hang = True
    with pytest.raises(RetryableSendError, match="did not answer"):
        _http_backend(gateway, timeout=0.3).send_messages([SmsMessage("09121234567", "سلام")])


def test_an_unreachable_gateway_is_worth_retrying(gateway):
    url = gateway.url
    gateway.close()
    with pytest.raises(RetryableSendError):
        get_backend("core.notifications.backends.HttpGatewayBackend", url=url, api_key="k").send_messages(
            [SmsMessage("09121234567", "سلام")]
        )


# --- notify and the sending task ---------------------------------------------------------------------------


def test_notify_sends_by_sms_by_default_and_records_it(db, django_capture_on_commit_callbacks):
    user = factories.UserFactory(mobile="09121112233")
    with django_capture_on_commit_callbacks(execute=True):
        (row,) = notify(recipient=user, event="test.event", text="پیام آزمایشی", dedupe_key="test:1", obj=user)
    row.refresh_from_db()
    assert (row.channel, row.phone, row.status, row.attempts) == (NotificationChannel.SMS, "09121112233", "sent", 1)
    assert row.sent_at is not None and row.object_id == str(user.pk)
    assert [(m.to, m.text) for m in backends.outbox] == [("09121112233", "پیام آزمایشی")]


def test_a_user_who_chose_email_only_gets_an_email_and_no_sms(db, django_capture_on_commit_callbacks):
    user = factories.UserFactory(notify_by_sms=False, notify_by_email=True, email="maryam@example.ir")
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipient=user, event="test.event", text="پیام آزمایشی", dedupe_key="test:1")
    assert backends.outbox == []
    assert [(m.to, m.body) for m in mail.outbox] == [(["maryam@example.ir"], "پیام آزمایشی")]


def test_a_user_who_chose_both_gets_an_sms_and_an_email(db, django_capture_on_commit_callbacks):
    user = factories.UserFactory(notify_by_email=True, email="maryam@example.ir")
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipient=user, event="test.event", text="پیام", dedupe_key="test:1")
    assert len(backends.outbox) == 1 and len(mail.outbox) == 1
    assert set(Notification.objects.values_list("channel", flat=True)) == {"sms", "email"}


def test_a_landline_gets_no_sms(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        created = notify(phone="021-66000000", event="test.event", text="پیام", dedupe_key="test:1")
    assert created == [] and backends.outbox == []


def test_the_same_event_never_makes_a_second_message(db, django_capture_on_commit_callbacks):
    user = factories.UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipient=user, event="test.event", text="پیام", dedupe_key="test:1")
        again = notify(recipient=user, event="test.event", text="پیام", dedupe_key="test:1")
    assert again == []
    assert len(backends.outbox) == 1 and Notification.objects.count() == 1


def test_a_rolled_back_transaction_records_and_sends_nothing(db, django_capture_on_commit_callbacks):
    user = factories.UserFactory()
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        notify(recipient=user, event="test.event", text="پیام", dedupe_key="test:1")
        raise RuntimeError("the event failed")
    assert callbacks == []
    assert Notification.objects.count() == 0 and backends.outbox == []


def test_running_the_send_task_twice_sends_once(db, django_capture_on_commit_callbacks):
    user = factories.UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        (row,) = notify(recipient=user, event="test.event", text="پیام", dedupe_key="test:1")
    assert notification_send.delay(row.pk).get() == "skipped"  # the broker delivered it a second time
    assert len(backends.outbox) == 1
    row.refresh_from_db()
    assert row.attempts == 1


class FlakyBackend(backends.BaseSmsBackend):
    """Fails with the error in ``failures`` (popped per call), then sends."""

    failures: list[Exception] = []

    def send_messages(self, messages):
        if FlakyBackend.failures:
            raise FlakyBackend.failures.pop(0)
        backends.outbox.extend(messages)
        return len(messages)


@pytest.fixture
def flaky(settings, monkeypatch):
    settings.SMS_BACKEND = "tests.core.test_notifications.FlakyBackend"
    # As a worker does: a retry is scheduled rather than raised to the caller (eagerly, it runs at once).
    monkeypatch.setitem(notification_send.app.conf, "task_eager_propagates", False)
    yield FlakyBackend
    FlakyBackend.failures = []


def test_a_failed_send_is_retried_and_its_attempts_recorded(db, flaky):
    flaky.failures = [RetryableSendError("gateway down"), RetryableSendError("gateway down")]
    (row,) = notify(recipient=factories.UserFactory(), event="test.event", text="پیام", dedupe_key="test:1")
    notification_send.apply(args=[row.pk])
    row.refresh_from_db()
    assert (row.status, row.attempts) == (NotificationStatus.SENT, 3)
    assert len(backends.outbox) == 1


def test_a_send_that_keeps_failing_is_marked_failed_after_the_last_retry(db, flaky):
    flaky.failures = [RetryableSendError("gateway down")] * (MAX_RETRIES + 3)
    (row,) = notify(recipient=factories.UserFactory(), event="test.event", text="پیام", dedupe_key="test:1")
    notification_send.apply(args=[row.pk])
    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == (NotificationStatus.FAILED, MAX_RETRIES + 1, "gateway down")
    assert backends.outbox == []


def test_a_permanent_refusal_is_not_retried(db, flaky, django_capture_on_commit_callbacks):
    flaky.failures = [PermanentSendError("invalid number")]
    user = factories.UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        (row,) = notify(recipient=user, event="test.event", text="پیام", dedupe_key="test:1")
    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == (NotificationStatus.FAILED, 1, "invalid number")


def test_retries_back_off_exponentially():
    assert [retry_countdown(n) for n in range(1, 6)] == [60, 120, 240, 480, 960]


# --- The settings page ---------------------------------------------------------------------------------------


def test_anyone_logged_in_opens_the_notification_settings(client_for, db):
    for role in (Role.WORKSHOP_OWNER, Role.DONOR, Role.COORDINATOR, Role.HEALTH_CENTER_STAFF):
        extra = {"health_center": factories.HealthCenterFactory()} if role == Role.HEALTH_CENTER_STAFF else {}
        user = factories.UserFactory(role=role, **extra)
        response = client_for(user).get(reverse("core:notification-settings"))
        assert response.status_code == 200
        assert to_persian_digits(user.mobile) in response.text  # the page is Persian: so are its digits


def test_an_anonymous_visitor_is_sent_to_log_in(client, db):
    response = client.get(reverse("core:notification-settings"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_an_owner_switches_to_email_and_opts_out_of_reminders(client_for, owner):
    response = client_for(owner).post(
        reverse("core:notification-settings"),
        {"notify_by_email": "on", "email": "owner@example.ir", "reminders_opt_out": "on"},
    )
    assert response.status_code == 302
    owner.refresh_from_db()
    assert (owner.notify_by_sms, owner.notify_by_email, owner.reminders_opt_out) == (False, True, True)
    assert owner.email == "owner@example.ir"


def test_email_needs_an_address_and_some_channel_must_stay_on(client_for, owner):
    client = client_for(owner)
    response = client.post(reverse("core:notification-settings"), {"notify_by_email": "on", "email": ""})
    assert response.status_code == 200 and response.context["form"].errors["email"]
    response = client.post(reverse("core:notification-settings"), {"email": ""})
    assert response.status_code == 200 and response.context["form"].errors["notify_by_sms"]
    owner.refresh_from_db()
    assert (owner.notify_by_sms, owner.notify_by_email) == (True, False)
