"""The bulletin's charts as geometry for inline SVG: bars and a trend whose values and
dates are written on the chart itself, so that they print and need no script or network."""

from __future__ import annotations

from dataclasses import dataclass

WIDTH = 480  # the viewBox's width; the page scales it to the column (a phone's: 0.7)
LABEL_WIDTH = 160  # left of the bars: a unit's or a category's name
VALUE_WIDTH = 56  # right of the longest bar: its value
BAR_HEIGHT, BAR_GAP = 18, 8
AXIS_HEIGHT = 24  # below the bars: the ticks' labels
LABEL_CHARS = 12  # longer names are cut, the whole name in the bar's <title>
TREND_WIDTH, TREND_HEIGHT = 360, 150
TREND_LEFT, TREND_BOTTOM, TREND_TOP = 36, 34, 18  # room for the axes' labels and the values


@dataclass(frozen=True)
class Tick:
    at: float  # x of a bar chart's tick, y of a trend's
    text: str


@dataclass(frozen=True)
class Bar:
    label: str  # shown, cut to LABEL_CHARS
    name: str  # whole
    text: str  # the value as written at the bar's end
    y: float
    length: float


@dataclass(frozen=True)
class BarChart:
    title: str
    bars: list[Bar]
    ticks: list[Tick]
    height: float
    width: int = WIDTH
    left: int = LABEL_WIDTH
    bar_height: int = BAR_HEIGHT


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    value: str  # written above the point
    day: str  # written under it, on the x axis


@dataclass(frozen=True)
class TrendChart:
    title: str
    points: list[Point]
    ticks: list[Tick]  # the y axis: 0, 50, 100
    polyline: str
    width: int = TREND_WIDTH
    height: int = TREND_HEIGHT
    left: int = TREND_LEFT
    bottom: float = TREND_HEIGHT - TREND_BOTTOM
    right: float = TREND_WIDTH - 12


def cut(name: str) -> str:
    return name if len(name) <= LABEL_CHARS else name[: LABEL_CHARS - 1] + "…"


def bar_chart(title: str, items: list[tuple[str, float, str]], top: float) -> BarChart:
    """Horizontal bars of ``items`` (name, value, value as written) against a scale from 0
    to ``top``, with five ticks: a name of any length fits to the left of its bar."""
    scale = (WIDTH - LABEL_WIDTH - VALUE_WIDTH) / (top or 1)
    bars = [
        Bar(cut(name), name, text, index * (BAR_HEIGHT + BAR_GAP), round(value * scale, 1))
        for index, (name, value, text) in enumerate(items)
    ]
    steps = [top * n / 4 for n in range(5)]
    ticks = [Tick(round(step * scale, 1), f"{step:g}") for step in steps]
    return BarChart(title, bars, ticks, len(bars) * (BAR_HEIGHT + BAR_GAP) + AXIS_HEIGHT)


def trend_chart(title: str, runs: list[tuple[str, float | None]]) -> TrendChart:
    """The scores of ``runs`` (day, score; oldest first) from 0 at the bottom to 100 on top,
    each point with its score above it and its day on the x axis."""
    bottom, right = TREND_HEIGHT - TREND_BOTTOM, TREND_WIDTH - 12
    step = (right - TREND_LEFT - 20) / max(1, len(runs) - 1)

    def height(score: float) -> float:
        return round(bottom - (bottom - TREND_TOP) * score / 100, 1)

    points = [
        Point(round(TREND_LEFT + 10 + index * step, 1), height(score), f"{score:g}", day)
        for index, (day, score) in enumerate(runs)
        if score is not None
    ]
    return TrendChart(
        title,
        points,
        [Tick(height(score), str(score)) for score in (0, 50, 100)],
        " ".join(f"{point.x},{point.y}" for point in points),
    )
