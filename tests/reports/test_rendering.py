"""render_pdf: a document's sections laid out in chunks and joined, with page numbers that run
on across the chunks, the print layout's margins on every page, and nothing fetched."""

import io
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader

from psp.reports import rendering
from psp.reports.registry import Document, Section
from psp.tenancy.permissions import Capability


@dataclass
class Program:  # what render_pdf reads of a program
    name: str = "North PSP"
    zone: ZoneInfo = ZoneInfo("America/Toronto")


IMAGE = "https://example.invalid/logo.png"


def _build(program, params, *, progress):
    count = params["sections"]
    for index in range(count):
        rows = "".join(f"<tr><td>Line {index}.{row}</td></tr>" for row in range(25))
        picture = f'<img src="{IMAGE}" alt="">' if index == 0 else ""
        yield Section(
            html=f"<section><h2>Section {index}</h2>{picture}<table>{rows}</table></section>"
        )
        progress(index + 1, count)


DOCUMENT = Document(
    code="test_sections",
    title="Sections report",
    capability=Capability.REPORT_PROGRAM,
    subject="program",
    form=object,
    params_from=dict,
    build=_build,
    describe=lambda program, params: f"{params['sections']} sections · Sector: law",
)


def _render(sections: int, **kwargs):
    out, steps = io.BytesIO(), []
    pages = rendering.render_pdf(
        document=DOCUMENT,
        program=Program(),
        params={"sections": sections},
        out=out,
        progress=lambda done, total: steps.append((done, total)),
        **kwargs,
    )
    texts = [page.extract_text() for page in PdfReader(io.BytesIO(out.getvalue())).pages]
    return pages, texts, steps


@pytest.fixture(scope="module")
def chunked(request):
    """Twelve sections of about half a page each, laid out two at a time (six chunks), with
    every URL the renderer was asked to fetch."""
    asked = []

    def refuse(self, url, headers=None):
        asked.append(url)
        raise ValueError("no network")

    patch = pytest.MonkeyPatch()
    patch.setattr(rendering.NoFetching, "fetch", refuse)
    try:
        yield (*_render(12, chunk_size=2), asked)
    finally:
        patch.undo()


def test_page_numbers_run_on_across_chunks(chunked):
    pages, texts, _, _ = chunked
    assert pages == len(texts) > 6  # more pages than chunks: some chunks span two pages
    for number, text in enumerate(texts, start=1):
        assert f"Page {number} of {pages}" in text


def test_every_page_carries_the_program_title_period_and_date_made(chunked):
    _, texts, _, _ = chunked
    for text in texts:
        assert "North PSP" in text and "Sections report" in text
        assert "12 sections · Sector: law" in text and "Made " in text
    assert "Line 11.24" in texts[-1]  # the last section, to its end


def test_nothing_is_fetched_from_the_network(chunked):
    _, _, _, asked = chunked
    assert asked == [IMAGE]  # asked of our fetcher, which refused it: the PDF was made anyway


def test_progress_is_reported_to_the_end(chunked):
    _, _, steps, _ = chunked
    assert steps[-1] == (12, 12)


def test_a_document_without_sections_says_so_on_one_page():
    pages, texts, _ = _render(0)
    assert pages == 1
    assert "nothing to show" in texts[0] and "Page 1 of 1" in texts[0]
