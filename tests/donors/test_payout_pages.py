"""The coordinator's payout pages and the workshop owner's payouts page."""

import csv
import datetime as dt
import importlib
import io

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from core.jalali import format_short
from core.persian import to_persian_digits
from core.validators import sheba_with_check_digits
from donors.models import EntryKind, LedgerEntry
from payouts.forms import last_jalali_month
from payouts.models import PayoutBatch, PayoutBatchStatus, PayoutLine
from payouts.services import payout_batch_create, payout_batch_mark_paid

from .. import factories
from .test_payout_batches import fund, pick_up

SHEBA = "IR820540102680020817909002"


@pytest.fixture
def period():
    return last_jalali_month()


@pytest.fixture
def quota(coordinator, period):
    """30 units accepted last month in a Tehran order that can pay them; the workshop has a Sheba."""
    quota = factories.QuotaFactory(quantity=100, workshop__name="کارگاه مهر", workshop__sheba=SHEBA)
    fund(quota.order, 60_000_000, coordinator)
    pick_up(quota, 30, period[0] + dt.timedelta(days=2), coordinator)
    return quota


@pytest.fixture
def batch(coordinator, quota, period):
    return payout_batch_create(period_start=period[0], period_end=period[1], actor=coordinator)


def fa(value) -> str:
    return to_persian_digits(value)


def test_the_list_shows_batches_of_her_provinces_with_persian_numbers(client_for, coordinator, batch):
    response = client_for(coordinator).get(reverse("payouts:list"))
    assert response.status_code == 200
    assert batch.number in response.text  # codes are Latin everywhere (issue 14); figures are Persian
    assert "۶۰۰٬۰۰۰" in response.text  # 30 units × 20,000 rials


def test_a_coordinator_of_another_province_sees_neither_the_batch_in_the_list_nor_its_page(
    client_for, other_coordinator, batch
):
    client = client_for(other_coordinator)
    assert batch.number not in client.get(reverse("payouts:list")).text
    assert client.get(reverse("payouts:detail", args=[batch.pk])).status_code == 404
    assert client.get(reverse("payouts:bank-csv", args=[batch.pk])).status_code == 404
    response = client.post(reverse("payouts:action", args=[batch.pk, "cancel"]), {"cancel-reason": "نه"})
    assert response.status_code == 404


def test_owners_get_403_and_visitors_the_login_page(client, client_for, owner, batch):
    assert client.get(reverse("payouts:list")).status_code == 302
    assert client_for(owner).get(reverse("payouts:detail", args=[batch.pk])).status_code == 403


def test_the_list_exports_csv_with_formulas_escaped(client_for, coordinator, batch):
    payout_batch_mark_paid(batch=batch, bank_reference="=HYPERLINK(1)", paid_on=dt.date.today(), actor=coordinator)
    response = client_for(coordinator).get(reverse("payouts:list"), {"_export": "csv"})
    text = response.content.decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in text
    assert batch.number in text
    xlsx = client_for(coordinator).get(reverse("payouts:list"), {"_export": "xlsx"})
    assert xlsx.status_code == 200
    assert xlsx.content.startswith(b"PK")


def test_the_new_batch_form_defaults_to_last_month_and_previews_what_it_would_include(
    client_for, coordinator, quota, period
):
    client = client_for(coordinator)
    page = client.get(reverse("payouts:create"))
    assert format_short(period[0]) in page.text  # Persian digits
    data = {"period_start": format_short(period[0]), "period_end": format_short(period[1]), "preview": "1"}
    response = client.post(reverse("payouts:create"), data)
    assert response.status_code == 200
    assert "کارگاه مهر" in response.text
    assert not PayoutBatch.objects.exists()


def test_creating_a_batch_with_persian_digits_opens_it_with_sheba_units_and_rials(
    client_for, coordinator, quota, period
):
    client = client_for(coordinator)
    data = {"period_start": format_short(period[0]), "period_end": format_short(period[1])}
    response = client.post(reverse("payouts:create"), data, follow=True)
    batch = PayoutBatch.objects.get()
    assert response.redirect_chain[-1][0] == reverse("payouts:detail", args=[batch.pk])
    assert fa(SHEBA[2:]) in response.text
    assert "کارگاه مهر" in response.text
    assert "۶۰۰٬۰۰۰" in response.text
    assert format_short(period[1]) in response.text


