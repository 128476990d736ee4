"""Checklist templates: what a practice must check, item by item, and how often.

A template's items live in versions, like an assessment instrument's questions: editing a
published template writes a new version, and an instance keeps the version it was created from,
so an instance completed last year still reads the items it was completed against.

How often (`recurrence`) belongs to the template, not the version: a change of schedule applies
to the instances made after it and never rewrites one already made.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from psp.tenancy.base import ProgramOwned
from psp.tenancy.models import Sector


class Recurrence(models.TextChoices):
    ONCE = "once", "Once"
    MONTHLY = "monthly", "Every month"
    QUARTERLY = "quarterly", "Every quarter"
    ANNUALLY = "annually", "Every year"
    AFTER_EVENT = "after_event", "A number of days after an event"


class RecurrenceEvent(models.TextChoices):
    ENROLMENT = "enrolment", "The practice's enrolment"
    STAGE_MOVE = "stage_move", "The practice moving to a stage"


class ChecklistTemplate(ProgramOwned):
    key = models.SlugField(max_length=80, help_text="Short and stable, e.g. privacy-annual.")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    # Empty: suits every sector.
    sector = models.CharField(max_length=30, choices=Sector.choices, blank=True)
    recurrence = models.CharField(
        max_length=12, choices=Recurrence.choices, default=Recurrence.ANNUALLY
    )
    # Quarters and years start in this month (a fiscal year starting in April is 4).
    anchor_month = models.PositiveSmallIntegerField(default=1)
    # For "once" and "after an event": days allowed from the instance opening to its due date.
    due_days = models.PositiveSmallIntegerField(default=30)
    event = models.CharField(max_length=12, choices=RecurrenceEvent.choices, blank=True)
    # For a stage move: the stage moved to (practices.models.Stage); empty for any move.
    event_stage = models.CharField(max_length=30, blank=True)
    # The version new instances are created from; set when the first version is published.
    current_version = models.ForeignKey(
        "compliance.ChecklistVersion",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The pack it was loaded from ("" for a template written by hand).
    source_pack = models.SlugField(max_length=60, blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["program", "key"], name="checklist_template_key"),
            models.CheckConstraint(
                condition=models.Q(anchor_month__gte=1, anchor_month__lte=12),
                name="checklist_template_anchor_month",
            ),
            # An event-driven template names its event; no other kind has one.
            models.CheckConstraint(
                condition=(
                    models.Q(recurrence="after_event") & ~models.Q(event="")
                    | ~models.Q(recurrence="after_event") & models.Q(event="")
                ),
                name="checklist_template_event",
            ),
        ]

    def __str__(self):
        return self.name


class VersionStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class ChecklistVersion(ProgramOwned):
    template = models.ForeignKey(
        ChecklistTemplate, on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveSmallIntegerField()
    status = models.CharField(
        max_length=10, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    change_note = models.CharField("what changed", max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["template", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "template", "number"], name="checklist_version_number"
            ),
        ]

    def __str__(self):
        return f"{self.template} v{self.number}"


class ChecklistSection(ProgramOwned):
    version = models.ForeignKey(ChecklistVersion, on_delete=models.CASCADE, related_name="sections")
    title = models.CharField(max_length=200)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["version", "position", "pk"]

    def __str__(self):
        return self.title


class ResponseType(models.TextChoices):
    DONE = "done", "Done / not done / not applicable"
    YES_NO = "yes_no", "Yes or no"
    DATE = "date", "A date"
    NUMBER = "number", "A number"
    TEXT = "text", "Text"


class Attester(models.TextChoices):
    """Who signs an item off. A practice that has named nobody for a role falls back to its
    practice lead, so a checklist can always be attested."""

    LEAD = "lead", "Practice lead"
    PRIVACY_OFFICER = "privacy_officer", "Privacy officer"
    SAFEGUARDING_LEAD = "safeguarding_lead", "Safeguarding lead"
    IPC_LEAD = "ipc_lead", "Infection prevention and control lead"
    TRUST_ACCOUNT_SIGNATORY = "trust_signatory", "Trust account signatory"


class ChecklistItem(ProgramOwned):
    version = models.ForeignKey(ChecklistVersion, on_delete=models.CASCADE, related_name="items")
    section = models.ForeignKey(ChecklistSection, on_delete=models.CASCADE, related_name="items")
    key = models.SlugField(max_length=80)
    text = models.TextField()
    guidance = models.TextField(blank=True)
    # The regulation or standard the item serves, as people cite it.
    reference = models.CharField(max_length=300, blank=True)
    response_type = models.CharField(
        max_length=10, choices=ResponseType.choices, default=ResponseType.DONE
    )
    # For yes/no items: whether "yes" is the compliant answer ("Is the server room unlocked?" no).
    yes_is_compliant = models.BooleanField(default=True)
    evidence_required = models.BooleanField(default=False)
    attester = models.CharField(max_length=20, choices=Attester.choices, default=Attester.LEAD)
    # Across the whole version, so items read in order without joining their sections.
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["version", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "version", "key"], name="checklist_item_key"
            ),
        ]

    def __str__(self):
        return self.text[:80]
