"""Forms of the delivery desk: a new delivery (one units box per deliverable quota), editing, and the actions.

The forms only read what was typed (Persian digits, Jalali dates, mobile
numbers); the rules (units still deliverable, lifecycle, scope) are checked by
``fulfilment.services.deliveries``, whose errors the views put back next to the row or field
they name (``units_<quota pk>``).
"""

from __future__ import annotations

import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.bounds import MAX_UNITS
from core.forms import (
    LocalizedIntegerField,
    MobileNumberField,
    PersianCharField,
    jalali_date_field,
    required_reason_field,
)
from production.models import Quota


class DeliveryDetailsForm(forms.Form):
    """Date, courier, vehicle and note: asked when planning and when editing a planned delivery."""

    planned_date = jalali_date_field(_("Planned date"), _("Enter the date the goods will be delivered."))
    courier_name = PersianCharField(
        label=_("Courier"),
        required=False,
        max_length=120,
        help_text=_("Needed before dispatching; printed on the delivery sheet."),
    )
    courier_phone = MobileNumberField(label=_("Courier's mobile"), required=False)
    vehicle = PersianCharField(
        label=_("Vehicle"), required=False, max_length=120, help_text=_("Optional: kind and plate number.")
    )
    note = PersianCharField(label=_("Note"), required=False, max_length=400, widget=forms.Textarea(attrs={"rows": 2}))

    def clean_planned_date(self):
        planned_date = self.cleaned_data["planned_date"]
        if planned_date < timezone.localdate():
            raise forms.ValidationError(_("This date has already passed; enter today or a later date."))
        return planned_date


def units_field_name(quota: Quota) -> str:
    return f"units_{quota.pk}"


class DeliveryCreateForm(DeliveryDetailsForm):
    """The details plus one optional units box per deliverable quota (``quota.deliverable_units`` annotated)."""

    field_order = ["planned_date", "courier_name", "courier_phone", "vehicle", "note"]

    submission_key = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, quotas: list[Quota], **kwargs):
        super().__init__(*args, **kwargs)
        self.quotas = quotas
        if not self.is_bound:  # a fresh key per empty form; a re-shown form keeps the one it was sent with
            self.initial.setdefault("submission_key", uuid.uuid4())
            self.initial.setdefault("planned_date", timezone.localdate())  # most deliveries leave the same day
        for quota in quotas:
            self.fields[units_field_name(quota)] = LocalizedIntegerField(
                max_value=MAX_UNITS,
                label=_("Units to deliver"),
                required=False,
                min_value=1,
                error_messages={"min_value": _("Enter at least 1, or leave the box empty.")},
            )
            label = _("Units of %(number)s to deliver") % {"number": quota.order.number}
            self.fields[units_field_name(quota)].widget.attrs["aria-label"] = label

    @property
    def detail_fields(self):
        return [self[name] for name in ("planned_date", "courier_name", "courier_phone", "vehicle", "note")]

    @property
    def rows(self) -> list[tuple[Quota, forms.BoundField]]:
        return [(quota, self[units_field_name(quota)]) for quota in self.quotas]

    def clean(self):
        cleaned = super().clean()
        if self.quotas and not self.errors and not self.lines():
            raise forms.ValidationError(_("Enter the units to deliver on at least one row."))
        return cleaned

    def lines(self) -> list[tuple[Quota, int]]:
        """(quota, units) for every row with units typed."""
        lines = []
        for quota in self.quotas:
            units = self.cleaned_data.get(units_field_name(quota))
            if units:
                lines.append((quota, units))
        return lines


class ConfirmForm(forms.Form):
    """Dispatching or marking delivered needs no input; the form carries the CSRF token and any error."""


class CancelForm(forms.Form):
    reason = required_reason_field()
