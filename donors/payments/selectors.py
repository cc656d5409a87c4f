"""Where a donor pays a pledge: the account to show her, read from the admin's accounts or the settings.

A pledge to an order is paid into the order's province's active account, else the
national one (no province); a campaign pledge into the national one. With no active
account the ``HAMDELI_PAYMENT_*`` settings are used; with none of those either,
``instructions_for`` returns ``None`` and the page says a coordinator will call.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from ..models import Pledge
from .models import PaymentAccount


@dataclass(frozen=True)
class PaymentInstructions:
    holder_name: str
    bank_name: str
    account_number: str
    sheba: str
    card_number: str

    @property
    def card_groups(self) -> str:
        """``6037 9912 3456 7890``: read the way it is printed on the card."""
        return _in_fours(self.card_number)

    @property
    def sheba_groups(self) -> str:
        """``IR82 0540 1026 …``: the printed form of an IBAN, which also wraps on a 360 px phone."""
        return _in_fours(self.sheba)


def _in_fours(text: str) -> str:
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def _from_account(account: PaymentAccount) -> PaymentInstructions:
    return PaymentInstructions(
        holder_name=account.holder_name,
        bank_name=account.bank_name,
        account_number=account.account_number,
        sheba=account.sheba,
        card_number=account.card_number,
    )


def _from_settings() -> PaymentInstructions | None:
    instructions = PaymentInstructions(
        holder_name=settings.HAMDELI_PAYMENT_HOLDER,
        bank_name=settings.HAMDELI_PAYMENT_BANK,
        account_number=settings.HAMDELI_PAYMENT_ACCOUNT,
        sheba=settings.HAMDELI_PAYMENT_SHEBA,
        card_number=settings.HAMDELI_PAYMENT_CARD,
    )
    if not (instructions.account_number or instructions.sheba or instructions.card_number):
        return None
    return instructions


def instructions_for(pledge: Pledge) -> PaymentInstructions | None:
    """The account this pledge should be paid into, or ``None`` when nothing is configured."""
    province_id = pledge.order.health_center.province_id if pledge.order_id else None
    accounts = PaymentAccount.objects.filter(is_active=True).order_by("-updated_at", "-id")
    account = None
    if province_id is not None:
        account = accounts.filter(province_id=province_id).first()
    account = account or accounts.filter(province__isnull=True).first()
    return _from_account(account) if account else _from_settings()
