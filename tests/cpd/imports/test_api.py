"""POST cpd-activities/import/: the page's checks, 400 with every problem by line, 201 with the
activities imported; `check` saves nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cpd.imports import services
from tests.cpd.imports.helpers import HEADER, LAST_YEAR, activities, good_file

pytestmark = pytest.mark.django_db


def post(api_client, world, text, **fields):
    file = SimpleUploadedFile("transcript.csv", text.encode(), content_type="text/csv")
    return api_client.post(
        f"/api/v1/programs/{world.program.slug}/cpd-activities/import/",
        {"file": file, **fields},
        format="multipart",
    )


def test_a_good_file_is_imported(api_client, world):
    api_client.force_authenticate(world.staff)

    answer = post(api_client, world, good_file())

    assert answer.status_code == 201
    body = answer.json()
    assert (body["imported"], body["already_recorded"]) == (3, 0)
    assert sorted(body["activities"]) == sorted(a.pk for a in activities(world, person=world.staff))


def test_checking_saves_nothing(api_client, world):
    api_client.force_authenticate(world.staff)
    answer = post(api_client, world, good_file(), check="true")
    assert answer.status_code == 200 and answer.json()["to_import"] == 3
    assert activities(world) == []


def test_problems_are_a_400_by_line_and_nothing_lands(api_client, world):
    text = good_file() + f",workshop,Own verified,,{LAST_YEAR},,2,,,,verified,\n"
    api_client.force_authenticate(world.staff)

    answer = post(api_client, world, text)

    assert answer.status_code == 400
    error = answer.json()["error"]
    assert error["message"] == "1 problem in the file; nothing was saved."
    assert error["rows"] == [
        {
            "line": 5,
            "column": "status",
            "message": "Only the program's admins and named verifiers import activities as "
            "verified: give self_reported.",
        }
    ]
    assert activities(world) == []


def test_too_big_a_file_is_a_400(api_client, world, monkeypatch):
    monkeypatch.setattr(services, "MAX_BYTES", 100)
    api_client.force_authenticate(world.staff)
    answer = post(api_client, world, good_file())
    assert answer.status_code == 400
    assert "an import takes at most" in answer.json()["error"]["message"]


def test_the_csv_may_come_as_text_in_json(api_client, world):
    api_client.force_authenticate(world.staff)
    url = f"/api/v1/programs/{world.program.slug}/cpd-activities/import/"
    answer = api_client.post(url, {"csv": good_file()}, format="json")
    assert answer.status_code == 201 and answer.json()["imported"] == 3
    neither = api_client.post(url, {"check": True}, format="json")
    assert neither.status_code == 400
    form = api_client.post(url, f"csv={HEADER}", content_type="application/x-www-form-urlencoded")
    assert form.status_code == 415
