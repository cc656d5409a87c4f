"""Reads behind the coordinator's supply pages: the workshop list, one workshop's record, its history.

Capacity and committed time come from ``production.supply``; this module adds what
only the coordinator's pages need: the annotated list queryset, punctuality of
a workshop's quotas, its recent output by day and its audit trail.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db.models import (
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import jalali
from core.audit import HistoryEntry, audit_history, list_separator
from core.i18n import page_is_persian
from core.models import AuditLog, City, Product, Province
from core.scoping import scope_by_province
from workshops.calendar import WEEK_ORDER, WEEKDAY_NAMES, weekdays_from_mask
from workshops.models import Workshop, WorkshopCapacity, WorkshopNote, WorkshopStatus

from ..models import OutputReport, Quota, QuotaStatus
from ..supply import ACTIVE_QUOTA_STATUSES, SupplyRow, WorkshopLoad, supply_summary, workshop_loads

OUTPUT_TIMELINE_DAYS = 30
HISTORY_LIMIT = 30


def utilisation_percent(load: WorkshopLoad | None) -> int:
    """Committed days / working days over the supply window, in whole percent (above 100 when overbooked)."""
    return round(load.utilisation * 100) if load is not None else 0


def _sum_subquery(queryset: QuerySet, expression) -> Coalesce:
    total = queryset.order_by().values("workshop").annotate(total=expression).values("total")
    return Coalesce(Subquery(total, output_field=IntegerField()), Value(0))


def workshops_for_coordinator(user) -> QuerySet[Workshop]:
    """Workshops in the coordinator's provinces, ready for the list: no query per row.

    Annotations: ``capacity_total`` (units per day of all products added up) and
    ``active_quotas`` (offered or accepted quotas with units still to make, the
    same quotas ``production.supply`` counts as committed).
    """
    workshops = (
        Workshop.objects.select_related("owner", "province", "city")
        .prefetch_related(Prefetch("capacities", queryset=WorkshopCapacity.objects.select_related("product")))
        .annotate(
            capacity_total=_sum_subquery(
                WorkshopCapacity.objects.filter(workshop=OuterRef("pk")), Sum("units_per_day")
            ),
            active_quotas=_sum_subquery(
                Quota.objects.filter(
                    workshop=OuterRef("pk"),
                    status__in=ACTIVE_QUOTA_STATUSES,
                    produced_units__lt=F("quantity") - F("released_units"),
                ),
                Count("pk"),
            ),
        )
    )
    return scope_by_province(workshops, user)


def workshop_for_coordinator(user, pk: int) -> Workshop:
    """One workshop in the coordinator's scope; ``Workshop.DoesNotExist`` outside it (the view turns it into 404)."""
    return (
        scope_by_province(Workshop.objects.select_related("owner", "province", "city"), user)
        .prefetch_related(
            Prefetch("capacities", queryset=WorkshopCapacity.objects.select_related("product")),
            "unavailable_ranges",
            Prefetch("notes", queryset=WorkshopNote.objects.select_related("author")),
        )
        .get(pk=pk)
    )


def workshop_load(workshop: Workshop, today: dt.date | None = None) -> WorkshopLoad | None:
    """One workshop's committed days and units over the supply window (its record page)."""
    return workshop_loads(Workshop.objects.filter(pk=workshop.pk), today).get(workshop.pk)


def supply_summary_for(user, today: dt.date | None = None) -> list[SupplyRow]:
    """The supply summary over the coordinator's provinces (all workshops for national coordinators)."""
    return supply_summary(scope_by_province(Workshop.objects.all(), user), today)


def working_weekdays(workshop: Workshop) -> list[tuple[str, bool]]:
    """(day name, works that day) for each day of the Iranian week, Saturday first."""
    working = set(weekdays_from_mask(workshop.working_weekdays))
    return [(str(WEEKDAY_NAMES[day]), day in working) for day in WEEK_ORDER]


# --- Punctuality --------------------------------------------------------------------------------------------


class Punctuality:
    ON_TIME = "on_time"
    LATE = "late"
    OPEN = "open"  # not judged yet: not due and not finished, or not an accepted quota


@dataclass
class QuotaRecord:
    quota: Quota
    punctuality: str

    @property
    def on_time(self) -> bool | None:
        if self.punctuality == Punctuality.OPEN:
            return None
        return self.punctuality == Punctuality.ON_TIME


@dataclass(frozen=True)
class OnTimeRate:
    on_time: int
    judged: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.on_time / self.judged) if self.judged else None


def quota_history(workshop: Workshop, today: dt.date | None = None) -> tuple[list[QuotaRecord], OnTimeRate]:
    """Every quota of the workshop (latest due first) with its punctuality, and the on-time rate.

    The on-time rate is the share of *accepted* quotas that reached their
    quantity by their due date: the units in the workshop's output reports
    dated on or before ``due_date`` add up to at least ``quantity``.

    - judged **on time**: those units reach the quantity (also when that
      happened before the due date has come);
    - judged **late**: the due date is over (before ``today``) and they do not,
      even if the quota was finished afterwards;
    - **not counted**: accepted quotas not yet due and not finished (the due
      day itself still counts as time left), and quotas that were only offered,
      declined or cancelled.
    """
    today = today or timezone.localdate()
    quotas = list(Quota.objects.filter(workshop=workshop).select_related("order__product").order_by("-due_date", "-id"))
    made_by_due = dict(
        OutputReport.objects.filter(
            quota__workshop=workshop, quota__status=QuotaStatus.ACCEPTED, report_date__lte=F("quota__due_date")
        )
        .values("quota")
        .annotate(total=Sum("quantity"))
        .values_list("quota", "total")
    )
    records = []
    for quota in quotas:
        verdict = Punctuality.OPEN
        if quota.status == QuotaStatus.ACCEPTED:
            if made_by_due.get(quota.pk, 0) >= quota.quantity:
                verdict = Punctuality.ON_TIME
            elif quota.due_date < today:
                verdict = Punctuality.LATE
        records.append(QuotaRecord(quota, verdict))
    judged = [record for record in records if record.punctuality != Punctuality.OPEN]
    on_time = sum(record.punctuality == Punctuality.ON_TIME for record in judged)
    return records, OnTimeRate(on_time=on_time, judged=len(judged))


