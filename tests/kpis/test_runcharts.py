"""The run-chart rules on known series, and the chart drawn from them."""

from datetime import date

from django.template.loader import render_to_string

from kpis.runcharts import Annotation, find_signals, run_chart


def kinds(values):
    return [(signal.kind, signal.start, signal.end) for signal in find_signals(values)]


def test_six_points_on_one_side_of_the_median_are_a_shift_and_five_are_not():
    # Median 6 in both: points equal to it sit on the median.
    six = [4, 6, 4, 6, 4, 6, 7, 7, 8, 7, 7, 8, 4]
    assert [k for k in kinds(six) if k[0] == "shift"] == [("shift", 6, 11)]
    five = [4, 6, 4, 6, 4, 6, 7, 7, 8, 7, 7, 4, 6]
    assert not [k for k in kinds(five) if k[0] == "shift"]


def test_a_point_on_the_median_neither_breaks_nor_counts_towards_a_shift():
    # Median 5; below-median points 1..3 around a point on the median make a run of six.
    values = [1, 2, 3, 5, 2, 1, 3, 8, 9, 8, 9, 8, 9, 5]
    shifts = [k for k in kinds(values) if k[0] == "shift"]
    assert shifts[0][:2] == ("shift", 0)
    assert shifts[0][2] == 6


def test_five_rising_points_are_a_trend_and_a_repeat_neither_breaks_nor_counts():
    assert ("trend", 0, 4) in kinds([1, 2, 3, 4, 5, 3])
    # 2, 2 is one point for the rule: four steps up make five points, from index 0 to 5.
    assert ("trend", 0, 5) in kinds([1, 2, 2, 3, 4, 5, 1])
    assert not [k for k in kinds([1, 2, 2, 3, 4, 1]) if k[0] == "trend"]


def test_falling_points_are_a_trend_too():
    signals = find_signals([9, 8, 7, 6, 5, 9, 9])
    assert signals[0].kind == "trend"
    assert "falling" in signals[0].description


def test_an_astronomical_point_is_flagged_and_ordinary_noise_is_not():
    assert ("astronomical", 6, 6) in kinds([10, 11, 9, 10, 11, 9, 40, 10])
    assert not [k for k in kinds([10, 11, 9, 10, 12, 9, 13, 10]) if k[0] == "astronomical"]


def test_missing_values_are_skipped_and_a_flat_series_has_no_signal():
    assert kinds([None, None]) == []
    assert kinds([4, 4, 4, 4, 4, 4, 4, 4]) == []
    assert ("trend", 0, 6) in kinds([1, None, 2, 3, None, 4, 5])


def test_signals_name_the_periods_they_cover():
    labels = [f"M{n}" for n in range(1, 7)]
    (signal,) = find_signals([1, 2, 3, 4, 5, 3], labels)
    assert signal.description == "Trend: 5 points rising, M1 – M5"


def points(values):
    periods = [date(2026 + index // 12, index % 12 + 1, 1) for index in range(len(values))]
    return [
        (period, f"{period.month}/{period.year}", value, "" if value is None else f"{value}%")
        for period, value in zip(periods, values, strict=True)
    ]


def test_the_chart_draws_median_target_signals_and_markers():
    chart = run_chart(
        points([6, 4, 6, 4, 6, 4, 7, 8, 9, 8, 9, 8, 6]),
        target=8,
        annotations=[Annotation(date(2026, 7, 1), "Plan activated", "plan")],
        unit_text=lambda value: f"{value:g}%",
    )
    assert chart.median == 6
    assert chart.target_y < chart.median_y  # a higher value is drawn higher up
    assert [p.flagged for p in chart.points] == [False] * 6 + [True] * 6 + [False]
    assert chart.markers[0].label == "Plan activated"
    assert chart.gridlines[-1][1] == "10%"

    html = render_to_string(
        "charts/_run.html",
        {"chart": chart, "chart_id": "kpi-1", "caption": "Same-day access", "sr_table": True},
    )
    assert html.count("run-chart__point--signal") == 6
    assert "Shift: 6 points above the median, 7/2026 – 12/2026" in html
    assert "<li>Plan activated</li>" in html
    assert html.count('class="run-chart__point"') == 7  # the unflagged ones


def test_a_chart_without_values_says_so():
    html = render_to_string(
        "charts/_run.html",
        {"chart": run_chart(points([None, None])), "chart_id": "x", "caption": "Panel size"},
    )
    assert "No values in this period yet." in html
    assert "<svg" not in html
