"""Re-check of the quantities along the chain of custody and of the money (``manage.py integrity_check``).

The services keep every counter under row locks and the DB check constraints
forbid the grossest mistakes; this re-derives each counter from its evidence,
so a bug, a manual SQL fix or a restore from a bad backup shows up as a
readable list instead of as wrong payouts months later:

- per quota: ``produced >= collected >= accepted >= delivered`` and
  ``paid <= accepted``; and each counter equals the rows behind it
  (produced = its output reports, collected/accepted = its pickup lines,
  delivered = its lines on deliveries that are not cancelled);
- per delivery line: ``received <= units`` and ``rejected <= received``;
- per delivery: confirmed means every line arrived complete with nothing
  rejected; disputed means every line was answered and at least one fell
  short; a delivery not answered yet has no received counts;
- per quota: an offered or accepted quota belongs to a verified workshop
  (suspending a workshop cancels all its open quotas in the same transaction);
- per order: the units handed to workshops (``orders.funding.allocated_units``)
  are paid for by its confirmed funds (refunds and moves may not undercut them);
- the ledger: everything ``donors.ledger.selectors.ledger_problems`` checks.

Lives in ``donors`` because it reads orders and the ledger (donors may import
orders). Every check is one aggregate query however large the data, so it
can run after a load test.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, F, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from fulfilment.models import Delivery, DeliveryLine, DeliveryStatus, PickupLine
from orders.funding import with_unallocated_units
from orders.models import Order
from production.models import OutputReport, Quota
from production.selectors.committed import ALLOCATING_QUOTA_STATUSES
from workshops.models import WorkshopStatus

from .ledger.models import LedgerEntry
from .ledger.selectors import ledger_problems

ANSWERED_STATUSES = (DeliveryStatus.CONFIRMED, DeliveryStatus.DISPUTED)


def _per_quota_sum(model, field: str, **filters) -> Coalesce:
    """SUM(``field``) of ``model`` rows of the outer quota, 0 when there are none (a subquery: no join fan-out)."""
    totals = (
        model.objects.filter(quota=OuterRef("pk"), **filters)
        .order_by()
        .values("quota")
        .annotate(total=Sum(field))
        .values("total")
    )
    return Coalesce(Subquery(totals, output_field=IntegerField()), Value(0), output_field=IntegerField())


def _quota_label(quota: Quota) -> str:
    return f"Quota #{quota.pk} (order {quota.order.number}, workshop «{quota.workshop.name}»)"


def _quota_problems() -> list[str]:
    quotas = (
        Quota.objects.annotate(
            reported=_per_quota_sum(OutputReport, "quantity"),
            picked=_per_quota_sum(PickupLine, "collected_units"),
            passed=_per_quota_sum(PickupLine, "accepted_units"),
            on_deliveries=_per_quota_sum(DeliveryLine, "units", delivery__status__in=_live_delivery_statuses()),
        )
        .filter(
            Q(collected_units__gt=F("produced_units"))
            | Q(accepted_units__gt=F("collected_units"))
            | Q(delivered_units__gt=F("accepted_units"))
            | Q(paid_units__gt=F("accepted_units"))
            | ~Q(produced_units=F("reported"))
            | ~Q(collected_units=F("picked"))
            | ~Q(accepted_units=F("passed"))
            | ~Q(delivered_units=F("on_deliveries"))
        )
        .select_related("order", "workshop")
        .order_by("pk")
    )
    problems: list[str] = []
    for quota in quotas:
        label = _quota_label(quota)
        order_of_counters = [
            ("collected", quota.collected_units, "produced", quota.produced_units),
            ("accepted", quota.accepted_units, "collected", quota.collected_units),
            ("delivered", quota.delivered_units, "accepted", quota.accepted_units),
            ("paid", quota.paid_units, "accepted", quota.accepted_units),
        ]
        for name, value, limit_name, limit in order_of_counters:
            if value > limit:
                problems.append(f"{label}: {value:,} units {name}, more than the {limit:,} {limit_name}.")
        evidence = [
            ("produced", quota.produced_units, quota.reported, "its output reports add up to"),
            ("collected", quota.collected_units, quota.picked, "its pickup lines collected"),
            ("accepted", quota.accepted_units, quota.passed, "its pickup lines accepted"),
            ("delivered", quota.delivered_units, quota.on_deliveries, "its lines on deliveries not cancelled hold"),
        ]
        for name, counter, found, source in evidence:
            if counter != found:
                problems.append(f"{label}: the counter says {counter:,} units {name} but {source} {found:,}.")
    return problems


def _live_delivery_statuses() -> list[str]:
    return [status for status in DeliveryStatus.values if status != DeliveryStatus.CANCELLED]


def _delivery_line_problems() -> list[str]:
    lines = (
        DeliveryLine.objects.filter(
            Q(received_units__gt=F("units"))
            | Q(rejected_units__gt=F("received_units"))
            | Q(rejected_units__isnull=False, received_units__isnull=True)
        )
        .select_related("delivery", "quota__order")
        .order_by("delivery__code", "pk")
    )
    problems: list[str] = []
    for line in lines:
        label = f"Delivery {line.delivery.code}, line #{line.pk} (order {line.quota.order.number})"
        if line.received_units is None:
            problems.append(f"{label}: {line.rejected_units:,} units rejected but no received count.")
            continue
        if line.received_units > line.units:
            problems.append(f"{label}: {line.received_units:,} units received, more than the {line.units:,} sent.")
        if line.rejected_units is not None and line.rejected_units > line.received_units:
            problems.append(
                f"{label}: {line.rejected_units:,} units rejected, more than the {line.received_units:,} received."
            )
    return problems


def _delivery_problems() -> list[str]:
    answered = Q(lines__received_units__isnull=False, lines__rejected_units__isnull=False)
    complete = Q(lines__received_units=F("lines__units"), lines__rejected_units=0)
    deliveries = (
        Delivery.objects.annotate(
            line_count=Count("lines"),
            answered_count=Count("lines", filter=answered),
            complete_count=Count("lines", filter=complete),
        )
        .filter(
            Q(status=DeliveryStatus.CONFIRMED, complete_count__lt=F("line_count"))
            | Q(status=DeliveryStatus.DISPUTED, answered_count__lt=F("line_count"))
            | Q(status=DeliveryStatus.DISPUTED, complete_count=F("line_count"))
            | (~Q(status__in=ANSWERED_STATUSES) & Q(answered_count__gt=0))
        )
        .order_by("code")
    )
    problems: list[str] = []
    for delivery in deliveries:
        label = f"Delivery {delivery.code} is {delivery.status}"
        unanswered = delivery.line_count - delivery.answered_count
        short = delivery.line_count - delivery.complete_count
        if delivery.status == DeliveryStatus.CONFIRMED:
            problems.append(
                f"{label} but {short:,} of its {delivery.line_count:,} lines did not arrive complete "
                f"(fewer received than sent, something rejected, or no answer)."
            )
        elif delivery.status == DeliveryStatus.DISPUTED:
            if unanswered:
                problems.append(f"{label} but {unanswered:,} of its {delivery.line_count:,} lines have no answer.")
            if short == 0:
                problems.append(f"{label} but all its {delivery.line_count:,} lines arrived complete.")
        else:
            problems.append(
                f"{label} (not answered yet) but {delivery.answered_count:,} of its lines have received counts."
            )
    return problems


def _open_quotas_of_unverified_workshops() -> list[str]:
    """Offered or accepted quotas of a workshop that is not verified.

    Every one is wrong, not only those offered after the suspension: the
    suspension service cancels all the workshop's offered and accepted quotas
    (units already made stay credited on the cancelled quota), and a pending
    workshop is never offered one. So such a quota was written by a commit
    that raced the suspension, or by hand.
    """
    quotas = (
        Quota.objects.filter(status__in=ALLOCATING_QUOTA_STATUSES)
        .exclude(workshop__status=WorkshopStatus.VERIFIED)
        .select_related("order", "workshop")
        .order_by("pk")
    )
    return [
        f"{_quota_label(quota)} is {quota.status} but its workshop is {quota.workshop.status} "
        f"(a suspension cancels every open quota)."
        for quota in quotas
    ]


def _orders_offered_beyond_funds() -> list[str]:
    """Orders whose offered and accepted quotas hold more units than their confirmed funds pay for."""
    orders = with_unallocated_units(Order.objects.all()).filter(unallocated__lt=0).order_by("pk")
    return [
        f"Order {order.number}: {order.allocated:,} units offered to or held by workshops, but its confirmed "
        f"funds of {order.confirmed_funds:,} rials pay for only {order.paid_for:,} units (units offered beyond funds)."
        for order in orders
    ]


def integrity_problems() -> list[str]:
    """Every broken invariant of quantities and money, as readable sentences (empty when all is well)."""
    return (
        _quota_problems()
        + _open_quotas_of_unverified_workshops()
        + _delivery_line_problems()
        + _delivery_problems()
        + _orders_offered_beyond_funds()
        + ledger_problems()
    )


@dataclass(frozen=True)
class IntegrityTotals:
    quotas: int
    produced: int
    collected: int
    accepted: int
    delivered: int
    paid: int
    deliveries: int
    ledger_entries: int


def integrity_totals() -> IntegrityTotals:
    """The figures the command prints when everything checks out."""
    zero = Value(0)
    sums = Quota.objects.aggregate(
        quotas=Count("pk"),
        produced=Coalesce(Sum("produced_units"), zero),
        collected=Coalesce(Sum("collected_units"), zero),
        accepted=Coalesce(Sum("accepted_units"), zero),
        delivered=Coalesce(Sum("delivered_units"), zero),
        paid=Coalesce(Sum("paid_units"), zero),
    )
    return IntegrityTotals(
        **{key: int(value) for key, value in sums.items()},
        deliveries=Delivery.objects.count(),
        ledger_entries=LedgerEntry.objects.count(),
    )
