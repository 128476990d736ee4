"""Reports in tests (their files go to a temporary private folder: tests/conftest.py): a small
renderer in place of the print layout (a few real PDF pages, with the progress calls a document
makes), and the notifications service replaced by a recorder."""

import sys
import types
from dataclasses import dataclass, field

import pytest

from psp.reports import building
from psp.reports.models import Report
from tests.reports.documents import ensure_documents


@pytest.fixture(autouse=True)
def _documents():
    ensure_documents()


@dataclass
class FakeRenderer:
    """Writes a PDF of `pages` pages, calling progress(step, steps) for each step and noting
    the progress the report's row holds after each call (what its page would read)."""

    pages: int = 3
    steps: int = 20
    error: Exception | None = None
    seen: list = field(default_factory=list)
    calls: list = field(default_factory=list)

    def __call__(self, *, document, program, params, out, progress, report_id=None) -> int:
        from weasyprint import HTML

        self.calls.append((document.code, program.pk, dict(params)))
        report = Report.objects.order_by("-pk").first()
        for step in range(1, self.steps + 1):
            progress(step, self.steps)
            self.seen.append(Report.objects.get(pk=report.pk).progress)
            if self.error is not None and step == self.steps // 2:
                raise self.error
        body = "".join(
            f'<p style="break-after: page">{document.title}, page {n}</p>'
            for n in range(1, self.pages + 1)
        )
        rendered = HTML(string=f"<html><body>{body}</body></html>").render()
        rendered.write_pdf(out)
        return len(rendered.pages)


@pytest.fixture(autouse=True)
def renderer(monkeypatch) -> FakeRenderer:
    fake = FakeRenderer()
    monkeypatch.setattr(building, "render_pdf", fake)
    return fake


@pytest.fixture(autouse=True)
def notices(monkeypatch) -> list:
    """The Dues recorded by psp.notifications.services.notify (which, like the real one, records
    a key once)."""
    sent = []

    def notify(*, program, due):
        if due.key not in {known.key for _, known in sent}:
            sent.append((program.pk, due))

    module = types.ModuleType("psp.notifications.services")
    module.notify = notify
    monkeypatch.setitem(sys.modules, "psp.notifications.services", module)
    return sent
