"""Reads about quotas: progress and pace, quotas at risk, earnings."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection
from django.db.models import F, Prefetch, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils import timezone

from core.models import User
from orders.models import Order
from workshops.calendar import Load, WorkCalendar, loads_at_risk
from workshops.models import Workshop, WorkshopCapacity, WorkshopUnavailability

from ..models import OutputReport, Quota, QuotaStatus


def quotas_of_owner(user: User) -> QuerySet[Quota]:
    """Every quota of the owner's workshop; other workshops' quotas are simply not in it (404).

    The workshop's closed days come along in one query: each quota's progress reads its calendar.
    """
    return (
        Quota.objects.select_related("order__product", "order__health_center__province", "workshop")
        .prefetch_related("workshop__unavailable_ranges")
        .filter(workshop__owner=user)
    )


def quota_of_owner_to_report(user: User) -> QuerySet[Quota]:
    """The owner's quotas, bare rows: the report form's post only needs to know the quota is hers (else 404)."""
    return Quota.objects.filter(workshop__owner=user)


def accepted_quotas_of_owner(user: User) -> QuerySet[Quota]:
    """The owner's accepted quotas: the work she is doing now (her home page shows each one's progress)."""
    return quotas_of_owner(user).filter(status=QuotaStatus.ACCEPTED)


def quota_reports(quota: Quota) -> QuerySet[OutputReport]:
    """The quota's output reports with who made them, in the model's order (the quota page and its corrections)."""
    return quota.reports.select_related("reported_by")


def owner_output_reports(user: User) -> QuerySet[OutputReport]:
    """Every output report of the owner's workshop, in the model's order (newest first), with the product."""
    return OutputReport.objects.select_related("quota__order__product").filter(quota__workshop__owner=user)


@dataclass(frozen=True)
class QuotaProgress:
    produced: int
    remaining: int
    percent: int
    working_days_total: int
    working_days_elapsed: int
    working_days_left: int
    expected_pace: float  # units per working day needed from acceptance to the due date
    actual_pace: float  # units per working day so far
    expected_by_now: int
    behind: bool


def quota_progress(quota: Quota, today: dt.date | None = None) -> QuotaProgress:
    """How an accepted quota is going, in working days of its workshop's calendar."""
    today = today or timezone.localdate()
    return pace(
        calendar=quota.workshop.work_calendar(),
        started=timezone.localtime(quota.responded_at).date() if quota.responded_at else today,
        due_date=quota.due_date,
        target_units=quota.target_units,
        produced_units=quota.produced_units,
        today=today,
    )


@dataclass(frozen=True)
class _Schedule:
    """A quota's even pace: ``target`` units over ``total_days`` working days from the day she accepted."""

    target: int
    total_days: int
    finished_days: int  # working days before today, at most total_days
    elapsed_days: int  # finished_days plus today when today is a working day, at most total_days

    @property
    def expected_pace(self) -> float:
        return self.target / self.total_days

    def expected_after(self, days: int) -> int:
        return min(self.target, math.floor(self.expected_pace * days))

    @property
    def expected_by_yesterday(self) -> int:
        # Judge "behind" on finished days only: on the day she accepts, nothing is late yet.
        return self.expected_after(self.finished_days)


def _schedule(
    calendar: WorkCalendar, started: dt.date, due_date: dt.date, target_units: int, today: dt.date
) -> _Schedule:
    """Two calendar counts: the dashboard asks this for thousands of quotas per request."""
    total_days = max(calendar.working_days(started, due_date), 1)
    finished = calendar.working_days(started, today - dt.timedelta(days=1))
    elapsed = finished + 1 if today >= started and calendar.is_working_day(today) else finished
    return _Schedule(
        target=max(target_units, 1),
        total_days=total_days,
        finished_days=min(finished, total_days),
        elapsed_days=min(elapsed, total_days),
    )


def pace(
    *,
    calendar: WorkCalendar,
    started: dt.date,
    due_date: dt.date,
    target_units: int,
    produced_units: int,
    today: dt.date,
) -> QuotaProgress:
    """``quota_progress`` on plain values, for lists of thousands of quotas read with ``values_list``."""
    schedule = _schedule(calendar, started, due_date, target_units, today)
    elapsed = schedule.elapsed_days
    return QuotaProgress(
        produced=produced_units,
        remaining=max(target_units - produced_units, 0),
        percent=min(100, round(100 * produced_units / schedule.target)),
        working_days_total=schedule.total_days,
        working_days_elapsed=elapsed,
        working_days_left=calendar.working_days(today, due_date),
        expected_pace=round(schedule.expected_pace, 1),
        actual_pace=round(produced_units / elapsed, 1) if elapsed else 0.0,
        expected_by_now=schedule.expected_after(elapsed),
        behind=produced_units < schedule.expected_by_yesterday,
    )


