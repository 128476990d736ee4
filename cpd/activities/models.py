"""CPD activities: the learning a person records, its evidence, and its verification.

An activity moves: draft (pre-filled for the person to confirm: a program workshop they
attended, a claim drafted from their QI work; it counts for nothing until they submit it) →
self-reported (counted, not checked) or submitted (sent for verification) → verified (by a
program admin or a named verifier) or rejected with a reason (the person corrects it and submits
again). Its credits are worked out by the rules of the cycle it falls in and stored on the row,
so progress is a sum and a later rule change leaves it alone.

Evidence files (certificates, attendance records) are attached through the core's private
storage, named by this activity.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from psp.tenancy.base import ProgramOwned


class ActivityType(models.TextChoices):
    WORKSHOP = "workshop", "Workshop"
    COURSE = "course", "Course"
    SEMINAR = "seminar", "Seminar or webinar"
    CONFERENCE = "conference", "Conference"
    READING = "reading", "Reading"
    PRACTICE_AUDIT = "practice_audit", "Practice audit"
    MENTORING_GIVEN = "mentoring_given", "Mentoring given"
    MENTORING_RECEIVED = "mentoring_received", "Mentoring received"
    CERTIFICATION = "certification", "Certification"


class ActivityStatus(models.TextChoices):
    DRAFT = "draft", "Draft, to confirm"
    SELF_REPORTED = "self_reported", "Self-reported"
    SUBMITTED = "submitted", "Submitted for verification"
    VERIFIED = "verified", "Verified"
    REJECTED = "rejected", "Rejected"


# The statuses whose credits count towards progress.
COUNTED = (ActivityStatus.SELF_REPORTED, ActivityStatus.SUBMITTED, ActivityStatus.VERIFIED)


class ClaimSource(models.TextChoices):
    """Where a drafted claim came from, when the platform drafted it."""

    NONE = "", "Recorded by the person"
    OFFERING = "offering", "A program activity they attended"
    GOAL = "goal", "A completed plan goal"
    PDSA = "pdsa", "A PDSA cycle"
    AUDIT = "audit", "A practice audit"
    IMPORT = "import", "Imported from a past transcript"


class CpdOffering(ProgramOwned):
    """An activity the program provides (a PSP workshop): created once, attended by many, each
    attendee getting a draft activity to confirm."""

    title = models.CharField(max_length=200)
    activity_type = models.CharField(
        max_length=30, choices=ActivityType.choices, default=ActivityType.WORKSHOP
    )
    provider = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    started_on = models.DateField()
    ended_on = models.DateField()
    hours = models.DecimalField(max_digits=6, decimal_places=2)
    category = models.SlugField(max_length=60, blank=True, help_text="A scheme category key.")
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-started_on", "title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("cpd:offering", kwargs={"program": self.program_slug(), "pk": self.pk})


class CpdActivity(ProgramOwned):
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cpd_activities"
    )
    # The person's practice when they recorded it: a lead reads their practice's people's CPD,
    # and managers see completion by practice.
    practice = models.ForeignKey(
        "practices.Practice",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cpd_activities",
    )
    # The cycle its end date falls in (none when the person has no scheme for that date).
    cycle = models.ForeignKey(
        "cpd.CpdCycle", null=True, blank=True, on_delete=models.SET_NULL, related_name="activities"
    )
    activity_type = models.CharField(max_length=30, choices=ActivityType.choices)
    title = models.CharField(max_length=200)
    provider = models.CharField(max_length=200, blank=True)
    started_on = models.DateField()
    ended_on = models.DateField()
    hours = models.DecimalField(max_digits=6, decimal_places=2, default=0)
    # For activities credited per item (articles read, audits done), how many.
    items = models.PositiveSmallIntegerField(null=True, blank=True)
    category = models.SlugField(max_length=60, help_text="A category key of the cycle's rules.")
    credits = models.DecimalField(max_digits=8, decimal_places=2, default=0)
    # The answers to the type's reflection prompts: {prompt key: text}.
    reflection = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        max_length=20, choices=ActivityStatus.choices, default=ActivityStatus.SELF_REPORTED
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    rejection_reason = models.TextField(blank=True)
    # A verifier asked for (more) evidence: what they asked, cleared when evidence is added.
    evidence_requested = models.TextField(blank=True)
    offering = models.ForeignKey(
        CpdOffering, null=True, blank=True, on_delete=models.SET_NULL, related_name="activities"
    )
    source = models.CharField(max_length=10, choices=ClaimSource.choices, blank=True)
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-ended_on", "-pk"]
        constraints = [
            # An offering pre-fills one activity per attendee; a QI source drafts one claim.
            models.UniqueConstraint(
                fields=["program", "person", "offering"],
                condition=models.Q(offering__isnull=False),
                name="cpd_activity_offering_once",
            ),
            models.UniqueConstraint(
                fields=["program", "person", "source", "source_id"],
                condition=models.Q(source_id__isnull=False),
                name="cpd_activity_source_once",
            ),
        ]
        indexes = [
            models.Index(fields=["program", "person", "ended_on"], name="cpd_activity_person"),
            models.Index(fields=["program", "cycle", "status"], name="cpd_activity_cycle"),
            models.Index(fields=["program", "status", "submitted_at"], name="cpd_activity_queue"),
            models.Index(fields=["program", "practice", "ended_on"], name="cpd_activity_practice"),
            # The API's cursor order (psp/api/pagination.py): latest ended first, then id.
            models.Index(fields=["program", "ended_on", "id"], name="cpd_activity_by_ended"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("cpd:detail", kwargs={"program": self.program_slug(), "pk": self.pk})
