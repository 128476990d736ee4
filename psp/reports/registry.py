"""What apps tell the reports app: the documents they offer.

An app registers a `Document` in its `documents.py` (found at start-up by
`autodiscover_modules("documents")` in apps.py). The reports app does the rest, the same for
every document: the request (answered at once), the task in the worker, progress, the PDF
(rendered section by section, so memory does not grow with the document), private storage,
the download through a permission check, expiry, subscriptions and the "ready" notification.

A document's `build` yields `Section`s of HTML (fragments of the body; the reports app wraps
them in the print layout: the program's name, the title, the period and filters, page numbers
and the date made). It reports its progress by calling `progress(done, total)` as it goes, and
reads only the program in scope (the task runs inside it).
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from psp.tenancy.permissions import Capability


@dataclass(frozen=True)
class Section:
    html: str  # an HTML fragment: <section>…</section>
    # Start this section on a new page (a practice's section in the program report).
    page_break_before: bool = False


@dataclass(frozen=True)
class Document:
    code: str  # e.g. "practice_card"; stored on each report
    title: str  # e.g. "Practice report card"
    # Who may request it, and see and download what they requested. For a practice document the
    # capability is asked on that practice (access.can(capability, practice_id)).
    capability: Capability
    # "practice": about one practice (params carry "practice"); "program": the whole program;
    # "person": about one person's record (a CPD cycle), with `may` saying who may ask.
    subject: str
    # A django Form class (not bound) validating the parameters, read from the URL's query
    # string (GET) so a filtered page's link can ask for the same report. Its cleaned_data must
    # be made JSON-ready by `params_from(form)`.
    form: type
    # form -> JSON-ready dict of parameters (ids, ISO dates, codes), stored on the report.
    params_from: Callable[..., dict]
    # build(program, params, *, progress) -> Iterator[Section]
    build: Callable[..., Iterator[Section]]
    # describe(program, params) -> str: one line for lists and the layout, e.g.
    # "Northshore CHC · 1 Jan 2026 – 31 Dec 2026"
    describe: Callable[..., str]
    # Extra CSS files (static paths) the document's sections need, e.g. "css/report_card.css".
    stylesheets: tuple[str, ...] = field(default=())
    # May managers subscribe to it (monthly, quarterly)?
    subscribable: bool = False
    # may(access, params) -> bool: for a document about one person's record, may this person
    # ask for it with these parameters (the request's raw data or the stored parameters, which
    # name the record the same way)? Asked on top of the capability, before the form looks the
    # record up, and again before a download. False answers 404, as for a record that does not
    # exist; parameters that name no record yet pass (the form asks for one).
    may: Callable[..., bool] | None = None
    # The build also takes `report_id=` (None when rendered outside a report): for documents
    # that record something once per report, e.g. the verification code a CPD certificate
    # prints, found again when the report's task runs a second time.
    per_report: bool = False


_documents: dict[str, Document] = {}


@dataclass(frozen=True)
class ExtraSections:
    """Sections another app adds to a document without the document's app knowing that app
    (the program report shows the KPI dashboard, and coaching does not import kpis). The
    document yields them where it says (the program report: after its summaries)."""

    document_code: str
    # build(program, params) -> Iterator[Section]: the document's own params, read as it reads
    # them; runs in the document's task, inside the program's scope.
    build: Callable[..., Iterator[Section]]
    stylesheets: tuple[str, ...] = field(default=())


_extras: dict[str, list[ExtraSections]] = {}


def register_sections(extra: ExtraSections) -> ExtraSections:
    registered = _extras.setdefault(extra.document_code, [])
    if extra not in registered:
        registered.append(extra)
    return extra


def extra_sections(code: str, program, params: dict) -> Iterator[Section]:
    """The sections other apps add to document `code`, in the order they registered."""
    for extra in _extras.get(code, ()):
        yield from extra.build(program, params)


def extra_stylesheets(code: str) -> tuple[str, ...]:
    return tuple(name for extra in _extras.get(code, ()) for name in extra.stylesheets)


def register_document(document: Document) -> Document:
    if document.code in _documents and _documents[document.code] != document:
        raise ValueError(f"Document {document.code!r} is registered twice.")
    _documents[document.code] = document
    return document


def document(code: str) -> Document:
    """The registered document with this code (KeyError if none)."""
    return _documents[code]


def documents() -> list[Document]:
    return list(_documents.values())
