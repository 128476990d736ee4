"""Support plans drafted from assessments, and their goals for weak domains. The actions that
reach the goals, with their status history, are in coaching/actions/models.py."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from practices import derived


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    ACTIVE = "active", "Active"
    COMPLETED = "completed", "Completed"


class SupportPlan(derived.DerivedSource):
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

    practice_path = "practice"  # derived data (the caseload standings) reads plans

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["program", "practice", "status"]),
            # The API's cursor order (psp/api/pagination.py): newest first, then id.
            models.Index(fields=["program", "created_at", "id"], name="support_plan_by_created"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("plans:detail", kwargs={"program": self.program_slug(), "pk": self.pk})


class GoalStatus(models.TextChoices):
    OPEN = "open", "Open"
    ACHIEVED = "achieved", "Achieved"
    DROPPED = "dropped", "Dropped"


class PlanGoal(derived.DerivedSource):
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

    practice_path = "plan__practice"

    class Meta:
        ordering = ["plan", "position", "pk"]

    def __str__(self):
        return self.title
