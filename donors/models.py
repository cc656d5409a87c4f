import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.fields import PersianCharField, RialField
from core.validators import luhn_check_digit
from orders.models import Order
from production.models import Quota
from workshops.models import Workshop


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


class EntryKind(models.TextChoices):
    RECEIVED = "received", _("Received")
    APPLIED = "applied", _("Applied to an order")
    MOVED = "moved", _("Moved between orders")
    PAYOUT = "payout", _("Paid to a workshop")
    REFUNDED = "refunded", _("Refunded")


class LedgerEntryQuerySet(models.QuerySet):
    """Bulk updates and deletes are refused too: the ledger is append-only."""

    def update(self, **kwargs):
        raise LedgerAppendOnlyError(_("Ledger entries cannot be changed; record a correcting entry instead."))

    def delete(self):
        raise LedgerAppendOnlyError(_("Ledger entries cannot be deleted; record a correcting entry instead."))


class LedgerAppendOnlyError(Exception):
    pass


ACCOUNT_FIELDS = ("from_donor", "from_campaign", "from_order", "to_donor", "to_campaign", "to_order", "to_workshop")


def _only(*present: str) -> models.Q:
    """Exactly the account fields ``present`` are set; every other account field is empty."""
    q = models.Q()
    for field in ACCOUNT_FIELDS:
        q &= models.Q(**{f"{field}__isnull": field not in present})
    return q


class LedgerEntry(models.Model):
    """One movement of money between two accounts; never edited or deleted (corrections are new entries).

    Accounts are modelled as one nullable foreign key per account type and side
    (``from_donor``, ``to_order``, …) rather than an (account type, id) pair:
    real foreign keys keep referential integrity (``PROTECT``: an order with
    money on it cannot be deleted), balances are plain indexed ``SUM``s per
    column, and a CheckConstraint per kind pins which accounts each kind of
    entry may touch, so even a row inserted around the services has a valid shape.
    """

    kind = models.CharField(_("kind"), max_length=20, choices=EntryKind.choices)
    amount_rials = RialField(_("amount (rials)"))
    from_donor = models.ForeignKey(
        Donor, on_delete=models.PROTECT, related_name="+", null=True, blank=True, verbose_name=_("from donor")
    )
    from_campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, related_name="+", null=True, blank=True, verbose_name=_("from campaign")
    )
    from_order = models.ForeignKey(
        Order, on_delete=models.PROTECT, related_name="+", null=True, blank=True, verbose_name=_("from order")
    )
    to_donor = models.ForeignKey(
        Donor, on_delete=models.PROTECT, related_name="+", null=True, blank=True, verbose_name=_("to donor")
    )
    to_campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, related_name="+", null=True, blank=True, verbose_name=_("to campaign")
    )
    to_order = models.ForeignKey(
        Order, on_delete=models.PROTECT, related_name="+", null=True, blank=True, verbose_name=_("to order")
    )
    to_workshop = models.ForeignKey(
        Workshop, on_delete=models.PROTECT, related_name="+", null=True, blank=True, verbose_name=_("to workshop")
    )
    pledge = models.ForeignKey(
        Pledge, on_delete=models.PROTECT, related_name="entries", null=True, blank=True, verbose_name=_("pledge")
    )
    quota = models.ForeignKey(
        Quota, on_delete=models.PROTECT, related_name="+", null=True, blank=True, verbose_name=_("quota")
    )
    note = PersianCharField(_("note"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = LedgerEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount_rials__gt=0), name="ledger_amount_positive"),
            models.CheckConstraint(condition=models.Q(kind__in=EntryKind.values), name="ledger_kind_valid"),
            models.CheckConstraint(
                condition=(
                    models.Q(kind=EntryKind.RECEIVED)
                    & models.Q(pledge__isnull=False)
                    & (_only("from_donor", "to_order") | _only("from_donor", "to_campaign"))
                )
                | (models.Q(kind=EntryKind.APPLIED) & _only("from_campaign", "to_order"))
                | (
                    models.Q(kind=EntryKind.MOVED)
                    & _only("from_order", "to_order")
                    & ~models.Q(from_order=models.F("to_order"))
                )
                | (models.Q(kind=EntryKind.PAYOUT) & models.Q(quota__isnull=False) & _only("from_order", "to_workshop"))
                | (
                    models.Q(kind=EntryKind.REFUNDED)
                    & models.Q(pledge__isnull=False)
                    & (_only("from_order", "to_donor") | _only("from_campaign", "to_donor"))
                ),
                name="ledger_accounts_match_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount_rials}"

    def save(self, *args, **kwargs):
        if self.pk is not None or not self._state.adding:
            raise LedgerAppendOnlyError(_("Ledger entries cannot be changed; record a correcting entry instead."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise LedgerAppendOnlyError(_("Ledger entries cannot be deleted; record a correcting entry instead."))


class Receipt(models.Model):
    """The receipt of a confirmed pledge (``RCP-1405-000042``); its PDF is rendered by a task after commit.

    ``download_count`` tells the original (first download) from later copies marked «رونوشت».
    """

    pledge = models.OneToOneField(Pledge, on_delete=models.PROTECT, related_name="receipt", verbose_name=_("pledge"))
    number = models.CharField(_("receipt number"), max_length=30, unique=True)
    issued_on = models.DateField(_("issued on"))
    amount_rials = RialField(_("amount (rials)"))
    pdf = models.FileField(_("PDF file"), upload_to="receipts/", blank=True)
    download_count = models.PositiveIntegerField(_("downloads"), default=0, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")
        ordering = ["-created_at", "-id"]
        constraints = [models.CheckConstraint(condition=models.Q(amount_rials__gt=0), name="receipt_amount_positive")]

    def __str__(self) -> str:
        return self.number


from .payment_models import PaymentAccount  # noqa: E402, F401  (registers the model)
