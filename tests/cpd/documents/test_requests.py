"""Asking for a transcript or certificate: the person for their own cycles, whoever reads
their CPD for theirs (admins and managers, their practice's lead); nobody else, and nobody from
another program, even knows the cycle exists. A certificate waits for the requirements."""

import re

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from psp.reports.models import Report
from psp.tenancy.scope import program_scope
from tests.permissions.cells import new_token

pytestmark = pytest.mark.django_db


def api(world, user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {new_token(world, user).key}")
    return client


def reports_url(world) -> str:
    return reverse("report-list", kwargs={"program": world.program.slug})


def request_page(world, code: str) -> str:
    return reverse("reports:request", kwargs={"program": world.program.slug, "document_code": code})


def reports_made(world) -> int:
    with program_scope(world.program):
        return Report.objects.count()


@pytest.mark.parametrize(
    ("role", "whose", "answer"),
    [
        ("staff", "met", 202),  # their own
        ("staff", "lead_cycle", 404),  # a colleague's
        ("lead", "met", 202),  # their practice's person
        ("coach", "met", 404),  # coaches do not read people's CPD
        ("manager", "met", 202),
        ("admin", "met", 202),
    ],
)
def test_who_may_ask_for_whose_transcript(docs, world, role, whose, answer):
    body = {"document": "cpd_transcript", "params": {"cycle": getattr(docs, whose).pk}}

    response = api(world, world.user(role)).post(reports_url(world), body, format="json")

    assert response.status_code == answer, response.content
    assert reports_made(world) == (1 if answer == 202 else 0)


def test_another_programs_member_cannot_reach_the_cycle(docs, world, other_world):
    body = {"document": "cpd_transcript", "params": {"cycle": docs.met.pk}}
    client = api(other_world, other_world.admin)

    in_their_program = client.post(reports_url(other_world), body, format="json")
    in_ours = client.post(reports_url(world), body, format="json")

    assert (in_their_program.status_code, in_ours.status_code) == (404, 404)
    page = request_page(other_world, "cpd_transcript")
    browser = _signed_in(other_world.admin)
    assert browser.get(page, {"cycle": docs.met.pk}).status_code == 404
    assert browser.post(page, {"cycle": docs.met.pk}).status_code == 404
    assert reports_made(world) == 0


def _signed_in(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def test_a_certificate_is_refused_until_the_requirements_are_met(docs, world):
    body = {"document": "cpd_certificate", "params": {"cycle": docs.current.pk}}

    response = api(world, world.staff).post(reports_url(world), body, format="json")

    assert response.status_code == 400
    message = " ".join(response.json()["error"]["fields"]["cycle"])
    assert "requirements are met" in message
    assert "2 credits in ethics and professionalism" in message
    assert "9 credits in total" in message
    assert reports_made(world) == 0
    met = {"document": "cpd_certificate", "params": {"cycle": docs.met.pk}}
    assert api(world, world.staff).post(reports_url(world), met, format="json").status_code == 202


def test_the_request_page_says_why_there_is_no_certificate_yet(client, docs, world):
    client.force_login(world.staff)
    page = request_page(world, "cpd_certificate")

    shown = client.get(page, {"cycle": docs.current.pk})
    posted = client.post(page, {"cycle": docs.current.pk})

    for answer in (shown, posted):
        assert answer.status_code == 200
        assert "this cycle&#x27;s are not yet" in answer.content.decode()
    assert reports_made(world) == 0


def test_my_cpd_offers_the_transcript_and_the_certificate_of_a_met_cycle(
    client, docs, world, django_capture_on_commit_callbacks, monkeypatch
):
    from psp.reports import building

    monkeypatch.setattr(building, "render_pdf", _one_page)
    client.force_login(world.staff)
    page = client.get(reverse("cpd:mine", kwargs={"program": world.program.slug}))
    html = page.content.decode()
    transcript, certificate = (
        request_page(world, c) for c in ("cpd_transcript", "cpd_certificate")
    )

    assert html.count(f'action="{transcript}"') == 2  # both cycles
    assert html.count(f'action="{certificate}"') == 1  # the met one
    assert f'href="{certificate}?cycle={docs.current.pk}"' in html  # why not, for the other
    assert "Why no certificate yet?" in html

    with django_capture_on_commit_callbacks(execute=True):
        made = client.post(certificate, {"cycle": docs.met.pk, "make": ""})
    assert made.status_code == 302
    status = client.get(made["Location"])
    assert "Download" in status.content.decode()
    listed = client.get(reverse("reports:list", kwargs={"program": world.program.slug}))
    assert listed.status_code == 200
    assert re.search(
        r"CPD certificate</a><span class=\"table__sub\">Staff of North PSP", listed.content.decode()
    )


def test_a_persons_cpd_page_offers_their_documents_to_whoever_reads_it(client, docs, world):
    from psp.tenancy.models import ProgramMembership

    with program_scope(world.program):
        membership = ProgramMembership.objects.get(user=world.staff)
    client.force_login(world.lead)

    page = client.get(
        reverse("cpd:person", kwargs={"program": world.program.slug, "pk": membership.pk})
    )

    html = page.content.decode()
    assert html.count(f'action="{request_page(world, "cpd_transcript")}"') == 2
    assert html.count(f'action="{request_page(world, "cpd_certificate")}"') == 1


def _one_page(*, document, program, params, out, progress, report_id=None) -> int:
    for _ in document.build(program, params, progress=progress, report_id=report_id):
        pass
    out.write(b"%PDF-1.4\n%%EOF\n")
    return 1


def test_the_buttons_cost_my_cpd_one_query_whatever_the_cycles(client, docs, world):
    from datetime import date

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.cpd.documents.conftest import LAST_YEAR
    from tests.cpd.scheme_factories import make_activity, make_cycle

    client.force_login(world.staff)
    mine = reverse("cpd:mine", kwargs={"program": world.program.slug})
    client.get(mine)
    with CaptureQueriesContext(connection) as few:
        client.get(mine)
    for year in (LAST_YEAR - 2, LAST_YEAR - 1):
        older = make_cycle(docs.scheme, world.staff, date(year, 1, 1), date(year, 12, 31))
        for month in (2, 5, 8):
            make_activity(older, date(year, month, 3), 5, category="general")
    with CaptureQueriesContext(connection) as many:
        page = client.get(mine)

    assert page.content.decode().count("Download transcript") == 4
    assert len(many) == len(few)
