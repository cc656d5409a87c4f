"""Small server-side SVG charts: data in, an SVG string out (no JavaScript, no CDN).

Used by the coordinator dashboard and the PDF reports. Every function is pure:
it reads nothing from the database or the request, so the same call gives the
same SVG in a page and in a PDF. Text is escaped with ``format_html``/``escape``.

Conventions shared by all charts:

- ``persian=True`` writes numbers with Persian digits and thousands separators
  (``۱۲٬۵۰۰``) and lays the chart out right-to-left: labels sit on the right,
  bars grow leftwards, and the time axis of ``line_chart`` runs from right
  (oldest) to left (newest), as a Persian reader scans.
- The root ``<svg>`` carries ``role="img"``, ``aria-label`` (the title) and a
  ``<title>`` element; pages must still follow each chart with a table of the
  same numbers (``<details>``), since a picture is not readable by everyone.
- Colours are inline attributes (not CSS classes) so WeasyPrint renders them
  the same as a browser.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from core.persian import group_thousands

# Readable on white, distinguishable for the common colour-vision deficiencies (Okabe–Ito).
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")
FONT = "Vazirmatn, Tahoma, sans-serif"
TEXT_COLOUR = "#222"
GRID_COLOUR = "#ddd"


@dataclass(frozen=True)
class Series:
    """One line of a line chart: a name for the legend and one value per label."""

    name: str
    values: Sequence[int | float]


def format_number(value: int | float, *, persian: bool = True) -> str:
    """``12500`` -> ``۱۲٬۵۰۰`` (Persian) or ``12,500``."""
    return group_thousands(value, persian=persian)


def nice_maximum(value: float, ticks: int = 4) -> int:
    """A round axis top at or above ``value`` that splits into ``ticks`` whole, round steps (340 -> 400)."""
    raw_step = max(value / ticks, 1)
    magnitude = 10 ** (len(str(int(raw_step))) - 1)
    for factor in (1, 2, 2.5, 5, 10):
        step = factor * magnitude
        if step >= raw_step and step == int(step):
            return int(step) * ticks
    return 10 * magnitude * ticks  # pragma: no cover - factor 10 always fits


def _open_svg(width: int, height: int, title: str, *, persian: bool) -> str:
    # ``direction="ltr"`` always, also inside an RTL page (which the SVG would inherit): RTL swaps what
    # text-anchor start/end mean. The layout is mirrored by coordinates instead, and the Unicode bidi
    # algorithm still writes each Persian label right to left.
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" aria-label="{title}" '
        'viewBox="0 0 {w} {h}" width="{w}" height="{h}" direction="ltr" '
        'font-family="{font}" font-size="12" fill="{colour}"><title>{title}</title>',
        title=title,
        w=width,
        h=height,
        font=FONT,
        colour=TEXT_COLOUR,
    )


def _text(x: float, y: float, text: str, *, anchor: str = "middle", size: int = 12, weight: str = "normal") -> str:
    return format_html(
        '<text x="{}" y="{}" text-anchor="{}" font-size="{}" font-weight="{}">{}</text>',
        f"{x:.1f}",
        f"{y:.1f}",
        anchor,
        size,
        weight,
        text,
    )


def _empty(width: int, height: int, title: str, message: str, *, persian: bool) -> SafeString:
    parts = [_open_svg(width, height, title, persian=persian), _text(width / 2, height / 2, message), "</svg>"]
    return _join(parts)


def _join(parts: Sequence[str]) -> SafeString:
    # Every part was built with format_html (labels escaped) or is a fixed tag, so the whole is safe.
    return mark_safe("".join(parts))  # noqa: S308


def _y_ticks(top: int, count: int = 4) -> list[int]:
    return [top * index // count for index in range(count + 1)]


def line_chart(
    series: Sequence[Series],
    labels: Sequence[str],
    *,
    title: str,
    persian: bool = True,
    width: int = 560,
    height: int = 260,
    empty_message: str = "—",
) -> SafeString:
    """Lines over shared x labels (e.g. weeks), with a y axis from 0, dots on each point and a legend.

    ``labels`` are shown as given (format dates before calling); each series has one value per label.
    """
    if not labels or not series:
        return _empty(width, height, title, empty_message, persian=persian)
    margin_side, margin_axis, margin_top, margin_bottom = 16, 56, 30, 46
    plot_left = margin_side if persian else margin_axis
    plot_right = width - (margin_axis if persian else margin_side)
    plot_top, plot_bottom = margin_top, height - margin_bottom
    top = nice_maximum(max((max(s.values, default=0) for s in series), default=0))
    slots = max(len(labels) - 1, 1)

    def x_at(index: int) -> float:
        share = index / slots if len(labels) > 1 else 0.5
        offset = share * (plot_right - plot_left)
        return plot_right - offset if persian else plot_left + offset

    def y_at(value: float) -> float:
        return plot_bottom - (value / top) * (plot_bottom - plot_top)

    parts = [_open_svg(width, height, title, persian=persian)]
    axis_x = plot_right + 6 if persian else plot_left - 6
    for tick in _y_ticks(top):
        y = y_at(tick)
        parts.append(
            format_html(
                '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="{}"/>',
                plot_left,
                plot_right,
                f"{y:.1f}",
                f"{y:.1f}",
                GRID_COLOUR,
            )
        )
        tick_text = format_number(round(tick), persian=persian)
        parts.append(_text(axis_x, y + 4, tick_text, anchor="start" if persian else "end"))
    # Thin out x labels so they never overlap (about 60px each).
    every = max(1, -(-len(labels) * 60 // max(plot_right - plot_left, 1)))
    for index, label in enumerate(labels):
        if index % every == 0 or index == len(labels) - 1:
            parts.append(_text(x_at(index), plot_bottom + 16, label, size=11))
    for number, line in enumerate(series):
        colour = PALETTE[number % len(PALETTE)]
        points = " ".join(f"{x_at(i):.1f},{y_at(v):.1f}" for i, v in enumerate(line.values))
        parts.append(format_html('<polyline points="{}" fill="none" stroke="{}" stroke-width="2.5"/>', points, colour))
        for index, value in enumerate(line.values):
            parts.append(
                format_html(
                    '<circle cx="{}" cy="{}" r="3" fill="{}"><title>{}: {}</title></circle>',
                    f"{x_at(index):.1f}",
                    f"{y_at(value):.1f}",
                    colour,
                    labels[index] if index < len(labels) else "",
                    format_number(value, persian=persian),
                )
            )
    parts.append(_legend([s.name for s in series], width=width, y=height - 10, persian=persian))
    parts.append("</svg>")
    return _join(parts)


def _legend(names: Sequence[str], *, width: int, y: float, persian: bool) -> str:
    """Swatches and names in a row, starting at the reading side."""
    parts = []
    cursor = width - 16 if persian else 16
    for number, name in enumerate(names):
        colour = PALETTE[number % len(PALETTE)]
        span = 24 + 7 * len(str(name))
        swatch_x = cursor - 12 if persian else cursor
        parts.append(format_html('<rect x="{}" y="{}" width="12" height="12" fill="{}"/>', swatch_x, y - 10, colour))
        text_x = cursor - 16 if persian else cursor + 16
        parts.append(_text(text_x, y, name, anchor="end" if persian else "start", size=11))
        cursor = cursor - span if persian else cursor + span
    return "".join(parts)


def bar_chart(
    labels: Sequence[str],
    values: Sequence[int | float],
    *,
    title: str,
    persian: bool = True,
    width: int = 560,
    bar_height: int = 22,
    label_width: int = 150,
    value_room: int = 90,
    colour: str = PALETTE[3],
    empty_message: str = "—",
) -> SafeString:
    """Horizontal bars, one per label (long Persian province names fit), value written at each bar's end."""
    if not labels:
        return _empty(width, 80, title, empty_message, persian=persian)
    gap, margin = 8, 12
    height = margin * 2 + len(labels) * (bar_height + gap)
    top = nice_maximum(max(values, default=0))
    track = width - label_width - value_room - margin * 2
    parts = [_open_svg(width, height, title, persian=persian)]
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = margin + index * (bar_height + gap)
        length = max(track * value / top, 0)
        if persian:
            label_x, bar_x = width - margin, width - margin - label_width - length
            value_x, value_anchor, label_anchor = bar_x - 6, "end", "end"
        else:
            label_x, bar_x = margin, margin + label_width
            value_x, value_anchor, label_anchor = bar_x + length + 6, "start", "start"
        parts.append(_text(label_x, y + bar_height * 0.7, label, anchor=label_anchor))
        parts.append(
            format_html(
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}: {}</title></rect>',
                f"{bar_x:.1f}",
                y,
                f"{length:.1f}",
                bar_height,
                colour,
                label,
                format_number(value, persian=persian),
            )
        )
        parts.append(_text(value_x, y + bar_height * 0.7, format_number(value, persian=persian), anchor=value_anchor))
    parts.append("</svg>")
    return _join(parts)


