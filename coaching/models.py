"""Support plans drafted from assessments: goals for weak domains and the actions that reach them,
with each action's status history. Visits, feedback and the caseload rules are in their own
modules (models_visits, models_feedback, models_caseload), imported at the bottom."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from psp.tenancy.base import ProgramOwned


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    ACTIVE = "active", "Active"
    COMPLETED = "completed", "Completed"


class SupportPlan(ProgramOwned):
    practice = models.ForeignKey(
        "practices.Practice", on_delete=models.CASCADE, related_name="plans"
    )
    # The assessment it was drafted from; kept so the plan can always be traced to its evidence.
    assessment = models.ForeignKey(
        "assessments.Assessment",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="plans",
    )
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["program", "practice", "status"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("plans:detail", kwargs={"program": self.program.slug, "pk": self.pk})


class GoalStatus(models.TextChoices):
    OPEN = "open", "Open"
    ACHIEVED = "achieved", "Achieved"
    DROPPED = "dropped", "Dropped"


class PlanGoal(ProgramOwned):
    plan = models.ForeignKey(SupportPlan, on_delete=models.CASCADE, related_name="goals")
    change_idea = models.ForeignKey(
        "assessments.ChangeIdea", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    domain_key = models.SlugField(max_length=80, blank=True)
    domain_name = models.CharField(max_length=200, blank=True)
    # The domain's score when the plan was drafted, so progress can be read against it.
    baseline_percent = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    title = models.CharField(max_length=300)
    measure = models.CharField(
        "measurable target",
        max_length=300,
        blank=True,
        help_text="e.g. third-next-available appointment under 3 days.",
    )
    target_date = models.DateField(null=True, blank=True)
    kpi_key = models.SlugField(max_length=80, blank=True)
    status = models.CharField(max_length=10, choices=GoalStatus.choices, default=GoalStatus.OPEN)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["plan", "position", "pk"]

    def __str__(self):
        return self.title


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    DROPPED = "dropped", "Dropped"


class PlanAction(ProgramOwned):
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

    class Meta:
        ordering = ["goal", "position", "pk"]
        indexes = [
            models.Index(fields=["program", "owner", "status"]),
            models.Index(fields=["program", "practice", "status", "due_on"]),
        ]

    def __str__(self):
        return self.title


class ActionStatusChange(ProgramOwned):
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

    class Meta:
        ordering = ["action", "changed_at", "pk"]
        indexes = [models.Index(fields=["program", "changed_at"])]

    def __str__(self):
        return f"{self.from_status or 'new'} → {self.to_status}"


# The rest of the app's models live in their own modules; importing them here registers them.
from coaching.models_caseload import CaseloadRules, CaseloadStanding, Severity  # noqa: E402
from coaching.models_feedback import FeedbackInvite, FeedbackResponse  # noqa: E402
from coaching.models_visits import (  # noqa: E402
    Activity,
    Visit,
    VisitActivity,
    VisitAttendee,
    VisitGoal,
    VisitMode,
    VisitRevision,
    VisitStatus,
)

__all__ = [
    "ActionStatus",
    "ActionStatusChange",
    "Activity",
    "CaseloadRules",
    "CaseloadStanding",
    "FeedbackInvite",
    "FeedbackResponse",
    "GoalStatus",
    "PlanAction",
    "PlanGoal",
    "PlanStatus",
    "Severity",
    "SupportPlan",
    "Visit",
    "VisitActivity",
    "VisitAttendee",
    "VisitGoal",
    "VisitMode",
    "VisitRevision",
    "VisitStatus",
]
