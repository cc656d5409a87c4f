"""Polling the gateway's inbox, for gateways that keep received messages rather than post them to us.

``SMS_GATEWAY_INBOX_URL`` answers a GET with the messages received since the last read, as a JSON list or as
``{"entries": [...]}`` (Kavenegar's ``receive.json`` shape), each with an id (``messageid`` or ``id``), a sender
(``sender`` or ``from``) and a text (``message`` or ``text``). Each goes through ``services.sms_receive``, the
callback's own path, so a message read twice (an inbox that marks nothing as read, a poll retried after a
timeout) is done once by its id.
"""

from __future__ import annotations

import json
import logging
import urllib.parse
import urllib.request

from django.conf import settings

from .services import sms_receive

logger = logging.getLogger(__name__)


def _first(entry: dict, *names: str) -> str:
    for name in names:
        value = entry.get(name)
        if value not in (None, ""):
            return str(value)
    return ""


def _fetch(url: str) -> list[dict]:
    api_key = getattr(settings, "SMS_GATEWAY_API_KEY", "")
    url = url.replace("{api_key}", urllib.parse.quote(api_key, safe=""))
    if not url.startswith(("http://", "https://")):
        raise ValueError("SMS_GATEWAY_INBOX_URL must be an http(s) address")
    request = urllib.request.Request(url, headers={"X-API-KEY": api_key, "Accept": "application/json"})  # noqa: S310
    timeout = getattr(settings, "SMS_GATEWAY_TIMEOUT", 10)
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (checked above)
        data = json.loads(response.read() or b"[]")
    entries = data.get("entries", []) if isinstance(data, dict) else data
    return [entry for entry in entries or [] if isinstance(entry, dict)]


def inbox_poll() -> dict[str, int]:
    """Read the gateway's inbox once; how many messages were new and how many seen before (none without a URL)."""
    url = getattr(settings, "SMS_GATEWAY_INBOX_URL", "")
    counts = {"new": 0, "seen": 0, "skipped": 0}
    if not url:
        return counts
    for entry in _fetch(url):
        gateway_id = _first(entry, "messageid", "message_id", "id")
        sender = _first(entry, "sender", "from")
        if not gateway_id or not sender:
            counts["skipped"] += 1
            continue
        _message, created = sms_receive(gateway_id=gateway_id, sender=sender, text=_first(entry, "message", "text"))
        counts["new" if created else "seen"] += 1
    return counts
