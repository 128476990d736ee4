"""Run charts: a KPI's values over time with its median and target, the run-chart rules'
signals marked, and the interventions that happened along the way.

The rules (the usual ones for run charts in quality improvement):
- a **shift**: 6 or more consecutive points on the same side of the median; a point on the
  median neither breaks a shift nor counts towards it;
- a **trend**: 5 or more consecutive points each higher (or each lower) than the one before; a
  point equal to the one before neither breaks a trend nor counts towards it;
- an **astronomical point**: one so far from the others that nobody would miss it. Taken here as
  more than three robust standard deviations from the median (1.4826 × the median absolute
  deviation), so one wild value cannot hide itself by widening the spread, as it would with the
  ordinary standard deviation.

The chart is drawn on the server as SVG (templates/charts/_run.html), like the others in
psp/charts.py, so a page and a PDF show the same picture; the values are also written in a
table beside it.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from statistics import median as _median

from psp.charts import nice_top

SHIFT_LENGTH = 6
TREND_LENGTH = 5
ASTRONOMICAL_SPREADS = 3
ROBUST_SD = 1.4826  # MAD × this estimates the standard deviation of normal data

WIDTH = 640
HEIGHT = 240
TOP = 16
BOTTOM = 40
LEFT = 56
RIGHT = 16


@dataclass(frozen=True)
class Signal:
    kind: str  # "shift", "trend" or "astronomical"
    start: int  # index of the first point it covers
    end: int  # index of the last point it covers
    description: str  # "Shift: 7 months above the median, Mar 2026 – Sep 2026"


@dataclass(frozen=True)
class Annotation:
    period: date
    label: str  # "Plan activated", "PDSA: huddle script (adopt)", "5 visits"
    kind: str = "event"  # "plan", "pdsa", "visits", "event": the marker's class


@dataclass
class ChartPoint:
    period: date
    label: str  # "Mar 2026"
    value: float | None
    text: str  # the value as people read it
    x: float = 0
    y: float = 0
    signals: tuple[str, ...] = ()

    @property
    def flagged(self) -> bool:
        return bool(self.signals)

    @property
    def corner_x(self) -> float:  # a flagged point is drawn as a square around (x, y)
        return round(self.x - 4, 1)

    @property
    def corner_y(self) -> float:
        return round(self.y - 4, 1)


@dataclass
class ChartMarker:
    x: float
    label: str
    kind: str
    number: int  # its number in the legend under the chart


@dataclass
class RunChart:
    points: list[ChartPoint]
    median: float | None
    target: float | None
    signals: list[Signal]
    markers: list[ChartMarker] = field(default_factory=list)
    width: int = WIDTH
    height: int = HEIGHT
    median_y: float | None = None
    target_y: float | None = None
    gridlines: list[tuple[float, str]] = field(default_factory=list)
    path: str = ""  # the polyline's points, "x,y x,y ..."
    baseline: float = HEIGHT - BOTTOM
    left: int = LEFT

    @property
    def is_empty(self) -> bool:
        return not any(point.value is not None for point in self.points)

    @property
    def label_y(self) -> float:
        return self.baseline + 18

    @property
    def scale_x(self) -> int:
        return self.left - 6


# The rules -----------------------------------------------------------------------------------


def find_signals(values: list[float | None], labels: list[str] | None = None) -> list[Signal]:
    """The shifts, trends and astronomical points in `values` (None: no value that period;
    it is skipped, neither breaking nor counting)."""
    labels = labels or [str(index + 1) for index in range(len(values))]
    present = [(index, value) for index, value in enumerate(values) if value is not None]
    if not present:
        return []
    centre = _median([value for _, value in present])
    signals = _shifts(present, centre, labels) + _trends(present, labels)
    signals += _astronomical(present, centre, labels)
    return sorted(signals, key=lambda signal: (signal.start, signal.kind))


def _shifts(present, centre, labels) -> list[Signal]:
    signals, run, side = [], [], 0
    for index, value in present + [(None, None)]:
        point_side = 0 if value is None else (value > centre) - (value < centre)
        if value is not None and point_side == 0:
            continue  # on the median: neither breaks nor counts
        if value is not None and point_side == side:
            run.append(index)
            continue
        if len(run) >= SHIFT_LENGTH:
            where = "above" if side > 0 else "below"
            signals.append(
                Signal(
                    "shift",
                    run[0],
                    run[-1],
                    f"Shift: {len(run)} points {where} the median, "
                    f"{labels[run[0]]} – {labels[run[-1]]}",
                )
            )
        run, side = ([index], point_side) if value is not None else ([], 0)
    return signals


def _trends(present, labels) -> list[Signal]:
    signals, run, direction = [], [], 0
    previous = None
    for index, value in present + [(None, None)]:
        if value is not None and previous is not None and value == previous:
            continue  # a repeated value neither breaks nor counts
        step = 0 if value is None or previous is None else (value > previous) - (value < previous)
        if value is not None and run and step == direction and step != 0:
            run.append(index)
        else:
            if len(run) >= TREND_LENGTH:
                where = "rising" if direction > 0 else "falling"
                signals.append(
                    Signal(
                        "trend",
                        run[0],
                        run[-1],
                        f"Trend: {len(run)} points {where}, {labels[run[0]]} – {labels[run[-1]]}",
                    )
                )
            # The point that broke the run starts the next one with the point before it.
            run = [run[-1], index] if run and step != 0 and value is not None else [index]
            direction = step
        previous = value
    return signals


def _astronomical(present, centre, labels) -> list[Signal]:
    if len(present) < 3:
        return []
    spread = _median([abs(value - centre) for _, value in present]) * ROBUST_SD
    if spread == 0:
        return []
    limit = ASTRONOMICAL_SPREADS * spread
    return [
        Signal("astronomical", index, index, f"Astronomical point: {labels[index]}")
        for index, value in present
        if abs(value - centre) > limit
    ]


# The drawing ---------------------------------------------------------------------------------


def run_chart(
    points: list[tuple[date, str, float | Decimal | None, str]],
    *,
    target: float | Decimal | None = None,
    annotations: list[Annotation] = (),
    unit_text=None,
    width: int = WIDTH,
    height: int = HEIGHT,
) -> RunChart:
    """The chart of `points` (period, label, value or None, value as text), in order; the
    scale's labels are written with `unit_text(value)` (default: the number, to 3 figures)."""
    values = [None if value is None else float(value) for _, _, value, _ in points]
    labels = [label for _, label, _, _ in points]
    signals = find_signals(values, labels)
    flags: dict[int, list[str]] = {}
    for signal in signals:
        for index in range(signal.start, signal.end + 1):
            flags.setdefault(index, []).append(signal.kind)
    present = [value for value in values if value is not None]
    centre = _median(present) if present else None
    goal = None if target is None else float(target)
    chart_points = [
        ChartPoint(period, label, values[index], text, signals=tuple(flags.get(index, ())))
        for index, (period, label, _, text) in enumerate(points)
    ]
    chart = RunChart(chart_points, centre, goal, signals, width=width, height=height)
    _lay_out(
        chart, present + ([goal] if goal is not None else []), annotations, unit_text or _plain
    )
    return chart


