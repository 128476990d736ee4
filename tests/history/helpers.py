"""Reading a subject's history in tests, and a visit to edit."""

from datetime import timedelta

from django.utils import timezone

from coaching.visits import services as visit_services
from coaching.visits.inputs import VisitInput
from psp.history.models import SubjectType
from psp.history.selectors import history_of
from psp.tenancy.scope import program_scope


def history(world, subject_type, subject) -> list:
    with program_scope(world.program):
        return list(history_of(subject_type=subject_type, subject_id=subject.pk))


def plan_history(world, plan) -> list:
    return history(world, SubjectType.PLAN, plan)


def round_history(world, assessment) -> list:
    return history(world, SubjectType.ASSESSMENT, assessment)


def visit_history(world, visit) -> list:
    return history(world, SubjectType.VISIT, visit)


def action_history(world, action) -> list:
    return history(world, SubjectType.ACTION, action)


def visit_days_ago(world, days: int = 3, new_actions=(), **extra):
    """A visit the world's coach logged `days` ago (an edit now is made after its day); `extra`
    are more of the visit's fields."""
    with program_scope(world.program):
        return visit_services.visit_log(
            program=world.program,
            by=world.coach,
            practice=world.practice,
            visit=VisitInput(
                visit_date=timezone.localdate() - timedelta(days=days),
                duration_minutes=60,
                activities={"workflow": 60},
                **extra,
            ),
            new_actions=new_actions,
        )


def visit_edit(world, visit, *, by=None, reason="", **data):
    with program_scope(world.program):
        return visit_services.visit_update(
            program=world.program, by=by or world.coach, visit=visit, data=data, reason=reason
        )
