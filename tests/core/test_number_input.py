"""Numbers people type: one parser, one set of bounds, Persian digits in what the site says back."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from core.bounds import MAX_RIALS, MAX_UNIT_PRICE_RIALS, MAX_UNITS, MIN_PLEDGE_RIALS
from core.forms import JalaliDateField, LocalizedDecimalField, LocalizedIntegerField, MobileNumberField
from core.models import Product, Role
from donors.forms.donor import PledgeForm
from donors.services.pledges import pledge_create
from orders.forms import OrderForm
from orders.models import Order, OrderStatus
from orders.services import order_approve, order_create
from production.forms.owner import OutputReportForm

from .. import factories


def errors_of(field, typed, language="fa") -> str:
    with translation.override(language):
        with pytest.raises(ValidationError) as excinfo:
            field.clean(typed)
        return " ".join(excinfo.value.messages)


@pytest.mark.parametrize("typed", ["۱۲٫۵", "12.5", "۱۲/۵", "١٢٫٥"])
def test_a_decimal_in_a_count_of_units_is_refused_not_read_as_ten_times_more(typed):
    field = OutputReportForm.base_fields["quantity"]
    message = errors_of(field, typed)
    assert "ممیز" in message
    assert "whole number" in errors_of(field, typed, "en")


def test_order_quantity_refuses_a_decimal_mark_too():
    assert "ممیز" in errors_of(OrderForm.base_fields["quantity"], "۱۲٫۵")


@pytest.mark.parametrize("typed", ["۱۲٬۵۰۰", "12,500", "12 500", "١٢،٥٠٠", "12500"])
def test_thousands_grouped_with_any_separator_are_one_number(typed):
    assert LocalizedIntegerField().clean(typed) == 12_500


@pytest.mark.parametrize("typed", ["1,2,3", "12,50", "۱۲٬۵۰۰۰", ",500", "500,"])
def test_separators_that_do_not_group_thousands_are_refused(typed):
    assert "12,500" in errors_of(LocalizedIntegerField(), typed, "en")


def test_a_twenty_digit_quantity_is_refused_naming_the_maximum_in_persian_digits():
    message = errors_of(OrderForm.base_fields["quantity"], "92233720368547758070")
    assert "۱۰٬۰۰۰٬۰۰۰" in message
    assert "9223" not in message and "۹۲۲۳" not in message


def test_one_unit_above_the_maximum_is_refused_and_the_maximum_itself_accepted():
    field = OrderForm.base_fields["quantity"]
    assert field.clean("۱۰٬۰۰۰٬۰۰۰") == MAX_UNITS
    assert "۱۰٬۰۰۰٬۰۰۰" in errors_of(field, "10000001")


def test_every_number_box_has_a_ceiling_even_when_its_form_set_none():
    assert "10,000,000,000,000" in errors_of(LocalizedIntegerField(), "1" + "0" * 14, "en")


def test_minimum_messages_show_persian_digits_on_the_persian_site():
    message = errors_of(LocalizedIntegerField(min_value=0), "-5")
    assert "۰" in message and "0" not in message


def test_a_pledge_below_the_minimum_is_refused_with_the_minimum_in_persian_digits():
    form = PledgeForm(data={"amount_rials": "۱۲۰"})
    with translation.override("fa"):
        assert not form.is_valid()
        assert "۱۰٬۰۰۰" in form.errors["amount_rials"][0]
    assert PledgeForm(data={"amount_rials": "۱۰٬۰۰۰"}).is_valid()


def test_a_pledge_above_ten_to_the_thirteen_rials_is_refused():
    assert not PledgeForm(data={"amount_rials": str(MAX_RIALS + 1)}).is_valid()


@pytest.mark.django_db
def test_the_pledge_service_refuses_less_than_the_minimum_too():
    order = factories.OrderFactory(status=OrderStatus.OPEN)
    with translation.override("en"), pytest.raises(ValidationError, match="smallest pledge is 10,000"):
        pledge_create(donor=factories.DonorFactory(), order=order, amount_rials=MIN_PLEDGE_RIALS - 1)


@pytest.mark.django_db
def test_the_order_service_refuses_a_quantity_above_the_maximum(coordinator):
    with pytest.raises(ValidationError) as excinfo:
        order_create(
            health_center=factories.HealthCenterFactory(),
            product=factories.product(),
            quantity=9_223_372_036_854_775_807,
            needed_by=timezone.localdate() + dt.timedelta(days=30),
            created_by=coordinator,
        )
    assert "quantity" in excinfo.value.message_dict
    assert not Order.objects.exists()


@pytest.mark.django_db
def test_the_dashboard_and_order_pages_render_with_the_largest_order_allowed_approved_and_funded(
    national_coordinator, client_for
):
    # A million rials a unit times ten million units: exactly the largest order value allowed.
    Product.objects.filter(pk=factories.product().pk).update(unit_cost_rials=10**6, piece_rate_rials=10**6)
    staff = factories.HealthCenterStaffFactory()
    order = order_create(
        health_center=staff.health_center,
        product=factories.product(),
        quantity=MAX_UNITS,
        needed_by=timezone.localdate() + dt.timedelta(days=30),
        created_by=staff,
    )
    order_approve(order=order, actor=national_coordinator)
    order = factories.fund_order(order)  # the whole budget, MAX_RIALS, in one confirmed pledge
    assert order.budget_rials == MAX_RIALS
    client = client_for(national_coordinator)
    for url in (
        reverse("reports:dashboard"),
        reverse("orders:list"),
        reverse("orders:detail", args=[order.pk]),
        reverse("donations:pledge-list"),
    ):
        assert client.get(url).status_code == 200, url
    assert client_for(factories.UserFactory(role=Role.DONOR)).get(reverse("giving:board")).status_code == 200


@pytest.mark.django_db
def test_an_order_worth_more_than_the_maximum_is_refused_naming_the_units_it_may_have(coordinator):
    Product.objects.filter(pk=factories.product().pk).update(unit_cost_rials=10**7, piece_rate_rials=10**6)
    with translation.override("fa"), pytest.raises(ValidationError) as excinfo:
        order_create(
            health_center=factories.HealthCenterFactory(),
            product=factories.product(),
            quantity=MAX_UNITS,
            needed_by=timezone.localdate() + dt.timedelta(days=30),
            created_by=coordinator,
        )
    with translation.override("fa"):
        assert "۱٬۰۰۰٬۰۰۰ عدد" in " ".join(excinfo.value.message_dict["quantity"])
    assert not Order.objects.exists()


@pytest.mark.django_db
def test_a_product_cannot_cost_more_than_a_billion_rials_a_unit():
    product = factories.product()
    product.unit_cost_rials = product.piece_rate_rials = MAX_UNIT_PRICE_RIALS + 1
    with pytest.raises(ValidationError) as excinfo:
        product.full_clean()
    assert {"unit_cost_rials", "piece_rate_rials"} <= set(excinfo.value.message_dict)


@pytest.mark.parametrize("typed", ["9121234567x", "0912abc1234567", "۰۹۱۲۱۲۳۴۵۶۷ب"])
def test_mobile_numbers_with_letters_are_refused_not_stripped(typed):
    assert "09121234567" in errors_of(MobileNumberField(), typed, "en")


def test_a_day_after_the_end_of_mehr_says_mehr_has_thirty_days():
    assert "مهر ۳۰ روز دارد" in errors_of(JalaliDateField(), "۱۴۰۵/۰۷/۳۱")
    assert "Mehr has 30 days" in errors_of(JalaliDateField(), "1405/07/31", "en")


def test_esfand_thirtieth_of_a_common_year_says_it_has_29_days():
    message = errors_of(JalaliDateField(), "1404/12/30", "en")
    assert "Esfand 1404 has 29 days" in message
    assert "Esfand 1403 has 30 days" in errors_of(JalaliDateField(), "1403/12/31", "en")


def test_number_boxes_show_their_value_in_persian_digits_on_the_persian_site():
    with translation.override("fa"):
        html = LocalizedIntegerField().widget.render("units", 1200)
        decimal_html = LocalizedDecimalField().widget.render("minutes", "1.5")
    assert 'value="۱۲۰۰"' in html
    assert 'value="۱٫۵"' in decimal_html
    assert LocalizedIntegerField().clean("۱۲۰۰") == 1200
    with translation.override("en"):
        assert 'value="1200"' in LocalizedIntegerField().widget.render("units", 1200)
