"""The row writes the visit services share: a visit's row locked, a new visit inserted under
its one-time key, and a visit's activities, attendees and goals replaced."""

from uuid import UUID

from django.db import IntegrityError, transaction

from coaching.visits.models import Visit, VisitActivity, VisitAttendee, VisitGoal


def locked_visit(visit: Visit) -> Visit:
    """The visit's row, locked for the rest of the transaction, so two changes cannot cross."""
    return Visit.objects.select_for_update().select_related("practice").get(pk=visit.pk)


def replace_details(program, visit: Visit, cleaned: dict) -> None:
    """Make the visit's activities, attendees and goals those of `cleaned` (keeping the rows
    that stay, so their ids and the feedback already asked of attendees stand)."""
    if "activities" in cleaned:
        VisitActivity.objects.filter(visit=visit).delete()
        VisitActivity.objects.bulk_create(
            VisitActivity(program=program, visit=visit, activity=activity, minutes=minutes)
            for activity, minutes in sorted(cleaned["activities"].items())
        )
    if "attendees" in cleaned:
        wanted = {person.pk for person in cleaned["attendees"]}
        current = set(VisitAttendee.objects.filter(visit=visit).values_list("person_id", flat=True))
        VisitAttendee.objects.filter(visit=visit).exclude(person_id__in=wanted).delete()
        VisitAttendee.objects.bulk_create(
            VisitAttendee(program=program, visit=visit, person_id=pk)
            for pk in sorted(wanted - current)
        )
    if "goals" in cleaned:
        wanted = {goal.pk for goal in cleaned["goals"]}
        current = set(VisitGoal.objects.filter(visit=visit).values_list("goal_id", flat=True))
        VisitGoal.objects.filter(visit=visit).exclude(goal_id__in=wanted).delete()
        VisitGoal.objects.bulk_create(
            VisitGoal(program=program, visit=visit, goal_id=pk) for pk in sorted(wanted - current)
        )


def new_visit(program, *, key: UUID | None, **fields) -> Visit | None:
    """Insert a visit; None when another request with the same submission key got there first
    (the unique constraint decides, inside a savepoint so the transaction goes on)."""
    try:
        with transaction.atomic():
            return Visit.objects.create(program=program, submission_key=key, **fields)
    except IntegrityError:
        if key is None:
            raise
        return None
