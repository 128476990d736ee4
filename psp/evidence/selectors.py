"""Reading evidence files: a subject's files (one query, with who uploaded each), several
subjects' files at once (for a list or a transcript), and one file as a person may reach it."""

from collections import defaultdict

from django.db.models import QuerySet

from psp.evidence import registry
from psp.evidence.models import EvidenceFile
from psp.evidence.registry import EvidenceRights


def files_of(*, subject_type: str, subject_id: int) -> QuerySet[EvidenceFile]:
    """A subject's files (not removed), oldest first, with their uploaders."""
    return (
        EvidenceFile.objects.filter(
            subject_type=subject_type, subject_id=subject_id, removed_at__isnull=True
        )
        .select_related("uploaded_by")
        .order_by("uploaded_at", "pk")
    )


def files_of_subjects(*, subject_type: str, subject_ids) -> dict[int, list[EvidenceFile]]:
    """{subject id: its files} for many subjects of one kind, in one query (subjects without
    files are absent). The caller has already limited the ids to subjects the person may read
    (or is the worker making a document)."""
    found: dict[int, list[EvidenceFile]] = defaultdict(list)
    rows = EvidenceFile.objects.filter(
        subject_type=subject_type, subject_id__in=list(subject_ids), removed_at__isnull=True
    ).select_related("uploaded_by")
    for row in rows.order_by("uploaded_at", "pk"):
        found[row.subject_id].append(row)
    return dict(found)


def access_evidence(*, access, pk: int) -> tuple[EvidenceFile, EvidenceRights]:
    """A file the person may read, with their rights on its subject. EvidenceFile.DoesNotExist
    alike for a file that is not there, was removed, belongs to another program, or whose
    subject the person may not read: they are all "not found" to them."""
    row = EvidenceFile.objects.select_related("uploaded_by").get(pk=pk, removed_at__isnull=True)
    rights = registry.rights_for(access, row.subject_type, row.subject_id)
    if not rights.read:
        raise EvidenceFile.DoesNotExist
    return row, rights


def my_uploads(*, user) -> QuerySet[EvidenceFile]:
    """The files a person uploaded in the program in scope and that are still attached, newest
    first."""
    return (
        EvidenceFile.objects.filter(uploaded_by=user, removed_at__isnull=True)
        .select_related("uploaded_by")
        .order_by("-uploaded_at", "-pk")
    )
