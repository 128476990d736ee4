"""The program dashboard as a manager sees it: each filter path, small groups never shown, the
freshness line, CSV downloads, and a fixed number of queries."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kpis.dashboard.filters import MONTHS_SHOWN
from kpis.models import KpiRefresh
from psp.tenancy.scope import program_scope
from tests.factories import KpiDefinitionFactory, KpiSummaryFactory, PracticeFactory

HIDDEN = "Fewer than 5 practices: not shown to protect them"


def page(client, figures, query: str = ""):
    client.force_login(figures.world.manager)
    url = reverse("kpis:dashboard", kwargs={"program": figures.world.program.slug})
    return client.get(f"{url}?{query}" if query else url)


def download(client, figures, table: str, query: str = ""):
    client.force_login(figures.world.manager)
    url = reverse(
        "kpis:dashboard_csv", kwargs={"program": figures.world.program.slug, "table": table}
    )
    answer = client.get(f"{url}?{query}")
    assert answer.status_code == 200
    assert answer["Content-Disposition"].startswith("attachment; filename=")
    return list(csv.reader(io.StringIO(answer.content.decode())))


def test_without_filters_the_whole_program_summaries_show(client, figures):
    answer = page(client, figures)
    assert answer.status_code == 200
    text = answer.content.decode()
    tile = answer.context["panels"]["tiles"][0]
    assert tile.value_text == "11%"  # the program's latest month
    assert tile.verdict == "better"  # the rate fell, and lower is better
    assert "−1% since" in tile.change_text and tile.change_text.endswith("better")
    assert "7 of 12 practices on target" in text
    assert tile.meets_target is True
    # A trend: six months falling.
    chart = answer.context["panels"]["charts"][0].chart
    assert [signal.kind for signal in chart.signals] == ["trend"]
    assert 'class="run-chart__svg"' in text
    # The visits KPI's last month had four practices: not shown, and said so.
    visits_tile = answer.context["panels"]["tiles"][1]
    assert visits_tile.figure.period == figures.months[-2]
    assert HIDDEN in text


def test_kpis_without_figures_are_named_once_not_shown_as_empty_tiles_and_charts(client, figures):
    with program_scope(figures.world.program):
        KpiDefinitionFactory(program=figures.world.program, code="wait-time", name="Wait time")

    answer = page(client, figures)

    text = answer.content.decode()
    assert "No figure to show in this period" in text
    assert answer.context["panels"]["tiles_without_figure"] == ["Wait time"]
    assert answer.context["panels"]["charts_without_values"] == ["Wait time"]
    assert 'id="kpi-chart-wait-time' not in text  # no empty chart
    assert text.count('<li class="kpi-tile') == 2  # the two KPIs with figures


def test_the_breakdowns_leave_out_groups_under_the_minimum(client, figures):
    answer = page(client, figures)
    groups = answer.context["panels"]["breakdowns"]
    assert [group.key for group in groups["sector"]] == ["primary_care"]
    assert [group.key for group in groups["region"]] == ["North"]
    assert [group.label for group in groups["coach"]] == [figures.world.coach.full_name]
    assert (
        "South" not in answer.content.decode().split("kpi-breakdowns", 1)[1].split("</section")[0]
    )
    rows = download(client, figures, "breakdowns")
    assert {row[3] for row in rows[1:]} == {
        "Primary care",
        "North",
        figures.world.coach.full_name,
        "Needs assessment",
    }


def test_one_filter_reads_that_groups_summaries(client, figures):
    answer = page(client, figures, "sector=primary_care")
    reading = answer.context["panels"]["reading"]
    assert reading.from_summaries and reading.group == ("sector", "primary_care")
    assert answer.context["panels"]["tiles"][0].value_text == "9%"  # 11 - 2
    # A group under the minimum shows nothing at all.
    law = page(client, figures, "sector=law")
    assert law.context["panels"]["tiles"][0].figure is None
    assert all(item.chart.is_empty for item in law.context["panels"]["charts"])
    assert HIDDEN in law.content.decode()


def test_filters_combined_aggregate_the_matching_practices_values(client, figures):
    answer = page(client, figures, "sector=primary_care&region=North")
    panels = answer.context["panels"]
    assert not panels["reading"].from_summaries
    assert "worked out from the matching practices" in answer.content.decode()
    tile = panels["tiles"][0]
    assert tile.figure.practices == 9
    assert tile.value_text == "12%"  # the mean of 8..16
    assert tile.figure.on_target == 5  # 8, 9, 10, 11, 12: at most the target of 12
    # The South firms together are three: nothing shows, in the CSV either.
    south = page(client, figures, "sector=law&region=South")
    assert south.context["panels"]["tiles"][0].figure is None
    rows = download(client, figures, "series", "sector=law&region=South")
    assert all(row[2] == "" for row in rows[1:])


def test_a_refused_filter_is_named_beside_its_field_and_nothing_shows(client, figures):
    last, first = figures.months[0], figures.months[-1]
    answer = page(client, figures, f"date_from={first:%Y-%m-%d}&date_to={last:%Y-%m-%d}")
    assert answer.status_code == 200
    assert answer.context["panels"] is None
    assert "The last month must not be before the first." in answer.content.decode()


@pytest.mark.parametrize(
    ("refreshed", "stale", "words"),
    [
        (True, False, "Figures as of"),
        (True, True, "· updating"),
        (False, False, "never been calculated"),
    ],
)
def test_the_freshness_line_says_how_current_the_figures_are(
    client, figures, refreshed, stale, words
):
    with program_scope(figures.world.program):
        refresh = KpiRefresh.objects.get()
        refresh.refreshed_at = timezone.now() if refreshed else None
        refresh.started_at = refresh.refreshed_at
        refresh.stale_since = timezone.now() if stale else None
        refresh.save()
    assert words in page(client, figures).content.decode()


def test_every_table_downloads_as_csv(client, figures):
    tiles = download(client, figures, "tiles")
    assert tiles[0][0] == "kpi" and tiles[1][0] == "no-show-rate" and tiles[1][2] == "11.0000"
    series = download(client, figures, "series")
    assert len(series) == 1 + 2 * MONTHS_SHOWN  # two KPIs, each month shown
    hidden_month = [
        row for row in series if row[0] == "visits" and row[1] == str(figures.months[-1])
    ]
    assert hidden_month[0][2] == ""  # under the minimum: left empty
    assert len(download(client, figures, "distribution")) == 11
    assert len(download(client, figures, "funnel")) == 8
    assert download(client, figures, "at-risk")[0] == ["practice_id", "practice", "status"]


def queries_for(client, path) -> int:
    client.get(path)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


@pytest.mark.parametrize("query", ["", "sector=primary_care&region=North"])
def test_the_page_costs_the_same_whatever_the_amount_of_data(
    client, figures, query, django_assert_num_queries
):
    client.force_login(figures.world.manager)
    url = reverse("kpis:dashboard", kwargs={"program": figures.world.program.slug})
    path = f"{url}?{query}"
    expected = queries_for(client, path)
    program = figures.world.program
    for n in range(3):
        definition = KpiDefinitionFactory(
            program=program, code=f"extra-{n}", name=f"Extra {n}", position=10
        )
        for month in figures.months:
            KpiSummaryFactory(program=program, definition=definition, period=month, practices=9)
    for n in range(5):
        PracticeFactory(program=program, name=f"Later practice {n}")
    client.get(path)  # the new practices' caseload standings are worked out once, on first read
    with django_assert_num_queries(expected):
        answer = client.get(path)
    assert len(answer.context["panels"]["tiles"]) == 5


def test_the_managers_home_links_to_the_dashboard(client, figures):
    url = reverse("kpis:dashboard", kwargs={"program": figures.world.program.slug})
    home = reverse("program_home", kwargs={"program": figures.world.program.slug})
    client.force_login(figures.world.manager)
    main = client.get(home).content.decode().split('id="main"', 1)[1]
    assert f'href="{url}"' in main
    client.force_login(figures.world.coach)
    assert f'href="{url}"' not in client.get(home).content.decode()
