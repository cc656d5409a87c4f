from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrdersConfig(AppConfig):
    name = "orders"
    verbose_name = _("Orders")

    def ready(self):
        from core.task_claims import register_claimed_work, register_lost_work_check

        from .models import AllocationRun, AllocationRunStatus, SheetBatch, SheetBatchStatus
        from .notification_tasks import resend_lost_offer_announcements

        # Rows whose task died mid-way are queued again by the outbox sweep (see core.task_claims).
        register_claimed_work(
            model=AllocationRun,
            task_name="orders.tasks.run_allocation",
            queued=AllocationRunStatus.QUEUED,
            running=AllocationRunStatus.RUNNING,
        )
        register_claimed_work(
            model=SheetBatch,
            task_name="orders.sheet_tasks.sheet_batch_render",
            queued=SheetBatchStatus.QUEUED,
            running=SheetBatchStatus.RUNNING,
        )
        # An allocation run's announcement leaves no queued row: it has its own rescue (nothing lost to Redis).
        register_lost_work_check(resend_lost_offer_announcements)
