"""core.widgets.FastSelect writes exactly the markup Django's Select templates write."""

import pytest
from django import forms
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from core.models import Province
from core.widgets import FastSelect

CHOICES = [
    ("", _("All")),
    ("a", "Plain"),
    ("b&c", "Tom & <Jerry>"),
    ("safe", mark_safe("<b>bold</b>")),
    (3, 3),
    ("فا", "فارسی"),
]
GROUPED = [("", "---"), ("Fruit", [("apple", "Apple"), ("pear", "Pear <x>")]), ("z", "Zed")]


def both(choices, name, value, attrs=None, widget_attrs=None):
    django_html = forms.Select(attrs=widget_attrs, choices=choices).render(name, value, attrs)
    fast_html = FastSelect(attrs=widget_attrs, choices=choices).render(name, value, attrs)
    return django_html, fast_html


@pytest.mark.parametrize("value", [None, "", "a", "b&c", "3", 3, "فا", "missing"])
def test_same_markup_as_django_select(value):
    django_html, fast_html = both(CHOICES, "status", value, attrs={"id": "id_status"})
    assert fast_html == django_html


def test_same_markup_with_groups_and_odd_attributes():
    attrs = {"id": "id_<x>", "required": True, "disabled": False, "data-x": 'a"b', "class": mark_safe("c&d")}
    for value in (None, "pear", "z"):
        django_html, fast_html = both(GROUPED, 'na"me', value, attrs=attrs, widget_attrs={"dir": "rtl"})
        assert fast_html == django_html


def test_marks_the_selected_option_and_keeps_the_empty_label():
    with translation.override("en"):
        html = FastSelect(choices=CHOICES).render("status", "a", {})
    assert '<option value="">All</option>' in html
    assert '<option value="a" selected>Plain</option>' in html
    assert "Tom &amp; &lt;Jerry&gt;" in html
    assert "<b>bold</b>" in html


@pytest.mark.django_db
def test_same_markup_for_a_model_choice_field_in_a_form():
    Province.objects.create(code="zz", name_fa="استان <آزمایش>", name_en="Test & Co")

    class Plain(forms.Form):
        province = forms.ModelChoiceField(Province.objects.order_by("pk"), empty_label="All", required=False)

    class Fast(forms.Form):
        province = forms.ModelChoiceField(
            Province.objects.order_by("pk"), empty_label="All", required=False, widget=FastSelect
        )

    pk = Province.objects.order_by("pk").last().pk
    for data in ({}, {"province": str(pk)}, {"province": "nonsense"}):
        assert str(Fast(data)["province"]) == str(Plain(data)["province"])


def test_subclass_with_its_own_template_is_rendered_by_django():
    class Custom(FastSelect):
        option_template_name = "django/forms/widgets/select_option.html"
        template_name = "django/forms/widgets/select.html"

    assert Custom(choices=CHOICES).render("s", "a") == forms.Select(choices=CHOICES).render("s", "a")
