"""Attaching files in tests: through the service, with the after-commit write run as a commit
would run it."""

from psp.evidence import services
from psp.tenancy.scope import program_scope
from tests.evidence.subjects import CODE, pdf_bytes, upload


def attach(world, record, *files, by=None, label="Certificate", capture=None):
    """Attach `files` (uploads; one PDF by default) to `record` as its owner. `capture` is
    pytest-django's django_capture_on_commit_callbacks: given, the bytes are written."""
    files = files or (upload("certificate.pdf", pdf_bytes()),)
    with program_scope(world.program):
        call = dict(
            program=world.program,
            by=by or record.user,
            subject_type=CODE,
            subject_id=record.pk,
            practice_id=record.practice_id,
            uploads=list(files),
            label=label,
        )
        if capture is None:
            return services.evidence_attach_many(**call)
        with capture(execute=True):
            return services.evidence_attach_many(**call)
