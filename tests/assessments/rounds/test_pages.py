"""Assessment pages other than answering: the list, opening a round, the overview, consensus and
submission, results with comparisons, and the practice page's panel."""

import re
from datetime import timedelta

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from assessments.models import Assessment, AssessmentKind, ConsensusAnswer
from psp.tenancy.access import access_for
from psp.tenancy.scope import program_scope
from tests.assessments.helpers import (
    ANSWERS,
    answer,
    build_instrument,
    open_round,
    questions_by_key,
    submit_round,
)

HX = {"HX-Request": "true"}


@pytest.fixture
def version(world):
    return build_instrument(world.program)


@pytest.fixture
def round_(world, version):
    return open_round(world, version)


def url(world, name, assessment=None, query=""):
    kwargs = {"program": world.program.slug}
    if assessment is not None:
        kwargs["pk"] = assessment.pk
    return reverse(f"assessments:{name}", kwargs=kwargs) + query


# The list -------------------------------------------------------------------------------------


def test_the_list_shows_the_rounds_of_the_practices_a_person_may_see(
    client, world, version, round_
):
    other = open_round(world, version, practice=world.other_practice)
    client.force_login(world.staff)
    html = client.get(url(world, "list")).content.decode()
    assert url(world, "detail", round_) in html
    assert url(world, "detail", other) not in html

    client.force_login(world.manager)
    html = client.get(url(world, "list")).content.decode()
    assert url(world, "detail", round_) in html and url(world, "detail", other) in html


def test_the_list_filters_by_practice_and_status_and_answers_htmx_with_the_results_only(
    client, world, version, round_
):
    other = open_round(world, version, practice=world.other_practice)
    client.force_login(world.admin)
    response = client.get(
        url(world, "list", query=f"?practice={world.other_practice.pk}"), headers=HX
    )
    html = response.content.decode()
    assert "<html" not in html
    assert url(world, "detail", other) in html and url(world, "detail", round_) not in html
    html = client.get(url(world, "list", query="?status=submitted")).content.decode()
    assert "No assessments match these filters." in html


def test_a_practice_filter_for_a_practice_out_of_reach_is_ignored_and_shows_nothing_of_it(
    client, world, version
):
    other = open_round(world, version, practice=world.other_practice)
    client.force_login(world.staff)
    html = client.get(
        url(world, "list", query=f"?practice={world.other_practice.pk}")
    ).content.decode()
    assert url(world, "detail", other) not in html
    assert world.other_practice.name not in html


# Opening a round ------------------------------------------------------------------------------


def test_a_practice_lead_opens_a_baseline_round_for_their_practice(client, world, version):
    client.force_login(world.lead)
    form = client.get(url(world, "open", query=f"?practice={world.practice.pk}")).content.decode()
    assert f'<option value="{world.practice.pk}" selected>' in form
    assert world.other_practice.name not in form

    response = client.post(
        url(world, "open"), {"practice": world.practice.pk, "version": version.pk}
    )
    with program_scope(world.program):
        assessment = Assessment.objects.get()
    assert response["Location"] == url(world, "detail", assessment)
    assert assessment.kind == AssessmentKind.BASELINE and assessment.opened_by == world.lead


def test_opening_a_second_round_shows_why_not(client, world, version, round_):
    client.force_login(world.lead)
    response = client.post(
        url(world, "open"), {"practice": world.practice.pk, "version": version.pk}
    )
    assert response.status_code == 200
    assert "already has an open round" in response.content.decode()


def test_a_coach_cannot_open_a_round_for_a_practice_outside_their_caseload(client, world, version):
    client.force_login(world.coach)
    response = client.post(
        url(world, "open"), {"practice": world.other_practice.pk, "version": version.pk}
    )
    assert "Choose one of the practices you can open rounds for." in response.content.decode()
    with program_scope(world.program):
        assert not Assessment.objects.exists()


@pytest.mark.parametrize("who", ["staff", "manager"])
def test_staff_and_managers_may_not_open_rounds(client, world, who):
    client.force_login(world.user(who))
    assert client.get(url(world, "open")).status_code == 403


# The overview ---------------------------------------------------------------------------------


def test_the_overview_shows_who_has_answered_and_how_far(client, world, round_):
    answer(world, round_, world.staff, ANSWERS, submit=True)
    answer(world, round_, world.lead, {"roles-clear": 2})
    client.force_login(world.coach)
    html = client.get(url(world, "detail", round_)).content.decode()
    assert "7 of 7 answered" in html and "1 of 7 answered" in html
    assert "1 of 2 submitted." in html
    assert url(world, "consensus", round_) in html  # the coach facilitates
    assert "Start answering" in html


