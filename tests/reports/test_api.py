"""The reports API: ask (202), follow, download; subscriptions; each caller's own only."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from psp.reports.models import Report, ReportSubscription
from psp.tenancy.scope import program_scope
from tests.permissions.cells import new_token
from tests.reports.helpers import ask, pdf_of

pytestmark = pytest.mark.django_db


def api(world, user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {new_token(world, user).key}")
    return client


def path(world, name, **kwargs):
    return reverse(name, kwargs={"program": world.program.slug, **kwargs})


def test_asking_answers_202_and_the_report_can_be_followed_and_downloaded(
    world, django_capture_on_commit_callbacks
):
    client = api(world, world.lead)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            path(world, "report-list"),
            {"document": "practice_card", "params": {"practice": world.practice.pk}},
            format="json",
        )

    assert response.status_code == 202, response.content
    body = response.json()
    assert body["state"] == "queued" and body["download_url"] is None
    assert response["Location"] == body["url"]

    followed = client.get(body["url"]).json()
    assert (followed["state"], followed["progress"], followed["pages"]) == ("done", 100, 3)
    assert followed["status"] == "Done, 3 pages"
    download = client.get(followed["download_url"])
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert pdf_of(download).startswith(b"%PDF")
    assert [row["id"] for row in client.get(path(world, "report-list")).json()["results"]] == [
        body["id"]
    ]


@pytest.mark.parametrize(
    ("role", "document", "params"),
    [
        ("coach", "practice_card", "other_practice"),
        ("coach", "program_report", None),
        ("lead", "practice_card", "other_practice"),
        ("staff", "practice_card", "practice"),
    ],
)
def test_a_report_out_of_reach_is_refused_and_nothing_is_made(world, role, document, params):
    body = {
        "document": document,
        "params": {"practice": getattr(world, params).pk} if params else {},
    }

    response = api(world, world.user(role)).post(path(world, "report-list"), body, format="json")

    assert response.status_code == 403
    with program_scope(world.program):
        assert Report.objects.count() == 0


def test_bad_parameters_are_refused_by_name(world):
    client = api(world, world.admin)
    unknown = client.post(path(world, "report-list"), {"document": "nope"}, format="json")
    no_practice = client.post(
        path(world, "report-list"), {"document": "practice_card", "params": {}}, format="json"
    )
    assert unknown.status_code == 400 and "document" in unknown.json()["error"]["fields"]
    assert no_practice.status_code == 400 and "practice" in no_practice.json()["error"]["fields"]


def test_someone_elses_report_and_another_programs_are_not_found(
    world, other_world, django_capture_on_commit_callbacks
):
    report = ask(world, world.coach, django_capture_on_commit_callbacks)
    for name in ("report-detail", "report-download"):
        assert api(world, world.manager).get(path(world, name, pk=report.pk)).status_code == 404
        theirs = reverse(name, kwargs={"program": other_world.program.slug, "pk": report.pk})
        assert api(other_world, other_world.admin).get(theirs).status_code == 404


def test_an_expired_report_answers_410(world, django_capture_on_commit_callbacks):
    from psp.reports import services

    report = ask(world, world.lead, django_capture_on_commit_callbacks)
    with program_scope(world.program):
        Report.objects.filter(pk=report.pk).update(expires_at=report.finished_at)
        services.reports_expire(program=world.program)

    response = api(world, world.lead).get(path(world, "report-download", pk=report.pk))

    assert response.status_code == 410


def test_subscriptions_are_listed_made_and_cancelled_by_their_owner(world):
    manager = api(world, world.manager)
    made = manager.post(
        path(world, "report-subscription-list"),
        {"document": "program_report", "frequency": "monthly", "params": {}},
        format="json",
    )
    assert made.status_code == 201, made.content
    pk = made.json()["id"]
    assert [
        row["id"] for row in manager.get(path(world, "report-subscription-list")).json()["results"]
    ] == [pk]

    detail = path(world, "report-subscription-detail", pk=pk)
    assert api(world, world.admin).delete(detail).status_code == 404
    assert manager.delete(detail).status_code == 204
    with program_scope(world.program):
        assert ReportSubscription.objects.get().active is False
    coach = api(world, world.coach).post(
        path(world, "report-subscription-list"),
        {"document": "program_report", "frequency": "monthly"},
        format="json",
    )
    assert coach.status_code == 403
