"""The compliance documents rendered once from a practice's history (builders.py), with a second
program beside it."""

import io
from dataclasses import dataclass

from pypdf import PdfReader

from compliance.reports.forms import PracticeComplianceForm, practice_params
from psp.reports.registry import document
from psp.reports.rendering import render_pdf
from psp.tenancy.scope import program_scope
from tests.compliance.reports.builders import compliance_history
from tests.conftest import World, build_world
from tests.shared_data import shared_fixture


@dataclass
class Rendered:
    world: World
    pdfs: dict  # document code -> (bytes, pages, progress)

    def texts(self, code: str) -> list[str]:
        return [page.extract_text() for page in PdfReader(io.BytesIO(self.pdfs[code][0])).pages]


def render(world: World, code: str, params: dict):
    out, steps = io.BytesIO(), []
    with program_scope(world.program):
        pages = render_pdf(
            document=document(code),
            program=world.program,
            params=params,
            out=out,
            progress=lambda done, total: steps.append((done, total)),
        )
    return out.getvalue(), pages, steps


@shared_fixture
def rendered() -> Rendered:
    world = build_world("comply-psp", "Comply PSP")
    build_world("south-psp", "South PSP")
    compliance_history(world)
    with program_scope(world.program):
        form = PracticeComplianceForm({"practice": str(world.practice.pk)})
        assert form.is_valid(), form.errors
        params = practice_params(form)
    return Rendered(
        world,
        {
            "compliance_report": render(world, "compliance_report", params),
            "compliance_status": render(
                world, "compliance_status", {"sector": "", "template": None}
            ),
        },
    )
