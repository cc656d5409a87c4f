"""Income of workshops by province for a period: one definition, read by the dashboard and the thematic report.

- **from donated orders**: what workshops were paid for accepted units: the payout ledger entries to workshops
  dated in the period (one per line of a paid payout batch), i.e. the dashboard's "paid to workshops"
  (``reports.selectors.payouts_in``), not a second definition of it;
- **from sales**: ``SaleRecord.amount_rials`` of the sales the owners recorded with a sale date in the period;
- both counted in the *workshop's* province (supply side, as production and payments on the dashboard), in the
  user's provinces (and the chosen one when given);
- **to women-headed workshops**: the part of each paid to workshops whose ``is_woman_head_of_household`` is set
  *now* (the flag is not kept in history), and its share of that figure.

Queries: one grouped query per figure (province × women-headed), plus one for the province names; the count does
not grow with workshops, payouts or sales.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields

from django.db.models import QuerySet, Sum

from core.models import Province
from sales.models import SaleRecord

from .periods import DashboardPeriod, day_range
from .selectors import in_scope, payouts_in


@dataclass
class IncomeRow:
    """One province's income in the period (or the total of the rows: ``key`` None)."""

    key: int | None = None
    name: str = ""
    donated_rials: int = 0
    donated_women_rials: int = 0
    sales_rials: int = 0
    sales_women_rials: int = 0

    @property
    def total_rials(self) -> int:
        return self.donated_rials + self.sales_rials

    @property
    def total_women_rials(self) -> int:
        return self.donated_women_rials + self.sales_women_rials

    @staticmethod
    def _percent(part: int, whole: int) -> int | None:
        return round(100 * part / whole) if whole else None

    @property
    def donated_women_percent(self) -> int | None:
        return self._percent(self.donated_women_rials, self.donated_rials)

    @property
    def sales_women_percent(self) -> int | None:
        return self._percent(self.sales_women_rials, self.sales_rials)

    @property
    def total_women_percent(self) -> int | None:
        return self._percent(self.total_women_rials, self.total_rials)

    def add(self, other: IncomeRow) -> None:
        for name in AMOUNTS:
            setattr(self, name, getattr(self, name) + getattr(other, name))


AMOUNTS = tuple(f.name for f in fields(IncomeRow) if f.name.endswith("_rials"))


def sales_in(user, period: DashboardPeriod, province: Province | None) -> QuerySet[SaleRecord]:
    """The rows of "income from sales": sales dated in the period, at workshops of the province."""
    return in_scope(SaleRecord.objects.filter(**day_range("sold_on", period)), user, "workshop__province", province)


def _by_province_and_women(queryset: QuerySet, workshop: str, amount: str) -> Iterable[tuple]:
    """``(province, is woman-headed, sum)`` per group."""
    keys = (f"{workshop}__province", f"{workshop}__is_woman_head_of_household")
    return queryset.order_by().values(*keys).annotate(total=Sum(amount)).values_list(*keys, "total")


def income_rows(*, user, period: DashboardPeriod, province: Province | None = None) -> list[IncomeRow]:
    """One row per province with any income in the period (the user's provinces only), by name."""
    rows: dict[int | None, IncomeRow] = {}
    sources = (
        (payouts_in(user, period, province), "to_workshop", "donated"),
        (sales_in(user, period, province), "workshop", "sales"),
    )
    for queryset, workshop, figure in sources:
        for province_key, is_woman_headed, total in _by_province_and_women(queryset, workshop, "amount_rials"):
            row = rows.setdefault(province_key, IncomeRow(key=province_key))
            amount = int(total or 0)
            setattr(row, f"{figure}_rials", getattr(row, f"{figure}_rials") + amount)
            if is_woman_headed:
                setattr(row, f"{figure}_women_rials", getattr(row, f"{figure}_women_rials") + amount)
    names = {pk: str(p) for pk, p in Province.objects.in_bulk([key for key in rows if key is not None]).items()}
    for key, row in rows.items():
        row.name = names.get(key, "—")
    return sorted(rows.values(), key=lambda row: row.name)


def income_total(rows: Iterable[IncomeRow]) -> IncomeRow:
    """The rows added up (a workshop lies in one province, so nothing is counted twice)."""
    total = IncomeRow()
    for row in rows:
        total.add(row)
    return total
