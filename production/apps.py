from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProductionConfig(AppConfig):
    name = "production"
    verbose_name = _("Production")

    def ready(self):
        from core.task_claims import register_claimed_work, register_lost_work_check
        from orders import funding, open_work
        from orders.selectors import register_order_page_part

        from .models import AllocationRun, AllocationRunStatus
        from .notification_tasks import resend_lost_offer_announcements
        from .selectors import committed
        from .selectors.quotas import order_page_quotas
        from .services import quotas

        # An order's allocated and produced units, and the quotas that follow its cancellation or new date, live
        # here; orders may not import production, so production hands its readers and handlers over.
        funding.register_units_source(
            allocated_for_order=committed.allocated_units_of_order,
            allocated_expression=committed.allocated_units_expression,
            produced_expression=committed.produced_units_expression,
        )
        open_work.register_open_work(
            cancel=quotas.quotas_cancel_with_order,
            move_due_date=quotas.quotas_follow_order,
            is_being_made=quotas.order_has_accepted_quota,
        )

        # The order page shows the order's quotas.
        register_order_page_part(order_page_quotas)

        # Rows whose task died mid-way are queued again by the outbox sweep (see core.task_claims).
        register_claimed_work(
            model=AllocationRun,
            task_name="orders.tasks.run_allocation",  # the task's name from before the split of orders
            queued=AllocationRunStatus.QUEUED,
            running=AllocationRunStatus.RUNNING,
        )
        # An allocation run's announcement leaves no queued row: it has its own rescue (nothing lost to Redis).
        register_lost_work_check(resend_lost_offer_announcements)
