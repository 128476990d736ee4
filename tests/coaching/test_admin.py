"""The Django admin for platform operators: every program's plans, goals and actions."""

import pytest
from django.urls import reverse

from coaching.models import PlanAction, PlanGoal, SupportPlan
from psp.accounts.models import User
from psp.tenancy.scope import no_program_scope
from tests.coaching.helpers import drafted_setup


@pytest.fixture
def operator(client, db):
    person = User.objects.create_superuser("operator@example.org", "an-operator-password-9")
    client.force_login(person)
    return person


@pytest.fixture
def plans(world, other_world):
    return [drafted_setup(world).plan, drafted_setup(other_world).plan]


@pytest.mark.parametrize("model", [SupportPlan, PlanGoal, PlanAction])
def test_the_admin_lists_every_programs_rows_with_their_program(client, operator, plans, model):
    with no_program_scope():
        page = client.get(reverse(f"admin:coaching_{model._meta.model_name}_changelist"))

    assert page.status_code == 200
    assert page.context["cl"].result_count == model.all_programs.count()
    assert "North PSP" in page.text and "South PSP" in page.text


@pytest.mark.parametrize("model", [SupportPlan, PlanGoal, PlanAction])
def test_the_admin_opens_a_row_of_any_program(client, operator, plans, model):
    row = model.all_programs.filter(program=plans[1].program).first()

    page = client.get(reverse(f"admin:coaching_{model._meta.model_name}_change", args=[row.pk]))

    assert page.status_code == 200
    assert "South PSP" in page.text


def test_the_admin_edits_a_plan_inside_its_program(client, operator, plans):
    plan = plans[1]
    url = reverse("admin:coaching_supportplan_change", args=[plan.pk])
    form = client.get(url).context["adminform"].form
    data = {
        name: ("" if value is None else value)
        for name, value in form.initial.items()
        if name in form.fields
    }

    response = client.post(url, {**data, "title": "Renamed by an operator"})

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert SupportPlan.all_programs.get(pk=plan.pk).title == "Renamed by an operator"


def test_the_admin_refuses_an_owner_from_outside_the_practice(client, operator, world, plans):
    action = PlanAction.all_programs.filter(program=world.program).first()
    url = reverse("admin:coaching_planaction_change", args=[action.pk])
    form = client.get(url).context["adminform"].form
    data = {
        name: ("" if value is None else value)
        for name, value in form.initial.items()
        if name in form.fields
    }

    refused = client.post(url, {**data, "owner": world.manager.pk})
    accepted = client.post(url, {**data, "owner": world.lead.pk})

    assert "owner" in refused.context["adminform"].form.errors
    assert accepted.status_code == 302
    assert PlanAction.all_programs.get(pk=action.pk).owner == world.lead
