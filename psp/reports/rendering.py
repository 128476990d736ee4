"""A document's sections as one PDF, in memory that does not grow with the number of sections.

WeasyPrint lays out a whole HTML document at once and keeps every page's boxes until it writes
the file, so a program report of thousands of practices laid out in one go would need memory in
proportion. Here the sections a document's `build` yields are gathered `chunk_size` at a time;
each chunk is laid out in the print layout (templates/reports/print_layout.html with
static/css/print.css) and written to a temporary PDF, and its boxes are dropped before the next
chunk is read. The chunks are then joined with pypdf, and each page gets its "Page N of M"
stamped from a small overlay rendered by WeasyPrint too (the total is known only at the end).
A document that fits in one chunk (a practice's card) is laid out once and numbered by
WeasyPrint's own page counters, with no joining.
What stays in memory is the joined file's page objects (kilobytes a page), not layouts.

Nothing is fetched while rendering: the stylesheets are read from our static files here, and
the URL fetcher refuses every URL, so a report never reaches the network or the disk beyond
them.
"""

import functools
import itertools
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, StreamObject
from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher

from psp.reports.registry import Document, Section, extra_stylesheets

# Sections per WeasyPrint layout: a practice's block of the program report is about a third of
# a page, so a chunk is some fifteen pages (about 5 s of layout, tens of megabytes at most).
CHUNK_SECTIONS = 40
# ... and at most about this much HTML (some five pages of tables), whatever the sections.
CHUNK_CHARACTERS = 60_000

# Every document's stylesheets: the charts' classes the pages use too, then the print layout
# (which adapts a few of them to paper, so it comes last).
PAGE_STYLESHEET = "css/print.css"
BASE_STYLESHEETS = ("css/charts.css", PAGE_STYLESHEET)


class NoFetching(URLFetcher):
    """Refuses every URL: a report's HTML and CSS carry everything they show."""

    def fetch(self, url, headers=None):
        raise ValueError(f"Reports fetch nothing ({url}).")


def render_pdf(
    *,
    document: Document,
    program,
    params: dict,
    out,
    progress: Callable[[int, int], None],
    chunk_size: int = CHUNK_SECTIONS,
    report_id: int | None = None,
) -> int:
    """Build `document` for `program` (inside its scope) and write it as a PDF to the binary
    file `out`; returns the number of pages. `report_id` reaches a `per_report` document."""
    extra = {"report_id": report_id} if document.per_report else {}
    with timezone.override(program.zone), tempfile.TemporaryDirectory() as folder:
        layout = _Layout(document, program, params)
        chunks = _chunks(document.build(program, params, progress=progress, **extra), chunk_size)
        first = next(chunks, [])
        following = next(chunks, None)
        if following is None:  # one layout holds it all: WeasyPrint numbers the pages itself
            laid_out = layout.layout(first, first=True, numbered=True)
            laid_out.write_pdf(out)
            return len(laid_out.pages)
        parts, folder = [], Path(folder)
        for index, chunk in enumerate(itertools.chain([first, following], chunks)):
            path = folder / f"part-{index:05}.pdf"
            laid_out = layout.layout(chunk, first=index == 0)
            laid_out.write_pdf(path)
            parts.append((path, len(laid_out.pages)))
            del laid_out  # its boxes go before the next chunk is laid out
        total = sum(pages for _, pages in parts)
        _join(parts, total=total, layout=layout, folder=folder, out=out)
    return total


@functools.lru_cache(maxsize=16)
def _parsed(path: Path, modified: int) -> CSS:
    """A stylesheet parsed once per worker (again if the file changes): parsing print.css and
    charts.css is a tenth of a second a report."""
    return CSS(string=path.read_text(encoding="utf-8"), url_fetcher=NoFetching())


def _chunks(sections: Iterable[Section], size: int, most_chars: int = CHUNK_CHARACTERS):
    """The sections in lists of at most `size`, cut earlier when their HTML passes
    `most_chars` (a long table in one section must not make a chunk of many pages)."""
    chunk: list[Section] = []
    characters = 0
    for section in sections:
        chunk.append(section)
        characters += len(section.html)
        if len(chunk) >= size or characters >= most_chars:
            yield chunk
            chunk, characters = [], 0
    if chunk:
        yield chunk


