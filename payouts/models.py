"""Payout batches: a coordinator pays workshops for a period's accepted units in one bank transfer list.

A batch is a *draft* (its lines reserve the units, so no other batch includes
them) until the bank has paid it: then ``payout_batch_mark_paid`` writes one
``payout`` ledger entry per line and it is *paid*. A draft can be *cancelled*,
which frees its units. The payouts app's own models, on the tables they had in donors (``db_table``).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.fields import PersianCharField, RialField
from core.models import Province
from production.models import Quota
from workshops.models import Workshop


class PayoutBatchStatus(models.TextChoices):
    DRAFT = "draft", _("Waiting for payment")
    PAID = "paid", _("Paid")
    CANCELLED = "cancelled", _("Cancelled")


class PayoutBatch(models.Model):
    """The payouts of one period (``PAY-1405-000003``) for the provinces of the coordinator who made it.

    ``provinces`` are the provinces of the orders whose quotas are in the batch
    (lines and waiting lines): a coordinator sees a batch only when she covers
    all of them. ``waiting`` keeps, as created, the units that were payable but
    left out because their order did not hold enough money, so the page can
    say why they wait.
    """

    number = models.CharField(_("payout number"), max_length=30, unique=True, editable=False)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period until"))
    provinces = models.ManyToManyField(Province, related_name="+", blank=True, verbose_name=_("provinces"))
    status = models.CharField(
        _("status"), max_length=20, choices=PayoutBatchStatus.choices, default=PayoutBatchStatus.DRAFT
    )
    waiting = models.JSONField(_("units left out for lack of funds"), default=list, blank=True, editable=False)
    bank_reference = models.CharField(_("bank reference"), max_length=100, blank=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    cancel_reason = PersianCharField(_("reason for cancelling"), max_length=400, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("marked paid by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    paid_at = models.DateTimeField(_("marked paid at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    class Meta:
        db_table = "donors_payoutbatch"  # moved from donors with its table (issue 16)
        verbose_name = _("payout batch")
        verbose_name_plural = _("payout batches")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_start__lte=models.F("period_end")), name="payout_batch_period_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=PayoutBatchStatus.values), name="payout_batch_status_valid"
            ),
            models.CheckConstraint(
                condition=~models.Q(status=PayoutBatchStatus.PAID)
                | (~models.Q(bank_reference="") & models.Q(paid_on__isnull=False)),
                name="payout_batch_paid_has_bank_reference",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=PayoutBatchStatus.CANCELLED) | ~models.Q(cancel_reason=""),
                name="payout_batch_cancel_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.number


class PayoutLine(models.Model):
    """Units of one quota paid to its workshop in a batch, at the quota's piece rate and Sheba (kept as they were)."""

    batch = models.ForeignKey(PayoutBatch, on_delete=models.CASCADE, related_name="lines", verbose_name=_("batch"))
    quota = models.ForeignKey(Quota, on_delete=models.PROTECT, related_name="payout_lines", verbose_name=_("quota"))
    workshop = models.ForeignKey(
        Workshop, on_delete=models.PROTECT, related_name="payout_lines", verbose_name=_("workshop")
    )
    # The account the bank is told to pay, as it was when the batch was made: the workshop may change her
    # Sheba later, and a paid batch's bank list must still say where the money went.
    sheba = models.CharField(_("Sheba paid to"), max_length=26, blank=True, editable=False)
    units = models.PositiveIntegerField(_("units"))
    piece_rate_rials = RialField(_("piece rate (rials)"))
    amount_rials = RialField(_("amount (rials)"))
    ledger_entry = models.OneToOneField(
        "donors.LedgerEntry",
        on_delete=models.PROTECT,
        related_name="payout_line",
        null=True,
        blank=True,
        editable=False,
        verbose_name=_("ledger entry"),
    )

    class Meta:
        db_table = "donors_payoutline"
        verbose_name = _("payout line")
        verbose_name_plural = _("payout lines")
        ordering = ["batch", "workshop__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "quota"], name="payout_line_one_per_quota"),
            models.CheckConstraint(condition=models.Q(units__gt=0), name="payout_line_units_positive"),
            models.CheckConstraint(
                condition=models.Q(amount_rials=models.F("units") * models.F("piece_rate_rials")),
                name="payout_line_amount_is_units_times_rate",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.batch_id}/{self.quota_id}: {self.units}"
