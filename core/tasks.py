"""Celery tasks of the core app: sending the recorded notifications."""

from __future__ import annotations

import logging

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from .models import Notification, NotificationStatus
from .notifications import PermanentSendError, RetryableSendError, deliver

logger = logging.getLogger("hamdeli.notifications")

MAX_RETRIES = 5
RETRY_BASE_SECONDS = 30


def retry_countdown(attempts: int) -> int:
    """Exponential backoff: 1 min after the first failure, then 2, 4, 8, 16."""
    return 2**attempts * RETRY_BASE_SECONDS


@shared_task(bind=True, acks_late=True, max_retries=MAX_RETRIES)
def notification_send(self, notification_id: int) -> str:
    """Send one queued notification; a sent or failed one is left alone (the broker may deliver twice).

    The row stays locked while the backend sends, so a twin of this task running
    at the same moment waits, then finds it sent and does nothing.
    """
    retry_error: Exception | None = None
    with transaction.atomic():
        notification = Notification.objects.select_for_update().filter(pk=notification_id).first()
        if notification is None or notification.status != NotificationStatus.QUEUED:
            return "skipped"
        notification.attempts += 1
        try:
            deliver(notification)
        except PermanentSendError as exc:
            notification.status = NotificationStatus.FAILED
            notification.last_error = str(exc)[:500]
        except Exception as exc:  # retryable by kind, and so is an unexpected error of a backend
            if not isinstance(exc, RetryableSendError):
                logger.exception("notification %s: unexpected error while sending", notification_id)
            notification.last_error = str(exc)[:500] or exc.__class__.__name__
            if notification.attempts > MAX_RETRIES:
                notification.status = NotificationStatus.FAILED
            else:
                retry_error = exc
        else:
            notification.status = NotificationStatus.SENT
            notification.sent_at = timezone.now()
            notification.last_error = ""
        notification.save(update_fields=["status", "attempts", "last_error", "sent_at"])
    if notification.status == NotificationStatus.FAILED:
        logger.warning(
            "notification %s failed after %s attempts: %s",
            notification_id,
            notification.attempts,
            notification.last_error,
        )
    if retry_error is not None:
        raise self.retry(exc=retry_error, countdown=retry_countdown(notification.attempts))
    return notification.status


@shared_task(acks_late=True)
def outbox_flush() -> dict[str, int]:
    """Beat, every minute: queue again work whose worker died or that the broker lost, then send what waited."""
    from .outbox import flush
    from .task_claims import requeue_abandoned, resend_lost

    requeued = requeue_abandoned()
    resent = resend_lost()
    return {**flush(), "requeued": requeued, "resent": resent}
