from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.fields import PersianCharField, QuantityField, RialField
from orders.models.orders import Order
from workshops.models import Workshop

# A workshop may report up to 5% more than its quota (a cut of cloth rarely divides exactly).
OVERPRODUCTION_PERCENT = 105


class QuotaStatus(models.TextChoices):
    OFFERED = "offered", _("Offered")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    CANCELLED = "cancelled", _("Cancelled")


class Quota(models.Model):
    """Part of an order offered to one workshop: make ``quantity`` units by ``due_date``.

    Lives in ``orders`` (not ``workshops``) because it points at an order and
    workshops may not import orders. ``produced_units`` is the running total of
    the workshop's output reports, kept under a row lock by the services;
    ``accepted_units`` (quality-checked at collection) and ``paid_units``
    (paid out from the ledger) are filled in by the deliveries and donors
    features.
    """

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="quotas", verbose_name=_("order"))
    workshop = models.ForeignKey(Workshop, on_delete=models.PROTECT, related_name="quotas", verbose_name=_("workshop"))
    quantity = QuantityField(_("quantity"))
    due_date = models.DateField(_("due date"))
    piece_rate_rials = RialField(_("piece rate (rials)"), help_text=_("Fixed when the quota is offered."))
    status = models.CharField(_("status"), max_length=20, choices=QuotaStatus.choices, default=QuotaStatus.OFFERED)
    decline_reason = PersianCharField(_("reason for declining"), max_length=400, blank=True)
    cancel_reason = PersianCharField(_("reason for cancelling"), max_length=400, blank=True)
    offered_at = models.DateTimeField(_("offered at"), auto_now_add=True)
    responded_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    released_units = models.PositiveIntegerField(
        _("released for re-allocation"),
        default=0,
        help_text=_("Unproduced units taken back from a quota that fell far behind pace."),
    )
    release_reason = PersianCharField(_("reason for release"), max_length=400, blank=True)
    produced_units = models.PositiveIntegerField(_("produced"), default=0)
    collected_units = models.PositiveIntegerField(_("collected"), default=0)
    accepted_units = models.PositiveIntegerField(_("accepted after quality check"), default=0)
    delivered_units = models.PositiveIntegerField(
        _("on deliveries"), default=0, help_text=_("Accepted units put on a delivery that is not cancelled.")
    )
    paid_units = models.PositiveIntegerField(_("paid"), default=0)

    class Meta:
        db_table = "orders_quota"  # kept from before the split of orders
        verbose_name = _("production quota")
        verbose_name_plural = _("production quotas")
        ordering = ["due_date", "id"]
        indexes = [models.Index(fields=["workshop", "status"], name="quota_workshop_status_idx")]
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gt=0), name="quota_quantity_positive"),
            models.CheckConstraint(condition=models.Q(status__in=QuotaStatus.values), name="quota_status_valid"),
            models.CheckConstraint(
                condition=models.Q(produced_units__lte=models.F("quantity") * OVERPRODUCTION_PERCENT / 100),
                name="quota_produced_within_tolerance",
            ),
            models.CheckConstraint(
                condition=models.Q(accepted_units__lte=models.F("produced_units")), name="quota_accepted_le_produced"
            ),
            models.CheckConstraint(
                condition=models.Q(collected_units__lte=models.F("produced_units")),
                name="quota_collected_le_produced",
            ),
            models.CheckConstraint(
                condition=models.Q(accepted_units__lte=models.F("collected_units")),
                name="quota_accepted_le_collected",
            ),
            models.CheckConstraint(
                condition=models.Q(delivered_units__lte=models.F("accepted_units")),
                name="quota_delivered_le_accepted",
            ),
            models.CheckConstraint(
                condition=models.Q(paid_units__lte=models.F("accepted_units")), name="quota_paid_le_accepted"
            ),
            models.CheckConstraint(
                condition=~models.Q(status=QuotaStatus.DECLINED) | ~models.Q(decline_reason=""),
                name="quota_decline_has_reason",
            ),
            models.CheckConstraint(
                condition=models.Q(released_units__lte=models.F("quantity")), name="quota_released_le_quantity"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order.number} → {self.workshop}: {self.quantity}"

    @property
    def target_units(self) -> int:
        """What the workshop is still expected to make in total: the quantity less any released part."""
        return self.quantity - self.released_units

    @property
    def max_total_units(self) -> int:
        """The most the workshop may report in total: the target plus 5%, rounded down."""
        return self.target_units * OVERPRODUCTION_PERCENT // 100

    @property
    def remaining_units(self) -> int:
        return max(self.target_units - self.produced_units, 0)

    @property
    def total_pay_rials(self) -> int:
        return self.quantity * self.piece_rate_rials

    @property
    def earned_rials(self) -> int:
        return self.accepted_units * self.piece_rate_rials

    @property
    def paid_rials(self) -> int:
        return self.paid_units * self.piece_rate_rials


class OutputReport(models.Model):
    """What a workshop made on one day against one quota.

    ``idempotency_key`` comes from the report form: a double-submitted form or
    a retried request carries the same key and is stored once.
    """

    quota = models.ForeignKey(Quota, on_delete=models.PROTECT, related_name="reports", verbose_name=_("quota"))
    report_date = models.DateField(_("day"))
    quantity = QuantityField(_("units made"))
    note = PersianCharField(_("note"), max_length=300, blank=True)
    idempotency_key = models.UUIDField(_("submission key"), unique=True, editable=False)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("reported by")
    )
    created_at = models.DateTimeField(_("reported at"), auto_now_add=True)
    corrected_at = models.DateTimeField(_("corrected at"), null=True, blank=True)

    class Meta:
        db_table = "orders_outputreport"  # kept from before the split of orders
        verbose_name = _("output report")
        verbose_name_plural = _("output reports")
        ordering = ["-report_date", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gt=0), name="report_quantity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.quota_id} @ {self.report_date}: {self.quantity}"
