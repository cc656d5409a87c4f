"""Tables of core pages, and the columns and view helpers every list page shares."""

from functools import partial

import django_tables2 as tables
from django.core.paginator import Paginator
from django.utils.translation import gettext_lazy as _

from .library_seams import fill_cached_property
from .models import HealthCenter
from .templatetags.persian import num


class ColumnClassesMixin:
    """Every header and cell also gets the class ``col-<column name>``, which the phone layout hides or stacks by."""

    def get_column_class_names(self, classes_set, bound_column):
        return {*super().get_column_class_names(classes_set, bound_column), f"col-{bound_column.name}"}


class NumberColumn(tables.Column):
    """A whole number: thousands-grouped with Persian digits on the page, plain in exports.

    Its cells have the class ``num``, which app.css keeps on one line: a figure never breaks mid-number.
    """

    def __init__(self, *args, attrs=None, **kwargs):
        attrs = dict(attrs or {})
        td = dict(attrs.get("td", {}))
        td["class"] = " ".join(filter(None, [td.get("class", ""), "num"]))
        attrs["td"] = td
        super().__init__(*args, attrs=attrs, **kwargs)

    def render(self, value):
        return num(value)

    def value(self, value):
        return value


class KnownCountPaginator(Paginator):
    """A paginator told how many rows there are, so it does not count them again."""

    def __init__(self, object_list, per_page, *args, count: int, **kwargs):
        super().__init__(object_list, per_page, *args, **kwargs)
        fill_cached_property(self, "count", count)


class CountOnceMixin:
    """For ``SingleTableMixin`` + ``FilterView`` lists with ``paginate_by``: one COUNT query, not two.

    ``MultipleObjectMixin`` paginates the filtered rows first (that is what
    answers 404 for a page past the end), then the table paginates the same
    rows again and would count them a second time. The count is the same
    (sorting does not change it), so the table's paginator is given it.
    Must come before ``SingleTableMixin`` in the bases.
    """

    def paginate_queryset(self, queryset, page_size):
        paginator, page, object_list, is_paginated = super().paginate_queryset(queryset, page_size)
        self._row_count = paginator.count
        return paginator, page, object_list, is_paginated

    def get_table_pagination(self, table):
        paginate = super().get_table_pagination(table)
        count = getattr(self, "_row_count", None)
        # Only in place of Django's plain Paginator (MultipleObjectMixin.paginator_class), never of a custom one.
        if isinstance(paginate, dict) and count is not None and paginate.get("paginator_class", Paginator) is Paginator:
            paginate["paginator_class"] = partial(KnownCountPaginator, count=count)
        return paginate


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
