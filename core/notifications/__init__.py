"""Notifications by SMS and email: backends, the ``notify`` service and its Celery sending task.

Lives in ``core`` so every app can notify. An app builds its message texts in
its own ``notifications.py`` and calls ``notify`` from its services.
"""

from .backends import (
    BaseSmsBackend,
    PermanentSendError,
    RetryableSendError,
    SendError,
    SmsMessage,
    get_backend,
)
from .service import Message, channels_for, deliver, mobile_or_none, notify, notify_many

__all__ = [
    "BaseSmsBackend",
    "Message",
    "PermanentSendError",
    "RetryableSendError",
    "SendError",
    "SmsMessage",
    "channels_for",
    "deliver",
    "get_backend",
    "mobile_or_none",
    "notify",
    "notify_many",
]