# --- Output by day ------------------------------------------------------------------------------------------


@dataclass
class DayOutput:
    day: dt.date
    total: int = 0
    reports: list[OutputReport] = field(default_factory=list)


def output_timeline(
    workshop: Workshop, today: dt.date | None = None, days: int = OUTPUT_TIMELINE_DAYS
) -> list[DayOutput]:
    """Output reports of the last ``days`` days grouped by day, newest day first, with the day's total."""
    today = today or timezone.localdate()
    reports = OutputReport.objects.filter(
        quota__workshop=workshop, report_date__gt=today - dt.timedelta(days=days), report_date__lte=today
    ).select_related("quota__order__product")
    by_day: dict[dt.date, DayOutput] = {}
    for report in reports.order_by("-report_date", "-id"):
        day = by_day.setdefault(report.report_date, DayOutput(report.report_date))
        day.total += report.quantity
        day.reports.append(report)
    return list(by_day.values())


# --- Audit trail --------------------------------------------------------------------------------------------

ACTION_LABELS = {
    "workshop.register": gettext_lazy("Registered"),
    "workshop.profile": gettext_lazy("Profile changed"),
    "workshop.capacity": gettext_lazy("Daily capacity changed"),
    "workshop.weekdays": gettext_lazy("Working days changed"),
    "workshop.unavailable": gettext_lazy("Unavailable period added"),
    "workshop.available": gettext_lazy("Unavailable period removed"),
    "workshop.status": gettext_lazy("Status changed"),
}


def _field_label(name: str) -> str:
    try:
        return capfirst(str(Workshop._meta.get_field(name).verbose_name))
    except FieldDoesNotExist:  # an old entry may name a field that no longer exists
        return name


def _readable(name: str, value):
    """An audit value as a person reads it: labels for choices, names for ids, Jalali for dates."""
    if value is None or value == "":
        return None
    if name == "status":
        try:
            return str(WorkshopStatus(value).label)
        except ValueError:
            return value
    if name == "working_weekdays" and isinstance(value, int):
        return list_separator().join(str(WEEKDAY_NAMES[day]) for day in weekdays_from_mask(value))
    if name in ("province", "city") and isinstance(value, int):
        model = Province if name == "province" else City
        place = model.objects.filter(pk=value).first()
        return place.name if place else value
    if name == "unavailable" and isinstance(value, list):
        try:
            dates = [dt.date.fromisoformat(item) for item in value]
        except (TypeError, ValueError):
            return " – ".join(str(item) for item in value)
        return " – ".join(jalali.format_short(day, persian=page_is_persian()) for day in dates)
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    return value


def workshop_history(workshop: Workshop, limit: int = HISTORY_LIMIT) -> list[HistoryEntry]:
    """The workshop's audit-log entries, newest first, with field names and values a person can read."""
    keys = AuditLog.objects.filter(
        content_type=ContentType.objects.get_for_model(Workshop), object_id=str(workshop.pk)
    ).values_list("changes", flat=True)[:limit]
    codes = {key.split(":", 1)[1] for changes in keys for key in (changes or {}) if key.startswith("units_per_day:")}
    products = {product.code: product for product in Product.objects.filter(code__in=codes)} if codes else {}

    def label(key: str) -> str:
        if key.startswith("units_per_day:"):
            code = key.split(":", 1)[1]
            return products[code].name if code in products else code
        if key == "unavailable":
            return _("Unavailable period")
        return _field_label(key)

    return audit_history(workshop, action_labels=ACTION_LABELS, label=label, readable=_readable, limit=limit)


# --- Workshops waiting for work -----------------------------------------------------------------------------

IDLE_DAYS = 14


def without_offers(workshops: QuerySet[Workshop], *, days: int = IDLE_DAYS, now: dt.datetime | None = None):
    """``workshops`` narrowed to the verified ones with no offer in the last ``days`` days, verified before them.

    The coordinator should look at them (the home card and the workshop list's "no offer for two weeks"
    filter). "Verified since" is read from the audit log (the last status change), since the workshop row
    keeps only its current status.
    """
    since = (now or timezone.now()) - dt.timedelta(days=days)
    recent_offer = Quota.objects.filter(workshop=OuterRef("pk"), offered_at__gte=since)
    recent_status = AuditLog.objects.filter(
        content_type=ContentType.objects.get_for_model(Workshop),
        object_id=Cast(OuterRef("pk"), CharField()),
        action="workshop.status",
        created_at__gte=since,
    )
    return workshops.filter(status=WorkshopStatus.VERIFIED, created_at__lt=since).exclude(
        Exists(recent_offer) | Exists(recent_status)
    )
