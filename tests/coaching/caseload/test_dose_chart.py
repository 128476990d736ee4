"""The practice's dose page draws hours per quarter as the server-side column chart the report
card prints (psp/charts.py, templates/charts/_bars.html): one drawing for page and PDF."""

from psp.charts import column_chart, nice_top
from tests.coaching.caseload.test_dose import dosed, practice_url  # noqa: F401 (a fixture)


def test_the_dose_page_shows_hours_per_quarter_as_a_named_chart(client, world, dosed):  # noqa: F811
    client.force_login(world.lead)

    html = client.get(practice_url("practice_coaching:dose", world)).content.decode()

    assert '<figure class="bar-chart" aria-labelledby="dose-quarter-chart-caption">' in html
    assert 'role="img" aria-labelledby="dose-quarter-chart-caption"' in html
    assert ">2.6 h</text>" in html  # this quarter: 155 minutes
    assert 'class="bar-chart__column"' in html and "style=" not in html.split("bar-chart")[1]


def test_columns_scale_to_a_round_top_and_an_empty_chart_says_so():
    chart = column_chart([("Q1", 3.8), ("Q2", 0), ("Q3", 1.9)], unit_text=lambda v: f"{v:g} h")

    assert nice_top(3.8) == 5 and nice_top(12) == 20 and nice_top(0.3) == 0.5
    tallest, empty, half = chart.columns
    assert tallest.height == round(3.8 / 5 * (chart.baseline - 24), 1)
    assert empty.height == 0 and half.height < tallest.height
    assert [label for _, label in chart.gridlines] == ["2.5 h", "5 h"]
    assert column_chart([("Q1", 0)]).is_empty
