"""Background work of reports: making one (from the outbox), and two periodic jobs that fan out
one task per program: expiring old files, and making the reports people subscribed to."""

from celery import shared_task

from psp.tenancy.models import Program
from psp.tenancy.tasks import program_task


def _report_failed(*, program_id: int, error: str, report_id: int, **ids) -> None:
    from psp.reports.services import report_mark_failed

    program = Program.objects.get(pk=program_id)
    report_mark_failed(program=program, report_id=int(report_id), error=error)


@program_task(on_failure=_report_failed)
def build_report(*, program_id: int, report_id: int) -> int | None:
    from psp.reports import building

    program = Program.objects.get(pk=program_id)
    report = building.build(program=program, report_id=int(report_id))
    return report.pages if report is not None else None


@program_task
def expire_reports(*, program_id: int) -> int:
    from psp.reports.services import reports_expire

    return reports_expire(program=Program.objects.get(pk=program_id))


@program_task
def run_due_subscriptions(*, program_id: int) -> int:
    from psp.reports.services import subscriptions_run_due

    return len(subscriptions_run_due(program=Program.objects.get(pk=program_id)))


@shared_task(name="psp.reports.tasks.expire_all_reports")
def expire_all_reports() -> int:
    """Periodic (beat, nightly): one expiry task per program."""
    program_ids = list(Program.objects.values_list("pk", flat=True))
    for program_id in program_ids:
        expire_reports.apply_async(kwargs={"program_id": program_id})
    return len(program_ids)


@shared_task(name="psp.reports.tasks.run_all_due_subscriptions")
def run_all_due_subscriptions() -> int:
    """Periodic (beat, hourly: each program's day starts at its own midnight): one task per
    program making its subscriptions' reports that are due."""
    program_ids = list(Program.objects.values_list("pk", flat=True))
    for program_id in program_ids:
        run_due_subscriptions.apply_async(kwargs={"program_id": program_id})
    return len(program_ids)
