"""Forms of the pickup pages: the pickup itself (a header and one row per quota) and collectors."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.bounds import MAX_UNITS
from core.forms import JalaliDateField, LocalizedIntegerField, MobileNumberField, PersianCharField
from core.models import Province
from production.models import Quota

from ..models import RejectReason
from ..services.collection import PickupLineInput


class PickupHeaderForm(forms.Form):
    pickup_date = JalaliDateField(label=_("Pickup date"))
    note = PersianCharField(label=_("Note"), max_length=400, required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"pickup_date": timezone.localdate()})
        super().__init__(*args, **kwargs)


class PickupRowForm(forms.Form):
    """One quota's row. Left empty, the row is skipped; accepted left empty means collected less rejected."""

    collected_units = LocalizedIntegerField(max_value=MAX_UNITS, label=_("Collected"), required=False, min_value=0)
    accepted_units = LocalizedIntegerField(max_value=MAX_UNITS, label=_("Accepted"), required=False, min_value=0)
    rejected_units = LocalizedIntegerField(max_value=MAX_UNITS, label=_("Rejected"), required=False, min_value=0)
    reject_reason = forms.ChoiceField(
        label=_("Reason for rejection"), choices=[("", "—"), *RejectReason.choices], required=False
    )
    reject_note = PersianCharField(label=_("Rejection note"), max_length=300, required=False)

    def __init__(self, *args, quota: Quota, **kwargs):
        super().__init__(*args, prefix=f"q{quota.pk}", **kwargs)
        self.quota = quota

    def line(self) -> PickupLineInput:
        data = self.cleaned_data
        collected = data.get("collected_units") or 0
        rejected = data.get("rejected_units") or 0
        accepted = data.get("accepted_units")
        if accepted is None:
            accepted = max(collected - rejected, 0)
        return PickupLineInput(
            quota=self.quota,
            collected_units=collected,
            accepted_units=accepted,
            rejected_units=rejected,
            reject_reason=data.get("reject_reason") or "",
            reject_note=data.get("reject_note") or "",
        )


class CollectorForm(forms.Form):
    mobile = MobileNumberField(label=_("Mobile number"))
    full_name = PersianCharField(label=_("Full name"), max_length=150)
    provinces = forms.ModelMultipleChoiceField(
        label=_("Provinces"), queryset=Province.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, provinces, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provinces"].queryset = provinces
        if provinces.count() == 1:
            self.fields["provinces"].initial = list(provinces)


class RevokeForm(forms.Form):
    """Revoking needs no input; the form carries the CSRF token."""
