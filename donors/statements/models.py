"""An uploaded statement and its credit lines (app label ``donors``: imported by ``donors.models``)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.fields import PersianCharField, RialField


class BankStatement(models.Model):
    """One upload of a bank statement file; the same file uploaded again by the same person opens this one."""

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    file_name = PersianCharField(_("file name"), max_length=200)
    file_sha256 = models.CharField(_("file fingerprint"), max_length=64, editable=False)

    class Meta:
        app_label = "donors"
        verbose_name = _("bank statement")
        verbose_name_plural = _("bank statements")
        ordering = ["-uploaded_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["uploaded_by", "file_sha256"], name="bank_statement_uploaded_once"),
        ]

    def __str__(self) -> str:
        return self.file_name


class StatementLineStatus(models.TextChoices):
    MATCHED = "matched", _("Matched")
    AMBIGUOUS = "ambiguous", _("Needs a look")
    UNMATCHED = "unmatched", _("Not matched")
    CONFIRMED = "confirmed", _("Confirmed")
    ALREADY = "already", _("Already recorded")


class StatementLine(models.Model):
    """A credit line of a statement and what matching made of it."""

    statement = models.ForeignKey(
        BankStatement, on_delete=models.CASCADE, related_name="lines", verbose_name=_("bank statement")
    )
    row_number = models.PositiveIntegerField(_("row"))
    booked_on = models.DateField(_("date"))
    amount_rials = RialField(_("amount (rials)"))
    description = PersianCharField(_("description"), max_length=500, blank=True)
    bank_reference = PersianCharField(_("bank reference"), max_length=100, blank=True)
    # The same transfer in another upload has the same fingerprint (date, amount, reference, description and
    # which of identical lines it is): it is confirmed once (the constraint below).
    fingerprint = models.CharField(max_length=64, db_index=True, editable=False)
    status = models.CharField(_("status"), max_length=20, choices=StatementLineStatus.choices)
    pledge = models.ForeignKey(
        "donors.Pledge",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="statement_lines",
        verbose_name=_("pledge"),
    )
    note = PersianCharField(_("note"), max_length=300, blank=True)

    class Meta:
        app_label = "donors"
        verbose_name = _("statement line")
        verbose_name_plural = _("statement lines")
        ordering = ["statement", "row_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["fingerprint"],
                condition=models.Q(status="confirmed"),
                name="statement_transfer_confirmed_once",
            ),
            models.UniqueConstraint(
                fields=["pledge"], condition=models.Q(status="confirmed"), name="statement_pledge_confirmed_once"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["matched", "ambiguous", "unmatched", "confirmed", "already"]),
                name="statement_line_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.statement} #{self.row_number}"
