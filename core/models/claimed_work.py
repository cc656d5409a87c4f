"""The fields ``core.task_claims`` keeps on a row whose work a Celery task does (sheet batches, reports, runs)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ClaimedWork(models.Model):
    """A row a task claims and reports progress on; the outbox sweep queues it again when its worker died."""

    # When a task took the row (queued -> running); see core.task_claims for rows whose task died.
    claimed_at = models.DateTimeField(_("claimed by a worker at"), null=True, blank=True, editable=False)
    # Touched by the running task after every step: a stale one means its worker died (core.task_claims).
    heartbeat_at = models.DateTimeField(_("last sign of life from its worker"), null=True, blank=True, editable=False)
    restarts = models.PositiveSmallIntegerField(_("restarts after a worker stopped"), default=0, editable=False)

    class Meta:
        abstract = True
