"""What the CPD activity tests share: recording through the service, reading rows back."""

from datetime import timedelta

from django.utils import timezone

from cpd.activities import services
from cpd.models import CpdActivity
from psp.history.models import ChangeRecord, SubjectType
from psp.tenancy.scope import program_scope

TODAY = timezone.localdate()


def workshop(**changes) -> dict:
    return {
        "activity_type": "workshop",
        "title": "Safer opioid prescribing",
        "provider": "College of Family Physicians",
        "started_on": TODAY - timedelta(days=20),
        "ended_on": TODAY - timedelta(days=20),
        "hours": "3",
        "reflection": {"learned": "Taper plans need a review date."},
    } | changes


def record(world, person, *, submit=False, **changes) -> CpdActivity:
    with program_scope(world.program):
        return services.activity_record(
            program=world.program, by=person, data=workshop(**changes), submit=submit
        )


def fresh(world, activity) -> CpdActivity:
    with program_scope(world.program):
        return CpdActivity.objects.get(pk=activity.pk)


def history(world, activity) -> list[ChangeRecord]:
    with program_scope(world.program):
        return list(
            ChangeRecord.objects.filter(
                subject_type=SubjectType.CPD_ACTIVITY, subject_id=activity.pk
            ).order_by("pk")
        )