def _plain(value: float) -> str:
    return f"{value:.3g}"


def _lay_out(chart: RunChart, numbers: list[float], annotations, unit_text) -> None:
    chart.baseline = chart.height - BOTTOM
    low = min(0.0, min(numbers, default=0.0))
    high = nice_top(max(numbers, default=0.0) - low) + low if numbers else 1.0
    room = chart.baseline - TOP

    def y_of(value: float) -> float:
        return round(chart.baseline - (value - low) / ((high - low) or 1) * room, 1)

    count = max(len(chart.points), 1)
    slot = (chart.width - LEFT - RIGHT) / count
    drawn = []
    for index, point in enumerate(chart.points):
        point.x = round(LEFT + slot * index + slot / 2, 1)
        if point.value is not None:
            point.y = y_of(point.value)
            drawn.append(f"{point.x},{point.y}")
    chart.path = " ".join(drawn)
    chart.median_y = None if chart.median is None else y_of(chart.median)
    chart.target_y = None if chart.target is None else y_of(chart.target)
    chart.gridlines = [
        (y_of(low + (high - low) * share), unit_text(low + (high - low) * share))
        for share in (0, 0.5, 1)
    ]
    by_period = {point.period: point.x for point in chart.points}
    for number, annotation in enumerate(annotations, start=1):
        x = by_period.get(annotation.period)
        if x is not None:
            chart.markers.append(ChartMarker(x, annotation.label, annotation.kind, number))
