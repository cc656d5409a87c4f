"""Units of an order that its quotas count on: what ``orders.funding`` calls allocated (registered there by
``production.apps.ProductionConfig.ready``, since orders may not import production)."""

from __future__ import annotations

from django.db.models import Case, F, IntegerField, OuterRef, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce

from ..models import Quota, QuotaStatus

# Quotas that hold part of an order: offered (waiting for an answer) or accepted (being made).
ALLOCATING_QUOTA_STATUSES = (QuotaStatus.OFFERED, QuotaStatus.ACCEPTED)


def committed_units_expression() -> Case:
    """Per quota, the units its order can count on.

    Offered and accepted quotas: their quantity less any remainder released for
    re-allocation. Cancelled quotas: what was produced before cancelling (those
    units still reach the order). Declined quotas: nothing. So a declined or
    cancelled quota's remainder is free for the next allocation run.
    """
    return Case(
        When(status__in=ALLOCATING_QUOTA_STATUSES, then=F("quantity") - F("released_units")),
        When(status=QuotaStatus.CANCELLED, then=F("produced_units")),
        default=Value(0),
        output_field=IntegerField(),
    )


def allocated_units_of_order(order_id: int) -> int:
    """Units already handed to workshops for one order (see ``committed_units_expression``)."""
    total = Quota.objects.filter(order=order_id).aggregate(total=Sum(committed_units_expression()))
    return total["total"] or 0


def quota_sum(field, **filters) -> Coalesce:
    """A per-order sum over its quotas, as an expression on ``Order`` rows (0 for an order without quotas)."""
    totals = (
        Quota.objects.filter(order=OuterRef("pk"), **filters)
        .order_by()
        .values("order")
        .annotate(total=Sum(field))
        .values("total")
    )
    return Coalesce(Subquery(totals, output_field=IntegerField()), Value(0))


def allocated_units_expression() -> Coalesce:
    return quota_sum(committed_units_expression())


def produced_units_expression() -> Coalesce:
    return quota_sum("produced_units")
