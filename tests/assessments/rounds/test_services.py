"""Completing assessments: opening rounds, answering (validated per kind), submitting one's
answers, consensus and submission for scoring, comparisons, follow-ups and weak domains."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from assessments import selectors, services
from assessments.models import (
    Answer,
    Assessment,
    AssessmentKind,
    ConsensusAnswer,
    DomainScore,
    QuestionKind,
    Response,
    VersionStatus,
)
from psp.tenancy.scope import program_scope
from tests.assessments.helpers import (
    ANSWERS,
    answer,
    build_instrument,
    open_round,
    questions_by_key,
    submit_round,
)

K = QuestionKind
D = Decimal


@pytest.fixture
def version(world):
    return build_instrument(world.program)


@pytest.fixture
def round_(world, version):
    return open_round(world, version)


def save(world, assessment, person, key, value, is_na=False):
    question = questions_by_key(assessment.version)[key]
    with program_scope(world.program):
        return services.answer_save(
            program=world.program,
            assessment=assessment,
            respondent=person,
            question=question,
            value=value,
            is_na=is_na,
        )


def answers_of(world, person=None) -> dict:
    with program_scope(world.program):
        rows = Answer.objects.all()
        if person is not None:
            rows = rows.filter(response__respondent=person)
        return {a.question.key: (a.value, a.is_na) for a in rows.select_related("question")}


# Opening a round ------------------------------------------------------------------------------


def test_a_practices_first_round_of_an_instrument_is_its_baseline_and_the_next_a_follow_up(
    world, version
):
    first = open_round(world, version)
    assert first.kind == AssessmentKind.BASELINE
    answer(world, first, world.staff, ANSWERS, submit=True)
    submit_round(world, first)

    second = open_round(world, version)
    assert second.kind == AssessmentKind.FOLLOW_UP
    # Another practice is still at its baseline.
    assert open_round(world, version, practice=world.other_practice).kind == AssessmentKind.BASELINE


def test_only_a_published_version_can_be_used(world):
    draft = build_instrument(world.program, status=VersionStatus.DRAFT)
    with pytest.raises(ValidationError) as error:
        open_round(world, draft)
    assert "published" in str(error.value)


def test_a_practice_has_one_open_round_of_an_instrument_at_a_time(world, version, round_):
    with pytest.raises(ValidationError, match="already has an open round"):
        open_round(world, version)


def test_a_practice_of_another_program_cannot_be_assessed(world, other_world, version):
    with program_scope(world.program), pytest.raises(ValidationError, match="another program"):
        services.assessment_open(
            program=world.program, practice=other_world.practice, version=version, by=world.admin
        )


def test_a_due_date_in_the_past_is_refused(world, version):
    with program_scope(world.program), pytest.raises(ValidationError) as error:
        services.assessment_open(
            program=world.program,
            practice=world.practice,
            version=version,
            by=world.lead,
            due_on=date.today() - timedelta(days=2),
        )
    assert "due_on" in error.value.message_dict


# Answers are checked against their question ---------------------------------------------------


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("roles-clear", 6, "from 1 to 5"),
        ("roles-clear", 0, "from 1 to 5"),
        ("roles-clear", "3.5", "whole number"),
        ("roles-clear", True, "whole number"),
        ("huddles", "maybe", "yes or no"),
        ("lead-time", "plenty", "not one of this question"),
        ("lead-time", ["some"], "Choose one"),
        ("ehr-use", ["recalls", "fax"], "not among the options"),
        ("ehr-years", "41", "from 0 to 40"),
        ("ehr-years", "-1", "from 0 to 40"),
        ("ehr-years", "six", "Enter a number"),
        ("ehr-years", "NaN", "Enter a number"),
        ("team-notes", "x" * 5001, "under 5,000"),
    ],
)
def test_an_answer_that_does_not_fit_its_question_is_refused_and_nothing_is_saved(
    world, round_, key, value, message
):
    with pytest.raises(ValidationError) as error:
        save(world, round_, world.staff, key, value)
    assert message in " ".join(error.value.messages)
    assert answers_of(world) == {}
    with program_scope(world.program):
        assert not Response.objects.exists()


def test_not_applicable_is_refused_where_the_question_does_not_allow_it(world, round_):
    with pytest.raises(ValidationError, match="Not applicable"):
        save(world, round_, world.staff, "huddles", None, is_na=True)
    save(world, round_, world.staff, "paper-charts", None, is_na=True)
    assert answers_of(world) == {"paper-charts": (None, True)}


def test_valid_answers_are_stored_in_their_kinds_form(world, round_):
    for key, value in {
        "roles-clear": "4",
        "huddles": "yes",
        "lead-time": "some",
        "ehr-use": ["portal", "recalls", "portal"],
        "ehr-years": "6.50",
        "team-notes": "  We are five.  ",
    }.items():
        save(world, round_, world.staff, key, value)
    assert answers_of(world) == {
        "roles-clear": (4, False),
        "huddles": (True, False),
        "lead-time": ("some", False),
        "ehr-use": (["recalls", "portal"], False),  # in the options' order, once each
        "ehr-years": ("6.5", False),
        "team-notes": ("We are five.", False),
    }


def test_the_first_answer_creates_the_persons_response_and_later_ones_update_it(world, round_):
    save(world, round_, world.staff, "roles-clear", 2)
    save(world, round_, world.staff, "roles-clear", 5)
    assert answers_of(world) == {"roles-clear": (5, False)}
    with program_scope(world.program):
        assert Response.objects.get().respondent == world.staff


def test_an_empty_answer_clears_a_saved_one(world, round_):
    save(world, round_, world.staff, "ehr-use", ["recalls"])
    assert save(world, round_, world.staff, "ehr-use", []) is None
    assert answers_of(world) == {}


def test_several_answers_save_together_or_not_at_all(world, round_):
    questions = questions_by_key(round_.version)
    items = [(questions["roles-clear"], 3, False), (questions["huddles"], "perhaps", False)]
    with program_scope(world.program), pytest.raises(ValidationError) as error:
        services.answers_save(
            program=world.program, assessment=round_, respondent=world.staff, items=items
        )
    assert set(error.value.message_dict) == {str(questions["huddles"].pk)}
    assert answers_of(world) == {}


def test_a_question_of_another_version_is_refused(world, round_):
    other = build_instrument(world.program, key="other", name="Other instrument")
    question = questions_by_key(other)["huddles"]
    with program_scope(world.program), pytest.raises(ValidationError, match="not part of"):
        services.answer_save(
            program=world.program,
            assessment=round_,
            respondent=world.staff,
            question=question,
            value=True,
        )


def test_each_person_keeps_their_own_answers(world, round_):
    save(world, round_, world.staff, "huddles", True)
    save(world, round_, world.lead, "huddles", False)
    assert answers_of(world, world.staff) == {"huddles": (True, False)}
    assert answers_of(world, world.lead) == {"huddles": (False, False)}


# Submitting one's answers ---------------------------------------------------------------------


def test_submitting_with_required_questions_unanswered_names_them_and_changes_nothing(
    world, round_
):
    answer(world, round_, world.staff, {"roles-clear": 3, "paper-charts": "na"})
    with program_scope(world.program), pytest.raises(services.MissingAnswers) as error:
        services.response_submit(program=world.program, assessment=round_, respondent=world.staff)
    missing = [q.key for q in error.value.questions]
    # Required ones in order; the optional text and the N/A answer are not missing.
    assert missing == ["huddles", "lead-time", "ehr-use", "ehr-years"]
    assert "huddles: The team meets every week." in error.value.message_dict["unanswered"]
    with program_scope(world.program):
        assert Response.objects.get().submitted_at is None


def test_submitted_answers_can_no_longer_change(world, round_):
    answer(world, round_, world.staff, ANSWERS, submit=True)
    with pytest.raises(ValidationError, match="submitted your answers"):
        save(world, round_, world.staff, "huddles", False)
    assert answers_of(world)["huddles"] == (True, False)


# Consensus and submission ---------------------------------------------------------------------


def test_a_single_respondents_answers_are_the_consensus(world, round_):
    answer(world, round_, world.staff, ANSWERS, submit=True)
    submit_round(world, round_, by=world.coach)

    with program_scope(world.program):
        fresh = Assessment.objects.get(pk=round_.pk)
        consensus = {c.question.key: c for c in ConsensusAnswer.objects.select_related("question")}
    assert fresh.status == "submitted" and fresh.submitted_by == world.coach
    assert fresh.overall_score == D("80.0")
    assert consensus["roles-clear"].value == 4
    assert consensus["roles-clear"].decided_by is None
    assert consensus["roles-clear"].note == services.SINGLE_NOTE


def test_a_disagreement_on_a_required_question_blocks_submission_until_a_consensus_is_recorded(
    world, round_
):
    answer(world, round_, world.staff, ANSWERS, submit=True)
    answer(world, round_, world.lead, {**ANSWERS, "roles-clear": 2}, submit=True)

    with pytest.raises(services.SubmissionBlocked) as error:
        submit_round(world, round_)
    assert [q.key for q in error.value.disagreements] == ["roles-clear"]
    assert error.value.message_dict == {
        "disagreements": ["roles-clear: Everyone knows who does what."]
    }
    with program_scope(world.program):
        assert Assessment.objects.get(pk=round_.pk).status == "open"
        assert not DomainScore.objects.exists()
        assert not ConsensusAnswer.objects.exists()  # nothing half-done

    question = questions_by_key(round_.version)["roles-clear"]
    with program_scope(world.program):
        services.consensus_record(
            program=world.program,
            assessment=round_,
            question=question,
            value=3,
            by=world.coach,
            note="Agreed at the team meeting.",
        )
    submit_round(world, round_)
    with program_scope(world.program):
        team = DomainScore.objects.get(assessment=round_, domain_key="team")
    # The recorded consensus (3 → 0.5) is what was scored: (0.5 + 1 + 0.5) / 3.
    assert team.percent == D("66.7")


def test_a_recorded_consensus_wins_even_where_everyone_agreed(world, round_):
    answer(world, round_, world.staff, ANSWERS, submit=True)
    question = questions_by_key(round_.version)["huddles"]
    with program_scope(world.program):
        services.consensus_record(
            program=world.program, assessment=round_, question=question, value=False, by=world.coach
        )
    submit_round(world, round_)
    with program_scope(world.program):
        assert DomainScore.objects.get(domain_key="team").percent == D("41.7")


def test_a_required_question_nobody_answered_blocks_submission(world, round_):
    answer(world, round_, world.staff, {**ANSWERS, "huddles": None})
    with pytest.raises(services.SubmissionBlocked) as error:
        submit_round(world, round_)
    # Nobody has submitted: every required question is unanswered as far as scoring goes.
    assert "huddles" in [q.key for q in error.value.unanswered]
    assert "team-notes" not in [q.key for q in error.value.unanswered]


def test_answers_still_in_progress_do_not_count_towards_agreement(world, round_):
    answer(world, round_, world.staff, ANSWERS, submit=True)
    answer(world, round_, world.lead, {"roles-clear": 1})  # not submitted
    submit_round(world, round_)
    with program_scope(world.program):
        assert ConsensusAnswer.objects.get(question__key="roles-clear").value == 4


def test_different_free_text_answers_do_not_block_submission(world, round_):
    answer(world, round_, world.staff, ANSWERS, submit=True)
    answer(world, round_, world.lead, {**ANSWERS, "team-notes": "We are six."}, submit=True)
    submit_round(world, round_)
    with program_scope(world.program):
        assert not ConsensusAnswer.objects.filter(question__key="team-notes").exists()
        assert ConsensusAnswer.objects.get(question__key="huddles").note == services.AGREED_NOTE


def test_a_consensus_is_validated_like_an_answer(world, round_):
    question = questions_by_key(round_.version)["roles-clear"]
    with program_scope(world.program), pytest.raises(ValidationError) as error:
        services.consensus_record(
            program=world.program, assessment=round_, question=question, value=9, by=world.coach
        )
    assert error.value.message_dict == {"value": ["Choose a whole number from 1 to 5."]}


def test_a_consensus_can_be_recorded_without_any_respondent(world, round_):
    questions = questions_by_key(round_.version)
    with program_scope(world.program):
        for key, value in ANSWERS.items():
            services.consensus_record(
                program=world.program,
                assessment=round_,
                question=questions[key],
                value=value,
                by=world.coach,
            )
    assert submit_round(world, round_).overall_score == D("80.0")


def test_a_submitted_round_can_be_submitted_or_answered_no_more(world, round_):
    answer(world, round_, world.staff, ANSWERS, submit=True)
    submit_round(world, round_)
    with pytest.raises(ValidationError, match="has been submitted"):
        submit_round(world, round_)
    with pytest.raises(ValidationError, match="has been submitted"):
        save(world, round_, world.lead, "huddles", True)


# Reads other pages and apps rely on -----------------------------------------------------------


def scored_round(world, version, answers, *, submitted_at=None):
    assessment = open_round(world, version)
    answer(world, assessment, world.staff, answers, submit=True)
    submit_round(world, assessment)
    if submitted_at is not None:
        with program_scope(world.program):
            Assessment.objects.filter(pk=assessment.pk).update(submitted_at=submitted_at)
            assessment.refresh_from_db()
    return assessment


def test_a_follow_up_is_compared_with_the_baseline_and_the_previous_round(world, version):
    now = timezone.now()
    low = {**ANSWERS, "roles-clear": 1, "huddles": False, "lead-time": "none"}
    baseline = scored_round(world, version, low, submitted_at=now - timedelta(days=400))
    middle = scored_round(
        world, version, {**low, "huddles": True}, submitted_at=now - timedelta(days=200)
    )
    latest = scored_round(world, version, ANSWERS)

    with program_scope(world.program):
        latest = selectors.assessment_for_page(access=_admin(world), pk=latest.pk)
        compared = selectors.comparison(assessment=latest)
    assert (compared.baseline, compared.previous) == (baseline, middle)
    team = {row.domain_key: row for row in compared.domains}["team"]
    assert (team.baseline, team.previous, team.percent) == (D("0.0"), D("33.3"), D("75.0"))
    assert (team.change_from_baseline, team.change_from_previous) == (D("75.0"), D("41.7"))
    assert (
        compared.overall.change_from_baseline == compared.overall.percent - baseline.overall_score
    )

    with program_scope(world.program):
        first = selectors.comparison(
            assessment=selectors.assessment_for_page(access=_admin(world), pk=baseline.pk)
        )
    assert (first.baseline, first.previous, first.has_any) == (None, None, False)


def _admin(world):
    from psp.tenancy.access import access_for

    return access_for(program=world.program, user=world.admin)


def test_the_next_follow_up_is_due_a_cadence_after_the_last_submitted_round(world):
    version = build_instrument(world.program, cadence_months=6)
    assert _due(world) is None
    scored_round(
        world,
        version,
        ANSWERS,
        submitted_at=timezone.make_aware(timezone.datetime(2025, 8, 31, 12)),
    )
    due = _due(world)
    assert due.due_on == date(2026, 2, 28)  # end of a shorter month
    assert due.is_overdue
    with program_scope(world.program):
        batch = selectors.next_assessments_due(
            practice_ids=[world.practice.pk, world.other_practice.pk]
        )
    assert batch == {world.practice.pk: due}


def _due(world):
    with program_scope(world.program):
        return selectors.next_assessment_due(practice=world.practice)


def test_weak_domains_are_those_below_the_instruments_threshold_weakest_first(world):
    version = build_instrument(world.program, weak_threshold=80)
    assessment = scored_round(world, version, {**ANSWERS, "paper-charts": True})
    with program_scope(world.program):
        weak = list(selectors.weak_domains(assessment=assessment))
    # team 75.0; tech 0.75 of 2 points (paper charts still in use earn nothing): 37.5.
    assert [(w.domain_key, w.percent) for w in weak] == [("tech", D("37.5")), ("team", D("75.0"))]
