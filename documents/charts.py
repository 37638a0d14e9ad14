"""Small line and bar charts, drawn once as primitives and emitted as inline SVG (for the
PDF: WeasyPrint renders it) or as a PNG (for the DOCX: Word does not take SVG everywhere).

No plotting library: a chart of a cluster's schools over a few years is a handful of
lines, dots, bars and labels.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

from .dates import vn_number
from .layout import Chart

WIDTH = 640
LEFT, TOP, BOTTOM = 56, 30, 34
LEGEND_WIDTH = 96
TICK_SIZE = 14
LEGEND_SIZE = 14
FONT_FAMILY = "'Times New Roman', 'Liberation Serif', Tinos, serif"
# Distinguishable in colour, and by the dash pattern when printed in black and white.
PALETTE = [
    "#1f4e79",
    "#c0392b",
    "#27864f",
    "#8e44ad",
    "#d68910",
    "#17a5a5",
    "#7f5539",
    "#d63384",
    "#4d4d4d",
    "#6b8e23",
]
DASHES = ["", "6 3", "2 3", "8 3 2 3"]
GRID = "#d0d0d0"
AXIS = "#333333"


@dataclass(frozen=True)
class Line:
    points: tuple[tuple[float, float], ...]
    color: str
    width: float = 1.0
    dash: str = ""


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    r: float
    color: str


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    w: float
    h: float
    color: str


@dataclass(frozen=True)
class Label:
    x: float
    y: float  # vertical middle of the text
    text: str
    size: float = 11
    anchor: str = "middle"  # start, middle, end
    color: str = AXIS


def _nice_step(span: float, target: int = 5) -> float:
    raw = span / max(target, 1)
    magnitude = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


def _ticks(spec: Chart) -> tuple[float, float, list[float]]:
    values = [v for s in spec.series for v in s.values if v is not None]
    if not values:
        return 0.0, 1.0, [0.0, 1.0]
    low, high = min(values), max(values)
    if spec.integer_axis:
        low, high = 1.0, max(high, 2.0)
        step = max(1.0, math.ceil((high - low) / 8))
        ticks = [low + i * step for i in range(int((high - low) // step) + 1)]
        if ticks[-1] < high:
            ticks.append(ticks[-1] + step)
        return low, ticks[-1], ticks
    if spec.chart_type == "bar":
        low = min(0.0, low)
    if high == low:
        high = low + 1
    step = _nice_step(high - low)
    start = math.floor(low / step) * step
    end = math.ceil(high / step) * step
    count = int(round((end - start) / step))
    return start, end, [start + i * step for i in range(count + 1)]


def _tick_text(value: float) -> str:
    """Vietnamese figures: 1.200, 1.200,5."""
    if abs(value - round(value)) < 1e-9:
        return vn_number(round(value))
    return vn_number(round(value, 2), 2)


def has_legend(spec: Chart) -> bool:
    return len(spec.series) > 1 or spec.chart_type == "line"


def size_of(spec: Chart) -> tuple[int, int]:
    """Line charts (several schools) are taller than the bar chart of one indicator."""
    return WIDTH, 300 if spec.chart_type == "line" else 220


def primitives(spec: Chart) -> list:
    """The chart as lines, dots, boxes and labels in a ``size_of(spec)`` canvas."""
    items: list = []
    width, height = size_of(spec)
    right = LEGEND_WIDTH if has_legend(spec) else 16
    plot_w = width - LEFT - right
    plot_h = height - TOP - BOTTOM
    low, high, ticks = _ticks(spec)
    count = max(len(spec.categories), 1)

    def y_of(value: float) -> float:
        share = (value - low) / (high - low) if high != low else 0
        if spec.invert:
            share = 1 - share
        return TOP + plot_h * (1 - share)

    def x_of(index: int) -> float:
        return LEFT + plot_w * (index + 0.5) / count

    for tick in ticks:
        y = y_of(tick)
        items.append(Line(((LEFT, y), (LEFT + plot_w, y)), GRID, 0.6))
        items.append(Label(LEFT - 6, y, _tick_text(tick), TICK_SIZE, "end"))
    items.append(Line(((LEFT, TOP), (LEFT, TOP + plot_h)), AXIS, 0.8))
    items.append(Line(((LEFT, TOP + plot_h), (LEFT + plot_w, TOP + plot_h)), AXIS, 0.8))
    for index, category in enumerate(spec.categories):
        items.append(Label(x_of(index), TOP + plot_h + 17, category, TICK_SIZE))
    if spec.y_label:
        items.append(Label(LEFT, TOP - 16, spec.y_label, TICK_SIZE, "middle"))

    if spec.chart_type == "bar":
        series_count = max(len(spec.series), 1)
        slot = plot_w / count
        bar_w = slot * 0.6 / series_count
        base = y_of(max(low, 0.0))
        for s_index, series in enumerate(spec.series):
            color = PALETTE[s_index % len(PALETTE)]
            for index, value in enumerate(series.values):
                if value is None:
                    continue
                x = LEFT + slot * index + slot * 0.2 + bar_w * s_index
                top = y_of(value)
                items.append(Box(x, min(top, base), bar_w, abs(base - top), color))
                items.append(Label(x + bar_w / 2, min(top, base) - 9, _tick_text(value), TICK_SIZE))
    else:
        for s_index, series in enumerate(spec.series):
            color = PALETTE[s_index % len(PALETTE)]
            dash = DASHES[(s_index // len(PALETTE) + s_index) % len(DASHES)]
            run: list[tuple[float, float]] = []
            for index, value in enumerate(series.values):
                if value is None:
                    if len(run) > 1:
                        items.append(Line(tuple(run), color, 1.8, dash))
                    run = []
                    continue
                point = (x_of(index), y_of(value))
                run.append(point)
                items.append(Dot(point[0], point[1], 3, color))
            if len(run) > 1:
                items.append(Line(tuple(run), color, 1.8, dash))

    if has_legend(spec):
        legend_x = LEFT + plot_w + 12
        for s_index, series in enumerate(spec.series):
            color = PALETTE[s_index % len(PALETTE)]
            dash = DASHES[(s_index // len(PALETTE) + s_index) % len(DASHES)]
            y = TOP + 8 + s_index * 19
            items.append(Line(((legend_x, y), (legend_x + 22, y)), color, 1.8, dash))
            items.append(Dot(legend_x + 11, y, 3, color))
            items.append(Label(legend_x + 28, y, series.name, LEGEND_SIZE, "start"))
    return items


# --- SVG ------------------------------------------------------------------------------------


def to_svg(spec: Chart) -> str:
    width, height = size_of(spec)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" font-family="{escape(FONT_FAMILY)}" '
        f'role="img" aria-label="{escape(spec.title, {chr(34): "&quot;"})}">'
    ]
    for item in primitives(spec):
        if isinstance(item, Line):
            points = " ".join(f"{x:.1f},{y:.1f}" for x, y in item.points)
            dash = f' stroke-dasharray="{item.dash}"' if item.dash else ""
            parts.append(
                f'<polyline points="{points}" fill="none" stroke="{item.color}" '
                f'stroke-width="{item.width}"{dash}/>'
            )
        elif isinstance(item, Dot):
            parts.append(
                f'<circle cx="{item.x:.1f}" cy="{item.y:.1f}" r="{item.r}" fill="{item.color}"/>'
            )
        elif isinstance(item, Box):
            parts.append(
                f'<rect x="{item.x:.1f}" y="{item.y:.1f}" width="{item.w:.1f}" '
                f'height="{item.h:.1f}" fill="{item.color}"/>'
            )
        elif isinstance(item, Label):
            # No dominant-baseline: place the baseline a third of the size below the middle.
            parts.append(
                f'<text x="{item.x:.1f}" y="{item.y + item.size * 0.35:.1f}" '
                f'font-size="{item.size}" text-anchor="{item.anchor}" fill="{item.color}">'
                f"{escape(item.text)}</text>"
            )
    parts.append("</svg>")
    return "".join(parts)


# --- PNG ------------------------------------------------------------------------------------

FONT_CANDIDATES = (
    "liberation2/LiberationSerif-Regular.ttf",
    "liberation/LiberationSerif-Regular.ttf",
    "croscore/Tinos-Regular.ttf",
    "dejavu/DejaVuSerif.ttf",
    "dejavu/DejaVuSans.ttf",
)


@lru_cache(maxsize=1)
def _font_path() -> str | None:
    for root in (Path("/usr/share/fonts/truetype"), Path("/usr/share/fonts")):
        for candidate in FONT_CANDIDATES:
            path = root / candidate
            if path.exists():
                return str(path)
    return None


def _font(size: float):
    from PIL import ImageFont

    path = _font_path()
    if path:
        return ImageFont.truetype(path, max(int(size), 6))
    return ImageFont.load_default(size=max(int(size), 6))


def to_png(spec: Chart, scale: float = 3.0) -> bytes:
    from PIL import Image, ImageDraw

    width, height = size_of(spec)
    image = Image.new("RGB", (int(width * scale), int(height * scale)), "white")
    draw = ImageDraw.Draw(image)
    anchors = {"start": "lm", "middle": "mm", "end": "rm"}
    for item in primitives(spec):
        if isinstance(item, Line):
            points = [(x * scale, y * scale) for x, y in item.points]
            if item.dash:
                _dashed(draw, points, item.color, item.width * scale, item.dash, scale)
            else:
                draw.line(points, fill=item.color, width=max(int(item.width * scale), 1))
        elif isinstance(item, Dot):
            r = item.r * scale
            draw.ellipse(
                (item.x * scale - r, item.y * scale - r, item.x * scale + r, item.y * scale + r),
                fill=item.color,
            )
        elif isinstance(item, Box):
            draw.rectangle(
                (
                    item.x * scale,
                    item.y * scale,
                    (item.x + item.w) * scale,
                    (item.y + item.h) * scale,
                ),
                fill=item.color,
            )
        elif isinstance(item, Label):
            draw.text(
                (item.x * scale, item.y * scale),
                item.text,
                fill=item.color,
                font=_font(item.size * scale),
                anchor=anchors[item.anchor],
            )
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _dashed(draw, points, color: str, width: float, pattern: str, scale: float) -> None:
    lengths = [float(n) * scale for n in pattern.split()]
    width_px = max(int(width), 1)
    index, remaining, drawing = 0, lengths[0], True
    for (x1, y1), (x2, y2) in zip(points, points[1:], strict=False):
        segment = math.hypot(x2 - x1, y2 - y1)
        position = 0.0
        while position < segment:
            step = min(remaining, segment - position)
            if drawing:
                t1, t2 = position / segment, (position + step) / segment
                draw.line(
                    [
                        (x1 + (x2 - x1) * t1, y1 + (y2 - y1) * t1),
                        (x1 + (x2 - x1) * t2, y1 + (y2 - y1) * t2),
                    ],
                    fill=color,
                    width=width_px,
                )
            position += step
            remaining -= step
            if remaining <= 1e-9:
                index = (index + 1) % len(lengths)
                remaining = lengths[index]
                drawing = not drawing
