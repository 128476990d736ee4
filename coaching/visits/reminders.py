"""The reminder of a planned visit, the day before: to the visit's coach and the practice's
leads (psp/notifications/registry.py has the contract; the notifications app delivers)."""

from collections.abc import Iterator
from datetime import date, timedelta

from django.db.models import Exists, OuterRef
from django.urls import reverse

from coaching.visits.models import Visit, VisitStatus
from practices.selectors import active_member_ids, leads_of
from psp.dates import write_date
from psp.notifications.registry import Delivery, Due, Kind, register_rule

VISIT_TOMORROW = Kind(
    code="visit_tomorrow",
    label="A planned visit tomorrow",
    description="You and the practice lead get this the day before a planned visit.",
    default=Delivery.IMMEDIATE,
)


@register_rule(VISIT_TOMORROW, description="Planned visits on the program's next day.")
def visits_tomorrow(program, *, today: date, now) -> Iterator[Due]:
    """One notice per planned visit tomorrow (the program's tomorrow) for its coach and for
    each lead of the practice. The key holds the visit's date, so a visit moved to another day
    is announced again for that day. Two queries however many visits."""
    tomorrow = today + timedelta(days=1)
    visits = list(
        Visit.objects.filter(status=VisitStatus.PLANNED, visit_date=tomorrow)
        .select_related("practice", "coach")
        .annotate(coach_active=Exists(active_member_ids().filter(user_id=OuterRef("coach_id"))))
        .order_by("start_time", "pk")
    )
    leads = leads_of({visit.practice_id for visit in visits})
    for visit in visits:
        recipients = [visit.coach] if visit.coach_active else []
        recipients += [lead for lead in leads.get(visit.practice_id, []) if lead not in recipients]
        title = f"Visit at {visit.practice.name} tomorrow"
        if visit.start_time is not None:
            title += f" at {visit.start_time:%H:%M}"
        url = reverse("visits:detail", kwargs={"program": program.slug, "pk": visit.pk})
        for person in recipients:
            yield Due(
                kind=VISIT_TOMORROW.code,
                key=f"visit_tomorrow:{visit.pk}:{visit.visit_date.isoformat()}:{person.pk}",
                title=title,
                url=url,
                recipient_id=person.pk,
                body=_body(program, visit, person),
                practice_id=visit.practice_id,
            )


def _body(program, visit: Visit, person) -> str:
    when = write_date(visit.visit_date, "long_weekday", style=program.date_style)
    if visit.start_time is not None:
        when += f" at {visit.start_time:%H:%M}"
    parts = [f"{visit.get_mode_display()} visit to {visit.practice.name} on {when}"]
    if visit.coach_id and visit.coach_id != person.pk:
        parts[0] += f" with {visit.coach}"
    parts[0] += f", planned for {visit.duration_minutes} minutes."
    if visit.purpose:
        parts.append(f"Purpose: {visit.purpose}")
    return " ".join(parts)