def test_an_empty_period_is_refused_on_the_form(client_for, coordinator, quota, period):
    earlier = period[0] - dt.timedelta(days=90)
    data = {"period_start": format_short(earlier), "period_end": format_short(earlier + dt.timedelta(days=5))}
    response = client_for(coordinator).post(reverse("payouts:create"), data)
    assert response.status_code == 200
    assert not PayoutBatch.objects.exists()
    assert "form-errors" in response.text


def test_the_batch_page_says_which_units_wait_for_money(client_for, coordinator, period):
    quota = factories.QuotaFactory(quantity=100)
    fund(quota.order, 200_000, coordinator)  # 10 units
    pick_up(quota, 25, period[0], coordinator)
    batch = payout_batch_create(period_start=period[0], period_end=period[1], actor=coordinator)
    response = client_for(coordinator).get(reverse("payouts:detail", args=[batch.pk]))
    assert 'data-testid="payout-waiting"' in response.text
    assert quota.order.number in response.text  # codes are Latin everywhere
    assert "۱۵" in response.text  # the 15 units that wait


def test_the_batch_page_says_a_workshop_without_a_sheba_number_waits_for_it(client_for, coordinator, quota, period):
    no_account = factories.QuotaFactory(
        order=quota.order, quantity=100, workshop__name="کارگاه نور", workshop__sheba=""
    )
    pick_up(no_account, 12, period[0], coordinator)
    batch = payout_batch_create(period_start=period[0], period_end=period[1], actor=coordinator)

    response = client_for(coordinator).get(reverse("payouts:detail", args=[batch.pk]))

    assert "۱۲ عدد از کارگاه نور در انتظار پرداخت است: این کارگاه شماره شبا ثبت نکرده است" in response.text
    assert batch.lines.get().workshop == quota.workshop


def test_marking_paid_with_a_jalali_date_in_persian_digits_pays_once(client_for, coordinator, batch):
    client = client_for(coordinator)
    today = format_short(dt.date.today())
    url = reverse("payouts:action", args=[batch.pk, "pay"])
    response = client.post(url, {"pay-bank_reference": "۱۲۳۴۵", "pay-paid_on": today}, follow=True)
    batch.refresh_from_db()
    assert batch.status == PayoutBatchStatus.PAID
    assert batch.bank_reference == "12345"
    assert 'data-testid="batch-reference"><bdi class="doc-code" dir="ltr">12345<' in response.text  # a code: Latin
    client.post(url, {"pay-bank_reference": "999", "pay-paid_on": today})
    assert LedgerEntry.objects.filter(kind=EntryKind.PAYOUT).count() == 1


def test_marking_paid_without_a_reference_shows_the_error_and_changes_nothing(client_for, coordinator, batch):
    url = reverse("payouts:action", args=[batch.pk, "pay"])
    response = client_for(coordinator).post(url, {"pay-bank_reference": "", "pay-paid_on": ""})
    assert response.status_code == 200
    batch.refresh_from_db()
    assert batch.status == PayoutBatchStatus.DRAFT
    assert not LedgerEntry.objects.filter(kind=EntryKind.PAYOUT).exists()


def test_cancelling_a_batch_needs_a_reason(client_for, coordinator, batch):
    client = client_for(coordinator)
    url = reverse("payouts:action", args=[batch.pk, "cancel"])
    client.post(url, {"cancel-reason": ""})
    batch.refresh_from_db()
    assert batch.status == PayoutBatchStatus.DRAFT
    client.post(url, {"cancel-reason": "دوره اشتباه"})
    batch.refresh_from_db()
    assert batch.status == PayoutBatchStatus.CANCELLED


