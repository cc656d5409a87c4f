"""The receipt of a confirmed pledge, one-to-one with it (``donors/models.py`` imports it so Django registers it)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.fields import RialField


class Receipt(models.Model):
    """The receipt of a confirmed pledge (``RCP-1405-000042``); its PDF is rendered by a task after commit.

    ``download_count`` tells the original (first download) from later copies marked «رونوشت».
    """

    pledge = models.OneToOneField(
        "donors.Pledge", on_delete=models.PROTECT, related_name="receipt", verbose_name=_("pledge")
    )
    number = models.CharField(_("receipt number"), max_length=30, unique=True)
    issued_on = models.DateField(_("issued on"))
    amount_rials = RialField(_("amount (rials)"))
    pdf = models.FileField(_("PDF file"), upload_to="receipts/", blank=True)
    download_count = models.PositiveIntegerField(_("downloads"), default=0, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")
        ordering = ["-created_at", "-id"]
        constraints = [models.CheckConstraint(condition=models.Q(amount_rials__gt=0), name="receipt_amount_positive")]

    def __str__(self) -> str:
        return self.number
