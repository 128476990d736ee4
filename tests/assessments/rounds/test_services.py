"""Completing assessments: opening rounds, answering (validated per kind) and submitting one's
answers. Consensus and submission are in test_submission.py."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from assessments.models import (
    Answer,
    AssessmentKind,
    QuestionKind,
    Response,
    VersionStatus,
)
from assessments.rounds import services
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

K = QuestionKind


@pytest.fixture
def version(world):
    return build_instrument(world.program)


@pytest.fixture
def round_(world, version):
    return open_round(world, version)


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
        save_answer(world, round_, world.staff, key, value)
    assert message in " ".join(error.value.messages)
    assert answers_of(world) == {}
    with program_scope(world.program):
        assert not Response.objects.exists()


def test_not_applicable_is_refused_where_the_question_does_not_allow_it(world, round_):
    with pytest.raises(ValidationError, match="Not applicable"):
        save_answer(world, round_, world.staff, "huddles", None, is_na=True)
    save_answer(world, round_, world.staff, "paper-charts", None, is_na=True)
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
        save_answer(world, round_, world.staff, key, value)
    assert answers_of(world) == {
        "roles-clear": (4, False),
        "huddles": (True, False),
        "lead-time": ("some", False),
        "ehr-use": (["recalls", "portal"], False),  # in the options' order, once each
        "ehr-years": ("6.5", False),
        "team-notes": ("We are five.", False),
    }


def test_the_first_answer_creates_the_persons_response_and_later_ones_update_it(world, round_):
    save_answer(world, round_, world.staff, "roles-clear", 2)
    save_answer(world, round_, world.staff, "roles-clear", 5)
    assert answers_of(world) == {"roles-clear": (5, False)}
    with program_scope(world.program):
        assert Response.objects.get().respondent == world.staff


def test_an_empty_answer_clears_a_saved_one(world, round_):
    save_answer(world, round_, world.staff, "ehr-use", ["recalls"])
    assert save_answer(world, round_, world.staff, "ehr-use", []) is None
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
    save_answer(world, round_, world.staff, "huddles", True)
    save_answer(world, round_, world.lead, "huddles", False)
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
        save_answer(world, round_, world.staff, "huddles", False)
    assert answers_of(world)["huddles"] == (True, False)