def stacked_bar(
    segments: Sequence[tuple[str, int | float]],
    *,
    title: str,
    persian: bool = True,
    width: int = 560,
    empty_message: str = "—",
) -> SafeString:
    """One bar split into parts (e.g. quotas by status), each part's share of the total, and a legend with counts.

    Parts with a zero value are left out of the bar but kept in the legend.
    """
    total = sum(value for _, value in segments)
    if not segments or total <= 0:
        return _empty(width, 80, title, empty_message, persian=persian)
    margin, bar_height = 12, 32
    legend_rows = len(segments)
    height = margin * 2 + bar_height + 12 + legend_rows * 20
    track = width - margin * 2
    parts = [_open_svg(width, height, title, persian=persian)]
    cursor = width - margin if persian else margin
    for number, (label, value) in enumerate(segments):
        if value <= 0:
            continue
        length = track * value / total
        x = cursor - length if persian else cursor
        parts.append(
            format_html(
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}: {}</title></rect>',
                f"{x:.1f}",
                margin,
                f"{length:.1f}",
                bar_height,
                PALETTE[number % len(PALETTE)],
                label,
                format_number(value, persian=persian),
            )
        )
        cursor = cursor - length if persian else cursor + length
    for number, (label, value) in enumerate(segments):
        y = margin + bar_height + 12 + number * 20 + 12
        percent = round(100 * value / total)
        swatch_x = width - margin - 12 if persian else margin
        parts.append(
            format_html(
                '<rect x="{}" y="{}" width="12" height="12" fill="{}"/>',
                swatch_x,
                y - 10,
                PALETTE[number % len(PALETTE)],
            )
        )
        percent_sign = "٪" if persian else "%"
        share = f"{format_number(percent, persian=persian)}{percent_sign}"
        text = f"{label}: {format_number(value, persian=persian)} ({share})"
        text_x = width - margin - 18 if persian else margin + 18
        parts.append(_text(text_x, y, escape(text), anchor="end" if persian else "start", size=11))
    parts.append("</svg>")
    return _join(parts)
