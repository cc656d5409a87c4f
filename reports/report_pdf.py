"""The thematic report as an A4 PDF: header, the paragraph, headline figures, SVG charts and every table.

Charts are bar rows whose bars are inline ``<svg>`` (vectors in the PDF) and whose
labels and values are HTML text (see ``report_charts`` for why). Numbers are
written with Persian digits in a Persian report; table headers repeat on every page.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from core.persian import group_thousands, to_persian_digits

from .charts import PALETTE
from .province_map import COLUMNS, DARK_TEXT, GREY, LIGHT_TEXT, NOT_YOURS, ROWS, ProvinceMap, is_dark
from .thematic import ThematicData
from .thematic_tables import TEXT, Table, cell_kind

STYLESHEET_TEMPLATE = "reports/pdf/thematic.css"
CHART_ROWS = 10
BAR_TRACK = 1000  # SVG user units of a bar's full length


def format_cell(value, kind: str, *, persian: bool) -> str:
    if value is None:
        return "—"
    if kind == TEXT or not isinstance(value, int):
        return str(value)
    if kind == "percent":
        return f"{to_persian_digits(value)}٪" if persian else f"{value}%"
    return group_thousands(value, persian=persian)


def table_cells(table: Table, *, persian: bool) -> list[list[dict]]:
    rows = []
    for row in table.rows:
        cells = []
        for value, column in zip(row, table.columns, strict=True):
            value, kind = cell_kind(value, column)
            cells.append({"text": format_cell(value, kind, persian=persian), "numeric": kind != TEXT})
        rows.append(cells)
    return rows


def headline_figures(data: ThematicData, *, persian: bool) -> list[dict]:
    s = data.summary
    figures = [
        (_("Units ordered"), s.ordered_units, "units"),
        (_("Units paid for, as a share of units ordered"), s.funded_percent, "percent"),
        (_("Units accepted"), s.accepted_units, "units"),
        (_("Units delivered"), s.delivered_units, "units"),
        (_("Units confirmed"), s.confirmed_units, "units"),
        (_("Health centers served"), s.health_centers_served, "units"),
    ]
    return [{"label": label, "value": format_cell(value, kind, persian=persian)} for label, value, kind in figures]


@dataclass(frozen=True)
class BarChart:
    """A horizontal bar chart for the PDF: labels and values are HTML (shaped by the page's text engine),
    each bar is a small inline SVG drawn from the reading side."""

    title: str
    rows: list[dict]
    empty_message: str


def _bar_svg(value: int, top: int, *, colour: str, persian: bool) -> SafeString:
    length = round(BAR_TRACK * value / top) if top else 0
    x = BAR_TRACK - length if persian else 0
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" width="100%" height="10" viewBox="0 0 {track} 10" '
        'preserveAspectRatio="none" role="img" aria-hidden="true">'
        '<rect x="0" y="0" width="{track}" height="10" fill="#eef2f5"/>'
        '<rect x="{x}" y="0" width="{length}" height="10" fill="{colour}"/></svg>',
        track=BAR_TRACK,
        x=x,
        length=length,
        colour=colour,
    )


def bar_chart(title: str, pairs: list[tuple[str, int]], *, persian: bool, colour: str) -> BarChart:
    top = max((value for _label, value in pairs), default=0)
    return BarChart(
        title=title,
        rows=[
            {
                "label": label,
                "value": format_cell(value, "units", persian=persian),
                "bar": _bar_svg(value, top, colour=colour, persian=persian),
            }
            for label, value in pairs
        ],
        empty_message=_("Nothing in this period."),
    )


def report_charts(data: ThematicData, *, persian: bool) -> list[BarChart]:
    """Ordered units by province (or by product within one province), top workshops and rejections by reason.

    Not ``reports.charts``: WeasyPrint 70 draws ``<text>`` inside SVG without Arabic shaping or bidi
    (isolated letters, words left to right), so Persian labels must stay in HTML; only the bars are SVG.
    """
    areas = sorted(data.provinces if len(data.provinces) > 1 else data.products, key=lambda row: -row.demand_units)
    area_title = _("Units ordered by province") if len(data.provinces) > 1 else _("Units ordered by product")
    areas = [row for row in areas if row.demand_units][:CHART_ROWS]
    result = [
        bar_chart(area_title, [(row.name, row.demand_units) for row in areas], persian=persian, colour=PALETTE[3]),
        bar_chart(
            _("Top workshops by accepted units"),
            [(row.name, row.accepted_units) for row in data.top_workshops],
            persian=persian,
            colour=PALETTE[0],
        ),
    ]
    if data.rejections:
        result.append(
            bar_chart(
                _("Units rejected at pickups, by reason"),
                [(row.label, row.units) for row in data.rejections],
                persian=persian,
                colour=PALETTE[1],
            )
        )
    return result


def map_grid(province_map: ProvinceMap) -> list[list[dict | None]]:
    """The tiles as rows of an HTML table (None: sea or a neighbour country), north first, west first;
    each cell with its text and its colour class (``map_css``)."""
    grid: list[list[dict | None]] = [[None] * COLUMNS for _ in range(ROWS)]
    for tile in province_map.tiles:
        grid[tile.row][tile.column] = {
            "tile": tile,
            "value": province_map.value_text(tile),
            "css": f"map-step-{tile.step}" if tile.shown else "map-grey",
        }
    return grid


def map_css(province_map: ProvinceMap) -> str:
    """The tile colours as classes (``map-step-N``, ``map-grey``) for the PDF's stylesheet."""
    rules = [
        f".map-step-{step} {{ background-color: {colour}; color: {LIGHT_TEXT if is_dark(colour) else DARK_TEXT}; }}"
        for step, colour in enumerate(province_map.measure.colours)
    ]
    rules.append(f".map-grey {{ background-color: {GREY}; color: {DARK_TEXT}; }}")
    return "\n".join(rules)


def map_swatch(colour: str) -> SafeString:
    """A legend's colour square for the PDF (an SVG without text, which WeasyPrint draws well)."""
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10" viewBox="0 0 10 10" aria-hidden="true">'
        '<rect width="10" height="10" fill="{}" stroke="#999" stroke-width="0.5"/></svg>',
        colour,
    )


