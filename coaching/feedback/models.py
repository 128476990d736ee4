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
from psp.tenancy.base import ProgramOwned


class FeedbackInvite(ProgramOwned):
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="feedback_invites")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feedback_invites"
    )
    created_at = models.DateTimeField(default=timezone.now)
    emailed_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    declined_at = models.DateTimeField(null=True, blank=True)

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


class FeedbackResponse(ProgramOwned):
    """One anonymous answer. Only the day is kept (not the time), so it cannot be matched to an
    invitation by its timestamp."""

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

    class Meta:
        ordering = ["-submitted_on", "-pk"]

    def __str__(self):
        return f"Feedback on visit {self.visit_id}"
