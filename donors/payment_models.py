"""Where donors pay: the bank accounts shown after a pledge, one national default and optional per-province ones.

Imported by ``donors.models`` so Django sees the model.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.fields import PersianCharField, ShebaField
from core.models import Province
from core.persian import to_latin_digits


def luhn_valid(number: str) -> bool:
    """The bank-card check digit (Luhn), as every Iranian Shetab card carries."""
    total = 0
    for position, char in enumerate(reversed(number)):
        digit = int(char)
        if position % 2:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total % 10 == 0


def normalize_card_number(value: str) -> str:
    return "".join(ch for ch in to_latin_digits(value or "") if ch.isdigit())


def validate_card_number(value: str) -> None:
    number = normalize_card_number(value)
    if len(number) != 16 or not luhn_valid(number):
        raise ValidationError(
            _("This card number is not valid: a bank card has 16 digits; check them on the card."),
            code="invalid_card_number",
        )


class CardNumberField(models.CharField):
    """A 16-digit bank card number, stored as plain Latin digits (typed with Persian digits, spaces or dashes)."""

    default_validators = [validate_card_number]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 16)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return normalize_card_number(value) if value else value

    def formfield(self, **kwargs):
        # The form field must take what people type (spaces, dashes): the model cleans it down to 16 digits.
        return super().formfield(**{"max_length": 40, **kwargs})


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
