"""The sales an owner records herself: what she types, the rules of the service, and who may see or remove them."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from core import jalali
from core.models import AuditLog
from sales.forms import SaleRecordForm
from sales.models import SaleChannel, SaleRecord
from sales.services import sale_delete, sale_record
from tests import factories

pytestmark = pytest.mark.django_db


def record(workshop, **overrides):
    values = {
        "workshop": workshop,
        "actor": workshop.owner,
        "sold_on": timezone.localdate(),
        "units": 20,
        "amount_rials": 4_000_000,
        "channel": SaleChannel.MARKETPLACE,
        "idempotency_key": uuid.uuid4(),
        "product_text": "ماسک پارچه‌ای",
    }
    return sale_record(**(values | overrides))


def form_data(**overrides) -> dict:
    data = {
        "sold_on": jalali.format_short(timezone.localdate(), persian=True),
        "channel": SaleChannel.SHOWCASE,
        "product": "",
        "product_text": "روپوش",
        "units": "۱۲",
        "amount_rials": "۲٬۵۰۰٬۰۰۰",
        "note": "",
        "idempotency_key": str(uuid.uuid4()),
    }
    return data | overrides


def test_the_form_reads_persian_digits_and_thousands_separators_in_units_amount_and_date():
    form = SaleRecordForm(data=form_data(amount_rials="۱۲,۵۰۰,۰۰۰", units="٣٠"))

    assert form.is_valid(), form.errors
    assert form.cleaned_data["amount_rials"] == 12_500_000
    assert form.cleaned_data["units"] == 30
    assert form.cleaned_data["sold_on"] == timezone.localdate()


def test_an_amount_above_the_projects_limit_is_refused_by_the_form():
    form = SaleRecordForm(data=form_data(amount_rials="۱" + "۰" * 14))

    assert not form.is_valid()
    assert "amount_rials" in form.errors


def test_a_sale_is_recorded_in_her_workshop_and_in_the_audit_log():
    workshop = factories.WorkshopFactory()

    sale, created = record(workshop)

    assert created
    assert (sale.workshop, sale.units, sale.amount_rials, sale.recorded_by) == (workshop, 20, 4_000_000, workshop.owner)
    assert AuditLog.objects.filter(action="sale.record", object_id=str(sale.pk)).exists()


def test_a_sale_dated_tomorrow_is_refused():
    workshop = factories.WorkshopFactory()

    with pytest.raises(ValidationError) as refused:
        record(workshop, sold_on=timezone.localdate() + dt.timedelta(days=1))

    assert "sold_on" in refused.value.message_dict
    assert not SaleRecord.objects.exists()


def test_a_sale_dated_more_than_a_year_ago_is_refused():
    workshop = factories.WorkshopFactory()

    with pytest.raises(ValidationError) as refused:
        record(workshop, sold_on=timezone.localdate() - dt.timedelta(days=400))

    assert "sold_on" in refused.value.message_dict


def test_a_sale_needs_a_product_or_words_and_at_least_one_unit():
    workshop = factories.WorkshopFactory()

    with pytest.raises(ValidationError) as no_product:
        record(workshop, product_text="  ")
    with pytest.raises(ValidationError) as no_units:
        record(workshop, units=0)

    assert "product" in no_product.value.message_dict
    assert "units" in no_units.value.message_dict


def test_a_product_from_the_list_is_recorded_without_her_words():
    workshop = factories.WorkshopFactory()

    sale, _created = record(workshop, product=factories.product(), product_text="ignored")

    assert sale.product == factories.product()
    assert sale.product_text == ""


def test_the_same_form_sent_twice_records_the_sale_once():
    workshop = factories.WorkshopFactory()
    key = uuid.uuid4()

    first, created_first = record(workshop, idempotency_key=key)
    second, created_second = record(workshop, idempotency_key=key)

    assert (created_first, created_second) == (True, False)
    assert first == second
    assert SaleRecord.objects.count() == 1


def test_a_double_click_on_the_page_records_the_sale_once(client_for):
    workshop = factories.WorkshopFactory()
    client = client_for(workshop.owner)
    data = form_data()

    for _click in range(2):
        response = client.post(reverse("my-listing:sales"), data)
        assert response.status_code == 302

    assert SaleRecord.objects.filter(workshop=workshop).count() == 1
    page = client.get(reverse("my-listing:sales")).content.decode()
    assert "۲٬۵۰۰٬۰۰۰" in page


def test_an_owner_without_a_published_listing_may_record_sales(client_for):
    workshop = factories.WorkshopFactory()  # no listing at all

    response = client_for(workshop.owner).post(reverse("my-listing:sales"), form_data())

    assert response.status_code == 302
    assert SaleRecord.objects.filter(workshop=workshop).exists()


def test_a_future_date_typed_on_the_page_is_shown_next_to_the_date(client_for):
    workshop = factories.WorkshopFactory()
    tomorrow = jalali.format_short(timezone.localdate() + dt.timedelta(days=1), persian=True)

    response = client_for(workshop.owner).post(reverse("my-listing:sales"), form_data(sold_on=tomorrow))

    assert response.status_code == 200
    assert "sold_on" in response.context["form"].errors
    assert not SaleRecord.objects.exists()


def test_another_owners_sale_is_not_found_and_stays(client_for):
    sale = factories.SaleRecordFactory()
    stranger = factories.WorkshopFactory()

    response = client_for(stranger.owner).post(reverse("my-listing:sale-delete", args=[sale.pk]))

    assert response.status_code == 404
    assert SaleRecord.objects.filter(pk=sale.pk).exists()
    with pytest.raises(PermissionDenied):
        sale_delete(record=sale, actor=stranger.owner)


def test_she_does_not_see_another_owners_sales_on_her_page(client_for):
    factories.SaleRecordFactory(product_text="پیش‌بند همسایه")
    mine = factories.WorkshopFactory()

    page = client_for(mine.owner).get(reverse("my-listing:sales")).content.decode()

    assert "پیش‌بند همسایه" not in page


def test_she_removes_a_sale_on_the_day_she_recorded_it(client_for):
    workshop = factories.WorkshopFactory()
    sale, _created = record(workshop)

    response = client_for(workshop.owner).post(reverse("my-listing:sale-delete", args=[sale.pk]))

    assert response.status_code == 302
    assert not SaleRecord.objects.filter(pk=sale.pk).exists()
    assert AuditLog.objects.filter(action="sale.delete", object_id=str(sale.pk)).exists()


def test_a_sale_recorded_on_an_earlier_day_cannot_be_removed():
    workshop = factories.WorkshopFactory()
    sale, _created = record(workshop)
    SaleRecord.objects.filter(pk=sale.pk).update(created_at=timezone.now() - dt.timedelta(days=2))
    sale.refresh_from_db()

    with pytest.raises(ValidationError):
        sale_delete(record=sale, actor=workshop.owner)

    assert SaleRecord.objects.filter(pk=sale.pk).exists()


def test_a_coordinator_cannot_record_a_sale_for_a_workshop(coordinator):
    workshop = factories.WorkshopFactory()

    with pytest.raises(PermissionDenied):
        record(workshop, actor=coordinator)


def test_her_showcase_page_links_to_her_sales(client_for):
    workshop = factories.WorkshopFactory()

    page = client_for(workshop.owner).get(reverse("my-listing:edit")).content.decode()

    assert reverse("my-listing:sales") in page
