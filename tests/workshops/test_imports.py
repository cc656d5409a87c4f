"""A coordinator imports workshops and health centers from a spreadsheet: checked per row, imported once, invited."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
import tablib
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from core.models import AuditLog, HealthCenter, Notification, Role, User
from core.notifications import backends
from core.persian import to_latin_digits
from core.validators import national_id_with_check_digit
from orders.models import OrderStatus
from production.services.allocation import allocation_preview
from production.services.quotas import quota_offer
from workshops.imports.files import (
    MAX_FILE_BYTES,
    MAX_ROWS,
    WORKSHOP_COLUMNS,
    capacity_header,
    read_sheet,
    template_headers,
)
from workshops.imports.models import DirectoryImport, ImportKind
from workshops.imports.rows import ERROR, NEW, check_rows
from workshops.imports.services import (
    directory_import_confirm,
    directory_import_request,
    directory_preview,
    directory_upload,
)
from workshops.models import Workshop, WorkshopStatus

from .. import factories

pytestmark = pytest.mark.django_db

MASK = "ماسک جراحی سه‌لایه"


@pytest.fixture(autouse=True)
def outbox():
    backends.outbox.clear()
    yield backends.outbox
    backends.outbox.clear()


def workshop_row(**overrides) -> dict[str, str]:
    row = {
        "province": "تهران",
        "city": "تهران",
        "name": "خیاطی کریمی",
        "full_name": "مریم کریمی",
        "mobile": "۰۹۱۲۱۲۳۴۵۶۷",
        "national_id": "۰۰۱۳۵۴۲۴۱۹",
        "address": "تهران، خیابان آزادی، کوچه ۱۲",
        "sheba": "IR820540102680020817909002",
        "sewing_machines": "۳",
        "workers": "۱۲",
        "mask": "۲۰۰",
    }
    return row | overrides


def workshop_file(*rows: dict[str, str], file_format: str = "csv") -> bytes:
    data = tablib.Dataset()
    data.headers = [*WORKSHOP_COLUMNS.values(), capacity_header(MASK)]
    for row in rows:
        data.append([row[name] for name in WORKSHOP_COLUMNS] + [row["mask"]])
    return data.export("xlsx") if file_format == "xlsx" else data.export("csv").encode("utf-8")


def center_file(*rows: tuple[str, ...]) -> bytes:
    data = tablib.Dataset()
    data.headers = template_headers(ImportKind.HEALTH_CENTERS, [])
    for row in rows:
        data.append(list(row))
    return data.export("csv").encode("utf-8")


def checked(actor, content: bytes, file_name: str = "workshops.csv", kind: str = ImportKind.WORKSHOPS):
    return check_rows(kind, read_sheet(content, file_name), actor)


def imported(actor, content: bytes, *, kind=ImportKind.WORKSHOPS, file_name="workshops.csv"):
    upload = directory_upload(actor=actor, kind=kind, file_name=file_name, content=content)
    return directory_import_confirm(actor=actor, upload=upload, sha256=upload.file_sha256)


# --- Rows checked --------------------------------------------------------------------------------------------


def test_a_row_typed_with_persian_and_arabic_digits_is_ready_to_import(coordinator):
    (row,) = checked(coordinator, workshop_file(workshop_row(workers="١٢", sewing_machines="۳")))
    assert (row.status, row.errors) == (NEW, [])
    assert row.values["mobile"] == "09121234567"
    assert row.values["national_id"] == "0013542419"
    assert (row.values["workers"], row.values["sewing_machines"]) == (12, 3)
    assert row.values["capacities"] == [(factories.product().pk, 200)]


def test_a_spreadsheet_that_dropped_the_leading_zeros_still_reads_the_mobile_and_national_id(coordinator):
    content = workshop_file(workshop_row(mobile="9121234567", national_id="13542419"), file_format="xlsx")
    (row,) = checked(coordinator, content, "workshops.xlsx")
    assert row.status == NEW
    assert (row.values["mobile"], row.values["national_id"]) == ("09121234567", "0013542419")


def test_a_wrong_national_id_checksum_is_a_row_error_naming_its_column(coordinator):
    (row,) = checked(coordinator, workshop_file(workshop_row(national_id="۰۰۱۳۵۴۲۴۱۸")))
    assert row.status == ERROR
    assert any(message.startswith("کد ملی مالک: ") for message in row.errors), row.errors


def test_a_wrong_sheba_checksum_is_a_row_error(coordinator):
    (row,) = checked(coordinator, workshop_file(workshop_row(sheba="IR820540102680020817909003")))
    assert row.status == ERROR
    assert any(message.startswith("شماره شبا: ") for message in row.errors), row.errors


def test_a_mobile_that_is_not_a_mobile_and_a_fractional_worker_count_are_row_errors(coordinator):
    (row,) = checked(coordinator, workshop_file(workshop_row(mobile="۰۲۱۶۶۰۰۰۰۰۰", workers="۲٫۵")))
    columns = sorted(message.split(":")[0] for message in row.errors)
    assert columns == ["تعداد نیروی کار", "موبایل مالک"]


def test_a_city_unknown_in_the_province_is_a_row_error(coordinator):
    (row,) = checked(coordinator, workshop_file(workshop_row(city="اصفهان")))
    assert row.status == ERROR
    assert "اصفهان" in row.errors[0] and "تهران" in row.errors[0]


def test_a_row_of_another_province_is_refused_to_a_provincial_coordinator_but_not_to_the_national_one(
    coordinator, national_coordinator
):
    content = workshop_file(workshop_row(province="اصفهان", city="اصفهان"))
    (row,) = checked(coordinator, content)
    assert row.status == ERROR and "اصفهان" in row.errors[0]
    (row,) = checked(national_coordinator, content)
    assert row.status == NEW


def test_the_same_owner_twice_in_one_file_is_an_error_on_the_second_row(coordinator):
    first, second = checked(coordinator, workshop_file(workshop_row(), workshop_row(name="دومی")))
    assert (first.status, second.status) == (NEW, ERROR)


def test_html_bidi_controls_and_a_3000_character_cell_never_crash(coordinator):
    rows = checked(
        coordinator,
        workshop_file(
            workshop_row(name="<script>alert(1)</script>\u202eکارگاه"),
            workshop_row(
                mobile="09121234568", national_id=national_id_with_check_digit("001354242"), address="آ" * 3000
            ),
        ),
    )
    assert rows[0].status == NEW and rows[0].values["name"] == "<script>alert(1)</script>کارگاه"
    assert rows[1].status == ERROR and rows[1].errors[0].startswith("نشانی: ")


# --- Files -----------------------------------------------------------------------------------------------------


def test_a_csv_saved_in_windows_1256_reads_like_utf8(coordinator):
    # Windows-1256 has the Arabic yeh (ي) and Latin digits, not the Persian yeh and digits.
    text = to_latin_digits(workshop_file(workshop_row()).decode("utf-8")).replace("ی", "ي")
    (row,) = checked(coordinator, text.encode("cp1256"))
    assert row.status == NEW and row.values["name"] == "خیاطی کریمی"


def test_a_csv_with_a_byte_order_mark_reads_its_first_header(coordinator):
    (row,) = checked(coordinator, "\ufeff".encode() + workshop_file(workshop_row()))
    assert row.status == NEW


@pytest.mark.parametrize(
    ("content", "file_name"),
    [(b"%PDF-1.4", "list.pdf"), (b"not a zip", "list.xlsx"), (b"\x00\x01binary", "list.csv")],
)
def test_a_file_that_is_not_a_spreadsheet_is_refused_with_a_clear_message(coordinator, content, file_name):
    with pytest.raises(ValidationError) as refused:
        directory_upload(actor=coordinator, kind=ImportKind.WORKSHOPS, file_name=file_name, content=content)
    assert refused.value.message_dict["file"]
    assert not DirectoryImport.objects.exists()


def test_a_small_xlsx_that_unpacks_to_a_huge_one_is_refused_before_it_is_read(coordinator):
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (60 * 1024 * 1024))
    assert len(packed.getvalue()) < MAX_FILE_BYTES
    with pytest.raises(ValidationError):
        read_sheet(packed.getvalue(), "bomb.xlsx")


def test_a_file_above_the_row_limit_is_refused(coordinator):
    data = tablib.Dataset(headers=["استان"])
    for _ in range(MAX_ROWS + 1):
        data.append(["تهران"])
    with pytest.raises(ValidationError):
        read_sheet(data.export("csv").encode(), "big.csv")


def test_a_file_without_the_template_columns_is_refused_at_upload(coordinator):
    with pytest.raises(ValidationError) as refused:
        directory_upload(actor=coordinator, kind=ImportKind.WORKSHOPS, file_name="x.csv", content=b"a,b\n1,2\n")
    assert "کد ملی مالک" in refused.value.message_dict["file"][0]


# --- Import ------------------------------------------------------------------------------------------------------


def test_an_imported_workshop_is_pending_with_an_owner_who_has_no_usable_password(coordinator):
    outcome = imported(coordinator, workshop_file(workshop_row()))
    assert (outcome.created, outcome.present, outcome.errors) == (1, 0, 0)
    workshop = Workshop.objects.get(national_id="0013542419")
    assert workshop.status == WorkshopStatus.PENDING
    assert (workshop.workers, workshop.sewing_machines, workshop.province.code) == (12, 3, "tehran")
    assert workshop.daily_rates() == {factories.product().pk: 200}
    owner = workshop.owner
    assert (owner.mobile, owner.role, owner.has_usable_password()) == ("09121234567", Role.WORKSHOP_OWNER, False)
    assert AuditLog.objects.filter(action="directory_import.confirm").exists()


def test_the_same_file_imported_twice_changes_nothing_and_reports_the_rows_already_present(coordinator):
    content = workshop_file(workshop_row(), workshop_row(national_id="123", mobile="09120000099"))
    first = imported(coordinator, content)
    before = (Workshop.objects.count(), User.objects.count(), Notification.objects.count())
    second = imported(coordinator, content)
    assert (first.created, first.errors) == (1, 1)
    assert (second.created, second.present, second.errors) == (0, 1, 1)
    assert (Workshop.objects.count(), User.objects.count(), Notification.objects.count()) == before


def test_the_owner_is_invited_by_one_sms_even_when_her_row_is_imported_again(
    coordinator, outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        imported(coordinator, workshop_file(workshop_row()))
    with django_capture_on_commit_callbacks(execute=True):
        imported(coordinator, workshop_file(workshop_row(mobile="09121234567")), file_name="again.csv")
    (message,) = outbox
    assert message.to == "09121234567"
    assert "خیاطی کریمی" in message.text and reverse("password_reset") in message.text


def test_the_invited_owner_sets_her_password_with_the_reset_code(
    coordinator, client, outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        imported(coordinator, workshop_file(workshop_row()))
    outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("password_reset"), {"mobile": "09121234567"})
    (code_message,) = outbox
    code = to_latin_digits("".join(ch for ch in code_message.text if ch.isdigit()))[:6]
    client.post(
        reverse("password_reset_code"),
        {"mobile": "09121234567", "code": code, "new_password1": "sew-gowns-1405", "new_password2": "sew-gowns-1405"},
    )
    assert User.objects.get(mobile="09121234567").check_password("sew-gowns-1405")


def test_an_imported_workshop_gets_no_quota_until_it_is_verified(coordinator):
    imported(coordinator, workshop_file(workshop_row()))
    workshop = Workshop.objects.get(national_id="0013542419")
    order = factories.OrderFactory(
        quantity=300,
        status=OrderStatus.FUNDED,
        needed_by=timezone.localdate() + dt.timedelta(days=30),
        health_center=factories.HealthCenterFactory(),
    )
    factories.fund_order(order)
    assert not allocation_preview(provinces=None).plan.allocations
    with pytest.raises(ValidationError):
        quota_offer(order=order, workshop=workshop, quantity=10, due_date=order.needed_by, actor=coordinator)


def test_the_confirmation_checks_the_rows_again(coordinator):
    upload = directory_upload(
        actor=coordinator, kind=ImportKind.WORKSHOPS, file_name="w.csv", content=workshop_file(workshop_row())
    )
    factories.WorkshopFactory(national_id="0013542419")  # signed up herself meanwhile
    outcome = directory_import_confirm(actor=coordinator, upload=upload, sha256=upload.file_sha256)
    assert (outcome.created, outcome.present) == (0, 1)


def test_a_confirmation_with_another_fingerprint_imports_nothing(coordinator):
    upload = directory_upload(
        actor=coordinator, kind=ImportKind.WORKSHOPS, file_name="w.csv", content=workshop_file(workshop_row())
    )
    with pytest.raises(ValidationError):
        directory_import_confirm(actor=coordinator, upload=upload, sha256="0" * 64)
    assert not Workshop.objects.filter(national_id="0013542419").exists()


def test_a_confirmed_import_runs_once_in_the_background_even_when_queued_twice(
    coordinator, django_capture_on_commit_callbacks
):
    upload = directory_upload(
        actor=coordinator, kind=ImportKind.WORKSHOPS, file_name="w.csv", content=workshop_file(workshop_row())
    )
    with django_capture_on_commit_callbacks(execute=False) as queued:
        directory_import_request(actor=coordinator, upload=upload, sha256=upload.file_sha256)
        directory_import_request(actor=coordinator, upload=upload, sha256=upload.file_sha256)
    assert not Workshop.objects.filter(national_id="0013542419").exists()  # nothing before the worker runs
    for callback in queued:
        callback()
    upload.refresh_from_db()
    assert upload.result["created"] == 1 and Workshop.objects.filter(national_id="0013542419").count() == 1
    with pytest.raises(ValidationError):
        directory_import_request(actor=coordinator, upload=upload, sha256=upload.file_sha256)


def test_only_the_uploader_may_import_her_file(coordinator, national_coordinator):
    upload = directory_upload(
        actor=coordinator, kind=ImportKind.WORKSHOPS, file_name="w.csv", content=workshop_file(workshop_row())
    )
    with pytest.raises(ValidationError):
        directory_import_request(actor=national_coordinator, upload=upload, sha256=upload.file_sha256)


def test_health_centers_are_imported_once_matched_by_name_in_their_city(coordinator):
    content = center_file(
        ("تهران", "تهران", "بیمارستان سینا", "بیمارستان", "خیابان امام", "۰۲۱۶۶۳۴۸۵۰۰", "دکتر رضایی"),
        ("تهران", "تهران", "درمانگاه نور", "مطب", "خیابان آزادی", "02166000000", "خانم نوری"),
    )
    first = imported(coordinator, content, kind=ImportKind.HEALTH_CENTERS, file_name="centers.csv")
    second = imported(coordinator, content, kind=ImportKind.HEALTH_CENTERS, file_name="centers.csv")
    assert (first.created, first.errors) == (1, 1)
    assert (second.created, second.present) == (0, 1)
    center = HealthCenter.objects.get(name="بیمارستان سینا")
    assert (center.kind, center.phone, center.province.code) == ("hospital", "02166348500", "tehran")


def test_the_preview_after_import_lists_what_became_of_each_row(coordinator):
    upload = directory_upload(
        actor=coordinator, kind=ImportKind.WORKSHOPS, file_name="w.csv", content=workshop_file(workshop_row())
    )
    assert [row.status for row in directory_preview(actor=coordinator, upload=upload)] == [NEW]
    directory_import_confirm(actor=coordinator, upload=upload, sha256=upload.file_sha256)
    upload.refresh_from_db()
    assert upload.result["rows"][0]["status"] == NEW and bytes(upload.content) == b""


# --- Pages -------------------------------------------------------------------------------------------------------


def test_the_coordinator_downloads_the_template_uploads_previews_and_confirms(
    client_for, coordinator, django_capture_on_commit_callbacks
):
    client = client_for(coordinator)
    assert reverse("workshops:imports:upload") in client.get(reverse("supply:workshop-list")).text
    xlsx = client.get(reverse("workshops:imports:template", kwargs={"kind": "workshops", "fmt": "xlsx"}))
    sheet = read_sheet(xlsx.content, "template.xlsx")
    assert sheet.headers[:3] == ["استان", "شهر", "نام کارگاه"] and capacity_header(MASK) in sheet.headers
    (example,) = checked(coordinator, xlsx.content, "template.xlsx")
    assert (example.status, len(example.errors)) == (ERROR, 1)  # the example row, left in, is refused
    csv = client.get(reverse("workshops:imports:template", kwargs={"kind": "health-centers", "fmt": "csv"}))
    assert csv.content.startswith("\ufeff".encode()) and "نام مرکز" in csv.content.decode("utf-8")

    content = workshop_file(workshop_row(), workshop_row(national_id="۱۲۳", mobile="09120000099"))
    page = client.post(
        reverse("workshops:imports:upload"),
        {"kind": "workshops", "file": _upload("list.csv", content)},
        follow=True,
    )
    assert "خیاطی کریمی" in page.text and "کد ملی مالک" in page.text
    upload = DirectoryImport.objects.get()
    with django_capture_on_commit_callbacks(execute=True):  # the import task runs when the request commits
        client.post(reverse("workshops:imports:confirm", kwargs={"pk": upload.pk}), {"sha256": upload.file_sha256})
    assert Workshop.objects.filter(national_id="0013542419", status=WorkshopStatus.PENDING).exists()
    page = client.get(reverse("workshops:imports:preview", kwargs={"pk": upload.pk}))
    assert "درون‌ریزی شد" in page.text and 'data-testid="confirm-import"' not in page.text


def test_another_provinces_coordinator_cannot_open_or_confirm_an_upload_and_an_owner_is_refused(
    client, coordinator, other_coordinator
):
    upload = directory_upload(
        actor=coordinator, kind=ImportKind.WORKSHOPS, file_name="w.csv", content=workshop_file(workshop_row())
    )
    client.force_login(other_coordinator)
    assert client.get(reverse("workshops:imports:preview", kwargs={"pk": upload.pk})).status_code == 404
    confirm = reverse("workshops:imports:confirm", kwargs={"pk": upload.pk})
    assert client.post(confirm, {"sha256": upload.file_sha256}).status_code == 404
    client.force_login(factories.WorkshopFactory().owner)
    assert client.get(reverse("workshops:imports:upload")).status_code == 403
    assert client.post(confirm, {"sha256": upload.file_sha256}).status_code == 403
    assert not Workshop.objects.filter(national_id="0013542419").exists()


def test_an_upload_that_is_not_a_spreadsheet_shows_a_persian_error(client_for, coordinator):
    page = client_for(coordinator).post(
        reverse("workshops:imports:upload"), {"kind": "workshops", "file": _upload("list.pdf", b"%PDF-1.4")}
    )
    assert page.status_code == 200
    assert "CSV" in page.text and not DirectoryImport.objects.exists()


def test_the_preview_shows_row_errors_in_persian_and_a_cell_with_html_as_text(client_for, coordinator):
    content = workshop_file(
        workshop_row(name="<b>کارگاه</b>"), workshop_row(mobile="09120000099", national_id="۰۰۱۳۵۴۲۴۱۸")
    )
    page = client_for(coordinator).post(
        reverse("workshops:imports:upload"), {"kind": "workshops", "file": _upload("list.csv", content)}, follow=True
    )
    assert "&lt;b&gt;کارگاه&lt;/b&gt;" in page.text and "<b>کارگاه" not in page.text
    assert "کد ملی مالک: این کد ملی معتبر نیست" in page.text
    assert "درون‌ریزی ۱ ردیف" in page.text


def _upload(name: str, content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)
