"""One line of a record's change history: who changed what, and when (DESIGN.md section 9).

A line belongs to a subject (a support plan or an assessment, by id) so that one page lists the
whole history of the subject, including its parts' edits (a plan's goals and actions, an
assessment's responses and consensus). It names the practice the change is about (by id), and
is read through its subject's page, which applies the subject's reach rules. Lines are written
by the services, in the same transaction as the change, and never changed afterwards."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from psp.tenancy.base import ProgramOwned

# How a page names a changed field where its key alone would read oddly.
FIELD_LABELS = {
    "measure": "measurable target",
    "due_on": "due date",
    "kpi_key": "KPI",
}


class SubjectType(models.TextChoices):
    PLAN = "plan", "Support plan"
    ASSESSMENT = "assessment", "Assessment"


class ChangeRecord(ProgramOwned):
    # The practice's id, not a foreign key: the core does not depend on the practices app
    # (DESIGN section 3), and a history is kept as it was written.
    practice_id = models.PositiveBigIntegerField()
    subject_type = models.CharField(max_length=20, choices=SubjectType.choices)
    # An id rather than a foreign key: the history outlives a discarded draft, and one column
    # serves both kinds of subject.
    subject_id = models.PositiveBigIntegerField()
    what = models.CharField(max_length=40, help_text="e.g. plan.edited, goal.added.")
    summary = models.CharField(max_length=500)
    # {field: [before, after]}, JSON-safe values (dates as ISO strings, people by name).
    changes = models.JSONField(default=dict, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        indexes = [models.Index(fields=["program", "subject_type", "subject_id", "changed_at"])]

    def __str__(self):
        return self.summary

    def field_changes(self) -> list[tuple[str, object, object]]:
        """The field changes as (label, before, after) for a page to list, blanks as None."""
        return [
            (
                FIELD_LABELS.get(field, field.replace("_", " ")),
                _blank_as_none(before),
                _blank_as_none(after),
            )
            for field, (before, after) in (self.changes or {}).items()
        ]


def _blank_as_none(value):
    return None if value in ("", [], {}) else value
