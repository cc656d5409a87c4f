"""A database of the layout before the split of orders, and of donors (issue 16), migrates forward with every row.

Quota, OutputReport and AllocationRun moved to production; Pickup, PickupLine, Delivery, DeliveryLine and
SheetBatch to fulfilment. Their tables keep their names, so the migrations change only Django's picture of who owns
them, and relabel their content types so permissions and the audit trail follow. The world is the demo's (the
tables are the same in both layouts); the database then goes back to the last migrations before the split, where
rows are added through the historical models of that state, and forward again. The split of donors is tested the
same way: PayoutBatch and PayoutLine moved to payouts.
"""

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from core.models import AuditLog, User
from fulfilment.models import Delivery, DeliveryLine, Pickup, PickupLine, SheetBatch
from payouts.models import PayoutBatch, PayoutLine
from production.models import AllocationRun, OutputReport, Quota

# The last migration of each app before the split; the new apps had none.
BEFORE_SPLIT = [
    ("orders", "0012_task_heartbeat"),
    ("donors", "0012_pledge_submission_key"),
    ("production", None),
    ("fulfilment", None),
]
MOVED = {
    "production": [Quota, OutputReport, AllocationRun],
    "fulfilment": [Pickup, PickupLine, Delivery, DeliveryLine, SheetBatch],
}


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


def latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_database_from_before_the_split_migrates_forward_with_every_row(settings):
    settings.DEBUG = True  # seed_demo refuses to run otherwise
    call_command("seed_demo")
    try:
        executor = migrate(BEFORE_SPLIT)
        old = executor.loader.project_state([node for node in BEFORE_SPLIT if node[1]]).apps
        # Today's main: the moved models are the orders app's, and so are their content types.
        assert ContentType.objects.filter(app_label="orders", model="quota").exists()
        # (Models added to the new apps after the split, e.g. fulfilment's SheetBatchPart, keep theirs.)
        moved_names = [model._meta.model_name for models in MOVED.values() for model in models]
        assert not ContentType.objects.filter(app_label__in=MOVED, model__in=moved_names).exists()
        quota_type = ContentType.objects.get(app_label="orders", model="quota").pk
        view_quota = Permission.objects.get(content_type__app_label="orders", codename="view_quota").pk

        # Rows written at that state through its historical models, for the models the demo leaves empty.
        coordinator = old.get_model("core", "User").objects.get(mobile="09120000001")
        old.get_model("orders", "AllocationRun").objects.create(
            created_by_id=coordinator.pk, dry_run=True, status="done", progress=100, finished_at=timezone.now()
        )
        old.get_model("orders", "SheetBatch").objects.create(
            planned_date=timezone.localdate(), created_by_id=coordinator.pk, status="queued"
        )
        counts = {
            model.__name__: old.get_model("orders", model.__name__).objects.count()
            for models in MOVED.values()
            for model in models
        }
        assert all(counts.values()), counts  # every moved model has rows before the split

        migrate(latest())

        for app_label, models in MOVED.items():
            for model in models:
                assert model.objects.count() == counts[model.__name__], model
                assert ContentType.objects.get_for_model(model).app_label == app_label
        assert not ContentType.objects.filter(app_label="orders").exclude(model="order").exists()
        # Same rows of django_content_type and auth_permission: what pointed at them still does.
        assert ContentType.objects.get_for_model(Quota).pk == quota_type
        assert Permission.objects.get(content_type__app_label="production", codename="view_quota").pk == view_quota
        coordinators = User.objects.get(mobile="09120000001").groups.get()
        assert coordinators.permissions.filter(pk=view_quota).exists()
        quota_entries = AuditLog.objects.filter(content_type=quota_type)
        assert quota_entries.exists()
        for entry in quota_entries[:20]:
            assert isinstance(entry.content_type.get_object_for_this_type(pk=entry.object_id), Quota)
        call_command("ledger_check")
        call_command("integrity_check")
    finally:
        migrate(latest())  # the next tests need today's schema whatever happened here


# The last migrations before payouts left donors; payouts had none.
BEFORE_PAYOUTS = [("donors", "0013_alter_ledgerentry_quota_alter_payoutline_quota"), ("payouts", None)]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_database_from_before_the_split_of_donors_migrates_forward_with_every_row(settings):
    settings.DEBUG = True  # seed_demo refuses to run otherwise
    call_command("seed_demo")  # a paid batch with its lines, ledger entries and audit rows
    try:
        executor = migrate(BEFORE_PAYOUTS)
        old = executor.loader.project_state([BEFORE_PAYOUTS[0]]).apps
        # Before the split: the payout models and their content types are the donors app's.
        assert not ContentType.objects.filter(app_label="payouts").exists()
        batch_type = ContentType.objects.get(app_label="donors", model="payoutbatch").pk
        line_type = ContentType.objects.get(app_label="donors", model="payoutline").pk
        view_batch = Permission.objects.get(content_type__app_label="donors", codename="view_payoutbatch").pk

        # A draft batch with a line and a province written at that state through its historical models.
        OldBatch, OldLine = old.get_model("donors", "PayoutBatch"), old.get_model("donors", "PayoutLine")
        paid = OldBatch.objects.get()
        coordinator = old.get_model("core", "User").objects.get(mobile="09120000001")
        draft = OldBatch.objects.create(
            number="PAY-1405-999999",
            period_start=paid.period_start,
            period_end=paid.period_end,
            created_by_id=coordinator.pk,
        )
        draft.provinces.set(paid.provinces.all())
        paid_line = OldLine.objects.filter(batch=paid).first()
        OldLine.objects.create(
            batch=draft,
            quota_id=paid_line.quota_id,
            workshop_id=paid_line.workshop_id,
            units=1,
            piece_rate_rials=paid_line.piece_rate_rials,
            amount_rials=paid_line.piece_rate_rials,
        )
        counts = {"batches": OldBatch.objects.count(), "lines": OldLine.objects.count()}
        provinces = {batch.pk: set(batch.provinces.values_list("pk", flat=True)) for batch in OldBatch.objects.all()}
        entries = dict(OldLine.objects.filter(ledger_entry__isnull=False).values_list("pk", "ledger_entry_id"))
        assert counts["batches"] == 2 and entries and all(provinces.values()), (counts, entries, provinces)

        migrate(latest())

        assert PayoutBatch.objects.count() == counts["batches"]
        assert PayoutLine.objects.count() == counts["lines"]
        assert {batch.pk: set(batch.provinces.values_list("pk", flat=True)) for batch in PayoutBatch.objects.all()} == (
            provinces
        )
        assert (
            dict(PayoutLine.objects.filter(ledger_entry__isnull=False).values_list("pk", "ledger_entry_id")) == entries
        )
        assert PayoutBatch.objects.get(number="PAY-1405-999999").lines.get().units == 1
        # The same content type and permission rows, now the payouts app's: what pointed at them still does.
        assert ContentType.objects.get_for_model(PayoutBatch).pk == batch_type
        assert ContentType.objects.get_for_model(PayoutLine).pk == line_type
        assert not ContentType.objects.filter(app_label="donors", model__startswith="payout").exists()
        assert Permission.objects.get(content_type__app_label="payouts", codename="view_payoutbatch").pk == view_batch
        batch_entries = AuditLog.objects.filter(content_type=batch_type)
        assert batch_entries.exists()
        for entry in batch_entries:
            assert isinstance(entry.content_type.get_object_for_this_type(pk=entry.object_id), PayoutBatch)
        call_command("ledger_check")
        call_command("integrity_check")
    finally:
        migrate(latest())  # the next tests need today's schema whatever happened here
