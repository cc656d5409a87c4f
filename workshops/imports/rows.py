"""Check every row of an upload: what is wrong with it (in Persian, per column), or whether it is already there.

Pure apart from a handful of bulk reads (``selectors``): the preview calls it to show the rows, the confirmation
calls it again inside its transaction. A row is ``new`` (will be imported), ``present`` (the workshop or center is
already registered: left as it is) or ``error`` (with its messages).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.models import City, HealthCenterKind, Province, Role
from core.persian import normalize_text, to_latin_digits, ui_number

from . import selectors
from .files import (
    CAPACITY_PREFIX,
    HEALTH_CENTER_COLUMNS,
    HEALTH_CENTER_EXAMPLE,
    WORKSHOP_COLUMNS,
    WORKSHOP_EXAMPLE,
    Sheet,
    capacity_header,
)
from .forms import HealthCenterRowForm, WorkshopRowForm, row_form_data
from .models import ImportKind

NEW, PRESENT, ERROR = "new", "present", "error"

# How a health center's kind may be written: its Persian name, its English name or its code.
KIND_NAMES = {
    "بیمارستان": HealthCenterKind.HOSPITAL,
    "درمانگاه": HealthCenterKind.CLINIC,
    "کلینیک": HealthCenterKind.CLINIC,
    "خانه بهداشت": HealthCenterKind.HEALTH_HOUSE,
    "سایر": HealthCenterKind.OTHER,
    "hospital": HealthCenterKind.HOSPITAL,
    "clinic": HealthCenterKind.CLINIC,
    "health house": HealthCenterKind.HEALTH_HOUSE,
    "health_house": HealthCenterKind.HEALTH_HOUSE,
    "other": HealthCenterKind.OTHER,
}


@dataclass
class RowCheck:
    number: int
    name: str
    place: str
    status: str = NEW
    errors: list[str] = field(default_factory=list)
    values: dict = field(default_factory=dict)  # what the import needs, for a new row

    def refuse(self, message: str) -> None:
        self.status = ERROR
        self.errors.append(message)

    def as_result(self) -> dict:
        return {
            "number": self.number,
            "name": self.name,
            "place": self.place,
            "status": self.status,
            "errors": self.errors,
        }


def _key(text: str) -> str:
    return normalize_text(text).lower()


class Places:
    """Provinces and cities by the ways a row may name them; the actor's provinces."""

    def __init__(self, actor) -> None:
        provinces, cities = selectors.import_places()
        self.provinces: dict[str, Province] = {}
        for province in provinces:
            for name in (province.name_fa, province.name_en, province.code):
                self.provinces.setdefault(_key(name), province)
        self.cities: dict[tuple[int, str], City] = {}
        for city in cities:
            for name in (city.name_fa, city.name_en):
                if name:
                    self.cities.setdefault((city.province_id, _key(name)), city)
        self.in_scope = selectors.province_pks_in_scope(actor)

    def city(self, row: RowCheck, province_text: str, city_text: str) -> City | None:
        province = self.provinces.get(_key(province_text))
        if province is None:
            row.refuse(
                _("%(column)s: no province is called “%(value)s”.") % {"column": "استان", "value": province_text}
            )
            return None
        if province.pk not in self.in_scope:
            row.refuse(
                _("Province %(province)s is not one of yours; a coordinator of that province may import this row.")
                % {"province": province.name_fa}
            )
            return None
        city = self.cities.get((province.pk, _key(city_text)))
        if city is None:
            row.refuse(
                _(
                    "%(column)s: province %(province)s has no city called “%(value)s” "
                    "(a coordinator adds cities in the admin)."
                )
                % {"column": "شهر", "province": province.name_fa, "value": city_text}
            )
        return city


def _short(text: str, length: int = 60) -> str:
    text = normalize_text(text or "")
    return text if len(text) <= length else text[: length - 1] + "…"


def _missing(sheet: Sheet, headers: list[str]) -> None:
    missing = [header for header in headers if header not in sheet.headers]
    if missing:
        raise ValidationError(
            {"file": _("The file lacks the template's columns: %(columns)s.") % {"columns": "، ".join(missing)}}
        )


def check_rows(kind: str, sheet: Sheet, actor) -> list[RowCheck]:
    """Every row of ``sheet`` checked; ``ValidationError`` on ``file`` when the template's columns are missing."""
    if kind == ImportKind.WORKSHOPS:
        return _check_workshops(sheet, actor)
    return _check_health_centers(sheet, actor)


def _is_example(cells: dict[str, str], columns: dict[str, str], example: dict[str, str], fields: tuple) -> bool:
    """The template's example row, left in by mistake: importing it would register a stranger's number."""
    return all(
        _key(to_latin_digits(cells.get(columns[name], ""))) == _key(to_latin_digits(example[name])) for name in fields
    )


EXAMPLE_MESSAGE = gettext_lazy("This is the template's example row; delete it from the file.")


