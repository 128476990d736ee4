"""Attaching and removing evidence files.

Callers check the person's rights first (registry.rights_for, or the page and API pieces of this
app, which do); these functions enforce what holds whoever asks: every file checked
(uploads.py), a label the subject's kind offers, at most its number of files, no file twice.

A file's bytes are written after the transaction that saved its row has committed, never before:
a rollback (of this call or of the caller's larger transaction) leaves no file behind, and the
row and its history line are only ever seen with their file. Should the write itself fail after
commit (a full disk), the row is marked removed with a history line saying why, so no row is
ever left pointing at nothing; the returned rows say which were stored (`stored`).
"""

import hashlib
import logging
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from psp.evidence import registry
from psp.evidence.models import EvidenceFile, evidence_path
from psp.evidence.uploads import CheckedUpload, check_uploads, size_text
from psp.history.models import RecordType
from psp.history.services import record_change
from psp.storage import private
from psp.tenancy.base import ensure_in_program

logger = logging.getLogger(__name__)


def evidence_attach(
    *, program, by, subject_type: str, subject_id: int, practice_id: int, upload, label: str
) -> EvidenceFile:
    """Attach one file to a subject (a ValidationError keyed `files` or `label` otherwise)."""
    (attached,) = evidence_attach_many(
        program=program,
        by=by,
        subject_type=subject_type,
        subject_id=subject_id,
        practice_id=practice_id,
        uploads=[upload],
        label=label,
    )
    return attached


@transaction.atomic
def evidence_attach_many(
    *, program, by, subject_type: str, subject_id: int, practice_id: int, uploads, label: str
) -> list[EvidenceFile]:
    """Attach several files at once, all or none: every problem with any of them is named."""
    kind = _kind(subject_type)
    checked, problems = check_uploads(uploads, keep=True)
    if not uploads:
        problems.append("Choose a file to upload.")
    _lock_subject(program.pk, subject_type, subject_id)
    attached = EvidenceFile.objects.filter(
        subject_type=subject_type, subject_id=subject_id, removed_at__isnull=True
    )
    problems += _duplicates(checked, dict(attached.values_list("sha256", "original_name")))
    problems += _over_limit(kind, attached.count(), len(uploads))
    errors = {"files": problems} if problems else {}
    if label not in kind.labels:
        errors["label"] = [f"Choose what the file is: {', '.join(kind.labels)}."]
    if errors:
        raise ValidationError(errors)
    rows = [
        _attach_one(
            program=program,
            by=by,
            kind=kind,
            subject_id=subject_id,
            practice_id=practice_id,
            upload=upload,
            label=label,
        )
        for upload in checked
    ]
    if kind.on_attached is not None:
        kind.on_attached(program=program, by=by, subject_id=subject_id, rows=rows)
    transaction.on_commit(lambda: _store(rows, checked))
    return rows


@transaction.atomic
def evidence_remove(*, program, by, evidence: EvidenceFile) -> EvidenceFile:
    """Take a file off its subject: the row stays, marked removed, with a line in the subject's
    history; its bytes are deleted once that is committed."""
    ensure_in_program(program, evidence)
    kind = _kind(evidence.subject_type)
    row = EvidenceFile.objects.select_for_update().get(pk=evidence.pk)
    if row.is_removed:
        raise ValidationError(f"{row.original_name} was already removed.")
    row.removed_at, row.removed_by = timezone.now(), by
    row.save(update_fields=["removed_at", "removed_by"])
    summary = f"Removed evidence: {row.original_name} ({row.label})"
    _history(row, kind, by=by, what="evidence.removed", summary=summary, before=row.original_name)
    if kind.on_removed is not None:
        kind.on_removed(program=program, by=by, subject_id=row.subject_id, row=row)
    name = row.file.name
    transaction.on_commit(lambda: _delete_bytes(name))
    return row


# Helpers ----------------------------------------------------------------------------------------


def _kind(subject_type: str) -> registry.SubjectKind:
    try:
        return registry.subject_kind(subject_type)
    except KeyError:
        raise ValidationError(f"Nothing of the kind {subject_type!r} takes evidence.") from None


