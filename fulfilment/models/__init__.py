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
from .sheet_parts import SheetBatchPart, SheetBatchPartStatus

__all__ = [
    "Delivery",
    "DeliveryLine",
    "DeliveryStatus",
    "Pickup",
    "PickupLine",
    "RejectReason",
    "SheetBatch",
    "SheetBatchPart",
    "SheetBatchPartStatus",
    "SheetBatchStatus",
]
