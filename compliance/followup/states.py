"""Where a practice's checklist stands in follow-up, on a given day: overdue, due soon,
completed and waiting to be signed off, signed off on time or late, or not due yet.

Pure rules (no query, no clock): the pages, the API, the reminders, the reports and the KPIs
read a checklist's standing here, and filter by it with `state_filter` (the same rule as a
database condition). A checklist is done when it is signed off: a completed one that nobody has
signed is still overdue after its due date. On time means signed off (its last signature's
date, in the program's time zone) on or before the due date.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import models
from django.db.models import F, Q

from compliance.instances.models import EDITABLE, InstanceStatus

DUE_SOON_DAYS = 14


class FollowUp(models.TextChoices):
    OVERDUE = "overdue", "Overdue"
    DUE_SOON = "due_soon", "Due soon"
    AWAITING_SIGNOFF = "awaiting_signoff", "Completed, awaiting sign-off"
    SIGNED_ON_TIME = "signed_on_time", "Signed off on time"
    SIGNED_LATE = "signed_late", "Signed off late"
    NOT_DUE = "not_due", "Not due yet"


def state_filter(state: str, today: date) -> Q:
    """The checklists in `state` on `today`, as a condition on their status, due date and
    `signed_on` (the date of the last signature, kept on the row). The states overlap where
    people need them to: a completed checklist past its due date is both awaiting sign-off and
    overdue."""
    soon = today + timedelta(days=DUE_SOON_DAYS)
    unsigned = Q(status__in=EDITABLE)
    signed = Q(status=InstanceStatus.ATTESTED)
    return {
        FollowUp.OVERDUE: unsigned & Q(due_on__lt=today),
        FollowUp.DUE_SOON: unsigned & Q(due_on__gte=today, due_on__lte=soon),
        FollowUp.AWAITING_SIGNOFF: Q(status=InstanceStatus.COMPLETED),
        FollowUp.SIGNED_ON_TIME: signed & (Q(signed_on__lte=F("due_on")) | Q(signed_on=None)),
        FollowUp.SIGNED_LATE: signed & Q(signed_on__gt=F("due_on")),
        FollowUp.NOT_DUE: Q(status__in=EDITABLE) & Q(due_on__gt=soon),
    }[state]


@dataclass(frozen=True)
class Standing:
    """One checklist's standing on a day: its state and what a cell or a row says of it."""

    state: str
    short: str  # a matrix cell: "Overdue 12 d", "Due in 3 d", "Signed 3 Mar"
    days_overdue: int  # 0 unless past due and not signed off (or signed late: by how much)
    days_left: int | None  # before the due date, while not signed off

    @property
    def label(self) -> str:
        return FollowUp(self.state).label

    @property
    def is_overdue(self) -> bool:
        return self.state != FollowUp.SIGNED_LATE and self.days_overdue > 0


def standing(*, status: str, due_on: date, signed_on: date | None, today: date) -> Standing:
    if status in (InstanceStatus.ATTESTED, InstanceStatus.SUPERSEDED):
        late = max(0, (signed_on - due_on).days) if signed_on else 0
        if late:
            return Standing(FollowUp.SIGNED_LATE, f"Signed {late} d late", late, None)
        return Standing(FollowUp.SIGNED_ON_TIME, "Signed on time", 0, None)
    left = (due_on - today).days
    overdue = max(0, -left)
    if status == InstanceStatus.COMPLETED:
        short = f"To sign, {overdue} d over" if overdue else "To sign"
        return Standing(FollowUp.AWAITING_SIGNOFF, short, overdue, None if overdue else left)
    if overdue:
        return Standing(FollowUp.OVERDUE, f"Overdue {overdue} d", overdue, None)
    if left <= DUE_SOON_DAYS:
        short = "Due today" if left == 0 else f"Due in {left} d"
        return Standing(FollowUp.DUE_SOON, short, 0, left)
    return Standing(FollowUp.NOT_DUE, f"Due in {left} d", 0, left)


def standing_of(instance, today: date) -> Standing:
    """A checklist (ChecklistInstance) on `today`."""
    return standing(
        status=instance.status,
        due_on=instance.due_on,
        signed_on=instance.signed_on,
        today=today,
    )
