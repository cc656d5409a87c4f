"""Forms of the order pages: a new order, and the coordinator's actions on one order.

The forms only read what was typed (Persian digits, Jalali dates); the rules
(scope, lifecycle, budget) are checked by ``orders.services``, whose errors the
views show next to the field they name.
"""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.bounds import MAX_UNITS
from core.forms import LocalizedIntegerField, PersianCharField, jalali_date_field, required_reason_field
from core.models import HealthCenter, Product
from core.permissions import is_health_center_scoped
from core.scoping import scope_by_province

from .models import OrderPriority


class HealthCenterChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, center: HealthCenter) -> str:
        return f"{center.name} ({center.city.name})"


class ProductChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, product: Product) -> str:
        return product.name


class OrderForm(forms.Form):
    """A new order. A coordinator picks one of her provinces' health centers; staff order for their own center."""

    health_center = HealthCenterChoiceField(
        label=_("Health center"),
        queryset=HealthCenter.objects.none(),
        empty_label=_("Choose a health center"),
        error_messages={"required": _("Choose the health center that needs the goods.")},
    )
    product = ProductChoiceField(
        label=_("Product"),
        queryset=Product.objects.none(),
        empty_label=_("Choose a product"),
        error_messages={"required": _("Choose the product needed.")},
    )
    quantity = LocalizedIntegerField(
        max_value=MAX_UNITS,
        label=_("Quantity (units)"),
        min_value=1,
        error_messages={"required": _("Enter how many units are needed.")},
    )
    needed_by = jalali_date_field(_("Needed by"), _("Enter the date by which the goods are needed."))
    priority = forms.ChoiceField(
        label=_("Priority"), choices=OrderPriority.choices, initial=OrderPriority.NORMAL, widget=forms.RadioSelect
    )
    note = PersianCharField(
        label=_("Note"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional: sizes, packing, who receives the goods."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if is_health_center_scoped(user):
            del self.fields["health_center"]
        else:
            self.fields["health_center"].queryset = scope_by_province(
                HealthCenter.objects.filter(is_active=True).select_related("city", "province"), user
            ).order_by("province__name_fa", "name")
        self.fields["product"].queryset = Product.objects.filter(is_active=True).order_by("code")

    def clean_needed_by(self):
        needed_by = self.cleaned_data["needed_by"]
        if needed_by < timezone.localdate():
            raise forms.ValidationError(_("This date has already passed; enter today or a later date."))
        return needed_by


class ReasonForm(forms.Form):
    """Reject or cancel: the reason is required and kept in the order's history."""

    reason = required_reason_field()


class CloseForm(forms.Form):
    note = PersianCharField(label=_("Note"), required=False, max_length=400, widget=forms.Textarea(attrs={"rows": 2}))


class ExtendForm(forms.Form):
    needed_by = jalali_date_field(_("New needed-by date"), _("Enter the new date."))
    reason = required_reason_field()
