from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.fields import PersianCharField, QuantityField
from core.models import City, Product, Province


class WorkshopStatus(models.TextChoices):
    PENDING = "pending", _("Pending verification")
    VERIFIED = "verified", _("Verified")
    SUSPENDED = "suspended", _("Suspended")


class Workshop(models.Model):
    """A home-based sewing workshop, run by one owner (a user with the workshop-owner role).

    Only verified workshops receive production quotas. ``is_woman_head_of_household``
    is private: coordinators see it, the public never does.
    """

    owner = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="workshop", verbose_name=_("owner")
    )
    name = PersianCharField(_("workshop name"), max_length=150)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="+", verbose_name=_("province"))
    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="+", verbose_name=_("city"))
    address = PersianCharField(_("address"), max_length=400)
    status = models.CharField(
        _("status"), max_length=20, choices=WorkshopStatus.choices, default=WorkshopStatus.PENDING
    )
    status_reason = models.CharField(_("reason for status"), max_length=400, blank=True)
    is_woman_head_of_household = models.BooleanField(_("woman head of household"), default=False)
    sewing_machines = QuantityField(_("sewing machines"), default=1)
    workers = QuantityField(_("workers"), default=1)
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)

    class Meta:
        verbose_name = _("workshop")
        verbose_name_plural = _("workshops")
        ordering = ["province__name_fa", "name"]
        constraints = [
            models.CheckConstraint(condition=models.Q(status__in=WorkshopStatus.values), name="workshop_status_valid"),
            models.CheckConstraint(condition=models.Q(workers__gte=1), name="workshop_has_a_worker"),
        ]

    def __str__(self) -> str:
        return self.name


class WorkshopCapacity(models.Model):
    """How many units of one product a workshop can make in a working day, if it did nothing else."""

    workshop = models.ForeignKey(
        Workshop, on_delete=models.CASCADE, related_name="capacities", verbose_name=_("workshop")
    )
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+", verbose_name=_("product"))
    units_per_day = QuantityField(_("units per day"))

    class Meta:
        verbose_name = _("daily capacity")
        verbose_name_plural = _("daily capacities")
        ordering = ["workshop", "product"]
        constraints = [
            models.UniqueConstraint(fields=["workshop", "product"], name="capacity_unique_product_per_workshop"),
            models.CheckConstraint(condition=models.Q(units_per_day__gt=0), name="capacity_units_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.workshop}: {self.product} × {self.units_per_day}"
