"""The progress chart: credits gathered over the cycle (with what was carried in) against the
steady pace to the total, drawn on the server as SVG (templates/cpd/_progress_chart.html) like
the other charts (psp/charts.py), so a page and a PDF can show the same picture. Dates run
along the x axis in proportion (the engine's pace points are monthly, with today among them);
the numbers are also in a table under the chart.
"""

from dataclasses import dataclass, field
from datetime import date

from cpd.progress.engine import CycleProgress
from psp.charts import nice_top

WIDTH = 640
HEIGHT = 240
TOP = 16
BOTTOM = 40
LEFT = 56
RIGHT = 16


@dataclass(frozen=True)
class ChartPoint:
    on: date
    x: float
    credits: object  # Decimal | None (after today)
    required: object  # Decimal
    y: float | None
    label: str  # the date, as the table and the point's title write it


@dataclass
class ProgressChart:
    points: list[ChartPoint]
    pace_path: str
    credits_path: str
    gridlines: list[tuple[float, str]] = field(default_factory=list)
    ticks: list[tuple[float, str]] = field(default_factory=list)  # (x, label) under the axis
    today_x: float | None = None
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    baseline: float = HEIGHT - BOTTOM

    @property
    def scale_x(self) -> int:
        return self.left - 6

    @property
    def label_y(self) -> float:
        return self.baseline + 18

    @property
    def drawn_points(self) -> list[ChartPoint]:
        return [point for point in self.points if point.y is not None]


def progress_chart(result: CycleProgress, *, today: date, write_day=str) -> ProgressChart:
    """The chart of `result`'s pace points; `write_day(date)` writes a point's date."""
    days = max((result.ends_on - result.starts_on).days, 1)
    credits = [float(p.credits) for p in result.pace if p.credits is not None]
    top = nice_top(max([float(result.required_total), *credits]))
    room = HEIGHT - BOTTOM - TOP
    baseline = HEIGHT - BOTTOM

    def x_of(day: date) -> float:
        return round(LEFT + (day - result.starts_on).days / days * (WIDTH - LEFT - RIGHT), 1)

    def y_of(value) -> float:
        return round(baseline - float(value) / top * room, 1)

    points = [
        ChartPoint(
            on=point.on,
            x=x_of(point.on),
            credits=point.credits,
            required=point.required,
            y=None if point.credits is None else y_of(point.credits),
            label=write_day(point.on),
        )
        for point in result.pace
    ]
    return ProgressChart(
        points=points,
        pace_path=" ".join(f"{p.x},{y_of(p.required)}" for p in points),
        credits_path=" ".join(f"{p.x},{p.y}" for p in points if p.y is not None),
        gridlines=[(y_of(top * share), amount_text(top * share)) for share in (0, 0.5, 1)],
        ticks=_ticks(result, x_of),
        today_x=x_of(today) if result.starts_on <= today <= result.ends_on else None,
        baseline=baseline,
    )


def amount_text(value: float) -> str:
    """A scale's number as people write it: 250, 12.5."""
    return f"{round(value, 2):g}"


def _ticks(result: CycleProgress, x_of) -> list[tuple[float, str]]:
    """The axis labels: the start of each cycle year for a cycle of several years, else every
    third month; always the first and the last day."""
    if len(result.years) > 1:
        days = [year.starts_on for year in result.years]
    else:
        days = [p.on for index, p in enumerate(result.pace) if index % 3 == 0]
    days = sorted(set(days) | {result.starts_on})
    return [(x_of(day), f"{day:%b %Y}") for day in days]
