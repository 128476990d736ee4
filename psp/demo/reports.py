"""Demo reports, made as anyone makes them: a practice's lead asked for its report card, the
program admin for another practice's, the manager for the program report and subscribed to it
monthly. Each goes through the reports service (`report_request`) and its task, run here at once
rather than by a worker, so the PDFs exist when seeding ends and each requester has their
"report is ready" notification (recorded as delivered: psp/demo/seed.py).

Like the other builders it only adds what is missing: a person who already asked for a document
is not asked again.
"""

from django.core.exceptions import ImproperlyConfigured

from practices.models import Practice
from psp.demo.common import DemoProgram
from psp.demo.programs import LEGAL, NORTHERN
from psp.outbox.models import OutboxMessage
from psp.reports.models import Frequency, Report, ReportState, ReportSubscription
from psp.reports.services import (
    document_or_error,
    params_from_data,
    report_request,
    subscription_create,
)
from psp.reports.tasks import build_report
from psp.tenancy.access import access_for
from psp.tenancy.models import ProgramMembership, ProgramRole

CARD = "practice_card"
PROGRAM_REPORT = "program_report"

# Whose report card of which practice: the lead's own, and one the admin made of another.
CARDS = {
    NORTHERN: [
        ("amara.okonkwo@northshore-chc.example.org", "Northshore Community Health Centre"),
        ("priya.natarajan@northern-psp.example.org", "Riverside Family Health Team"),
    ],
    LEGAL: [
        ("michael.chen@chenpatel-defence.example.org", "Chen Patel Criminal Defence"),
        ("eleanor.brooks@legal-psp.example.org", "Okafor & Lindqvist Family Law"),
    ],
}


def build(demo: DemoProgram) -> None:
    for email, practice_name in CARDS.get(demo.program.slug, []):
        practice = Practice.objects.filter(name=practice_name).first()
        if practice is not None:
            report_made(demo, email=email, document=CARD, data={"practice": str(practice.pk)})
    manager = (
        ProgramMembership.objects.filter(role=ProgramRole.MANAGER, is_active=True)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    if manager is not None:
        report_made(demo, email=manager.user.email, document=PROGRAM_REPORT, data={})
        _subscribed(demo, manager.user)


def _access(demo: DemoProgram, email: str):
    membership = (
        ProgramMembership.objects.filter(user__email=email, is_active=True)
        .select_related("user")
        .first()
    )
    return access_for(program=demo.program, user=membership.user) if membership else None


def report_made(demo: DemoProgram, *, email: str, document: str, data: dict) -> None:
    """`email` asks for `document` with `data` and the task makes it at once (another demo
    module asks for its documents the same way: psp/demo/cpd_documents.py)."""
    access = _access(demo, email)
    if access is None:
        return
    if Report.objects.filter(requested_by=access.user, document=document).exists():
        return
    params = params_from_data(document_or_error(document), data, access=access)
    report = report_request(
        program=demo.program, access=access, document_code=document, params=params
    )
    # The task as the worker runs it, from its outbox row (which it marks done, so the relay
    # sends nothing when the seed commits).
    message = OutboxMessage.objects.get(key=f"report:{report.pk}")
    build_report(program_id=demo.program.pk, report_id=report.pk, outbox_id=message.pk)
    report.refresh_from_db()
    if report.state != ReportState.DONE:
        raise ImproperlyConfigured(f"The demo's {document} could not be made: {report.error}")
    demo.created["reports made"] += 1


def _subscribed(demo: DemoProgram, user) -> None:
    if ReportSubscription.objects.filter(user=user, document=PROGRAM_REPORT).exists():
        return
    access = access_for(program=demo.program, user=user)
    params = params_from_data(document_or_error(PROGRAM_REPORT), {}, access=access)
    subscription_create(
        program=demo.program,
        access=access,
        document_code=PROGRAM_REPORT,
        params=params,
        frequency=Frequency.MONTHLY,
    )
    demo.created["report subscriptions"] += 1
