"""The chain of custody: a pickup at a workshop (with its quality check), then a delivery to a health center.

Quantities move along one quota: ``produced_units`` (the owner's reports) >=
``collected_units`` (picked up) >= ``accepted_units`` (passed the quality
check: what the workshop is paid for) >= ``delivered_units`` (put on a
delivery that is not cancelled). The counters live on ``Quota`` and are kept
by the services under row locks; the rows below are the evidence behind them.
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.fields import MobileNumberField, PersianCharField, QuantityField
from core.models import ClaimedWork, HealthCenter
from production.models.quotas import Quota
from workshops.models import Workshop


class RejectReason(models.TextChoices):
    STITCHING = "stitching", _("Stitching")
    SIZE = "size", _("Size")
    MATERIAL = "material", _("Material")
    HYGIENE = "hygiene", _("Hygiene")
    OTHER = "other", _("Other")


class Pickup(models.Model):
    """One visit to one workshop on one day, collecting finished units against one or more of its quotas."""

    workshop = models.ForeignKey(Workshop, on_delete=models.PROTECT, related_name="pickups", verbose_name=_("workshop"))
    pickup_date = models.DateField(_("pickup date"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    note = PersianCharField(_("note"), max_length=400, blank=True)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        db_table = "orders_pickup"  # kept from before the split of orders
        verbose_name = _("pickup")
        verbose_name_plural = _("pickups")
        ordering = ["-pickup_date", "-id"]

    def __str__(self) -> str:
        return f"{self.workshop} @ {self.pickup_date}"


class PickupLine(models.Model):
    """Units collected against one quota at a pickup, split into accepted and rejected by the quality check."""

    pickup = models.ForeignKey(Pickup, on_delete=models.CASCADE, related_name="lines", verbose_name=_("pickup"))
    quota = models.ForeignKey(Quota, on_delete=models.PROTECT, related_name="pickup_lines", verbose_name=_("quota"))
    collected_units = QuantityField(_("collected"))
    accepted_units = models.PositiveIntegerField(_("accepted"))
    rejected_units = models.PositiveIntegerField(_("rejected"), default=0)
    reject_reason = models.CharField(_("reason for rejection"), max_length=20, choices=RejectReason.choices, blank=True)
    reject_note = PersianCharField(_("rejection note"), max_length=300, blank=True)

    class Meta:
        db_table = "orders_pickupline"  # kept from before the split of orders
        verbose_name = _("pickup line")
        verbose_name_plural = _("pickup lines")
        ordering = ["pickup", "id"]
        constraints = [
            models.UniqueConstraint(fields=["pickup", "quota"], name="pickup_line_one_per_quota"),
            models.CheckConstraint(condition=models.Q(collected_units__gt=0), name="pickup_line_collected_positive"),
            models.CheckConstraint(
                condition=models.Q(collected_units=models.F("accepted_units") + models.F("rejected_units")),
                name="pickup_line_accepted_plus_rejected_is_collected",
            ),
            models.CheckConstraint(
                condition=models.Q(rejected_units=0) | ~models.Q(reject_reason=""),
                name="pickup_line_rejection_has_reason",
            ),
            models.CheckConstraint(
                condition=models.Q(reject_reason__in=[*RejectReason.values, ""]), name="pickup_line_reason_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pickup_id}/{self.quota_id}: {self.accepted_units}+{self.rejected_units}"


class DeliveryStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    DISPATCHED = "dispatched", _("Dispatched")
    DELIVERED = "delivered", _("Delivered")
    CONFIRMED = "confirmed", _("Confirmed")
    DISPUTED = "disputed", _("Disputed")
    CANCELLED = "cancelled", _("Cancelled")


def new_short_code() -> str:
    """Eight characters a receiver can type from paper: no 0/O or 1/I/L to confuse."""
    alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(8))


class Delivery(models.Model):
    """Accepted units from one or more quotas of one health center's orders, carried there by a courier."""

    code = models.CharField(_("delivery number"), max_length=20, unique=True, editable=False)
    short_code = models.CharField(_("confirmation code"), max_length=8, unique=True, default=new_short_code)
    health_center = models.ForeignKey(
        HealthCenter, on_delete=models.PROTECT, related_name="deliveries", verbose_name=_("health center")
    )
    planned_date = models.DateField(_("planned date"))
    courier_name = PersianCharField(_("courier"), max_length=120, blank=True)
    courier_phone = MobileNumberField(_("courier's mobile"), blank=True)
    vehicle = PersianCharField(_("vehicle"), max_length=120, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=DeliveryStatus.choices, default=DeliveryStatus.PLANNED
    )
    note = PersianCharField(_("note"), max_length=400, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    dispatched_at = models.DateTimeField(_("dispatched at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    receiver_name = PersianCharField(_("received by"), max_length=120, blank=True)
    receiver_role = PersianCharField(_("receiver's role"), max_length=120, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed in the app by"),
        help_text=_("Empty when the receiver confirmed through the link on the sheet."),
    )
    cancel_reason = PersianCharField(_("reason for cancelling"), max_length=400, blank=True)
    submission_key = models.UUIDField(
        _("submission key"),
        null=True,
        blank=True,
        unique=True,
        editable=False,
        help_text=_("From the form that planned it: a double-submitted form plans one delivery."),
    )

    class Meta:
        db_table = "orders_delivery"  # kept from before the split of orders
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-planned_date", "-id"]
        indexes = [
            models.Index(fields=["status", "planned_date"], name="delivery_status_date_idx"),
            # The coordinator's list shows the newest planned 25 (its default sort, same as ``ordering``):
            # read from this index instead of sorting every delivery.
            models.Index(fields=["-planned_date", "-id"], name="delivery_planned_date_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(status__in=DeliveryStatus.values), name="delivery_status_valid"),
            models.CheckConstraint(
                condition=~models.Q(status=DeliveryStatus.CANCELLED) | ~models.Q(cancel_reason=""),
                name="delivery_cancel_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def is_read_only(self) -> bool:
        return self.status in (DeliveryStatus.CONFIRMED, DeliveryStatus.DISPUTED, DeliveryStatus.CANCELLED)


class DeliveryLine(models.Model):
    """Units of one quota (so one order, one product, one source workshop) on a delivery.

    ``received_units``/``rejected_units`` stay empty until the receiver confirms.
    """

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="lines", verbose_name=_("delivery"))
    quota = models.ForeignKey(Quota, on_delete=models.PROTECT, related_name="delivery_lines", verbose_name=_("quota"))
    units = QuantityField(_("units"))
    received_units = models.PositiveIntegerField(_("received"), null=True, blank=True)
    rejected_units = models.PositiveIntegerField(_("rejected on receipt"), null=True, blank=True)
    reject_reason = PersianCharField(_("reason for rejection on receipt"), max_length=300, blank=True)

    class Meta:
        db_table = "orders_deliveryline"  # kept from before the split of orders
        verbose_name = _("delivery line")
        verbose_name_plural = _("delivery lines")
        ordering = ["delivery", "id"]
        constraints = [
            models.UniqueConstraint(fields=["delivery", "quota"], name="delivery_line_one_per_quota"),
            models.CheckConstraint(condition=models.Q(units__gt=0), name="delivery_line_units_positive"),
            models.CheckConstraint(
                condition=models.Q(received_units__isnull=True) | models.Q(received_units__lte=models.F("units")),
                name="delivery_line_received_le_units",
            ),
            models.CheckConstraint(
                condition=models.Q(rejected_units__isnull=True)
                | models.Q(received_units__isnull=False, rejected_units__lte=models.F("received_units")),
                name="delivery_line_rejected_le_received",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.delivery_id}/{self.quota_id}: {self.units}"


class SheetBatchStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class SheetBatch(ClaimedWork):
    """ "Print all sheets for date X in province Y": one merged PDF made by a Celery task, with its progress.

    ``failures`` lists the sheets that could not be rendered (code and reason);
    the others are still in the file.
    """

    planned_date = models.DateField(_("delivery date"))
    province_code = models.CharField(_("province"), max_length=40, blank=True, help_text=_("Empty: all provinces."))
    language = models.CharField(_("language"), max_length=8, default="fa")
    status = models.CharField(
        _("status"), max_length=10, choices=SheetBatchStatus.choices, default=SheetBatchStatus.QUEUED
    )
    total = models.PositiveIntegerField(_("sheets"), default=0)
    done = models.PositiveIntegerField(_("sheets rendered"), default=0)
    failures = models.JSONField(_("failed sheets"), default=list, blank=True)
    file = models.FileField(_("file"), upload_to="sheets/%Y/%m/", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        db_table = "orders_sheetbatch"  # kept from before the split of orders
        verbose_name = _("sheet batch")
        verbose_name_plural = _("sheet batches")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(done__lte=models.F("total")), name="sheet_batch_done_le_total"),
            models.CheckConstraint(
                condition=models.Q(status__in=SheetBatchStatus.values), name="sheet_batch_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.planned_date} {self.province_code or '*'}"
