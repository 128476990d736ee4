"""Importing a past CPD transcript from the page: checked whole, landing whole or not at all,
every bad row named by its line and column; the file's encoding, size and rows; who may import
for others and mark rows verified; a template to fill in."""

from decimal import Decimal

import pytest

from cpd.imports import services
from psp.history.models import ChangeRecord, SubjectType
from psp.tenancy.scope import program_scope
from tests.cpd.imports.helpers import (
    HEADER,
    LAST_YEAR,
    SOON,
    activities,
    good_file,
    page_url,
    upload,
)

pytestmark = pytest.mark.django_db


def test_a_good_file_lands_whole_credited_by_the_persons_scheme(client, world):
    client.force_login(world.lead)

    page = upload(client, world, good_file())

    result = page.context["result"]
    assert result.imported and result.errors == []
    rows = activities(world, person=world.lead)
    assert [(a.title, a.category, a.credits, a.status, a.source) for a in rows] == [
        ("Recall audit", "certified", Decimal("7.50"), "self_reported", "import"),
        ("Safer opioid prescribing", "certified", Decimal("3.00"), "self_reported", "import"),
        ("Diabetes guideline update", "self-directed", Decimal("2.00"), "self_reported", "import"),
    ]
    audit, workshop, _ = rows
    assert audit.reflection == {
        "found": 'Found 40% overdue; we now run a monthly recall, "and it works".'
    }
    assert workshop.reflection == {"learned": "Taper plans need a review date."}
    assert workshop.practice == world.practice and workshop.cycle is not None
    assert audit.cycle is not None
    text = page.content.decode()
    assert "Imported" in text and "Safer opioid prescribing" in text
    with program_scope(world.program):
        lines = ChangeRecord.objects.filter(subject_type=SubjectType.CPD_ACTIVITY)
        assert {line.what for line in lines} == {"cpd_activity.imported"}
        assert lines.count() == 3


def test_checking_a_file_saves_nothing(client, world):
    client.force_login(world.lead)
    page = upload(client, world, good_file(), button="check")
    assert len(page.context["result"].rows) == 3
    assert "ready to import" in page.content.decode()
    assert activities(world) == []
    with program_scope(world.program):
        from cpd.models import CpdCycle

        assert not CpdCycle.objects.exists()  # checking makes no cycle either


def test_importing_the_same_file_twice_adds_nothing_the_second_time(client, world):
    client.force_login(world.lead)
    upload(client, world, good_file())
    page = upload(client, world, good_file())
    result = page.context["result"]
    assert (len(result.rows), len(result.already), result.imported) == (0, 3, False)
    assert len(activities(world)) == 3


def test_every_bad_row_is_named_and_nothing_lands(client, world):
    text = HEADER + (
        f",workshop,Good row,,{LAST_YEAR},,2,,,,,\n"  # line 2: fine
        f",webinar,Bad type,,{LAST_YEAR},,2,,,,,\n"  # line 3
        f",workshop,Bad date,,15/03/2024,,2,,,,,\n"  # line 4
        f",workshop,No hours,,{LAST_YEAR},,,,,,,\n"  # line 5
        f",workshop,Future,,{SOON},,2,,,,,\n"  # line 6
        f",workshop,Bad category,,{LAST_YEAR},,2,,ethics,,,\n"  # line 7
        f",workshop,Verified own,,{LAST_YEAR},,2,,,,verified,\n"  # line 8
        f"someone@else.org,workshop,Someone else's,,{LAST_YEAR},,2,,,,,\n"  # line 9
        f",workshop,Good row,,{LAST_YEAR},,2,,,,,\n"  # line 10: line 2 again
        f",workshop,Bad credits,,{LAST_YEAR},,2,,,-1,,\n"  # line 11
        f",workshop,,,{LAST_YEAR},,2,,,,maybe,\n"  # line 12: two problems
    )
    client.force_login(world.lead)

    page = upload(client, world, text)

    errors = [(e.line, e.column, e.message) for e in page.context["result"].errors]
    assert errors == [
        (3, "type", "Give one of workshop, course, seminar, conference, reading, practice_audit, "
         "mentoring_given, mentoring_received, certification; not “webinar”."),
        (4, "started_on", "Give the date as year-month-day, e.g. 2024-03-15, not “15/03/2024”."),
        (5, "hours", "Give the hours it took."),
        (6, "started_on", "This date is in the future: record the activity once it is done."),
        (7, "category", "“ethics” is not a category of your scheme (certified, self-directed, "
         "assessment)."),
        (8, "status", "Only the program's admins and named verifiers import activities as "
         "verified: give self_reported."),
        (9, "email", "You import your own CPD only: leave email blank (the program's admins "
         "import for others)."),
        (10, "title", "The same activity as line 2 (type, title and dates)."),
        (11, "credits", "Give the credits as a number from 0 to 10000, e.g. 1.5."),
        (12, "title", "This field is required."),
        (12, "status", "Give self_reported or verified, not “maybe”."),
    ]  # fmt: skip
    assert "Nothing was imported" in page.content.decode()
    assert activities(world) == []


