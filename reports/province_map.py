"""A tile-grid map of Iran's 31 provinces coloured by one measure (``reports.map_selectors``), as SVG.

One square per province, placed roughly where the province lies (north up, east right, in every language:
it is a map). Each tile shows the province's short name and value, is coloured on a sequential scale
(light: little, dark: much; 0 the lightest) explained by a legend, and links to the province's figures.
A province whose figures the reader may not see is grey ("not in your provinces"); one whose figure would
describe fewer than five workshops on the public page says "hidden".

Drawn as ``reports.charts`` draws (read its docstring): ``aria-label`` and ``<title>``, Persian digits, colours
as presentation attributes (``fill=""``), never a ``style`` attribute or element (strict CSP). One difference:
the root is ``role="group"``, not ``role="img"``, because its tiles are links (an image's insides are not
read out, and axe-core counts links inside one as nested interactive controls); each link and each unlinked
tile is named by its own ``<title>`` ("Tehran: 5,700"), which is also its tooltip.
Pages show the same numbers in a table next to the map (``templates/includes/province_map.html``). The PDF
draws the grid as an HTML table (``reports.report_pdf.map_grid``) since WeasyPrint does not shape Persian in SVG text.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from core.i18n import page_is_persian
from core.models import Province

from .charts import FONT, TEXT_COLOUR, _join, _text, format_number  # the charts' own helpers: one way to draw
from .map_selectors import Measure, Values, map_provinces, measure_for, measures, province_ids_for

# (column, row) of every province: hand-made from the capitals' longitudes and latitudes, nudged so that
# neighbours touch. 7 columns (west to east) by 6 rows (north to south).
TILES: dict[str, tuple[int, int]] = {
    "west-azerbaijan": (0, 0),
    "east-azerbaijan": (1, 0),
    "ardabil": (2, 0),
    "kurdistan": (0, 1),
    "zanjan": (1, 1),
    "gilan": (2, 1),
    "mazandaran": (3, 1),
    "golestan": (4, 1),
    "north-khorasan": (5, 1),
    "kermanshah": (0, 2),
    "hamadan": (1, 2),
    "qazvin": (2, 2),
    "alborz": (3, 2),
    "tehran": (4, 2),
    "semnan": (5, 2),
    "razavi-khorasan": (6, 2),
    "ilam": (0, 3),
    "lorestan": (1, 3),
    "markazi": (2, 3),
    "qom": (3, 3),
    "south-khorasan": (6, 3),
    "khuzestan": (1, 4),
    "chaharmahal-bakhtiari": (2, 4),
    "isfahan": (3, 4),
    "yazd": (4, 4),
    "kerman": (5, 4),
    "sistan-baluchestan": (6, 4),
    "bushehr": (1, 5),
    "kohgiluyeh-boyer-ahmad": (2, 5),
    "fars": (3, 5),
    "hormozgan": (4, 5),
}
COLUMNS, ROWS = 7, 6

# Names too long for a tile: (Persian, English). The full name is in the tile's tooltip and the table. No
# abbreviation dots in Persian: a full stop at the end of a right-to-left label lands on its wrong side.
SHORT_NAMES: dict[str, tuple[str, str]] = {
    "west-azerbaijan": ("آذربایجان غربی", "W. Azerbaijan"),
    "east-azerbaijan": ("آذربایجان شرقی", "E. Azerbaijan"),
    "north-khorasan": ("خراسان شمالی", "N. Khorasan"),
    "razavi-khorasan": ("خراسان رضوی", "Razavi Kh."),
    "south-khorasan": ("خراسان جنوبی", "S. Khorasan"),
    "chaharmahal-bakhtiari": ("چهارمحال", "Chaharmahal"),
    "kohgiluyeh-boyer-ahmad": ("کهگیلویه", "Kohgiluyeh"),
    "sistan-baluchestan": ("سیستان", "Sistan-Bal."),
}
LONG_NAME = 11  # characters: longer short names are written smaller

TILE_WIDTH, TILE_HEIGHT, GAP, MARGIN = 86, 56, 4, 8
GREY = "#e3e3e3"  # not the reader's province, or hidden on the public page
DARK_TEXT, LIGHT_TEXT = "#222", "#fff"
SELECTED_STROKE = "#000"
EDGE = "#bbb"  # a thin border, so that a white tile (the lightest colour) still shows on a white page

SHOWN, NOT_YOURS, HIDDEN = "shown", "not_yours", "hidden"


def step_of(value: int, top: int, steps: int) -> int:
    """The colour of ``value``: 0 (and everything when all are 0) the lightest, the largest the darkest,
    the rest in equal bands of ``top``."""
    if value <= 0 or top <= 0:
        return 0
    return min(steps - 1, max(1, math.ceil((steps - 1) * value / top)))


def is_dark(colour: str) -> bool:
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.299 * red + 0.587 * green + 0.114 * blue < 140


@dataclass(frozen=True)
class Tile:
    code: str
    name: str
    short_name: str
    column: int
    row: int
    state: str  # SHOWN, NOT_YOURS or HIDDEN
    value: int | None  # None unless SHOWN
    step: int | None
    colour: str
    url: str
    selected: bool = False

    @property
    def text_colour(self) -> str:
        return LIGHT_TEXT if is_dark(self.colour) else DARK_TEXT

    @property
    def shown(self) -> bool:
        return self.state == SHOWN


@dataclass(frozen=True)
class LegendItem:
    colour: str
    label: str


@dataclass(frozen=True)
class ProvinceMap:
    measure: Measure
    tiles: list[Tile]  # by name, as the table lists them
    legend: list[LegendItem]
    persian: bool
    choices: tuple[Measure, ...] = ()  # the measures the page offers (its chooser)

    def value_text(self, tile: Tile) -> str:
        if tile.state == HIDDEN:
            return _("hidden")
        if tile.state == NOT_YOURS:
            return "—"
        if self.measure.value_text is not None:
            return self.measure.value_text(tile.value or 0)
        return format_number(tile.value or 0, persian=self.persian)

    def state_text(self, tile: Tile) -> str:
        """Why a tile has no value, for the tooltip and the table ("" when it has one)."""
        if tile.state == HIDDEN:
            return _("hidden: fewer than five workshops")
        if tile.state == NOT_YOURS:
            return _("not in your provinces")
        return ""

    @property
    def rows(self) -> list[dict]:
        """The table next to the map: the same numbers, by name."""
        return [{"tile": tile, "value": self.value_text(tile), "note": self.state_text(tile)} for tile in self.tiles]

    @property
    def title(self) -> str:
        return _("Provinces by %(measure)s") % {"measure": self.measure.label}

    def svg(self) -> SafeString:
        return map_svg(self)


def build_map(
    measure: Measure,
    provinces: Iterable[Province],
    values: Values,
    *,
    visible: set[int] | None = None,
    hidden: Iterable[int] = (),
    url_for: Callable[[Province], str] | None = None,
    selected: Province | None = None,
    persian: bool = True,
) -> ProvinceMap:
    """Tiles for ``provinces``: ``visible`` ones (None: all) show their value unless ``hidden``; the rest are grey."""
    hidden = set(hidden)
    colours = measure.colours
    scale = measure.step_of or (lambda value, top: step_of(value, top, len(colours)))
    top = max(values.values(), default=0)
    tiles = []
    for province in provinces:
        column, row = TILES[province.code]
        fa, en = SHORT_NAMES.get(province.code, (province.name_fa, province.name_en))
        name = province.name_fa if persian else (province.name_en or province.name_fa)
        if visible is not None and province.pk not in visible:
            state, value, step, colour, url = NOT_YOURS, None, None, GREY, ""
        elif province.pk in hidden:
            state, value, step, colour, url = HIDDEN, None, None, GREY, url_for(province) if url_for else ""
        else:
            value = values.get(province.pk, 0)
            step = scale(value, top)
            state, colour, url = SHOWN, colours[step], url_for(province) if url_for else ""
        tiles.append(
            Tile(
                code=province.code,
                name=name,
                short_name=fa if persian else en,
                column=column,
                row=row,
                state=state,
                value=value,
                step=step,
                colour=colour,
                url=url,
                selected=selected is not None and selected.pk == province.pk,
            )
        )
    states = {tile.state for tile in tiles}
    return ProvinceMap(measure, tiles, _legend(measure, top, states, persian=persian), persian)


def _legend(measure: Measure, top: int, states: set[str], *, persian: bool) -> list[LegendItem]:
    colours = measure.colours
    if measure.value_text is not None:  # categories: each colour by its name
        items = [LegendItem(colour, measure.value_text(step)) for step, colour in enumerate(colours)]
    else:
        items = [LegendItem(colours[0], format_number(0, persian=persian))]
    if measure.step_of is None:
        bands = len(colours) - 1
        for step in range(1, len(colours)):
            upper = math.ceil(top * step / bands) if top else 0
            items.append(
                LegendItem(colours[step], _("up to %(value)s") % {"value": format_number(upper, persian=persian)})
            )
    if NOT_YOURS in states:
        items.append(LegendItem(GREY, _("not in your provinces")))
    if HIDDEN in states:
        items.append(LegendItem(GREY, _("hidden")))
    return items


def coordinator_map(user, key: str | None, *, selected: Province | None = None) -> ProvinceMap:
    """The dashboard's map: the user's provinces coloured, each linking to the dashboard filtered to it
    (the chosen measure kept); the others grey. ``selected``: the dashboard's chosen province, outlined."""
    measure = measure_for(key)
    dashboard = reverse("reports:dashboard")

    def url_for(province: Province) -> str:
        return f"{dashboard}?{urlencode({'province': province.pk, 'map': measure.key})}#province-map"

    province_map = build_map(
        measure,
        map_provinces(),
        measure.read(user),
        visible=province_ids_for(user),
        url_for=url_for,
        selected=selected,
        persian=page_is_persian(),
    )
    return replace(province_map, choices=tuple(measures()))


