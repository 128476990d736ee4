"""Participant feedback: asking a visit's attendees, and taking their anonymous answers."""

from django.db import transaction

from coaching.models import FeedbackInvite, Visit, VisitAttendee, VisitStatus
from psp.tenancy.base import ensure_in_program


@transaction.atomic
def feedback_request(*, program, visit: Visit, by) -> list[FeedbackInvite]:
    """Ask each attendee of a logged visit (who has not been asked yet) for feedback.

    Safe to call again after attendees are added: only the new ones are asked."""
    ensure_in_program(program, visit)
    if visit.status != VisitStatus.LOGGED:
        return []
    asked = set(FeedbackInvite.objects.filter(visit=visit).values_list("person_id", flat=True))
    people = [
        attendee.person_id
        for attendee in VisitAttendee.objects.filter(visit=visit)
        if attendee.person_id not in asked and attendee.person_id != visit.coach_id
    ]
    return FeedbackInvite.objects.bulk_create(
        FeedbackInvite(program=program, visit=visit, person_id=person_id) for person_id in people
    )
