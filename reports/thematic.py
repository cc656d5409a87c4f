"""What the ministry's thematic report holds: its summary and the rows of its tables.

``reports.thematic_selectors`` reads them for one province (or all of the requester's) and a period.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from core.models import Province

from .dashboard import Figures
from .income_selectors import IncomeRow
from .province_map import ProvinceMap


def _headline(name: str) -> property:
    """A figure the report shows as the dashboard's headline has it."""
    return property(lambda summary: getattr(summary.headline, name))


@dataclass(frozen=True)
class Summary:
    """The dashboard's headline plus the counts only the report shows."""

    headline: Figures
    orders: int = 0
    budget_rials: int = 0
    rejected_units: int = 0
    deliveries: int = 0
    disputed_deliveries: int = 0
    health_centers_served: int = 0

    ordered_units = _headline("demand_units")
    funded_rials = _headline("funded_rials")
    # Units the period's money paid for, as a share of the period's demand; None without demand.
    funded_percent = _headline("funded_percent")
    accepted_units = _headline("accepted_units")
    delivered_units = _headline("delivered_units")
    confirmed_units = _headline("confirmed_units")

    @property
    def rejected_percent(self) -> int | None:
        collected = self.accepted_units + self.rejected_units
        return self.rejected_units * 100 // collected if collected else None


@dataclass(frozen=True)
class WorkshopRow:
    name: str
    province: str
    city: str
    accepted_units: int
    rejected_units: int


@dataclass(frozen=True)
class CenterRow:
    name: str
    province: str
    deliveries: int
    delivered_units: int
    confirmed_units: int


@dataclass(frozen=True)
class CampaignRow:
    name: str
    received_rials: int
    applied_rials: int
    refunded_rials: int
    balance_rials: int


@dataclass(frozen=True)
class DiscrepancyRow:
    delivery_code: str
    health_center: str
    product: str
    sent_units: int
    received_units: int
    rejected_units: int
    short_units: int
    reason: str
    made_up_by: str  # the code of the later confirmed delivery, empty while open

    @property
    def is_resolved(self) -> bool:
        return bool(self.made_up_by)


@dataclass(frozen=True)
class RejectionRow:
    reason: str
    label: str
    units: int


@dataclass
class ThematicData:
    start: dt.date
    end: dt.date
    province: Province | None
    summary: Summary
    provinces: list[Figures] = field(default_factory=list)
    products: list[Figures] = field(default_factory=list)
    top_workshops: list[WorkshopRow] = field(default_factory=list)
    health_centers: list[CenterRow] = field(default_factory=list)
    campaigns: list[CampaignRow] = field(default_factory=list)
    discrepancies: list[DiscrepancyRow] = field(default_factory=list)
    rejections: list[RejectionRow] = field(default_factory=list)
    product_names: list[tuple[str, str, int]] = field(default_factory=list)  # (Persian, English, units ordered)
    # Need, funding gap and free capacity *today* over the requester's provinces (``reports.map_selectors``).
    province_maps: list[ProvinceMap] = field(default_factory=list)
    # Income of workshops by province (``reports.income_selectors``, the dashboard's table).
    income: list[IncomeRow] = field(default_factory=list)

    @property
    def shortfall_units(self) -> int:
        return sum(row.short_units for row in self.discrepancies)

    @property
    def resolved_discrepancies(self) -> int:
        return sum(row.is_resolved for row in self.discrepancies)
