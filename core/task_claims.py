"""Rows that a background task claims while it works on them, and the rescue of claims whose worker died.

An allocation run, a sheet batch and a thematic report each move queued →
running when their task starts (``claim``), so a second delivery of the same
message does nothing. But if the worker is killed mid-task, the broker hands
the message to another worker at once (acks late, reject on worker lost); that
delivery sees "running" and returns, and the row would say "running" forever.

Every task is stopped after ``CELERY_TASK_TIME_LIMIT`` seconds, so a claim
older than that belongs to no living task. ``requeue_abandoned`` (run by the
every-minute outbox sweep) puts such rows back to queued and queues their task
again through the outbox. The apps that own the rows register them at start-up
(core may not import them).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

logger = logging.getLogger("hamdeli.tasks")

# Beyond the hard time limit: the worker process has had time to be killed and its transaction rolled back.
ABANDON_MARGIN = timedelta(minutes=1)


@dataclass(frozen=True)
class ClaimedWork:
    model: type[models.Model]  # with ``status`` and ``claimed_at`` fields
    task_name: str  # takes the row's id
    queued: str
    running: str


_registry: list[ClaimedWork] = []


def register_claimed_work(*, model: type[models.Model], task_name: str, queued: str, running: str) -> None:
    work = ClaimedWork(model=model, task_name=task_name, queued=queued, running=running)
    if work not in _registry:
        _registry.append(work)


def claim(model: type[models.Model], pk: int, *, queued: str, running: str, **updates) -> bool:
    """Move the row from ``queued`` to ``running`` for this delivery; False when it is not queued (a twin has it)."""
    return bool(model.objects.filter(pk=pk, status=queued).update(status=running, claimed_at=timezone.now(), **updates))


def abandoned_before() -> datetime:
    return timezone.now() - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT) - ABANDON_MARGIN


def requeue_abandoned() -> int:
    """Put rows whose task died while running back in the queue; returns how many."""
    from .outbox import enqueue, task_named

    cutoff = abandoned_before()
    requeued = 0
    for work in _registry:
        with transaction.atomic():
            stale = work.model.objects.select_for_update(skip_locked=True).filter(
                status=work.running, claimed_at__lt=cutoff
            )
            for row in stale:
                work.model.objects.filter(pk=row.pk).update(status=work.queued, claimed_at=None)
                enqueue(task_named(work.task_name), row.pk, obj=row)
                logger.warning("%s %s: its task died while running; queued again", work.model.__name__, row.pk)
                requeued += 1
    return requeued
