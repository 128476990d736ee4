"""The KPI definitions and targets API: reading with kpi.view, writing with kpi.define through
the same rules as the pages, filters, history, and ids looked up inside the program only."""

import pytest
from rest_framework.test import APIClient

from kpis.models import KpiDefinition, KpiPracticeTarget
from psp.tenancy.scope import program_scope
from tests.factories import KpiDefinitionFactory
from tests.kpis.definitions.helpers import api_url, measure, measures_registered
from tests.permissions.cells import new_token

pytestmark = pytest.mark.django_db


def _api(world, user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {new_token(world, user).key}")
    return client


BODY = {
    "code": "wait-for-intake",
    "name": "Wait for intake",
    "unit": "days",
    "direction": "lower",
    "aggregation": "median",
    "target": "14",
    "max_value": "365",
}


def test_an_admin_defines_a_kpi_and_a_coach_reads_it(world):
    made = _api(world, world.admin).post(
        api_url(world, "kpi-definitions-list"), BODY, format="json"
    )

    assert made.status_code == 201, made.json()
    assert made.json()["source"] == "entered"
    listed = _api(world, world.coach).get(api_url(world, "kpi-definitions-list")).json()
    assert [row["code"] for row in listed["results"]] == ["wait-for-intake"]


def test_a_computed_kpi_sent_without_a_unit_takes_its_measures(world):
    body = {"code": "hours", "name": "Hours", "source": "computed", "measure": "coaching-hours"}
    with measures_registered(measure("coaching-hours")):
        made = _api(world, world.admin).post(
            api_url(world, "kpi-definitions-list"), body, format="json"
        )

    assert made.status_code == 201, made.json()
    assert (made.json()["unit"], made.json()["aggregation"]) == ("hours", "sum")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"code": "taken"}, "code"),
        ({"min_value": "10", "max_value": "5", "target": None}, "max_value"),
        ({"unit": "percent", "target": "101", "max_value": None}, "target"),
        ({"source": "computed"}, "measure"),
    ],
)
def test_a_refused_kpi_names_its_field_and_nothing_is_saved(world, changes, field):
    with program_scope(world.program):
        KpiDefinitionFactory(program=world.program, code="taken")

    response = _api(world, world.admin).post(
        api_url(world, "kpi-definitions-list"), BODY | changes, format="json"
    )

    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]
    with program_scope(world.program):
        assert KpiDefinition.objects.count() == 1


def test_a_manager_reads_but_cannot_define(world):
    response = _api(world, world.manager).post(
        api_url(world, "kpi-definitions-list"), BODY, format="json"
    )
    assert response.status_code == 403


def test_the_list_filters_by_source_sector_and_active(world):
    with program_scope(world.program):
        KpiDefinitionFactory(program=world.program, code="a", source="computed", sector="law")
        KpiDefinitionFactory(program=world.program, code="b", is_active=False)
    api = _api(world, world.admin)

    def codes(**query):
        rows = api.get(api_url(world, "kpi-definitions-list"), query).json()["results"]
        return [row["code"] for row in rows]

    assert codes(source="computed") == ["a"]
    assert codes(sector="law") == ["a"]
    assert codes(is_active="false") == ["b"]
    assert api.get(api_url(world, "kpi-definitions-list"), {"source": "guessed"}).status_code == 400


def test_an_edit_and_a_delete_are_in_the_history(world):
    with program_scope(world.program):
        kpi = KpiDefinitionFactory(program=world.program, code="a", target=3)
    api = _api(world, world.admin)

    api.patch(api_url(world, "kpi-definitions-detail", pk=kpi.pk), {"target": "4"}, format="json")
    history = api.get(api_url(world, "kpi-definitions-history", pk=kpi.pk)).json()

    assert history[0]["what"] == "kpi.edited"
    assert history[0]["changes"]["target"] == ["3.0000", "4.0000"]
    assert api.delete(api_url(world, "kpi-definitions-detail", pk=kpi.pk)).status_code == 204


def test_practice_targets_are_set_changed_filtered_and_cleared(world, other_world):
    with program_scope(world.program):
        kpi = KpiDefinitionFactory(program=world.program, code="a", unit="count")
    api = _api(world, world.admin)
    body = {"definition": kpi.pk, "practice": world.practice.pk, "target": "12"}

    made = api.post(api_url(world, "kpi-targets-list"), body, format="json")
    again = api.post(api_url(world, "kpi-targets-list"), body, format="json")
    foreign = api.post(
        api_url(world, "kpi-targets-list"),
        body | {"practice": other_world.practice.pk},
        format="json",
    )

    assert made.status_code == 201, made.json()
    assert "practice" in again.json()["error"]["fields"]
    assert foreign.json()["error"]["fields"]["practice"] == [
        f"No practice with id {other_world.practice.pk} in this program."
    ]
    row = made.json()["id"]
    changed = api.patch(
        api_url(world, "kpi-targets-detail", pk=row), {"target": "15"}, format="json"
    )
    assert changed.json()["target"] == "15.0000"
    listed = api.get(api_url(world, "kpi-targets-list"), {"practice": world.practice.pk}).json()
    assert [r["id"] for r in listed["results"]] == [row]
    assert api.delete(api_url(world, "kpi-targets-detail", pk=row)).status_code == 204
    with program_scope(world.program):
        assert not KpiPracticeTarget.objects.exists()
    history = api.get(api_url(world, "kpi-definitions-history", pk=kpi.pk)).json()
    assert [line["what"] for line in history] == [
        "kpi.target_cleared",
        "kpi.target_set",
        "kpi.target_set",
    ]


def test_a_coach_cannot_read_practice_targets(world):
    response = _api(world, world.coach).get(api_url(world, "kpi-targets-list"))
    assert response.status_code == 403
