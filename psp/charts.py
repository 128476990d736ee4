"""Charts drawn on the server as SVG, so a page and its PDF show the same picture (WeasyPrint
draws inline SVG; no script runs in either). A chart is geometry computed here and a template
that writes it (`templates/charts/_bars.html`, `templates/assessments/_score_chart.html`).
Their layout comes from classes in static/css/charts.css, which pages and the print layout
both load. Colours are classes too (static/css/charts-screen.css, pages only), repeated as SVG
presentation attributes (not style attributes: CSP allows them): a page's stylesheet overrides
the attributes, while WeasyPrint paints inline SVG only from its attributes and its own <style>,
so the PDF's copy is drawn with them.

Every chart is drawn with its numbers as text beside it or in a table: the SVG is for the eye.
"""

from dataclasses import dataclass, field

# The column chart's drawing area, in SVG user units (the SVG scales to its box's width).
WIDTH = 600
HEIGHT = 220
TOP = 24  # room for the value above the tallest column
BOTTOM = 36  # room for the labels under the axis
LEFT = 48  # room for the scale's labels
SIDE = 8
STEPS = (1, 2, 2.5, 5, 10)


@dataclass(frozen=True)
class Column:
    label: str
    value: float
    text: str  # the value as people read it ("3 h 20 min")
    x: float
    y: float
    width: float
    height: float

    @property
    def middle(self) -> float:
        return round(self.x + self.width / 2, 1)


@dataclass
class ColumnChart:
    columns: list[Column]
    width: int = WIDTH
    height: int = HEIGHT
    baseline: float = HEIGHT - BOTTOM
    gridlines: list[tuple[float, str]] = field(default_factory=list)  # (y, label)
    left: int = LEFT

    @property
    def scale_x(self) -> int:
        return self.left - 6

    @property
    def is_empty(self) -> bool:
        return not any(column.value for column in self.columns)

    @property
    def label_y(self) -> float:
        return self.baseline + 18


def nice_top(largest: float) -> float:
    """A round number at or above `largest` for the top of the scale (1, 2, 2.5, 5 × 10ⁿ)."""
    if largest <= 0:
        return 1
    scale = 1
    while scale * 10 <= largest:
        scale *= 10
    while scale > largest:
        scale /= 10
    for step in STEPS:
        if step * scale >= largest:
            return step * scale
    return 10 * scale


def column_chart(items, *, unit_text=str, width: int = WIDTH, height: int = HEIGHT) -> ColumnChart:
    """Vertical columns for `items` (label, value) in order, scaled to a round top; the value of
    each is written above it with `unit_text(value)`. Two gridlines: half and the top."""
    items = list(items)
    baseline = height - BOTTOM
    top = nice_top(max((float(value) for _, value in items), default=0))
    room = baseline - TOP
    slot = (width - LEFT - SIDE) / max(len(items), 1)
    bar = round(slot * 0.6, 1)
    columns = []
    for index, (label, value) in enumerate(items):
        size = round(float(value) / top * room, 1) if value else 0
        columns.append(
            Column(
                label=label,
                value=float(value),
                text=unit_text(value),
                x=round(LEFT + index * slot + (slot - bar) / 2, 1),
                y=round(baseline - size, 1),
                width=bar,
                height=size,
            )
        )
    gridlines = [(round(baseline - room * share, 1), unit_text(top * share)) for share in (0.5, 1)]
    return ColumnChart(
        columns=columns, width=width, height=height, baseline=baseline, gridlines=gridlines
    )


def score_rows(scores, *, threshold: int, previous: dict | None = None) -> list[dict]:
    """Domain scores as rows of the score chart (templates/assessments/_score_chart.html): the
    bar's length (0–100), whether it is below the instrument's weak threshold, and the previous
    round's score (domain key -> percent) as a marker. `scores` have `percent`, `domain_name`
    and `domain_key` (DomainScore rows, or the scoring's results)."""
    previous = previous or {}
    rows = []
    for score in scores:
        percent = score.percent
        rows.append(
            {
                "name": score.domain_name,
                "key": score.domain_key,
                "percent": percent,
                "bar": 0 if percent is None else float(percent),
                "weak": percent is not None and percent < threshold,
                "previous": previous.get(score.domain_key),
            }
        )
    return rows
