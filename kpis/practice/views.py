"""The practice's KPI dashboard: practice people of the practice, its coaches, admins and
managers (`kpi.view` on the practice); 404 for a practice out of reach."""

from django.views.generic import TemplateView

from kpis.practice import selectors
from psp.tenancy.pages import PracticePageMixin
from psp.tenancy.permissions import Capability


class PracticeKpiView(PracticePageMixin, TemplateView):
    capability = Capability.KPI_VIEW
    practice_kwarg = "practice_pk"
    template_name = "kpis/practice/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            selectors.practice_dashboard(practice=self.practice, program=self.request.program)
        )
        context["peer_minimum"] = self.request.program.peer_group_minimum
        return context
