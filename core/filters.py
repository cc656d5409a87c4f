import django_filters
from django.utils.translation import gettext_lazy as _

from .models import City, HealthCenter, HealthCenterKind, Province
from .scoping import scope_by_province


class HealthCenterFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(label=_("Name"), lookup_expr="icontains")
    province = django_filters.ModelChoiceFilter(
        label=_("Province"), queryset=Province.objects.none(), empty_label=_("All")
    )
    city = django_filters.ModelChoiceFilter(label=_("City"), queryset=City.objects.none(), empty_label=_("All"))
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=HealthCenterKind.choices, empty_label=_("All"))

    class Meta:
        model = HealthCenter
        fields = ["name", "province", "city", "kind"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        user = request.user
        provinces = scope_by_province(Province.objects.all(), user, field="pk")
        self.filters["province"].queryset = provinces
        self.filters["city"].queryset = City.objects.filter(province__in=provinces).select_related("province")
