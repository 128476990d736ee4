"""The program's background tasks page (/p/<program>/tasks/): what failed and why, what waits
to be tried again, and "Try again"; never another program's tasks."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from psp.outbox.models import OutboxMessage, OutboxState
from psp.tenancy.scope import program_scope
from tests.outbox.tasks_for_tests import note_visit_summary, report_with_a_bug, runs
from tests.tenancy.builders import failed_task

pytestmark = pytest.mark.django_db


def _tasks_url(world) -> str:
    return reverse("tasks:list", kwargs={"program": world.program.slug})


def _retry_url(world, message) -> str:
    return reverse("tasks:retry", kwargs={"program": world.program.slug, "pk": message.pk})


def _task(world, task, state, *, note="Roles chart", attempts=1, error="", by=None):
    with program_scope(world.program):
        return OutboxMessage.objects.create(
            task=task.name if hasattr(task, "name") else task,
            kwargs={"note": note},
            state=state,
            attempts=attempts,
            error=error,
            requested_by=by,
        )


def test_a_failed_task_shows_what_it_was_who_asked_and_why(client, world):
    with program_scope(world.program):
        failed_task(world)
    waiting = _task(
        world,
        note_visit_summary,
        OutboxState.PENDING,
        error="ConnectionError: mail server unreachable",
    )
    _task(world, note_visit_summary, OutboxState.DONE, note="Done already")
    client.force_login(world.admin)

    page = client.get(_tasks_url(world))

    html = page.content.decode()
    assert page.status_code == 200
    assert "Invitation email" in html
    assert world.admin.full_name in html
    assert f"SMTPRecipientsRefused: invitee@{world.program.slug}.example.org" in html
    assert "ConnectionError: mail server unreachable" in html
    assert "Waiting to retry" in html
    assert "Note visit summary" in html  # an unknown task reads as its own name
    assert [t.pk for t in page.context["tasks"]][0] == waiting.pk  # newest first
    assert len(page.context["tasks"]) == 2  # the done task is not listed
    assert html.count(">Try again<") == 2


def test_with_nothing_failed_the_page_says_every_task_ran(client, world):
    _task(world, note_visit_summary, OutboxState.DONE)
    client.force_login(world.admin)

    page = client.get(_tasks_url(world))

    assert "All background tasks ran" in page.content.decode()


def test_try_again_sends_a_failed_task_again_and_it_runs(
    client, world, django_capture_on_commit_callbacks
):
    message = _task(
        world, note_visit_summary, OutboxState.FAILED, attempts=8, error="TimeoutError: SMTP"
    )
    client.force_login(world.admin)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_retry_url(world, message))

    assert response.status_code == 302
    row = OutboxMessage.all_programs.get(pk=message.pk)
    assert (row.state, row.attempts, row.error) == (OutboxState.DONE, 1, "")
    assert runs == [(world.program.pk, "Roles chart", world.program.pk)]
    page = client.get(response["Location"])
    assert "Note visit summary: sent again." in page.content.decode()
    assert "All background tasks ran" in page.content.decode()


def test_try_again_makes_a_failed_task_pending_until_it_is_sent(client, world):
    message = _task(world, note_visit_summary, OutboxState.FAILED, attempts=8, error="Timeout")
    client.force_login(world.admin)

    client.post(_retry_url(world, message))  # the transaction has not committed: not sent yet

    row = OutboxMessage.all_programs.get(pk=message.pk)
    assert (row.state, row.attempts) == (OutboxState.PENDING, 0)


def test_a_task_that_fails_again_is_listed_again_with_the_new_reason(
    client, world, django_capture_on_commit_callbacks
):
    message = _task(world, report_with_a_bug, OutboxState.FAILED, note="dose", error="old")
    client.force_login(world.admin)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(_retry_url(world, message))
    page = client.get(_tasks_url(world))

    assert OutboxMessage.all_programs.get(pk=message.pk).state == OutboxState.FAILED
    assert "ValueError: no section named dose" in page.content.decode()


def test_another_programs_failed_tasks_never_show_and_cannot_be_retried(client, world, other_world):
    with program_scope(other_world.program):
        theirs = failed_task(other_world)
    client.force_login(world.admin)

    page = client.get(_tasks_url(world))
    retry = client.post(_retry_url(world, theirs))

    assert other_world.program.slug not in page.content.decode()
    assert "All background tasks ran" in page.content.decode()
    assert retry.status_code == 404
    assert OutboxMessage.all_programs.get(pk=theirs.pk).state == OutboxState.FAILED


def test_a_done_task_is_not_offered_again(client, world):
    message = _task(world, note_visit_summary, OutboxState.DONE)
    client.force_login(world.admin)

    assert client.post(_retry_url(world, message)).status_code == 404


def test_the_page_reads_the_same_number_of_queries_whatever_the_number_of_tasks(client, world):
    client.force_login(world.admin)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(_tasks_url(world)).status_code == 200
        return len(captured)

    with program_scope(world.program):
        failed_task(world)
    queries()  # the first visit remembers the program as the person's last one
    one = queries()
    with program_scope(world.program):
        for _ in range(6):
            failed_task(world)
    assert queries() == one


def test_try_again_sends_a_task_waiting_for_its_backoff_at_once(
    client, world, django_capture_on_commit_callbacks
):
    message = _task(world, note_visit_summary, OutboxState.PENDING, error="TimeoutError: SMTP")
    OutboxMessage.all_programs.filter(pk=message.pk).update(
        not_before=timezone.now() + timedelta(minutes=20)
    )
    client.force_login(world.admin)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(_retry_url(world, message))

    row = OutboxMessage.all_programs.get(pk=message.pk)
    assert (row.state, row.attempts) == (OutboxState.DONE, 2)
    assert runs == [(world.program.pk, "Roles chart", world.program.pk)]
