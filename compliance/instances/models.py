"""A practice's checklist for one period (or one event), its answers and its sign-off.

An instance is made by the scheduler once per (template, practice, period); `period_key` names
the period ("2026-12", "2026-Q4", "2026", "once", "enrolment", "stage:<stage change id>"), and
the unique rule on it is what makes scheduling twice make nothing new.

Once attested an instance is frozen. A correction is a new revision of the same period with a
reason: the attested one stays readable as it was, marked superseded.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from psp.tenancy.base import ProgramOwned


class InstanceStatus(models.TextChoices):
    OPEN = "open", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed, awaiting sign-off"
    ATTESTED = "attested", "Signed off"
    SUPERSEDED = "superseded", "Corrected by a later revision"


# An instance in these statuses can still be answered.
EDITABLE = (InstanceStatus.OPEN, InstanceStatus.IN_PROGRESS, InstanceStatus.COMPLETED)


class ChecklistInstance(ProgramOwned):
    template = models.ForeignKey(
        "compliance.ChecklistTemplate", on_delete=models.PROTECT, related_name="instances"
    )
    version = models.ForeignKey(
        "compliance.ChecklistVersion", on_delete=models.PROTECT, related_name="instances"
    )
    practice = models.ForeignKey(
        "practices.Practice", on_delete=models.CASCADE, related_name="checklist_instances"
    )
    assignment = models.ForeignKey(
        "compliance.ChecklistAssignment",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="instances",
    )
    period_key = models.CharField(max_length=40)
    period_label = models.CharField(max_length=80)  # "December 2026", "Q4 2026 (Oct–Dec)"
    opens_on = models.DateField()
    due_on = models.DateField()
    revision = models.PositiveSmallIntegerField(default=1)
    supersedes = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrections"
    )
    correction_reason = models.TextField(blank=True)
    status = models.CharField(
        max_length=12, choices=InstanceStatus.choices, default=InstanceStatus.OPEN
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    attested_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # Kept by the services that write checklists (compliance.instances.latest), so that the
    # follow-up pages and counts read them from the row instead of working them out over the
    # program's every checklist and signature on each request: the date of the last signature
    # (the program's local date, as signed), and whether this is its practice's latest current
    # checklist of its template (the period opened last).
    signed_on = models.DateField(null=True, blank=True)
    is_latest = models.BooleanField(default=False)

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "template", "practice", "period_key", "revision"],
                name="checklist_instance_period",
            ),
            # A revision is corrected once; the correction of a correction is the next one.
            models.UniqueConstraint(
                fields=["program", "supersedes"],
                condition=models.Q(supersedes__isnull=False),
                name="checklist_instance_correction",
            ),
        ]
        indexes = [
            models.Index(fields=["program", "practice", "due_on"], name="checklist_inst_practice"),
            models.Index(fields=["program", "status", "due_on"], name="checklist_inst_due"),
            # The API's cursor order (psp/api/pagination.py): soonest due first, then id.
            models.Index(fields=["program", "due_on", "id"], name="checklist_inst_by_due"),
            # The status matrix: a page of practices' latest checklists, and the templates.
            models.Index(
                fields=["program", "practice", "template"],
                condition=models.Q(is_latest=True),
                name="checklist_inst_latest",
            ),
            models.Index(
                fields=["program", "template"],
                condition=models.Q(is_latest=True),
                name="checklist_inst_latest_template",
            ),
            # The overview's "signed off this year" counts, on time or late (hence due_on).
            models.Index(
                fields=["program", "status", "signed_on"],
                include=["due_on"],
                name="checklist_inst_signed",
            ),
        ]

    def __str__(self):
        return f"{self.template} · {self.period_label}"

    def get_absolute_url(self):
        return reverse(
            "compliance:checklist", kwargs={"program": self.program_slug(), "pk": self.pk}
        )


class ItemOutcome(models.TextChoices):
    """What an answer means for compliance, worked out from the item's response type."""

    UNANSWERED = "", "Not answered yet"  # a row made to hold evidence before the answer
    MET = "met", "Met"
    FAILED = "failed", "Not met"
    NOT_APPLICABLE = "na", "Not applicable"
    NOTED = "noted", "Recorded"  # a date, number or text: recorded, nothing to pass or fail


class ItemResponse(ProgramOwned):
    instance = models.ForeignKey(
        ChecklistInstance, on_delete=models.CASCADE, related_name="responses"
    )
    item = models.ForeignKey(
        "compliance.ChecklistItem", on_delete=models.PROTECT, related_name="responses"
    )
    # One of these holds the answer, by the item's response type: "done" / "not_done" / "na"
    # and "yes" / "no" in `choice`, or a date, number or text.
    choice = models.CharField(max_length=10, blank=True)
    value_date = models.DateField(null=True, blank=True)
    value_number = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    value_text = models.TextField(blank=True)
    na_reason = models.TextField("why it does not apply", blank=True)
    note = models.TextField(blank=True)
    outcome = models.CharField(max_length=6, choices=ItemOutcome.choices, blank=True)
    # The plan action a failed item became (coaching/actions), linked both ways through this.
    action = models.ForeignKey(
        "coaching.PlanAction",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="checklist_responses",
    )
    answered_at = models.DateTimeField(default=timezone.now)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["instance", "item_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "instance", "item"], name="checklist_response_item"
            ),
            models.UniqueConstraint(
                fields=["program", "action"],
                condition=models.Q(action__isnull=False),
                name="checklist_response_action",
            ),
        ]

    def __str__(self):
        return f"{self.item} · {self.get_outcome_display()}"


class Attestation(ProgramOwned):
    """One signature on an instance: by the person holding the attesting role (each role the
    instance's items name signs once)."""

    instance = models.ForeignKey(
        ChecklistInstance, on_delete=models.CASCADE, related_name="attestations"
    )
    attester = models.CharField(max_length=20)  # compliance.checklists.models.Attester
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # As signed: the name typed and the statement shown, kept whatever changes later.
    signed_name = models.CharField(max_length=200)
    statement = models.TextField()
    signed_on = models.DateField()
    signed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["instance", "signed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "instance", "attester"], name="checklist_attestation_role"
            ),
        ]


class PracticeDesignation(ProgramOwned):
    """A practice member named for an attesting role (the practice's privacy officer...)."""

    practice = models.ForeignKey(
        "practices.Practice", on_delete=models.CASCADE, related_name="designations"
    )
    attester = models.CharField(max_length=20)  # compliance.checklists.models.Attester
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    named_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["program", "practice", "attester"], name="practice_designation_role"
            ),
        ]
