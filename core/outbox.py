"""Queue background work through a transactional outbox, so a broker outage delays work but never loses it.

``enqueue(task, *ids, obj=row)`` writes an ``OutboxMessage`` in the caller's
transaction and hands it to the broker once that transaction commits. If Redis
is down the hand-over fails fast (``CELERY_BROKER_CONNECTION_TIMEOUT``), the
page still answers and the message waits; ``outbox_flush`` sends what is
waiting — beat runs it every minute, and ``manage.py outbox_flush`` runs it by
hand. ``work_delayed(row)`` tells a progress page that its work has not reached
the queue yet.

Without a broker (the embedded default) tasks run eagerly: the message is
marked sent first, then the task runs in-process, so a task's own error is the
task's to record and is not mistaken for an outage.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from datetime import timedelta
from functools import partial
from importlib import import_module

from celery import Task, current_app
from django.core.cache import cache
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from .models import OutboxMessage

logger = logging.getLogger("hamdeli.outbox")

# A dead pooled connection after a Redis restart fails the first try; one reconnect is enough, more would keep
# the web request waiting on an outage.
PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
# Messages younger than this are still being handed over by the request that wrote them.
FLUSH_GRACE = timedelta(seconds=30)
# Sent messages are kept this long for the admin, then deleted by the sweep.
KEEP_SENT = timedelta(days=7)
# A message unsent for this long makes the coordinators' "background work is delayed" notice appear.
DELAY_NOTICE_AFTER = timedelta(minutes=1)
# The notice is on every coordinator's page, so the oldest unsent message is kept in the cache and dropped there
# whenever a message is sent or fails to be. This expiry covers what no process saw happen (a web process killed
# between its commit and its hand-over) and, with a per-process cache, a change made by another process.
OLDEST_UNSENT_CACHE_KEY = "hamdeli:outbox:oldest-unsent"
OLDEST_UNSENT_CACHE_SECONDS = 30
# And for a few seconds in the process itself, so a coordinator's page does not even ask Redis: the banner
# shows after a minute of waiting, so seconds more or less do not matter.
OLDEST_UNSENT_PROCESS_SECONDS = 5.0
_oldest_in_process: list = []  # [(created_at or None, until monotonic)], one entry at most


def object_key(obj: models.Model) -> str:
    return f"{obj._meta.label_lower}:{obj.pk}"


def enqueue(task: Task, *args: int | str, obj: models.Model | None = None, robust: bool = False) -> OutboxMessage:
    """Record ``task(*args)`` now and send it when the current transaction commits.

    ``obj`` is the row the task works on (for ``work_delayed``). ``robust``
    keeps an eager task's own exception from reaching the caller (a
    notification must not break the page that caused it).
    """
    message = OutboxMessage.objects.create(
        task_name=task.name, args=list(args), object_key=object_key(obj) if obj is not None else ""
    )
    transaction.on_commit(partial(send, message.pk), robust=robust)
    return message


def send(message_id: int) -> bool:
    """Hand one message to the broker; False (and the message left waiting) when the broker is unreachable."""
    if current_app.conf.task_always_eager:
        message = OutboxMessage.objects.filter(pk=message_id, sent_at__isnull=True).first()
        if message is not None:
            _mark_sent_many([message.pk])
            task_named(message.task_name).apply(args=message.args, throw=current_app.conf.task_eager_propagates)
        return True
    with transaction.atomic():
        # Locked while it is handed over: two sweeps at once (or a sweep and the request) send it once.
        message = (
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(pk=message_id, sent_at__isnull=True)
            .first()
        )
        if message is None:
            return True  # sent already, or being sent by someone else right now
        try:
            # A fresh connection per hand-over: a pooled one may point at a Redis that has restarted since.
            with current_app.connection_for_write() as connection:
                _hand_over(message, connection)
        except (BrokerError, OSError) as exc:
            _count_failure([message.pk], exc)
            logger.warning("broker unreachable, %s stays in the outbox: %s", message, exc)
            return False
        _mark_sent_many([message.pk])
    return True


def enqueue_many(
    task: Task,
    calls: Sequence[Sequence[int | str]],
    *,
    objs: Sequence[models.Model] | None = None,
    robust: bool = False,
) -> list[OutboxMessage]:
    """``enqueue`` for many calls of one task: one insert now, one hand-over after the commit.

    For work that comes in thousands at once (the messages of an allocation run): per-call
    ``enqueue`` would cost a query and a broker connection each. ``objs``, when given, pairs
    with ``calls``.
    """
    keys = [object_key(obj) for obj in objs] if objs is not None else [""] * len(calls)
    messages = OutboxMessage.objects.bulk_create(
        [
            OutboxMessage(task_name=task.name, args=list(args), object_key=key)
            for args, key in zip(calls, keys, strict=True)
        ],
        batch_size=1000,
    )
    if messages:
        transaction.on_commit(partial(send_many, [message.pk for message in messages], robust=robust), robust=robust)
    return messages


def send_many(message_ids: Sequence[int], *, robust: bool = False, chunk: int = 500) -> int:
    """``send`` for many messages over one broker connection; returns how many were handed over.

    Stops at the first broker failure: the rest wait in the outbox for the sweep, like a single
    message. Without a broker each task runs in-process; with ``robust`` one task's own error is
    logged and the others still run.
    """
    if current_app.conf.task_always_eager:
        return _run_many_eagerly(message_ids, robust=robust, chunk=chunk)
    sent = 0
    for start in range(0, len(message_ids), chunk):
        with transaction.atomic():
            messages = list(
                OutboxMessage.objects.select_for_update(skip_locked=True)
                .filter(pk__in=message_ids[start : start + chunk], sent_at__isnull=True)
                .order_by("pk")
            )
            handed: list[int] = []
            try:
                with current_app.connection_for_write() as connection:
                    for message in messages:
                        _hand_over(message, connection)
                        handed.append(message.pk)
            except (BrokerError, OSError) as exc:
                _mark_sent_many(handed)
                waiting = [message.pk for message in messages[len(handed) :]]  # handed over in order
                _count_failure(waiting, exc)
                logger.warning("broker unreachable, %s messages stay in the outbox: %s", len(waiting), exc)
                return sent + len(handed)
            _mark_sent_many(handed)
            sent += len(handed)
    return sent


def _run_many_eagerly(message_ids: Sequence[int], *, robust: bool, chunk: int) -> int:
    ran = 0
    for start in range(0, len(message_ids), chunk):
        pending = list(
            OutboxMessage.objects.filter(pk__in=message_ids[start : start + chunk], sent_at__isnull=True)
            .order_by("pk")
            .values_list("pk", "task_name", "args")
        )
        _mark_sent_many([pk for pk, _, _ in pending])  # first, as in ``send``: a task's own error is not an outage
        for _, task_name, args in pending:
            try:
                task_named(task_name).apply(args=args, throw=current_app.conf.task_eager_propagates)
            except Exception:
                if not robust:
                    raise
                logger.exception("task %s%s failed", task_name, tuple(args))
            ran += 1
    return ran


def _mark_sent_many(message_ids: list[int]) -> None:
    if message_ids:
        OutboxMessage.objects.filter(pk__in=message_ids).update(
            sent_at=timezone.now(), attempts=F("attempts") + 1, last_error=""
        )
        transaction.on_commit(unsent_changed)


def task_named(name: str) -> Task:
    """The registered task; its module is imported first if this process has not loaded it yet."""
    if name not in current_app.tasks:
        import_module(name.rpartition(".")[0])  # a task's name is its module path plus the function name
    return current_app.tasks[name]


def _hand_over(message: OutboxMessage, connection) -> None:
    task_named(message.task_name).apply_async(
        args=message.args, connection=connection, retry=True, retry_policy=PUBLISH_RETRY_POLICY
    )


def _count_failure(message_ids: list[int], exc: Exception) -> None:
    OutboxMessage.objects.filter(pk__in=message_ids).update(
        attempts=F("attempts") + 1, last_error=(str(exc) or exc.__class__.__name__)[:500]
    )
    transaction.on_commit(unsent_changed)


def unsent_changed() -> None:
    """Which message waits longest may have changed: the next coordinator's page reads it again.

    After the commit: dropped earlier, a page could read the old rows and keep them for the expiry.
    """
    _oldest_in_process.clear()
    cache.delete(OLDEST_UNSENT_CACHE_KEY)


def flush(*, grace: timedelta = FLUSH_GRACE, limit: int = 1000) -> dict[str, int]:
    """Send the messages that have waited longer than ``grace``, oldest first; stop at the first broker failure.

    Returns counts: ``sent``, ``waiting`` (still unsent afterwards) and ``pruned``
    (old sent messages deleted).
    """
    cutoff = timezone.now() - grace
    waiting_ids = list(
        OutboxMessage.objects.filter(sent_at__isnull=True, created_at__lte=cutoff)
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    sent = 0
    for message_id in waiting_ids:
        if not send(message_id):
            break  # the broker is still down: the rest would fail the same way
        sent += 1
    pruned, _ = OutboxMessage.objects.filter(sent_at__lt=timezone.now() - KEEP_SENT).delete()
    waiting = OutboxMessage.objects.filter(sent_at__isnull=True).count()
    return {"sent": sent, "waiting": waiting, "pruned": pruned}


def work_delayed(obj: models.Model) -> bool:
    """True while the task queued for ``obj`` is still waiting in the outbox (the broker was unreachable)."""
    return OutboxMessage.objects.filter(object_key=object_key(obj), sent_at__isnull=True).exists()


def oldest_waiting(*, older_than: timedelta = DELAY_NOTICE_AFTER):
    """When the oldest message still waiting was written, if it has waited longer than ``older_than``.

    Read from the cache (see ``OLDEST_UNSENT_CACHE_KEY``): no query on most pages.
    """
    oldest = _oldest_unsent()
    return oldest if oldest is not None and oldest <= timezone.now() - older_than else None


def _oldest_unsent():
    if _oldest_in_process and _oldest_in_process[0][1] > time.monotonic():
        return _oldest_in_process[0][0]
    cached = cache.get(OLDEST_UNSENT_CACHE_KEY)
    if cached is not None:
        oldest = cached["created_at"]
    else:
        oldest = (
            OutboxMessage.objects.filter(sent_at__isnull=True)
            .order_by("created_at")
            .values_list("created_at", flat=True)
            .first()
        )
        cache.set(OLDEST_UNSENT_CACHE_KEY, {"created_at": oldest}, OLDEST_UNSENT_CACHE_SECONDS)
    _oldest_in_process[:] = [(oldest, time.monotonic() + OLDEST_UNSENT_PROCESS_SECONDS)]
    return oldest


FLUSH_SCHEDULE_NAME = "Background work: send what waited for the broker"
FLUSH_TASK_NAME = "core.tasks.outbox_flush"


def ensure_flush_schedule(*, interval_model, periodic_task_model, periodic_tasks_model=None) -> bool:
    """Create beat's every-minute ``outbox_flush`` row if it is missing (used by a migration, with its models)."""
    every_minute, _ = interval_model.objects.get_or_create(every=60, period="seconds")
    _, created = periodic_task_model.objects.get_or_create(
        name=FLUSH_SCHEDULE_NAME,
        defaults={
            "task": FLUSH_TASK_NAME,
            "interval": every_minute,
            "enabled": True,
            "description": "Sends background tasks that could not reach Redis when they were queued.",
        },
    )
    if created and periodic_tasks_model is not None:  # tell a running beat to reload
        periodic_tasks_model.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})
    return created
