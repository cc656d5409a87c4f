"""Rows that a background task claims while it works on them, and the rescue of work lost on the way or mid-task.

An allocation run, a sheet batch and a thematic report each move queued →
running when their task starts (``claim``), so a second delivery of the same
message does nothing. Two things can still leave such a row stuck, and the
every-minute outbox sweep repairs both:

- *Lost before it started*: the outbox handed the task to Redis, then Redis
  restarted without its last writes. The row stays queued with no task anywhere.
  ``resend_lost`` sends the task again once it has been handed over for
  ``HAMDELI_TASK_START_DEADLINE`` seconds without starting (a twin that was
  only slow finds the row claimed and does nothing).
- *Its worker died mid-task*: the broker hands the message to another worker at
  once (acks late, reject on worker lost); that delivery sees "running" and
  returns. The running task touches ``heartbeat_at`` after every step
  (``heartbeat``); ``requeue_abandoned`` puts a row whose heartbeat is older
  than ``HAMDELI_TASK_HEARTBEAT_TIMEOUT`` back to queued and queues its task
  again. A row claimed by a worker that never beats (older code during an
  upgrade) keeps the old rule: abandoned once the task time limit has passed.

``work_state`` tells a progress page which of these (or an outbox wait) it is in.
The apps that own the rows register them at start-up (core may not import them).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone

logger = logging.getLogger("hamdeli.tasks")

# Beyond the hard time limit: the worker process has had time to be killed and its transaction rolled back.
ABANDON_MARGIN = timedelta(minutes=1)

WAITING = "waiting"  # still in the outbox: the broker could not be reached
LOST = "lost"  # handed to the broker long ago and never started: sent again
RESTARTING = "restarting"  # its worker stopped mid-way: queued again (or about to be)


class ClaimLost(Exception):
    """The sweep gave this row to a new delivery (its heartbeat had gone stale): this one must stop writing."""


@dataclass(frozen=True)
class ClaimedWork:
    model: type[models.Model]  # with ``status``, ``claimed_at``, ``heartbeat_at`` and ``restarts`` fields
    task_name: str  # takes the row's id
    queued: str
    running: str


_registry: list[ClaimedWork] = []


def register_claimed_work(*, model: type[models.Model], task_name: str, queued: str, running: str) -> None:
    work = ClaimedWork(model=model, task_name=task_name, queued=queued, running=running)
    if work not in _registry:
        _registry.append(work)


def claim(model: type[models.Model], pk: int, *, queued: str, running: str, **updates) -> datetime | None:
    """Move the row from ``queued`` to ``running`` for this delivery.

    Returns the claim's time, which ``heartbeat`` takes to know the row is still
    this delivery's; None when the row is not queued (a twin has it, or it is done).
    """
    now = timezone.now()
    taken = model.objects.filter(pk=pk, status=queued).update(
        status=running, claimed_at=now, heartbeat_at=now, **updates
    )
    return now if taken else None


def heartbeat(model: type[models.Model], pk: int, *, claimed_at: datetime, **updates) -> None:
    """Record that the task holding the row since ``claimed_at`` is alive (with any progress ``updates``).

    Raises ``ClaimLost`` when the sweep has meanwhile queued the row again, so a
    worker that was only frozen does not race the delivery that replaced it.
    """
    if not model.objects.filter(pk=pk, claimed_at=claimed_at).update(heartbeat_at=timezone.now(), **updates):
        raise ClaimLost(f"{model.__name__} {pk} was queued again while this task was silent")


def abandoned_before() -> datetime:
    return timezone.now() - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT) - ABANDON_MARGIN


def silent_since() -> datetime:
    """A running task whose last heartbeat is older than this is taken to be dead."""
    return timezone.now() - timedelta(seconds=settings.HAMDELI_TASK_HEARTBEAT_TIMEOUT)


def _abandoned(work: ClaimedWork) -> Q:
    stale_heartbeat = Q(heartbeat_at__lt=silent_since())
    never_beat = Q(heartbeat_at__isnull=True, claimed_at__lt=abandoned_before())
    return Q(status=work.running) & (stale_heartbeat | never_beat)


def requeue_abandoned() -> int:
    """Put rows whose task died while running back in the queue; returns how many."""
    from .outbox import enqueue, task_named

    requeued = 0
    for work in _registry:
        with transaction.atomic():
            stale = work.model.objects.select_for_update(skip_locked=True).filter(_abandoned(work))
            for row in stale:
                work.model.objects.filter(pk=row.pk).update(
                    status=work.queued, claimed_at=None, heartbeat_at=None, restarts=F("restarts") + 1
                )
                enqueue(task_named(work.task_name), row.pk, obj=row)
                logger.warning("%s %s: its worker stopped while running it; queued again", work.model.__name__, row.pk)
                requeued += 1
    return requeued


def _handed_over_before() -> datetime:
    return timezone.now() - timedelta(seconds=settings.HAMDELI_TASK_START_DEADLINE)


# Other rescues of work that leaves no queued row behind (e.g. an allocation run's announcement): each is called
# with the hand-over cutoff and returns how many tasks it sent again.
_lost_work_checks: list[Callable[[datetime], int]] = []


def register_lost_work_check(check: Callable[[datetime], int]) -> None:
    if check not in _lost_work_checks:
        _lost_work_checks.append(check)


def resend_lost() -> int:
    """Send again the queued work whose last message reached the broker long ago but never started; how many."""
    from .models import OutboxMessage
    from .outbox import enqueue, object_key, task_named

    cutoff = _handed_over_before()
    resent = 0
    for work in _registry:
        with transaction.atomic():
            queued = {
                object_key(row): row
                for row in work.model.objects.select_for_update(skip_locked=True).filter(status=work.queued)
            }
            if not queued:
                continue
            newest: dict[str, datetime | None] = {}
            for key, sent_at in (
                OutboxMessage.objects.filter(object_key__in=queued, task_name=work.task_name)
                .order_by("created_at", "pk")
                .values_list("object_key", "sent_at")
            ):
                newest[key] = sent_at  # ordered oldest first: the last one wins
            for key, sent_at in newest.items():
                # Unsent: the outbox sweep sends it. Sent recently: it may simply be waiting behind other work.
                if sent_at is None or sent_at >= cutoff:
                    continue
                enqueue(task_named(work.task_name), queued[key].pk, obj=queued[key])
                logger.warning("%s: handed to the broker at %s but never started; sent again", key, sent_at)
                resent += 1
    for check in _lost_work_checks:
        resent += check(cutoff)
    return resent


def _work_for(obj: models.Model) -> ClaimedWork | None:
    return next((work for work in _registry if isinstance(obj, work.model)), None)


def work_state(obj: models.Model) -> str:
    """``WAITING``, ``LOST``, ``RESTARTING`` or "" (on its way, or finished) for a progress page."""
    from .models import OutboxMessage
    from .outbox import object_key, work_delayed

    work = _work_for(obj)
    if work is not None and obj.status == work.running:
        if obj.heartbeat_at is not None and obj.heartbeat_at < silent_since():
            return RESTARTING  # the sweep will queue it again within a minute
        return ""
    if work is not None and obj.status == work.queued and obj.restarts:
        return RESTARTING
    if work_delayed(obj):
        return WAITING
    if work is not None and obj.status == work.queued:
        lost = OutboxMessage.objects.filter(object_key=object_key(obj), sent_at__lt=_handed_over_before())
        if lost.exists():
            return LOST
    return ""


def lock_requester(user) -> None:
    """Hold the requester's user row until the transaction ends, so her requests for work run one at a time."""
    from .models import User

    list(User.objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True))


def queued_twin(model: type[models.Model], *, requester, in_progress, wanted: dict) -> models.Model | None:
    """The same person's identical work that is still queued or running, if any: a retried request returns it.

    A double click or a second tab sends the same request twice at the same moment; the requester's row is
    locked first, so the second request waits for the first to commit its row and then finds it here instead
    of making a twin (PostgreSQL; SQLite runs one writer at a time anyway).
    """
    lock_requester(requester)
    return model.objects.filter(status__in=in_progress, **wanted).order_by("pk").first()
