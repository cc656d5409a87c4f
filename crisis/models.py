"""How severe the crisis is in a province or a city, as the national coordinator declares it, with its history.

Declarations are only ever added: a new level is a new row with the date it takes effect, so the history is the
table itself (and every row is in the audit log). The level in force somewhere on a day is worked out by
``crisis.selectors`` from the latest declaration that has taken effect.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.fields import PersianCharField
from core.models import City, Province


class SeverityLevel(models.IntegerChoices):
    """The colour scale people already know from the health ministry's maps; a higher number is more severe."""

    WHITE = 0, _("White")
    YELLOW = 1, _("Yellow")
    ORANGE = 2, _("Orange")
    RED = 3, _("Red")


class SeverityDeclaration(models.Model):
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="+", verbose_name=_("province"))
    # Empty: the whole province. A city's own level can only add to its province's (crisis.selectors).
    city = models.ForeignKey(
        City, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("city")
    )
    level = models.PositiveSmallIntegerField(_("level"), choices=SeverityLevel.choices)
    effective_from = models.DateField(_("in effect from"))
    note = PersianCharField(_("note"), max_length=500, blank=True)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("declared by"),
    )
    declared_at = models.DateTimeField(_("declared at"), auto_now_add=True)

    class Meta:
        verbose_name = _("crisis severity declaration")
        verbose_name_plural = _("crisis severity declarations")
        ordering = ["-effective_from", "-id"]
        indexes = [models.Index(fields=["province", "city", "-effective_from"], name="severity_place_idx")]
        constraints = [
            models.CheckConstraint(condition=models.Q(level__in=SeverityLevel.values), name="severity_level_valid"),
        ]

    def __str__(self) -> str:
        place = self.city or self.province
        return f"{place}: {self.get_level_display()} ({self.effective_from})"
