"""GET …/kpi-aggregates/: the dashboard's figures with its filters and its rule for small
groups, and the interventions marked on its run charts."""

from datetime import timedelta

from django.utils import timezone

from kpis.dashboard.annotations import ANNOTATION_SOURCES, annotations
from kpis.models import Breakdown
from kpis.refresh.services import kpis_refresh
from practices import derived
from practices.models import Practice
from psp.tenancy.scope import program_scope
from tests.factories import PdsaCycleFactory, PlanGoalFactory, SupportPlanFactory, VisitFactory


def aggregates(api_client, figures, query: str = "", user=None):
    api_client.force_authenticate(user or figures.world.manager)
    url = f"/api/v1/programs/{figures.world.program.slug}/kpi-aggregates/"
    return api_client.get(f"{url}?{query}")


def test_the_aggregates_give_each_kpis_series_signals_and_breakdowns(api_client, figures):
    answer = aggregates(api_client, figures)
    assert answer.status_code == 200
    body = answer.json()
    assert body["source"] == "summaries" and body["peer_group_minimum"] == 5
    no_show, visits = body["kpis"]
    assert no_show["code"] == "no-show-rate"
    assert [point["value"] for point in no_show["series"]] == [
        "20.0000",
        "18.0000",
        "16.0000",
        "14.0000",
        "12.0000",
        "11.0000",
    ]
    assert no_show["series"][-1]["on_target"] == 7
    assert [signal["kind"] for signal in no_show["signals"]] == ["trend"]
    assert no_show["median"] == 15.0
    sectors = no_show["breakdowns"]["sector"]
    assert [group["key"] for group in sectors] == ["primary_care"]  # law has 3: left out
    assert [group["key"] for group in no_show["breakdowns"]["region"]] == ["North"]
    # The visits KPI's last month had four practices: not in its series.
    assert str(figures.months[-1]) not in [point["period"] for point in visits["series"]]
    assert visits["breakdowns"] is None


def test_combined_filters_aggregate_values_and_keep_the_minimum(api_client, figures):
    body = aggregates(api_client, figures, "sector=primary_care&region=North").json()
    assert body["source"] == "values"
    assert body["kpis"][0]["series"] == [
        {"period": str(figures.months[-1]), "value": "12.0000", "practices": 9, "on_target": 5}
    ]
    south = aggregates(api_client, figures, "sector=law&region=South").json()
    assert south["kpis"][0]["series"] == []
    assert all(
        not groups for key, groups in south["kpis"][0]["breakdowns"].items() if key != "period"
    )


def test_a_refused_filter_is_a_400_naming_it(api_client, figures):
    answer = aggregates(api_client, figures, "sector=shipping")
    assert answer.status_code == 400
    assert "sector" in answer.json()["error"]["fields"]


def test_coaches_may_not_read_the_aggregates(api_client, figures):
    assert aggregates(api_client, figures, user=figures.world.coach).status_code == 403


def test_plans_activated_and_bursts_of_visits_mark_the_run_charts(figures):
    world, months = figures.world, figures.months
    program = world.program
    busy = months[-2]
    with program_scope(program):
        plan = SupportPlanFactory(
            program=program,
            practice=world.practice,
            status="active",
            accepted_at=timezone.now() - timedelta(days=1),
        )
        goal = PlanGoalFactory(program=program, plan=plan)
        PdsaCycleFactory(program=program, goal=goal, stage="do", started_on=months[-3])
        for day in range(4):
            VisitFactory(
                program=program,
                practice=world.practice,
                coach=world.coach,
                visit_date=busy + timedelta(days=day),
            )
        VisitFactory(
            program=program, practice=world.practice, coach=world.coach, visit_date=months[-4]
        )
        live = annotations(
            practices=Practice.objects.all(), first=months[0], last=months[-1], group=None
        )
        derived.flush_pending()  # as the commit would: the dose summary hears the visits
        kpis_refresh(program=program)
        stored = annotations(
            practices=Practice.objects.all(), first=months[0], last=months[-1], group=("all", "")
        )
    # Live (two filters together) and from the refresh's stored marks, the same marks.
    assert {(n.period, n.kind, n.label) for n in stored} == {
        (n.period, n.kind, n.label) for n in live
    }
    notes = stored
    labels = {(note.period, note.kind, note.label) for note in notes}
    today = timezone.localdate() - timedelta(days=1)
    assert (today.replace(day=1), "plan", "1 plan activated") in labels
    assert (busy, "visits", "Burst of visits: 4 in the month") in labels
    assert (months[-3], "pdsa", "1 PDSA cycle started") in labels
    assert not any(note.period == months[-4] for note in notes)  # one visit: no burst
    assert len(ANNOTATION_SOURCES) == 3
    assert Breakdown.ALL == "all"


def test_the_aggregates_describe_themselves_without_schema_warnings(capsys):
    from django.urls import include, path
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.validation import validate_schema
    from rest_framework.routers import SimpleRouter

    from kpis.dashboard.api import routes
    from psp.api.urls import PROGRAM_PREFIX

    router = SimpleRouter()
    for prefix, viewset, basename in routes:
        router.register(PROGRAM_PREFIX + prefix, viewset, basename=basename)
    GENERATOR_STATS.reset()
    schema = SchemaGenerator(patterns=[path("api/v1/", include(router.urls))]).get_schema(
        request=None, public=True
    )
    validate_schema(schema)
    assert not GENERATOR_STATS, capsys.readouterr().err
    read = schema["paths"]["/api/v1/programs/{program}/kpi-aggregates/"]["get"]
    assert {p["name"] for p in read["parameters"]} >= {"date_from", "sector", "region", "kpi"}
    assert "examples" in read["responses"]["200"]["content"]["application/json"]
