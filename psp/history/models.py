"""One line of a record's change history: who changed which field, when, from what to what
(DESIGN.md sections 3 and 9). This is the platform's one history mechanism.

A line is filed under a subject (a support plan, an assessment round, a visit or an action, by
id) so that one page lists the whole history of the subject, including its parts' edits (a
plan's goals and actions, a round's responses and consensus). When the line is about a part of
the subject, `record_type`/`record_id` name that part (the goal or action of a plan), so a part
with a history of its own reads it too: an action's history is the lines filed under the action
itself (its creation, its status moves) and those about it filed under its plan (added, edited,
removed by the plan's editing). A line names the practice the change is about (by id), and is
read through its subject's page, which applies the subject's reach rules. Lines are written by
the services, in the same transaction as the change, and never changed afterwards.

Why our own model rather than django-simple-history: its generated historical models would not
be ProgramOwned (no scoped manager, no program in their uniqueness rules; psp/tenancy/checks.py
refuses such models), it keeps a whole-row snapshot per table, so a subject's history (a plan
with its goals and actions) would need diffing across tables for every page, and the lines kept
before it migrate one to one. Domain events people read as events keep models of their own (a
practice's stage move, an action's status with its reason, ActionStatusChange); an action's
status moves are also lines here, so its history is whole in one place."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from psp.tenancy.base import ProgramOwned

# How a page names a changed field where its key alone would read oddly.
FIELD_LABELS = {
    "measure": "measurable target",
    "due_on": "due date",
    "kpi_key": "KPI",
    "status_note": "note",
    # A visit's fields (coaching/visits/history.py stores them as the visit's page shows them).
    "visit_date": "date",
    "duration_minutes": "duration",
    "travel_minutes": "travel",
    "activities": "minutes by activity",
    "goals": "goals worked on",
    # A PDSA cycle's fields (coaching/pdsa/services.py).
    "what_done": "what was done",
    "result": "what happened",
    "act_notes": "notes on the decision",
    "started_on": "started",
    "studied_on": "studied",
    "ended_on": "ended",
}


class SubjectType(models.TextChoices):
    """What a history is the history of: the page (and endpoint) that lists it."""

    PLAN = "plan", "Support plan"
    ASSESSMENT = "assessment", "Assessment"
    VISIT = "visit", "Visit"
    # An action agreed at a visit may have no plan; every action's own lines are filed here.
    ACTION = "action", "Action"
    # A KPI definition of the program, with its practices' own targets (lines about the program
    # itself carry practice id 0; a practice's target carries that practice's).
    KPI = "kpi", "KPI definition"
    # A practice's value of an entered KPI for one period (kpis/values).
    KPI_VALUE = "kpi_value", "KPI value"
    # CPD (lines about a person's own CPD carry their practice's id, or 0 for someone with none).
    CPD_SCHEME = "cpd_scheme", "CPD scheme"
    CPD_ACTIVITY = "cpd_activity", "CPD activity"
    CPD_OFFERING = "cpd_offering", "Program CPD activity"
    # Compliance: a checklist template (lines carry practice id 0), and one practice's checklist
    # for a period, its answers, evidence and sign-off.
    CHECKLIST_TEMPLATE = "checklist_template", "Checklist template"
    CHECKLIST = "checklist", "Checklist"


class RecordType(models.TextChoices):
    """The part of a subject a line is about, when it is not the subject itself."""

    GOAL = "goal", "Goal"
    ACTION = "action", "Action"
    PDSA = "pdsa", "PDSA cycle"
    # An evidence file attached to a subject (a CPD activity, a checklist item).
    EVIDENCE = "evidence", "Evidence file"
    # One item of a checklist (its answer), filed under the checklist.
    CHECKLIST_ITEM = "checklist_item", "Checklist item"


# Subjects that are also parts of another subject's history: their own history adds the lines
# about them filed under that other subject (an action's edits are filed under its plan).
PART_SUBJECTS = {SubjectType.ACTION: RecordType.ACTION}


class ChangeRecord(ProgramOwned):
    # The practice's id, not a foreign key: the core does not depend on the practices app
    # (DESIGN section 3), and a history is kept as it was written.
    practice_id = models.PositiveBigIntegerField()
    subject_type = models.CharField(max_length=20, choices=SubjectType.choices)
    # An id rather than a foreign key: the history outlives a discarded draft, and one column
    # serves both kinds of subject.
    subject_id = models.PositiveBigIntegerField()
    # The part of the subject the line is about (a plan's goal or action), when it is one.
    record_type = models.CharField(max_length=20, choices=RecordType.choices, blank=True)
    record_id = models.PositiveBigIntegerField(null=True, blank=True)
    what = models.CharField(
        max_length=40, help_text="e.g. plan.edited, goal.added, visit.edited, action.moved."
    )
    summary = models.CharField(max_length=500)
    # {field: [before, after]}, JSON-safe values (dates as ISO strings, people by name).
    changes = models.JSONField(default=dict, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        indexes = [
            models.Index(fields=["program", "subject_type", "subject_id", "changed_at"]),
            # An action's history also reads the lines about it filed under its plan.
            models.Index(
                fields=["program", "record_type", "record_id", "changed_at"],
                name="history_change_record_idx",
                condition=models.Q(record_id__isnull=False),
            ),
        ]

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
