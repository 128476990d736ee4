"""Participant feedback measures: ratios of the answers about a month's visits, shown only
where enough people answered that nobody's answer can be read off."""

from decimal import Decimal

from tests.measures.conftest import FEB, JAN, ratios, values


def test_usefulness_is_the_sum_over_the_answers(measure_world):
    assert ratios(measure_world, "feedback-usefulness") == {("North Clinic", JAN): (12, 3)}
    assert values(measure_world, "feedback-usefulness")["North Clinic", JAN] == 4


def test_net_promoter_score_is_promoters_minus_detractors_over_answers(measure_world):
    # 10 and 9 promote, 5 detracts: (2 - 1) / 3 answers.
    assert ratios(measure_world, "net-promoter-score") == {("North Clinic", JAN): (100, 3)}
    score = values(measure_world, "net-promoter-score")["North Clinic", JAN]
    assert round(score, 2) == Decimal("33.33")


def test_a_month_of_too_few_answers_shows_nothing(measure_world):
    # South's February visit has two answers.
    assert values(measure_world, "feedback-usefulness", months=[FEB]) == {}
    assert values(measure_world, "net-promoter-score", months=[FEB]) == {}


def test_only_the_practices_asked_for_are_counted(measure_world):
    south = [measure_world.south.pk]
    assert values(measure_world, "feedback-usefulness", practice_ids=south) == {}
    north = [measure_world.north.pk]
    assert values(measure_world, "net-promoter-score", practice_ids=north).keys() == {
        ("North Clinic", JAN)
    }
