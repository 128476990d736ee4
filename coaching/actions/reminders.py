"""Reminders of actions, to their owner: due in three days, and overdue (at most once a week
per action). psp/notifications/registry.py has the contract; the notifications app delivers."""

from collections.abc import Iterator
from datetime import date, timedelta

from django.db.models import Q
from django.urls import reverse

from coaching.actions.models import PlanAction
from coaching.actions.selectors import OPEN_ACTION_STATUSES
from coaching.plans.models import PlanStatus
from practices.selectors import active_member_ids
from psp.dates import write_date
from psp.notifications.registry import Delivery, Due, Kind, register_rule

DUE_SOON_DAYS = 3
# Actions being followed up: agreed at a visit (no plan) or of the active plan. A draft plan's
# actions are proposals nobody has taken on; a completed plan's leftovers can no longer move.
IN_PLAY = Q(plan__isnull=True) | Q(plan__status=PlanStatus.ACTIVE)

ACTION_DUE_SOON = Kind(
    code="action_due_soon",
    label="An action of yours due in 3 days",
    description="You get this three days before an action you own is due.",
    default=Delivery.IMMEDIATE,
)
ACTION_OVERDUE = Kind(
    code="action_overdue",
    label="An action of yours overdue",
    description="You get this the day after an action you own was due, then once a week "
    "while it stays open.",
    default=Delivery.DIGEST,
)


def _open_actions(**when):
    """Open actions in play with an owner who still has a role in the program, with what a
    notice shows. One query."""
    return (
        PlanAction.objects.filter(
            IN_PLAY,
            status__in=OPEN_ACTION_STATUSES,
            owner_id__in=active_member_ids(),
            **when,
        )
        .select_related("practice", "owner")
        .order_by("due_on", "pk")
    )


@register_rule(ACTION_DUE_SOON, description="Open actions due in three days, to their owner.")
def actions_due_soon(program, *, today: date, now) -> Iterator[Due]:
    due_on = today + timedelta(days=DUE_SOON_DAYS)
    for action in _open_actions(due_on=due_on):
        due = write_date(action.due_on, "long_weekday", style=program.date_style)
        yield Due(
            kind=ACTION_DUE_SOON.code,
            # The due date is in the key: an action moved to another day is announced again.
            key=f"action_due_soon:{action.pk}:{action.due_on.isoformat()}:{action.owner_id}",
            title=f"Action due in {DUE_SOON_DAYS} days at {action.practice.name}: {action.title}",
            url=_action_url(program, action),
            recipient_id=action.owner_id,
            body=f"“{action.title}” for {action.practice.name} is due on {due}.",
            practice_id=action.practice_id,
        )


def overdue_week(today: date, due_on: date) -> int:
    """Which week of being overdue `today` is: 0 for days 1 to 7 after the due date, 1 for days
    8 to 14, and so on. The key holds it, so an overdue action is announced on the first day it
    is overdue and again on days 8, 15, 22… (or at the first scan of each such week)."""
    return ((today - due_on).days - 1) // 7


@register_rule(ACTION_OVERDUE, description="Open actions past their due date, weekly.")
def actions_overdue(program, *, today: date, now) -> Iterator[Due]:
    for action in _open_actions(due_on__lt=today):
        days = (today - action.due_on).days
        due = write_date(action.due_on, "long", style=program.date_style)
        week = overdue_week(today, action.due_on)
        yield Due(
            kind=ACTION_OVERDUE.code,
            key=f"action_overdue:{action.pk}:{action.due_on.isoformat()}:{week}:{action.owner_id}",
            title=f"Overdue action at {action.practice.name}: {action.title}",
            url=_action_url(program, action),
            recipient_id=action.owner_id,
            body=f"“{action.title}” for {action.practice.name} was due on {due}, "
            f"{days} day{'' if days == 1 else 's'} ago. Mark it done, or agree a new date "
            "with your coach.",
            practice_id=action.practice_id,
        )


def _action_url(program, action: PlanAction) -> str:
    return reverse("actions:detail", kwargs={"program": program.slug, "pk": action.pk})
