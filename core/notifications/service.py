"""Record a notification per enabled channel and queue its sending after the caller's transaction commits.

``notify`` records one event's messages; ``notify_many`` records thousands in two inserts (an allocation run).
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import send_mail
from django.db import IntegrityError, models, transaction

from ..models import Notification, NotificationChannel, NotificationStatus, User
from ..validators import MOBILE_RE, normalize_mobile
from .backends import PermanentSendError, RetryableSendError, SmsMessage, get_backend
from .texts import persian_gettext as _

logger = logging.getLogger("hamdeli.notifications")


def mobile_or_none(phone: str) -> str | None:
    """The number as ``09xxxxxxxxx`` when it is an Iranian mobile (landlines cannot receive SMS)."""
    number = normalize_mobile(phone or "")
    return number if MOBILE_RE.match(number) else None


def channels_for(user: User) -> list[str]:
    """The channels the user chose that we can actually reach them on."""
    if not user.is_active:
        return []
    channels = []
    if user.notify_by_sms and user.mobile:
        channels.append(NotificationChannel.SMS)
    if user.notify_by_email and user.email:
        channels.append(NotificationChannel.EMAIL)
    return channels


def _create_once(row: Notification) -> Notification | None:
    """Insert the row unless its dedupe_key exists; a savepoint keeps the caller's transaction usable."""
    if Notification.objects.filter(dedupe_key=row.dedupe_key).exists():
        return None
    try:
        with transaction.atomic():
            row.save(force_insert=True)
            return row
    except IntegrityError:  # a concurrent twin of this event inserted it first
        return None


def _queue(notification: Notification) -> None:
    from ..outbox import enqueue
    from ..tasks import notification_send  # the task module imports this one

    # robust: a notification's own error must not turn a committed event into an error page; a broker
    # outage leaves the message in the outbox, to be sent by the sweep.
    enqueue(notification_send, notification.pk, obj=notification, robust=True)


def notify(
    *,
    recipient: User | None = None,
    event: str,
    text: str,
    dedupe_key: str,
    obj: models.Model | None = None,
    phone: str | None = None,
    subject: str = "",
) -> list[Notification]:
    """Record ``text`` for ``recipient`` on each channel they chose (or as an SMS to ``phone``) and queue it.

    Call it inside the transaction of the event: the rows roll back with it and
    nothing is queued unless it commits. ``dedupe_key`` names the occurrence
    (``"quota.offered:17"``, ``"reminder:2026-11-28"``); with the recipient and
    the channel it makes the row's unique key, so the same occurrence is never
    sent twice to the same person. Returns the rows created now.
    """
    if recipient is None and not phone:
        raise ValueError("notify() needs a recipient or a phone number.")
    created = []
    for row in _unsaved_rows(
        recipient=recipient, phone=phone, event=event, text=text, dedupe_key=dedupe_key, obj=obj, subject=subject
    ):
        notification = _create_once(row)
        if notification is not None:
            _queue(notification)
            created.append(notification)
    return created


def _unsaved_rows(
    *,
    recipient: User | None,
    phone: str | None,
    event: str,
    text: str,
    dedupe_key: str,
    obj: models.Model | None,
    subject: str,
) -> list[Notification]:
    """One unsaved row per channel the message goes out on, with its full unique key."""
    common = {"event": event, "text": text, "subject": subject or default_subject()}
    if obj is not None:
        common.update(content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk))
    targets: list[dict] = []
    if recipient is not None:
        for channel in channels_for(recipient):
            address = {"phone": recipient.mobile} if channel == NotificationChannel.SMS else {"email": recipient.email}
            targets.append({"recipient": recipient, "channel": channel, "key": f"u{recipient.pk}", **address})
    else:
        number = mobile_or_none(phone)
        if number:
            targets.append(
                {"recipient": None, "channel": NotificationChannel.SMS, "key": f"p{number}", "phone": number}
            )
    rows = []
    for target in targets:
        key = target.pop("key")
        rows.append(Notification(dedupe_key=f"{dedupe_key}:{key}:{target['channel']}"[:200], **common, **target))
    return rows


@dataclass(frozen=True)
class Message:
    """One occurrence of an event for one user, as ``notify`` takes it, for ``notify_many``."""

    recipient: User
    event: str
    text: str
    dedupe_key: str
    obj: models.Model | None = None


def notify_many(messages: Sequence[Message]) -> list[Notification]:
    """``notify`` for thousands of users at once: the rows in one insert, their sending in one outbox insert.

    Same channels, keys and rules as ``notify`` (a key already recorded is
    skipped, so running it twice records nothing new); each row is then sent by
    its own ``notification_send`` task with the usual retries. Call it inside a
    transaction: nothing is handed to the broker before that commits.
    """
    rows: dict[str, Notification] = {}
    for message in messages:
        for row in _unsaved_rows(
            recipient=message.recipient,
            phone=None,
            event=message.event,
            text=message.text,
            dedupe_key=message.dedupe_key,
            obj=message.obj,
            subject="",
        ):
            rows.setdefault(row.dedupe_key, row)
    keys = list(rows)
    for start in range(0, len(keys), BULK_CHUNK):
        for existing in Notification.objects.filter(dedupe_key__in=keys[start : start + BULK_CHUNK]).values_list(
            "dedupe_key", flat=True
        ):
            del rows[existing]
    fresh = list(rows.values())
    try:
        with transaction.atomic():
            created = Notification.objects.bulk_create(fresh, batch_size=BULK_CHUNK)
    except IntegrityError:
        # A concurrent twin of this batch recorded some of them first: record the rest, and queue every one of
        # these keys still waiting (a message queued twice is sent once: the send task skips a sent row).
        Notification.objects.bulk_create(fresh, batch_size=BULK_CHUNK, ignore_conflicts=True)
        created = []
        for start in range(0, len(fresh), BULK_CHUNK):
            created.extend(
                Notification.objects.filter(
                    dedupe_key__in=[row.dedupe_key for row in fresh[start : start + BULK_CHUNK]],
                    status=NotificationStatus.QUEUED,
                )
            )
    _queue_many(created)
    return created


BULK_CHUNK = 1000


def _queue_many(notifications: list[Notification]) -> None:
    from ..outbox import enqueue_many
    from ..tasks import notification_send  # the task module imports this one

    enqueue_many(notification_send, [[n.pk] for n in notifications], objs=notifications, robust=True)


def default_subject() -> str:
    return _("Hamdeli")  # fa: همدلی


def deliver(notification: Notification) -> None:
    """Send one notification now; raises ``RetryableSendError`` / ``PermanentSendError`` on failure."""
    if notification.channel == NotificationChannel.SMS:
        get_backend().send_messages([SmsMessage(to=notification.phone, text=notification.text)])
        return
    try:
        send_mail(
            notification.subject or default_subject(),
            notification.text,
            settings.DEFAULT_FROM_EMAIL,
            [notification.email],
        )
    except smtplib.SMTPRecipientsRefused as exc:
        raise PermanentSendError(f"Email address refused: {exc}") from exc
    except (smtplib.SMTPException, OSError) as exc:
        raise RetryableSendError(f"Email not sent: {exc}") from exc