def behind_by(
    *,
    calendar: WorkCalendar,
    started: dt.date,
    due_date: dt.date,
    target_units: int,
    produced_units: int,
    today: dt.date,
) -> int | None:
    """``pace(...).expected_by_now`` when ``pace(...).behind``, else None: the same schedule, without the rest."""
    schedule = _schedule(calendar, started, due_date, target_units, today)
    if produced_units >= schedule.expected_by_yesterday:
        return None
    return schedule.expected_after(schedule.elapsed_days)


def work_calendars(weekday_masks: dict[int, int], first: dt.date, last: dt.date) -> dict[int, WorkCalendar]:
    """Calendars of many workshops (``{workshop id: weekday mask}``) for days between ``first`` and ``last``.

    One query: the closed ranges that overlap the window (a short table), so
    the thousands of workshop ids need not travel in an ``IN`` list.
    """
    closed: dict[int, list[tuple[dt.date, dt.date]]] = {}
    ranges = WorkshopUnavailability.objects.filter(start_date__lte=last, end_date__gte=first).values_list(
        "workshop_id", "start_date", "end_date"
    )
    for workshop_id, start, end in ranges:
        if workshop_id in weekday_masks:
            closed.setdefault(workshop_id, []).append((start, end))
    return {
        workshop_id: WorkCalendar(mask, tuple(closed.get(workshop_id, ())))
        for workshop_id, mask in weekday_masks.items()
    }


# Accepted quotas with units still to make: the only ones that can be behind pace.
def unfinished_accepted(queryset: QuerySet[Quota]) -> QuerySet[Quota]:
    return queryset.filter(status=QuotaStatus.ACCEPTED, produced_units__lt=F("quantity") - F("released_units"))


@dataclass(frozen=True)
class BehindQuota:
    quota_id: int
    order_id: int
    needed_by: dt.date
    expected_by_now: int


def quotas_behind_pace(queryset: QuerySet[Quota], today: dt.date) -> list[BehindQuota]:
    """The quotas of ``queryset`` behind pace, earliest due first: the one definition of "behind pace".

    Accepted quotas with units still to make whose output is below what their working days before today
    called for (``quota_progress(...).behind``, worked out by ``behind_by`` on the same schedule). The
    dashboard's two lists (quotas, orders), the 08:00 digest and the owner's "Behind pace" badges count
    these. Read as plain values with the workshops' calendars fetched once: a province may have thousands
    of running quotas, and model instances for each of them cost seconds on every dashboard view.
    """
    rows = list(
        unfinished_accepted(queryset)
        .order_by("due_date", "pk")
        .values_list(
            "pk",
            "order_id",
            "order__needed_by",
            "workshop_id",
            "workshop__working_weekdays",
            # The local day she accepted, worked out by the database rather than per row in Python.
            TruncDate("responded_at"),
            "due_date",
            "quantity",
            "released_units",
            "produced_units",
        )
    )
    if not rows:
        return []
    first = min((row[5] for row in rows if row[5] is not None), default=today)
    calendars = work_calendars(
        {row[3]: row[4] for row in rows}, min(first, today), max(max(row[6] for row in rows), today)
    )
    behind = []
    for pk, order_id, needed_by, workshop_id, _mask, responded_on, due_date, quantity, released, produced in rows:
        expected_by_now = behind_by(
            calendar=calendars[workshop_id],
            started=responded_on or today,
            due_date=due_date,
            target_units=quantity - released,
            produced_units=produced,
            today=today,
        )
        if expected_by_now is not None:
            behind.append(BehindQuota(pk, order_id, needed_by, expected_by_now))
    return behind


# --- The owner's quota inbox ---------------------------------------------------------------------------------

# Offers the owner still has to answer: ``quota_accept`` and ``quota_decline`` take only these.
OFFER_WAITING_STATUS = QuotaStatus.OFFERED


def offers_waiting(user: User) -> QuerySet[Quota]:
    """Quotas offered to the owner's workshop and not yet accepted, declined or cancelled.

    The one definition of "new offers": the home card counts these rows and the inbox's "New offers"
    section (the card's link) lists them (``inbox_quotas`` splits on the same status).
    """
    return quotas_of_owner(user).filter(status=OFFER_WAITING_STATUS)


INBOX_CLOSED_STATUSES = (QuotaStatus.DECLINED, QuotaStatus.CANCELLED)


def inbox_workshop(user) -> Workshop | None:
    """The owner's workshop with what the inbox reads of it: daily capacities and closed days (3 queries).

    ``workshop_of_owner`` also loads the capacities' products, province and city,
    which the inbox never shows; the at-risk check and every quota's progress
    need only ``daily_rates()`` and ``work_calendar()``, both served from here.
    The capacities come unordered: their default order (by product name) joins the
    product table, and ``daily_rates()`` is a dict.
    """
    return (
        Workshop.objects.prefetch_related(
            Prefetch("capacities", queryset=WorkshopCapacity.objects.order_by()), "unavailable_ranges"
        )
        .filter(owner=user)
        .order_by()
        .first()
    )


