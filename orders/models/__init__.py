from .orders import Order, OrderPriority, OrderStatus

__all__ = ["Order", "OrderPriority", "OrderStatus"]
