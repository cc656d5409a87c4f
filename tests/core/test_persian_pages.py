"""What the Persian pages say: digits, signs and separators of the language, figures that never break,
and scroll boxes a keyboard can reach (core/templatetags/persian.py, django_tables2/hamdeli.html)."""

import re

from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from core.persian import to_persian_digits

from .. import factories

PAGE = 25  # rows per page of the health-center list


def render(text: str, language: str = "fa", **context) -> str:
    with translation.override(language):
        return Template(text).render(Context(context))


def test_the_table_pager_shows_persian_page_numbers_and_arrows_that_point_the_way_the_page_reads(
    client_for, coordinator
):
    for _ in range(PAGE * 2 + 1):
        factories.HealthCenterFactory()
    html = client_for(coordinator).get(reverse("core:healthcenter-list"), {"page": 2}).content.decode()
    pager = html[html.index('class="pagination') :]
    numbers = re.findall(r'class="page-link"[^>]*>\s*([^<\s]+)\s*<', pager)
    assert numbers and all(not re.search(r"[0-9]", number) for number in numbers), numbers
    assert "۲" in numbers
    # RTL: "previous" sits on the right, so its arrow points right; "next" points left.
    assert re.search(r"&rarr;</span>\s*قبلی", pager) and re.search(r"بعدی\s*<span aria-hidden=\"true\">&larr;", pager)


def test_the_english_pager_keeps_latin_digits_and_left_pointing_previous(client_for, coordinator):
    for _ in range(PAGE * 2 + 1):
        factories.HealthCenterFactory()
    client = client_for(coordinator)
    client.cookies["hamdeli_language"] = "en"
    html = client.get(reverse("core:healthcenter-list"), {"page": 2}).content.decode()
    pager = html[html.index('class="pagination') :]
    assert re.search(r'class="page-link"[^>]*>\s*2\s*<', pager)
    assert re.search(r"&larr;</span>\s*previous", pager)
    assert re.search(r"next\s*<span aria-hidden=\"true\">&rarr;", pager)


def test_table_scroll_boxes_can_be_reached_and_named_for_keyboard_users(client_for, coordinator):
    factories.HealthCenterFactory()
    html = client_for(coordinator).get(reverse("core:healthcenter-list")).content.decode()
    assert re.search(r'class="table-container table-scroll" tabindex="0" role="region" aria-label="[^"]+"', html)


def test_percent_uses_the_persian_percent_sign_in_persian():
    assert render("{{ n|percent }}", n=45) == '<span class="num">۴۵٪</span>'
    assert render("{{ n|percent }}", "en", n=45) == '<span class="num">45%</span>'


def test_places_are_joined_with_the_persian_comma_in_persian():
    assert render("{% places a b %}", a="تهران", b="تهران") == "تهران، تهران"
    assert render("{% places a b %}", "en", a="Tehran", b="Tehran") == "Tehran, Tehran"


def test_codes_are_latin_in_a_left_to_right_isolate_in_both_languages():
    expected = '<bdi class="doc-code" dir="ltr">ORD-1405-000123</bdi>'
    assert render("{{ c|code }}", c="ORD-۱۴۰۵-000123") == expected
    assert render("{{ c|code }}", "en", c="ORD-1405-000123") == expected


def test_the_separator_between_items_is_never_a_middle_dot_beside_persian_digits():
    assert render("{{ a|num }}{% sep %}{{ b|num }}", a=11, b=2) == "۱۱، ۲"


def test_a_sheet_batch_downloads_under_the_jalali_date_people_planned_it_for(client_for, coordinator):
    import datetime as dt

    from fulfilment.tasks import batch_file_name, sheet_batch_render, sheet_batch_start

    day = dt.date(2026, 12, 1)  # 10 Azar 1405
    factories.DeliveryLineFactory(delivery__planned_date=day, delivery__created_by=coordinator)
    batch = sheet_batch_start(user=coordinator, planned_date=day)
    sheet_batch_render(batch.pk)
    response = client_for(coordinator).get(reverse("sheets:batch-download", args=[batch.pk]))
    response.close()
    assert 'filename="sheets-1405-09-10-' in response["Content-Disposition"]
    assert batch_file_name(batch).startswith("sheets-1405-09-10-")


def test_the_receivers_form_isolates_the_order_code_and_separates_the_quantity_with_a_persian_comma(client_for, db):
    from fulfilment.models import DeliveryStatus

    line = factories.DeliveryLineFactory(units=165, delivery__status=DeliveryStatus.DISPATCHED)
    staff = factories.HealthCenterStaffFactory(health_center=line.delivery.health_center)
    html = client_for(staff).get(reverse("receiving:center-confirm", args=[line.delivery.pk])).content.decode()
    number = line.quota.order.number
    # In a right-to-left sentence a bare ORD-1405-… pulls the quantity to the word "order"; in its own
    # isolate it cannot, and "·" beside Persian digits reads as a zero.
    assert f'سفارش <bdi class="doc-code" dir="ltr">{number}</bdi>، ۱۶۵ عدد ارسال‌شده' in html
    assert "·" not in html.split("<main", 1)[1]


def test_a_delivery_shows_its_place_as_city_and_province_joined_with_the_persian_comma(client_for, coordinator):
    line = factories.DeliveryLineFactory(delivery__health_center__province=coordinator.provinces.first())
    center = line.delivery.health_center
    html = client_for(coordinator).get(reverse("deliveries:detail", args=[line.delivery.pk])).content.decode()
    assert f"{center.city.name}، {center.province.name}" in html
    assert f"{center.city.name}, {center.province.name}" not in html


def test_order_and_delivery_codes_are_latin_on_lists_and_detail_pages(client_for, coordinator):
    from core.persian import to_persian_digits

    line = factories.DeliveryLineFactory(delivery__health_center__province=coordinator.provinces.first())
    order, delivery = line.quota.order, line.delivery
    client = client_for(coordinator)
    for url, code in [
        (reverse("orders:list"), order.number),
        (reverse("orders:detail", args=[order.pk]), order.number),
        (reverse("deliveries:list"), delivery.code),
        (reverse("deliveries:detail", args=[delivery.pk]), delivery.code),
    ]:
        html = client.get(url).content.decode()
        assert f'<bdi class="doc-code" dir="ltr">{code}</bdi>' in html, url
        assert to_persian_digits(code) not in html, url


def test_a_dashboard_export_is_named_after_the_jalali_period_people_chose(client_for, coordinator):
    response = client_for(coordinator).get(
        reverse("reports:dashboard"), {"from": "۱۴۰۵/۰۸/۰۱", "to": "۱۴۰۵/۰۸/۳۰", "_export": "csv"}
    )
    assert 'filename="dashboard-provinces-1405-08-01-1405-08-30.csv"' in response["Content-Disposition"]


def test_the_dashboards_action_lists_write_order_codes_in_latin_like_every_other_page(client_for, coordinator):
    pledge = factories.PledgeFactory()  # waiting for this coordinator's confirmation

    page = client_for(coordinator).get(reverse("reports:dashboard")).content.decode()

    assert f"\u2066{pledge.order.number}\u2069" in page
    assert to_persian_digits(pledge.order.number) not in page
