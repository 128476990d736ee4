"""Reading the change history."""

from django.db.models import QuerySet

from psp.history.models import ChangeRecord


def history_of(*, subject_type: str, subject_id: int) -> QuerySet[ChangeRecord]:
    """A subject's whole history, newest first, with who made each change (one query)."""
    return (
        ChangeRecord.objects.filter(subject_type=subject_type, subject_id=subject_id)
        .select_related("changed_by")
        .order_by("-changed_at", "-pk")
    )
