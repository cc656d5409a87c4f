from .orders import Order, OrderPriority, OrderStatus
from .quotas import OutputReport, Quota, QuotaStatus

__all__ = ["Order", "OrderPriority", "OrderStatus", "OutputReport", "Quota", "QuotaStatus"]