# Consensus ------------------------------------------------------------------------------------


@pytest.fixture
def disagreeing(world, round_):
    answer(world, round_, world.staff, ANSWERS, submit=True)
    answer(world, round_, world.lead, {**ANSWERS, "roles-clear": 2}, submit=True)
    return round_


def test_the_consensus_page_shows_answers_side_by_side_and_marks_disagreements(
    client, world, disagreeing
):
    questions = questions_by_key(disagreeing.version)
    client.force_login(world.coach)
    html = client.get(url(world, "consensus", disagreeing)).content.decode()
    row = re.search(rf'<tr id="consensus-{questions["roles-clear"].pk}".*?</tr>', html, re.S).group(
        0
    )
    assert "is-disagreement" in row and "Disagreement" in row
    # Each respondent's answer, labelled with their name for the stacked rows of a phone.
    assert f'data-label="{world.staff.full_name}">4</td>' in row
    assert f'data-label="{world.lead.full_name}">2</td>' in row
    agreed = re.search(rf'<tr id="consensus-{questions["huddles"].pk}".*?</tr>', html, re.S).group(
        0
    )
    assert "Agreed" in agreed and "is-disagreement" not in agreed
    assert "Record a consensus for 1 question where answers differ" in html
    assert "Submit and score</button>" not in html


