"""insert_rows writes what bulk_create would write (COPY on PostgreSQL, bulk_create elsewhere), and returns the ids."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from core.audit import log_action_rows
from core.bulk_insert import insert_rows
from core.models import AuditLog
from production.models import Quota, QuotaStatus
from tests import factories

pytestmark = pytest.mark.django_db

COLUMNS = ("order_id", "workshop_id", "quantity", "due_date", "piece_rate_rials")
COMPARED = ("status", "quantity", "due_date", "piece_rate_rials", "produced_units", "released_units", "decline_reason")


def test_rows_get_the_templates_shared_values_their_own_varying_ones_and_ids_in_order():
    order = factories.OrderFactory()
    workshops = [factories.WorkshopFactory(), factories.WorkshopFactory()]
    due = timezone.localdate() + dt.timedelta(days=9)
    before = timezone.now()

    ids = insert_rows(
        Quota,
        template=Quota(status=QuotaStatus.OFFERED),
        columns=COLUMNS,
        rows=[(order.pk, workshops[0].pk, 40, due, 7), (order.pk, workshops[1].pk, 60, due, 7)],
    )

    first, second = (Quota.objects.get(pk=pk) for pk in ids)
    assert (first.workshop, first.quantity, second.workshop, second.quantity) == (workshops[0], 40, workshops[1], 60)
    assert first.offered_at >= before and first.responded_at is None
    twin = Quota.objects.bulk_create(
        [Quota(order=order, workshop=workshops[0], quantity=40, due_date=due, piece_rate_rials=7)]
    )[0]
    twin.refresh_from_db()
    assert {name: getattr(first, name) for name in COMPARED} == {name: getattr(twin, name) for name in COMPARED}


def test_rows_inserted_in_a_transaction_that_rolls_back_are_gone():
    order, workshop = factories.OrderFactory(), factories.WorkshopFactory()
    with pytest.raises(RuntimeError), transaction.atomic():
        insert_rows(
            Quota,
            template=Quota(),
            columns=COLUMNS,
            rows=[(order.pk, workshop.pk, 10, order.needed_by, 1)],
        )
        raise RuntimeError("the run failed after writing")
    assert not Quota.objects.exists()


def test_a_column_that_sets_its_own_value_on_insert_cannot_vary():
    with pytest.raises(ValueError):
        insert_rows(Quota, template=Quota(), columns=("offered_at",), rows=[(timezone.now(),)])


def test_no_rows_write_nothing():
    assert insert_rows(Quota, template=Quota(), columns=COLUMNS, rows=[]) == []


def test_audit_rows_read_like_entries_of_log_action(coordinator):
    quota = factories.QuotaFactory()
    written = log_action_rows(
        actor=coordinator,
        rows=[(ContentType.objects.get_for_model(Quota), quota.pk, str(quota), {"quantity": [None, 100]})],
        action="quota.offer",
        note="allocation",
    )

    assert written == 1
    entry = AuditLog.objects.get(action="quota.offer")
    assert (entry.actor, entry.actor_repr, entry.object_id, entry.object_repr) == (
        coordinator,
        str(coordinator),
        str(quota.pk),
        str(quota),
    )
    assert (entry.changes, entry.note) == ({"quantity": [None, 100]}, "allocation")
