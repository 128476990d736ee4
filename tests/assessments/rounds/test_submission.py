"""Closing a round: agreed answers become the consensus, disagreements and unanswered required
questions block submission until a consensus is recorded, and submission scores the round."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from assessments.models import Assessment, ConsensusAnswer, DomainScore
from assessments.rounds import submission
from psp.tenancy.scope import program_scope
from tests.assessments.helpers import (
    ANSWERS,
    answer,
    build_instrument,
    open_round,
    questions_by_key,
    save_answer,
    submit_round,
)

D = Decimal


@pytest.fixture
def version(world):
    return build_instrument(world.program)


@pytest.fixture
def round_(world, version):
    return open_round(world, version)


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
    assert consensus["roles-clear"].note == submission.SINGLE_NOTE


def test_a_disagreement_on_a_required_question_blocks_submission_until_a_consensus_is_recorded(
    world, round_
):
    answer(world, round_, world.staff, ANSWERS, submit=True)
    answer(world, round_, world.lead, {**ANSWERS, "roles-clear": 2}, submit=True)

    with pytest.raises(submission.SubmissionBlocked) as error:
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
        submission.consensus_record(
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
        submission.consensus_record(
            program=world.program, assessment=round_, question=question, value=False, by=world.coach
        )
    submit_round(world, round_)
    with program_scope(world.program):
        assert DomainScore.objects.get(domain_key="team").percent == D("41.7")


def test_a_required_question_nobody_answered_blocks_submission(world, round_):
    answer(world, round_, world.staff, {**ANSWERS, "huddles": None})
    with pytest.raises(submission.SubmissionBlocked) as error:
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
        assert ConsensusAnswer.objects.get(question__key="huddles").note == submission.AGREED_NOTE


def test_a_consensus_is_validated_like_an_answer(world, round_):
    question = questions_by_key(round_.version)["roles-clear"]
    with program_scope(world.program), pytest.raises(ValidationError) as error:
        submission.consensus_record(
            program=world.program, assessment=round_, question=question, value=9, by=world.coach
        )
    assert error.value.message_dict == {"value": ["Choose a whole number from 1 to 5."]}


def test_a_consensus_can_be_recorded_without_any_respondent(world, round_):
    questions = questions_by_key(round_.version)
    with program_scope(world.program):
        for key, value in ANSWERS.items():
            submission.consensus_record(
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
        save_answer(world, round_, world.lead, "huddles", True)
