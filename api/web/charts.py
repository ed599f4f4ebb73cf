"""Charts drawn on the server: geometry computed here, SVG markup written by the templates
(``_chart_timeline.html``, ``_chart_bars.html``). No script, no inline style — colours come from CSS
classes, so the charts obey the page's Content-Security-Policy and print as they look. Each chart also
carries its numbers as a table for screen readers."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    series: str
    value: int
    label: str


@dataclass(frozen=True)
class Tick:
    pos: float
    label: str


@dataclass
class Chart:
    width: int
    height: int
    bars: list[Bar] = field(default_factory=list)
    x_ticks: list[Tick] = field(default_factory=list)
    y_ticks: list[Tick] = field(default_factory=list)
    series: list[str] = field(default_factory=list)
    rows: list[tuple[str, list[int]]] = field(default_factory=list)
    max_value: int = 0
    plot: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)  # left, top, right, bottom

    @property
    def empty(self) -> bool:
        return self.max_value == 0


def nice_max(value: int) -> int:
    """A round axis maximum at or above ``value`` (1, 2, 5 × 10ⁿ)."""
    if value <= 0:
        return 1
    exp = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if step * exp >= value:
            return int(step * exp)
    return int(10 * exp)  # pragma: no cover


def timeline_chart(
    days: list[date], values: list[dict[str, int]], series: list[str], width: int = 720, height: int = 220
) -> Chart:
    """Stacked bars, one per day, one colour per series."""
    left, top, right, bottom = 40.0, 10.0, width - 10.0, height - 30.0
    totals = [sum(v.get(s, 0) for s in series) for v in values]
    top_value = nice_max(max(totals, default=0))
    chart = Chart(
        width, height, series=series, max_value=max(totals, default=0), plot=(left, top, right, bottom)
    )
    n = max(len(days), 1)
    slot = (right - left) / n
    bar_w = max(1.0, slot * 0.8)
    scale = (bottom - top) / top_value
    for i, (day, counts) in enumerate(zip(days, values, strict=True)):
        x = left + i * slot + (slot - bar_w) / 2
        y = bottom
        for s in series:
            v = counts.get(s, 0)
            if v <= 0:
                continue
            h = v * scale
            y -= h
            chart.bars.append(
                Bar(round(x, 2), round(y, 2), round(bar_w, 2), round(h, 2), s, v, day.isoformat())
            )
        if i % max(1, n // 6) == 0 or i == n - 1:
            chart.x_ticks.append(Tick(round(x + bar_w / 2, 2), day.strftime("%d/%m")))
        chart.rows.append((day.isoformat(), [counts.get(s, 0) for s in series]))
    for k in range(5):
        tick = top_value * k / 4
        chart.y_ticks.append(Tick(round(bottom - tick * scale, 2), f"{tick:g}"))
    return chart


def bar_chart(items: list[tuple[str, int]], width: int = 360, row: int = 22) -> Chart:
    """Horizontal bars, one per item (label on the left, value on the right)."""
    left, right = 130.0, width - 40.0
    top_value = max((v for _, v in items), default=0)
    height = max(row * len(items) + 10, 30)
    chart = Chart(width, height, series=["items"], max_value=top_value, plot=(left, 5.0, right, height - 5.0))
    scale = (right - left) / max(top_value, 1)
    for i, (label, value) in enumerate(items):
        y = 5.0 + i * row
        chart.bars.append(Bar(left, y, round(max(value * scale, 0.0), 2), row - 6.0, "items", value, label))
        chart.rows.append((label, [value]))
    return chart
