"""Against a real Redis that is stopped and started: pages keep working, work waits, and is sent when Redis is back.

The test runs its own ``redis-server`` on a spare port (the machine's Redis is
shared with the rest of the suite), sends the app's tasks to it, stops it in
the middle of a coordinator's request and starts it again. On PostgreSQL a real
Celery worker process then takes the task from Redis and makes the report.
"""

import base64
import datetime as dt
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from core.models import OutboxMessage
from core.tasks import outbox_flush
from reports.models import ThematicReport, ThematicReportStatus

from .. import factories
from ..brokers import broker_at

REDIS_SERVER = shutil.which("redis-server")
pytestmark = pytest.mark.skipif(
    REDIS_SERVER is None and not os.environ.get("CI"), reason="redis-server is not installed (CI installs it)"
)
ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(condition, *, seconds: float, what: str) -> None:
    """Poll ``condition`` until it holds; another process is doing the work, so there is nothing to join."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up after {seconds} s waiting for {what}")
        time.sleep(0.1)


class RedisServer:
    """A throwaway ``redis-server`` that can be stopped and started again on the same port."""

    def __init__(self, tmp_path: Path):
        import redis

        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.dir = tmp_path
        self.process: subprocess.Popen | None = None
        from redis.backoff import NoBackoff
        from redis.retry import Retry

        # No retries: redis-py 6+ retries a refused connection three times with backoff (3.4 s), and the
        # probe asks a server that is not up yet (start) or no longer up (stop).
        self.client = redis.Redis(
            host="127.0.0.1", port=self.port, socket_connect_timeout=1, retry=Retry(NoBackoff(), 0)
        )

    def answers(self) -> bool:
        import redis

        try:
            return bool(self.client.ping())
        except redis.ConnectionError:
            return False

    def start(self) -> None:
        command = [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        self.process = subprocess.Popen([*command, "--dir", str(self.dir)], stdout=subprocess.DEVNULL)
        wait_for(self.answers, seconds=10, what="redis-server to start")

    @contextmanager
    def hung(self, *, at_most: float = 20):
        """Redis stopped with SIGSTOP, as a hung server: it accepts connections and never answers.

        It is woken after ``at_most`` seconds whatever happens, so code that
        waits on it without a timeout makes the test fail (too slow) instead of hanging.
        """
        self.process.send_signal(signal.SIGSTOP)
        watchdog = threading.Timer(at_most, self.process.send_signal, args=[signal.SIGCONT])
        watchdog.start()
        try:
            yield
        finally:
            watchdog.cancel()
            self.process.send_signal(signal.SIGCONT)

    def stop(self) -> None:
        if self.process is not None:
            self.process.send_signal(signal.SIGCONT)  # a stopped process would keep SIGTERM pending
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None
        assert not self.answers()

    def queued(self) -> list[dict]:
        """The task messages waiting in Celery's default queue: name and arguments of each."""
        messages = [json.loads(raw) for raw in self.client.lrange("celery", 0, -1)]
        return [{"task": m["headers"]["task"], "args": json.loads(base64.b64decode(m["body"]))[0]} for m in messages]


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(tmp_path)
    server.start()
    with broker_at(server.url):
        yield server
    server.stop()


def report_form(*, language: str = "en") -> dict:
    today = timezone.localdate()
    return {
        "province": factories.province("tehran").pk,
        "period_start": (today - dt.timedelta(days=30)).isoformat(),
        "period_end": today.isoformat(),
        "language": language,
    }


def request_report(client, *, language: str = "en") -> ThematicReport:
    response = client.post(reverse("reports:thematic-create"), report_form(language=language))
    assert response.status_code == 302, response.content.decode()[:500]
    return ThematicReport.objects.latest("pk")


def start_worker(broker_url: str) -> subprocess.Popen:
    """A real worker, as `make worker` starts it, on the test database and the throwaway Redis."""
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "hamdeli.settings",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "CELERY_BROKER_URL": broker_url,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    command = [sys.executable, "-m", "celery", "-A", "hamdeli", "worker", "--pool=solo", "--loglevel=WARNING"]
    command += ["--without-mingle", "--without-gossip", "--without-heartbeat"]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_with_redis_stopped_the_coordinator_still_works_and_the_report_is_made_once_redis_is_back(client, redis_server):
    coordinator = factories.CoordinatorFactory()
    client.force_login(coordinator)
    client.cookies["hamdeli_language"] = "en"

    # Redis up: the request's task reaches the queue at once (a Persian report, so the next one is not its twin).
    request_report(client, language="fa")
    assert [m["task"] for m in redis_server.queued()] == ["reports.tasks.thematic_report_generate"]
    redis_server.client.delete("celery")

    redis_server.stop()
    report = request_report(client)
    page = client.get(reverse("reports:thematic-detail", args=[report.pk])).content.decode()
    assert "Background work is delayed." in page
    assert client.get(reverse("home")).status_code == 200
    assert client.get(reverse("reports:thematic-list")).status_code == 200
    assert OutboxMessage.objects.get(sent_at__isnull=True).args == [report.pk]

    redis_server.start()  # an empty Redis, as after a restart without persistence
    call_command("outbox_flush")  # what beat runs every minute

    assert redis_server.queued() == [{"task": "reports.tasks.thematic_report_generate", "args": [report.pk]}]
    assert not OutboxMessage.objects.filter(sent_at__isnull=True).exists()
    page = client.get(reverse("reports:thematic-detail", args=[report.pk])).content.decode()
    assert "Background work is delayed." not in page

    if connection.vendor != "postgresql":
        return  # SQLite's test database lives in this process: no worker process can read it
    worker = start_worker(redis_server.url)
    try:
        wait_for(
            lambda: ThematicReport.objects.get(pk=report.pk).status == ThematicReportStatus.DONE,
            seconds=120,
            what="the worker to make the report",
        )
    finally:
        worker.terminate()
        _, errors = worker.communicate(timeout=30)
    page = client.get(reverse("reports:thematic-detail", args=[report.pk])).content.decode()
    assert 'data-testid="download-pdf"' in page, errors.decode()[-2000:]
    assert redis_server.queued() == []


