"""Attaching and removing evidence files (psp/evidence/services.py): all or none, every problem
named, the bytes written only once the row is committed, removal kept in the history."""

import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from psp.evidence import services
from psp.evidence.models import EvidenceFile
from psp.history.models import RecordType, SubjectType
from psp.history.selectors import history_of
from psp.tenancy.scope import program_scope
from tests.evidence.helpers import attach
from tests.evidence.subjects import (
    CODE,
    exe_bytes,
    jpeg_bytes,
    pdf_bytes,
    png_bytes,
    record_of,
    upload,
)


@pytest.fixture
def record(world):
    return record_of(world)


def _files(private_root) -> list:
    return sorted(p for p in private_root.rglob("*") if p.is_file())


def _lines(world, record) -> list:
    with program_scope(world.program):
        return list(history_of(subject_type=SubjectType.CPD_ACTIVITY, subject_id=record.pk))


def test_a_certificate_is_attached_with_what_it_is_and_stored_privately(
    world, record, private_root, django_capture_on_commit_callbacks
):
    content = pdf_bytes()
    (row,) = attach(
        world,
        record,
        upload("Certificate of attendance.pdf", content, "text/plain"),
        capture=django_capture_on_commit_callbacks,
    )
    assert (row.original_name, row.content_type, row.label) == (
        "Certificate of attendance.pdf",
        "application/pdf",
        "Certificate",
    )
    assert (row.size, row.sha256) == (len(content), hashlib.sha256(content).hexdigest())
    assert (row.subject_type, row.subject_id, row.practice_id) == (
        CODE,
        record.pk,
        world.practice.pk,
    )
    assert row.uploaded_by == world.staff and row.stored
    (stored,) = _files(private_root)
    assert stored.read_bytes() == content
    assert stored.relative_to(private_root).parts[:2] == ("evidence", str(world.program.pk))
    assert row.file.name == stored.relative_to(private_root).as_posix()


def test_the_attachment_is_a_line_in_the_subjects_history(world, record):
    (row,) = attach(world, record, upload("scan.pdf", pdf_bytes()))
    (line,) = _lines(world, record)
    assert (line.record_type, line.record_id, line.what) == (
        RecordType.EVIDENCE,
        row.pk,
        "evidence.attached",
    )
    assert line.summary.startswith("Attached evidence: scan.pdf (Certificate, ")
    assert line.practice_id == world.practice.pk and line.changed_by == world.staff


def test_nothing_is_written_before_the_commit(world, record, private_root):
    attach(world, record)  # the test's transaction never commits
    assert _files(private_root) == []


def test_a_rolled_back_attachment_leaves_no_row_and_no_file(
    world, record, private_root, django_capture_on_commit_callbacks
):
    class CallerFailed(Exception):
        pass

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(CallerFailed),
        transaction.atomic(),
    ):
        attach(world, record, upload("scan.pdf", pdf_bytes()))
        raise CallerFailed  # the caller's own work fails after the attachment
    assert callbacks == []
    assert _files(private_root) == []
    with program_scope(world.program):
        assert not EvidenceFile.objects.exists()
    assert _lines(world, record) == []


def test_one_bad_file_stops_them_all_and_each_problem_is_named(world, record, private_root):
    with pytest.raises(ValidationError) as refused:
        attach(
            world,
            record,
            upload("certificate.pdf", pdf_bytes()),
            upload("certificate.exe", exe_bytes()),
            upload("empty.pdf", b""),
        )
    assert refused.value.message_dict["files"] == [
        "certificate.exe is not a PDF or image: send a PDF, PNG, JPEG or WebP file.",
        "empty.pdf is empty.",
    ]
    with program_scope(world.program):
        assert not EvidenceFile.objects.exists()
    assert _files(private_root) == []


def test_a_file_over_the_size_limit_is_refused_with_its_size(world, record, settings):
    settings.PSP_EVIDENCE_MAX_BYTES = 1024 * 1024
    big = pdf_bytes() + b"0" * (2 * 1024 * 1024)
    with pytest.raises(ValidationError) as refused:
        attach(world, record, upload("scan.pdf", big))
    assert refused.value.message_dict["files"] == ["scan.pdf is 2 MB; the limit is 1 MB."]


