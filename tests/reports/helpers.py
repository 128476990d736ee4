"""Asking for reports in tests, as a person of the world would."""

from psp.reports import services
from psp.reports.models import Report
from psp.tenancy.access import access_for
from psp.tenancy.scope import program_scope


def ask(world, user, capture, code="practice_card", params=None, *, run=True) -> Report:
    """`user` asks for a report; with `run`, the worker makes it when the request commits."""
    if params is None:
        params = {"practice": world.practice.pk} if code == "practice_card" else {}
    with program_scope(world.program), capture(execute=run):
        access = access_for(program=world.program, user=user)
        document = services.document_or_error(code)
        params = services.params_from_data(document, params, access=access)
        report = services.report_request(
            program=world.program, access=access, document_code=code, params=params
        )
    with program_scope(world.program):
        return Report.objects.get(pk=report.pk)


def fresh(world, report) -> Report:
    with program_scope(world.program):
        return Report.objects.get(pk=report.pk)


def pdf_of(response) -> bytes:
    """A streamed answer's bytes (reading it to the end closes its file)."""
    return b"".join(response.streaming_content)
