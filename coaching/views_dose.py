"""A practice's dose of support: its logged visits over the last twelve months by quarter, mode
and support activity, as a page and as CSV (the same rows)."""

from django.views.generic import TemplateView

from coaching import selectors_dose
from coaching.views_caseload import csv_response
from practices.views import PracticePageMixin
from psp.tenancy.permissions import Capability


class PracticeDoseView(PracticePageMixin, TemplateView):
    capability = Capability.VISIT_VIEW
    practice_kwarg = "practice_pk"
    template_name = "coaching/dose/practice.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["dose"] = selectors_dose.practice_dose(practice=self.practice)
        return context


class PracticeDoseCsvView(PracticeDoseView):
    def get(self, request, *args, **kwargs):
        dose = selectors_dose.practice_dose(practice=self.practice)
        header = ["Breakdown", "Group", "Visits", "Minutes", "Travel minutes"]
        rows = []
        for key, heading, section in dose.sections:
            for row in section:
                travel = "" if key == "activity" else int(row.travel)
                rows.append([heading, row.label, row.visits, int(row.minutes), travel])
        name = f"dose-{self.practice.pk}-{dose.date_from}-{dose.date_to}"
        return csv_response(name, header, rows)
