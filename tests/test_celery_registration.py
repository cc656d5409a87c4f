"""A real worker registers every task: Celery imports only ``<app>.tasks``, so other task modules must be reached."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

# Reads the run's database or broker settings: kept on both of .ci/run's runs (tests/conftest.py).
pytestmark = pytest.mark.backend

PROJECT = Path(__file__).resolve().parents[1]
SCRIPT = """
import json, django
django.setup()
from hamdeli.celery import app
app.loader.import_default_modules()
print(json.dumps(sorted(name for name in app.tasks if not name.startswith("celery."))))
"""


def test_a_fresh_worker_process_knows_every_task_the_project_queues():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "hamdeli.settings"}
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=PROJECT, env=env, capture_output=True, text=True, check=True
    )
    registered = set(json.loads(result.stdout.strip().splitlines()[-1]))
    assert {
        "core.tasks.notification_send",
        "core.tasks.outbox_flush",
        "donors.tasks.receipt_generate",
        "donors.notification_tasks.coordinator_daily_digest",
        "orders.tasks.run_allocation",
        "orders.sheet_tasks.sheet_batch_render",
        "orders.notification_tasks.owner_daily_reminders",
        "orders.notification_tasks.quota_due_soon_alerts",
        "reports.tasks.thematic_report_generate",
    } <= registered


def test_a_fresh_worker_process_knows_every_task_beat_schedules():
    """A schedule whose task a worker never imported fails every time beat fires it (the online payments'
    recheck did: donors/tasks.py did not import donors.online.tasks)."""
    from donors.ledger.tasks import SCHEDULES as LEDGER
    from donors.management.commands.notification_schedules import _upper_room_schedules
    from donors.notification_tasks import SCHEDULES as DONORS
    from donors.online.tasks import SCHEDULES as ONLINE
    from production.notification_tasks import SCHEDULES as ORDERS

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "hamdeli.settings"}
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=PROJECT, env=env, capture_output=True, text=True, check=True
    )
    registered = set(json.loads(result.stdout.strip().splitlines()[-1]))
    scheduled = {schedule.task for schedule in (*ORDERS, *DONORS, *LEDGER, *ONLINE, *_upper_room_schedules())}
    assert scheduled - registered == set()
    assert "donors.online.tasks.online_payments_recheck" in scheduled
