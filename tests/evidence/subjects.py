"""A kind of evidence subject for the tests alone (app code registers its own in its
`evidence.py`; nothing here reaches the running site): a person's place in a practice
(PracticeMembership) stands in for a CPD activity, with CPD's rules. The person may read, attach
and remove; whoever reads others' CPD there (cpd.view: admins, managers, the practice's lead)
reads; admins also remove; nobody else learns the record exists. At most 3 files, so the limit
is quick to reach.

Also: the bytes of small files of each type (and of a program that is none of them), an upload
of them, and a file stored directly (for the isolation walk and the permission cells, whose
rows are built without the after-commit write)."""

import hashlib
import struct
import zlib

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from practices.models import PracticeMembership
from psp.evidence.models import EvidenceFile, evidence_path
from psp.evidence.registry import NO_RIGHTS, EvidenceRights, SubjectKind, register_subject
from psp.history.models import SubjectType
from psp.tenancy.permissions import Capability
from psp.tenancy.scope import program_scope
from tests.factories import PracticeMembershipFactory, UserFactory

CODE = "test_record"


def record_rights(access, subject_id: int) -> EvidenceRights:
    row = PracticeMembership.objects.filter(pk=subject_id).values("user_id", "practice_id").first()
    if row is None:
        return NO_RIGHTS
    own = row["user_id"] == access.user.pk
    practice_id = row["practice_id"]
    return EvidenceRights(
        read=own or access.can(Capability.CPD_VIEW, practice_id),
        attach=own,
        remove=own or access.is_admin,
        practice_id=practice_id,
    )


KIND = SubjectKind(
    code=CODE,
    label="test record",
    history_subject=SubjectType.CPD_ACTIVITY,
    rights=record_rights,
    max_files=3,
)


def ensure_test_subject() -> SubjectKind:
    return register_subject(KIND)


def record_of(world, person="staff") -> PracticeMembership:
    """The person's place in world.practice (their test record)."""
    with program_scope(world.program):
        return PracticeMembership.objects.get(user=world.user(person), practice=world.practice)


def other_practice_record(world) -> PracticeMembership:
    """A staff member of world.other_practice (which lead, staff and coach do not reach)."""
    with program_scope(world.program):
        found = PracticeMembership.objects.filter(practice=world.other_practice).first()
        return found or PracticeMembershipFactory(
            program=world.program,
            practice=world.other_practice,
            user=UserFactory(full_name="Lakeside staff"),
            role="staff",
        )


# File contents ------------------------------------------------------------------------------


def pdf_bytes(text: str = "Certificate of attendance") -> bytes:
    return f"%PDF-1.4\n% {text}\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".encode()


def png_bytes() -> bytes:
    """A real 1 x 1 PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x80\x00")
    chunks = chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    return b"\x89PNG\r\n\x1a\n" + chunks


def jpeg_bytes() -> bytes:
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"


def webp_bytes() -> bytes:
    body = b"WEBPVP8 " + struct.pack("<I", 10) + b"\x00" * 10
    return b"RIFF" + struct.pack("<I", len(body)) + body


def exe_bytes() -> bytes:
    return b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48


def upload(name: str, content: bytes, content_type: str = "application/pdf"):
    """As a browser sends it: whatever type it claims (not believed)."""
    return SimpleUploadedFile(name, content, content_type=content_type)


def stored_evidence(world, record, *, name="certificate.pdf", by=None, content=None):
    """A file on `record`, with its bytes on the private storage, as an upload leaves it."""
    content = content if content is not None else pdf_bytes(f"{name} of {world.program.name}")
    with program_scope(world.program):
        row = EvidenceFile(
            program=world.program,
            subject_type=CODE,
            subject_id=record.pk,
            practice_id=record.practice_id,
            original_name=name,
            content_type="application/pdf",
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            label="Certificate",
            uploaded_by=by or record.user,
        )
        row.file.save(evidence_path(world.program.pk, name), ContentFile(content), save=False)
        row.save()
    return row
