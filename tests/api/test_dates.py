"""Dates people enter, in the API and on the pages, are from 2000 to 2099 (psp/dates.py): a
practice's enrolment, a goal's target, an action's due date, a round's due date, a visit's date
and the dose report's period. 0001-01-01 and 9999-12-31 are refused with a message naming the
range; the range's own ends are taken. Guards: every date a serializer or form takes is the
bounded field."""

import importlib
import inspect
from datetime import date

import pytest
from django import forms
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from coaching.actions.forms import ActionForm
from coaching.models import PlanAction, PlanGoal
from coaching.plans.forms import GoalAddForm
from practices.forms import PracticeForm
from psp.dates import DATE_PATTERN, OUT_OF_RANGE_MESSAGE
from psp.forms_fields import BoundedDateField
from psp.tenancy.scope import program_scope
from tests.api.helpers import api, assert_error, token_header
from tests.assessments.helpers import build_instrument
from tests.coaching.helpers import drafted_setup

TYPOS = ("0001-01-01", "9999-12-31", "1999-12-31", "2100-01-01")
ENDS = ("2000-01-01", "2099-12-31")


def refused_field(response, field: str) -> None:
    assert assert_error(response, 400, "invalid")["fields"][field] == [OUT_OF_RANGE_MESSAGE]


@pytest.fixture
def admin(world):
    return APIClient(**token_header(world, world.admin))


@pytest.fixture
def coach(world):
    return APIClient(**token_header(world, world.coach))


@pytest.fixture
def plan_items(world):
    plan = drafted_setup(world).plan
    with program_scope(world.program):
        goal = PlanGoal.objects.filter(plan=plan).order_by("position")[0]
        action = PlanAction.objects.filter(goal=goal).order_by("position")[0]
    return goal, action


@pytest.mark.parametrize("typo", TYPOS)
def test_a_practice_enrolled_on_a_typo_is_refused(admin, world, typo):
    data = {"name": "Typo Clinic", "sector": "primary_care", "enrolled_on": typo}
    refused_field(admin.post(api(world, "practices/"), data, format="json"), "enrolled_on")
    patch = {"enrolled_on": typo}
    url = api(world, f"practices/{world.practice.pk}/")
    refused_field(admin.patch(url, patch, format="json"), "enrolled_on")


@pytest.mark.parametrize("day", ENDS)
def test_the_ends_of_the_range_are_taken(admin, world, day):
    response = admin.patch(
        api(world, f"practices/{world.practice.pk}/"), {"enrolled_on": day}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["enrolled_on"] == day


@pytest.mark.parametrize("typo", TYPOS)
def test_an_actions_due_on_and_a_goals_target_date_are_bounded(coach, world, plan_items, typo):
    goal, action = plan_items
    url = api(world, f"plan-actions/{action.pk}/")
    refused_field(coach.patch(url, {"due_on": typo}, format="json"), "due_on")
    new = {"goal": goal.pk, "title": "Call the vendor", "due_on": typo}
    refused_field(coach.post(api(world, "plan-actions/"), new, format="json"), "due_on")
    url = api(world, f"plan-goals/{goal.pk}/")
    refused_field(coach.patch(url, {"target_date": typo}, format="json"), "target_date")


def test_an_action_agreed_at_a_visit_is_bounded(coach, world):
    visit = {
        "practice": world.practice.pk,
        "visit_date": date.today().isoformat(),
        "duration_minutes": 30,
        "activities": {"workflow": 30},
        "new_actions": [{"title": "Print the board", "due_on": "9999-12-31"}],
    }
    response = coach.post(api(world, "visits/"), visit, format="json")
    fields = assert_error(response, 400, "invalid")["fields"]
    assert fields["new_actions"]["0"]["due_on"] == [OUT_OF_RANGE_MESSAGE]  # by position


def test_the_visit_lists_date_filters_are_bounded(coach, world):
    for path in ("visits/", "planned-visits/"):
        response = coach.get(api(world, path), {"date_from": "0001-01-01"})
        refused_field(response, "date_from")


def test_a_rounds_due_date_is_bounded(coach, world):
    version = build_instrument(world.program)
    data = {"practice": world.practice.pk, "version": version.pk, "due_on": "0001-01-01"}
    refused_field(coach.post(api(world, "assessments/"), data, format="json"), "due_on")


# Forms ------------------------------------------------------------------------------------


def test_the_practice_form_refuses_a_typo_and_keeps_it_to_correct(world):
    data = {"name": "Typo Clinic", "sector": "primary_care", "enrolled_on": "9999-12-31"}
    with program_scope(world.program):
        form = PracticeForm(data)
        assert form.errors["enrolled_on"] == [OUT_OF_RANGE_MESSAGE]
        html = str(form["enrolled_on"])
    assert 'value="9999-12-31"' in html and 'type="text"' in html


def test_plan_forms_refuse_a_typo():
    assert ActionForm({"title": "Call", "due_on": "0001-01-01"}).errors["due_on"] == [
        OUT_OF_RANGE_MESSAGE
    ]
    assert GoalAddForm({"title": "Recall", "target_date": "9999-12-31"}).errors["target_date"] == [
        OUT_OF_RANGE_MESSAGE
    ]


# Guards: every date input is the bounded field ----------------------------------------------


def _request_dates(schema: dict, node, where: str):
    """(where, property schema) for every date in a request body or query parameter."""
    if isinstance(node, dict):
        if "$ref" in node:
            name = node["$ref"].rsplit("/", 1)[1]
            yield from _request_dates(schema, schema["components"]["schemas"][name], name)
            return
        if node.get("format") == "date":
            yield where, node
        for key, value in node.items():
            yield from _request_dates(schema, value, f"{where}.{key}")
    elif isinstance(node, list):
        for item in node:
            yield from _request_dates(schema, item, where)


def test_every_date_the_api_takes_is_bounded_in_its_schema():
    """Every request body and query parameter of the schema: a date there is the bounded field
    (its pattern states the range), so none can be added without it."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    taken = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            body = operation.get("requestBody", {})
            parameters = [p for p in operation.get("parameters", []) if p["in"] == "query"]
            taken += _request_dates(schema, [body, parameters], f"{method} {path}")
    assert len(taken) >= 10, taken  # discovery works: enrolled_on, due_on, visit_date...
    assert [where for where, node in taken if node.get("pattern") != DATE_PATTERN] == []


FORM_MODULES = (
    "practices.forms",
    "coaching.plans.forms",
    "coaching.actions.forms",
    "coaching.visits.forms",
    "coaching.caseload.forms",
    "coaching.feedback.forms",
    "coaching.timeline.forms",
    "assessments.rounds.forms",
    "assessments.instruments.forms",
)


def test_every_date_a_form_takes_is_bounded():
    unbounded = []
    for module_name in FORM_MODULES:
        module = importlib.import_module(module_name)
        for name, value in vars(module).items():
            if inspect.isclass(value) and issubclass(value, forms.BaseForm):
                unbounded += [
                    f"{module_name}.{name}.{field_name}"
                    for field_name, field in value.base_fields.items()
                    if isinstance(field, forms.DateField)
                    and not isinstance(field, BoundedDateField)
                ]
    assert unbounded == []
