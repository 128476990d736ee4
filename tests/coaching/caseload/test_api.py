"""The caseload, dose and caseload-rules endpoints: who gets what, filters, validation in the
API's one error format, and an OpenAPI description without warnings."""

import pytest

from coaching.caseload import dose
from coaching.models import Activity, CaseloadRules, Severity, VisitMode, VisitStatus
from psp.tenancy.scope import program_scope
from tests.coaching.caseload.test_pages import (
    action,
    active_plan,
    coached_practice,
    days_ago,
    visit,
    visit_with_activities,
)
from tests.factories import CaseloadRulesFactory


def api(world, endpoint: str) -> str:
    return f"/api/v1/programs/{world.program.slug}/{endpoint}/"


def results(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


# Caseload ----------------------------------------------------------------------------------------


def test_a_coach_gets_their_caseload_with_status_reasons_and_facts(api_client, world):
    visit(world, world.practice, days=60)
    visit(world, world.practice, days=-4, status=VisitStatus.PLANNED)
    plan = active_plan(world, world.practice)
    action(world, plan, due_days_ago=9)
    api_client.force_authenticate(world.coach)

    items = results(api_client.get(api(world, "caseload")))

    assert [item["id"] for item in items] == [world.practice.pk]
    item = items[0]
    assert item["name"] == world.practice.name
    assert item["status"] == "attention"
    assert [reason["rule"] for reason in item["reasons"]] == ["no_visit", "overdue_actions"]
    assert (
        item["reasons"][0]["message"]
        == "No visit in 60 days (program rule: needs attention after 45 days)"
    )
    assert item["coaches"][0]["id"] == world.coach.pk
    facts = item["facts"]
    assert facts["last_visit_on"] == days_ago(60).isoformat()
    assert facts["days_without_visit"] == 60
    assert facts["next_visit"]["date"] == days_ago(-4).isoformat()
    assert facts["next_visit"]["coach"]["id"] == world.coach.pk
    assert (facts["open_actions"], facts["overdue_actions"]) == (1, 1)
    assert facts["oldest_overdue_on"] == days_ago(9).isoformat()
    assert facts["plan"]["id"] == plan.pk
    assert (facts["plan"]["actions_done"], facts["plan"]["actions_total"]) == (0, 1)


def test_managers_get_every_practice_worst_first_and_filter_it(api_client, world):
    stuck = coached_practice(world, "Cedar Health", coach=world.other_coach)
    visit(world, stuck, days=120, coach=world.other_coach)
    api_client.force_authenticate(world.manager)

    everything = results(api_client.get(api(world, "caseload")))
    stalled = results(api_client.get(api(world, "caseload"), {"status": "stalled"}))
    theirs = results(api_client.get(api(world, "caseload"), {"coach": world.other_coach.pk}))

    assert [item["name"] for item in everything][0] == "Cedar Health"
    assert len(everything) == 3
    assert [item["id"] for item in stalled] == [stuck.pk]
    assert {item["id"] for item in theirs} == {stuck.pk, world.other_practice.pk}


def test_the_caseload_is_paginated(api_client, world):
    for i in range(4):
        coached_practice(world, f"Practice {i}")
    api_client.force_authenticate(world.coach)

    response = api_client.get(api(world, "caseload"), {"page_size": 2})

    assert response.json()["count"] == 5
    assert len(response.json()["results"]) == 2


def test_a_bad_caseload_filter_is_a_400_naming_it(api_client, world, other_world):
    api_client.force_authenticate(world.manager)

    response = api_client.get(
        api(world, "caseload"), {"coach": other_world.coach.pk, "status": "sleepy"}
    )

    error = response.json()["error"]
    assert response.status_code == 400
    assert error["fields"]["coach"] == [f"No coach with id {other_world.coach.pk} in this program."]
    assert "status" in error["fields"]


@pytest.mark.parametrize("who", ["lead", "staff"])
@pytest.mark.parametrize("endpoint", ["caseload", "caseload-rules"])
def test_practice_people_may_not_read_caseloads(api_client, world, who, endpoint):
    api_client.force_authenticate(world.user(who))
    assert api_client.get(api(world, endpoint)).status_code == 403


def test_nobody_outside_the_program_gets_anything(api_client, world, other_world):
    api_client.force_authenticate(other_world.admin)
    for endpoint in ("caseload", "dose", "caseload-rules"):
        assert api_client.get(api(world, endpoint)).status_code == 404
    api_client.force_authenticate(None)
    assert api_client.get(api(world, "caseload")).status_code in (401, 403)


# Dose --------------------------------------------------------------------------------------------


@pytest.fixture
def dosed(world):
    visit_with_activities(
        world, world.practice, {Activity.WORKFLOW: 40, Activity.CPD: 20}, days=0, travel_minutes=15
    )
    visit_with_activities(
        world,
        world.other_practice,
        {Activity.COMPLIANCE: 30},
        days=0,
        coach=world.other_coach,
        mode=VisitMode.EMAIL,
        travel_minutes=0,
    )
    visit(world, world.practice, days=-2, status=VisitStatus.PLANNED)


def test_the_dose_defaults_to_the_last_twelve_months_by_month(api_client, world, dosed):
    api_client.force_authenticate(world.manager)

    body = api_client.get(api(world, "dose")).json()

    assert body["group_by"] == "month"
    # Counted by whole months: to the end of this month, from the first of eleven months ago.
    first, last = dose.whole_months(*dose.last_twelve_months())
    assert (body["date_from"], body["date_to"]) == (first.isoformat(), last.isoformat())
    assert body["counted_months"] == f"{first:%b %Y} – {last:%b %Y}"
    assert len(body["results"]) == 12
    assert body["total"] == {"visits": 2, "minutes": 90, "travel_minutes": 15}
    assert body["results"][-1]["minutes"] == 90


def test_the_dose_groups_and_filters(api_client, world, dosed):
    api_client.force_authenticate(world.admin)

    by_coach = api_client.get(api(world, "dose"), {"group_by": "coach"}).json()
    by_activity = api_client.get(api(world, "dose"), {"group_by": "activity"}).json()
    one_practice = api_client.get(
        api(world, "dose"), {"group_by": "mode", "practice": world.practice.pk}
    ).json()

    assert {row["key"]: row["minutes"] for row in by_coach["results"]} == {
        str(world.coach.pk): 60,
        str(world.other_coach.pk): 30,
    }
    activity = {row["key"]: row for row in by_activity["results"]}
    assert activity["workflow"]["minutes"] == 40
    assert activity["workflow"]["travel_minutes"] is None
    assert {row["key"]: row["visits"] for row in one_practice["results"]}["on_site"] == 1
    assert one_practice["total"]["minutes"] == 60


def test_a_coach_gets_the_dose_of_their_own_practices(api_client, world, dosed):
    api_client.force_authenticate(world.coach)

    body = api_client.get(api(world, "dose"), {"group_by": "practice"}).json()

    assert [row["key"] for row in body["results"]] == [str(world.practice.pk)]


@pytest.mark.parametrize("who", ["lead", "staff"])
def test_practice_people_get_their_own_practices_dose_as_on_its_page(api_client, world, dosed, who):
    api_client.force_authenticate(world.user(who))

    body = api_client.get(api(world, "dose"), {"group_by": "practice"}).json()
    other = api_client.get(api(world, "dose"), {"practice": world.other_practice.pk})

    assert [row["key"] for row in body["results"]] == [str(world.practice.pk)]
    assert body["total"]["minutes"] == 60
    assert other.status_code == 400
    assert other.json()["error"]["fields"]["practice"] == [
        f"No practice with id {world.other_practice.pk} in this program."
    ]


def test_bad_dose_parameters_are_named(api_client, world, dosed):
    api_client.force_authenticate(world.coach)

    response = api_client.get(
        api(world, "dose"),
        {
            "group_by": "weekday",
            "practice": world.other_practice.pk,  # not theirs
            "date_from": "2025-05-01",
            "date_to": "2025-04-01",
        },
    )

    fields = response.json()["error"]["fields"]
    assert response.status_code == 400
    # Every refused parameter at once, as the dose page shows them: the period too.
    assert set(fields) == {"group_by", "practice", "date_to"}
    assert fields["practice"] == [f"No practice with id {world.other_practice.pk} in this program."]

    backwards = api_client.get(
        api(world, "dose"), {"date_from": "2025-05-01", "date_to": "2025-04-01"}
    )
    assert backwards.json()["error"]["fields"] == {
        "date_to": ["The end of the period must not be before its start."]
    }
    # Dates no program has, and periods of thousands of months, are refused (not a 500).
    for query, field, message in [
        ({"date_from": "0001-01-01"}, "date_from", "Enter a date from 2000 to 2099."),
        ({"date_to": "9999-12-31"}, "date_to", "Enter a date from 2000 to 2099."),
        (
            {"date_from": "2001-01-01", "date_to": "2020-01-01"},
            "date_to",
            "A period can be at most ten years long.",
        ),
    ]:
        refused = api_client.get(api(world, "dose"), {**query, "group_by": "quarter"})
        assert refused.status_code == 400
        assert refused.json()["error"]["fields"] == {field: [message]}


# Rules -------------------------------------------------------------------------------------------


def saved_rules(world) -> CaseloadRules | None:
    with program_scope(world.program):
        return CaseloadRules.objects.first()


@pytest.mark.parametrize("who", ["admin", "manager", "coach"])
def test_the_rules_read_as_the_defaults_until_saved(api_client, world, who):
    api_client.force_authenticate(world.user(who))

    body = api_client.get(api(world, "caseload-rules")).json()

    assert body["is_default"] is True
    assert body["attention_days_without_visit"] == 45
    assert body["stalled_days_without_visit"] == 90
    assert body["assessment_overdue"] == "attention"


def test_an_admin_replaces_and_amends_the_rules(api_client, world):
    api_client.force_authenticate(world.admin)
    full = {
        "attention_days_without_visit": 30,
        "stalled_days_without_visit": 75,
        "attention_overdue_actions": 2,
        "stalled_overdue_actions": 4,
        "days_without_plan_progress": 0,
        "no_plan_progress": Severity.OFF,
        "assessment_overdue": Severity.STALLED,
    }

    put = api_client.put(api(world, "caseload-rules"), full)
    patch = api_client.patch(api(world, "caseload-rules"), {"stalled_days_without_visit": 120})

    assert put.status_code == 200, put.content
    assert patch.status_code == 200, patch.content
    assert patch.json()["is_default"] is False
    assert patch.json()["updated_by"]["id"] == world.admin.pk
    rules = saved_rules(world)
    assert (rules.attention_days_without_visit, rules.stalled_days_without_visit) == (30, 120)
    assert rules.assessment_overdue == Severity.STALLED


def test_a_put_needs_every_rule(api_client, world):
    api_client.force_authenticate(world.admin)

    response = api_client.put(api(world, "caseload-rules"), {"attention_days_without_visit": 10})

    assert response.status_code == 400
    assert "stalled_days_without_visit" in response.json()["error"]["fields"]
    assert saved_rules(world) is None


def test_contradicting_rules_are_refused_and_nothing_changes(api_client, world):
    CaseloadRulesFactory(program=world.program)
    api_client.force_authenticate(world.admin)

    response = api_client.patch(api(world, "caseload-rules"), {"stalled_days_without_visit": 40})

    assert response.status_code == 400
    assert response.json()["error"]["fields"]["stalled_days_without_visit"][0].startswith(
        "Must be more than the 45 days"
    )
    assert saved_rules(world).stalled_days_without_visit == 90


@pytest.mark.parametrize("who", ["manager", "coach"])
def test_only_admins_change_the_rules(api_client, world, who):
    api_client.force_authenticate(world.user(who))

    response = api_client.patch(api(world, "caseload-rules"), {"attention_days_without_visit": 9})

    assert response.status_code == 403
    assert saved_rules(world) is None


# Schema ------------------------------------------------------------------------------------------


def test_the_caseload_endpoints_describe_themselves_without_schema_warnings(capsys):
    from django.urls import include, path
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.validation import validate_schema
    from rest_framework.routers import SimpleRouter

    from coaching.caseload.api import routes
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
    rules = schema["paths"]["/api/v1/programs/{program}/caseload-rules/"]
    assert set(rules) == {"get", "put", "patch"}
    dose = schema["paths"]["/api/v1/programs/{program}/dose/"]["get"]
    assert {p["name"] for p in dose["parameters"]} >= {"group_by", "date_from", "practice"}
    caseload = schema["paths"]["/api/v1/programs/{program}/caseload/"]["get"]
    assert "page" in {p["name"] for p in caseload["parameters"]}
