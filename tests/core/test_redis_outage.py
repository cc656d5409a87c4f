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
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from core.models import OutboxMessage
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
        self.client = redis.Redis(host="127.0.0.1", port=self.port, socket_connect_timeout=1)

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

    def stop(self) -> None:
        if self.process is not None:
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


def request_report(client) -> ThematicReport:
    today = timezone.localdate()
    response = client.post(
        reverse("reports:thematic-create"),
        {
            "province": factories.province("tehran").pk,
            "period_start": (today - dt.timedelta(days=30)).isoformat(),
            "period_end": today.isoformat(),
            "language": "en",
        },
    )
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

    # Redis up: the request's task reaches the queue at once.
    request_report(client)
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
