"""The national coordinator declares how severe the crisis is; the level in force is worked out one way."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from core.models import AuditLog, City
from crisis.importing import parse_severity_file
from crisis.models import SeverityDeclaration, SeverityLevel
from crisis.selectors import level_of_city, levels_by_province, severity_board
from crisis.services import severity_declare, severity_import
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 7)


@pytest.fixture
def national():
    return factories.CoordinatorFactory(is_national=True)


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args: TODAY)


def test_a_province_is_white_until_declared_and_a_new_level_keeps_the_old_one_in_the_history(national):
    khuzestan = factories.province("khuzestan")
    assert levels_by_province().get(khuzestan.pk, SeverityLevel.WHITE) == SeverityLevel.WHITE

    severity_declare(actor=national, province=khuzestan, level=SeverityLevel.ORANGE, effective_from=TODAY)
    severity_declare(actor=national, province=khuzestan, level=SeverityLevel.RED, effective_from=TODAY)

    assert levels_by_province()[khuzestan.pk] == SeverityLevel.RED
    assert SeverityDeclaration.objects.filter(province=khuzestan).count() == 2
    entry = AuditLog.objects.filter(action="severity.declare").order_by("-id").first()
    assert entry.changes["level"] == [SeverityLevel.ORANGE, SeverityLevel.RED]


def test_a_level_declared_for_next_week_is_not_in_force_today(national):
    tehran = factories.province("tehran")
    severity_declare(actor=national, province=tehran, level=SeverityLevel.RED, effective_from=TODAY + dt.timedelta(7))
    assert levels_by_province().get(tehran.pk) is None
    assert levels_by_province(TODAY + dt.timedelta(7))[tehran.pk] == SeverityLevel.RED


def test_a_city_is_the_higher_of_its_own_level_and_its_provinces(national):
    khuzestan = factories.province("khuzestan")
    ahvaz = factories.capital("khuzestan")
    severity_declare(actor=national, province=khuzestan, city=ahvaz, level=SeverityLevel.RED, effective_from=TODAY)
    severity_declare(actor=national, province=khuzestan, level=SeverityLevel.YELLOW, effective_from=TODAY)
    assert level_of_city(ahvaz) == SeverityLevel.RED
    other_city = City.objects.filter(province=khuzestan).exclude(pk=ahvaz.pk).first() or ahvaz
    if other_city != ahvaz:
        assert level_of_city(other_city) == SeverityLevel.YELLOW
    row = next(row for row in severity_board() if row.province == khuzestan)
    assert row.level == SeverityLevel.YELLOW and [city for city, _ in row.raised_cities] == [ahvaz]


def test_the_same_declaration_sent_twice_is_recorded_once(national):
    tehran = factories.province("tehran")
    first, created = severity_declare(actor=national, province=tehran, level=SeverityLevel.RED, effective_from=TODAY)
    again, created_again = severity_declare(
        actor=national, province=tehran, level=SeverityLevel.RED, effective_from=TODAY
    )
    assert created and not created_again and first == again


def test_a_provincial_coordinator_may_not_declare_a_level():
    with pytest.raises(PermissionDenied):
        severity_declare(
            actor=factories.CoordinatorFactory(),
            province=factories.province("tehran"),
            level=SeverityLevel.RED,
            effective_from=TODAY,
        )


def test_a_city_of_another_province_and_a_date_far_back_are_refused(national):
    with pytest.raises(ValidationError) as city_error:
        severity_declare(
            actor=national,
            province=factories.province("tehran"),
            city=factories.capital("fars"),
            level=SeverityLevel.RED,
            effective_from=TODAY,
        )
    assert "city" in city_error.value.message_dict
    with pytest.raises(ValidationError) as date_error:
        severity_declare(
            actor=national,
            province=factories.province("tehran"),
            level=SeverityLevel.RED,
            effective_from=TODAY - dt.timedelta(days=90),
        )
    assert "effective_from" in date_error.value.message_dict


CSV = "استان,شهر,سطح,از تاریخ,توضیح\nتهران,,نارنجی,۱۴۰۵/۰۹/۱۶,\nkhuzestan,,red,2026-12-07,<b>flood</b>\n"


def test_a_spreadsheet_declares_every_row_and_the_same_file_twice_changes_nothing(national):
    rows, errors = parse_severity_file(("\ufeff" + CSV).encode(), "levels.csv")
    assert errors == []
    assert severity_import(actor=national, rows=rows) == (2, 0)
    assert severity_import(actor=national, rows=parse_severity_file(CSV.encode(), "levels.csv")[0]) == (0, 2)
    levels = levels_by_province()
    assert levels[factories.province("tehran").pk] == SeverityLevel.ORANGE
    assert levels[factories.province("khuzestan").pk] == SeverityLevel.RED
    assert SeverityDeclaration.objects.get(province__code="khuzestan").note == "<b>flood</b>"


def test_a_spreadsheet_with_a_bad_row_names_the_row_and_declares_nothing(client, national):
    bad = CSV + "نیست‌جا,,قرمز,۱۴۰۵/۰۹/۱۶,\nفارس,,بنفش,۱۴۰۵/۰۹/۱۶,\nفارس,,قرمز,۱۴۰۵/۱۳/۴۰,\n"
    client.force_login(national)
    response = client.post(reverse("severity:import"), {"file": _upload("bad.csv", bad.encode())})
    page = response.content.decode()
    assert SeverityDeclaration.objects.count() == 0
    assert "۵" in page and "۶" in page and "۷" in page  # rows 5, 6 and 7, in Persian digits
    assert "بنفش" in page


def test_the_national_coordinator_declares_a_level_from_the_page_in_persian_digits(client, national):
    client.force_login(national)
    tehran = factories.province("tehran")
    response = client.post(
        reverse("severity:board"),
        {"province": tehran.pk, "level": SeverityLevel.RED, "effective_from": "۱۴۰۵/۰۹/۱۶", "note": "موج دوم"},
        follow=True,
    )
    assert levels_by_province()[tehran.pk] == SeverityLevel.RED
    page = response.content.decode()
    assert "severity-red" in page and "موج دوم" in page
    assert reverse("severity:board") in client.get(reverse("home")).content.decode()  # in her menu


def test_a_provincial_coordinator_does_not_see_the_page_or_its_menu_link(client):
    client.force_login(factories.CoordinatorFactory())
    assert client.get(reverse("severity:board")).status_code == 403
    assert reverse("severity:board") not in client.get(reverse("home")).content.decode()


def test_the_template_downloads_with_persian_headers(client, national):
    client.force_login(national)
    response = client.get(reverse("severity:template"))
    assert response["Content-Type"].startswith("text/csv")
    assert "استان" in response.content.decode("utf-8-sig")


def _upload(name: str, content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="text/csv")


def test_the_template_declares_nothing_by_itself(national):
    from crisis.importing import TEMPLATE_CSV

    rows, errors = parse_severity_file(TEMPLATE_CSV.encode(), "crisis-severity.csv")
    assert rows == [] and errors  # "the file has no rows under its header"
    assert SeverityDeclaration.objects.count() == 0