def map_context(maps: list[ProvinceMap]) -> dict:
    """The first measure's map as an HTML grid, its legend, and every measure's value for the requester's provinces
    (a table with the map's numbers: the map in a PDF is a picture)."""
    if not maps:
        return {}
    first = maps[0]
    rows = [
        [tile.name, *(other.value_text(other.tiles[index]) for other in maps)]
        for index, tile in enumerate(first.tiles)
        if tile.state != NOT_YOURS
    ]
    return {
        "province_map": first,
        "map_grid": map_grid(first),
        "map_legend": [{"swatch": map_swatch(item.colour), "label": item.label} for item in first.legend],
        "map_columns": [_("Province"), *(other.measure.label for other in maps)],
        "map_rows": rows,
    }


def thematic_pdf(
    data: ThematicData, tables: list[Table], *, title: str, meta: list[tuple[str, str]], narrative: str, persian: bool
) -> bytes:
    """Render inside ``translation.override(language)``; ``meta`` are the header's (label, value) pairs."""
    from core.pdf import render_pdf  # WeasyPrint is heavy: loaded by the worker, not by every web process

    for table in tables:
        table.cells = table_cells(table, persian=persian)
    context = {
        "organisation": _("Hamdeli"),
        "title": title,
        "period": dict(meta).get(_("Period"), ""),
        "meta": meta,
        "narrative": narrative,
        "figures": headline_figures(data, persian=persian),
        "charts": report_charts(data, persian=persian),
        "tables": tables,
        "persian": persian,
        **map_context(data.province_maps),
    }
    css = render_to_string(STYLESHEET_TEMPLATE, {"persian": persian})
    stylesheets = [css, map_css(data.province_maps[0])] if data.province_maps else [css]
    return render_pdf("reports/pdf/thematic.html", context, stylesheets=stylesheets)
