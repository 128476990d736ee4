"""Evidence files: a certificate, an attendance record, a photo of a signed log, attached to a
subject of another app (a CPD activity, a checklist item) by kind and id.

A file is checked before anything is kept (its type from its first bytes, its size: uploads.py),
stored on the private storage (psp/storage.py) under its program's id and a random folder, and
handed out only by the download view, which asks the subject's kind (registry.py) who may read
it. Removing a file is soft: the row stays, marked removed, so the subject's history still says
what was there, by name, size and SHA-256; the bytes themselves are deleted (a file attached by
mistake may be something its owner wants gone)."""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.text import slugify

from psp.evidence.uploads import size_text
from psp.storage import private_storage
from psp.tenancy.base import ProgramOwned


def evidence_path(program_id: int, name: str) -> str:
    """evidence/<program id>/<random>/<name>: the program's own folder, and a part nobody can
    guess, so no path of one program's file can be made from another's. The name on disk is
    plain ASCII; the name people gave is kept on the row."""
    stem, _, extension = name.rpartition(".")
    stem = slugify(stem)[:80] or "evidence"
    return f"evidence/{program_id}/{secrets.token_urlsafe(16)}/{stem}.{extension.lower()}"


class EvidenceFile(ProgramOwned):
    # The subject, by its kind's code (registry.py) and id: an id rather than a foreign key, so
    # the core depends on no app, and one table serves every kind.
    subject_type = models.CharField(max_length=40)
    subject_id = models.PositiveBigIntegerField()
    # The subject's practice (0 for none), as the history lines about the file carry it.
    practice_id = models.PositiveBigIntegerField(default=0)
    original_name = models.CharField(max_length=160, help_text="As given, made safe.")
    # The type read from the file's first bytes, never the one the browser claimed.
    content_type = models.CharField(max_length=40)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    file = models.FileField(storage=private_storage, max_length=300)
    label = models.CharField(
        max_length=60, help_text="What the file is, as chosen on upload: e.g. Certificate."
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["uploaded_at", "pk"]
        indexes = [
            models.Index(
                fields=["program", "subject_type", "subject_id"], name="evidence_subject_idx"
            ),
            models.Index(
                fields=["program", "uploaded_by", "-uploaded_at"], name="evidence_uploader_idx"
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["program", "file"], name="evidence_one_row_per_file")
        ]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_removed(self) -> bool:
        return self.removed_at is not None

    @property
    def size_text(self) -> str:
        return size_text(self.size)
