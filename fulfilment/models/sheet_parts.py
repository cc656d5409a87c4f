"""A sheet batch's parts: runs of consecutive sheets that worker processes render side by side.

The batch's task splits the day's deliveries into parts when it starts; the
task and its helpers each take the next queued part (a conditional UPDATE, so
every part is taken once however often a task is delivered), write its sheets
to a part file and mark it done; whoever finishes the last part joins the files
into the batch's PDF. ``claimed_at`` is the batch's claim the part was planned
under: a task from an earlier claim (the batch was queued again) finds none.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from .deliveries import SheetBatch


class SheetBatchPartStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")


class SheetBatchPart(models.Model):
    batch = models.ForeignKey(SheetBatch, on_delete=models.CASCADE, related_name="parts", verbose_name=_("sheet batch"))
    claimed_at = models.DateTimeField(_("claim of the batch"), editable=False)
    index = models.PositiveIntegerField(_("part number"))
    # Planned once, so a delivery planned on the day while the batch runs cannot shift the parts.
    delivery_ids = models.JSONField(_("deliveries"), default=list)
    status = models.CharField(
        _("status"), max_length=10, choices=SheetBatchPartStatus.choices, default=SheetBatchPartStatus.QUEUED
    )
    rendered = models.PositiveIntegerField(_("sheets rendered"), default=0)

    class Meta:
        verbose_name = _("sheet batch part")
        verbose_name_plural = _("sheet batch parts")
        ordering = ["batch", "index"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "claimed_at", "index"], name="sheet_batch_part_once"),
            models.CheckConstraint(
                condition=models.Q(status__in=SheetBatchPartStatus.values), name="sheet_batch_part_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.batch_id}/{self.index}"
