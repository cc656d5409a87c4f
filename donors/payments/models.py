"""Where donors pay: the bank accounts shown after a pledge, one national default and optional per-province ones.

Imported by ``donors.models`` so Django sees the model; ``selectors.instructions_for`` reads it.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.fields import CardNumberField, PersianCharField, ShebaField
from core.models import Province


class PaymentAccount(models.Model):
    """An account donors pay their pledges into: a province's own, or the national default (no province).

    A pledge to an order shows the active account of the order's province, else the
    national one; a campaign pledge shows the national one. With no active row the
    settings ``HAMDELI_PAYMENT_*`` are used, and with none of those the donor is told a
    coordinator will contact her.
    """

    province = models.ForeignKey(
        Province,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("province"),
        help_text=_("Empty: the national account, for campaigns and provinces without their own."),
    )
    holder_name = PersianCharField(_("account holder"), max_length=200)
    bank_name = PersianCharField(_("bank"), max_length=100)
    account_number = models.CharField(_("account number"), max_length=30, blank=True)
    sheba = ShebaField(_("Sheba"), blank=True)
    card_number = CardNumberField(_("card number"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("payment account")
        verbose_name_plural = _("payment accounts")
        ordering = ["province__name_fa", "-updated_at", "-id"]

    def __str__(self) -> str:
        return f"{self.holder_name} · {self.bank_name}"

    def clean(self):
        super().clean()
        if not (self.account_number or self.sheba or self.card_number):
            raise ValidationError(_("Give at least one way to pay: an account number, a Sheba or a card number."))
