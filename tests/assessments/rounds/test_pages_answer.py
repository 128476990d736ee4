"""Answering an assessment in the browser: one domain per step, autosave with htmx, the same
answers saved by a plain form post between steps, and submission with what is missing listed."""

import re

import pytest
from django.urls import reverse

from assessments.models import Answer, Response
from psp.tenancy.scope import program_scope
from tests.assessments.helpers import (
    ANSWERS,
    answer,
    build_instrument,
    open_round,
    questions_by_key,
)

HX = {"HX-Request": "true"}


@pytest.fixture
def round_(world):
    return open_round(world, build_instrument(world.program))


@pytest.fixture
def questions(round_):
    return questions_by_key(round_.version)


def url(world, name, assessment, query=""):
    path = reverse(
        f"assessments:{name}", kwargs={"program": world.program.slug, "pk": assessment.pk}
    )
    return path + query


def saved(world, person=None) -> dict:
    with program_scope(world.program):
        rows = Answer.objects.select_related("question")
        if person is not None:
            rows = rows.filter(response__respondent=person)
        return {a.question.key: (a.value, a.is_na) for a in rows}


def checked(html: str, input_id: str) -> bool:
    tag = re.search(rf'<input[^>]*id="{input_id}"[^>]*>', html)
    assert tag, f"no input {input_id}"
    return " checked" in tag.group(0)


# The step page --------------------------------------------------------------------------------


