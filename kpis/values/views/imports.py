"""The CSV import of KPI values and its template. Checking a file shows what importing it would
change; importing checks it whole again and saves every row or none, naming each bad row.

Who: kpi.enter somewhere in the program; each row's practice must be one the person may enter
values for (a coach: their caseload; a lead or staff member: their own practice)."""

import csv

from django.http import HttpResponse
from django.views.generic import FormView, View

from kpis.values.csv_import import COLUMNS, csv_import, template_rows
from kpis.values.forms import ValuesImportForm
from psp.tenancy.pages import ProgramPageMixin
from psp.tenancy.permissions import Capability


class ValuesImportView(ProgramPageMixin, FormView):
    capability = Capability.KPI_ENTER
    form_class = ValuesImportForm
    template_name = "kpis/values/import.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["columns"] = COLUMNS
        return context

    def form_valid(self, form):
        commit = "import" in self.request.POST
        result = csv_import(
            program=self.request.program,
            access=self.access,
            by=self.request.user,
            data=form.cleaned_data["file"].read(),
            commit=commit,
        )
        context = self.get_context_data(form=ValuesImportForm(), result=result, commit=commit)
        return self.render_to_response(context)


class ValuesImportTemplateView(ProgramPageMixin, View):
    """A CSV to fill in: the header and a blank row per KPI for one of the person's practices."""

    capability = Capability.KPI_ENTER

    def get(self, request, *args, **kwargs):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="kpi-values-template.csv"'
        writer = csv.writer(response)
        writer.writerows(template_rows(access=self.access))
        return response
