"""The ministry's thematic report: its figures, its Persian paragraph, the PDF and XLSX files, the task and pages."""

from __future__ import annotations

import datetime as dt
import io
import re

import openpyxl
import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone

from core.jalali import format_short
from core.persian import to_persian_digits
from donors.services.funds import campaign_apply
from donors.services.pledges import pledge_confirm
from fulfilment.models import Delivery, DeliveryStatus, RejectReason
from fulfilment.services.collection import PickupLineInput, pickup_record
from fulfilment.services.deliveries import delivery_create
from fulfilment.services.receiving import ReceivedLine, delivery_confirm
from orders.models import Order, OrderStatus
from reports import tasks
from reports.models import ThematicReport, ThematicReportStatus
from reports.tasks import thematic_report_generate, thematic_report_start
from reports.thematic_narrative import jalali_period, narrative_en, narrative_fa
from reports.thematic_selectors import thematic_data
from tests import factories
from tests.pdf_tools import run_poppler, without_marks

pytestmark = pytest.mark.django_db

HOSTILE_NAME = '=HYPERLINK("http://evil.example","کلیک")'


def today() -> dt.date:
    return timezone.localdate()


def period() -> tuple[dt.date, dt.date]:
    return today() - dt.timedelta(days=10), today() + dt.timedelta(days=10)


def pick_up(quota, coordinator, collected, rejected=0, reason=""):
    line = PickupLineInput(
        quota=quota,
        collected_units=collected,
        accepted_units=collected - rejected,
        rejected_units=rejected,
        reject_reason=reason,
    )
    return pickup_record(workshop=quota.workshop, pickup_date=today(), lines=[line], actor=coordinator)


def deliver(center, coordinator, lines):
    return delivery_create(health_center=center, planned_date=today(), lines=lines, actor=coordinator)


def confirm(delivery, answers=None):
    answers = answers or {}
    lines = {line.pk: answers.get(line.quota_id, ReceivedLine(line.units, 0, "")) for line in delivery.lines.all()}
    # The receiver can answer only once the delivery is dispatched (the courier's name is not needed here).
    Delivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.PLANNED).update(status=DeliveryStatus.DISPATCHED)
    return delivery_confirm(delivery=delivery, lines=lines, receiver_name="مریم احمدی")


@pytest.fixture
def world(coordinator):
    """Tehran: one 1,000-mask order (budget 60,000,000 rials, 80% funded, 8,000,000 of it from a campaign),
    two workshops (one with a hostile name), 480 units accepted and 20 rejected for stitching, three
    deliveries to one hospital (400 units: 385 confirmed; one disputed 15 short, made up by the next).
    Isfahan: an order of 500 gowns and a confirmed delivery, outside the Tehran coordinator's provinces."""
    center = factories.HealthCenterFactory(name="بیمارستان سینا")
    order = factories.OrderFactory(health_center=center, quantity=1000, status=OrderStatus.OPEN)
    factories.fund_order(order, 40_000_000)
    campaign = factories.CampaignFactory(name="پویش زمستان")
    pledge = factories.PledgeFactory(order=None, campaign=campaign, amount_rials=20_000_000)
    pledge_confirm(
        pledge=pledge, actor=None, amount_received_rials=20_000_000, bank_reference="C-1", received_on=today()
    )
    campaign_apply(campaign=campaign, order=order, amount=8_000_000, actor=coordinator)
    order.refresh_from_db()
    order.status = OrderStatus.IN_PRODUCTION
    order.save(update_fields=["status"])

    hostile = factories.WorkshopFactory(name=HOSTILE_NAME)
    first = factories.QuotaFactory(order=order, workshop=hostile, quantity=300, produced_units=300)
    second = factories.QuotaFactory(
        order=order, workshop=factories.WorkshopFactory(name="کارگاه مهر"), quantity=200, produced_units=200
    )
    pick_up(first, coordinator, 300, rejected=20, reason=RejectReason.STITCHING)
    pick_up(second, coordinator, 200)

    confirm(deliver(center, coordinator, [(first, 150), (second, 100)]))
    disputed = deliver(center, coordinator, [(first, 100)])
    confirm(disputed, {first.pk: ReceivedLine(90, 5, "پارگی")})
    confirm(deliver(center, coordinator, [(second, 50)]))

    isfahan_center = factories.HealthCenterFactory(name="بیمارستان الزهرا", province=factories.province("isfahan"))
    isfahan_order = factories.OrderFactory(
        health_center=isfahan_center, product=factories.product("isolation-gown"), quantity=500
    )
    isfahan_quota = factories.QuotaFactory(
        order=isfahan_order, produced_units=40, collected_units=40, accepted_units=40, delivered_units=40
    )
    factories.DeliveryLineFactory(
        delivery__health_center=isfahan_center,
        delivery__planned_date=today(),
        delivery__status=DeliveryStatus.CONFIRMED,
        delivery__confirmed_at=timezone.now(),
        quota=isfahan_quota,
        units=40,
        received_units=40,
        rejected_units=0,
    )
    return {"order": order, "center": center, "campaign": campaign, "disputed": disputed}


