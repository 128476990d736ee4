"""Reading a subject's history in tests."""

from psp.history.models import SubjectType
from psp.history.selectors import history_of
from psp.tenancy.scope import program_scope


def plan_history(world, plan) -> list:
    with program_scope(world.program):
        return list(history_of(subject_type=SubjectType.PLAN, subject_id=plan.pk))


def round_history(world, assessment) -> list:
    with program_scope(world.program):
        return list(history_of(subject_type=SubjectType.ASSESSMENT, subject_id=assessment.pk))
