"""Assessment change from the baseline, and days in each enrolment stage."""

from datetime import date
from decimal import Decimal

from practices.models import Stage, StageChange
from psp.tenancy.scope import program_scope
from tests.factories import PracticeFactory
from tests.measures.conftest import APR, FEB, JAN, MAR, MAY, TODAY, at, values


def test_assessment_change_is_the_latest_score_minus_the_baseline(measure_world):
    assert values(measure_world, "assessment-change") == {
        # North: a baseline in January (50.0) and a follow-up in March (62.5).
        ("North Clinic", MAR): Decimal("12.5"),
        ("North Clinic", APR): Decimal("12.5"),
        # South: its February round is of another instrument (its own baseline, so no change);
        # its March round of the first instrument compares with the January baseline.
        ("South Clinic", MAR): Decimal("5.0"),
        ("South Clinic", APR): Decimal("5.0"),
    }


def test_a_baseline_alone_shows_no_change(measure_world):
    assert values(measure_world, "assessment-change", months=[JAN, FEB]) == {}


def test_domain_change_compares_the_domain_in_both_rounds(measure_world):
    assert values(measure_world, "assessment-change-team-roles") == {
        ("North Clinic", MAR): 15,
        ("North Clinic", APR): 15,
    }
    # The follow-up found every question of the domain not applicable: nothing to compare.
    assert values(measure_world, "assessment-change-access-scheduling") == {}


def test_assessment_change_only_for_the_practices_asked_for(measure_world):
    south = [measure_world.south.pk]
    assert values(measure_world, "assessment-change", months=[MAR], practice_ids=south) == {
        ("South Clinic", MAR): 5
    }


def test_days_in_stage_count_from_the_move_into_it(measure_world):
    def days(stage):
        return values(measure_world, f"days-in-stage-{stage}", today=TODAY)

    assert days("needs-assessment") == {("North Clinic", JAN): 61}  # enrolled 1 December
    assert days("program-design") == {("North Clinic", FEB): 18}  # moved in on 10 February
    assert days("pilot") == {("North Clinic", MAR): 21, ("North Clinic", APR): 36}
    # South has no stage history: in training since its stage changed on 20 February.
    assert days("training") == {
        ("South Clinic", FEB): 8,
        ("South Clinic", MAR): 39,
        ("South Clinic", APR): 54,
    }
    assert days("stakeholder-engagement") == {}


def test_days_in_stage_only_for_months_begun_and_practices_asked_for(measure_world):
    north = [measure_world.north.pk]
    assert values(measure_world, "days-in-stage-training", practice_ids=north, today=TODAY) == {}
    assert values(measure_world, "days-in-stage-pilot", months=[MAY], today=TODAY) == {}


def test_a_move_before_the_recorded_enrolment_day_still_counts(measure_world):
    program = measure_world.program
    late = PracticeFactory(program=program, name="Late Clinic", enrolled_on=date(2026, 4, 1))
    with program_scope(program):
        StageChange.objects.create(
            program=program,
            practice=late,
            from_stage=Stage.NEEDS_ASSESSMENT,
            to_stage=Stage.STAKEHOLDER_ENGAGEMENT,
            moved_at=at("2026-02-05"),
        )
    late_only = [late.pk]
    assert values(
        measure_world, "days-in-stage-stakeholder-engagement", practice_ids=late_only, today=TODAY
    ) == {(late.pk, FEB): 23, (late.pk, MAR): 54, (late.pk, APR): 69}
    assert (
        values(measure_world, "days-in-stage-needs-assessment", practice_ids=late_only, today=TODAY)
        == {}
    )