def test_an_admin_imports_for_the_programs_people_and_may_verify(client, world):
    text = HEADER + (
        f"{world.staff.email.upper()},workshop,Team huddles,,{LAST_YEAR},,2,,,,verified,\n"
        f"{world.lead.email},course,Leading change,,{LAST_YEAR},,6,,,,,\n"  # no rule for courses
        f"nobody@example.org,course,Leading change,,{LAST_YEAR},,6,,,,,\n"
    )
    client.force_login(world.admin)
    refused = upload(client, world, text)
    assert [(e.line, e.column, e.message) for e in refused.context["result"].errors] == [
        (3, "category", "Give a category: their scheme gives course none of its own "
         "(certified, self-directed, assessment)."),
        (4, "email", "No one in this program has the address “nobody@example.org”."),
    ]  # fmt: skip

    fixed = text.rsplit("nobody", 1)[0].replace(",6,,,,,", ",6,,Self-directed,,,")
    page = upload(client, world, fixed)

    assert page.context["result"].imported
    staff = activities(world, person=world.staff)[0]
    assert (staff.status, staff.verified_by, staff.credits) == (
        "verified",
        world.admin,
        Decimal("2.00"),
    )
    lead = activities(world, person=world.lead)[0]
    assert (lead.status, lead.created_by) == ("self_reported", world.admin)
    assert (lead.category, lead.credits) == ("self-directed", 0)  # the scheme credits no courses


def test_a_named_verifier_may_not_import_for_others(client, world):
    client.force_login(world.other_coach)  # a named verifier, not an admin
    page = upload(client, world, HEADER + f"{world.staff.email},workshop,X,,{LAST_YEAR},,2,,,,,\n")
    assert page.context["result"].errors[0].column == "email"


def test_a_file_saved_by_excel_with_a_byte_order_mark_is_read(client, world):
    client.force_login(world.lead)
    page = upload(client, world, "\ufeff" + good_file().replace("\n", "\r\n"), button="check")
    assert page.context["result"].errors == [] and len(page.context["result"].rows) == 3


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (good_file().encode("cp1252") + "é".encode("cp1252"), "The file is not UTF-8 text"),
        (b"PK\x03\x04rest-of-a-zip", "This is a spreadsheet file, not a CSV"),
        (b"kind,name\nworkshop,x\n", "The first line must name the columns; missing: type, title"),
        (HEADER.encode(), "The file has no activities under its header."),
        (
            (HEADER.strip() + ",hourz\n,workshop,X,,2024-01-01\n").encode(),
            "Unknown column(s): hourz.",
        ),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_whole(client, world, content, message):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(world.lead)
    file = SimpleUploadedFile("transcript.csv", content, content_type="text/csv")
    page = client.post(page_url(world), {"file": file, "import": ""})
    (error,) = page.context["result"].errors
    assert message in error.message
    assert activities(world) == []


def test_too_big_a_file_is_refused_next_to_the_field(client, world, monkeypatch):
    monkeypatch.setattr(services, "MAX_BYTES", 100)
    client.force_login(world.lead)
    page = upload(client, world, good_file())
    assert "an import takes at most" in str(page.context["form"].errors["file"])


def test_too_many_rows_are_refused(client, world, monkeypatch):
    monkeypatch.setattr(services, "MAX_ROWS", 2)
    client.force_login(world.lead)
    page = upload(client, world, good_file())
    (error,) = page.context["result"].errors
    assert error.message == "The file has more than 2 rows: split it into smaller files."


def test_many_rows_import_in_a_fixed_number_of_queries(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def file(n, offset):
        return HEADER + "".join(
            f",workshop,Session {offset + i},,{LAST_YEAR},,1,,,,,\n" for i in range(n)
        )

    client.force_login(world.lead)
    upload(client, world, file(1, 0))  # the cycle is made here
    with CaptureQueriesContext(connection) as small:
        upload(client, world, file(2, 100))
    # 30 rows: one INSERT on SQLite too (bulk_create splits at its ~999 parameters, ~39 rows).
    with CaptureQueriesContext(connection) as large:
        page = upload(client, world, file(30, 200))
    assert len(page.context["result"].rows) == 30
    assert len(large.captured_queries) == len(small.captured_queries)


def test_the_template_has_the_header_and_an_example_that_imports(client, world):
    client.force_login(world.lead)
    answer = client.get(page_url(world, "cpd_imports:template"))
    text = answer.content.decode()
    assert text.splitlines()[0] == HEADER.strip()
    assert answer["Content-Disposition"] == 'attachment; filename="cpd-transcript-template.csv"'
    page = upload(client, world, text)
    assert page.context["result"].imported
