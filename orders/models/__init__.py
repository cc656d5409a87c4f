from .allocation_runs import AllocationRun, AllocationRunStatus
from .deliveries import (
    Delivery,
    DeliveryLine,
    DeliveryStatus,
    Pickup,
    PickupLine,
    RejectReason,
    SheetBatch,
    SheetBatchStatus,
)
from .orders import Order, OrderPriority, OrderStatus
from .quotas import OutputReport, Quota, QuotaStatus

__all__ = [
    "AllocationRun",
    "AllocationRunStatus",
    "Delivery",
    "DeliveryLine",
    "DeliveryStatus",
    "Order",
    "OrderPriority",
    "OrderStatus",
    "OutputReport",
    "Pickup",
    "PickupLine",
    "Quota",
    "QuotaStatus",
    "RejectReason",
    "SheetBatch",
    "SheetBatchStatus",
]
