"""The dashboard's tables and charts as CSV: one download per table, each with the page's
filters and the same rule for small groups (they are not in the panels, so not here either)."""

import csv

from django.http import HttpResponse


def safe_cell(value):
    """A text cell a spreadsheet will not run as a formula."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def response(name: str, header: list, rows) -> HttpResponse:
    answer = HttpResponse(content_type="text/csv; charset=utf-8")
    answer["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    writer = csv.writer(answer)
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return answer


def _number(value):
    return "" if value is None else value


def tiles(context) -> tuple[list, list]:
    header = ["kpi", "period", "value", "target", "previous", "change", "practices", "on_target"]
    rows = []
    for tile in context["tiles"]:
        figure, previous = tile.figure, tile.previous
        change = figure.value - previous.value if figure and previous else None
        rows.append(
            [
                tile.definition.code,
                figure.period if figure else "",
                _number(figure.value if figure else None),
                _number(tile.definition.target),
                _number(previous.value if previous else None),
                _number(change),
                figure.practices if figure else "",
                figure.on_target if figure else "",
            ]
        )
    return header, rows


def series(context) -> tuple[list, list]:
    header = ["kpi", "period", "value", "practices", "on_target", "median", "target", "signals"]
    figures = context["reading"].figures
    rows = []
    for item in context["charts"]:
        definition = item.definition
        for point in item.chart.points:
            figure = figures.get(definition.pk, {}).get(point.period)
            rows.append(
                [
                    definition.code,
                    point.period,
                    _number(figure.value if figure else None),
                    figure.practices if figure else "",
                    figure.on_target if figure else "",
                    _number(item.chart.median),
                    _number(definition.target),
                    " ".join(point.signals),
                ]
            )
    return header, rows


def breakdowns(context) -> tuple[list, list]:
    header = ["kpi", "period", "breakdown", "group", "value", "practices", "on_target"]
    definition = context["breakdown_kpi"]
    rows = [
        [
            definition.code,
            context["breakdown_period"],
            breakdown,
            group.label,
            _number(group.figure.value),
            group.figure.practices,
            group.figure.on_target,
        ]
        for breakdown, groups in context.get("breakdowns", {}).items()
        for group in groups
    ]
    return header, rows


def distribution(context) -> tuple[list, list]:
    header = ["kpi", "period", "from", "to", "practices"]
    definition = context["breakdown_kpi"]
    rows = [
        [definition.code, context["breakdown_period"], low, high, n]
        for low, high, n in context.get("bins", [])
    ]
    return header, rows


def funnel(context) -> tuple[list, list]:
    return ["stage", "label", "practices"], [
        [row["stage"], row["label"], row["count"]] for row in context["funnel"]
    ]


def at_risk(context) -> tuple[list, list]:
    risk = context["at_risk"]
    return ["practice_id", "practice", "status"], [
        [standing.practice_id, standing.practice.name, standing.status]
        for standing in risk["standings"]
    ]


WRITERS = {
    "tiles": tiles,
    "series": series,
    "breakdowns": breakdowns,
    "distribution": distribution,
    "funnel": funnel,
    "at-risk": at_risk,
}