def tehran_data(coordinator):
    start, end = period()
    return thematic_data(user_or_scope=coordinator, province=factories.province("tehran"), start=start, end=end)


def test_the_summary_counts_the_provinces_orders_production_deliveries_and_money(coordinator, world):
    summary = tehran_data(coordinator).summary

    assert (summary.orders, summary.ordered_units) == (1, 1000)
    assert (summary.budget_rials, summary.funded_rials, summary.funded_percent) == (60_000_000, 48_000_000, 80)
    assert summary.headline.releasable_units == 800
    assert (summary.accepted_units, summary.rejected_units) == (480, 20)
    assert (summary.delivered_units, summary.confirmed_units) == (400, 385)
    assert (summary.deliveries, summary.disputed_deliveries, summary.health_centers_served) == (3, 1, 1)


def test_the_tables_list_workshops_centers_campaigns_and_discrepancies(coordinator, world):
    data = tehran_data(coordinator)

    assert [(row.name, row.accepted_units) for row in data.top_workshops] == [(HOSTILE_NAME, 280), ("کارگاه مهر", 200)]
    assert [(row.name, row.deliveries, row.delivered_units, row.confirmed_units) for row in data.health_centers] == [
        ("بیمارستان سینا", 3, 400, 385)
    ]
    campaign = data.campaigns[0]
    assert (campaign.name, campaign.received_rials, campaign.applied_rials, campaign.balance_rials) == (
        "پویش زمستان",
        20_000_000,
        8_000_000,
        12_000_000,
    )
    (discrepancy,) = data.discrepancies
    assert discrepancy.delivery_code == world["disputed"].code
    assert (discrepancy.sent_units, discrepancy.received_units, discrepancy.rejected_units) == (100, 90, 5)
    assert discrepancy.short_units == 15
    assert discrepancy.is_resolved
    assert [(row.reason, row.units) for row in data.rejections] == [("stitching", 20)]
    assert [(row.demand_units, row.delivered_units) for row in data.products] == [(1000, 400)]


def test_all_my_provinces_leaves_out_provinces_the_coordinator_does_not_cover(coordinator, national_coordinator, world):
    start, end = period()
    mine = thematic_data(user_or_scope=coordinator, province=None, start=start, end=end)
    everything = thematic_data(user_or_scope=national_coordinator, province=None, start=start, end=end)

    assert mine.summary.ordered_units == 1000
    assert everything.summary.ordered_units == 1500
    assert everything.summary.delivered_units == 440
    assert len(everything.provinces) == 2


def test_a_province_outside_the_coordinators_scope_reports_nothing(coordinator, world):
    start, end = period()
    data = thematic_data(user_or_scope=coordinator, province=factories.province("isfahan"), start=start, end=end)
    assert data.summary.ordered_units == 0
    assert data.health_centers == []


def test_the_persian_paragraph_states_the_numbers_in_persian_digits(coordinator, world):
    text = narrative_fa(tehran_data(coordinator))

    assert "استان تهران" in text
    assert "۱٬۰۰۰ عدد ماسک جراحی سه‌لایه" in text
    assert "۸۰٪" in text
    assert "۴۸۰" in text and "۲۰ عدد" in text
    assert "۴۰۰ عدد" in text and "۳۸۵ عدد" in text
    assert "۱۵ عدد کسری" in text
    assert not any(digit in text for digit in "0123456789")


