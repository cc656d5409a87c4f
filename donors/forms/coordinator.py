"""Forms of the coordinator's donation pages: pledge actions, new campaign, applying a campaign, moving funds.

The forms only read what was typed (Persian digits, thousands separators,
Jalali dates); the rules (scope, status, budget, balances) are checked by
``donors.services``, whose errors the views show next to the field they name.
"""

from __future__ import annotations

from django import forms
from django.db.models import BigIntegerField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import (
    LocalizedIntegerField,
    PersianCharField,
    bank_reference_field,
    jalali_date_field,
    required_reason_field,
)
from core.scoping import scope_by_province
from core.templatetags.persian import num, sep
from orders.models import Order
from orders.services import FUNDABLE_STATUSES

from ..ledger import selectors as ledger
from ..models import EntryKind, LedgerEntry

AMOUNT_HELP = _("Persian digits and separators are fine: ۵۰٬۰۰۰٬۰۰۰")


def rials_field(label, required_message) -> LocalizedIntegerField:
    """A positive amount in rials, typed with Persian digits and separators if the user likes."""
    return LocalizedIntegerField(
        label=label, min_value=1, help_text=AMOUNT_HELP, error_messages={"required": required_message}
    )


def scoped_orders(orders, user):
    """``orders`` limited to the coordinator's provinces, soonest needed first."""
    return scope_by_province(orders, user, field="health_center__province").order_by("needed_by", "pk")


class ConfirmForm(forms.Form):
    bank_reference = bank_reference_field()
    received_on = jalali_date_field(_("Date received"), _("Enter the date the money arrived."))
    amount_received_rials = rials_field(
        _("Amount actually received (rials)"), _("Enter the amount received, in rials.")
    )

    def __init__(self, *args, pledge=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["received_on"].initial = timezone.localdate
        if pledge is not None:
            self.fields["amount_received_rials"].initial = num(pledge.amount_rials)  # ۵۰٬۰۰۰٬۰۰۰ in fa


class CancelForm(forms.Form):
    reason = required_reason_field()

    def __init__(self, *args, pledge=None, **kwargs):
        super().__init__(*args, **kwargs)


class RefundForm(forms.Form):
    amount_rials = rials_field(_("Amount to refund (rials)"), _("Enter the amount to refund, in rials."))
    reason = required_reason_field()

    def __init__(self, *args, pledge=None, **kwargs):
        super().__init__(*args, **kwargs)


class CampaignForm(forms.Form):
    name = PersianCharField(
        label=_("Name"), max_length=200, error_messages={"required": _("Give the campaign a name.")}
    )
    goal_rials = rials_field(_("Goal (rials)"), _("Enter the goal, in rials."))
    starts_on = jalali_date_field(_("Starts on"), _("Enter the first day."))
    ends_on = jalali_date_field(_("Ends on"), _("Enter the last day."))
    description = PersianCharField(
        label=_("Description"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class OrderChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, order: Order) -> str:
        return sep().join([order.number, order.health_center.name, order.product.name])


class ApplyForm(forms.Form):
    order = OrderChoiceField(
        label=_("Order"),
        queryset=Order.objects.none(),
        empty_label=_("Choose an order"),
        error_messages={"required": _("Choose the order that receives the money.")},
    )
    amount_rials = rials_field(_("Amount (rials)"), _("Enter the amount, in rials."))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["order"].queryset = scoped_orders(
            Order.objects.filter(status__in=FUNDABLE_STATUSES).select_related("health_center", "product"), user
        )


def _unspent_expression():
    """An order's unspent funds (``ledger.order_balance``) as an expression on ``Order`` rows."""
    payouts = (
        LedgerEntry.objects.filter(from_order=OuterRef("pk"), kind=EntryKind.PAYOUT)
        .order_by()
        .values("from_order")
        .annotate(total=Sum("amount_rials"))
        .values("total")
    )
    paid = Coalesce(Subquery(payouts, output_field=BigIntegerField()), Value(0), output_field=BigIntegerField())
    return ledger.order_applied_funds_expression() - paid


class UnspentOrderChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, order: Order) -> str:
        unspent = _("unspent %(amount)s rials") % {"amount": num(order.unspent_rials)}
        return sep().join([order.number, order.health_center.name, str(unspent)])


class FundsMoveForm(forms.Form):
    from_order = UnspentOrderChoiceField(
        label=_("From order"),
        queryset=Order.objects.none(),
        empty_label=_("Choose the order that gives the money"),
        help_text=_("Only orders of your provinces that hold unspent money."),
        error_messages={"required": _("Choose the order the money comes from.")},
    )
    to_order = UnspentOrderChoiceField(
        label=_("To order"),
        queryset=Order.objects.none(),
        empty_label=_("Choose the order that receives the money"),
        error_messages={"required": _("Choose the order that receives the money.")},
    )
    amount_rials = rials_field(_("Amount (rials)"), _("Enter the amount, in rials."))
    reason = required_reason_field()

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        orders = scoped_orders(
            Order.objects.select_related("health_center", "product").annotate(unspent_rials=_unspent_expression()),
            user,
        )
        self.fields["from_order"].queryset = orders.filter(unspent_rials__gt=0)
        self.fields["to_order"].queryset = orders.filter(status__in=FUNDABLE_STATUSES)

    def clean(self):
        cleaned = super().clean()
        source, target = cleaned.get("from_order"), cleaned.get("to_order")
        if source is not None and target is not None and source.pk == target.pk:
            self.add_error("to_order", _("Choose two different orders."))
        return cleaned
