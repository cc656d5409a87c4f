"""Send the background tasks that are still waiting in the outbox (beat does this every minute)."""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError

from ...outbox import flush


class Command(BaseCommand):
    help = (
        "Hand the background tasks that could not reach the broker (Redis down) to it now. "
        "Exits non-zero when some are still waiting."
    )

    def handle(self, *args, **options):
        counts = flush(grace=timedelta(0))
        self.stdout.write(
            f"sent {counts['sent']}, still waiting {counts['waiting']}, old sent messages deleted {counts['pruned']}"
        )
        if counts["waiting"]:
            raise CommandError("Some background tasks are still waiting: is the broker (CELERY_BROKER_URL) reachable?")
