"""Reading the change history: one selector for every subject's history page and endpoint."""

from django.db.models import Q, QuerySet

from psp.history.models import PART_SUBJECTS, ChangeRecord


def history_of(*, subject_type: str, subject_id: int) -> QuerySet[ChangeRecord]:
    """A subject's whole history, newest first, with who made each change (one query): a plan
    (with its goals and actions), an assessment round, a visit, or an action (the lines filed
    under it and those about it filed under its plan)."""
    about = Q(subject_type=subject_type, subject_id=subject_id)
    if subject_type in PART_SUBJECTS:
        about |= Q(record_type=PART_SUBJECTS[subject_type], record_id=subject_id)
    return (
        ChangeRecord.objects.filter(about)
        .select_related("changed_by")
        .order_by("-changed_at", "-pk")
    )