def test_a_subject_holds_at_most_its_kinds_number_of_files(world, record):
    attach(world, record, upload("one.pdf", pdf_bytes("1")), upload("two.png", png_bytes()))
    with pytest.raises(ValidationError) as refused:
        attach(world, record, upload("three.pdf", pdf_bytes("3")), upload("four.jpg", jpeg_bytes()))
    assert refused.value.message_dict["files"] == [
        "This test record has 2 files and can have at most 3: add at most 1 more."
    ]
    attach(world, record, upload("three.pdf", pdf_bytes("3")))
    with pytest.raises(ValidationError) as refused:
        attach(world, record, upload("four.jpg", jpeg_bytes()))
    assert refused.value.message_dict["files"] == [
        "This test record already has 3 files, the most it can have: remove one before adding "
        "another."
    ]


def test_a_removed_file_frees_its_place(world, record):
    rows = attach(world, record, *(upload(f"{n}.pdf", pdf_bytes(str(n))) for n in range(3)))
    with program_scope(world.program):
        services.evidence_remove(program=world.program, by=world.staff, evidence=rows[0])
    assert len(attach(world, record, upload("again.png", png_bytes()))) == 1


def test_the_same_file_is_not_attached_twice(world, record):
    attach(world, record, upload("scan.pdf", pdf_bytes()))
    with pytest.raises(ValidationError) as refused:
        attach(world, record, upload("scan (1).pdf", pdf_bytes()))
    assert refused.value.message_dict["files"] == [
        "scan (1).pdf is already attached (as scan.pdf)."
    ]


def test_the_label_must_be_one_the_kind_offers(world, record):
    with pytest.raises(ValidationError) as refused:
        attach(world, record, label="Selfie")
    assert refused.value.message_dict["label"] == [
        "Choose what the file is: Certificate, Attendance record, Other."
    ]


def test_no_files_is_refused(world, record):
    with pytest.raises(ValidationError) as refused, program_scope(world.program):
        services.evidence_attach_many(
            program=world.program,
            by=world.staff,
            subject_type=CODE,
            subject_id=record.pk,
            practice_id=record.practice_id,
            uploads=[],
            label="Certificate",
        )
    assert refused.value.message_dict["files"] == ["Choose a file to upload."]


def test_a_kind_nobody_registered_takes_nothing(world, record):
    refusal = "Nothing of the kind 'poster' takes evidence"
    with pytest.raises(ValidationError, match=refusal), program_scope(world.program):
        services.evidence_attach(
            program=world.program,
            by=world.staff,
            subject_type="poster",
            subject_id=record.pk,
            practice_id=0,
            upload=upload("a.pdf", pdf_bytes()),
            label="Other",
        )


def test_removal_keeps_the_row_and_the_history_and_deletes_the_bytes(
    world, record, private_root, django_capture_on_commit_callbacks
):
    (row,) = attach(world, record, capture=django_capture_on_commit_callbacks)
    with program_scope(world.program), django_capture_on_commit_callbacks(execute=True):
        services.evidence_remove(program=world.program, by=world.admin, evidence=row)
    with program_scope(world.program):
        row.refresh_from_db()
    assert row.removed_at is not None and row.removed_by == world.admin
    assert _files(private_root) == []
    lines = _lines(world, record)
    assert [line.what for line in lines] == ["evidence.removed", "evidence.attached"]
    removed = lines[0]
    assert removed.summary == "Removed evidence: certificate.pdf (Certificate)"
    assert removed.changes == {"file": ["certificate.pdf", None]}
    assert removed.changed_by == world.admin


def test_a_file_is_removed_once(world, record):
    (row,) = attach(world, record)
    with program_scope(world.program):
        services.evidence_remove(program=world.program, by=world.staff, evidence=row)
        with pytest.raises(ValidationError, match="certificate.pdf was already removed"):
            services.evidence_remove(program=world.program, by=world.staff, evidence=row)


def test_a_file_the_storage_cannot_write_is_not_left_attached(
    world, record, monkeypatch, django_capture_on_commit_callbacks
):
    class FullDisk:
        def save(self, name, content, max_length=None):
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(services, "private", FullDisk())
    (row,) = attach(world, record, capture=django_capture_on_commit_callbacks)
    assert not row.stored
    with program_scope(world.program):
        assert EvidenceFile.objects.get(pk=row.pk).removed_at is not None
    assert [line.what for line in _lines(world, record)] == [
        "evidence.not_stored",
        "evidence.attached",
    ]
    outcome = services.outcome([row])
    assert outcome.failed == [row] and outcome.attached == []