def _check_workshops(sheet: Sheet, actor) -> list[RowCheck]:
    products = selectors.import_products()
    _missing(sheet, list(WORKSHOP_COLUMNS.values()))
    known = {capacity_header(product.name_fa) for product in products}
    unknown = [header for header in sheet.headers if header.startswith(CAPACITY_PREFIX) and header not in known]
    if unknown:
        raise ValidationError(
            {
                "file": _("These capacity columns name no product on sale: %(columns)s.")
                % {"columns": "، ".join(unknown)}
            }
        )
    places = Places(actor)
    checks: list[RowCheck] = []
    for number, cells in sheet.rows:
        extra = {
            WorkshopRowForm.capacity_field(product): cells.get(capacity_header(product.name_fa), "")
            for product in products
        }
        form = WorkshopRowForm(row_form_data(WORKSHOP_COLUMNS, cells, extra), products=products)
        valid = form.is_valid()
        data = form.cleaned_data
        row = RowCheck(
            number=number,
            name=_short(data.get("name") or cells.get(WORKSHOP_COLUMNS["name"], "")),
            place=_short(f"{cells.get(WORKSHOP_COLUMNS['province'], '')} / {cells.get(WORKSHOP_COLUMNS['city'], '')}"),
        )
        for message in form.row_errors():
            row.refuse(message)
        if _is_example(cells, WORKSHOP_COLUMNS, WORKSHOP_EXAMPLE, ("mobile", "national_id")):
            row.refuse(str(EXAMPLE_MESSAGE))
        city = places.city(row, data["province"], data["city"]) if "province" in data and "city" in data else None
        if row.status == NEW and valid and city is not None:
            row.values = {
                **{name: data[name] for name in WORKSHOP_COLUMNS if name not in ("province", "city")},
                "city_pk": city.pk,
                "capacities": form.capacities(),
            }
        checks.append(row)
    _mark_known_workshops(checks)
    return checks


def _mark_known_workshops(checks: list[RowCheck]) -> None:
    """Rows whose workshop is registered already are ``present``; a second row of the same person is an error."""
    valid = [row for row in checks if row.status == NEW and row.values]
    registered = selectors.national_ids_registered(row.values["national_id"] for row in valid)
    accounts = selectors.accounts_by_mobile(row.values["mobile"] for row in valid)
    first_by_id: dict[str, int] = {}
    first_by_mobile: dict[str, int] = {}
    for row in valid:
        national_id, mobile = row.values["national_id"], row.values["mobile"]
        earlier = first_by_id.get(national_id) or first_by_mobile.get(mobile)
        first_by_id.setdefault(national_id, row.number)
        first_by_mobile.setdefault(mobile, row.number)
        role, has_workshop = accounts.get(mobile, (None, False))
        if national_id in registered or has_workshop:
            row.status = PRESENT
        elif earlier is not None:
            row.refuse(_("The same owner (national ID or mobile) is in row %(row)s.") % {"row": ui_number(earlier)})
        elif role is not None:
            row.refuse(
                _("This mobile number already has an account; its owner can register her workshop herself.")
                if role == Role.WORKSHOP_OWNER
                else _("This mobile number belongs to an account that is not a workshop owner's.")
            )


def _check_health_centers(sheet: Sheet, actor) -> list[RowCheck]:
    _missing(sheet, list(HEALTH_CENTER_COLUMNS.values()))
    places = Places(actor)
    checks: list[RowCheck] = []
    for number, cells in sheet.rows:
        form = HealthCenterRowForm(row_form_data(HEALTH_CENTER_COLUMNS, cells))
        valid = form.is_valid()
        data = form.cleaned_data
        row = RowCheck(
            number=number,
            name=_short(data.get("name") or cells.get(HEALTH_CENTER_COLUMNS["name"], "")),
            place=_short(
                f"{cells.get(HEALTH_CENTER_COLUMNS['province'], '')} / {cells.get(HEALTH_CENTER_COLUMNS['city'], '')}"
            ),
        )
        for message in form.row_errors():
            row.refuse(message)
        if _is_example(cells, HEALTH_CENTER_COLUMNS, HEALTH_CENTER_EXAMPLE, ("name", "phone")):
            row.refuse(str(EXAMPLE_MESSAGE))
        kind = KIND_NAMES.get(_key(data.get("kind") or ""))
        if data.get("kind") and kind is None:
            row.refuse(
                _("%(column)s: write one of: بیمارستان، درمانگاه، خانه بهداشت، سایر.")
                % {"column": HEALTH_CENTER_COLUMNS["kind"]}
            )
        city = places.city(row, data["province"], data["city"]) if "province" in data and "city" in data else None
        if row.status == NEW and valid and city is not None and kind is not None:
            row.values = {
                **{name: data[name] for name in HEALTH_CENTER_COLUMNS if name not in ("province", "city", "kind")},
                "kind": kind.value,
                "city_pk": city.pk,
            }
        checks.append(row)
    existing = selectors.health_centers_named(row.values["city_pk"] for row in checks if row.values)
    seen: dict[tuple[int, str], int] = {}
    for row in checks:
        if not row.values or row.status != NEW:
            continue
        key = (row.values["city_pk"], row.values["name"])
        if key in existing:
            row.status = PRESENT
        elif key in seen:
            row.refuse(_("The same health center is in row %(row)s.") % {"row": ui_number(seen[key])})
        else:
            seen[key] = row.number
    return checks
