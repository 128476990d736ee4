"""The evidence pages: a file's download (its reader only; 404 for everyone else, another
program's members included), and the panel's upload and remove forms, with htmx and without."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from psp.evidence.models import EvidenceFile
from psp.tenancy.scope import program_scope
from tests.evidence.subjects import (
    CODE,
    exe_bytes,
    other_practice_record,
    pdf_bytes,
    png_bytes,
    record_of,
    stored_evidence,
    upload,
)

HTMX = {"HX-Request": "true"}


@pytest.fixture
def certificate(world):
    return stored_evidence(world, record_of(world), name="Zertifikat Ärztekammer.pdf")


def download(client, world, person, evidence, program=None):
    client.force_login(person)
    program = program or world.program
    return client.get(
        reverse("evidence:download", kwargs={"program": program.slug, "pk": evidence.pk})
    )


def test_the_owner_downloads_their_file_as_an_attachment_of_its_own_type(
    client, world, certificate
):
    response = download(client, world, world.staff, certificate)
    assert response.status_code == 200
    with certificate.file.open("rb") as stored:
        assert b"".join(response.streaming_content) == stored.read()
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''Zertifikat%20%C3%84rztekammer.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Length"] == str(certificate.size)
    assert {"private", "no-store"} <= {p.strip() for p in response["Cache-Control"].split(",")}


@pytest.mark.parametrize("reader", ["admin", "manager", "lead"])
def test_those_who_read_cpd_in_the_practice_download_it(client, world, certificate, reader):
    assert download(client, world, world.user(reader), certificate).status_code == 200


def test_a_person_of_another_practice_gets_404(client, world):
    theirs = stored_evidence(world, other_practice_record(world))
    for person in (world.staff, world.lead, world.coach):
        assert download(client, world, person, theirs).status_code == 404


def test_a_coach_who_reads_no_cpd_gets_404_even_in_their_practice(client, world, certificate):
    assert download(client, world, world.coach, certificate).status_code == 404


def test_another_programs_member_gets_404_through_either_program(
    client, world, other_world, certificate
):
    assert download(client, world, other_world.admin, certificate).status_code == 404
    response = download(client, world, other_world.admin, certificate, program=other_world.program)
    assert response.status_code == 404
    assert "certificate" not in response.content.decode().lower()


def test_a_removed_file_is_not_found_for_anyone(client, world, certificate):
    with program_scope(world.program):
        EvidenceFile.objects.filter(pk=certificate.pk).update(removed_at=certificate.uploaded_at)
    assert download(client, world, world.staff, certificate).status_code == 404
    assert download(client, world, world.admin, certificate).status_code == 404


def test_a_file_missing_from_the_storage_is_not_found(client, world, certificate, private_root):
    (private_root / certificate.file.name).unlink()
    assert download(client, world, world.staff, certificate).status_code == 404


def test_files_are_never_served_from_media_url(client, world, certificate, settings):
    client.force_login(world.staff)
    assert client.get(f"{settings.MEDIA_URL}{certificate.file.name}").status_code == 404


# Uploading from the panel ------------------------------------------------------------------------


def _post_upload(client, world, record, *files, label="Certificate", **headers):
    client.force_login(record.user)
    page = f"/p/{world.program.slug}/practices/{world.practice.pk}/"
    body = {
        "subject_type": CODE,
        "subject_id": record.pk,
        "label": label,
        "next": page,
        "files": list(files),
    }
    url = reverse("evidence:upload", kwargs={"program": world.program.slug})
    return client.post(url, body, headers=headers), page


def _rows(world):
    with program_scope(world.program):
        return list(EvidenceFile.objects.filter(removed_at__isnull=True).order_by("pk"))


def test_an_upload_without_javascript_goes_back_to_the_page_and_says_so(
    client, world, django_capture_on_commit_callbacks
):
    record = record_of(world)
    with django_capture_on_commit_callbacks(execute=True):
        response, page = _post_upload(
            client,
            world,
            record,
            upload("certificate.pdf", pdf_bytes()),
            upload("sign-in sheet.png", png_bytes()),
            label="Attendance record",
        )
    assert response.status_code == 302 and response["Location"] == page
    assert [m.message for m in get_messages(response.wsgi_request)] == [
        "Added certificate.pdf, sign-in sheet.png."
    ]
    assert [(r.original_name, r.label) for r in _rows(world)] == [
        ("certificate.pdf", "Attendance record"),
        ("sign-in sheet.png", "Attendance record"),
    ]


def test_an_upload_with_htmx_answers_the_panels_new_body(
    client, world, django_capture_on_commit_callbacks
):
    record = record_of(world)
    with django_capture_on_commit_callbacks(execute=True):
        response, _ = _post_upload(
            client, world, record, upload("certificate.pdf", pdf_bytes()), **HTMX
        )
    html = response.content.decode()
    assert response.status_code == 200
    (row,) = _rows(world)
    assert f'href="/p/{world.program.slug}/evidence/{row.pk}/"' in html
    assert 'hx-swap-oob="innerHTML">Added certificate.pdf.</p>' in html
    assert "<html" not in html


def test_a_refused_upload_shows_the_problem_beside_the_field_and_stores_nothing(
    client, world, private_root
):
    record = record_of(world)
    response, page = _post_upload(
        client, world, record, upload("certificate.exe", exe_bytes(), "application/pdf")
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "certificate.exe is not a PDF or image" in html
    assert 'aria-invalid="true"' in html
    assert f'href="{page}"' in html  # the way back
    assert _rows(world) == []
    assert not any(private_root.rglob("*.*"))


def test_a_refused_upload_with_htmx_keeps_the_form_with_its_problem(client, world):
    record = record_of(world)
    response, _ = _post_upload(client, world, record, upload("empty.pdf", b""), **HTMX)
    assert response.status_code == 200
    assert "empty.pdf is empty." in response.content.decode()
    assert _rows(world) == []


def test_an_upload_over_the_limit_is_refused_beside_the_field(client, world):
    record = record_of(world)
    for number in range(3):
        stored_evidence(world, record, name=f"{number}.pdf", content=pdf_bytes(str(number)))
    response, _ = _post_upload(client, world, record, upload("four.pdf", pdf_bytes()), **HTMX)
    assert "has 3 files, the most it can have: remove one" in response.content.decode()
    assert len(_rows(world)) == 3


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"subject_type": "poster", "subject_id": "1"}, 404),
        ({"subject_type": CODE, "subject_id": "١٢"}, 404),
        ({"subject_type": CODE, "subject_id": "999999999"}, 404),
        ({"subject_type": CODE}, 404),
    ],
)
def test_an_upload_naming_no_subject_of_the_person_is_not_found(client, world, body, status):
    client.force_login(world.staff)
    url = reverse("evidence:upload", kwargs={"program": world.program.slug})
    assert client.post(url, body).status_code == status


def test_the_upload_address_takes_posts_only(client, world):
    client.force_login(world.staff)
    url = reverse("evidence:upload", kwargs={"program": world.program.slug})
    assert client.get(url).status_code == 405


def test_next_outside_the_program_is_not_followed(client, world):
    record = record_of(world)
    client.force_login(record.user)
    url = reverse("evidence:upload", kwargs={"program": world.program.slug})
    body = {"subject_type": CODE, "subject_id": record.pk, "label": "Other"}
    # (three uploads: the test kind's most)
    for elsewhere in ("https://evil.example/", "//evil.example/", "/p/south-psp/"):
        files = [upload("certificate.pdf", pdf_bytes(elsewhere))]
        response = client.post(url, body | {"next": elsewhere, "files": files})
        assert response["Location"] == f"/p/{world.program.slug}/", elsewhere


# Removing --------------------------------------------------------------------------------------


def test_removing_with_htmx_answers_the_panel_without_the_file(client, world, certificate):
    client.force_login(world.staff)
    url = reverse("evidence:remove", kwargs={"program": world.program.slug, "pk": certificate.pk})
    response = client.post(url, {"next": "/p/north-psp/"}, headers=HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "No evidence files yet." in html
    assert "Removed Zertifikat Ärztekammer.pdf." in html
    assert _rows(world) == []


def test_removing_without_javascript_goes_back(client, world, certificate):
    client.force_login(world.admin)
    url = reverse("evidence:remove", kwargs={"program": world.program.slug, "pk": certificate.pk})
    page = f"/p/{world.program.slug}/practices/{world.practice.pk}/"
    response = client.post(url, {"next": page})
    assert response.status_code == 302 and response["Location"] == page
    assert _rows(world) == []


def test_the_isolation_walk_and_the_permission_tables_find_the_download_routes():
    from tests.permissions.test_api import API
    from tests.permissions.test_pages import PAGES
    from tests.tenancy.routes import program_routes

    walked = {route.name for route in program_routes()}
    assert {"evidence:download", "evidence-file-download"} <= walked
    assert "evidence:download " in PAGES and "evidence-file-download " in API


def test_an_anonymous_visitor_is_sent_to_sign_in(client, world, certificate):
    url = reverse("evidence:download", kwargs={"program": world.program.slug, "pk": certificate.pk})
    response = client.get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