def test_the_bank_csv_has_one_row_per_workshop_with_sheba_and_escaped_names(client_for, coordinator, quota, period):
    quota.workshop.name = "=SUM(A1)"
    quota.workshop.save(update_fields=["name"])
    batch = payout_batch_create(period_start=period[0], period_end=period[1], actor=coordinator)
    response = client_for(coordinator).get(reverse("payouts:bank-csv", args=[batch.pk]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][0] == SHEBA
    assert rows[1][2] == "'=SUM(A1)"
    assert rows[1][3] == "600000"
    assert rows[1][5] == batch.number


def test_the_owner_sees_her_payouts_paid_on_a_jalali_date_with_the_reference(client_for, coordinator, batch):
    owner = batch.lines.get().workshop.owner
    payout_batch_mark_paid(batch=batch, bank_reference="REF-7788", paid_on=dt.date(2026, 11, 26), actor=coordinator)
    response = client_for(owner).get(reverse("my-payouts:list"))
    assert response.status_code == 200
    assert "۵ آذر ۱۴۰۵" in response.text
    assert ">REF-7788</bdi>" in response.text  # the bank's reference, as she would quote it to the bank
    assert "۶۰۰٬۰۰۰" in response.text


def test_the_owner_sees_a_draft_as_waiting_and_only_her_own_lines(client_for, coordinator, batch, period):
    owner = batch.lines.get().workshop.owner
    response = client_for(owner).get(reverse("my-payouts:list"))
    assert 'data-testid="owner-waiting">۶۰۰٬۰۰۰' in response.text
    stranger = factories.WorkshopFactory().owner
    other = client_for(stranger).get(reverse("my-payouts:list"))
    assert 'data-testid="owner-batch"' not in other.text
    assert client_for(coordinator).get(reverse("my-payouts:list")).status_code == 403


def test_the_owners_earnings_page_links_to_her_payouts(client_for, batch):
    owner = batch.lines.get().workshop.owner
    response = client_for(owner).get(reverse("quotas:history"))
    assert reverse("my-payouts:list") in response.text


def test_paying_a_cancelled_batch_says_why_nothing_happened(client_for, coordinator, batch):
    client = client_for(coordinator)
    client.post(reverse("payouts:action", args=[batch.pk, "cancel"]), {"cancel-reason": "دوره اشتباه"})
    today = format_short(dt.date.today())
    url = reverse("payouts:action", args=[batch.pk, "pay"])
    response = client.post(url, {"pay-bank_reference": "R1", "pay-paid_on": today})
    with translation.override("fa"):
        assert gettext("A cancelled payout batch cannot be marked paid.") in response.text
    assert not LedgerEntry.objects.filter(kind=EntryKind.PAYOUT).exists()


# --- The Sheba a batch paid ---------------------------------------------------------------------------------

NEW_SHEBA = sheba_with_check_digits("0540102680020817900001")


def bank_rows(client, batch) -> list[list[str]]:
    response = client.get(reverse("payouts:bank-csv", args=[batch.pk]))
    assert response.content.startswith("\ufeff".encode())  # Excel reads Persian names only with the BOM
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_bank_csv_of_a_paid_batch_shows_the_sheba_that_was_paid_after_the_workshop_changes_it(
    client_for, coordinator, batch
):
    payout_batch_mark_paid(batch=batch, bank_reference="BANK-1", paid_on=timezone.localdate(), actor=coordinator)
    workshop = batch.lines.get().workshop
    workshop.sheba = NEW_SHEBA
    workshop.save(update_fields=["sheba"])
    client = client_for(coordinator)
    assert bank_rows(client, batch)[1][0] == SHEBA
    page = client.get(reverse("payouts:detail", args=[batch.pk])).content.decode()
    assert NEW_SHEBA not in page


def test_a_draft_batch_warns_when_a_workshop_changed_its_sheba_since_the_batch_was_made(client_for, coordinator, batch):
    workshop = batch.lines.get().workshop
    workshop.sheba = NEW_SHEBA
    workshop.save(update_fields=["sheba"])
    page = client_for(coordinator).get(reverse("payouts:detail", args=[batch.pk])).content.decode()
    assert 'data-testid="sheba-changed"' in page


def test_the_data_migration_fills_existing_lines_with_the_workshops_current_sheba(coordinator, quota, period):
    batch = payout_batch_create(period_start=period[0], period_end=period[1], actor=coordinator)
    PayoutLine.objects.filter(batch=batch).update(sheba="")
    migration = importlib.import_module("donors.migrations.0008_payoutline_sheba")
    migration.fill_sheba_from_workshops(apps, None)
    assert batch.lines.get().sheba == SHEBA
