"""Making a report in the worker: queued when asked for, running with its progress on the row,
done with a private file, or failed with the reason; once, whatever happens twice."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from psp.outbox.models import OutboxMessage
from psp.reports import services
from psp.reports.building import ProgressRecorder
from psp.reports.models import Report, ReportState
from psp.reports.tasks import build_report
from psp.tenancy.access import access_for
from psp.tenancy.scope import program_scope
from tests.reports.helpers import ask, fresh

pytestmark = pytest.mark.django_db


def test_a_report_is_queued_at_once_then_made_into_a_private_file(
    world, django_capture_on_commit_callbacks, notices, private_root
):
    report = ask(world, world.lead, django_capture_on_commit_callbacks, run=False)
    assert report.state == ReportState.QUEUED
    assert report.description.startswith(world.practice.name)
    with program_scope(world.program):
        assert OutboxMessage.objects.filter(key=f"report:{report.pk}").count() == 1
        build_report.apply(kwargs={"program_id": world.program.pk, "report_id": report.pk})

    report = fresh(world, report)
    assert report.state == ReportState.DONE
    assert (report.progress, report.pages) == (100, 3)
    path = private_root / report.file.name
    assert path.read_bytes().startswith(b"%PDF")
    assert report.file_size == path.stat().st_size
    # The program's own folder, then a part nobody can guess.
    assert report.file.name.startswith(f"reports/{world.program.pk}/")
    assert len(report.file.name.split("/")[2]) >= 20
    retention = world.program.report_retention_days
    assert report.expires_at == report.finished_at + timedelta(days=retention)

    [(program_id, due)] = notices
    assert program_id == world.program.pk
    assert due.kind == "report_ready"
    assert due.key == f"report_ready:{report.pk}"
    assert due.recipient_id == world.lead.pk
    assert due.title.startswith("Your practice report card for ")
    assert world.practice.name in due.title
    assert due.url == reverse(
        "reports:detail", kwargs={"program": world.program.slug, "pk": report.pk}
    )


def test_the_progress_is_saved_on_the_row_as_the_document_is_built(
    world, django_capture_on_commit_callbacks, renderer
):
    renderer.steps = 100  # a call for every percent

    report = ask(world, world.lead, django_capture_on_commit_callbacks)

    assert fresh(world, report).state == ReportState.DONE
    saved = [value for value in renderer.seen if value]
    # Seen from outside while running: rising, in steps of 5 % at most every call, never 100
    # before the file is stored.
    assert saved == sorted(saved)
    assert len(set(saved)) >= 10
    assert max(saved) < 100
    assert all(value % 5 == 0 for value in saved)


def test_progress_is_saved_at_most_about_once_a_second_between_steps(world, in_program):
    report = Report.objects.create(
        document="practice_card", requested_by=world.lead, state=ReportState.RUNNING
    )
    now = [0.0]
    record = ProgressRecorder(report.pk, clock=lambda: now[0])

    record(1, 100)  # 1 %, no time passed: not worth a write
    assert Report.objects.get(pk=report.pk).progress == 0
    now[0] = 1.5
    record(2, 100)  # a second and a half later: written
    assert Report.objects.get(pk=report.pk).progress == 2
    record(7, 100)  # 5 % more: written at once
    assert Report.objects.get(pk=report.pk).progress == 7


def test_a_failure_marks_the_report_failed_with_the_reason(
    world, django_capture_on_commit_callbacks, renderer, notices, private_root
):
    renderer.error = ValueError("The practice has no assessment to chart")

    report = fresh(world, ask(world, world.lead, django_capture_on_commit_callbacks))

    assert report.state == ReportState.FAILED
    assert report.error == "The practice has no assessment to chart"
    assert not report.file
    assert notices == []
    assert not (private_root / "reports").exists()


def test_running_the_task_again_for_a_done_report_does_nothing(
    world, django_capture_on_commit_callbacks, renderer, notices
):
    report = ask(world, world.lead, django_capture_on_commit_callbacks)
    done = fresh(world, report)

    with program_scope(world.program):
        build_report.apply(kwargs={"program_id": world.program.pk, "report_id": report.pk})

    assert len(renderer.calls) == 1
    assert len(notices) == 1
    again = fresh(world, report)
    assert (again.file.name, again.finished_at) == (done.file.name, done.finished_at)


def test_a_double_submit_makes_one_report(world, django_capture_on_commit_callbacks, renderer):
    first = ask(world, world.lead, django_capture_on_commit_callbacks, run=False)
    second = ask(world, world.lead, django_capture_on_commit_callbacks, run=False)

    assert second.pk == first.pk
    with program_scope(world.program):
        assert Report.objects.count() == 1
        assert OutboxMessage.objects.filter(task=build_report.name).count() == 1
        # A while later the same request is a new report.
        Report.objects.filter(pk=first.pk).update(
            created_at=first.created_at - timedelta(minutes=1)
        )
    third = ask(world, world.lead, django_capture_on_commit_callbacks, run=False)
    assert third.pk != first.pk


@pytest.mark.parametrize(
    ("role", "code", "practice"),
    [
        ("coach", "practice_card", "other_practice"),
        ("lead", "practice_card", "other_practice"),
        ("coach", "program_report", None),
        ("lead", "program_report", None),
        ("staff", "practice_card", "practice"),
    ],
)
def test_a_report_out_of_the_persons_reach_is_refused(world, in_program, role, code, practice):
    access = access_for(program=world.program, user=world.user(role))
    params = {"practice": getattr(world, practice).pk} if practice else {}

    with pytest.raises(PermissionDenied):
        services.report_request(
            program=world.program, access=access, document_code=code, params=params
        )
    assert Report.objects.count() == 0


def test_expiry_deletes_the_file_and_keeps_the_row(
    world, django_capture_on_commit_callbacks, private_root
):
    report = fresh(world, ask(world, world.lead, django_capture_on_commit_callbacks))
    path = private_root / report.file.name
    assert path.exists()

    with program_scope(world.program):
        assert services.reports_expire(program=world.program) == 0  # not yet
        Report.objects.filter(pk=report.pk).update(expires_at=report.finished_at)
        assert services.reports_expire(program=world.program) == 1

    expired = fresh(world, report)
    assert expired.state == ReportState.EXPIRED
    assert not expired.file
    assert not path.exists()


def test_a_notice_cut_short_is_sent_when_the_task_runs_again(
    world, django_capture_on_commit_callbacks, renderer, notices, monkeypatch
):
    import sys

    module = sys.modules["psp.notifications.services"]
    working = module.notify

    def mail_server_away(**kwargs):
        raise ConnectionError("The mail server did not answer")

    monkeypatch.setattr(module, "notify", mail_server_away)
    report = ask(world, world.lead, django_capture_on_commit_callbacks)
    assert fresh(world, report).state == ReportState.DONE  # the file is made all the same
    assert notices == []

    monkeypatch.setattr(module, "notify", working)
    with program_scope(world.program):
        build_report.apply(kwargs={"program_id": world.program.pk, "report_id": report.pk})
        build_report.apply(kwargs={"program_id": world.program.pk, "report_id": report.pk})

    assert len(renderer.calls) == 1  # not made again
    assert [due.key for _, due in notices] == [f"report_ready:{report.pk}"]