@pytest.fixture
def redis_cache(tmp_path, settings):
    """The site's cache on a throwaway Redis, as production's CACHE_URL makes it."""
    server = RedisServer(tmp_path)
    server.start()
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache_backends.DegradingRedisCache",
            "LOCATION": server.url,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    yield server
    server.stop()


def log_in(client, password: str):
    return client.post(reverse("login"), {"username": "09125550000", "password": password})


def test_with_the_cache_redis_stopped_owners_can_still_log_in_and_wrong_passwords_are_still_refused(
    client, redis_cache, db
):
    factories.UserFactory(mobile="09125550000")
    client.cookies["hamdeli_language"] = "en"
    for _ in range(5):
        log_in(client, "wrong")
    assert "Too many" in log_in(client, factories.TEST_PASSWORD).content.decode()  # Redis up: the lock holds

    redis_cache.stop()  # the lock cannot be read any more: the cache answers as empty
    refused = log_in(client, "wrong")
    assert refused.status_code == 200
    assert not refused.wsgi_request.user.is_authenticated
    accepted = log_in(client, factories.TEST_PASSWORD)
    assert accepted.status_code == 302
    assert client.get(reverse("home")).status_code == 200
    assert client.get(reverse("receiving:enter-code")).status_code == 200


# A page that takes longer than this on a hung Redis is a page the user gives up on (gunicorn kills it at 60 s).
PROMPT_SECONDS = 10


def test_with_redis_hung_healthz_answers_within_seconds_and_says_the_broker_is_down(client, redis_server, settings, db):
    settings.CELERY_BROKER_URL = redis_server.url
    assert client.get("/healthz").json()["broker"] == "ok"

    with redis_server.hung():
        started = time.monotonic()
        response = client.get("/healthz")
        elapsed = time.monotonic() - started

    assert elapsed < PROMPT_SECONDS
    assert (response.status_code, response.json()) == (200, {"db": "ok", "broker": "down"})


def test_with_redis_hung_a_report_request_answers_within_seconds_and_a_retry_does_not_make_a_second_report(
    client, redis_server, django_capture_on_commit_callbacks, db
):
    client.force_login(factories.CoordinatorFactory())
    client.cookies["hamdeli_language"] = "en"

    with redis_server.hung():
        started = time.monotonic()
        with django_capture_on_commit_callbacks(execute=True):
            report = request_report(client)
        elapsed = time.monotonic() - started
        page = client.get(reverse("reports:thematic-detail", args=[report.pk])).content.decode()
        # The coordinator did not see the page in time and sends the form again.
        with django_capture_on_commit_callbacks(execute=True):
            retried = client.post(reverse("reports:thematic-create"), report_form(), follow=True)

    assert elapsed < PROMPT_SECONDS
    assert "Background work is delayed." in page
    assert ThematicReport.objects.count() == 1
    assert retried.redirect_chain[-1][0] == reverse("reports:thematic-detail", args=[report.pk])
    assert "The same report is already being prepared" in retried.content.decode()
    assert OutboxMessage.objects.get(sent_at__isnull=True).args == [report.pk]

    call_command("outbox_flush")  # Redis answers again: what beat runs every minute

    assert redis_server.queued() == [{"task": "reports.tasks.thematic_report_generate", "args": [report.pk]}]
    call_command("outbox_flush")
    assert len(redis_server.queued()) == 1  # sent exactly once


def test_a_report_lost_by_a_redis_restart_is_sent_again_after_the_deadline_and_its_page_says_delayed(
    client, redis_server, settings, django_capture_on_commit_callbacks, db
):
    client.force_login(factories.CoordinatorFactory())
    client.cookies["hamdeli_language"] = "en"
    with django_capture_on_commit_callbacks(execute=True):
        report = request_report(client)
    assert OutboxMessage.objects.get().sent_at is not None
    redis_server.client.flushall()  # Redis restarted without its last writes: the task is gone
    page_url = reverse("reports:thematic-detail", args=[report.pk])

    outbox_flush()  # what beat runs every minute
    assert redis_server.queued() == []  # still inside the deadline: it may only be waiting for a worker
    assert "Background work is delayed." not in client.get(page_url).content.decode()

    handed_over = timezone.now() - dt.timedelta(seconds=settings.HAMDELI_TASK_START_DEADLINE + 60)
    OutboxMessage.objects.update(created_at=handed_over, sent_at=handed_over)
    with django_capture_on_commit_callbacks(execute=True):
        outbox_flush()

    assert redis_server.queued() == [{"task": "reports.tasks.thematic_report_generate", "args": [report.pk]}]
    page = client.get(page_url).content.decode()
    assert "Background work is delayed." in page
    assert "It is being sent again" in page
    with django_capture_on_commit_callbacks(execute=True):
        outbox_flush()
    assert len(redis_server.queued()) == 1  # not again at the next sweep: the new message is fresh
