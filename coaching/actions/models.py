"""Actions: what someone in the practice (or the coach) will do, for a plan goal or agreed at a
visit, and each action's status history."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from coaching.plans.models import PlanGoal, SupportPlan
from practices import derived


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    DROPPED = "dropped", "Dropped"


class PlanAction(derived.DerivedSource):
    """Something someone in the practice (or the coach) will do. Most belong to a plan goal;
    an action agreed at a visit may stand alone (no plan, no goal) and names its visit."""

    practice = models.ForeignKey(
        "practices.Practice", on_delete=models.CASCADE, related_name="actions"
    )
    plan = models.ForeignKey(
        SupportPlan, null=True, blank=True, on_delete=models.CASCADE, related_name="actions"
    )
    goal = models.ForeignKey(
        PlanGoal, null=True, blank=True, on_delete=models.CASCADE, related_name="actions"
    )
    visit = models.ForeignKey(
        "coaching.Visit",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="new_actions",
        help_text="The visit at which the action was agreed.",
    )
    title = models.CharField(max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="plan_actions",
    )
    due_on = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=12, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    status_note = models.TextField(blank=True, help_text="Why it was dropped, or what was done.")
    completed_at = models.DateTimeField(null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    practice_path = "practice"  # derived data (the caseload standings) reads actions

    class Meta:
        ordering = ["goal", "position", "pk"]
        indexes = [
            models.Index(fields=["program", "owner", "status"]),
            models.Index(fields=["program", "practice", "status", "due_on"]),
            # The API's cursor order (psp/api/pagination.py): newest first, then id.
            models.Index(fields=["program", "created_at", "id"], name="plan_action_by_created"),
        ]

    def __str__(self):
        return self.title


class ActionStatusChange(derived.DerivedSource):
    """One step of an action's history: created, or moved from one status to another, by whom
    and when, with the note given (a dropped action says why)."""

    action = models.ForeignKey(PlanAction, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=12, choices=ActionStatus.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=ActionStatus.choices)
    note = models.TextField(blank=True)
    changed_at = models.DateTimeField(default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    practice_path = "action__practice"

    class Meta:
        ordering = ["action", "changed_at", "pk"]
        indexes = [models.Index(fields=["program", "changed_at"])]

    def __str__(self):
        return f"{self.from_status or 'new'} → {self.to_status}"
