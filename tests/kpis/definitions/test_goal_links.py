"""Plan goals (and change ideas) that name a KPI link to the program's definition of it, with
one lookup a page however many goals it shows; a key without a definition keeps its catalog
name."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from psp.tenancy.scope import program_scope
from tests.factories import KpiDefinitionFactory
from tests.kpis.definitions.helpers import drafted_plan, name_goals

pytestmark = pytest.mark.django_db

TEMPLATE = Template("{% load kpi_names %}{% for key in keys %}[{% kpi_link key %}]{% endfor %}")


def _render(world, keys) -> str:
    request = RequestFactory().get("/")
    request.program = world.program
    return TEMPLATE.render(Context({"request": request, "keys": keys}))


def test_a_key_with_a_definition_links_to_it_and_others_keep_their_names(
    world, django_assert_num_queries
):
    with program_scope(world.program):
        kpi = KpiDefinitionFactory(
            program=world.program, code="no-show-rate", name="Missed appointments"
        )
        with django_assert_num_queries(1):
            html = _render(world, ["no-show-rate", "panel-size", "no-show-rate", ""])

    link = f'<a href="/p/{world.program.slug}/kpis/definitions/{kpi.pk}/">Missed appointments</a>'
    assert html == f"[{link}][Panel size][{link}][]"


def test_the_plan_page_links_its_goals_kpi_to_the_definition(client, world):
    with program_scope(world.program):
        kpi = KpiDefinitionFactory(program=world.program, code="panel-size", name="Panel size")
    plan = drafted_plan(world)
    name_goals(plan, "panel-size", 2)
    name_goals(plan, "waitlist-size", 1)
    client.force_login(world.coach)

    html = client.get(f"/p/{world.program.slug}/plans/{plan.pk}/").content.decode()

    assert html.count(f'href="/p/{world.program.slug}/kpis/definitions/{kpi.pk}/"') == 2
    assert "Waitlist size" in html


def test_the_kpi_page_lists_the_goals_that_name_it_within_the_persons_reach(client, world):
    with program_scope(world.program):
        kpi = KpiDefinitionFactory(program=world.program, code="panel-size")
    plan = drafted_plan(world)
    name_goals(plan, "panel-size", 1)
    path = f"/p/{world.program.slug}/kpis/definitions/{kpi.pk}/"

    client.force_login(world.lead)
    assert len(client.get(path).context["goals"]) == 1
    client.force_login(world.other_coach)
    assert client.get(path).context["goals"] == []