def test_the_paragraph_of_an_empty_period_has_no_percentages_or_nan(coordinator):
    start = dt.date(2026, 11, 22)  # ۱ آذر ۱۴۰۵
    end = dt.date(2026, 12, 21)  # ۳۰ آذر ۱۴۰۵
    data = thematic_data(user_or_scope=coordinator, province=None, start=start, end=end)

    persian, english = narrative_fa(data), narrative_en(data)

    assert "۱ تا ۳۰ آذر ۱۴۰۵" in persian
    assert "سفارش تازه‌ای ثبت نشد" in persian
    assert "٪" not in persian and "NaN" not in persian
    assert "1 to 30 Azar 1405" in english
    assert "no new order" in english
    assert "%" not in english and "NaN" not in english


def test_money_for_older_orders_is_told_without_a_percentage(coordinator):
    order = factories.OrderFactory(quantity=100)
    Order.objects.filter(pk=order.pk).update(created_at=timezone.now() - dt.timedelta(days=90))
    factories.fund_order(order, 3_000_000)
    start, end = period()

    data = thematic_data(user_or_scope=coordinator, province=None, start=start, end=end)

    assert data.summary.funded_percent is None
    assert "۳٬۰۰۰٬۰۰۰ ریال برای سفارش‌های پیشین" in narrative_fa(data)
    assert "3,000,000 rials reached earlier orders" in narrative_en(data)
    assert "٪" not in narrative_fa(data)


def test_the_english_paragraph_states_the_numbers(coordinator, world):
    text = narrative_en(tehran_data(coordinator))

    assert "Tehran province" in text
    assert "1,000 units of Surgical 3-ply mask" in text
    assert "80% of them were funded (48,000,000 rials)" in text
    assert "15 units short or refused" in text


def test_a_period_across_two_years_names_both_years():
    assert jalali_period(dt.date(2026, 3, 11), dt.date(2026, 3, 30), persian=True) == "۲۰ اسفند ۱۴۰۴ تا ۱۰ فروردین ۱۴۰۵"


# --- Files made by the task -------------------------------------------------------------------------------------


def make_report(user, *, province="tehran", language="fa", start=None, end=None) -> ThematicReport:
    default_start, default_end = period()
    report = thematic_report_start(
        user=user,
        province=factories.province(province) if province else None,
        period_start=start or default_start,
        period_end=end or default_end,
        language=language,
    )
    thematic_report_generate(report.pk)
    report.refresh_from_db()
    return report


def squeeze(text: str) -> str:
    """Without whitespace, bidi marks or zero-width non-joiners (the PDF draws the joins; it keeps no ZWNJ)."""
    return re.sub(r"\s+", "", without_marks(text).replace("\u200c", ""))


def shows(text: str, phrase: str) -> bool:
    """``phrase`` is in the extracted ``text``; pdftotext may give the words of a mixed run in reverse order."""
    words = phrase.split()
    return squeeze(phrase) in text or squeeze(" ".join(reversed(words))) in text


def pdf_text(report: ThematicReport) -> str:
    """The whole text without whitespace (right-to-left extraction spaces words oddly)."""
    with report.pdf.open("rb") as handle:
        pdf = handle.read()
    return squeeze(run_poppler("pdftotext", pdf))


def pdf_fonts(report: ThematicReport) -> str:
    with report.pdf.open("rb") as handle:
        pdf = handle.read()
    return run_poppler("pdffonts", pdf)


def workbook(report: ThematicReport):
    with report.xlsx.open("rb") as handle:
        return openpyxl.load_workbook(io.BytesIO(handle.read()))


def test_the_task_makes_both_files_and_records_when_it_finished(coordinator, world):
    report = make_report(coordinator)

    assert report.status == ThematicReportStatus.DONE
    assert report.progress == 100
    assert report.finished_at is not None
    assert report.pdf.name.endswith(".pdf") and report.xlsx.name.endswith(".xlsx")
    assert report.pdf.name.startswith("reports/")


def test_the_persian_pdf_shows_the_title_period_figures_and_embeds_vazirmatn(coordinator, world):
    report = make_report(coordinator)
    text = pdf_text(report)
    start, end = period()

    assert "Vazirmatn" in pdf_fonts(report)
    assert "DejaVu" not in pdf_fonts(report)
    assert shows(text, "هماهنگ‌کننده تهران")  # generated by
    # Digit runs inside a right-to-left line come out of pdftotext in visual order: check each word.
    assert all(squeeze(word) in text for word in jalali_period(start, end, persian=True).split())
    for figure in ("۱٬۰۰۰", "۴۸۰", "۳۸۵", "۸۰٪", "۶۰٬۰۰۰٬۰۰۰"):
        assert figure in text, figure
    assert squeeze("بیمارستان سینا") in text
    assert squeeze("کارگاه مهر") in text