def newest_answer_first(quotas: list[Quota]) -> list[Quota]:
    """``quotas`` as ``order_by("-responded_at", "-pk")`` would return them, on the database in use.

    A quota cancelled before it was answered has no ``responded_at``: PostgreSQL
    puts such rows first in a descending order, SQLite last (``nulls_order_largest``).
    """
    unanswered_first = connection.features.nulls_order_largest
    answered = sorted((q for q in quotas if q.responded_at), key=lambda q: (q.responded_at, q.pk), reverse=True)
    unanswered = sorted((q for q in quotas if not q.responded_at), key=lambda q: q.pk, reverse=True)
    return unanswered + answered if unanswered_first else answered + unanswered


def inbox_quotas(workshop: Workshop) -> tuple[list[Quota], list[Quota], list[Quota]]:
    """The workshop's offered, accepted and closed quotas, read in one query instead of one per list.

    Offered and accepted quotas keep the model's order (due date, id); closed ones
    come newest answer first. Each quota gets ``workshop`` itself (its closed days
    already loaded) for its progress, instead of a join and a prefetch per list.
    """
    rows = Quota.objects.select_related("order__product", "order__health_center__province").filter(
        workshop=workshop, status__in=[QuotaStatus.OFFERED, QuotaStatus.ACCEPTED, *INBOX_CLOSED_STATUSES]
    )
    offered, accepted, closed = [], [], []
    for quota in rows:
        quota.workshop = workshop
        if quota.status == OFFER_WAITING_STATUS:
            offered.append(quota)
        elif quota.status == QuotaStatus.ACCEPTED:
            accepted.append(quota)
        else:
            closed.append(quota)
    return offered, accepted, newest_answer_first(closed)


def quotas_at_risk(
    workshop: Workshop, today: dt.date | None = None, *, accepted: Iterable[Quota] | None = None
) -> list[Quota]:
    """Accepted quotas that no longer fit the workshop's capacity and calendar, earliest due first.

    ``accepted``: the workshop's accepted quotas when the caller has them loaded already (with their
    order), so the owner's inbox does not read them twice; otherwise they are read here.
    """
    today = today or timezone.localdate()
    if accepted is None:
        accepted = Quota.objects.select_related("order__product").filter(
            workshop=workshop, status=QuotaStatus.ACCEPTED, produced_units__lt=F("quantity") - F("released_units")
        )
    quotas = {
        quota.pk: quota
        for quota in accepted
        if quota.status == QuotaStatus.ACCEPTED and quota.produced_units < quota.quantity - quota.released_units
    }
    loads = [Load(pk, q.due_date, q.order.product_id, q.remaining_units) for pk, q in quotas.items()]
    keys = loads_at_risk(calendar=workshop.work_calendar(), rates=workshop.daily_rates(), loads=loads, today=today)
    return [quotas[key] for key in keys]


@dataclass(frozen=True)
class Earnings:
    accepted_units: int
    earned_rials: int  # accepted units x piece rate
    paid_rials: int
    unpaid_rials: int
    produced_awaiting_check: int  # produced but not yet quality-checked at collection


def earnings_of_workshop(workshop: Workshop) -> Earnings:
    totals = Quota.objects.filter(workshop=workshop).aggregate(
        accepted=Sum("accepted_units"),
        produced=Sum("produced_units"),
        earned=Sum(F("accepted_units") * F("piece_rate_rials")),
        paid=Sum(F("paid_units") * F("piece_rate_rials")),
    )
    earned, paid = totals["earned"] or 0, totals["paid"] or 0
    return Earnings(
        accepted_units=totals["accepted"] or 0,
        earned_rials=earned,
        paid_rials=paid,
        unpaid_rials=earned - paid,
        produced_awaiting_check=(totals["produced"] or 0) - (totals["accepted"] or 0),
    )


# --- The order page's part (registered with orders.selectors by production.apps) ----------------------------


def order_quotas(order: Order) -> list[Quota]:
    return list(order.quotas.select_related("workshop__city").order_by("due_date", "pk"))


@dataclass(frozen=True)
class QuotaTotals:
    allocated: int
    produced: int
    accepted: int
    delivered: int  # 0 until the deliveries feature records deliveries


def quota_totals(quotas: list[Quota], allocated: int) -> QuotaTotals:
    return QuotaTotals(
        allocated=allocated,
        produced=sum(quota.produced_units for quota in quotas),
        accepted=sum(quota.accepted_units for quota in quotas),
        delivered=0,
    )


def order_page_quotas(order: Order, allocated_units: int) -> dict:
    """The order's quotas, each with the link to its workshop's page, and their totals."""
    quotas = order_quotas(order)
    for quota in quotas:
        quota.workshop_url = reverse("supply:workshop-detail", kwargs={"pk": quota.workshop.pk})
    return {"quotas": quotas, "totals": quota_totals(quotas, allocated_units)}
