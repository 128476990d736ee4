"""Reads of reports: a person's own reports and subscriptions. Nobody sees anyone else's report,
whatever their role: a report is found only among its requester's."""

from psp.reports import registry
from psp.reports.models import Report, ReportState, ReportSubscription
from psp.tenancy.permissions import Capability

# The capabilities of the practice and program documents (the "Reports" link of the navigation).
REPORT_CAPABILITIES = (Capability.REPORT_PRACTICE, Capability.REPORT_PROGRAM)


def report_capabilities() -> tuple[Capability, ...]:
    """The capabilities of every registered document: a person holding any of them has a
    "My reports" page (practice staff too, for their own CPD transcript and certificate)."""
    found = dict.fromkeys(REPORT_CAPABILITIES)
    found.update(dict.fromkeys(document.capability for document in registry.documents()))
    return tuple(found)


def may_have_reports(access) -> bool:
    return any(access.can(capability) for capability in report_capabilities())


def my_reports(*, user):
    """The person's reports in the program in scope, newest first (nothing to join: the list
    shows each report's own columns)."""
    return Report.objects.filter(requested_by=user).order_by("-created_at", "-pk")


def my_report(*, user, pk: int) -> Report:
    """One of the person's own reports (Report.DoesNotExist for anyone else's)."""
    return my_reports(user=user).get(pk=pk)


def my_subscriptions(*, user):
    return ReportSubscription.objects.filter(user=user, active=True).order_by("-created_at", "-pk")


def status_text(report: Report) -> str:
    """The state as a person reads it: "Queued", "Running: 40 %", "Done, 3 pages"..."""
    if report.state == ReportState.RUNNING:
        return f"Running: {report.progress} %"
    if report.state == ReportState.DONE:
        pages = report.pages or 0
        return f"Done, {pages} page{'' if pages == 1 else 's'}"
    if report.state == ReportState.FAILED:
        return f"Failed: {report.error or 'the report could not be made'}"
    if report.state == ReportState.EXPIRED:
        return "Expired: its file was deleted after the program's retention period"
    return "Queued"