def _lock_subject(program_id: int, subject_type: str, subject_id: int) -> None:
    """One upload at a time per subject, so two at once cannot both pass the file limit. SQLite
    (the embedded mode) already runs one writing transaction at a time."""
    if connection.vendor != "postgresql":
        return
    name = f"evidence:{program_id}:{subject_type}:{subject_id}"
    key = hashlib.blake2b(name.encode(), digest_size=8)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(%s)", [int.from_bytes(key.digest(), "big", signed=True)]
        )


def _duplicates(checked: list[CheckedUpload], attached: dict[str, str]) -> list[str]:
    problems, seen = [], dict(attached)
    for upload in checked:
        if upload.sha256 in seen:
            problems.append(f"{upload.given_name} is already attached (as {seen[upload.sha256]}).")
        seen.setdefault(upload.sha256, upload.name)
    return problems


def _over_limit(kind: registry.SubjectKind, count: int, adding: int) -> list[str]:
    limit = kind.max_files
    if count + adding <= limit:
        return []
    if count >= limit:
        return [
            f"This {kind.label} already has {count} files, the most it can have: remove one "
            "before adding another."
        ]
    room = limit - count
    return [
        f"This {kind.label} has {count} file{'s' if count != 1 else ''} and can have at most "
        f"{limit}: add at most {room} more."
    ]


def _attach_one(*, program, by, kind, subject_id, practice_id, upload: CheckedUpload, label):
    row = EvidenceFile(
        program=program,
        subject_type=kind.code,
        subject_id=subject_id,
        practice_id=practice_id or 0,
        original_name=upload.name,
        content_type=upload.content_type,
        size=upload.size,
        sha256=upload.sha256,
        label=label,
        uploaded_by=by,
    )
    row.file.name = evidence_path(program.pk, upload.name)
    row.save()
    row.stored = None  # not yet: its bytes are written after commit (True, or False if that failed)
    summary = f"Attached evidence: {row.original_name} ({label}, {size_text(row.size)})"
    _history(row, kind, by=by, what="evidence.attached", summary=summary, after=row.original_name)
    return row


def _history(row, kind, *, by, what: str, summary: str, before=None, after=None) -> None:
    record_change(
        program=row.program,
        practice=row.practice_id,
        subject_type=kind.history_subject,
        subject_id=kind.history_id(row.subject_id) if kind.history_id else row.subject_id,
        record_type=RecordType.EVIDENCE,
        record_id=row.pk,
        what=what,
        summary=summary,
        changes={"file": [before, after]},
        by=by,
    )


def _store(rows: list[EvidenceFile], checked: list[CheckedUpload]) -> None:
    for row, upload in zip(rows, checked, strict=True):
        try:
            saved = private.save(row.file.name, upload.file)
        except Exception:  # a full disk, a storage that refused: the row must not stay
            logger.exception("Evidence file %s (id %s) could not be stored", row.file.name, row.pk)
            row.stored = False
            _unstored(row)
            continue
        finally:
            upload.file.close()
        if saved != row.file.name:  # the storage chose another name; keep what it chose
            EvidenceFile.all_programs.filter(pk=row.pk).update(file=saved)
            row.file.name = saved
        row.stored = True


@transaction.atomic
def _unstored(row: EvidenceFile) -> None:
    row.removed_at = timezone.now()
    EvidenceFile.all_programs.filter(pk=row.pk).update(removed_at=row.removed_at)
    kind = registry.subject_kind(row.subject_type)
    summary = f"{row.original_name} could not be stored, so it is not attached: try again"
    _history(
        row, kind, by=None, what="evidence.not_stored", summary=summary, before=row.original_name
    )


def _delete_bytes(name: str) -> None:
    try:
        private.delete(name)
    except OSError:  # the row already says it was removed; the bytes go with the next clean-up
        logger.exception("Removed evidence file %s could not be deleted", name)


@dataclass(frozen=True)
class Outcome:
    """What an upload from a page or the API did, for its message."""

    attached: list[EvidenceFile]
    failed: list[EvidenceFile]  # could not be stored, so not attached after all


def outcome(rows: list[EvidenceFile]) -> Outcome:
    """Call once the transaction that attached `rows` has ended. Inside a larger transaction
    (the caller's own) their bytes are still to be written: they count as attached."""
    return Outcome(
        attached=[row for row in rows if getattr(row, "stored", None) is not False],
        failed=[row for row in rows if getattr(row, "stored", None) is False],
    )
