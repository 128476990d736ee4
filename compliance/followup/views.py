"""Follow-up pages under /p/<program>/compliance/: the program's overview (counts, the status
matrix of each practice's latest checklist of each template, its CSV) and the due list (what is
overdue or due within 14 days). Both cover the practices compliance.view reaches for the person:
the program's for admins and managers, a coach's assigned practices, a lead's or staff member's
own; the filters are those of the API (ChecklistFollowUpFilter)."""

from django.http import HttpResponseBadRequest
from django.views.generic import ListView, TemplateView

from compliance.followup import selectors
from compliance.followup.filters import ChecklistFollowUpFilter
from compliance.followup.states import standing_of
from psp.dates import write_date
from psp.pagination import paginate
from psp.spreadsheet import csv_response
from psp.tenancy.pages import ProgramPageMixin, ResultsPageMixin
from psp.tenancy.permissions import Capability

VIEW = Capability.COMPLIANCE_VIEW
MATRIX_PAGE = 25  # practices per page of the matrix; the CSV has them all
DUE_PAGE = 50


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


class OverviewView(ResultsPageMixin, ProgramPageMixin, TemplateView):
    capability = VIEW
    template_name = "compliance/followup/overview.html"
    results_template = "compliance/followup/_results.html"

    def read(self):
        """The filters, and the latest checklists they choose (none while one is refused)."""
        self.today = self.request.program.local_today()
        self.filters = ChecklistFollowUpFilter.for_page(
            self.request, selectors.latest_checklists(access=self.access)
        )
        return self.filters.filtered()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        latest = self.read()
        current = ChecklistFollowUpFilter.for_page(
            self.request, selectors.current_checklists(access=self.access)
        ).filtered()
        pages = paginate(self.request, selectors.matrix_practices(latest), MATRIX_PAGE)
        context.update(
            filters=self.filters,
            filter_form=self.filters.form,
            is_filtered=self.filters.is_filtered,
            counts=selectors.follow_up_counts(current, self.today),
            matrix=selectors.status_matrix(latest, pages["page_obj"].object_list, self.today),
            **pages,
            query=_query_without_page(self.request),
            may_report=self.access.can(Capability.REPORT_PROGRAM),
            today=self.today,
        )
        return context


class OverviewCsvView(OverviewView):
    """The whole matrix as rows, one per practice and template, with the page's filters."""

    def get(self, request, *args, **kwargs):
        latest = self.read()
        if self.filters.is_bound and not self.filters.is_valid():
            problems = [f"{e['label']}: {e['message']}" for e in self.filters.error_list()]
            return HttpResponseBadRequest("\n".join(problems), content_type="text/plain")
        rows = latest.order_by("practice__name", "practice_id", "template__name", "pk")
        header = [
            "practice_id", "practice", "sector", "checklist", "period", "due_on", "status",
            "follow_up", "days_overdue", "signed_on",
        ]  # fmt: skip
        return csv_response(
            f"compliance-status-{request.program.slug}-{self.today.isoformat()}",
            header,
            (_csv_row(instance, self.today) for instance in rows),
        )


def _csv_row(instance, today) -> list:
    standing = standing_of(instance, today)
    return [
        instance.practice_id,
        instance.practice.name,
        instance.practice.get_sector_display(),
        instance.template.name,
        instance.period_label,
        instance.due_on.isoformat(),
        instance.get_status_display(),
        standing.label,
        standing.days_overdue,
        instance.signed_on.isoformat() if instance.signed_on else "",
    ]


class DueListView(ResultsPageMixin, ProgramPageMixin, ListView):
    """Overdue checklists and those due within 14 days, soonest due first; `?practice=` for one
    practice (its page links here), `?coach=` for a coach's practices."""

    capability = VIEW
    template_name = "compliance/followup/due.html"
    results_template = "compliance/followup/_due.html"
    context_object_name = "checklists"
    paginate_by = DUE_PAGE

    def get_queryset(self):
        self.today = self.request.program.local_today()
        self.filters = ChecklistFollowUpFilter.for_page(
            self.request, selectors.current_checklists(access=self.access)
        )
        return selectors.due_checklists(self.filters.filtered(), self.today)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            checklists=selectors.decorate(context["checklists"], self.today),
            filters=self.filters,
            filter_form=self.filters.form,
            is_filtered=self.filters.is_filtered,
            today=self.today,
            today_text=write_date(self.today, "long"),
        )
        return context