# --- SVG -------------------------------------------------------------------------------------------------------

LEGEND_ROW = 20


def _legend_rows(items: list[LegendItem], width: int) -> list[list[tuple[LegendItem, int]]]:
    """Legend items with their widths, wrapped into rows that fit ``width``."""
    rows: list[list[tuple[LegendItem, int]]] = [[]]
    used = 0
    for item in items:
        span = 26 + 7 * len(item.label)
        if rows[-1] and used + span > width:
            rows.append([])
            used = 0
        rows[-1].append((item, span))
        used += span
    return rows


def map_svg(province_map: ProvinceMap) -> SafeString:
    persian = province_map.persian
    width = MARGIN * 2 + COLUMNS * TILE_WIDTH + (COLUMNS - 1) * GAP
    grid_height = MARGIN * 2 + ROWS * TILE_HEIGHT + (ROWS - 1) * GAP
    legend = _legend_rows([LegendItem("", province_map.measure.label), *province_map.legend], width - 2 * MARGIN)
    height = grid_height + LEGEND_ROW * len(legend) + MARGIN
    parts = [
        format_html(
            '<svg xmlns="http://www.w3.org/2000/svg" class="chart province-map-svg" role="group" aria-label="{title}" '
            'viewBox="0 0 {w} {h}" width="{w}" height="{h}" direction="ltr" font-family="{font}" font-size="12" '
            'fill="{colour}"><title>{title}</title>',
            title=province_map.title,
            w=width,
            h=height,
            font=FONT,
            colour=TEXT_COLOUR,
        )
    ]
    for tile in province_map.tiles:
        parts.append(_tile(province_map, tile))
    parts.append(_legend_svg(legend, width=width, top=grid_height, persian=persian))
    parts.append("</svg>")
    return _join(parts)


