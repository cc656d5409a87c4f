"""The ledger's models: ``LedgerEntry``, a movement of money between two accounts, append-only, and
``LedgerDaySeal``, each past day's published fingerprint.

Its foreign keys to donors, campaigns and pledges name them as ``"donors.Donor"`` etc.: the models are in the
same app (``donors/models.py`` imports this module so Django registers the model), and naming them keeps this
module free of an import cycle with ``donors.models``.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.fields import PersianCharField, RialField
from orders.models import Order
from production.models import Quota
from workshops.models import Workshop


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
        "donors.Donor", on_delete=models.PROTECT, related_name="+", null=True, blank=True, verbose_name=_("from donor")
    )
    from_campaign = models.ForeignKey(
        "donors.Campaign",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("from campaign"),
    )
    from_order = models.ForeignKey(
        Order, on_delete=models.PROTECT, related_name="+", null=True, blank=True, verbose_name=_("from order")
    )
    to_donor = models.ForeignKey(
        "donors.Donor", on_delete=models.PROTECT, related_name="+", null=True, blank=True, verbose_name=_("to donor")
    )
    to_campaign = models.ForeignKey(
        "donors.Campaign",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("to campaign"),
    )
    to_order = models.ForeignKey(
        Order, on_delete=models.PROTECT, related_name="+", null=True, blank=True, verbose_name=_("to order")
    )
    to_workshop = models.ForeignKey(
        Workshop, on_delete=models.PROTECT, related_name="+", null=True, blank=True, verbose_name=_("to workshop")
    )
    pledge = models.ForeignKey(
        "donors.Pledge",
        on_delete=models.PROTECT,
        related_name="entries",
        null=True,
        blank=True,
        verbose_name=_("pledge"),
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


class LedgerDaySeal(models.Model):
    """The published fingerprint of one day of the ledger, chained to the day before.

    ``digest`` is SHA-256 over the previous day's digest and every entry of the day (Tehran time) in id order,
    each written out field by field (``donors.ledger.seals``); changing, adding or deleting a past entry, or a
    past seal, breaks the chain from that day on, and ``manage.py ledger_check`` says where.
    """

    day = models.DateField(_("day"), unique=True)
    entry_count = models.PositiveIntegerField(_("entries"))
    digest = models.CharField(_("digest"), max_length=64)
    previous_digest = models.CharField(_("previous day's digest"), max_length=64)
    sealed_at = models.DateTimeField(_("sealed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("ledger day seal")
        verbose_name_plural = _("ledger day seals")
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day}: {self.digest[:12]}"
