"""Forms of the workshop owner's pages: a few fields per screen, Persian digits everywhere.

The forms only check what was typed; the services in ``workshops.services``
make the changes and enforce the rules.
"""

from __future__ import annotations

from itertools import groupby

from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from core.bounds import MAX_DAILY_UNITS, MAX_PEOPLE_OR_MACHINES
from core.forms import JalaliDateField, LocalizedIntegerField, MobileNumberField, NumericTextInput, PersianCharField
from core.models import City, Product, User

from .calendar import WEEK_ORDER, WEEKDAY_NAMES, weekdays_from_mask
from .models import Workshop, WorkshopUnavailability


class CityChoiceIterator(forms.models.ModelChoiceIterator):
    """Cities grouped by province (``<optgroup>`` per province), sorted in the language shown."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        cities = sorted(self.queryset.select_related("province"), key=lambda c: (c.province.name, c.name))
        for province, group in groupby(cities, key=lambda c: c.province):
            yield (province.name, [self.choice(city) for city in group])

    def __len__(self):
        return self.queryset.values("province").distinct().count() + (1 if self.field.empty_label is not None else 0)


class CityChoiceField(forms.ModelChoiceField):
    """One select for the city; the province is derived from it, so no JavaScript is needed."""

    iterator = CityChoiceIterator

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", City.objects.all())
        kwargs.setdefault("empty_label", _("Choose your city"))
        super().__init__(**kwargs)

    def label_from_instance(self, obj: City) -> str:
        return obj.name


class SignupForm(forms.Form):
    """Step 1: the owner's own account (mobile number, name, password)."""

    mobile = MobileNumberField(
        label=_("Mobile number"),
        help_text=_("You will log in with this number."),
    )
    full_name = PersianCharField(
        label=capfirst(User._meta.get_field("full_name").verbose_name),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Type the same password again, to be sure."),
    )

    ALREADY_REGISTERED = "already_registered"
    ALREADY_REGISTERED_MESSAGE = _("This mobile number is already registered. Log in with it instead.")

    def clean_mobile(self):
        mobile = self.cleaned_data["mobile"]
        if User.objects.filter(mobile=mobile).exists():
            raise ValidationError(self.ALREADY_REGISTERED_MESSAGE, code=self.ALREADY_REGISTERED)
        return mobile

    @property
    def mobile_already_registered(self) -> bool:
        return self.has_error("mobile", self.ALREADY_REGISTERED)

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("The two passwords are not the same."))
        elif password1:
            candidate = User(mobile=cleaned.get("mobile") or "", full_name=cleaned.get("full_name") or "")
            try:
                password_validation.validate_password(password1, user=candidate)
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned


def _model_label(field: str):
    return capfirst(Workshop._meta.get_field(field).verbose_name)


class WorkshopRegisterForm(forms.ModelForm):
    """Step 2: who and where the workshop is."""

    city = CityChoiceField(label=_("City"), help_text=_("Cities are grouped by province."))

    class Meta:
        model = Workshop
        fields = ["name", "national_id", "city", "address", "is_woman_head_of_household"]
        help_texts = {
            "national_id": _("The ten digits on your national card."),
            "is_woman_head_of_household": _(
                "Optional and private: only your provincial coordinators see it, never donors or the public."
            ),
        }
        widgets = {"address": forms.Textarea(attrs={"rows": 3, "autocomplete": "street-address"})}


class BankForm(forms.ModelForm):
    """Step 3: where the money goes and how big the workshop is."""

    sewing_machines = LocalizedIntegerField(
        label=_model_label("sewing_machines"),
        min_value=0,
        max_value=MAX_PEOPLE_OR_MACHINES,
        widget=NumericTextInput(attrs={"placeholder": _("e.g. 3")}),
    )
    workers = LocalizedIntegerField(
        label=_model_label("workers"),
        min_value=1,
        max_value=MAX_PEOPLE_OR_MACHINES,
        help_text=_("People who sew, including yourself."),
        widget=NumericTextInput(attrs={"placeholder": _("e.g. 3")}),
    )
    # In the sign-up the boxes start empty: the model's default 1 was never typed by her, and a
    # pre-filled "1" turns a typed ۳ into ۱۳ or ۳۱. The profile page shows what she saved.
    prefill_size = False

    class Meta:
        model = Workshop
        fields = ["sheba", "sewing_machines", "workers", "public_name_consent"]
        help_texts = {
            "sheba": _(
                "IR followed by 24 digits, as your bank gives it. You may leave it empty for now, "
                "but we need it before we can pay you."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.prefill_size:
            for name in ("sewing_machines", "workers"):
                self.initial.pop(name, None)


class ProfileForm(WorkshopRegisterForm, BankForm):
    """Every profile field on one page, for later changes."""

    prefill_size = True

    class Meta:
        model = Workshop
        fields = [*WorkshopRegisterForm.Meta.fields, *BankForm.Meta.fields]
        help_texts = {**WorkshopRegisterForm.Meta.help_texts, **BankForm.Meta.help_texts}
        widgets = WorkshopRegisterForm.Meta.widgets


class CapacityForm(forms.Form):
    """Units per day for each active product, and the working weekdays."""

    weekdays = forms.TypedMultipleChoiceField(
        label=_("Working days"),
        coerce=int,
        choices=[(day, WEEKDAY_NAMES[day]) for day in WEEK_ORDER],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one working day.")},
    )

    def __init__(self, *args, workshop: Workshop, **kwargs):
        super().__init__(*args, **kwargs)
        self.products = list(Product.objects.filter(is_active=True))
        rates = workshop.daily_rates()
        for product in self.products:
            self.fields[self.product_field(product)] = LocalizedIntegerField(
                label=product.name,
                required=False,
                min_value=0,
                max_value=MAX_DAILY_UNITS,
                initial=rates.get(product.pk),
            )
        self.fields["weekdays"].initial = weekdays_from_mask(workshop.working_weekdays)

    @staticmethod
    def product_field(product: Product) -> str:
        return f"product_{product.pk}"

    def product_fields(self):
        return [self[self.product_field(product)] for product in self.products]

    def rates(self) -> list[tuple[Product, int | None]]:
        return [(product, self.cleaned_data.get(self.product_field(product))) for product in self.products]


class UnavailabilityForm(forms.Form):
    start_date = JalaliDateField(label=capfirst(WorkshopUnavailability._meta.get_field("start_date").verbose_name))
    end_date = JalaliDateField(
        label=capfirst(WorkshopUnavailability._meta.get_field("end_date").verbose_name),
        help_text=_("The last day you do not work."),
    )
    reason = PersianCharField(
        label=capfirst(WorkshopUnavailability._meta.get_field("reason").verbose_name),
        required=False,
        max_length=200,
        help_text=_("Optional, for example: travel, illness, holidays."),
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date must not be before the start date."))
        return cleaned
