"""Reminders of checklists, found by the notifications app's scan (psp/notifications/registry.py):

- due soon: 14 and 3 days before a checklist is due while it is not signed off, to the practice's
  people who complete checklists (its leads and staff); once it is completed, to whoever must
  still sign it (the person the practice named for the role, else its leads);
- overdue: the day after the due date and then every 7 days while it is not signed off, to the
  practice's leads and its coaches.

Each is sent once per key (the checklist, its due date, the threshold or the week, the person).
A threshold's notice is due from its day until the next one's, so a scan that missed the day
still tells, at the next scan, how many days are really left. Days are the program's (the scan
passes its local today). Six queries at most, however many checklists.
"""

from collections import defaultdict
from collections.abc import Iterator
from datetime import date, timedelta

from django.urls import reverse

from compliance.checklists.models import Attester, ChecklistItem
from compliance.instances.models import (
    EDITABLE,
    Attestation,
    ChecklistInstance,
    InstanceStatus,
    PracticeDesignation,
)
from practices.models import PracticeMembership
from practices.selectors import active_member_ids, coaches_of
from psp.accounts.models import PracticeRole
from psp.dates import write_date
from psp.notifications.registry import Delivery, Due, Kind

THRESHOLDS = (14, 3)  # days before the due date, furthest first
OVERDUE_EVERY = 7

CHECKLIST_DUE_SOON = Kind(
    code="checklist_due_soon",
    label="A practice checklist due soon",
    description="Practice leads and staff get this 14 and 3 days before a checklist of their "
    "practice is due; once it is completed, whoever must sign it off does.",
    default=Delivery.IMMEDIATE,
)
CHECKLIST_OVERDUE = Kind(
    code="checklist_overdue",
    label="A practice checklist overdue",
    description="Practice leads and the practice's coaches get this the day after a checklist "
    "was due, then once a week while nobody has signed it off.",
    default=Delivery.DIGEST,
)


def threshold_for(today: date, due_on: date) -> int | None:
    """14 from 14 to 4 days before the due date, 3 from 3 days before to the day itself."""
    left = (due_on - today).days
    if left < 0 or left > THRESHOLDS[0]:
        return None
    return min(t for t in THRESHOLDS if left <= t)


def overdue_week(today: date, due_on: date) -> int:
    """0 for days 1 to 7 after the due date, 1 for days 8 to 14, and so on."""
    return ((today - due_on).days - 1) // OVERDUE_EVERY


def _unsigned(**when) -> list[ChecklistInstance]:
    return list(
        ChecklistInstance.objects.filter(status__in=EDITABLE, **when)
        .select_related("template", "practice")
        .order_by("due_on", "pk")
    )


def _practice_people(practice_ids) -> dict[int, dict[str, list[int]]]:
    """practice id -> {"lead": [...], "staff": [...]}: active members still in the program."""
    found: dict[int, dict[str, list[int]]] = defaultdict(lambda: {"lead": [], "staff": []})
    rows = PracticeMembership.objects.filter(
        practice_id__in=practice_ids, is_active=True, user_id__in=active_member_ids()
    ).values_list("practice_id", "role", "user_id")
    for practice_id, role, user_id in rows.order_by("user_id"):
        key = "lead" if role == PracticeRole.LEAD else "staff"
        found[practice_id][key].append(user_id)
    return found


