"""The largest (and smallest) numbers people may type, in one place.

Every quantity and amount goes through these bounds: the model fields
(``core.fields.QuantityField`` / ``RialField``) carry them as default
validators, so ``full_clean`` in every service refuses an out-of-range value
whatever code path it came from, and the form fields show the same limit with
the active language's digits. The limits keep every number far inside
PostgreSQL's bigint (9.2 × 10^18): a row's quantity × price is at most
``MAX_UNITS × MAX_UNIT_PRICE_RIALS`` = 10^16 and an order's value at most
``MAX_RIALS``; ``SUM`` over bigint returns ``numeric``, so totals cannot
overflow either. README "Limits" documents them.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

from .persian import LocalizedNumber

# Units in one order, quota, delivery line or output report.
MAX_UNITS = 10_000_000
# Rials in one pledge, unit cost, piece rate, payout or campaign goal (10 000 billion rials).
MAX_RIALS = 10**13
# Rials one unit of a product may cost (a billion: far above any gown or mask). With MAX_UNITS it keeps
# every per-row product in SQL (quantity × unit cost, units × piece rate) below 10^17, inside bigint.
MAX_UNIT_PRICE_RIALS = 10**9
# Sewing machines or workers in one home workshop.
MAX_PEOPLE_OR_MACHINES = 1_000
# Units of one product a workshop can make in a day.
MAX_DAILY_UNITS = 100_000
# Rials in one online gift: the gateway library stores amounts in ten characters, and banks cap a card payment
# far lower anyway (Zarinpal: a few billion rials).
MAX_ONLINE_GIFT_RIALS = 2_000_000_000
# The smallest pledge worth the cost of recording and confirming a bank transfer.
MIN_PLEDGE_RIALS = 10_000


@deconstructible(path="core.bounds.LocalizedMaxValueValidator")
class LocalizedMaxValueValidator(MaxValueValidator):
    """``MaxValueValidator`` whose message shows the limit grouped, in Persian digits on the Persian site.

    The typed value is never echoed back: a twenty-digit number in Latin digits
    helps nobody.
    """

    message = _("Enter a number no larger than %(limit_value)s.")

    def __call__(self, value):
        limit = self.limit_value() if callable(self.limit_value) else self.limit_value
        if self.compare(value, limit):
            raise ValidationError(self.message, code=self.code, params={"limit_value": LocalizedNumber(limit)})


@deconstructible(path="core.bounds.LocalizedMinValueValidator")
class LocalizedMinValueValidator(MinValueValidator):
    """``MinValueValidator`` whose message shows the limit in the active language's digits."""

    message = _("Enter a number of at least %(limit_value)s.")

    def __call__(self, value):
        limit = self.limit_value() if callable(self.limit_value) else self.limit_value
        if self.compare(value, limit):
            raise ValidationError(self.message, code=self.code, params={"limit_value": LocalizedNumber(limit)})


def units_validators() -> list:
    """Validators of a count of units (order, quota, report, delivery)."""
    return [LocalizedMinValueValidator(0), LocalizedMaxValueValidator(MAX_UNITS)]


def rials_validators() -> list:
    """Validators of an amount of money in rials."""
    return [LocalizedMinValueValidator(0), LocalizedMaxValueValidator(MAX_RIALS)]


def check_order_value(*, quantity: int, unit_cost_rials: int) -> None:
    """Refuse an order worth more than ``MAX_RIALS`` (its quantity times the product's unit cost)."""
    if quantity * unit_cost_rials > MAX_RIALS:
        raise ValidationError(
            {
                "quantity": ValidationError(
                    _("An order may be worth at most %(limit_value)s rials: at this unit cost, %(units)s units."),
                    code="max_value",
                    params={
                        "limit_value": LocalizedNumber(MAX_RIALS),
                        "units": LocalizedNumber(MAX_RIALS // unit_cost_rials),
                    },
                )
            }
        )


def unit_price_validators() -> list:
    """Validators of a price per unit (a product's unit cost and piece rate)."""
    return [LocalizedMinValueValidator(0), LocalizedMaxValueValidator(MAX_UNIT_PRICE_RIALS)]
