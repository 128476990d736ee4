"""The Django admin for platform operators: every program's practices, outside any scope."""

import pytest
from django.urls import reverse

from practices.models import CoachAssignment, Practice, PracticeMembership, StageChange
from psp.tenancy.scope import program_scope
from tests.factories import UserFactory, give_totp


@pytest.fixture
def operator(db, client):
    user = UserFactory(email="operator@platform.example.org", is_staff=True, is_superuser=True)
    give_totp(user)  # operators use two-factor authentication to reach the admin
    client.force_login(user)
    return user


@pytest.mark.parametrize("model", [Practice, StageChange, PracticeMembership, CoachAssignment])
def test_an_operator_sees_rows_of_every_program_with_their_program(
    client, operator, world, other_world, model
):
    if model is StageChange:
        for w in (world, other_world):
            with program_scope(w.program):
                StageChange.objects.create(
                    program=w.program, practice=w.practice, to_stage="needs_assessment"
                )

    response = client.get(reverse(f"admin:practices_{model._meta.model_name}_changelist"))

    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["cl"].result_count == model.all_programs.count()
    assert world.program.name in html
    assert other_world.program.name in html


def test_an_operator_edits_a_practice_outside_any_scope(client, operator, world):
    url = reverse("admin:practices_practice_change", args=[world.practice.pk])
    form = client.get(url).context["adminform"].form
    data = {
        name: ("" if value is None else value)
        for name, value in form.initial.items()
        if name in form.fields
    }

    response = client.post(url, {**data, "region": "Operator Bay"})

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Practice.all_programs.get(pk=world.practice.pk).region == "Operator Bay"


def test_the_admin_still_refuses_a_duplicate_name_within_a_program(client, operator, world):
    url = reverse("admin:practices_practice_change", args=[world.practice.pk])
    form = client.get(url).context["adminform"].form
    data = {
        name: ("" if value is None else value)
        for name, value in form.initial.items()
        if name in form.fields
    }

    response = client.post(url, {**data, "name": world.other_practice.name})

    assert response.status_code == 200
    assert Practice.all_programs.get(pk=world.practice.pk).name == world.practice.name


def test_an_operator_cannot_attach_a_membership_to_another_programs_practice(
    client, operator, world, other_world
):
    membership = PracticeMembership.all_programs.get(user=world.staff)
    url = reverse("admin:practices_practicemembership_change", args=[membership.pk])

    response = client.post(
        url,
        {
            "practice": other_world.practice.pk,
            "user": world.staff.pk,
            "role": "staff",
            "title": "",
            "is_active": "on",
        },
    )

    assert response.status_code == 200
    assert "practice" in response.context["adminform"].form.errors
    assert PracticeMembership.all_programs.get(pk=membership.pk).practice_id == world.practice.pk


def test_stage_history_is_read_only_in_the_admin(client, operator, world):
    with program_scope(world.program):
        change = StageChange.objects.create(
            program=world.program, practice=world.practice, to_stage="needs_assessment"
        )

    add = client.get(reverse("admin:practices_stagechange_add"))
    post = client.post(
        reverse("admin:practices_stagechange_change", args=[change.pk]), {"note": "rewritten"}
    )

    assert add.status_code == 403
    assert post.status_code == 403
    assert StageChange.all_programs.get(pk=change.pk).note == ""


@pytest.mark.parametrize("model", [Practice, PracticeMembership, CoachAssignment])
def test_the_add_and_change_pages_open_outside_any_scope(client, operator, world, model):
    row = model.all_programs.filter(program=world.program).first()

    add = client.get(reverse(f"admin:practices_{model._meta.model_name}_add"))
    change = client.get(reverse(f"admin:practices_{model._meta.model_name}_change", args=[row.pk]))

    assert (add.status_code, change.status_code) == (200, 200)


def test_the_practice_picker_searches_every_program(client, operator, world, other_world):
    response = client.get(
        reverse("admin:autocomplete"),
        {
            "term": "Health Centre",
            "app_label": "practices",
            "model_name": "practicemembership",
            "field_name": "practice",
        },
    )

    assert {row["text"] for row in response.json()["results"]} == {
        world.practice.name,
        other_world.practice.name,
    }


def test_a_practice_added_in_the_admin_starts_its_stage_history(client, operator, world):
    response = client.post(
        reverse("admin:practices_practice_add"),
        {
            "program": world.program.pk,
            "name": "Admin-Enrolled Clinic",
            "sector": "primary_care",
            "professionals_count": 2,
            "staff_count": 3,
            "enrolled_on": "2026-11-02",
        },
    )

    assert response.status_code == 302, response.content
    with program_scope(world.program):
        practice = Practice.objects.get(name="Admin-Enrolled Clinic")
        [change] = StageChange.objects.filter(practice=practice)
    assert (change.from_stage, change.to_stage, change.moved_by) == (
        "",
        "needs_assessment",
        operator,
    )
