"""The allocation desk's form: which of her provinces a run plans for."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.models import Province
from core.scoping import sees_all_provinces
from core.selectors import province_codes_of, provinces_in_scope


class AllocationScopeForm(forms.Form):
    province = forms.ModelChoiceField(
        label=_("Provinces"), queryset=Province.objects.none(), required=False, empty_label=_("All my provinces")
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].queryset = provinces_in_scope(user)

    def province_codes(self, user) -> list[str]:
        """The run's scope: one province, or all of hers (empty list = the whole country)."""
        if self.cleaned_data["province"] is not None:
            return [self.cleaned_data["province"].code]
        if sees_all_provinces(user):
            return []
        return province_codes_of(user)
