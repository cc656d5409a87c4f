"""Celery application.

Without ``CELERY_BROKER_URL`` tasks run eagerly in the web process (see
settings), so a laptop needs no Redis. In production a Redis broker and real
workers (``make worker``) take the background work.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hamdeli.settings")

app = Celery("hamdeli")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
