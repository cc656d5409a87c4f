from django.db import models
from django.utils.translation import gettext_lazy as _


class NumberSequence(models.Model):
    """Last number handed out for a prefix in a Jalali year (``ORD`` 1405 -> 123).

    Human-readable document numbers (``ORD-1405-000123``, ``DLV-1405-000017``)
    come from here via ``core.sequences.next_number``, which locks the row.
    """

    prefix = models.CharField(_("prefix"), max_length=10)
    year = models.PositiveSmallIntegerField(_("Jalali year"))
    last_value = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("number sequence")
        verbose_name_plural = _("number sequences")
        constraints = [models.UniqueConstraint(fields=["prefix", "year"], name="sequence_unique_prefix_year")]

    def __str__(self) -> str:
        return f"{self.prefix}-{self.year}: {self.last_value}"
