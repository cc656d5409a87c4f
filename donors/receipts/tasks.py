"""The receipts' Celery task: a thin adapter that takes an id and calls the service.

It keeps its registered name ``donors.tasks.receipt_generate`` (queued messages and the outbox name it), and
``donors/tasks.py`` imports this module so a worker's autodiscovery registers it.
"""

from __future__ import annotations

from celery import shared_task

from .services import receipt_store_pdf


@shared_task(name="donors.tasks.receipt_generate", acks_late=True)
def receipt_generate(receipt_id: int) -> None:
    """Render and store a receipt's PDF; a second delivery finds the file and does nothing."""
    receipt_store_pdf(receipt_id)
