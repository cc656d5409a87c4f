from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.fields import PersianCharField, QuantityField, RialField
from core.models import HealthCenter, Product


class OrderPriority(models.TextChoices):
    URGENT = "urgent", _("Urgent")
    HIGH = "high", _("High")
    NORMAL = "normal", _("Normal")


class OrderStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    OPEN = "open", _("Open for funding")
    FUNDED = "funded", _("Funded")
    IN_PRODUCTION = "in_production", _("In production")
    DELIVERED = "delivered", _("Delivered")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


# Still waiting for goods: an order in one of these states whose needed-by date has passed is stale.
UNFULFILLED_STATUSES = (
    OrderStatus.REQUESTED,
    OrderStatus.OPEN,
    OrderStatus.FUNDED,
    OrderStatus.IN_PRODUCTION,
)
FINAL_STATUSES = (OrderStatus.CLOSED, OrderStatus.CANCELLED)


class Order(models.Model):
    """A health center's need for a quantity of one product by a date."""

    number = models.CharField(_("order number"), max_length=20, unique=True, editable=False)
    health_center = models.ForeignKey(
        HealthCenter, on_delete=models.PROTECT, related_name="orders", verbose_name=_("health center")
    )
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+", verbose_name=_("product"))
    quantity = QuantityField(_("quantity"))
    needed_by = models.DateField(_("needed by"))
    priority = models.CharField(
        _("priority"), max_length=10, choices=OrderPriority.choices, default=OrderPriority.NORMAL
    )
    status = models.CharField(_("status"), max_length=20, choices=OrderStatus.choices, default=OrderStatus.REQUESTED)
    note = PersianCharField(_("note"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    unit_cost_rials = RialField(
        _("unit cost (rials)"),
        editable=False,
        help_text=_("The product's unit cost when the order was created; the budget is quantity times this."),
    )

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gt=0), name="order_quantity_positive"),
            models.CheckConstraint(condition=models.Q(priority__in=OrderPriority.values), name="order_priority_valid"),
            models.CheckConstraint(condition=models.Q(status__in=OrderStatus.values), name="order_status_valid"),
        ]

    def __str__(self) -> str:
        return self.number

    def save(self, *args, **kwargs):
        # The budget is fixed when the order is created (as a quota's piece rate is fixed when offered):
        # a later change to the catalogue price does not move what donors are asked for.
        if self.unit_cost_rials is None and self.product_id is not None:
            self.unit_cost_rials = self.product.unit_cost_rials
        super().save(*args, **kwargs)

    @property
    def budget_rials(self) -> int:
        """Quantity times the unit cost fixed at creation (the catalogue's current cost before the first save)."""
        unit_cost = self.unit_cost_rials if self.unit_cost_rials is not None else self.product.unit_cost_rials
        return self.quantity * unit_cost
