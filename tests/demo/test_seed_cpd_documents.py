"""psp/demo/cpd_documents.py: Mei Lin's completed five-year cycle, its certificate and its
transcript made as done reports, each with a code the public check answers."""

import io

from django.test import Client
from pypdf import PdfReader

from cpd.credentials.selectors import standing
from cpd.models import CpdCredential, CpdCycle
from psp.demo.programs import NORTHERN
from psp.reports.models import Report, ReportState
from psp.tenancy.models import Program
from psp.tenancy.scope import program_scope


def stored_pdf(report, tmp_path_factory) -> bytes:
    """The report's file. The seeded demo is built once per process, by whichever test asked
    first, so its files are in that test's private folder, not necessarily this one's."""
    try:
        with report.file.open("rb") as stored:
            return stored.read()
    except FileNotFoundError:
        base = tmp_path_factory.getbasetemp()
        (found,) = base.glob(f"**/private/{report.file.name}")
        return found.read_bytes()


def test_mei_lin_has_a_met_cycle_with_its_certificate_and_transcript_made(seeded, tmp_path_factory):
    program = Program.objects.get(slug=NORTHERN)
    with program_scope(program):
        credentials = CpdCredential.objects.select_related("cycle").filter(
            person__full_name="Mei Lin"
        )
        assert {c.kind for c in credentials} == {"certificate", "transcript"}
        cycle = CpdCycle.objects.select_related("version").get(pk=credentials[0].cycle_id)
        assert cycle.ends_on < program.local_today()
        assert standing(cycle, today=program.local_today()).progress.is_met
        for credential in credentials:
            report = Report.objects.get(pk=credential.report_id)
            assert report.state == ReportState.DONE
            assert report.requested_by.full_name == "Mei Lin"
            pdf = PdfReader(io.BytesIO(stored_pdf(report, tmp_path_factory)))
            text = " ".join(page.extract_text() for page in pdf.pages)
            assert credential.display_code in text
            assert credential.status == "met"
        certificate = credentials.get(kind="certificate")
    page = Client().get(f"/verify/{certificate.code.lower()}/")
    assert page.status_code == 200
    assert "Mei Lin" in page.content.decode()


def test_seeding_again_makes_no_second_certificate(seeded):
    from tests.demo.conftest import seed

    seed()
    program = Program.objects.get(slug=NORTHERN)
    with program_scope(program):
        assert CpdCredential.objects.filter(person__full_name="Mei Lin").count() == 2
