"""Celery's autodiscovery imports only ``<app>.tasks``: import the donors' task modules so workers register them."""

from __future__ import annotations

from . import notification_tasks  # noqa: F401
from .ledger import tasks as ledger_tasks  # noqa: F401
from .online import tasks as online_tasks  # noqa: F401
from .receipts import tasks as receipt_tasks  # noqa: F401
