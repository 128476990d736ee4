"""Scoring: the percentage of the attainable points, by domain and overall, N/A left out, with
question weights; stored at submission and never changed by later instrument edits."""

from decimal import Decimal

import pytest

from assessments.instruments.selectors import version_structure
from assessments.models import Assessment, DomainScore, Question, QuestionKind
from assessments.rounds import scoring
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


def score_of(version, answers: dict):
    """Score {question key: value or "na"} against a version (inside its program's scope)."""
    questions = questions_by_key(version)
    by_id = {
        questions[key].pk: (None, True) if value == "na" else (value, False)
        for key, value in answers.items()
    }
    with program_scope(version.program_id):
        domains = version_structure(version_id=version.pk)
        return scoring.score(domains=domains, answers=by_id)


def percents(result) -> dict:
    return {row.domain.key: row.percent for row in result.domains}


def one_question(program, question: dict, key: str = "only"):
    return build_instrument(
        program, [("d", "Domain", [{"key": "q", "text": "Q", **question}])], key=key
    )


# Each kind ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"), [(1, "0.0"), (2, "25.0"), (4, "75.0"), (5, "100.0")]
)
def test_a_scale_answer_earns_its_distance_from_the_bottom_of_the_range(world, value, expected):
    version = one_question(world.program, {"kind": K.SCALE})
    assert score_of(version, {"q": value}).percent == D(expected)


def test_a_scale_from_zero_to_ten_scores_against_its_own_range(world):
    version = one_question(world.program, {"kind": K.SCALE, "scale_min": 0, "scale_max": 10})
    assert score_of(version, {"q": 7}).percent == D("70.0")


@pytest.mark.parametrize(
    ("yes_is_positive", "value", "expected"),
    [(True, True, "100.0"), (True, False, "0.0"), (False, True, "0.0"), (False, False, "100.0")],
)
def test_yes_earns_the_point_unless_the_question_is_phrased_the_other_way(
    world, yes_is_positive, value, expected
):
    version = one_question(world.program, {"kind": K.YES_NO, "yes_is_positive": yes_is_positive})
    assert score_of(version, {"q": value}).percent == D(expected)


def test_a_single_choice_earns_its_options_score_over_the_best_options_score(world):
    options = [("no", "No", 0), ("partly", "Partly", 1), ("yes", "Yes", 4)]
    version = one_question(world.program, {"kind": K.SINGLE, "options": options})
    assert score_of(version, {"q": "partly"}).percent == D("25.0")
    assert score_of(version, {"q": "yes"}).percent == D("100.0")
    assert score_of(version, {"q": "no"}).percent == D("0.0")


def test_a_multiple_choice_earns_its_chosen_scores_over_the_positive_scores_capped_at_all(world):
    options = [("a", "A", 1), ("b", "B", 1), ("c", "C", 2), ("bad", "Bad habit", -1)]
    version = one_question(world.program, {"kind": K.MULTIPLE, "options": options})
    assert score_of(version, {"q": ["a", "c"]}).percent == D("75.0")
    assert score_of(version, {"q": ["a", "b", "c"]}).percent == D("100.0")
    assert score_of(version, {"q": ["a", "bad"]}).percent == D("0.0")


def test_number_and_text_questions_are_never_scored(world):
    spec = [
        (
            "d",
            "Domain",
            [
                {"key": "n", "text": "How many?", "kind": K.NUMBER},
                {"key": "t", "text": "Tell us", "kind": K.TEXT},
                {"key": "y", "text": "Yes?", "kind": K.YES_NO},
            ],
        )
    ]
    version = build_instrument(world.program, spec)
    result = score_of(version, {"n": "12", "t": "Plenty", "y": True})
    assert (result.achieved, result.attainable, result.percent) == (D("1"), D("1"), D("100.0"))


def test_a_question_marked_unscored_does_not_count(world):
    spec = [
        (
            "d",
            "Domain",
            [
                {"key": "a", "text": "A", "kind": K.YES_NO, "scored": False},
                {"key": "b", "text": "B", "kind": K.YES_NO},
            ],
        )
    ]
    version = build_instrument(world.program, spec)
    assert score_of(version, {"a": False, "b": True}).percent == D("100.0")


# N/A, unanswered, weights ---------------------------------------------------------------------


