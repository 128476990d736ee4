"""The CPD transcript and certificate as their readers see them: what each says of the cycle,
the PDF they are laid out into, and the credential each issues."""

import io
import re

import pytest
from pypdf import PdfReader

from cpd.credentials.models import CpdCredential
from psp.reports.registry import document
from psp.reports.rendering import render_pdf
from psp.tenancy.scope import program_scope
from tests.cpd.documents.conftest import LAST_YEAR, MET_TITLE
from tests.cpd.documents.helpers import sections
from tests.reports.helpers import ask

pytestmark = pytest.mark.django_db


def test_the_transcript_shows_the_cycle_its_credits_and_each_activity(docs, world):
    html = sections(world, "cpd_transcript", docs.met)

    assert world.staff.full_name in html
    assert "Annual CPD" in html
    assert f"1 Jan {LAST_YEAR}" in html and f"31 Dec {LAST_YEAR}" in html
    assert "Requirements met" in html
    assert "Ethics and professionalism" in html  # credits by category against its minimum
    assert "Year 1" in html  # and by cycle year
    assert MET_TITLE in html and "Law society" in html
    assert f"Verified by {world.admin.full_name}" in html
    assert "Evidence: ethics-certificate.pdf" in html  # the file's name, not the file
    with program_scope(world.program):
        credential = CpdCredential.objects.get()
    assert credential.display_code in html
    assert f"/verify/{credential.display_code}/" in html


def test_a_transcript_of_a_cycle_not_met_names_its_shortfalls(docs, world):
    html = sections(world, "cpd_transcript", docs.current)

    assert "Still short" in html
    assert "Ethics and professionalism: 2 credits more" in html
    with program_scope(world.program):
        assert CpdCredential.objects.get().status == "in_progress"


def test_the_certificate_says_who_met_which_requirements_and_when(docs, world):
    html = sections(world, "cpd_certificate", docs.met)

    assert world.staff.full_name in html
    assert "Annual CPD" in html
    assert world.program.name in html
    assert re.search(r"<strong>13</strong><span>credits achieved", html)
    assert re.search(r"<strong>12</strong><span>credits required", html)
    assert f"20 September {LAST_YEAR}" in html  # the day the last requirement was met
    with program_scope(world.program):
        credential = CpdCredential.objects.get()
    assert (credential.kind, credential.status) == ("certificate", "met")
    assert str(credential.met_on) == f"{LAST_YEAR}-09-20"
    assert credential.display_code in html


def _pdf_text(world, code: str, cycle) -> tuple[str, int]:
    out = io.BytesIO()
    with program_scope(world.program):
        pages = render_pdf(
            document=document(code),
            program=world.program,
            params={"cycle": cycle.pk},
            out=out,
            progress=lambda done, total: None,
        )
    reader = PdfReader(io.BytesIO(out.getvalue()))
    return " ".join(page.extract_text() for page in reader.pages), pages


def test_both_documents_render_to_pdfs_that_read_as_they_should(docs, world):
    transcript, _ = _pdf_text(world, "cpd_transcript", docs.met)
    certificate, pages = _pdf_text(world, "cpd_certificate", docs.met)

    assert "CPD transcript" in transcript
    assert MET_TITLE in transcript
    assert "Verification" in transcript
    assert pages == 1  # the certificate is one page
    assert "Certificate of continuing professional development" in certificate
    assert world.staff.full_name in certificate
    with program_scope(world.program):
        codes = set(CpdCredential.objects.values_list("code", flat=True))
    assert len(codes) == 2
    for code in codes:
        grouped = f"{code[:4]}-{code[4:8]}-{code[8:]}"
        assert grouped in transcript or grouped in certificate


def test_each_report_issues_one_credential_and_a_new_report_a_new_code(
    docs, world, django_capture_on_commit_callbacks, monkeypatch
):
    from psp.reports import building

    built = []

    def render(*, document, program, params, out, progress, report_id=None):
        built.append(
            "".join(
                s.html
                for s in document.build(program, params, progress=progress, report_id=report_id)
            )
        )
        out.write(b"%PDF-1.4\n%%EOF\n")
        return 1

    monkeypatch.setattr(building, "render_pdf", render)
    first = ask(
        world,
        world.staff,
        django_capture_on_commit_callbacks,
        "cpd_transcript",
        {"cycle": docs.met.pk},
    )
    with program_scope(world.program):
        building.build(program=world.program, report_id=first.pk)  # done: nothing again
        first.state = "running"
        first.save(update_fields=["state"])
        building.build(program=world.program, report_id=first.pk)  # a second run
        assert CpdCredential.objects.filter(report=first).count() == 1
    second = ask(
        world,
        world.staff,
        django_capture_on_commit_callbacks,
        "cpd_transcript",
        {"cycle": docs.met.pk},
    )
    with program_scope(world.program):
        credentials = list(CpdCredential.objects.order_by("pk"))
    assert [c.report_id for c in credentials] == [first.pk, second.pk]
    assert credentials[0].code != credentials[1].code
    assert re.fullmatch(r"[2-9A-HJKMNP-Z]{12}", credentials[0].code)
    assert credentials[0].code in built[0].replace("-", "")
    assert credentials[0].code in built[1].replace("-", "")  # the second run printed the same
