from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FulfilmentConfig(AppConfig):
    name = "fulfilment"
    verbose_name = _("Fulfilment")

    def ready(self):
        from core.task_claims import register_claimed_work
        from orders.selectors import register_order_page_part

        from .models import SheetBatch, SheetBatchStatus
        from .selectors.progress import order_page_deliveries

        # The order page shows the order's deliveries (orders may not import fulfilment).
        register_order_page_part(order_page_deliveries)

        # Rows whose task died mid-way are queued again by the outbox sweep (see core.task_claims).
        register_claimed_work(
            model=SheetBatch,
            task_name="orders.sheet_tasks.sheet_batch_render",  # the task's name from before the split of orders
            queued=SheetBatchStatus.QUEUED,
            running=SheetBatchStatus.RUNNING,
        )