def _two_yes_no(world, **second):
    spec = [
        (
            "d",
            "Domain",
            [
                {"key": "a", "text": "A", "kind": K.YES_NO, "allow_na": True},
                {"key": "b", "text": "B", "kind": K.YES_NO, "allow_na": True, **second},
            ],
        )
    ]
    return build_instrument(world.program, spec)


def test_not_applicable_is_left_out_of_both_the_achieved_and_the_attainable(world):
    version = _two_yes_no(world)
    result = score_of(version, {"a": True, "b": "na"})
    assert (result.achieved, result.attainable, result.percent) == (D("1"), D("1"), D("100.0"))


def test_an_unanswered_optional_question_is_left_out_like_not_applicable(world):
    version = _two_yes_no(world, required=False)
    assert score_of(version, {"a": False}).percent == D("0.0")
    assert score_of(version, {"a": True}).percent == D("100.0")


def test_weights_make_a_question_count_for_more(world):
    version = _two_yes_no(world, weight=3)
    result = score_of(version, {"a": False, "b": True})
    assert (result.achieved, result.attainable, result.percent) == (D("3"), D("4"), D("75.0"))


def test_a_domain_with_every_question_not_applicable_has_no_score_not_zero(world):
    spec = [
        ("all-na", "All N/A", [{"key": "a", "text": "A", "kind": K.YES_NO, "allow_na": True}]),
        ("scored", "Scored", [{"key": "b", "text": "B", "kind": K.YES_NO}]),
    ]
    version = build_instrument(world.program, spec)
    result = score_of(version, {"a": "na", "b": False})
    assert percents(result) == {"all-na": None, "scored": D("0.0")}
    assert result.percent == D("0.0")


def test_nothing_attainable_anywhere_gives_no_overall_score(world):
    version = _two_yes_no(world)
    assert score_of(version, {"a": "na", "b": "na"}).percent is None


def test_the_overall_score_weighs_every_point_not_every_domain(world):
    version = build_instrument(world.program)  # team: 3 points attainable, tech: 2
    result = score_of(version, ANSWERS)
    assert percents(result) == {"team": D("75.0"), "tech": D("87.5")}
    assert (result.achieved, result.attainable, result.percent) == (D("4"), D("5"), D("80.0"))


def test_thirds_round_half_up_to_one_decimal(world):
    spec = [("d", "D", [{"key": k, "text": k, "kind": K.YES_NO} for k in "abc"])]
    version = build_instrument(world.program, spec)
    result = score_of(version, {"a": True, "b": True, "c": False})
    assert result.percent == D("66.7")
    assert result.achieved == D("2.000")


# Stored at submission -------------------------------------------------------------------------


def submitted(world):
    version = build_instrument(world.program)
    assessment = open_round(world, version)
    answer(world, assessment, world.staff, ANSWERS, submit=True)
    submit_round(world, assessment)
    return assessment


def stored(assessment) -> dict:
    with program_scope(assessment.program_id):
        fresh = Assessment.objects.get(pk=assessment.pk)
        return {
            "overall": (fresh.achieved_points, fresh.attainable_points, fresh.overall_score),
            "domains": {
                s.domain_key: (s.achieved_points, s.attainable_points, s.percent)
                for s in DomainScore.objects.filter(assessment=assessment)
            },
        }


def test_submission_stores_the_domain_and_overall_scores(world):
    assessment = submitted(world)
    assert stored(assessment) == {
        "overall": (D("4.000"), D("5.000"), D("80.0")),
        "domains": {
            "team": (D("2.250"), D("3.000"), D("75.0")),
            "tech": (D("1.750"), D("2.000"), D("87.5")),
        },
    }


def test_rescoring_the_same_stored_answers_gives_the_same_numbers(world):
    assessment = submitted(world)
    with program_scope(world.program):
        first = scoring.score_assessment(assessment).as_numbers()
        second = scoring.score_assessment(assessment).as_numbers()
    assert first == second == stored(assessment)


def test_a_later_change_to_the_instrument_does_not_change_a_past_score(world):
    assessment = submitted(world)
    before = stored(assessment)
    with program_scope(world.program):
        # Even a (wrongly) edited frozen version leaves the stored score alone.
        Question.objects.filter(version=assessment.version).update(weight=5, yes_is_positive=False)
    assert stored(assessment) == before
