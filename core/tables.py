"""Tables of core pages, and the columns every list page shares."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from .models import HealthCenter
from .templatetags.persian import num


class NumberColumn(tables.Column):
    """A whole number: thousands-grouped with Persian digits on the page, plain in exports."""

    def render(self, value):
        return num(value)

    def value(self, value):
        return value


class HealthCenterTable(tables.Table):
    name = tables.Column(verbose_name=_("Name"), linkify=lambda record: record.get_absolute_url())
    kind = tables.Column(verbose_name=_("Kind"))
    province = tables.Column(verbose_name=_("Province"), order_by=("province__name_fa",))
    city = tables.Column(verbose_name=_("City"), order_by=("city__name_fa",))
    contact_person = tables.Column(verbose_name=_("Contact person"))
    phone = tables.TemplateColumn("{{ value|digits }}", verbose_name=_("Phone"))

    class Meta:
        model = HealthCenter
        fields = ["name", "kind", "province", "city", "contact_person", "phone"]
        attrs = {"class": "table"}
