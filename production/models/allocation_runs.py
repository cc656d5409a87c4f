from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import ClaimedWork


class AllocationRunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class AllocationRun(ClaimedWork):
    """One preview or commit of the allocation engine, run by a Celery task, with its progress and result.

    ``result`` is a plain JSON summary (per order: workshops and units; unmet
    units with the reason in Persian; released quotas; totals and timings), so
    the page shows a finished run exactly as it was, whatever changed since.
    """

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("run by")
    )
    province_codes = models.JSONField(_("provinces"), default=list, blank=True, help_text=_("Empty: all provinces."))
    dry_run = models.BooleanField(_("preview only"), default=True)
    status = models.CharField(
        _("status"), max_length=10, choices=AllocationRunStatus.choices, default=AllocationRunStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    message = models.CharField(_("message"), max_length=400, blank=True)
    result = models.JSONField(_("result"), default=dict, blank=True)
    created_at = models.DateTimeField(_("started at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        db_table = "orders_allocationrun"  # kept from before the split of orders
        verbose_name = _("allocation run")
        verbose_name_plural = _("allocation runs")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="allocation_run_progress_le_100"),
            models.CheckConstraint(
                condition=models.Q(status__in=AllocationRunStatus.values), name="allocation_run_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_status_display()}"

    @property
    def is_finished(self) -> bool:
        return self.status in (AllocationRunStatus.DONE, AllocationRunStatus.FAILED)
