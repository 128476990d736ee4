"""The transcript import page (check a file, then import it) and its template CSV. Everyone
imports their own past CPD (cpd.record); the program's admins (cpd.define), who already put
activities in people's records through program activities, import for others by email."""

import csv

from django.http import HttpResponse
from django.views.generic import FormView, View

from cpd.activities import selectors as activities
from cpd.activities.views.common import CpdPageMixin
from cpd.imports import services
from cpd.imports.forms import TranscriptImportForm
from cpd.imports.rows import COLUMNS
from psp.tenancy.permissions import Capability

RECORD, DEFINE = Capability.CPD_RECORD, Capability.CPD_DEFINE
ROWS_SHOWN = 200


class TranscriptImportView(CpdPageMixin, FormView):
    capability = RECORD
    form_class = TranscriptImportForm
    template_name = "cpd/imports/import.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            columns=COLUMNS,
            for_others=self.access.can(DEFINE),
            verifies=activities.can_verify(self.access),
            rows_shown=ROWS_SHOWN,
        )
        return context

    def form_valid(self, form):
        commit = "import" in self.request.POST
        result = services.transcript_import(
            program=self.request.program,
            access=self.access,
            by=self.request.user,
            data=form.cleaned_data["file"].read(),
            commit=commit,
        )
        form = TranscriptImportForm() if result.imported else form
        context = self.get_context_data(form=form, result=result, commit=commit)
        return self.render_to_response(context)


class TranscriptTemplateView(CpdPageMixin, View):
    """A CSV to fill in: the header and one example row (the importer's own: email blank)."""

    capability = RECORD

    def get(self, request, *args, **kwargs):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="cpd-transcript-template.csv"'
        writer = csv.writer(response)
        writer.writerow(COLUMNS)
        writer.writerow(services.example_row())
        return response
