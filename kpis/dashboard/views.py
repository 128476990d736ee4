"""The program dashboard, /p/<program>/kpis/, and its CSV downloads, for the program's admins
and managers. The filters live in the query string (shareable, bookmarkable); a refused filter
is named beside its field and nothing is shown until it is fixed."""

from django.http import Http404, HttpResponseBadRequest
from django.views.generic import TemplateView

from kpis.dashboard import csv as downloads
from kpis.dashboard.filters import DashboardFilter
from kpis.dashboard.panels import dashboard
from psp.tenancy.pages import ProgramPageMixin
from psp.tenancy.permissions import Capability


class DashboardView(ProgramPageMixin, TemplateView):
    capability = Capability.KPI_DASHBOARD
    template_name = "kpis/dashboard/dashboard.html"

    def read(self) -> dict | None:
        self.filters = DashboardFilter.for_page(self.request)
        if not self.filters.is_valid():
            return None
        values = self.filters.values()
        return dashboard(access=self.access, program=self.request.program, values=values)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        panels = self.read()
        query = self.request.GET.urlencode()
        context.update(
            filters=self.filters,
            panels=panels,
            query=query,
            is_filtered=self.filters.is_filtered,
        )
        return context


class DashboardCsvView(DashboardView):
    def get(self, request, *args, **kwargs):
        writer = downloads.WRITERS.get(kwargs["table"])
        if writer is None:
            raise Http404("No such table.")
        panels = self.read()
        if panels is None:
            problems = [f"{e['label']}: {e['message']}" for e in self.filters.error_list()]
            return HttpResponseBadRequest("\n".join(problems), content_type="text/plain")
        header, rows = writer(panels)
        values = self.filters.values()
        name = f"kpis-{kwargs['table']}-{request.program.slug}-{values['first']:%Y-%m}"
        name += f"-{values['last']:%Y-%m}"
        return downloads.response(name, header, rows)
