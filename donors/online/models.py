"""The project's own row for each online payment (app label ``donors``: imported by ``donors.models``).

The gateway library keeps a row of its own (``azbankgateways.Bank``), but it accepts the bank's "already
verified" answer as a fresh success and never compares the amount; this row is what decides, under a lock,
whether the money was received, and it is credited (its pledge confirmed) at most once.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.fields import RialField


class OnlinePaymentStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the bank")
    PAID = "paid", _("Paid")
    FAILED = "failed", _("Not paid")
    EXPIRED = "expired", _("Expired")


class OnlinePayment(models.Model):
    """One trip to the bank's page for one pledge; its pledge is confirmed when the bank confirms the money."""

    pledge = models.OneToOneField(
        "donors.Pledge", on_delete=models.PROTECT, related_name="online_payment", verbose_name=_("pledge")
    )
    amount_rials = RialField(_("amount (rials)"))
    gateway = models.CharField(_("gateway"), max_length=20)
    guest_mobile = models.CharField(_("guest's mobile"), max_length=11, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("started by"),
    )
    # The bank's id for this trip (Zarinpal's "authority"); the callback names it.
    authority = models.CharField(_("authority"), max_length=64, unique=True, null=True, blank=True)
    # A secret in the result page's address: whoever started the payment (a guest too) may see its result.
    result_key = models.CharField(_("result key"), max_length=32, unique=True, editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=OnlinePaymentStatus.choices, default=OnlinePaymentStatus.PENDING
    )
    bank_reference = models.CharField(_("bank reference"), max_length=64, blank=True)
    bank_answer = models.CharField(_("bank's answer"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    settled_at = models.DateTimeField(_("settled at"), null=True, blank=True)
    checks = models.PositiveIntegerField(_("times asked the bank"), default=0)

    class Meta:
        app_label = "donors"
        verbose_name = _("online payment")
        verbose_name_plural = _("online payments")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "created_at"], name="online_payment_pending")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=OnlinePaymentStatus.values), name="online_payment_status_valid"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="paid") | ~models.Q(bank_reference=""),
                name="online_payment_paid_has_reference",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.authority or '-'} ({self.get_status_display()})"
