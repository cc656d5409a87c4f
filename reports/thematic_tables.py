"""The thematic report's tables as plain rows with typed columns, shared by the PDF and the XLSX writers.

Call ``report_tables`` inside ``translation.override(report.language)``: titles
and headers are translated when the tables are built.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .dashboard import Figures
from .income_selectors import IncomeRow, income_total
from .thematic import ThematicData

TEXT, UNITS, RIALS, PERCENT, MIXED = "text", "units", "rials", "percent", "mixed"


@dataclass(frozen=True)
class Cell:
    """A value that carries its own kind (the summary's one value column mixes units, rials and percents)."""

    value: object
    kind: str


def cell_kind(value, column: Column) -> tuple[object, str]:
    if isinstance(value, Cell):
        return value.value, value.kind
    return value, column.kind


@dataclass(frozen=True)
class Column:
    label: str
    kind: str = UNITS


@dataclass
class Table:
    key: str  # stable, for tests and CSS
    sheet: str  # the XLSX sheet name (at most 31 characters); tables with the same sheet share it
    title: str
    columns: list[Column]
    rows: list[list] = field(default_factory=list)
    # Shown instead of an empty table; translated when the table is built, like its title.
    empty_message: str = field(default_factory=lambda: _("Nothing in this period."))
    note: str = ""


def summary_table(data: ThematicData) -> Table:
    s, headline = data.summary, data.summary.headline
    figures = [
        (_("Orders placed"), s.orders, UNITS),
        (_("Units ordered"), s.ordered_units, UNITS),
        (_("Budget of the orders placed (rials)"), s.budget_rials, RIALS),
        (_("Funds received for orders (rials)"), s.funded_rials, RIALS),
        (_("Units paid for by those funds"), headline.releasable_units, UNITS),
        (_("Units paid for, as a share of units ordered"), s.funded_percent, PERCENT),
        (_("Units allocated to workshops"), headline.allocated_units, UNITS),
        (_("Units produced"), headline.produced_units, UNITS),
        (_("Units accepted at quality check"), s.accepted_units, UNITS),
        (_("Units rejected at quality check"), s.rejected_units, UNITS),
        (_("Units sent to health centers"), s.delivered_units, UNITS),
        (_("Units confirmed by receivers"), s.confirmed_units, UNITS),
        (_("Deliveries"), s.deliveries, UNITS),
        (_("Deliveries with a discrepancy"), s.disputed_deliveries, UNITS),
        (_("Health centers served"), s.health_centers_served, UNITS),
        (_("Active workshops"), headline.workshops_active, UNITS),
        (_("Active workshops headed by women"), headline.woman_headed_workshops_active, UNITS),
        (_("Paid to workshops (rials)"), headline.income_paid_rials, RIALS),
    ]
    return Table(
        key="summary",
        sheet=_("Summary"),
        title=_("Summary figures"),
        columns=[Column(_("Figure"), TEXT), Column(_("Value"), MIXED)],
        rows=[[label, Cell(value, kind)] for label, value, kind in figures],
    )


def _area_columns(first: str) -> list[Column]:
    """The dashboard's figures (see ``reports.dashboard`` for what each counts)."""
    return [
        Column(first, TEXT),
        Column(_("Units ordered")),
        Column(_("Funds received (rials)"), RIALS),
        Column(_("Units paid for")),
        Column(_("Funded"), PERCENT),
        Column(_("Allocated to workshops")),
        Column(_("Produced")),
        Column(_("Accepted")),
        Column(_("Sent")),
        Column(_("Confirmed")),
        Column(_("Active workshops")),
        Column(_("Paid to workshops (rials)"), RIALS),
    ]


def _area_row(row: Figures) -> list:
    return [
        row.name,
        row.demand_units,
        row.funded_rials,
        row.releasable_units,
        row.funded_percent,
        row.allocated_units,
        row.produced_units,
        row.accepted_units,
        row.delivered_units,
        row.confirmed_units,
        row.workshops_active,
        row.income_paid_rials,
    ]


def _area_table(key: str, sheet: str, title: str, first: str, rows: list[Figures]) -> Table:
    """The dashboard's figures for each province, or each product."""
    return Table(
        key=key,
        sheet=sheet,
        title=title,
        columns=_area_columns(first),
        rows=[_area_row(row) for row in rows],
    )


def _income_row(name: str, row: IncomeRow) -> list:
    return [
        name,
        row.donated_rials,
        row.donated_women_percent,
        row.sales_rials,
        row.sales_women_percent,
        row.total_rials,
        row.total_women_percent,
    ]


def income_table(data: ThematicData) -> Table:
    """The dashboard's "income of workshops by province" (``reports.income_selectors``), with a total row."""
    rows = [_income_row(row.name, row) for row in data.income]
    if len(data.income) > 1:
        rows.append(_income_row(_("Total"), income_total(data.income)))
    return Table(
        key="income",
        sheet=_("Income"),
        title=_("Income of workshops by province"),
        columns=[
            Column(_("Province"), TEXT),
            Column(_("From donated orders (rials)"), RIALS),
            Column(_("Women-headed share"), PERCENT),
            Column(_("From sales (rials)"), RIALS),
            Column(_("Women-headed share"), PERCENT),
            Column(_("Total (rials)"), RIALS),
            Column(_("Share to women-headed workshops"), PERCENT),
        ],
        rows=rows,
        empty_message=_("No income recorded in this period."),
        note=_(
            "In the workshop's province. From donated orders: payments to workshops for accepted units. "
            "From sales: sales the owners recorded. Share: the part that went to workshops run by women heads "
            "of household."
        ),
    )


def report_tables(data: ThematicData) -> list[Table]:
    return [
        summary_table(data),
        _area_table("provinces", _("Provinces"), _("By province"), _("Province"), data.provinces),
        _area_table("products", _("Products"), _("By product"), _("Product"), data.products),
        income_table(data),
        Table(
            key="workshops",
            sheet=_("Top workshops"),
            title=_("Top workshops by accepted units"),
            columns=[
                Column(_("Workshop"), TEXT),
                Column(_("Province"), TEXT),
                Column(_("City"), TEXT),
                Column(_("Accepted")),
                Column(_("Rejected")),
            ],
            rows=[[w.name, w.province, w.city, w.accepted_units, w.rejected_units] for w in data.top_workshops],
        ),
        Table(
            key="centers",
            sheet=_("Health centers"),
            title=_("Health centers served"),
            columns=[
                Column(_("Health center"), TEXT),
                Column(_("Province"), TEXT),
                Column(_("Deliveries")),
                Column(_("Units sent")),
                Column(_("Units confirmed")),
            ],
            rows=[
                [c.name, c.province, c.deliveries, c.delivered_units, c.confirmed_units] for c in data.health_centers
            ],
        ),
        Table(
            key="campaigns",
            sheet=_("Campaigns"),
            title=_("Funding by campaign"),
            columns=[
                Column(_("Campaign"), TEXT),
                Column(_("Received (rials)"), RIALS),
                Column(_("Applied to orders (rials)"), RIALS),
                Column(_("Refunded (rials)"), RIALS),
                Column(_("Balance at the end of the period (rials)"), RIALS),
            ],
            rows=[
                [c.name, c.received_rials, c.applied_rials, c.refunded_rials, c.balance_rials] for c in data.campaigns
            ],
            note=_("Campaigns are national: received and balance are whole; applied counts only this report's orders."),
        ),
        Table(
            key="discrepancies",
            sheet=_("Discrepancies"),
            title=_("Discrepancies on deliveries and their resolution"),
            columns=[
                Column(_("Delivery"), TEXT),
                Column(_("Health center"), TEXT),
                Column(_("Product"), TEXT),
                Column(_("Sent")),
                Column(_("Received")),
                Column(_("Refused")),
                Column(_("Short")),
                Column(_("Reason"), TEXT),
                Column(_("Resolution"), TEXT),
            ],
            rows=[
                [
                    d.delivery_code,
                    d.health_center,
                    d.product,
                    d.sent_units,
                    d.received_units,
                    d.rejected_units,
                    d.short_units,
                    d.reason,
                    _("Made up by %(code)s") % {"code": d.made_up_by} if d.is_resolved else _("Open"),
                ]
                for d in data.discrepancies
            ],
            empty_message=_("No discrepancy was reported."),
            note=_("A shortfall is made up once a later delivery of the same order to the center is confirmed."),
        ),
        Table(
            key="rejections",
            sheet=_("Discrepancies"),  # the second table of that sheet
            title=_("Units rejected at pickups, by reason"),
            columns=[Column(_("Reason"), TEXT), Column(_("Units"))],
            rows=[[r.label, r.units] for r in data.rejections],
            empty_message=_("No unit was rejected at pickups."),
        ),
    ]
