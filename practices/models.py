"""Practices, the people who belong to them, their coaches and their enrolment stage history."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from practices import derived
from psp.accounts.models import PracticeRole
from psp.tenancy.base import ProgramOwned
from psp.tenancy.models import Sector


class Stage(models.TextChoices):
    """The seven implementation stages a practice's enrolment moves through, in order."""

    NEEDS_ASSESSMENT = "needs_assessment", "Needs assessment"
    PROGRAM_DESIGN = "program_design", "Program design"
    STAKEHOLDER_ENGAGEMENT = "stakeholder_engagement", "Stakeholder engagement"
    PILOT = "pilot", "Pilot"
    TRAINING = "training", "Training and onboarding"
    MONITORING = "monitoring", "Continuous monitoring"
    SUSTAINABILITY = "sustainability", "Sustainability"

    @classmethod
    def position(cls, value: str) -> int:
        return list(cls.values).index(value) + 1


class Practice(derived.DerivedSource):
    name = models.CharField(max_length=200)
    sector = models.CharField(max_length=30, choices=Sector.choices)
    specialty = models.CharField(
        max_length=120, blank=True, help_text="e.g. family medicine, family law, grade 6–8."
    )
    professionals_count = models.PositiveIntegerField(
        "professionals",
        default=1,
        help_text="Clinicians, lawyers, teachers or counsellors who serve clients.",
    )
    staff_count = models.PositiveIntegerField("support staff", default=0)
    region = models.CharField(max_length=120, blank=True)
    address = models.CharField(max_length=255, blank=True)
    contact_name = models.CharField(max_length=150, blank=True)
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=40, blank=True)
    stage = models.CharField(max_length=30, choices=Stage.choices, default=Stage.NEEDS_ASSESSMENT)
    stage_changed_at = models.DateTimeField(default=timezone.now)
    enrolled_on = models.DateField(default=timezone.localdate)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Its enrolment date starts the count of days without a visit (coaching/caseload).
    practice_path = "pk"

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "name"], name="uniq_practice_name_per_program"
            )
        ]
        indexes = [
            models.Index(fields=["program", "stage"]),
            models.Index(fields=["program", "sector"]),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("practices:detail", kwargs={"program": self.program_slug(), "pk": self.pk})

    @property
    def stage_position(self) -> int:
        return Stage.position(self.stage)


class StageChange(ProgramOwned):
    """One move of a practice from one enrolment stage to another: who, when and why."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.CharField(max_length=30, choices=Stage.choices, blank=True)
    to_stage = models.CharField(max_length=30, choices=Stage.choices)
    moved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    moved_at = models.DateTimeField(default=timezone.now)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-moved_at", "-pk"]
        indexes = [
            models.Index(fields=["program", "practice", "moved_at"]),
            # The managers' home lists the program's latest moves: read newest first from here
            # rather than sorting every move of the program (50,000 at 10,000 practices).
            models.Index(fields=["program", "-moved_at", "-id"], name="stage_change_recent"),
        ]

    def __str__(self):
        return f"{self.practice}: {self.from_stage or 'enrolled'} → {self.to_stage}"


class PracticeMembership(ProgramOwned):
    """A person's role (lead or staff) in one practice."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="practice_memberships"
    )
    role = models.CharField(max_length=10, choices=PracticeRole.choices, default=PracticeRole.STAFF)
    title = models.CharField(max_length=120, blank=True, help_text="e.g. office manager, nurse.")
    is_active = models.BooleanField(default=True)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["role", "user__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "practice", "user"], name="uniq_practice_membership"
            )
        ]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()} at {self.practice}"


class CoachAssignment(derived.DerivedSource):
    """A coach assigned to a practice; the practice is then in the coach's caseload."""

    practice = models.ForeignKey(
        Practice, on_delete=models.CASCADE, related_name="coach_assignments"
    )
    # Deleting the coach deletes the assignment: marked, as any other write to it is.
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=derived.CASCADE, related_name="coach_assignments"
    )
    is_primary = models.BooleanField(default=True)
    assigned_at = models.DateTimeField(default=timezone.now)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    practice_path = "practice"

    class Meta:
        ordering = ["-is_primary", "coach__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "practice", "coach"], name="uniq_coach_assignment"
            )
        ]
        indexes = [models.Index(fields=["program", "coach"])]

    def __str__(self):
        return f"{self.coach} coaches {self.practice}"
