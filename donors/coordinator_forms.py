"""Forms of the coordinator's donation pages: pledge actions, new campaign, applying a campaign to an order.

The forms only read what was typed (Persian digits, thousands separators,
Jalali dates); the rules (scope, status, budget, balances) are checked by
``donors.services``, whose errors the views show next to the field they name.
"""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import JalaliDateField, LocalizedIntegerField, PersianCharField
from core.scoping import scope_by_province
from core.templatetags.persian import num
from orders.models import Order
from orders.services import FUNDABLE_STATUSES

AMOUNT_HELP = _("Persian digits and separators are fine: ۵۰٬۰۰۰٬۰۰۰")
DATE_HELP = _("Jalali date, e.g. 1405/09/07.")


class ConfirmForm(forms.Form):
    bank_reference = forms.CharField(
        label=_("Bank reference"),
        max_length=100,
        error_messages={"required": _("Enter the bank's reference for this payment.")},
    )
    received_on = JalaliDateField(
        label=_("Date received"),
        help_text=DATE_HELP,
        error_messages={"required": _("Enter the date the money arrived.")},
    )
    amount_received_rials = LocalizedIntegerField(
        label=_("Amount actually received (rials)"),
        min_value=1,
        help_text=AMOUNT_HELP,
        error_messages={"required": _("Enter the amount received, in rials.")},
    )

    def __init__(self, *args, pledge=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["received_on"].initial = timezone.localdate
        if pledge is not None:
            self.fields["amount_received_rials"].initial = num(pledge.amount_rials)  # ۵۰٬۰۰۰٬۰۰۰ in fa


class CancelForm(forms.Form):
    reason = PersianCharField(
        label=_("Reason"),
        max_length=400,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Please give a reason.")},
    )

    def __init__(self, *args, pledge=None, **kwargs):
        super().__init__(*args, **kwargs)


class RefundForm(forms.Form):
    amount_rials = LocalizedIntegerField(
        label=_("Amount to refund (rials)"),
        min_value=1,
        help_text=AMOUNT_HELP,
        error_messages={"required": _("Enter the amount to refund, in rials.")},
    )
    reason = PersianCharField(
        label=_("Reason"),
        max_length=400,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Please give a reason.")},
    )

    def __init__(self, *args, pledge=None, **kwargs):
        super().__init__(*args, **kwargs)


class CampaignForm(forms.Form):
    name = PersianCharField(
        label=_("Name"), max_length=200, error_messages={"required": _("Give the campaign a name.")}
    )
    goal_rials = LocalizedIntegerField(
        label=_("Goal (rials)"),
        min_value=1,
        help_text=AMOUNT_HELP,
        error_messages={"required": _("Enter the goal, in rials.")},
    )
    starts_on = JalaliDateField(
        label=_("Starts on"), help_text=DATE_HELP, error_messages={"required": _("Enter the first day.")}
    )
    ends_on = JalaliDateField(
        label=_("Ends on"), help_text=DATE_HELP, error_messages={"required": _("Enter the last day.")}
    )
    description = PersianCharField(
        label=_("Description"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class OrderChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, order: Order) -> str:
        return f"{order.number} · {order.health_center.name} · {order.product.name}"


class ApplyForm(forms.Form):
    order = OrderChoiceField(
        label=_("Order"),
        queryset=Order.objects.none(),
        empty_label=_("Choose an order"),
        error_messages={"required": _("Choose the order that receives the money.")},
    )
    amount_rials = LocalizedIntegerField(
        label=_("Amount (rials)"),
        min_value=1,
        help_text=AMOUNT_HELP,
        error_messages={"required": _("Enter the amount, in rials.")},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["order"].queryset = scope_by_province(
            Order.objects.filter(status__in=FUNDABLE_STATUSES).select_related("health_center", "product"),
            user,
            field="health_center__province",
        ).order_by("needed_by", "pk")
