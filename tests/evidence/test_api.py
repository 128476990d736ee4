"""Evidence in the API: a subject viewset's `evidence` action (the EvidenceActions mixin) lists
and takes files, and `evidence-files/` reads, downloads and removes one, each through the
subject kind's rights: 404 for whoever may not read it, 403 for a reader who may not change it."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from psp.api.viewsets import ProgramScopedViewSet
from psp.evidence.api import EvidenceActions
from psp.evidence.models import EvidenceFile
from psp.tenancy.scope import program_scope
from tests.evidence.subjects import (
    exe_bytes,
    other_practice_record,
    pdf_bytes,
    png_bytes,
    record_of,
    stored_evidence,
    upload,
)
from tests.factories import api_token_for


def client_of(world, person) -> APIClient:
    _, key = api_token_for(world.program, person)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def evidence_url(world, record) -> str:
    return f"/api/v1/programs/{world.program.slug}/test-records/{record.pk}/evidence/"


def file_url(world, evidence, name="evidence-file-detail") -> str:
    return reverse(name, kwargs={"program": world.program.slug, "pk": evidence.pk})


def _active(world):
    with program_scope(world.program):
        return list(EvidenceFile.objects.filter(removed_at__isnull=True))


# The subject's action ----------------------------------------------------------------------------


@pytest.mark.urls("tests.evidence.urls")
class TestTheEvidenceAction:
    def test_the_owner_uploads_several_files_at_once(
        self, world, django_capture_on_commit_callbacks
    ):
        record = record_of(world)
        body = {
            "files": [upload("certificate.pdf", pdf_bytes()), upload("photo", png_bytes())],
            "label": "Attendance record",
        }
        with django_capture_on_commit_callbacks(execute=True):
            response = client_of(world, world.staff).post(
                evidence_url(world, record), body, format="multipart"
            )
        assert response.status_code == 201, response.json()
        names = [(f["name"], f["content_type"], f["label"]) for f in response.json()]
        assert names == [
            ("certificate.pdf", "application/pdf", "Attendance record"),
            ("photo.png", "image/png", "Attendance record"),
        ]
        assert response.json()[0]["download_url"].endswith("/download/")

    def test_a_refused_file_is_named_in_the_error_format_and_nothing_is_kept(self, world):
        record = record_of(world)
        body = {
            "files": [upload("certificate.pdf", pdf_bytes()), upload("tool.pdf", exe_bytes())],
            "label": "Certificate",
        }
        response = client_of(world, world.staff).post(
            evidence_url(world, record), body, format="multipart"
        )
        assert response.status_code == 400
        assert response.json()["error"]["fields"]["files"] == [
            "tool.pdf is not a PDF or image: send a PDF, PNG, JPEG or WebP file."
        ]
        assert _active(world) == []

    def test_a_label_the_kind_does_not_offer_is_refused(self, world):
        body = {"files": [upload("c.pdf", pdf_bytes())], "label": "Selfie"}
        response = client_of(world, world.staff).post(
            evidence_url(world, record_of(world)), body, format="multipart"
        )
        assert response.status_code == 400
        assert list(response.json()["error"]["fields"]) == ["label"]

    def test_a_json_body_is_refused_as_unsupported(self, world):
        response = client_of(world, world.staff).post(
            evidence_url(world, record_of(world)), {"label": "Certificate"}, format="json"
        )
        assert response.status_code == 415

    def test_readers_list_the_files_and_may_not_add_any(self, world):
        record = record_of(world)
        stored_evidence(world, record)
        lead = client_of(world, world.lead)
        listed = lead.get(evidence_url(world, record))
        assert listed.status_code == 200
        assert [f["name"] for f in listed.json()] == ["certificate.pdf"]
        body = {"files": [upload("c.pdf", pdf_bytes("lead"))], "label": "Certificate"}
        refused = lead.post(evidence_url(world, record), body, format="multipart")
        assert refused.status_code == 403
        assert len(_active(world)) == 1

    def test_whoever_may_not_read_the_subject_gets_404(self, world, other_world):
        record = record_of(world)
        coach = client_of(world, world.coach)  # sees the practice, reads no CPD
        assert coach.get(evidence_url(world, record)).status_code == 404
        staff = client_of(world, world.staff)
        assert staff.get(evidence_url(world, other_practice_record(world))).status_code == 404
        outsider = client_of(other_world, other_world.admin)
        assert outsider.get(evidence_url(world, record)).status_code == 404


def test_a_subject_viewset_must_name_its_kind():
    with pytest.raises(TypeError, match="must name its evidence_subject_type"):
        type("Nameless", (EvidenceActions, ProgramScopedViewSet), {})


# One file ---------------------------------------------------------------------------------------


def test_the_file_is_read_downloaded_and_removed_by_its_owner(
    world, django_capture_on_commit_callbacks, private_root
):
    evidence = stored_evidence(world, record_of(world))
    staff = client_of(world, world.staff)
    detail = staff.get(file_url(world, evidence)).json()
    assert (detail["name"], detail["size"], detail["uploaded_by"]["id"]) == (
        "certificate.pdf",
        evidence.size,
        world.staff.pk,
    )
    download = staff.get(file_url(world, evidence, "evidence-file-download"))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Disposition"].startswith("attachment;")
    assert b"".join(download.streaming_content).startswith(b"%PDF-")
    with django_capture_on_commit_callbacks(execute=True):
        assert staff.delete(file_url(world, evidence)).status_code == 204
    assert _active(world) == []
    assert not (private_root / evidence.file.name).exists()
    assert staff.get(file_url(world, evidence)).status_code == 404


def test_a_reader_who_may_not_remove_gets_403_and_an_outsider_404(world, other_world):
    evidence = stored_evidence(world, record_of(world))
    assert client_of(world, world.manager).delete(file_url(world, evidence)).status_code == 403
    assert client_of(world, world.coach).delete(file_url(world, evidence)).status_code == 404
    outsider = client_of(other_world, other_world.admin)
    assert outsider.get(file_url(world, evidence)).status_code == 404
    assert len(_active(world)) == 1


def test_the_list_is_the_callers_own_uploads(world):
    mine = stored_evidence(world, record_of(world), by=world.staff)
    stored_evidence(world, other_practice_record(world), name="theirs.pdf")
    listed = client_of(world, world.staff).get(
        reverse("evidence-file-list", kwargs={"program": world.program.slug})
    )
    assert [row["id"] for row in listed.json()["results"]] == [mine.pk]
