"""Making one report in the worker: render the document's PDF into a temporary file while
saving the progress on the report's row, store the file privately, mark it done, tell the
requester.

The rendering (psp/reports/rendering.py) and the notification (psp/notifications/services.py)
are reached through the two small functions below, so the worker's side of a report depends on
their signatures only."""

import tempfile
import time
from datetime import timedelta

from django.core.files import File
from django.urls import reverse
from django.utils import timezone

from psp.reports import registry
from psp.reports.models import Report, ReportState

# Progress is saved at most about once a second, or sooner after a step of 5 percent, each in
# its own small UPDATE outside any transaction, so the status page can read it at once.
PROGRESS_EVERY_SECONDS = 1.0
PROGRESS_STEP = 5


def render_pdf(*, document, program, params: dict, out, progress, report_id=None) -> int:
    """Write the document's PDF to `out`; returns its page count."""
    from psp.reports.rendering import render_pdf as render

    return render(
        document=document,
        program=program,
        params=params,
        out=out,
        progress=progress,
        report_id=report_id,
    )


def notify_ready(*, program, report: Report, document) -> None:
    """The requester's (or subscriber's) "your report is ready" notification, with a link to
    the report's status page (where the download is)."""
    from psp.notifications.registry import Due
    from psp.notifications.services import notify

    url = reverse("reports:detail", kwargs={"program": program.slug, "pk": report.pk})
    notify(
        program=program,
        due=Due(
            kind="report_ready",
            key=f"report_ready:{report.pk}",
            recipient_id=report.requested_by_id,
            # Mid-sentence: "Your practice report card for …".
            title=f"Your {document.title[:1].lower()}{document.title[1:]} for "
            f"{report.description} is ready",
            url=url,
            body=f"{report.pages} page{'' if report.pages == 1 else 's'}, kept for "
            f"{program.report_retention_days} days.",
            practice_id=_practice_id(document, report.params),
        ),
    )


def _practice_id(document, params: dict) -> int | None:
    if document.subject == "practice" and params.get("practice") is not None:
        return int(params["practice"])
    return None


class ProgressRecorder:
    """The `progress(done, total)` a rendering calls as it goes."""

    def __init__(self, report_id: int, clock=time.monotonic):
        self.report_id = report_id
        self.clock = clock
        self.saved = 0
        self.saved_at = clock()

    def __call__(self, done: int, total: int) -> None:
        # 100 % is for a report that is done (stored), not merely rendered.
        percent = max(0, min(99, int(100 * done / total))) if total else 0
        if percent <= self.saved:
            return
        now = self.clock()
        if percent - self.saved < PROGRESS_STEP and now - self.saved_at < PROGRESS_EVERY_SECONDS:
            return
        Report.objects.filter(pk=self.report_id, state=ReportState.RUNNING).update(progress=percent)
        self.saved, self.saved_at = percent, now


class UnknownDocument(Exception):
    pass


def build(*, program, report_id: int) -> Report | None:
    """Make the report (the program is in scope). A report already made (or expired) is left
    as it is: a task delivered twice finds its work done. Only its notice is asked for again,
    which records nothing new when it was sent (its key), and sends it when an error cut the
    first run short between storing the file and telling the requester."""
    report = Report.objects.filter(pk=report_id).first()
    if report is None or report.state == ReportState.EXPIRED:
        return None
    if report.state == ReportState.DONE:
        made = {document.code: document for document in registry.documents()}
        if report.document in made:  # a document no longer made has nothing to announce
            notify_ready(program=program, report=report, document=made[report.document])
        return None
    try:
        document = registry.document(report.document)
    except KeyError:
        raise UnknownDocument(f"This installation no longer makes “{report.document}”.") from None
    Report.objects.filter(pk=report.pk).update(
        state=ReportState.RUNNING, started_at=timezone.now(), progress=0, error=""
    )
    with tempfile.TemporaryFile(suffix=".pdf") as out:
        pages = render_pdf(
            document=document,
            program=program,
            params=report.params,
            out=out,
            progress=ProgressRecorder(report.pk),
            report_id=report.pk,
        )
        out.flush()
        size = out.seek(0, 2)
        out.seek(0)
        if report.file:  # an earlier attempt's file, stored before it was cut short
            report.file.delete(save=False)
        report.file.save(report.download_name(), File(out), save=False)
    finished = timezone.now()
    report.state = ReportState.DONE
    report.progress = 100
    report.file_size = size
    report.pages = pages
    report.finished_at = finished
    report.expires_at = finished + timedelta(days=program.report_retention_days)
    report.save(
        update_fields=[
            "state",
            "progress",
            "file",
            "file_size",
            "pages",
            "finished_at",
            "expires_at",
        ]
    )
    notify_ready(program=program, report=report, document=document)
    return report
