import os

import pytest
from django.db.utils import OperationalError


def test_healthz_reports_database_and_broker(client, db, settings):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["db"] == "ok"
    assert body["broker"] == ("eager" if not settings.CELERY_BROKER_URL else "ok")


def test_healthz_reports_an_unreachable_broker_as_down(client, db, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/healthz")
    assert response.status_code == 200  # the site works without its broker; background work waits
    assert response.json() == {"db": "ok", "broker": "down"}


@pytest.mark.skipif(not os.environ.get("CELERY_BROKER_URL"), reason="needs a real broker (CI's PostgreSQL+Redis run)")
def test_healthz_reaches_the_real_redis_broker(client, db):
    assert client.get("/healthz").json()["broker"] == "ok"


def test_healthz_answers_503_when_the_database_is_down(client, db, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise OperationalError("connection refused")

    from django.db import connection

    with monkeypatch.context() as patch:  # undone before the test database is torn down
        patch.setattr(connection, "cursor", broken_cursor)
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["db"] == "down"