def _tile(province_map: ProvinceMap, tile: Tile) -> str:
    x = MARGIN + tile.column * (TILE_WIDTH + GAP)
    y = MARGIN + tile.row * (TILE_HEIGHT + GAP)
    value = province_map.value_text(tile)
    why = province_map.state_text(tile)
    tooltip = f"{tile.name}: {why or value}"
    stroke, stroke_width = (SELECTED_STROKE, 3) if tile.selected else (EDGE, 0.5)
    body = format_html(
        '<title>{tooltip}</title><rect x="{x}" y="{y}" width="{w}" height="{h}" rx="4" fill="{fill}" '
        'stroke="{stroke}" stroke-width="{stroke_width}"/>'
        '<g fill="{ink}">{name}{value}</g>',
        tooltip=tooltip,
        x=x,
        y=y,
        w=TILE_WIDTH,
        h=TILE_HEIGHT,
        fill=tile.colour,
        stroke=stroke,
        stroke_width=stroke_width,
        ink=tile.text_colour,
        name=_text(
            x + TILE_WIDTH / 2,
            y + 22,
            tile.short_name,
            size=10 if len(tile.short_name) > LONG_NAME else 11,
            weight="bold",
        ),
        value=_text(x + TILE_WIDTH / 2, y + 42, value, size=12),
    )
    if tile.url:
        # Out of the tab order (screen readers still list it): the table next to the map has the same links,
        # and 31 more stops before it would only slow a keyboard down.
        return format_html(
            '<a href="{url}" tabindex="-1" data-province="{code}" data-state="{state}" data-step="{step}">{body}</a>',
            url=tile.url,
            code=tile.code,
            state=tile.state,
            step="" if tile.step is None else tile.step,
            body=body,
        )
    return format_html(
        '<g role="img" data-province="{code}" data-state="{state}" data-step="{step}">{body}</g>',
        code=tile.code,
        state=tile.state,
        step="" if tile.step is None else tile.step,
        body=body,
    )


def _legend_svg(rows: list[list[tuple[LegendItem, int]]], *, width: int, top: int, persian: bool) -> str:
    """Swatches and labels from the reading side; the first item (no colour) is the measure's name."""
    parts = []
    for number, row in enumerate(rows):
        y = top + number * LEGEND_ROW + 12
        cursor = width - MARGIN if persian else MARGIN
        for item, span in row:
            if item.colour:
                swatch_x = cursor - 14 if persian else cursor
                parts.append(
                    format_html(
                        '<rect x="{}" y="{}" width="14" height="14" fill="{}" stroke="#999" stroke-width="0.5"/>',
                        swatch_x,
                        y - 11,
                        item.colour,
                    )
                )
                text_x = cursor - 18 if persian else cursor + 18
            else:
                text_x = cursor
            parts.append(_text(text_x, y, item.label, anchor="end" if persian else "start", size=11))
            cursor = cursor - span if persian else cursor + span
    return "".join(parts)


# --- PDF -------------------------------------------------------------------------------------------------------


def report_maps(user, *, selected: Province | None = None) -> list[ProvinceMap]:
    """Every measure's map over the requester's provinces, for the thematic report (no links in a PDF)."""
    provinces, visible, persian = map_provinces(), province_ids_for(user), page_is_persian()
    return [
        build_map(measure, provinces, measure.read(user), visible=visible, selected=selected, persian=persian)
        for measure in measures()
    ]
