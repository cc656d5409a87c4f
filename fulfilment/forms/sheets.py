"""Forms of the printing desk: a collector's route (city and day) and a batch of delivery sheets (day and province)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import JalaliDateField
from core.models import City, Province
from core.scoping import scope_by_province, sees_all_provinces

from ..tasks import batch_deliveries


class CityChoiceField(forms.ModelChoiceField):
    """Cities grouped by province (an <optgroup> each), so one select covers "province → city" without scripts."""

    def label_from_instance(self, city: City) -> str:
        return city.name

    def _get_choices(self):
        groups: dict[str, list] = {}
        for city in self.queryset.select_related("province"):
            groups.setdefault(city.province.name, []).append((city.pk, city.name))
        return [("", self.empty_label), *groups.items()]

    choices = property(_get_choices, forms.ChoiceField.choices.fset)


class PickupSheetForm(forms.Form):
    city = CityChoiceField(label=_("City"), queryset=City.objects.none(), empty_label=_("Choose a city"))
    day = JalaliDateField(label=_("Day of the pickup round"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["city"].queryset = scope_by_province(City.objects.all(), user).order_by(
            "province__name_fa", "name_fa"
        )
        self.fields["day"].initial = timezone.localdate()


class SheetBatchForm(forms.Form):
    planned_date = JalaliDateField(label=_("Delivery date"))
    province = forms.ModelChoiceField(
        label=_("Province"), queryset=Province.objects.none(), required=False, empty_label=_("All my provinces")
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["province"].queryset = scope_by_province(Province.objects.all(), user, field="pk")
        self.fields["planned_date"].initial = timezone.localdate()

    @property
    def province_code(self) -> str:
        province = self.cleaned_data.get("province")
        return province.code if province is not None else ""

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        if not batch_deliveries(
            user=self.user, planned_date=cleaned["planned_date"], province_code=self.province_code
        ).exists():
            where = cleaned["province"].name if cleaned.get("province") else None
            if where is None and not sees_all_provinces(self.user):
                where = _("your provinces")
            raise forms.ValidationError(
                _("No delivery is planned on that date in %(where)s.") % {"where": where or _("any province")}
            )
        return cleaned
