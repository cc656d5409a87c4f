"""Do by hand what beat's every-minute sweep does: queue again the work whose worker died or that the broker lost,
then send the background tasks still waiting in the outbox."""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError

from ...outbox import flush
from ...task_claims import requeue_abandoned, resend_lost


class Command(BaseCommand):
    help = (
        "Queue again work whose worker died or that the broker lost, and hand the background tasks that could not "
        "reach the broker (Redis down) to it now. Exits non-zero when some are still waiting."
    )

    def handle(self, *args, **options):
        requeued = requeue_abandoned()
        resent = resend_lost()
        counts = flush(grace=timedelta(0))
        self.stdout.write(
            f"queued again after a dead worker {requeued}, sent again after a lost task {resent}, "
            f"sent {counts['sent']}, still waiting {counts['waiting']}, old sent messages deleted {counts['pruned']}"
        )
        if counts["waiting"]:
            raise CommandError("Some background tasks are still waiting: is the broker (CELERY_BROKER_URL) reachable?")