class _Layout:
    """The print layout of one document: its stylesheets (read once) and its margins' text."""

    def __init__(self, document: Document, program, params: dict):
        self.context = {
            "program": program,
            "title": document.title,
            "description": document.describe(program, params),
            "made": timezone.localtime(),
        }
        self.fetcher = NoFetching()
        names = BASE_STYLESHEETS + tuple(document.stylesheets) + extra_stylesheets(document.code)
        self.stylesheets = [self._stylesheet(name) for name in names]
        # The page numbers' overlay needs only the page's size and its margin boxes.
        self.page_css = self.stylesheets[names.index(PAGE_STYLESHEET)]
        self.stylesheets.append(CSS(string=self._margins(), url_fetcher=self.fetcher))
        numbers = '"Page " counter(page) " of " counter(pages)'
        self.numbers = CSS(
            string=f"@page {{ @bottom-right {{ content: {numbers} }} }}", url_fetcher=self.fetcher
        )

    def _stylesheet(self, name: str) -> CSS:
        found = finders.find(name)
        if not found:
            raise FileNotFoundError(f"No static file {name!r} for the print layout.")
        path = Path(found)
        return _parsed(path, path.stat().st_mtime_ns)

    def _margins(self) -> str:
        """The running heads and feet, as @page rules: CSS strings of the program's name, the
        title, the period and filters and the date made."""
        made = render_to_string("reports/_made.txt", self.context).strip()
        foot = f"{self.context['description']} · {made}"
        return (
            "@page { "
            f"@top-left {{ content: {_css_string(self.context['program'].name)}; }} "
            f"@top-right {{ content: {_css_string(self.context['title'])}; }} "
            f"@bottom-left {{ content: {_css_string(foot)}; }} "
            "}"
        )

    def layout(self, sections: list[Section], *, first: bool, numbered: bool = False):
        """The sections laid out in the print layout (a WeasyPrint document); `numbered` adds
        "Page N of M" itself, for a document laid out in one go."""
        html = render_to_string(
            "reports/print_layout.html", {**self.context, "sections": sections, "first": first}
        )
        stylesheets = self.stylesheets + ([self.numbers] if numbered else [])
        return HTML(string=html, url_fetcher=self.fetcher).render(stylesheets=stylesheets)

    def stamps(self, numbers: range, total: int, path: Path) -> None:
        """A PDF of empty pages, one per number, each with "Page N of M" in its margin."""
        html = render_to_string("reports/page_numbers.html", {"numbers": numbers, "total": total})
        HTML(string=html, url_fetcher=self.fetcher).write_pdf(path, stylesheets=[self.page_css])


def _join(parts, *, total: int, layout: _Layout, folder: Path, out) -> None:
    """The parts in order as one PDF with continuous page numbers, written to `out`."""
    writer = PdfWriter()
    first_number = 1
    for path, pages in parts:
        stamp_path = folder / f"{path.stem}-numbers.pdf"
        layout.stamps(range(first_number, first_number + pages), total, stamp_path)
        stamps = PdfReader(stamp_path).pages
        for number, page, stamp in zip(
            itertools.count(first_number), PdfReader(path).pages, stamps, strict=False
        ):
            _stamp(writer, writer.add_page(page), stamp, name=f"/PspPage{number}")
        first_number += pages
    writer.add_metadata({"/Title": f"{layout.context['title']} · {layout.context['program'].name}"})
    writer.write(out)


def _stamp(writer: PdfWriter, page, stamp, *, name: str) -> None:
    """Draw `stamp` (a page of the numbers' overlay) over `page` as a form XObject.

    pypdf's merge_page would parse and rewrite every page's content (ten times the file, and
    memory in proportion); here the page's own content is left as it is, wrapped in q … Q, and
    one small stream draws the stamp after it. WeasyPrint's pages share their resources, so each
    page's stamp has a name of its own there."""
    form = StreamObject()
    form.set_data(stamp.get_contents().get_data())
    form.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): ArrayObject(stamp.mediabox),
            NameObject("/Resources"): stamp["/Resources"].clone(writer),
        }
    )
    form = form.flate_encode()
    resources = page["/Resources"].get_object()
    if "/XObject" not in resources:
        resources[NameObject("/XObject")] = DictionaryObject()
    resources["/XObject"].get_object()[NameObject(name)] = writer._add_object(form)
    contents = page.get("/Contents")
    contents = contents.get_object() if contents is not None else ArrayObject()
    parts = list(contents) if isinstance(contents, ArrayObject) else [page["/Contents"]]
    before, after = StreamObject(), StreamObject()
    before.set_data(b"q\n")
    after.set_data(f"\nQ\nq {name} Do Q\n".encode())
    page[NameObject("/Contents")] = ArrayObject(
        [writer._add_object(before), *parts, writer._add_object(after)]
    )


def _css_string(text: str) -> str:
    """`text` as a quoted CSS string (backslashes, quotes and line ends escaped)."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    escaped = escaped.replace("\n", "\\A ").replace("\r", "")
    return f'"{escaped}"'
