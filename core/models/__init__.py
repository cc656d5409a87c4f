from .accounts import PasswordResetCode, Role, User
from .audit import AuditLog
from .catalogue import Product, ProductKind
from .claimed_work import ClaimedWork
from .geography import City, Province
from .healthcenters import HealthCenter, HealthCenterKind
from .notifications import Notification, NotificationChannel, NotificationStatus
from .outbox import OutboxMessage
from .sequences import NumberSequence

__all__ = [
    "AuditLog",
    "City",
    "ClaimedWork",
    "HealthCenter",
    "HealthCenterKind",
    "Notification",
    "NotificationChannel",
    "NotificationStatus",
    "NumberSequence",
    "OutboxMessage",
    "PasswordResetCode",
    "Product",
    "ProductKind",
    "Province",
    "Role",
    "User",
]
