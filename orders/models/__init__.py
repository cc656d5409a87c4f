from .allocation_runs import AllocationRun, AllocationRunStatus
from .orders import Order, OrderPriority, OrderStatus
from .quotas import OutputReport, Quota, QuotaStatus

__all__ = [
    "AllocationRun",
    "AllocationRunStatus",
    "Order",
    "OrderPriority",
    "OrderStatus",
    "OutputReport",
    "Quota",
    "QuotaStatus",
]
