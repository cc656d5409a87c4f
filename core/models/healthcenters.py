from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ..fields import PersianCharField, PhoneField
from .geography import City, Province


class HealthCenterKind(models.TextChoices):
    HOSPITAL = "hospital", _("Hospital")
    CLINIC = "clinic", _("Clinic")
    HEALTH_HOUSE = "health_house", _("Health house")
    OTHER = "other", _("Other")


class HealthCenter(models.Model):
    """A hospital, clinic or health house that receives gowns and masks.

    Kept in ``core`` rather than ``orders`` because health-center staff are a
    user role (``User.health_center``) and core may not import from orders.
    """

    name = PersianCharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=HealthCenterKind.choices)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="+", verbose_name=_("province"))
    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="+", verbose_name=_("city"))
    address = PersianCharField(_("address"), max_length=400)
    phone = PhoneField(_("phone"))
    contact_person = PersianCharField(_("contact person"), max_length=120)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("health center")
        verbose_name_plural = _("health centers")
        ordering = ["province__name_fa", "name"]
        constraints = [
            models.UniqueConstraint(fields=["city", "name"], name="healthcenter_unique_name_in_city"),
            models.CheckConstraint(
                condition=models.Q(kind__in=HealthCenterKind.values), name="healthcenter_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("core:healthcenter-detail", args=[self.pk])

    def clean(self) -> None:
        if self.city_id and self.province_id and self.city.province_id != self.province_id:
            raise ValidationError({"city": _("This city is not in the chosen province.")})
