from django.db import models
from django.utils.translation import gettext_lazy as _

from ..fields import PersianCharField
from .base import BilingualNameMixin


class Province(BilingualNameMixin, models.Model):
    """One of Iran's 31 provinces (استان); loaded by a data migration, not edited by users."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_fa = PersianCharField(_("Persian name"), max_length=80, unique=True)
    name_en = models.CharField(_("English name"), max_length=80, unique=True)

    class Meta:
        verbose_name = _("province")
        verbose_name_plural = _("provinces")
        ordering = ["name_fa"]

    def __str__(self) -> str:
        return self.name


class City(BilingualNameMixin, models.Model):
    """A city or county (شهر/شهرستان). Capitals are seeded; coordinators add the rest in the admin."""

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="cities", verbose_name=_("province"))
    name_fa = PersianCharField(_("Persian name"), max_length=80)
    name_en = models.CharField(_("English name"), max_length=80, blank=True)
    is_capital = models.BooleanField(_("province capital"), default=False)

    class Meta:
        verbose_name = _("city")
        verbose_name_plural = _("cities")
        ordering = ["province__name_fa", "name_fa"]
        constraints = [
            models.UniqueConstraint(fields=["province", "name_fa"], name="city_unique_name_in_province"),
            models.UniqueConstraint(
                fields=["province"], condition=models.Q(is_capital=True), name="city_one_capital_per_province"
            ),
        ]

    def __str__(self) -> str:
        return self.name
