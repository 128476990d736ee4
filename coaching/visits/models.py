"""Facilitation visits: logged and planned, minutes by support activity, attendees and the plan
goals worked on. A visit edited after its day keeps its history in psp/history (ChangeRecord)."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from practices import derived
from psp.tenancy.base import ProgramOwned


class VisitMode(models.TextChoices):
    ON_SITE = "on_site", "On-site"
    VIRTUAL = "virtual", "Virtual"
    PHONE = "phone", "Phone"
    EMAIL = "email", "Email"


class Activity(models.TextChoices):
    """The PSP support components a coach's minutes are counted against (the "dose")."""

    ASSESSMENT_PLANNING = "assessment_planning", "Assessment and planning"
    WORKFLOW = "workflow", "Workflow and systems optimization"
    TECHNOLOGY = "technology", "Technology / EHR training"
    COMPLIANCE = "compliance", "Compliance guidance"
    CPD = "cpd", "CPD and education"
    FACILITATION = "facilitation", "Team facilitation and mentoring"
    DATA_REVIEW = "data_review", "Data and measurement review"
    OTHER = "other", "Other"


class VisitStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    LOGGED = "logged", "Logged"
    CANCELLED = "cancelled", "Cancelled"


class Visit(derived.DerivedSource):
    """One facilitation contact with a practice. A planned visit becomes a logged one when the
    coach completes it (the same row), or is cancelled with a reason."""

    practice = models.ForeignKey(
        "practices.Practice", on_delete=models.CASCADE, related_name="visits"
    )
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="coaching_visits",
    )
    status = models.CharField(
        max_length=10, choices=VisitStatus.choices, default=VisitStatus.LOGGED
    )
    visit_date = models.DateField("date")
    start_time = models.TimeField(null=True, blank=True)
    mode = models.CharField(max_length=10, choices=VisitMode.choices, default=VisitMode.ON_SITE)
    duration_minutes = models.PositiveIntegerField("duration (minutes)", default=60)
    travel_minutes = models.PositiveIntegerField("travel (minutes)", default=0)
    other_attendees = models.PositiveSmallIntegerField(
        "other attendees", default=0, help_text="People at the visit who have no account."
    )
    purpose = models.CharField(
        max_length=300, blank=True, help_text="What the visit is for (the agenda of a planned one)."
    )
    notes = models.TextField(blank=True)
    logged_at = models.DateTimeField(null=True, blank=True)
    # Sent with the form (and as the API's Idempotency-Key): a second submit of the same form,
    # after a dropped connection or a double tap, finds the visit the first one made.
    submission_key = models.UUIDField(null=True, blank=True, editable=False)
    # A hash of the API request that brought the key (empty from the pages): the same key with a
    # different request is refused rather than answered with this visit (coaching/visits/checks.py).
    submission_fingerprint = models.CharField(max_length=64, blank=True, editable=False)
    cancel_reason = models.TextField(blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    # Not stored: true on the visit a service returns for a submission key sent again.
    resent = False
    practice_path = "practice"  # derived data (the caseload standings) reads visits

    class Meta:
        ordering = ["-visit_date", "-start_time", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "submission_key"], name="uniq_visit_submission_key"
            )
        ]
        indexes = [
            models.Index(fields=["program", "practice", "status", "visit_date"]),
            models.Index(fields=["program", "coach", "status", "visit_date"]),
            models.Index(fields=["program", "status", "visit_date"]),
            # The API's cursor order (psp/api/pagination.py): newest first, the id settling ties.
            models.Index(fields=["program", "visit_date", "id"], name="visit_by_date"),
        ]

    def __str__(self):
        return f"{self.get_mode_display()} visit to {self.practice} on {self.visit_date:%d %b %Y}"

    def get_absolute_url(self):
        return reverse("visits:detail", kwargs={"program": self.program_slug(), "pk": self.pk})


class VisitActivity(derived.DerivedSource):
    """Minutes of one visit spent on one support activity; a logged visit's rows add up to its
    duration."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="activities")
    activity = models.CharField(max_length=30, choices=Activity.choices)
    minutes = models.PositiveIntegerField()

    practice_path = "visit__practice"  # derived data (the dose summary) reads activities

    class Meta:
        ordering = ["visit", "activity"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "visit", "activity"], name="uniq_visit_activity"
            )
        ]

    def __str__(self):
        return f"{self.get_activity_display()}: {self.minutes} min"


class VisitAttendee(ProgramOwned):
    """A person of the practice who took part in a visit (they are the ones asked for feedback)."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="attendees")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="visits_attended"
    )

    class Meta:
        ordering = ["visit", "person__full_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "visit", "person"], name="uniq_visit_attendee"
            )
        ]

    def __str__(self):
        return str(self.person)


class VisitGoal(ProgramOwned):
    """A plan goal a visit worked on."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="goal_links")
    goal = models.ForeignKey("coaching.PlanGoal", on_delete=models.CASCADE, related_name="visits")

    class Meta:
        ordering = ["visit", "goal__position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["program", "visit", "goal"], name="uniq_visit_goal")
        ]

    def __str__(self):
        return str(self.goal)