def test_the_english_pdf_is_left_to_right_with_latin_digits(coordinator, world):
    report = make_report(coordinator, language="en")
    text = pdf_text(report)

    assert squeeze("Thematic report") in text
    assert squeeze("Summary figures") in text
    for figure in ("1,000", "480", "385", "80%", "60,000,000"):
        assert figure in text, figure
    assert "Vazirmatn" in pdf_fonts(report)


def test_the_workbook_has_a_sheet_per_table_with_the_figures(coordinator, world):
    book = workbook(make_report(coordinator, language="en"))

    assert book.sheetnames == [
        "Summary",
        "Provinces",
        "Products",
        "Income",
        "Top workshops",
        "Health centers",
        "Campaigns",
        "Discrepancies",
        "Narrative",
    ]
    summary = {row[0]: row[1] for row in book["Summary"].iter_rows(values_only=True) if row[0]}
    assert summary["Units ordered"] == 1000
    assert summary["Funds received for orders (rials)"] == 48_000_000
    assert summary["Units paid for, as a share of units ordered"] == 0.8
    assert summary["Units confirmed by receivers"] == 385
    campaigns = [row for row in book["Campaigns"].iter_rows(values_only=True) if row[0] == "پویش زمستان"]
    assert campaigns == [("پویش زمستان", 20_000_000, 8_000_000, 0, 12_000_000)]
    discrepancy_cells = [cell for row in book["Discrepancies"].iter_rows(values_only=True) for cell in row]
    assert world["disputed"].code in discrepancy_cells
    assert "Stitching" in discrepancy_cells  # the second table: rejections at pickups
    assert "1,000 units of Surgical 3-ply mask" in book["Narrative"]["A1"].value
    assert not book["Summary"].sheet_view.rightToLeft


def test_the_persian_workbook_reads_right_to_left(coordinator, world):
    book = workbook(make_report(coordinator))

    assert len(book.sheetnames) == 9
    assert all(book[name].sheet_view.rightToLeft for name in book.sheetnames)
    assert "۱٬۰۰۰ عدد" in book.worksheets[-1]["A1"].value


def test_a_workshop_named_like_a_formula_stays_text_in_the_workbook(coordinator, world):
    book = workbook(make_report(coordinator, language="en"))

    names = [row[0] for row in book["Top workshops"].iter_rows(values_only=True)]
    assert "'" + HOSTILE_NAME in names
    assert HOSTILE_NAME not in names


def test_running_the_task_twice_does_not_make_the_files_again(coordinator, world):
    report = make_report(coordinator)
    pdf_name, finished_at = report.pdf.name, report.finished_at

    thematic_report_generate(report.pk)

    report.refresh_from_db()
    assert (report.pdf.name, report.finished_at) == (pdf_name, finished_at)


def test_a_failure_leaves_the_report_failed_with_a_message(coordinator, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(tasks, "thematic_data", broken)
    report = make_report(coordinator)

    assert report.status == ThematicReportStatus.FAILED
    assert "RuntimeError" in report.message
    assert not report.pdf


def test_an_empty_period_still_makes_a_report(coordinator):
    report = make_report(coordinator, province=None, start=dt.date(2026, 11, 22), end=dt.date(2026, 12, 21))

    assert report.status == ThematicReportStatus.DONE
    assert shows(pdf_text(report), "۱ تا ۳۰ آذر ۱۴۰۵")


# --- Pages -------------------------------------------------------------------------------------------------------


def test_a_coordinator_requests_a_report_waits_for_it_and_downloads_both_files(
    client_for, coordinator, world, django_capture_on_commit_callbacks
):
    client = client_for(coordinator)
    assert client.get(reverse("reports:thematic-create")).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reports:thematic-create"),
            {
                "province": factories.province("tehran").pk,
                "period_start": to_persian_digits(format_short(period()[0], persian=False)),
                "period_end": format_short(period()[1]),
                "language": "fa",
            },
        )

    report = ThematicReport.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("reports:thematic-detail", args=[report.pk])
    assert (report.created_by, report.province.code, report.period_start) == (coordinator, "tehran", period()[0])
    page = client.get(response.url)
    assert 'http-equiv="refresh"' not in page.content.decode()
    assert 'data-testid="download-pdf"' in page.content.decode()

    pdf = client.get(reverse("reports:thematic-download", args=[report.pk, "pdf"]))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"].startswith("attachment")
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    xlsx = client.get(reverse("reports:thematic-download", args=[report.pk, "xlsx"]))
    assert xlsx["Content-Disposition"].startswith("attachment")
    assert len(openpyxl.load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).sheetnames) == 9

    listing = client.get(reverse("reports:thematic-list")).content.decode()
    assert coordinator.full_name in listing
    assert reverse("reports:thematic-download", args=[report.pk, "xlsx"]) in listing


