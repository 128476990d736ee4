"""Needs-assessment instruments (versioned), completed assessments, answers and scores, and the
change library that support plans are drafted from.

An Instrument is the lasting identity ("Primary care practice readiness"); each
InstrumentVersion is one frozen edition of its domains and questions. Publishing freezes a
version; editing a published instrument means a new draft version. Assessments point at the
version they answered, so later edits never change a past assessment or its score.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from psp.tenancy.base import ProgramOwned
from psp.tenancy.models import Sector


class Instrument(ProgramOwned):
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


class AssessmentKind(models.TextChoices):
    BASELINE = "baseline", "Baseline"
    FOLLOW_UP = "follow_up", "Follow-up"


class AssessmentStatus(models.TextChoices):
    OPEN = "open", "Open for answers"
    SUBMITTED = "submitted", "Submitted and scored"


class Assessment(ProgramOwned):
    """One assessment round of a practice against one instrument version."""

    practice = models.ForeignKey(
        "practices.Practice", on_delete=models.CASCADE, related_name="assessments"
    )
    version = models.ForeignKey(
        InstrumentVersion, on_delete=models.PROTECT, related_name="assessments"
    )
    kind = models.CharField(
        max_length=10, choices=AssessmentKind.choices, default=AssessmentKind.BASELINE
    )
    status = models.CharField(
        max_length=10, choices=AssessmentStatus.choices, default=AssessmentStatus.OPEN
    )
    opened_at = models.DateTimeField(default=timezone.now)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    due_on = models.DateField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Stored at submission by the scoring service; never recomputed from a later instrument.
    overall_score = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    achieved_points = models.DecimalField(max_digits=9, decimal_places=3, null=True, blank=True)
    attainable_points = models.DecimalField(max_digits=9, decimal_places=3, null=True, blank=True)

    class Meta:
        ordering = ["-opened_at", "-pk"]
        indexes = [
            models.Index(fields=["program", "practice", "status", "submitted_at"]),
        ]

    def __str__(self):
        return (
            f"{self.get_kind_display()} assessment of {self.practice} ({self.opened_at:%d %b %Y})"
        )

    def get_absolute_url(self):
        return reverse("assessments:detail", kwargs={"program": self.program.slug, "pk": self.pk})


class Response(ProgramOwned):
    """One person's own answers within an assessment round."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="responses")
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assessment_responses"
    )
    started_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["started_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "assessment", "respondent"], name="uniq_response_per_person"
            ),
        ]

    def __str__(self):
        return f"{self.respondent}'s answers to {self.assessment}"


class Answer(ProgramOwned):
    """A respondent's answer to one question. `value` holds, by question kind: an int (scale),
    a bool (yes/no), an option value (single), a list of option values (multiple), a number
    as a string (number), or text. `is_na` marks "not applicable" (value is then null)."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    value = models.JSONField(null=True, blank=True)
    is_na = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["program", "response", "question"], name="uniq_answer_per_question"
            ),
        ]

    def __str__(self):
        return f"Answer to {self.question_id}"


class ConsensusAnswer(ProgramOwned):
    """The agreed answer for the round, recorded by the coach; it is what gets scored."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="consensus_answers"
    )
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    value = models.JSONField(null=True, blank=True)
    is_na = models.BooleanField(default=False)
    note = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["program", "assessment", "question"], name="uniq_consensus_per_question"
            ),
        ]

    def __str__(self):
        return f"Consensus on {self.question_id}"


class DomainScore(ProgramOwned):
    """A domain's score in a submitted assessment, stored at submission."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="domain_scores"
    )
    domain = models.ForeignKey(Domain, on_delete=models.PROTECT, related_name="+")
    domain_key = models.SlugField(max_length=80)
    domain_name = models.CharField(max_length=200)
    position = models.PositiveSmallIntegerField(default=0)
    achieved_points = models.DecimalField(max_digits=9, decimal_places=3)
    attainable_points = models.DecimalField(max_digits=9, decimal_places=3)
    # Null when every scored question of the domain was "not applicable".
    percent = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)

    class Meta:
        ordering = ["assessment", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "assessment", "domain_key"], name="uniq_domain_score"
            ),
        ]

    def __str__(self):
        return f"{self.domain_name}: {self.percent}%"


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
