"""The Django admin for platform operators: every program's plans, goals and actions."""

import pytest
from django.urls import reverse

from coaching.models import (
    FeedbackResponse,
    PlanAction,
    PlanGoal,
    SupportPlan,
    Visit,
)
from psp.accounts.models import User
from psp.tenancy.scope import no_program_scope
from tests import factories as f
from tests.coaching.helpers import drafted_setup


def inline_data(page) -> dict:
    """What the browser posts for the page's read-only inlines (the status history)."""
    data = {}
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        for name, field in formset.management_form.fields.items():
            data[formset.management_form.add_prefix(name)] = formset.management_form.initial.get(
                name, field.initial
            )
        for form in formset.initial_forms:
            data[form.add_prefix("id")] = form.instance.pk
            data[form.add_prefix(formset.fk.name)] = form.instance.action_id
    return data


@pytest.fixture
def operator(client, db):
    person = User.objects.create_superuser("operator@example.org", "an-operator-password-9")
    f.give_totp(person)  # operators use two-factor authentication to reach the admin
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
    page = client.get(url)
    form = page.context["adminform"].form
    data = {
        name: ("" if value is None else value)
        for name, value in form.initial.items()
        if name in form.fields
    }
    data.update(inline_data(page))

    refused = client.post(url, {**data, "owner": world.manager.pk})
    accepted = client.post(url, {**data, "owner": world.lead.pk})

    assert "owner" in refused.context["adminform"].form.errors
    assert accepted.status_code == 302
    assert PlanAction.all_programs.get(pk=action.pk).owner == world.lead


@pytest.fixture
def visits(world, other_world):
    made = []
    for each in (world, other_world):
        visit = f.VisitFactory(program=each.program, practice=each.practice, coach=each.coach)
        f.VisitActivityFactory(program=each.program, visit=visit, minutes=60)
        f.FeedbackResponseFactory(program=each.program, visit=visit)
        made.append(visit)
    return made


@pytest.mark.parametrize("model", [Visit, FeedbackResponse])
def test_the_admin_lists_and_opens_every_programs_visits_and_feedback(
    client, operator, visits, model
):
    with no_program_scope():
        listing = client.get(reverse(f"admin:coaching_{model._meta.model_name}_changelist"))
    row = model.all_programs.filter(program=visits[1].program).first()
    page = client.get(reverse(f"admin:coaching_{model._meta.model_name}_change", args=[row.pk]))

    assert listing.context["cl"].result_count == model.all_programs.count() == 2
    assert page.status_code == 200
    assert "South PSP" in page.text


def test_a_visit_shows_its_minutes_read_only(client, operator, visits):
    page = client.get(reverse("admin:coaching_visit_change", args=[visits[0].pk]))

    assert "Workflow and systems optimization" in page.text
    assert not page.context["inline_admin_formsets"][0].has_add_permission