def test_a_step_shows_one_domain_with_every_question_as_a_labelled_fieldset(
    client, world, round_, questions
):
    client.force_login(world.staff)
    response = client.get(url(world, "answer", round_, "?step=1"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Domain 1 of 2" in html
    assert html.count('<fieldset class="question') == 4
    assert "Everyone knows who does what." in html
    assert "Which EHR features do you use?" not in html  # the next domain's question
    scale = questions["roles-clear"]
    # Each scale point is a radio in its own label, with its number and words beside it.
    for point in range(1, 6):
        assert f'<label class="choice" for="q{scale.pk}-{point - 1}">' in html
    assert '<span class="choice__number">1</span><span class="choice__label">Not started' in html
    assert "Not started" in html and "Fully in place" in html
    assert "<strong>0</strong> of 7 questions answered" in html
    assert f'hx-post="{url(world, "answer_save", round_)}?question={scale.pk}"' in html


def test_not_applicable_is_offered_only_where_the_question_allows_it(
    client, world, round_, questions
):
    client.force_login(world.staff)
    html = client.get(url(world, "answer", round_, "?step=2")).content.decode()
    assert f'id="q{questions["paper-charts"].pk}-na"' in html
    assert f'id="q{questions["ehr-use"].pk}-na"' not in html


def test_the_answer_page_opens_at_the_first_domain_with_something_unanswered(client, world, round_):
    answer(
        world,
        round_,
        world.staff,
        {k: ANSWERS[k] for k in ("roles-clear", "huddles", "lead-time", "team-notes")},
    )
    client.force_login(world.staff)
    html = client.get(url(world, "answer", round_)).content.decode()
    assert "Domain 2 of 2" in html
    assert "<strong>4</strong> of 7 questions answered" in html


# Autosave -------------------------------------------------------------------------------------


def test_an_autosave_saves_one_answer_and_a_reload_shows_it(client, world, round_, questions):
    client.force_login(world.staff)
    scale = questions["roles-clear"]
    response = client.post(
        url(world, "answer_save", round_, f"?question={scale.pk}"),
        {f"q-{scale.pk}": "4", f"q-{questions['huddles'].pk}": "yes"},  # the whole form comes along
        headers=HX,
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Saved" in html
    assert 'id="answer-progress"' in html and 'hx-swap-oob="true"' in html
    assert "<strong>1</strong> of 7 questions answered" in html
    assert saved(world) == {"roles-clear": (4, False)}  # only the question that changed

    page = client.get(url(world, "answer", round_, "?step=1")).content.decode()
    assert checked(page, f"q{scale.pk}-3")  # the fourth point
    assert not checked(page, f"q{scale.pk}-2")


def test_an_invalid_autosave_shows_the_error_beside_the_question_and_saves_nothing(
    client, world, round_, questions
):
    client.force_login(world.staff)
    number = questions["ehr-years"]
    response = client.post(
        url(world, "answer_save", round_, f"?question={number.pk}"),
        {f"q-{number.pk}": "99"},
        headers=HX,
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="errorlist"' in html and "Enter a number from 0 to 40 years." in html
    assert "Saved" not in html
    assert saved(world) == {}


def test_not_applicable_autosaves_from_its_radio(client, world, round_, questions):
    client.force_login(world.staff)
    paper = questions["paper-charts"]
    client.post(
        url(world, "answer_save", round_, f"?question={paper.pk}"),
        {f"q-{paper.pk}": "__na__"},
        headers=HX,
    )
    assert saved(world) == {"paper-charts": (None, True)}
    page = client.get(url(world, "answer", round_, "?step=2")).content.decode()
    assert checked(page, f"q{paper.pk}-na")


def test_a_text_answer_emptied_again_is_cleared(client, world, round_, questions):
    client.force_login(world.staff)
    notes = questions["team-notes"]
    save_url = url(world, "answer_save", round_, f"?question={notes.pk}")
    client.post(save_url, {f"q-{notes.pk}": "We are five."}, headers=HX)
    response = client.post(save_url, {f"q-{notes.pk}": "  "}, headers=HX)
    assert "Answer cleared" in response.content.decode()
    assert saved(world) == {}


def test_an_autosave_without_htmx_goes_back_to_the_questions_step(client, world, round_, questions):
    client.force_login(world.staff)
    years = questions["ehr-years"]
    response = client.post(
        url(world, "answer_save", round_, f"?question={years.pk}"), {f"q-{years.pk}": "6"}
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"?step=2#question-{years.pk}")
    assert saved(world) == {"ehr-years": ("6", False)}


def test_an_autosave_of_a_question_from_another_instrument_is_404(client, world, round_):
    other = questions_by_key(build_instrument(world.program, key="other", name="Other"))["huddles"]
    client.force_login(world.staff)
    response = client.post(
        url(world, "answer_save", round_, f"?question={other.pk}"),
        {f"q-{other.pk}": "yes"},
        headers=HX,
    )
    assert response.status_code == 404
    assert saved(world) == {}


# Moving between steps without JavaScript ------------------------------------------------------


def step_one(questions, **overrides) -> dict:
    data = {
        f"q-{questions['roles-clear'].pk}": "3",
        f"q-{questions['huddles'].pk}": "no",
        f"q-{questions['lead-time'].pk}": "lots",
        f"q-{questions['team-notes'].pk}": "",
        "step": "1",
        "action": "next",
    }
    return {**data, **overrides}


def test_moving_to_the_next_step_saves_the_steps_answers(client, world, round_, questions):
    client.force_login(world.staff)
    response = client.post(url(world, "answer", round_, "?step=1"), step_one(questions))
    assert response.status_code == 302
    assert response["Location"] == url(world, "answer", round_, "?step=2")
    assert saved(world) == {
        "roles-clear": (3, False),
        "huddles": (False, False),
        "lead-time": ("lots", False),
    }

    back = client.get(url(world, "answer", round_, "?step=1")).content.decode()
    assert checked(back, f"q{questions['lead-time'].pk}-2")


def test_a_step_with_an_invalid_answer_saves_nothing_and_shows_the_error_beside_it(
    client, world, round_, questions
):
    client.force_login(world.staff)
    data = step_one(questions, **{f"q-{questions['lead-time'].pk}": "plenty"})
    response = client.post(url(world, "answer", round_, "?step=1"), data)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Nothing on this step was saved" in html
    assert "“plenty” is not one of this question’s options." in html
    assert (
        'class="question question--invalid" id="question-{}"'.format(questions["lead-time"].pk)
        in html
    )
    # What the person chose is still there to correct.
    assert checked(html, f"q{questions['roles-clear'].pk}-2")
    assert saved(world) == {}


def test_the_previous_button_saves_and_goes_back(client, world, round_, questions):
    client.force_login(world.staff)
    data = {f"q-{questions['ehr-years'].pk}": "12", "step": "2", "action": "previous"}
    response = client.post(url(world, "answer", round_, "?step=2"), data)
    assert response["Location"] == url(world, "answer", round_, "?step=1")
    assert saved(world) == {"ehr-years": ("12", False)}


# Submitting -----------------------------------------------------------------------------------


def test_the_last_step_submits_and_lists_unanswered_required_questions_with_links_to_their_step(
    client, world, round_, questions
):
    client.force_login(world.staff)
    data = {f"q-{questions['ehr-years'].pk}": "6", "step": "2", "action": "submit"}
    response = client.post(url(world, "answer", round_, "?step=2"), data)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Not submitted yet: 5 required questions still need an answer." in html
    assert f'href="?step=1#question-{questions["huddles"].pk}"' in html
    assert f'href="?step=2#question-{questions["ehr-use"].pk}"' in html
    assert (
        "Anything else about your team?"
        not in html.split("error-summary__list")[1].split("</ul>")[0]
    )
    assert saved(world) == {"ehr-years": ("6", False)}  # the step's answer is kept
    with program_scope(world.program):
        assert Response.objects.get().submitted_at is None


def test_submitting_a_complete_response_shows_the_persons_own_scores(
    client, world, round_, questions
):
    answer(world, round_, world.staff, {k: v for k, v in ANSWERS.items() if k != "ehr-years"})
    client.force_login(world.staff)
    # The step's form as the browser sends it: its saved answers, and the one just typed.
    data = {
        f"q-{questions['ehr-use'].pk}": ["recalls", "portal"],
        f"q-{questions['paper-charts'].pk}": "no",
        f"q-{questions['ehr-years'].pk}": "6",
        "step": "2",
        "action": "submit",
    }
    response = client.post(url(world, "answer", round_, "?step=2"), data, follow=True)

    html = response.content.decode()
    assert response.redirect_chain[-1][0] == url(world, "my_answers", round_)
    assert "your answers are submitted" in html
    assert "80.0%" in html
    assert "Team roles" in html and "75.0%" in html and "87.5%" in html
    # Coming back to answer shows the summary instead of the form.
    again = client.get(url(world, "answer", round_))
    assert again["Location"] == url(world, "my_answers", round_)


def test_a_submitted_round_sends_people_to_its_results(client, world, round_):
    from tests.assessments.helpers import submit_round

    answer(world, round_, world.staff, ANSWERS, submit=True)
    submit_round(world, round_)
    client.force_login(world.lead)
    assert client.get(url(world, "answer", round_))["Location"] == url(world, "results", round_)


# Who may answer -------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["staff", "lead", "coach"])
def test_the_practices_people_and_its_coach_answer_as_themselves(
    client, world, round_, questions, who
):
    client.force_login(world.user(who))
    scale = questions["roles-clear"]
    response = client.post(
        url(world, "answer_save", round_, f"?question={scale.pk}"),
        {f"q-{scale.pk}": "2"},
        headers=HX,
    )
    assert response.status_code == 200
    assert saved(world, world.user(who)) == {"roles-clear": (2, False)}


@pytest.mark.parametrize("who", ["admin", "manager"])
def test_admins_and_managers_see_the_round_but_may_not_answer_it(
    client, world, round_, questions, who
):
    client.force_login(world.user(who))
    assert client.get(url(world, "detail", round_)).status_code == 200
    assert client.get(url(world, "answer", round_)).status_code == 403
    scale = questions["roles-clear"]
    response = client.post(
        url(world, "answer_save", round_, f"?question={scale.pk}"),
        {f"q-{scale.pk}": "2"},
        headers=HX,
    )
    assert response.status_code == 403
    assert saved(world) == {}


def test_another_practices_round_is_404_for_staff_and_for_its_unassigned_coach(client, world):
    other_round = open_round(world, build_instrument(world.program), practice=world.other_practice)
    for person in (world.staff, world.lead, world.coach):
        client.force_login(person)
        assert client.get(url(world, "answer", other_round)).status_code == 404
        assert client.get(url(world, "detail", other_round)).status_code == 404


def test_an_outsider_and_another_programs_member_get_404(
    client, world, other_world, outsider, round_
):
    for person in (outsider, other_world.staff, other_world.admin):
        client.force_login(person)
        assert client.get(url(world, "answer", round_)).status_code == 404
