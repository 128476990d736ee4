"""Assessment rounds: a practice's answers to one instrument version, each person's own, the
agreed (consensus) answers, and the scores stored when the round is submitted."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from assessments.instruments.models import Domain, InstrumentVersion, Question
from practices import derived
from psp.tenancy.base import ProgramOwned


class AssessmentKind(models.TextChoices):
    BASELINE = "baseline", "Baseline"
    FOLLOW_UP = "follow_up", "Follow-up"


class AssessmentStatus(models.TextChoices):
    OPEN = "open", "Open for answers"
    SUBMITTED = "submitted", "Submitted and scored"


class Assessment(derived.DerivedSource):
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

    # Derived data (the caseload's follow-up due date) reads the practice's submitted rounds.
    practice_path = "practice"

    class Meta:
        ordering = ["-opened_at", "-pk"]
        indexes = [
            models.Index(fields=["program", "practice", "status", "submitted_at"]),
            # The API's cursor order (psp/api/pagination.py): latest opened first, then id.
            models.Index(fields=["program", "opened_at", "id"], name="assessment_by_opened"),
        ]

    def __str__(self):
        return (
            f"{self.get_kind_display()} assessment of {self.practice} ({self.opened_at:%d %b %Y})"
        )

    def get_absolute_url(self):
        return reverse("assessments:detail", kwargs={"program": self.program_slug(), "pk": self.pk})


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
