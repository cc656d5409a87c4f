"""SMS backends, chosen like Django's email backends by a dotted path in ``SMS_BACKEND``.

- ``ConsoleBackend`` (default): writes each message to the log, for development.
- ``FileBackend``: appends each message to the file ``SMS_FILE_PATH``.
- ``HttpGatewayBackend``: posts to an HTTP SMS gateway (``SMS_GATEWAY_*`` settings).
- ``MemoryBackend``: keeps messages in ``outbox`` (like ``django.core.mail.outbox``), for tests.

A backend raises ``RetryableSendError`` when trying again later may work
(gateway down, 5xx, timeout) and ``PermanentSendError`` when it will not (4xx:
wrong key, invalid number); the sending task retries only the first.
"""

from __future__ import annotations

import json
import logging
import threading
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django.utils.module_loading import import_string

logger = logging.getLogger("hamdeli.sms")

DEFAULT_BACKEND = "core.notifications.backends.ConsoleBackend"


class SendError(Exception):
    """Sending a notification (SMS or email) failed."""


class RetryableSendError(SendError):
    """Sending failed in a way that may succeed later."""


class PermanentSendError(SendError):
    """Sending failed and would fail again: do not retry."""


@dataclass(frozen=True)
class SmsMessage:
    to: str  # 09xxxxxxxxx
    text: str


class BaseSmsBackend:
    def __init__(self, **options) -> None:
        self.options = options

    def send_messages(self, messages: list[SmsMessage]) -> int:
        """Send the messages; return how many were sent. Raise ``SendError`` on failure."""
        raise NotImplementedError


class ConsoleBackend(BaseSmsBackend):
    def send_messages(self, messages: list[SmsMessage]) -> int:
        for message in messages:
            logger.info("SMS to %s: %s", message.to, message.text)
        return len(messages)


class FileBackend(BaseSmsBackend):
    _lock = threading.Lock()

    def __init__(self, *, file_path: str | None = None, **options) -> None:
        super().__init__(**options)
        path = file_path or getattr(settings, "SMS_FILE_PATH", "")
        if not path:
            raise ImproperlyConfigured("SMS_FILE_PATH is required for the file SMS backend.")
        self.path = Path(path)

    def send_messages(self, messages: list[SmsMessage]) -> int:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        stamp = timezone.now().isoformat(timespec="seconds")
        with self._lock, self.path.open("a", encoding="utf-8") as handle:
            for message in messages:
                handle.write(f"{stamp}\t{message.to}\t{message.text.replace(chr(10), ' ')}\n")
        return len(messages)


# Like django.core.mail.outbox: tests read (and clear) it.
outbox: list[SmsMessage] = []


class MemoryBackend(BaseSmsBackend):
    def send_messages(self, messages: list[SmsMessage]) -> int:
        outbox.extend(messages)
        return len(messages)


class HttpGatewayBackend(BaseSmsBackend):
    """One POST per message to ``SMS_GATEWAY_URL``, the shape most Iranian gateways accept.

    Fields ``receptor``, ``sender`` and ``message``, as JSON (default) or as a form
    (``SMS_GATEWAY_FORMAT = "form"``); the API key goes in the ``X-API-KEY`` header
    and replaces ``{api_key}`` in the URL for gateways that put it in the path.
    """

    def __init__(
        self,
        *,
        url: str | None = None,
        api_key: str | None = None,
        sender: str | None = None,
        timeout: float | None = None,
        body_format: str | None = None,
        **options,
    ) -> None:
        super().__init__(**options)
        self.url = url if url is not None else getattr(settings, "SMS_GATEWAY_URL", "")
        self.api_key = api_key if api_key is not None else getattr(settings, "SMS_GATEWAY_API_KEY", "")
        self.sender = sender if sender is not None else getattr(settings, "SMS_GATEWAY_SENDER", "")
        self.timeout = timeout if timeout is not None else getattr(settings, "SMS_GATEWAY_TIMEOUT", 10)
        self.body_format = body_format or getattr(settings, "SMS_GATEWAY_FORMAT", "json")
        if not self.url:
            raise ImproperlyConfigured("SMS_GATEWAY_URL is required for the HTTP SMS gateway backend.")
        if self.body_format not in ("json", "form"):
            raise ImproperlyConfigured("SMS_GATEWAY_FORMAT must be 'json' or 'form'.")

    def _request(self, message: SmsMessage) -> urllib.request.Request:
        fields = {"receptor": message.to, "sender": self.sender, "message": message.text}
        headers = {"X-API-KEY": self.api_key, "Accept": "application/json"}
        if self.body_format == "json":
            body = json.dumps(fields, ensure_ascii=False).encode("utf-8")
            headers["Content-Type"] = "application/json; charset=utf-8"
        else:
            body = urllib.parse.urlencode(fields).encode("utf-8")
            headers["Content-Type"] = "application/x-www-form-urlencoded; charset=utf-8"
        url = self.url.replace("{api_key}", urllib.parse.quote(self.api_key, safe=""))
        # The URL comes from the settings, never from a user: no file:// or other surprise schemes.
        return urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310

    def send_messages(self, messages: list[SmsMessage]) -> int:
        sent = 0
        for message in messages:
            self._send(message)
            sent += 1
        return sent

    def _send(self, message: SmsMessage) -> None:
        try:
            with urllib.request.urlopen(self._request(message), timeout=self.timeout) as response:  # noqa: S310
                response.read()
        except urllib.error.HTTPError as exc:
            detail = exc.read()[:200].decode("utf-8", "replace")
            if exc.code >= 500 or exc.code == 429:  # the gateway's trouble, or "slow down": try later
                raise RetryableSendError(f"SMS gateway answered {exc.code}: {detail}") from exc
            raise PermanentSendError(f"SMS gateway refused the message ({exc.code}): {detail}") from exc
        except TimeoutError as exc:
            raise RetryableSendError(f"SMS gateway did not answer within {self.timeout} s") from exc
        except urllib.error.URLError as exc:  # connection refused, DNS failure, timeout while connecting
            raise RetryableSendError(f"SMS gateway unreachable: {exc.reason}") from exc
        except OSError as exc:  # connection reset half-way
            raise RetryableSendError(f"SMS gateway connection failed: {exc}") from exc


def get_backend(path: str | None = None, **options) -> BaseSmsBackend:
    """The configured SMS backend (``SMS_BACKEND``), or the one at ``path``."""
    dotted = path or getattr(settings, "SMS_BACKEND", "") or DEFAULT_BACKEND
    return import_string(dotted)(**options)
