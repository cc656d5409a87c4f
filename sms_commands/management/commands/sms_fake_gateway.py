"""The fake SMS gateway's inbound side: deliver a text message to the running site as the gateway would.

    python manage.py sms_fake_gateway 09121234567 "ت ۱۲"
    python manage.py sms_fake_gateway 09121234567 "ت ۱۲" --id demo-1   # twice: counted once

It posts to ``/sms/inbound/<SMS_INBOUND_SECRET>/`` of ``--site`` (``make run``'s address by default) and prints
the reply; the site sends the reply through ``SMS_BACKEND`` too (the console backend logs it in development).
"""

from __future__ import annotations

import json
import urllib.parse
import urllib.request
import uuid

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse


class Command(BaseCommand):
    help = "Deliver a text message to the running site as the SMS gateway would, and print the reply."

    def add_arguments(self, parser):
        parser.add_argument("sender", help="the sender's mobile number")
        parser.add_argument("text", help="the message text")
        parser.add_argument("--id", default="", help="the gateway's message id (default: a new one)")
        parser.add_argument("--site", default="http://127.0.0.1:8000", help="the running site's address")

    def handle(self, *args, sender, text, id, site, **options):
        if not settings.SMS_INBOUND_SECRET:
            raise CommandError("SMS_INBOUND_SECRET is not set, so the site answers 404.")
        url = site.rstrip("/") + reverse("sms-inbound", kwargs={"secret": settings.SMS_INBOUND_SECRET})
        body = urllib.parse.urlencode({"id": id or f"fake-{uuid.uuid4()}", "from": sender, "text": text}).encode()
        if not url.startswith(("http://", "https://")):
            raise CommandError("--site must be an http(s) address.")
        try:
            with urllib.request.urlopen(url, data=body, timeout=10) as response:  # noqa: S310 (checked above)
                answer = json.loads(response.read())
        except OSError as exc:
            raise CommandError(f"The site did not answer at {site}: {exc}") from exc
        if answer.get("duplicate"):
            self.stdout.write("(a message id seen before: nothing was done again)")
        self.stdout.write(answer.get("reply") or "(no reply)")
