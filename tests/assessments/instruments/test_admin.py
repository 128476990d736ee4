"""The Django admin for platform operators: instruments of every program side by side, and the
structure of a published version read-only."""

import pytest
from django.urls import reverse

from assessments.instruments import change_ideas, services
from assessments.models import ChangeIdea, Domain, Instrument, InstrumentVersion, Option, Question
from psp.tenancy.scope import program_scope
from tests.assessments.helpers import build_draft
from tests.factories import UserFactory, give_totp


@pytest.fixture
def operator(db, client):
    user = UserFactory(email="operator@platform.example.org", is_staff=True, is_superuser=True)
    give_totp(user)  # operators use two-factor authentication to reach the admin
    client.force_login(user)
    return user


@pytest.fixture
def both(world, other_world):
    made = []
    for w in (world, other_world):
        with program_scope(w.program):
            instrument, version = build_draft(w.program, w.admin, name=f"{w.program.name} check")
            services.version_publish(program=w.program, version=version, by=w.admin)
            domain = Domain.objects.filter(version=version).first()
            change_ideas.change_idea_create(
                program=w.program,
                instrument=instrument,
                by=w.admin,
                domain_key=domain.key,
                goal=f"Huddle at {w.program.name}",
            )
            made.append((instrument, version))
    return made


@pytest.mark.parametrize(
    "model", [Instrument, InstrumentVersion, Domain, Question, Option, ChangeIdea]
)
def test_an_operator_sees_every_programs_rows(client, operator, world, other_world, both, model):
    response = client.get(reverse(f"admin:assessments_{model._meta.model_name}_changelist"))

    assert response.status_code == 200
    assert response.context["cl"].result_count == model.all_programs.count()
    html = response.content.decode()
    assert world.program.name in html and other_world.program.name in html


def test_the_questions_of_a_published_version_are_read_only_in_the_admin(
    client, operator, world, both
):
    _, version = both[0]
    question = Question.all_programs.filter(version=version).first()
    url = reverse("admin:assessments_question_change", args=[question.pk])

    page = client.get(url)
    response = client.post(url, {"text": "Changed by an operator"})

    assert page.status_code == 200
    assert "Changed by an operator" not in Question.all_programs.get(pk=question.pk).text
    assert response.status_code == 403


def test_an_operator_can_correct_a_draft_question(client, operator, world, both):
    instrument, version = both[0]
    with program_scope(world.program):
        draft = services.version_new_draft_from(
            program=world.program, version=version, by=world.admin
        )
    question = Question.all_programs.filter(version=draft, kind="scale").first()
    url = reverse("admin:assessments_question_change", args=[question.pk])
    form = client.get(url).context["adminform"].form
    data = {
        name: ("" if value is None else value)
        for name, value in form.initial.items()
        if name in form.fields
    }
    data["scale_labels"] = '{"1": "Not at all", "5": "Fully"}'

    response = client.post(url, {**data, "text": "A clearer question"})

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Question.all_programs.get(pk=question.pk).text == "A clearer question"
