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

__all__ = [
    "Delivery",
    "DeliveryLine",
    "DeliveryStatus",
    "Pickup",
    "PickupLine",
    "RejectReason",
    "SheetBatch",
    "SheetBatchStatus",
]
