"""Participant feedback on visits.

An invitation names the person asked and can be answered once; the answer is stored apart from
it, with no link back to the person, so nobody (the coach included) can read who said what.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

from coaching.visits.models import Visit  # registered first: feedback hangs off visits
from practices import derived
from psp.tenancy.base import ProgramOwned


class FeedbackInvite(derived.DerivedSource):
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="feedback_invites")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=derived.CASCADE, related_name="feedback_invites"
    )
    created_at = models.DateTimeField(default=timezone.now)
    emailed_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    declined_at = models.DateTimeField(null=True, blank=True)

    # The feedback summary (coaching/feedback/summary.py) counts invitations sent and answered.
    practice_path = "visit__practice"
    source_fields = ("visit", "answered_at")

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "visit", "person"], name="uniq_feedback_invite"
            )
        ]
        indexes = [models.Index(fields=["program", "person", "answered_at"])]

    def __str__(self):
        return f"Feedback on visit {self.visit_id} asked of {self.person}"

    def get_absolute_url(self):
        return reverse("feedback:give", kwargs={"program": self.program_slug(), "pk": self.pk})


class FeedbackResponse(derived.DerivedSource):
    """One anonymous answer. Only the day is kept (not the time), so it cannot be matched to an
    invitation by its timestamp.

    `coach` and `quarter` copy the visit's coach and the quarter of its date, kept by the
    summary's recomputation (coaching/feedback/summary.py), never by hand: they let the results
    read a coach's comments of one quarter from an index instead of joining every visit."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="feedback_responses")
    usefulness = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text="How useful was the visit, from 1 (not at all) to 5 (very).",
    )
    would_recommend = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(0), MaxValueValidator(10)],
        help_text="How likely are you to recommend this support to a colleague, 0 to 10.",
    )
    comment = models.TextField(blank=True)
    submitted_on = models.DateField(default=timezone.localdate)
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    quarter = models.DateField(null=True, blank=True, editable=False)

    practice_path = "visit__practice"
    source_fields = ("visit", "usefulness", "would_recommend", "comment")

    class Meta:
        ordering = ["-submitted_on", "-pk"]
        indexes = [
            # A coach's comments of a quarter, for the results page (only rows with a comment).
            models.Index(
                fields=["program", "coach", "quarter"],
                name="feedback_comment_coach",
                condition=~models.Q(comment=""),
            )
        ]

    def __str__(self):
        return f"Feedback on visit {self.visit_id}"


class FeedbackFigures(ProgramOwned):
    """The counts of a results group that the summary stores (see selectors.Figures)."""

    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    quarter = models.DateField(help_text="The quarter's first day.")
    invites = models.PositiveIntegerField(default=0)
    answered = models.PositiveIntegerField(default=0)
    responses = models.PositiveIntegerField(default=0)
    usefulness_sum = models.PositiveIntegerField(default=0)
    promoters = models.PositiveIntegerField(default=0)
    detractors = models.PositiveIntegerField(default=0)
    comments = models.PositiveIntegerField(default=0)

    FIGURES = ("invites", "answered", "responses", "usefulness_sum", "promoters", "detractors")
    FIGURES += ("comments",)

    class Meta:
        abstract = True


class FeedbackPracticeQuarter(FeedbackFigures):
    """The summary's ledger: feedback on one practice's visits by one coach in one quarter.
    Recomputed per practice; what a practice's rows said before a write tells which coaches'
    quarters (FeedbackQuarter) the write changed, a deleted or moved visit's included."""

    practice = models.ForeignKey("practices.Practice", on_delete=models.CASCADE, related_name="+")

    class Meta:
        indexes = [
            models.Index(fields=["program", "coach", "quarter"], name="feedback_ledger_coach"),
        ]

    def __str__(self):
        return f"{self.practice_id} {self.coach_id} {self.quarter}: {self.responses} answers"


class FeedbackQuarter(FeedbackFigures):
    """What the results page reads: feedback on one coach's visits in one quarter, the sum of
    the ledger's rows. Derived data, never edited by hand. No uniqueness over (coach, quarter):
    deleting a coach sets `coach` to null here as on the visits, and rows that then share a key
    still add up (the results sum them)."""

    class Meta:
        indexes = [models.Index(fields=["program", "quarter", "coach"], name="feedback_quarter")]

    def __str__(self):
        return f"{self.coach_id} {self.quarter}: {self.responses} answers"
