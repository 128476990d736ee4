"""The report pages as people use them: ask from a practice's page, follow the status page
while the worker makes it, download the PDF; nobody else reaches it."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from psp.reports.models import Report, ReportState
from psp.tenancy.scope import program_scope
from tests.reports.helpers import ask, fresh, pdf_of

pytestmark = pytest.mark.django_db


def url(world, name, **kwargs):
    return reverse(f"reports:{name}", kwargs={"program": world.program.slug, **kwargs})


def test_the_practice_page_links_to_its_report_card(client, world):
    client.force_login(world.lead)
    page = client.get(
        reverse("practices:detail", kwargs={"program": world.program.slug, "pk": world.practice.pk})
    )
    link = f"{url(world, 'request', document_code='practice_card')}?practice={world.practice.pk}"
    assert f'href="{link}"' in page.content.decode()
    assert "Practice report card" in page.content.decode()


def test_the_staff_see_no_report_card_button(client, world):
    client.force_login(world.staff)
    page = client.get(
        reverse("practices:detail", kwargs={"program": world.program.slug, "pk": world.practice.pk})
    )
    assert "Practice report card" not in page.content.decode()


def test_the_request_page_is_filled_from_the_query_string(client, world):
    client.force_login(world.coach)
    page = client.get(
        url(world, "request", document_code="practice_card"), {"practice": world.practice.pk}
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert re.search(rf'<option value="{world.practice.pk}"[^>]*selected', html)
    assert world.practice.name in html  # what the report will be
    assert "Make the report" in html
    assert "Subscribe" not in html  # a practice's card is not subscribable


def test_making_a_report_goes_to_its_status_page_which_shows_it_done(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.lead)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url(world, "request", document_code="practice_card"),
            {"practice": world.practice.pk},
        )
    with program_scope(world.program):
        report = Report.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url(world, "detail", pk=report.pk)

    page = client.get(response["Location"]).content.decode()
    assert "Done, 3 pages" in page
    assert 'aria-live="polite"' in page
    assert '<progress class="report-progress" max="100" value="100"' in page
    assert f'href="{url(world, "download", pk=report.pk)}"' in page
    assert "hx-trigger" not in page


def test_the_status_polls_while_queued_and_stops_once_done(
    client, world, django_capture_on_commit_callbacks
):
    report = ask(world, world.lead, django_capture_on_commit_callbacks, run=False)
    client.force_login(world.lead)
    detail = url(world, "detail", pk=report.pk)

    queued = client.get(detail, headers={"HX-Request": "true"}).content.decode()
    assert queued.lstrip().startswith(("{#", '<div id="report-status"')) or "<html" not in queued
    assert 'hx-trigger="every 2s"' in queued and f'hx-get="{detail}"' in queued
    assert "Queued" in queued and "<progress" in queued

    with program_scope(world.program):
        Report.objects.filter(pk=report.pk).update(state=ReportState.RUNNING, progress=40)
    running = client.get(detail, headers={"HX-Request": "true"}).content.decode()
    assert "Running: 40 %" in running and 'value="40"' in running
    assert 'hx-trigger="every 2s"' in running

    from psp.reports.tasks import build_report

    with program_scope(world.program):
        Report.objects.filter(pk=report.pk).update(state=ReportState.QUEUED)
        build_report.apply(kwargs={"program_id": world.program.pk, "report_id": report.pk})
    done = client.get(detail, headers={"HX-Request": "true"}).content.decode()
    assert "Done, 3 pages" in done
    assert "hx-trigger" not in done and "hx-get" not in done
    assert "<html" not in done


def test_a_failed_report_says_why_on_its_page(
    client, world, django_capture_on_commit_callbacks, renderer
):
    renderer.error = ValueError("The practice has no assessment to chart")
    report = ask(world, world.lead, django_capture_on_commit_callbacks)
    client.force_login(world.lead)

    page = client.get(url(world, "detail", pk=report.pk)).content.decode()

    assert "Failed: The practice has no assessment to chart" in page
    assert "hx-trigger" not in page
    assert url(world, "download", pk=report.pk) not in page


def test_the_download_is_the_pdf_as_an_attachment_not_stored_by_caches(
    client, world, django_capture_on_commit_callbacks
):
    report = ask(world, world.lead, django_capture_on_commit_callbacks)
    client.force_login(world.lead)

    response = client.get(url(world, "download", pk=report.pk))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert re.match(
        r'attachment; filename="practice_card-[-a-z0-9]+\.pdf"', response["Content-Disposition"]
    )
    assert {"private", "no-store"} <= {p.strip() for p in response["Cache-Control"].split(",")}
    assert pdf_of(response).startswith(b"%PDF")


@pytest.mark.parametrize("name", ["detail", "download"])
def test_nobody_but_the_requester_reaches_a_report(
    client, world, other_world, django_capture_on_commit_callbacks, name
):
    report = ask(world, world.coach, django_capture_on_commit_callbacks)
    target = url(world, name, pk=report.pk)
    # The same program's admin and manager (who hold the capability), its lead (the same
    # practice), and another program's admin: all 404.
    for person in (world.admin, world.manager, world.lead, other_world.admin):
        client.force_login(person)
        assert client.get(target).status_code == 404, person
    # Another program's admin also through their own program's address.
    client.force_login(other_world.admin)
    theirs = reverse(
        f"reports:{name}", kwargs={"program": other_world.program.slug, "pk": report.pk}
    )
    assert client.get(theirs).status_code == 404
    client.force_login(world.coach)
    response = client.get(target)
    assert response.status_code == 200
    if name == "download":
        assert pdf_of(response).startswith(b"%PDF")


def test_a_requester_who_no_longer_coaches_the_practice_can_no_longer_download(
    client, world, django_capture_on_commit_callbacks
):
    report = ask(world, world.coach, django_capture_on_commit_callbacks)
    with program_scope(world.program):
        world.practice.coach_assignments.filter(coach=world.coach).delete()
    client.force_login(world.coach)

    assert client.get(url(world, "detail", pk=report.pk)).status_code == 200
    assert client.get(url(world, "download", pk=report.pk)).status_code == 404


@pytest.mark.parametrize(
    ("role", "code", "practice", "answer"),
    [
        ("coach", "practice_card", "other_practice", 403),
        ("lead", "practice_card", "other_practice", 403),
        ("coach", "program_report", None, 403),
        ("lead", "program_report", None, 403),
        ("staff", "practice_card", "practice", 403),
        ("lead", "practice_card", "practice", 302),
        ("coach", "practice_card", "practice", 302),
        ("manager", "program_report", None, 302),
    ],
)
def test_who_may_ask_for_which_report(client, world, role, code, practice, answer):
    client.force_login(world.user(role))
    body = {"practice": getattr(world, practice).pk} if practice else {}

    response = client.post(url(world, "request", document_code=code), body)

    assert response.status_code == answer
    with program_scope(world.program):
        assert Report.objects.count() == (1 if answer == 302 else 0)


def test_an_expired_report_answers_410_with_a_clear_page(
    client, world, django_capture_on_commit_callbacks
):
    from psp.reports import services

    report = ask(world, world.lead, django_capture_on_commit_callbacks)
    with program_scope(world.program):
        Report.objects.filter(pk=report.pk).update(expires_at=fresh(world, report).finished_at)
        services.reports_expire(program=world.program)
    client.force_login(world.lead)

    response = client.get(url(world, "download", pk=report.pk))
    mine = client.get(url(world, "list")).content.decode()

    assert response.status_code == 410
    assert "This report has expired" in response.content.decode()
    assert "Expired" in mine


def test_my_reports_lists_the_persons_reports_newest_first_and_no_one_elses(
    client, world, django_capture_on_commit_callbacks
):
    first = ask(world, world.manager, django_capture_on_commit_callbacks, "program_report")
    with program_scope(world.program):
        Report.objects.filter(pk=first.pk).update(created_at=first.created_at.replace(year=2025))
    second = ask(world, world.manager, django_capture_on_commit_callbacks)
    theirs = ask(world, world.admin, django_capture_on_commit_callbacks)
    client.force_login(world.manager)

    page = client.get(url(world, "list")).content.decode()

    mine = [int(pk) for pk in re.findall(r'/reports/(\d+)/"', page)]
    assert mine == [second.pk, first.pk]
    assert theirs.pk not in mine
    assert url(world, "download", pk=second.pk) in page


def test_the_list_page_reads_the_same_number_of_queries_for_more_reports(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.lead)
    ask(world, world.lead, django_capture_on_commit_callbacks)
    client.get(url(world, "list"))  # the session's first request reads a little more
    with CaptureQueriesContext(connection) as few:
        assert client.get(url(world, "list")).status_code == 200
    with program_scope(world.program):
        base = Report.objects.get()
        for n in range(8):
            base.pk = None
            base.key = ""
            base.state = [ReportState.DONE, ReportState.FAILED, ReportState.EXPIRED][n % 3]
            base.save()
    with CaptureQueriesContext(connection) as many:
        assert client.get(url(world, "list")).status_code == 200
    assert len(many) == len(few)


def test_staff_have_their_own_reports_page_but_no_practice_or_program_reports(client, world):
    # Staff make no practice or program reports; their own CPD transcript and certificate
    # (cpd/documents.py) are listed on "My reports" all the same.
    client.force_login(world.staff)
    page = client.get(url(world, "list"))
    assert page.status_code == 200
    assert url(world, "request", document_code="program_report") not in page.content.decode()
    assert client.get(url(world, "request", document_code="program_report")).status_code == 403


def test_a_manager_subscribes_from_the_request_page_and_cancels_from_my_reports(client, world):
    from psp.reports.models import ReportSubscription

    client.force_login(world.manager)
    request_page = url(world, "request", document_code="program_report")
    assert "Subscribe" in client.get(request_page).content.decode()

    response = client.post(request_page, {"subscribe": "", "frequency": "quarterly"})

    assert response.status_code == 302 and response["Location"] == url(world, "list")
    with program_scope(world.program):
        subscription = ReportSubscription.objects.get()
    assert (subscription.user, subscription.frequency) == (world.manager, "quarterly")
    assert subscription.next_run_on.day == 1 and subscription.next_run_on.month in (1, 4, 7, 10)
    listed = client.get(url(world, "list")).content.decode()
    cancel = url(world, "subscription_cancel", pk=subscription.pk)
    assert f'action="{cancel}"' in listed

    client.force_login(world.admin)  # someone else's subscription: not found
    assert client.post(cancel).status_code == 404
    client.force_login(world.manager)
    assert client.post(cancel).status_code == 302
    with program_scope(world.program):
        assert ReportSubscription.objects.get().active is False


def test_the_caseload_overview_links_to_the_program_report_with_its_filters(client, world):
    client.force_login(world.manager)
    page = client.get(
        reverse("caseload:overview", kwargs={"program": world.program.slug}),
        {"sector": "primary_care", "page": "1"},
    ).content.decode()
    link = url(world, "request", document_code="program_report") + "?sector=primary_care"
    assert f'href="{link}"' in page


def test_an_outsider_member_of_another_program_gets_404_for_the_pages(client, world, other_world):
    client.force_login(other_world.manager)
    for name, kwargs in (("list", {}), ("request", {"document_code": "program_report"})):
        assert client.get(url(world, name, **kwargs)).status_code == 404
