import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.fields import PersianCharField, RialField
from core.validators import luhn_check_digit
from orders.models import Order

# The ledger's, the receipts' and the payment accounts' models live in their rooms (donors/ledger/, donors/receipts/,
# donors/payments/) and name donors' models by string; Django loads an app's models from ``donors.models``, so they
# are imported here (and ``from donors.models import LedgerEntry`` works as for any model of the app).
from .ledger.models import EntryKind, LedgerAppendOnlyError, LedgerDaySeal, LedgerEntry  # noqa: F401
from .online.models import OnlinePayment, OnlinePaymentStatus  # noqa: F401
from .payments.models import PaymentAccount  # noqa: F401
from .receipts.models import Receipt  # noqa: F401
from .statements.models import BankStatement, StatementLine, StatementLineStatus  # noqa: F401


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


class Campaign(models.Model):
    """A pool that coordinators open for donors (e.g. «پویش فصل همدلی»); its money is applied to orders later."""

    name = PersianCharField(_("name"), max_length=200)
    goal_rials = RialField(_("goal (rials)"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    description = PersianCharField(_("description"), max_length=2000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(goal_rials__gt=0), name="campaign_goal_positive"),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="campaign_period_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class PledgeStatus(models.TextChoices):
    PLEDGED = "pledged", _("Pledged")
    RECEIVED = "received", _("Received")
    APPLIED = "applied", _("Applied")
    CANCELLED = "cancelled", _("Cancelled")
    REFUNDED = "refunded", _("Refunded")


REFERENCE_DIGITS = 6  # random digits; a Luhn check digit follows, so a mistyped reference finds nothing


def new_pledge_reference() -> str:
    """A short reference a donor can read out on the phone and type in her bank's "description": 7 digits.

    Digits only, so it is typed the same on a Persian or a Latin keyboard; the last
    digit checks the others (one wrong or two swapped digits never name another pledge).
    """
    while True:
        body = "".join(secrets.choice("0123456789") for _ in range(REFERENCE_DIGITS))
        body = str(secrets.randbelow(9) + 1) + body[1:]  # no leading zero: spreadsheets would drop it
        reference = body + luhn_check_digit(body)
        if not Pledge.objects.filter(reference=reference).exists():
            return reference


class Pledge(models.Model):
    """A donor's promise of money to an order or a campaign; confirmed into the ledger once received.

    ``reference`` is the short code the donor quotes with her payment and the coordinator searches by.
    """

    donor = models.ForeignKey(Donor, on_delete=models.PROTECT, related_name="pledges", verbose_name=_("donor"))
    order = models.ForeignKey(
        Order, on_delete=models.PROTECT, related_name="pledges", null=True, blank=True, verbose_name=_("order")
    )
    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, related_name="pledges", null=True, blank=True, verbose_name=_("campaign")
    )
    reference = models.CharField(
        _("pledge reference"), max_length=12, unique=True, default=new_pledge_reference, editable=False
    )
    amount_rials = RialField(_("amount (rials)"))
    status = models.CharField(_("status"), max_length=20, choices=PledgeStatus.choices, default=PledgeStatus.PLEDGED)
    is_anonymous = models.BooleanField(_("anonymous on public pages"), default=False)
    message = PersianCharField(_("message"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("pledged at"), auto_now_add=True)
    # Filled by pledge_confirm: what actually arrived (may differ from the promise) and the bank's reference.
    received_amount_rials = RialField(_("amount received (rials)"), null=True, blank=True, editable=False)
    bank_reference = models.CharField(_("bank reference"), max_length=100, blank=True, editable=False)
    received_on = models.DateField(_("received on"), null=True, blank=True, editable=False)
    status_reason = PersianCharField(_("reason for status"), max_length=500, blank=True, editable=False)
    # The pledge form's one-time key: the same form sent twice (a double tap, a resend) records one pledge.
    submission_key = models.UUIDField(_("submission key"), null=True, blank=True, unique=True, editable=False)

    class Meta:
        verbose_name = _("pledge")
        verbose_name_plural = _("pledges")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount_rials__gt=0), name="pledge_amount_positive"),
            models.CheckConstraint(condition=models.Q(status__in=PledgeStatus.values), name="pledge_status_valid"),
            models.CheckConstraint(
                condition=(models.Q(order__isnull=False) & models.Q(campaign__isnull=True))
                | (models.Q(order__isnull=True) & models.Q(campaign__isnull=False)),
                name="pledge_to_order_xor_campaign",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.donor} → {self.order or self.campaign}: {self.amount_rials}"

    @property
    def destination(self) -> Order | Campaign:
        return self.order if self.order_id is not None else self.campaign
