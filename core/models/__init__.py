from .accounts import Role, User
from .audit import AuditLog
from .catalogue import Product, ProductKind
from .geography import City, Province
from .healthcenters import HealthCenter, HealthCenterKind
from .sequences import NumberSequence

__all__ = [
    "AuditLog",
    "City",
    "HealthCenter",
    "HealthCenterKind",
    "NumberSequence",
    "Product",
    "ProductKind",
    "Province",
    "Role",
    "User",
]
