"""The numbers behind the dashboard's charts (each one or two grouped queries), and the charts drawn from them.

- **weekly produced vs delivered**: per Iranian week (Saturday to Friday) that
  touches the period, the units produced (``OutputReport.report_date``,
  workshop's province) and delivered (``DeliveryLine.units`` by the
  day the delivery left, as in ``reports.dashboard``; health center's province), both cut to the period.
- **funding gap by province**: *now*, not in the period: per province of the
  health center, ``budget − confirmed funds`` (never below zero) of every order
  that is not closed or cancelled.
- **quota status**: quotas offered in the period by their current status
  (the order's province).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import BigIntegerField, Count, ExpressionWrapper, F, QuerySet, Sum, Value
from django.db.models.functions import Greatest
from django.utils.translation import gettext as _

from core import jalali
from core.i18n import page_is_persian
from core.models import Province
from orders.funding import confirmed_funds_expression
from orders.models import Order
from orders.models.orders import FINAL_STATUSES
from production.models import Quota, QuotaStatus

from . import charts
from .daily_tracking import flush
from .models import DailyFigure
from .periods import DashboardPeriod, day_range, moment_range
from .selectors import in_scope

SATURDAY = 5  # Python's weekday number of the first day of the Iranian week


@dataclass(frozen=True)
class Week:
    start: dt.date  # the first day of the week inside the period
    produced: int
    delivered: int

    @property
    def label(self) -> str:
        """``۰۹/۰۱``: month and day of the week's first day in the period (the year is in the period picker)."""
        return jalali.format_short(self.start, persian=page_is_persian())[5:]


def week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=(day.weekday() - SATURDAY) % 7)


def weekly_produced_delivered(*, user, period: DashboardPeriod, province: Province | None = None) -> list[Week]:
    """From the stored daily figures (``reports.daily_figures``): produced by the workshop's province, delivered
    by the health center's, as the dashboard's figures; one query."""
    flush()
    daily = in_scope(DailyFigure.objects.filter(**day_range("day", period)), user, "province", province)
    per_day = (
        daily.order_by()
        .values("day")
        .annotate(produced=Sum("produced_units"), delivered=Sum("delivered_units"))
        .values_list("day", "produced", "delivered")
    )
    produced_by_week: dict[dt.date, int] = defaultdict(int)
    delivered_by_week: dict[dt.date, int] = defaultdict(int)
    for day, produced, delivered in per_day:
        produced_by_week[week_start(day)] += produced or 0
        delivered_by_week[week_start(day)] += delivered or 0
    weeks = []
    start = week_start(period.start)
    while start <= period.end:
        weeks.append(Week(max(start, period.start), produced_by_week[start], delivered_by_week[start]))
        start += dt.timedelta(days=7)
    return weeks


@dataclass(frozen=True)
class ProvinceGap:
    province: str
    gap_rials: int


def open_order_gaps(*, user, province: Province | None = None) -> QuerySet[Order]:
    """Orders not closed or cancelled, in scope, each with ``gap``: budget − confirmed funds, never below zero.

    The one definition of the "funding gap" (this chart and the province map's measure).
    """
    orders = in_scope(Order.objects.exclude(status__in=FINAL_STATUSES), user, "health_center__province", province)
    budget = ExpressionWrapper(F("quantity") * F("unit_cost_rials"), output_field=BigIntegerField())
    return orders.annotate(funds=confirmed_funds_expression()).annotate(
        gap=Greatest(budget - F("funds"), Value(0), output_field=BigIntegerField())
    )


def funding_gap_by_province(*, user, province: Province | None = None) -> list[ProvinceGap]:
    """Largest gap first; provinces with no gap are left out."""
    gaps = (
        open_order_gaps(user=user, province=province)
        .order_by()
        .values("health_center__province__name_fa", "health_center__province__name_en")
        .annotate(total=Sum("gap"))
    )
    english = not page_is_persian()
    rows = [
        ProvinceGap(
            (row["health_center__province__name_en"] if english else "") or row["health_center__province__name_fa"],
            int(row["total"] or 0),
        )
        for row in gaps
    ]
    return sorted((row for row in rows if row.gap_rials > 0), key=lambda row: (-row.gap_rials, row.province))


def quota_status_counts(*, user, period: DashboardPeriod, province: Province | None = None) -> list[tuple[str, int]]:
    """(status label, quotas) for every status, in the order of ``QuotaStatus``."""
    quotas = in_scope(
        Quota.objects.filter(moment_range("offered_at", period)),
        user,
        "order__health_center__province",
        province,
    )
    counts = dict(quotas.order_by().values("status").annotate(n=Count("pk")).values_list("status", "n"))
    return [(str(status.label), counts.get(status.value, 0)) for status in QuotaStatus]


# --- Drawn ---------------------------------------------------------------------------------------------------


def weekly_chart(weeks: list[Week]) -> str:
    return charts.line_chart(
        [
            charts.Series(_("Produced"), [week.produced for week in weeks]),
            charts.Series(_("Sent"), [week.delivered for week in weeks]),
        ],
        [week.label for week in weeks],
        title=_("Units produced and sent per week"),
        persian=page_is_persian(),
        empty_message=_("Nothing in this period."),
    )


def gap_chart(gaps: list[ProvinceGap]) -> str:
    return charts.bar_chart(
        [gap.province for gap in gaps],
        [gap.gap_rials for gap in gaps],
        title=_("Funding gap by province (rials)"),
        persian=page_is_persian(),
        label_width=120,
        value_room=130,
        empty_message=_("No open order is waiting for money."),
    )


def status_chart(statuses: list[tuple[str, int]]) -> str:
    return charts.stacked_bar(
        statuses,
        title=_("Quotas offered in the period, by status"),
        persian=page_is_persian(),
        empty_message=_("No quota was offered in this period."),
    )
