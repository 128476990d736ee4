"""Versioned needs-assessment instruments and the change library support plans are drafted from.

An Instrument is the lasting identity ("Primary care practice readiness"); each
InstrumentVersion is one frozen edition of its domains and questions. Publishing freezes a
version; editing a published instrument means a new draft version. Assessments point at the
version they answered, so later edits never change a past assessment or its score.
"""

from django.conf import settings
from django.db import models

from practices import derived
from psp.tenancy.base import ProgramOwned
from psp.tenancy.models import Sector


class Instrument(derived.DerivedSource):
    key = models.SlugField(
        max_length=80, help_text="Stable identifier, e.g. primary-care-readiness."
    )
    name = models.CharField(max_length=200)
    sector = models.CharField(max_length=30, choices=Sector.choices, blank=True)
    description = models.TextField(blank=True)
    cadence_months = models.PositiveSmallIntegerField(
        "follow-up every (months)",
        default=6,
        help_text="A follow-up assessment is due this many months after the last one.",
    )
    weak_threshold = models.PositiveSmallIntegerField(
        "weak domain threshold (%)",
        default=60,
        help_text="Domains scoring below this propose goals for the support plan.",
    )
    source_pack = models.CharField(
        max_length=80, blank=True, help_text="The pack it was loaded from."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    # Its cadence sets every follow-up due date the program's caseload reads.
    practice_path = derived.PROGRAM
    source_fields = ("cadence_months",)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["program", "key"], name="uniq_instrument_key"),
        ]

    def __str__(self):
        return self.name


class VersionStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
    RETIRED = "retired", "Retired"


class InstrumentVersion(ProgramOwned):
    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    status = models.CharField(
        max_length=10, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    change_note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["instrument__name", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "instrument", "number"], name="uniq_instrument_version"
            ),
        ]

    def __str__(self):
        return f"{self.instrument} v{self.number}"

    @property
    def is_frozen(self) -> bool:
        return self.status != VersionStatus.DRAFT


class Domain(ProgramOwned):
    version = models.ForeignKey(InstrumentVersion, on_delete=models.CASCADE, related_name="domains")
    # Stable across versions, so scores and change-library entries can be compared by domain.
    key = models.SlugField(max_length=80)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["version", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["program", "version", "key"], name="uniq_domain_key"),
        ]

    def __str__(self):
        return self.name


class QuestionKind(models.TextChoices):
    SCALE = "scale", "Scale"
    YES_NO = "yes_no", "Yes / no"
    SINGLE = "single", "Single choice"
    MULTIPLE = "multiple", "Multiple choice"
    NUMBER = "number", "Number"
    TEXT = "text", "Free text"


SCORABLE_KINDS = {
    QuestionKind.SCALE,
    QuestionKind.YES_NO,
    QuestionKind.SINGLE,
    QuestionKind.MULTIPLE,
}


class Question(ProgramOwned):
    version = models.ForeignKey(
        InstrumentVersion, on_delete=models.CASCADE, related_name="questions"
    )
    domain = models.ForeignKey(Domain, on_delete=models.CASCADE, related_name="questions")
    key = models.SlugField(max_length=80)
    text = models.TextField()
    help_text = models.TextField(blank=True)
    kind = models.CharField(max_length=10, choices=QuestionKind.choices)
    required = models.BooleanField(default=True)
    scored = models.BooleanField(default=True)
    weight = models.DecimalField(max_digits=5, decimal_places=2, default=1)
    allow_na = models.BooleanField("allow “not applicable”", default=False)
    # Scale questions: the range and a label for each point ({"1": "Not started", ...}).
    scale_min = models.SmallIntegerField(default=1)
    scale_max = models.SmallIntegerField(default=5)
    scale_labels = models.JSONField(default=dict, blank=True)
    # Yes/no questions: whether "yes" is the good answer (some questions are phrased the other way).
    yes_is_positive = models.BooleanField(default=True)
    # Number questions: the accepted range, if any.
    number_min = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    number_max = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    unit = models.CharField(max_length=40, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["version", "domain__position", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["program", "version", "key"], name="uniq_question_key"),
        ]

    def __str__(self):
        return self.text[:80]

    @property
    def is_scored(self) -> bool:
        return self.scored and self.kind in SCORABLE_KINDS


class Option(ProgramOwned):
    """A choice of a single- or multiple-choice question, with the points it earns."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    value = models.SlugField(max_length=80)
    label = models.CharField(max_length=200)
    score = models.DecimalField(max_digits=6, decimal_places=2, default=0)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["question", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "question", "value"], name="uniq_option_value"
            ),
        ]

    def __str__(self):
        return self.label


class ChangeIdea(ProgramOwned):
    """An entry of the program's change library: a goal that strengthens one domain, with the
    actions that usually get it done. Plans are drafted from these for weak domains."""

    instrument = models.ForeignKey(
        Instrument, on_delete=models.CASCADE, related_name="change_ideas"
    )
    domain_key = models.SlugField(max_length=80, help_text="The domain (by key) this goal serves.")
    goal = models.CharField(max_length=300)
    rationale = models.TextField(blank=True)
    suggested_measure = models.CharField(
        max_length=300, blank=True, help_text="How to tell the goal is met, e.g. a target value."
    )
    suggested_actions = models.JSONField(default=list, blank=True)
    kpi_key = models.SlugField(
        max_length=80, blank=True, help_text="The KPI it should move, by key (optional)."
    )
    is_active = models.BooleanField(default=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["instrument", "domain_key", "position", "pk"]
        indexes = [models.Index(fields=["program", "instrument", "domain_key"])]

    def __str__(self):
        return self.goal
