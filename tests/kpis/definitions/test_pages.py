"""The KPI definition pages: the list grouped by source, defining and editing a KPI with every
refusal explained beside its field, a KPI's page, and fixed query counts."""

import pytest

from kpis.models import KpiDefinition
from psp.history.models import ChangeRecord, SubjectType
from psp.tenancy.scope import program_scope
from tests.factories import KpiDefinitionFactory
from tests.kpis.definitions.helpers import (
    ENTERED,
    count,
    drafted_plan,
    measure,
    measures_registered,
    name_goals,
    url,
)

pytestmark = pytest.mark.django_db


def _definitions(world):
    with program_scope(world.program):
        return {d.code: d for d in KpiDefinition.objects.all()}


def test_an_admin_defines_an_entered_kpi_and_its_creation_is_in_its_history(client, world):
    client.force_login(world.admin)

    response = client.post(url(world, "definition_new"), ENTERED)

    made = _definitions(world)["wait-for-intake"]
    assert response.status_code == 302
    assert response["Location"] == url(world, "definition", pk=made.pk)
    assert (made.unit, made.direction, made.aggregation) == ("days", "lower", "median")
    assert made.target == 14 and made.max_value == 365
    page = client.get(response["Location"]).content.decode()
    assert "Wait for intake" in page
    assert "KPI “Wait for intake” defined." in page


def test_a_computed_kpi_takes_its_measures_unit_direction_and_aggregation(client, world):
    client.force_login(world.admin)
    form = ENTERED | {
        "code": "coaching-time",
        "source": "computed",
        "measure": "coaching-hours",
        "unit": "",
        "direction": "",
        "aggregation": "",
        "target": "",
        "min_value": "",
        "max_value": "",
    }

    with measures_registered(measure("coaching-hours")):
        assert (
            "Coaching dose: Coaching hours"
            in client.get(url(world, "definition_new")).content.decode()
        )
        response = client.post(url(world, "definition_new"), form)

    assert response.status_code == 302
    made = _definitions(world)["coaching-time"]
    assert (made.source, made.measure) == ("computed", "coaching-hours")
    assert (made.unit, made.direction, made.aggregation) == ("hours", "higher", "sum")


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"code": "taken"}, "code", "The code “taken” is already used by “Taken KPI” here."),
        ({"min_value": "10", "max_value": "5", "target": ""}, "max_value", "must not be below"),
        (
            {"unit": "percent", "target": "120", "min_value": "", "max_value": ""},
            "target",
            "A percent must be from 0 to 100.",
        ),
        ({"source": "computed", "measure": ""}, "measure", "A computed KPI needs a measure"),
        ({"target": "400"}, "target", "within the allowed values (0 to 365)"),
        ({"unit": ""}, "unit", "Choose one"),
        ({"code": "Not a slug!"}, "code", "Enter a valid “slug”"),
        ({"name": ""}, "name", "This field is required."),
    ],
)
def test_a_refused_kpi_is_explained_beside_its_field_and_nothing_is_saved(
    client, world, changes, field, message
):
    with program_scope(world.program):
        KpiDefinitionFactory(program=world.program, code="taken", name="Taken KPI")
    client.force_login(world.admin)

    page = client.post(url(world, "definition_new"), ENTERED | changes)

    assert page.status_code == 200
    assert message in " ".join(page.context["form"].errors[field])
    assert "form-field--invalid" in page.content.decode()
    assert set(_definitions(world)) == {"taken"}


def test_an_admin_edits_a_kpi_and_the_change_is_a_line_of_its_history(client, world):
    with program_scope(world.program):
        kpi = KpiDefinitionFactory(program=world.program, code="no-shows", name="No-shows")
    client.force_login(world.admin)
    form = ENTERED | {"code": "no-shows", "name": "Missed appointments", "unit": "percent"}
    form |= {"target": "5", "min_value": "0", "max_value": "100"}

    response = client.post(url(world, "definition_edit", pk=kpi.pk), form)

    assert response.status_code == 302
    with program_scope(world.program):
        kpi.refresh_from_db()
        line = ChangeRecord.objects.get(subject_type=SubjectType.KPI, subject_id=kpi.pk)
    assert kpi.name == "Missed appointments"
    assert line.what == "kpi.edited"
    assert line.changes["name"] == ["No-shows", "Missed appointments"]
    assert line.changed_by == world.admin


def test_the_edit_page_shows_the_kpi_as_it_is(client, world):
    with program_scope(world.program):
        kpi = KpiDefinitionFactory(program=world.program, code="no-shows", target=7)
    client.force_login(world.admin)

    form = client.get(url(world, "definition_edit", pk=kpi.pk)).context["form"]

    assert form["code"].value() == "no-shows"
    assert form["target"].value() == 7


def test_the_list_groups_computed_and_entered_kpis_with_how_each_is_counted(client, world):
    with program_scope(world.program):
        KpiDefinitionFactory(program=world.program, name="Panel size", unit="count")
        KpiDefinitionFactory(
            program=world.program, name="Visits", source="computed", measure="visits"
        )
    client.force_login(world.lead)

    with measures_registered():  # none: "visits" is not registered in this test
        page = client.get(url(world, "definitions"))

    groups = dict(page.context["groups"])
    assert [d.name for d in groups["Computed from platform data"]] == ["Visits"]
    assert [d.name for d in groups["Entered by practices and coaches"]] == ["Panel size"]
    html = page.content.decode()
    assert "Measure not available" in html
    assert "Define a KPI" not in html  # a practice lead reads, never defines


def test_the_list_filters_by_source(client, world):
    with program_scope(world.program):
        KpiDefinitionFactory(program=world.program, name="Panel size")
        KpiDefinitionFactory(program=world.program, name="Visits", source="computed")
    client.force_login(world.admin)

    page = client.get(url(world, "definitions"), {"source": "computed"})

    assert page.context["total"] == 1


def _grow(world, n):
    with program_scope(world.program):
        for i in range(n):
            kpi = KpiDefinitionFactory(
                program=world.program, source="computed" if i % 2 else "entered"
            )
            kpi.practice_targets.create(program=world.program, practice=world.practice, target=3)


def test_the_list_costs_the_same_for_1_and_12_kpis(client, world, django_assert_num_queries):
    client.force_login(world.admin)
    _grow(world, 1)
    path = url(world, "definitions")
    expected = count(client, path)
    _grow(world, 11)
    with django_assert_num_queries(expected):
        page = client.get(path)
    assert page.context["total"] == 12


def test_a_kpis_page_costs_the_same_for_1_and_12_goals_and_changes(
    client, world, django_assert_num_queries
):
    with program_scope(world.program):
        kpi = KpiDefinitionFactory(program=world.program, code="no-show-rate")
    plan = drafted_plan(world)
    client.force_login(world.admin)
    path = url(world, "definition", pk=kpi.pk)
    name_goals(plan, "no-show-rate", 1)
    expected = count(client, path)
    name_goals(plan, "no-show-rate", 12)
    with django_assert_num_queries(expected):
        page = client.get(path)
    assert len(page.context["goals"]) == 12
