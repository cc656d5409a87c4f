"""Celery tasks of the donors app: thin adapters that take ids and call services."""

from __future__ import annotations

from celery import shared_task

# Celery's autodiscovery imports only ``<app>.tasks``: import the other task modules so workers register them.
from . import notification_tasks  # noqa: F401
from .receipts import receipt_store_pdf


@shared_task(acks_late=True)
def receipt_generate(receipt_id: int) -> None:
    """Render and store a receipt's PDF; a second delivery finds the file and does nothing."""
    receipt_store_pdf(receipt_id)