def test_a_facilitator_records_a_consensus_in_place_with_htmx(client, world, disagreeing):
    question = questions_by_key(disagreeing.version)["roles-clear"]
    client.force_login(world.coach)
    response = client.post(
        url(world, "consensus_record", disagreeing, f"?question={question.pk}"),
        {"question": question.pk, f"c-{question.pk}": "3", "note": "Agreed at the huddle."},
        headers=HX,
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith(f'<tr id="consensus-{question.pk}"')
    assert "Consensus recorded" in html and "Agreed at the huddle." in html
    assert 'id="submit-panel"' in html and 'hx-swap-oob="true"' in html
    assert "Submit and score</button>" in html
    with program_scope(world.program):
        consensus = ConsensusAnswer.objects.get()
    assert (consensus.value, consensus.decided_by) == (3, world.coach)


def test_recording_a_consensus_works_without_javascript(client, world, disagreeing):
    question = questions_by_key(disagreeing.version)["roles-clear"]
    client.force_login(world.lead)  # leads facilitate their own practice's rounds
    response = client.post(
        url(world, "consensus_record", disagreeing),
        {"question": question.pk, f"c-{question.pk}": "3"},
    )
    assert response["Location"] == url(world, "consensus", disagreeing, f"#consensus-{question.pk}")


def test_an_invalid_consensus_shows_the_error_in_its_row_and_saves_nothing(
    client, world, disagreeing
):
    question = questions_by_key(disagreeing.version)["roles-clear"]
    client.force_login(world.coach)
    response = client.post(
        url(world, "consensus_record", disagreeing),
        {"question": question.pk, f"c-{question.pk}": "7"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Choose a whole number from 1 to 5." in html
    with program_scope(world.program):
        assert not ConsensusAnswer.objects.exists()


def test_submitting_with_a_disagreement_left_says_what_blocks_it(client, world, disagreeing):
    client.force_login(world.coach)
    response = client.post(url(world, "submit", disagreeing), follow=True)
    html = response.content.decode()
    assert "Not submitted yet: 1 required question without a consensus" in html
    with program_scope(world.program):
        assert Assessment.objects.get(pk=disagreeing.pk).status == "open"


def test_submit_and_score_goes_to_the_results(client, world, disagreeing):
    question = questions_by_key(disagreeing.version)["roles-clear"]
    client.force_login(world.coach)
    client.post(
        url(world, "consensus_record", disagreeing),
        {"question": question.pk, f"c-{question.pk}": "4"},
    )
    response = client.post(url(world, "submit", disagreeing), follow=True)
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == url(world, "results", disagreeing)
    assert "Submitted and scored: 80.0% overall." in html


@pytest.mark.parametrize("who", ["staff", "manager", "admin"])
def test_only_facilitators_record_consensus_and_submit(client, world, disagreeing, who):
    question = questions_by_key(disagreeing.version)["roles-clear"]
    client.force_login(world.user(who))
    assert client.get(url(world, "consensus", disagreeing)).status_code == 200  # they may look
    body = {"question": question.pk, f"c-{question.pk}": "3"}
    assert client.post(url(world, "consensus_record", disagreeing), body).status_code == 403
    assert client.post(url(world, "submit", disagreeing)).status_code == 403
    with program_scope(world.program):
        assert not ConsensusAnswer.objects.exists()


def test_the_coach_of_another_practice_cannot_reach_its_consensus(client, world, disagreeing):
    client.force_login(world.other_coach)
    assert client.get(url(world, "consensus", disagreeing)).status_code == 404
    assert client.post(url(world, "submit", disagreeing)).status_code == 404


# Results --------------------------------------------------------------------------------------


def scored(world, version, answers, *, days_ago=0):
    assessment = open_round(world, version)
    answer(world, assessment, world.staff, answers, submit=True)
    submit_round(world, assessment)
    if days_ago:
        with program_scope(world.program):
            Assessment.objects.filter(pk=assessment.pk).update(
                submitted_at=timezone.now() - timedelta(days=days_ago)
            )
    return assessment


def test_the_results_show_domain_scores_as_bars_and_a_table(client, world, version):
    assessment = scored(world, version, ANSWERS)
    client.force_login(world.staff)
    html = client.get(url(world, "results", assessment)).content.decode()
    assert "80.0%" in html
    assert '<rect class="score-chart__fill" x="0" y="0" width="75.0" height="10" fill="' in html
    assert '<rect class="score-chart__fill" x="0" y="0" width="87.5" height="10" fill="' in html
    assert '<table class="table table--responsive score-table">' in html
    # The table's region is reachable by keyboard and named (axe:
    # scrollable-region-focusable); on a phone each score is labelled by its column.
    assert 'tabindex="0" role="region" aria-label="Table of domain scores"' in html
    assert '<td data-label="This round">' in html
    assert "first scored round" in html


def test_a_follow_up_shows_the_change_since_the_baseline_and_the_previous_round(
    client, world, version
):
    low = {**ANSWERS, "roles-clear": 1, "huddles": False, "lead-time": "none"}
    scored(world, version, low, days_ago=300)
    scored(world, version, {**low, "huddles": True}, days_ago=120)
    latest = scored(world, version, ANSWERS)
    client.force_login(world.manager)
    html = client.get(url(world, "results", latest)).content.decode()
    assert "Previous round" in html and "Baseline" in html
    assert "+41.7" in html and "+75.0" in html  # team: since the previous round, since baseline
    assert "points, up" in html
    assert 'class="score-chart__previous"' in html


def test_an_open_round_has_no_results_yet(client, world, round_):
    client.force_login(world.staff)
    response = client.get(url(world, "results", round_))
    assert response.status_code == 200
    assert "not scored yet" in response.content.decode()


def test_weak_domains_are_named_on_the_results(client, world):
    version = build_instrument(world.program, weak_threshold=80)
    assessment = scored(world, version, ANSWERS)
    client.force_login(world.lead)
    html = client.get(url(world, "results", assessment)).content.decode()
    assert "Where to focus" in html and "Team roles: 75.0%" in html
    assert "EHR and technology use: 87.5%" not in html


# The practice page's panel --------------------------------------------------------------------


def render_panel(world, person, practice):
    request = RequestFactory().get("/")
    with program_scope(world.program):
        access = access_for(program=world.program, user=person)
        template = Template("{% load assessment_tags %}{% assessment_panel practice %}")
        return template.render(
            Context(
                {
                    "practice": practice,
                    "access": access,
                    "current_program": world.program,
                    "request": request,
                }
            )
        )


def test_the_practice_panel_shows_the_latest_score_the_open_round_and_the_next_follow_up(
    world, version
):
    scored(world, version, ANSWERS, days_ago=30)
    follow_up = open_round(world, version)
    html = render_panel(world, world.staff, world.practice)
    assert "80.0%" in html and "baseline" in html
    assert url(world, "answer", follow_up) in html
    due = (timezone.now() - timedelta(days=30)).date()
    assert "Next follow-up due" in html and str(due.year) in html
    assert url(world, "open") not in html  # staff do not open rounds


def test_the_practice_panel_invites_a_baseline_and_offers_opening_a_round_to_those_who_may(world):
    html = render_panel(world, world.lead, world.practice)
    assert "A baseline assessment comes first" in html
    assert url(world, "open", query=f"?practice={world.practice.pk}") in html


def test_the_practice_panel_is_empty_for_someone_who_cannot_see_the_practices_assessments(world):
    assert render_panel(world, world.other_coach, world.practice).strip() == ""
