"""Liveness checks behind ``/healthz``."""

from __future__ import annotations

from django.conf import settings
from django.db import connection


def database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any driver error means "not answering"
        return "down"
    return "ok"


def broker_status(timeout: float = 1.0) -> str:
    """``eager`` with no broker configured, else whether the broker answers within ``timeout`` seconds."""
    if not settings.CELERY_BROKER_URL:
        return "eager"
    # The project's Celery app, without importing the project (hamdeli sits above every app and sets it as current).
    from celery import current_app as app

    # Its own read timeout too: a stopped (not dead) Redis accepts the connection and then never answers.
    limits = {"socket_timeout": timeout, "socket_connect_timeout": timeout}
    try:
        with app.connection_for_write(url=settings.CELERY_BROKER_URL, transport_options=limits) as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=timeout)
    except Exception:  # kombu raises transport-specific errors
        return "down"
    return "ok"
