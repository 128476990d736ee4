"""A page with a subject's evidence panel costs the same however many files it lists: the kind's
rights once, the files with their uploaders in one query, nothing per file while rendering."""

from types import SimpleNamespace

from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext

from psp.evidence.panel import evidence_panel
from psp.tenancy.access import access_for
from psp.tenancy.scope import program_scope
from tests.evidence.subjects import CODE, pdf_bytes, record_of, stored_evidence


def _render(world, record, person) -> tuple[int, str]:
    with program_scope(world.program), CaptureQueriesContext(connection) as queries:
        access = access_for(program=world.program, user=person)
        panel = evidence_panel(
            access=access, subject_type=CODE, subject_id=record.pk, next_url="/p/north-psp/"
        )
        html = render_to_string(
            "evidence/_panel.html",
            {
                "evidence": panel,
                "current_program": world.program,
                "request": SimpleNamespace(htmx=False),
                "csrf_token": "token",
            },
        )
    return len(queries), html


def test_the_panel_costs_the_same_for_one_file_and_for_three(world):
    record = record_of(world)
    stored_evidence(world, record, name="one.pdf", by=world.staff, content=pdf_bytes("1"))
    one, html = _render(world, record, world.admin)
    assert html.count("/evidence/") >= 2  # its download and remove links
    for number, person in ((2, world.admin), (3, world.lead)):
        content = pdf_bytes(str(number))
        stored_evidence(world, record, name=f"{number}.pdf", by=person, content=content)
    three, html = _render(world, record, world.admin)
    assert three == one
    assert all(name in html for name in ("one.pdf", "2.pdf", "3.pdf", world.lead.get_full_name()))


def test_the_owner_sees_the_upload_form_and_a_reader_does_not(world):
    record = record_of(world)
    _, owners = _render(world, record, world.staff)
    _, leads = _render(world, record, world.lead)
    assert 'type="file"' in owners and 'accept="application/pdf,image/png' in owners
    assert "multiple" in owners and "capture" not in owners
    assert 'type="file"' not in leads
    assert "No evidence files yet." in leads


def test_whoever_may_not_read_gets_no_panel(world):
    with program_scope(world.program):
        access = access_for(program=world.program, user=world.coach)
        panel = evidence_panel(
            access=access, subject_type=CODE, subject_id=record_of(world).pk, next_url="/"
        )
    assert panel is None
