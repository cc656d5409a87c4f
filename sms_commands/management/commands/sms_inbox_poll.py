"""Read the SMS gateway's inbox once (SMS_GATEWAY_INBOX_URL) and do each new message; for cron or by hand."""

from django.core.management.base import BaseCommand

from sms_commands.inbox import inbox_poll


class Command(BaseCommand):
    help = "Read the SMS gateway's inbox once and do each new message as the callback would."

    def handle(self, *args, **options):
        counts = inbox_poll()
        self.stdout.write(f"new {counts['new']}, seen before {counts['seen']}, skipped {counts['skipped']}")
