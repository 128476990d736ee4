"""Each measure costs the same queries for three practices over two months as for many more
practices, with more of everything, over four months."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from coaching.models import Activity, GoalStatus, PlanStatus, VisitMode
from practices.models import Stage, StageChange
from psp.history.models import RecordType, SubjectType
from psp.measures.registry import registry
from psp.tenancy.scope import program_scope
from tests.factories import (
    AssessmentFactory,
    ChangeRecordFactory,
    DomainFactory,
    DomainScoreFactory,
    FeedbackResponseFactory,
    InstrumentVersionFactory,
    PlanActionFactory,
    PlanGoalFactory,
    PracticeFactory,
    SupportPlanFactory,
    VisitActivityFactory,
    VisitFactory,
)
from tests.measures.conftest import APR, FEB, JAN, MAR, at

CODES = [m.code for m in registry.all()]


def queries(program, code, months, practice_ids=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        registry.get(code).compute(program, months=months, practice_ids=practice_ids)
    return len(captured)


def _coached(program, practice, n: int) -> None:
    for day in (f"2026-0{n % 3 + 1}-1{n}", "2026-04-02"):
        visit = VisitFactory(
            program=program,
            practice=practice,
            coach=None,
            visit_date=date.fromisoformat(day),
            mode=VisitMode.values[n % 4],
        )
        VisitActivityFactory(program=program, visit=visit, activity=Activity.values[n % 8])
        for _ in range(3):
            FeedbackResponseFactory(program=program, visit=visit)
    plan = SupportPlanFactory(
        program=program,
        practice=practice,
        assessment=None,
        status=PlanStatus.ACTIVE,
        accepted_at=at("2026-01-02"),
    )
    goal = PlanGoalFactory(program=program, plan=plan, status=GoalStatus.ACHIEVED)
    ChangeRecordFactory(
        program=program,
        practice_id=practice.pk,
        subject_type=SubjectType.PLAN,
        subject_id=plan.pk,
        record_type=RecordType.GOAL,
        record_id=goal.pk,
        what="goal.edited",
        summary="Achieved",
        changes={"status": ["open", "achieved"]},
        changed_at=at("2026-03-01"),
    )
    for due in (date(2026, 2, 3), date(2026, 3, 9)):
        PlanActionFactory(program=program, practice=practice, plan=plan, goal=goal, due_on=due)


def _assessed(program, practice, version, domain) -> None:
    for day, score in (("2026-01-08", 40), ("2026-03-08", 55)):
        round_ = AssessmentFactory(
            program=program,
            practice=practice,
            version=version,
            status="submitted",
            submitted_at=at(day),
            overall_score=score,
        )
        DomainScoreFactory(program=program, assessment=round_, domain=domain, percent=score)
    with program_scope(program):
        StageChange.objects.create(
            program=program,
            practice=practice,
            from_stage=Stage.NEEDS_ASSESSMENT,
            to_stage=Stage.PROGRAM_DESIGN,
            moved_at=at("2026-02-02"),
        )


def grow(program, count: int) -> None:
    version = InstrumentVersionFactory(program=program)
    domain = DomainFactory(program=program, version=version, key="team-roles")
    for n in range(count):
        practice = PracticeFactory(program=program, enrolled_on=date(2025, 11, 1))
        _coached(program, practice, n)
        _assessed(program, practice, version, domain)


def test_no_measure_grows_its_queries_with_the_data(measure_world):
    program = measure_world.program
    small = {code: queries(program, code, [JAN, FEB]) for code in CODES}
    some = [measure_world.north.pk, measure_world.south.pk]
    small_some = {code: queries(program, code, [JAN, FEB], some) for code in CODES}
    grow(program, 4)
    months = [JAN, FEB, MAR, APR]
    assert {code: queries(program, code, months) for code in CODES} == small
    assert {code: queries(program, code, months, some) for code in CODES} == small_some
    assert max(small.values()) <= 2
    grown = registry.get("assessment-change").compute(program, months=months, practice_ids=None)
    assert len({value.practice_id for value in grown}) == 6  # the data did grow


@pytest.mark.parametrize("code", ["visits", "plan-goals-achieved", "days-in-stage-pilot"])
def test_nothing_is_read_when_no_practice_or_month_is_asked_for(measure_world, code):
    assert queries(measure_world.program, code, []) == 0
    assert queries(measure_world.program, code, [JAN], practice_ids=[]) == 0
