"""Invisible direction controls never reach a stored name, address or note.

U+202E (right-to-left override) typed before ``flow`` makes a printed delivery
sheet read "wolf"; the marks, embeddings and isolates do similar things. Every
text field of every form in the project strips them, while ZWNJ, which Persian
spelling needs, is kept.
"""

import importlib
import pkgutil

import pytest
from django import forms
from django.core.exceptions import ValidationError

from core.forms import PersianCharField, PlainTextField
from core.persian import BIDI_CONTROLS, normalize_text

PROJECT_APPS = ("core", "workshops", "orders", "donors", "reports", "hamdeli")


def _project_form_classes() -> list[type[forms.BaseForm]]:
    for app in PROJECT_APPS:
        package = importlib.import_module(app)
        for module in pkgutil.walk_packages(package.__path__, prefix=f"{app}."):
            if ".migrations" in module.name or module.name.endswith(("wsgi", "asgi", "celery")):
                continue
            importlib.import_module(module.name)
    seen, stack = [], list(forms.BaseForm.__subclasses__())
    while stack:
        cls = stack.pop()
        stack.extend(cls.__subclasses__())
        if cls.__module__.split(".")[0] in PROJECT_APPS and cls not in seen:
            seen.append(cls)
    return seen


def _text_fields():
    for form_class in _project_form_classes():
        for name, field in getattr(form_class, "base_fields", {}).items():
            if type(field) is forms.CharField or isinstance(field, PlainTextField):
                if isinstance(field.widget, forms.PasswordInput):
                    continue  # a password is a secret compared byte for byte, never printed
                yield pytest.param(field, id=f"{form_class.__module__}.{form_class.__name__}.{name}")


def test_the_walk_finds_the_project_forms():
    names = {cls.__name__ for cls in _project_form_classes()}
    assert {"SignupForm", "WorkshopRegisterForm"} <= names


@pytest.mark.django_db
@pytest.mark.parametrize("field", list(_text_fields()))
def test_every_text_field_of_every_form_drops_direction_controls(field):
    typed = "\u202eflow\u200f" + "".join(BIDI_CONTROLS)
    try:
        cleaned = field.clean(typed)
    except ValidationError:
        return  # refusing the text is as good as cleaning it
    assert not set(cleaned) & set(BIDI_CONTROLS), repr(cleaned)


def test_vehicle_typed_with_a_right_to_left_override_is_stored_as_typed_letters():
    assert PersianCharField().clean("\u202eflow") == "flow"


def test_zero_width_non_joiner_of_persian_words_is_kept():
    assert normalize_text("می\u200cروم\u202c") == "می\u200cروم"
    assert PlainTextField().clean("\u2067کد\u200c۱۲\u2069") == "کد\u200c۱۲"


def test_model_text_fields_drop_direction_controls_in_services_too():
    from workshops.models import Workshop

    assert Workshop._meta.get_field("address").to_python("\u202eخیابان آزادی") == "خیابان آزادی"


@pytest.mark.django_db
def test_every_text_box_of_every_admin_page_drops_direction_controls(rf):
    from django.contrib import admin

    from tests import factories

    request = rf.get("/admin/")
    request.user = factories.UserFactory(is_superuser=True, is_staff=True)
    checked = 0
    for model, model_admin in admin.site._registry.items():
        if type(model_admin).__module__.split(".")[0] not in PROJECT_APPS:
            continue  # Django's own (groups): not typed by our users
        form = model_admin.get_form(request)
        for name, field in form.base_fields.items():
            if not isinstance(field, forms.CharField) or isinstance(field.widget, forms.PasswordInput):
                continue
            if isinstance(field, forms.EmailField | forms.URLField | forms.SlugField | forms.RegexField):
                continue  # their own validators refuse the control characters
            try:
                cleaned = field.clean("\u202eflow")
                cleaned = model._meta.get_field(name).clean(cleaned, None)  # what full_clean stores
            except ValidationError:
                continue  # refused: as good as cleaned
            assert "\u202e" not in cleaned, f"{model.__name__}.{name}"
            checked += 1
    assert checked


def test_a_text_too_long_is_refused_in_persian_with_persian_digits():
    from django import forms as django_forms
    from django.utils import translation

    from core.forms import PersianCharField

    class NoteForm(django_forms.Form):
        note = PersianCharField(max_length=300)

    with translation.override("fa"):
        form = NoteForm({"note": "ب" * 3000})
        assert not form.is_valid()
        message = form.errors["note"][0]
    assert "۳۰۰" in message and "۳٬۰۰۰" in message
    assert not any(digit in message for digit in "0123456789")
