"""Evidence on CPD activities: the person attaches certificates when recording or on the
activity's page (all or none, every refused file named), who reads and adds files, a verified
activity's evidence kept as it was, and the API's …/evidence/."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from cpd.activities import services
from cpd.activities.evidence import activity_evidence_rights
from cpd.models import CpdActivity
from psp.evidence.models import EvidenceFile
from psp.tenancy.access import access_for
from psp.tenancy.scope import program_scope
from tests.cpd.activities.helpers import fresh, history, record
from tests.cpd.activities.test_pages import form_data
from tests.evidence.subjects import exe_bytes, pdf_bytes, png_bytes, upload

pytestmark = pytest.mark.django_db


def url(world, name, **kwargs):
    return reverse(f"cpd:{name}", kwargs={"program": world.program.slug, **kwargs})


def files(world, activity=None):
    with program_scope(world.program):
        rows = EvidenceFile.objects.filter(subject_type="cpd_activity")
        if activity is not None:
            rows = rows.filter(subject_id=activity.pk)
        return list(rows.order_by("pk"))


def rights(world, person, activity):
    with program_scope(world.program):
        access = access_for(program=world.program, user=person)
        return activity_evidence_rights(access, activity.pk)


def test_a_certificate_recorded_with_the_activity_is_attached_to_it(
    client, world, private_root, django_capture_on_commit_callbacks
):
    client.force_login(world.staff)

    with django_capture_on_commit_callbacks(execute=True):  # the bytes are written on commit
        response = client.post(
            url(world, "record"),
            form_data(
                evidence=upload("certificate.pdf", pdf_bytes()), evidence_label="Certificate"
            ),
        )

    with program_scope(world.program):
        activity = CpdActivity.objects.get()
    assert response["Location"] == activity.get_absolute_url()
    (row,) = files(world, activity)
    assert (row.original_name, row.label, row.practice_id) == (
        "certificate.pdf",
        "Certificate",
        world.practice.pk,
    )
    assert (private_root / row.file.name).read_bytes() == pdf_bytes()
    page = client.get(activity.get_absolute_url()).content.decode()
    assert (
        reverse("evidence:download", kwargs={"program": world.program.slug, "pk": row.pk}) in page
    )


def test_a_refused_file_is_named_beside_the_field_and_nothing_is_recorded(client, world):
    client.force_login(world.staff)

    page = client.post(url(world, "record"), form_data(evidence=upload("slip.pdf", exe_bytes())))

    assert page.status_code == 200
    assert "slip.pdf" in page.context["form"].errors["evidence"][0]
    with program_scope(world.program):
        assert not CpdActivity.objects.exists()
    assert files(world) == []


def test_uploading_on_the_page_answers_a_request_for_evidence(client, world):
    activity = record(world, world.staff, submit=True)
    with program_scope(world.program):
        services.activity_request_evidence(
            program=world.program, activity=activity, by=world.admin, message="The certificate."
        )
    client.force_login(world.staff)
    assert "The certificate." in client.get(activity.get_absolute_url()).content.decode()

    response = client.post(
        url(world, "evidence", pk=activity.pk),
        {"files": upload("photo.png", png_bytes(), "image/png"), "label": "Attendance record"},
    )

    assert response["Location"] == f"{activity.get_absolute_url()}#evidence"
    assert [f.label for f in files(world, activity)] == ["Attendance record"]
    assert fresh(world, activity).evidence_requested == ""
    assert history(world, activity)[-1].what == "cpd_activity.evidence_answered"


def test_a_refused_upload_on_the_page_says_why_and_keeps_the_request(client, world):
    activity = record(world, world.staff, submit=True)
    with program_scope(world.program):
        services.activity_request_evidence(
            program=world.program, activity=activity, by=world.admin, message="The certificate."
        )
    client.force_login(world.staff)

    page = client.post(
        url(world, "evidence", pk=activity.pk),
        {"files": upload("notes.pdf", exe_bytes()), "label": "Certificate"},
    )

    assert page.status_code == 200
    assert "notes.pdf" in page.context["evidence"].form.errors["files"][0]
    assert fresh(world, activity).evidence_requested == "The certificate."


def test_who_reads_adds_and_removes_an_activitys_files(world):
    activity = record(world, world.staff)

    assert rights(world, world.staff, activity).attach
    assert rights(world, world.staff, activity).remove
    lead = rights(world, world.lead, activity)
    assert (lead.read, lead.attach, lead.remove) == (True, False, False)
    assert not rights(world, world.coach, activity).read
    with program_scope(world.program):
        CpdActivity.objects.filter(pk=activity.pk).update(status="verified")
    verified = rights(world, world.staff, activity)
    assert (verified.read, verified.attach, verified.remove) == (True, False, False)


def test_only_the_person_attaches_and_not_once_verified(world):
    activity = record(world, world.staff, submit=True)
    certificate = [upload("certificate.pdf", pdf_bytes())]
    with program_scope(world.program):
        with pytest.raises(PermissionDenied):
            services.activity_evidence_attach(
                program=world.program, activity=activity, by=world.lead,
                uploads=certificate, label="Certificate",
            )  # fmt: skip
        services.activity_verify(program=world.program, activity=activity, by=world.admin)
        with pytest.raises(ValidationError, match="verified"):
            services.activity_evidence_attach(
                program=world.program, activity=activity, by=world.staff,
                uploads=certificate, label="Certificate",
            )  # fmt: skip
    assert files(world) == []


def test_the_api_lists_and_attaches_evidence_answering_the_request(world):
    activity = record(world, world.staff, submit=True)
    with program_scope(world.program):
        services.activity_request_evidence(
            program=world.program, activity=activity, by=world.admin, message="A slip."
        )
    client = APIClient()
    client.force_login(world.staff)
    path = reverse(
        "cpd-activities-evidence", kwargs={"program": world.program.slug, "pk": activity.pk}
    )

    posted = client.post(
        path,
        {"files": [upload("certificate.pdf", pdf_bytes())], "label": "Certificate"},
        format="multipart",
    )

    assert posted.status_code == 201, posted.json()
    assert [row["name"] for row in client.get(path).json()] == ["certificate.pdf"]
    assert fresh(world, activity).evidence_requested == ""
    lead = APIClient()
    lead.force_login(world.lead)
    refused = lead.post(
        path, {"files": [upload("other.pdf", pdf_bytes("x"))], "label": "Other"}, format="multipart"
    )
    assert refused.status_code == 403
    assert len(files(world, activity)) == 1
