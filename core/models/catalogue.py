from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .. import bounds
from ..fields import PersianCharField, RialField
from .base import BilingualNameMixin


class ProductKind(models.TextChoices):
    GOWN = "gown", _("Gown")
    MASK = "mask", _("Mask")


class Product(BilingualNameMixin, models.Model):
    """Something workshops sew and health centers order.

    ``unit_cost_rials`` is what a funder pays per unit (materials + labour);
    ``piece_rate_rials`` is the workshop's share of it, paid per accepted unit.
    """

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_fa = PersianCharField(_("Persian name"), max_length=120, unique=True)
    name_en = models.CharField(_("English name"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=ProductKind.choices)
    unit_cost_rials = RialField(_("unit cost (rials)"), help_text=_("What a funder pays per unit."))
    piece_rate_rials = RialField(_("piece rate (rials)"), help_text=_("What the workshop is paid per accepted unit."))
    standard_minutes = models.DecimalField(
        _("standard minutes per unit"), max_digits=6, decimal_places=2, help_text=_("Sewing time for one unit.")
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["kind", "name_fa"]
        constraints = [
            models.CheckConstraint(condition=models.Q(unit_cost_rials__gt=0), name="product_unit_cost_positive"),
            models.CheckConstraint(condition=models.Q(piece_rate_rials__gt=0), name="product_piece_rate_positive"),
            models.CheckConstraint(
                condition=models.Q(piece_rate_rials__lte=models.F("unit_cost_rials")),
                name="product_piece_rate_within_unit_cost",
                violation_error_message=_("The piece rate cannot exceed the unit cost."),
            ),
            models.CheckConstraint(condition=models.Q(standard_minutes__gt=0), name="product_minutes_positive"),
            models.CheckConstraint(condition=models.Q(kind__in=ProductKind.values), name="product_kind_valid"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        # A bound per unit (not only per amount) keeps quantity × price inside bigint in every report.
        super().clean()
        errors = {}
        for name in ("unit_cost_rials", "piece_rate_rials"):
            value = getattr(self, name)
            if value is None:
                continue
            for validator in bounds.unit_price_validators():
                try:
                    validator(value)
                except ValidationError as error:
                    errors[name] = error
        if errors:
            raise ValidationError(errors)
