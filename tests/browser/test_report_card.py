"""A practice's report card in a real browser, end to end: from the practice's page a coach asks
for it, its status page follows the work by itself (htmx polling, no reload) from running to
done, the PDF downloads and is about the practice, and the notification centre says it is ready.

The task runs as in `make run`: in a background thread of the server (PSP_TASKS_IN_THREAD), so
the page answers at once. Its rendering is held until the test has seen the page show it at
work, so the change to "Done" can only come from the page's own polling."""

import re
import threading
import time

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from psp.outbox.models import OutboxMessage, OutboxState
from psp.reports import building
from psp.reports.models import Report
from psp.tenancy.scope import program_scope
from tests.browser.signing_in import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def held_rendering(settings, monkeypatch):
    """Tasks in a thread, as in `make run`, and every rendering waits for `release.set()`."""
    settings.PSP_TASKS_IN_THREAD = True
    release = threading.Event()
    render = building.render_pdf

    def held(**kwargs):
        release.wait(timeout=30)
        return render(**kwargs)

    monkeypatch.setattr(building, "render_pdf", held)
    yield release
    release.set()  # a failing test must not leave the thread waiting


def wait_until_task_ended(program, timeout=30.0) -> None:
    """The thread ends the task's outbox row last (after the notification): the test reads
    the notification centre only once it has."""
    deadline = time.monotonic() + timeout
    with program_scope(program):
        while time.monotonic() < deadline:
            # Unhurried, and not at once: the test database is SQLite in memory with a shared
            # cache, where a read in progress makes the task thread's last write fail at once
            # ("table is locked") instead of waiting for it.
            time.sleep(0.5)
            states = set(
                OutboxMessage.objects.filter(task__endswith="build_report").values_list(
                    "state", flat=True
                )
            )
            if states == {OutboxState.DONE}:
                return
    raise AssertionError(f"the report's task did not end: {states}")


def test_a_coach_makes_a_practice_report_card_and_downloads_it(
    live_server, page, world, held_rendering, tmp_path
):
    program, practice = world.program, world.practice
    sign_in(page, live_server, world.coach)
    page.goto(f"{live_server.url}/p/{program.slug}/practices/{practice.pk}/")
    page.get_by_role("link", name="Practice report card").click()
    expect(page.get_by_role("heading", name="Practice report card", level=1)).to_be_visible()
    page.get_by_role("button", name="Make the report").click()

    # The status page, while the report is at work (its rendering held).
    expect(page.get_by_role("heading", name="Status")).to_be_visible()
    status = page.get_by_role("status")
    expect(status).to_contain_text(re.compile(r"Queued|Running"))
    expect(page.get_by_role("link", name=re.compile("Download the PDF"))).to_have_count(0)
    page.evaluate("window.psp_not_reloaded = true")

    held_rendering.set()
    expect(status).to_contain_text(re.compile(r"Done, \d+ pages?"), timeout=20_000)
    # Done arrived by polling, on the same page: a reload would have lost the marker.
    assert page.evaluate("window.psp_not_reloaded === true")

    with page.expect_download() as downloading:
        page.get_by_role("link", name=re.compile("Download the PDF")).click()
    saved = tmp_path / "report-card.pdf"
    downloading.value.save_as(saved)
    text = "\n".join(sheet.extract_text() for sheet in PdfReader(saved).pages)
    assert practice.name in text

    wait_until_task_ended(program)
    with program_scope(program):
        report = Report.objects.get()
    # The header counted when the page was drawn; a new page counts the notice.
    page.reload()
    page.get_by_role("link", name="Notifications, 1 unread").click()
    ready = page.get_by_role("link", name=re.compile(r"Your practice report card for .* is ready"))
    expect(ready).to_be_visible()
    ready.click()
    page.wait_for_url(f"**/reports/{report.pk}/")