def test_a_report_still_running_refreshes_its_page(client_for, coordinator):
    report = ThematicReport.objects.create(
        created_by=coordinator, period_start=period()[0], period_end=period()[1], status=ThematicReportStatus.RUNNING
    )
    ThematicReport.objects.filter(pk=report.pk).update(progress=40)

    page = client_for(coordinator).get(reverse("reports:thematic-detail", args=[report.pk])).content.decode()

    assert 'http-equiv="refresh"' in page
    assert "۴۰٪" in page  # the Persian percent sign beside Persian digits
    assert client_for(coordinator).get(reverse("reports:thematic-download", args=[report.pk, "pdf"])).status_code == 404


def test_a_period_that_ends_before_it_starts_is_refused(client_for, coordinator):
    response = client_for(coordinator).post(
        reverse("reports:thematic-create"),
        {"province": "", "period_start": "۱۴۰۵/۰۹/۳۰", "period_end": "۱۴۰۵/۰۹/۰۱", "language": "fa"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["period_end"]
    assert not ThematicReport.objects.exists()


def test_a_province_outside_hers_cannot_be_chosen(client_for, coordinator):
    response = client_for(coordinator).post(
        reverse("reports:thematic-create"),
        {
            "province": factories.province("isfahan").pk,
            "period_start": "۱۴۰۵/۰۹/۰۱",
            "period_end": "۱۴۰۵/۰۹/۳۰",
            "language": "fa",
        },
    )

    assert response.context["form"].errors["province"]
    assert not ThematicReport.objects.exists()


def test_another_coordinators_report_outside_her_provinces_is_not_found(client_for, coordinator, other_coordinator):
    isfahan = ThematicReport.objects.create(
        created_by=other_coordinator,
        province=factories.province("isfahan"),
        period_start=period()[0],
        period_end=period()[1],
    )
    all_of_hers = ThematicReport.objects.create(
        created_by=other_coordinator, period_start=period()[0], period_end=period()[1]
    )
    client = client_for(coordinator)

    for report in (isfahan, all_of_hers):
        assert client.get(reverse("reports:thematic-detail", args=[report.pk])).status_code == 404
        assert client.get(reverse("reports:thematic-download", args=[report.pk, "pdf"])).status_code == 404
    assert client.get(reverse("reports:thematic-list")).context["reports"].count() == 0


def test_a_colleague_in_the_same_province_sees_the_provinces_report(client_for, coordinator):
    colleague = factories.CoordinatorFactory()
    report = ThematicReport.objects.create(
        created_by=colleague, province=factories.province("tehran"), period_start=period()[0], period_end=period()[1]
    )

    assert client_for(coordinator).get(reverse("reports:thematic-detail", args=[report.pk])).status_code == 200


def test_only_coordinators_open_the_reports(client, client_for, owner):
    assert client.get(reverse("reports:thematic-list")).status_code == 302  # to the login page
    assert client_for(owner).get(reverse("reports:thematic-list")).status_code == 403
    assert client_for(owner).get(reverse("reports:thematic-create")).status_code == 403


def test_the_admin_lists_only_the_reports_a_coordinator_may_see(rf, coordinator, other_coordinator):
    mine = ThematicReport.objects.create(
        created_by=coordinator, province=factories.province("tehran"), period_start=period()[0], period_end=period()[1]
    )
    ThematicReport.objects.create(
        created_by=other_coordinator,
        province=factories.province("isfahan"),
        period_start=period()[0],
        period_end=period()[1],
    )
    request = rf.get("/")
    request.user = coordinator

    assert list(admin.site._registry[ThematicReport].get_queryset(request)) == [mine]
