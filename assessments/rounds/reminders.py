"""Reminders of follow-up assessments, to the practice's leads and coaches: due within the next
week (once), then overdue (once a week). psp/notifications/registry.py has the contract; the
notifications app delivers.

A follow-up is due per instrument: the practice's last submitted round of it plus the
instrument's cadence (as the caseload and the practice page count it: selectors.add_months)."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import urlencode

from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from assessments.rounds.models import Assessment, AssessmentStatus
from assessments.rounds.selectors import add_months
from practices.selectors import coaches_of, leads_of
from psp.dates import write_date
from psp.notifications.registry import Delivery, Due, Kind, register_rule

DUE_WITHIN_DAYS = 7

ASSESSMENT_FOLLOWUP = Kind(
    code="assessment_followup",
    label="A follow-up assessment due or overdue",
    description="Practice leads and their coach get this in the week before a follow-up "
    "assessment is due, then once a week while it is overdue.",
    default=Delivery.IMMEDIATE,
)


@dataclass(frozen=True)
class FollowUp:
    practice_id: int
    practice_name: str
    instrument_id: int
    instrument_name: str
    last_on: date
    due_on: date


def follow_ups(*, zone, until: date) -> list[FollowUp]:
    """Each practice's follow-up per instrument due on or before `until`, dates in `zone` (the
    program's: a round submitted late in the evening counts on the program's day). One query.
    An instrument with no cadence (0 months) asks for no follow-up."""
    rows = (
        Assessment.objects.filter(
            status=AssessmentStatus.SUBMITTED, version__instrument__cadence_months__gt=0
        )
        .values(
            "practice_id",
            "practice__name",
            "version__instrument_id",
            "version__instrument__name",
            "version__instrument__cadence_months",
        )
        .annotate(last=Max("submitted_at"))
        .order_by("practice_id", "version__instrument_id")
    )
    found = []
    for row in rows:
        last = timezone.localdate(row["last"], zone)
        due_on = add_months(last, row["version__instrument__cadence_months"])
        if due_on <= until:
            found.append(
                FollowUp(
                    practice_id=row["practice_id"],
                    practice_name=row["practice__name"],
                    instrument_id=row["version__instrument_id"],
                    instrument_name=row["version__instrument__name"],
                    last_on=last,
                    due_on=due_on,
                )
            )
    return found


@register_rule(ASSESSMENT_FOLLOWUP, description="Follow-up assessments due within a week or late.")
def assessment_follow_ups(program, *, today: date, now) -> Iterator[Due]:
    """To each lead and coach of the practice: one notice when the follow-up is due within the
    next DUE_WITHIN_DAYS days (keyed on its due date), then one per week overdue (keyed on the
    due date and the week, as actions are). Three queries however many practices."""
    found = follow_ups(zone=program.zone, until=today + timedelta(days=DUE_WITHIN_DAYS))
    ids = {follow_up.practice_id for follow_up in found}
    leads, coaches = leads_of(ids), coaches_of(ids)
    for follow_up in found:
        people = leads.get(follow_up.practice_id, []) + [
            coach
            for coach in coaches.get(follow_up.practice_id, [])
            if coach not in leads.get(follow_up.practice_id, [])
        ]
        yield from _dues(program, follow_up, people, today=today)


def _dues(program, follow_up: FollowUp, people, *, today: date) -> Iterator[Due]:
    style = program.date_style
    due = write_date(follow_up.due_on, "long", style=style)
    last = write_date(follow_up.last_on, "long", style=style)
    what = f"{follow_up.instrument_name} follow-up assessment"
    if follow_up.due_on >= today:
        occasion = "due"
        title = f"{what} for {follow_up.practice_name} due on {due}"
        body = f"The last {follow_up.instrument_name} round of {follow_up.practice_name} was "
        body += f"submitted on {last}; the follow-up is due on {due}."
    else:
        days = (today - follow_up.due_on).days
        occasion = f"overdue:{(days - 1) // 7}"  # weeks overdue, as for actions
        title = f"{what} for {follow_up.practice_name} overdue since {due}"
        body = f"The follow-up of {follow_up.practice_name}'s last {follow_up.instrument_name} "
        body += f"round ({last}) was due on {due}, {days} day{'' if days == 1 else 's'} ago."
    query = urlencode({"practice": follow_up.practice_id, "instrument": follow_up.instrument_id})
    url = reverse("assessments:list", kwargs={"program": program.slug}) + f"?{query}"
    key = f"assessment_followup:{follow_up.practice_id}:{follow_up.instrument_id}"
    key += f":{follow_up.due_on.isoformat()}:{occasion}"
    for person in people:
        yield Due(
            kind=ASSESSMENT_FOLLOWUP.code,
            key=f"{key}:{person.pk}",
            title=title,
            url=url,
            recipient_id=person.pk,
            body=body,
            practice_id=follow_up.practice_id,
        )
