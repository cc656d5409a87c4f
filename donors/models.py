from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.fields import PersianCharField, RialField
from orders.models import Order


class DonorKind(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual")
    CHARITY = "charity", _("Charity")
    NGO = "ngo", _("NGO")
    COMPANY = "company", _("Company")


class Donor(models.Model):
    """A benefactor, charity, NGO or company that funds production."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="donor", verbose_name=_("user")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=DonorKind.choices, default=DonorKind.INDIVIDUAL)
    registration_number = models.CharField(_("national ID or registration number"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("donor")
        verbose_name_plural = _("donors")
        constraints = [models.CheckConstraint(condition=models.Q(kind__in=DonorKind.values), name="donor_kind_valid")]

    def __str__(self) -> str:
        return self.user.full_name


class PledgeStatus(models.TextChoices):
    PLEDGED = "pledged", _("Pledged")
    RECEIVED = "received", _("Received")
    APPLIED = "applied", _("Applied")
    CANCELLED = "cancelled", _("Cancelled")
    REFUNDED = "refunded", _("Refunded")


class Pledge(models.Model):
    """A donor's promise of money to an order; confirmed into the ledger once received."""

    donor = models.ForeignKey(Donor, on_delete=models.PROTECT, related_name="pledges", verbose_name=_("donor"))
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="pledges", verbose_name=_("order"))
    amount_rials = RialField(_("amount (rials)"))
    status = models.CharField(_("status"), max_length=20, choices=PledgeStatus.choices, default=PledgeStatus.PLEDGED)
    is_anonymous = models.BooleanField(_("anonymous on public pages"), default=False)
    message = PersianCharField(_("message"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("pledged at"), auto_now_add=True)

    class Meta:
        verbose_name = _("pledge")
        verbose_name_plural = _("pledges")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount_rials__gt=0), name="pledge_amount_positive"),
            models.CheckConstraint(condition=models.Q(status__in=PledgeStatus.values), name="pledge_status_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.donor} → {self.order}: {self.amount_rials}"
