"""The report tests' shared data: a program whose first practice has a year and a half of
coaching (tests/coaching/reports/builders.py), its report card rendered once, and a second
program to show that nothing of it reaches another."""

import io
from dataclasses import dataclass

from pypdf import PdfReader

from coaching.reports.forms import PracticeCardForm, card_params
from psp.reports.registry import document
from psp.reports.rendering import render_pdf
from psp.tenancy.scope import program_scope
from tests.coaching.reports.builders import coached_history
from tests.conftest import World, build_world
from tests.shared_data import shared_fixture


@dataclass
class CardWorld:
    world: World
    other: World
    params: dict
    pdf: bytes
    pages: int
    progress: list

    def texts(self) -> list[str]:
        return [page.extract_text() for page in PdfReader(io.BytesIO(self.pdf)).pages]


def render(world: World, code: str, params: dict, *, chunk_size=None) -> tuple[bytes, int, list]:
    out, steps = io.BytesIO(), []
    extra = {"chunk_size": chunk_size} if chunk_size else {}
    with program_scope(world.program):
        pages = render_pdf(
            document=document(code),
            program=world.program,
            params=params,
            out=out,
            progress=lambda done, total: steps.append((done, total)),
            **extra,
        )
    return out.getvalue(), pages, steps


@shared_fixture
def card_world() -> CardWorld:
    """Card PSP's health centre with its history and its report card (the last twelve
    months), and South PSP beside it."""
    world = build_world("card-psp", "Card PSP")
    other = build_world("south-psp", "South PSP")
    coached_history(world.program, world.practice, world.coach)
    with program_scope(world.program):
        form = PracticeCardForm({"practice": str(world.practice.pk)})
        assert form.is_valid(), form.errors
        params = card_params(form)
    pdf, pages, steps = render(world, "practice_card", params)
    return CardWorld(world, other, params, pdf, pages, steps)