def _signers_missing(instances, people) -> dict[int, list[int]]:
    """Completed checklist id -> the people who must still sign it. Three queries."""
    if not instances:
        return {}
    roles: dict[int, set[str]] = defaultdict(set)
    versions = {i.version_id for i in instances}
    for version_id, role in ChecklistItem.objects.filter(version_id__in=versions).values_list(
        "version_id", "attester"
    ):
        roles[version_id].add(role)
    signed: dict[int, set[str]] = defaultdict(set)
    for instance_id, role in Attestation.objects.filter(instance__in=instances).values_list(
        "instance_id", "attester"
    ):
        signed[instance_id].add(role)
    named = {
        (practice_id, role): user_id
        for practice_id, role, user_id in PracticeDesignation.objects.filter(
            practice_id__in={i.practice_id for i in instances}, user_id__in=active_member_ids()
        ).values_list("practice_id", "attester", "user_id")
    }
    missing = {}
    for instance in instances:
        users: list[int] = []
        for role in Attester.values:
            if role in roles[instance.version_id] - signed[instance.pk]:
                who = named.get((instance.practice_id, role))
                leads = people[instance.practice_id]["lead"]
                users += [who] if who else leads
        missing[instance.pk] = sorted(set(users))
    return missing


def checklists_due_soon(program, *, today: date, now) -> Iterator[Due]:
    instances = [
        i
        for i in _unsigned(due_on__gte=today, due_on__lte=today + timedelta(days=THRESHOLDS[0]))
        if threshold_for(today, i.due_on) is not None
    ]
    people = _practice_people({i.practice_id for i in instances})
    completed = [i for i in instances if i.status == InstanceStatus.COMPLETED]
    signers = _signers_missing(completed, people)
    for instance in instances:
        threshold = threshold_for(today, instance.due_on)
        if instance.status == InstanceStatus.COMPLETED:
            recipients, to_sign = signers[instance.pk], True
        else:
            crew = people[instance.practice_id]
            recipients, to_sign = sorted(set(crew["lead"] + crew["staff"])), False
        for user_id in recipients:
            yield _due_soon(program, instance, threshold, user_id, today, to_sign)


def _due_soon(program, instance, threshold, user_id, today, to_sign) -> Due:
    left = (instance.due_on - today).days
    when = "today" if left == 0 else "tomorrow" if left == 1 else f"in {left} days"
    due = write_date(instance.due_on, "long_weekday", style=program.date_style)
    name, practice = instance.template.name, instance.practice.name
    action = (
        "It is completed: sign it off."
        if to_sign
        else "Answer its items and attach the evidence it asks for."
    )
    return Due(
        kind=CHECKLIST_DUE_SOON.code,
        key=f"checklist_due_soon:{instance.pk}:{instance.due_on.isoformat()}:{threshold}:{user_id}",
        title=f"{'Sign off' if to_sign else 'Checklist due'} {when} at {practice}: {name}",
        url=checklist_url(program, instance),
        recipient_id=user_id,
        body=f"“{name}” ({instance.period_label}) for {practice} is due on {due}. {action}",
        practice_id=instance.practice_id,
    )


def checklists_overdue(program, *, today: date, now) -> Iterator[Due]:
    instances = _unsigned(due_on__lt=today)
    practice_ids = {i.practice_id for i in instances}
    people = _practice_people(practice_ids)
    coaches = coaches_of(practice_ids)
    for instance in instances:
        days = (today - instance.due_on).days
        week = overdue_week(today, instance.due_on)
        leads = people[instance.practice_id]["lead"]
        coach_ids = [coach.pk for coach in coaches.get(instance.practice_id, [])]
        due = write_date(instance.due_on, "long", style=program.date_style)
        name, practice = instance.template.name, instance.practice.name
        for user_id in sorted(set(leads + coach_ids)):
            yield Due(
                kind=CHECKLIST_OVERDUE.code,
                key=f"checklist_overdue:{instance.pk}:{instance.due_on.isoformat()}:{week}:"
                f"{user_id}",
                title=f"Overdue checklist at {practice}: {name}",
                url=checklist_url(program, instance),
                recipient_id=user_id,
                body=f"“{name}” ({instance.period_label}) for {practice} was due on {due}, "
                f"{days} day{'' if days == 1 else 's'} ago, and is not signed off "
                f"({instance.get_status_display().lower()}).",
                practice_id=instance.practice_id,
            )


def checklist_url(program, instance) -> str:
    return reverse("compliance:checklist", kwargs={"program": program.slug, "pk": instance.pk})
