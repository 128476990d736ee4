"""Caseload pages: a coach's own caseload, the program-wide overview with coach workload, the
caseload rules, and the dose of support across practices and for one practice (its dose page,
under the practice's coaching pages), each with its CSV export.

Access, as everywhere: the program middleware has 404ed non-members; a page the person's role
does not allow answers 403. Which practices a page covers comes from `request.access` through
the selectors, never from roles worked out here.
"""

import csv

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.forms.models import model_to_dict
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.views.generic import FormView, TemplateView

from coaching.caseload import dose as dose_selectors
from coaching.caseload import selectors, services, standings
from coaching.caseload.filters import CaseloadFilter, DoseFilter
from coaching.caseload.forms import CaseloadRulesForm
from psp.forms import add_service_errors
from psp.tenancy.pages import PracticePageMixin, ProgramPageMixin, ResultsPageMixin
from psp.tenancy.permissions import Capability, Reach

VIEW = Capability.CASELOAD_VIEW
RULES = Capability.CASELOAD_RULES_MANAGE
PAGE_SIZE = 50


class ProgramWidePageMixin(ProgramPageMixin):
    """A page over the whole program: 403 unless `capability` reaches every practice (admins
    and managers; a coach's caseload view reaches only their own practices)."""

    def check_access(self) -> None:
        super().check_access()
        if Reach.PROGRAM not in self.access.reaches(self.capability):
            raise PermissionDenied("This page is for the program's admins and managers.")


def paginate(request, items, per_page: int = PAGE_SIZE) -> dict:
    # A page number past the end shows the last page rather than a 404.
    page = Paginator(items, per_page).get_page(request.GET.get("page"))
    return {"page_obj": page, "paginator": page.paginator, "is_paginated": page.has_other_pages()}


# A coach's caseload -------------------------------------------------------------------------


class CaseloadMineView(ResultsPageMixin, ProgramPageMixin, TemplateView):
    """The coach's own practices, worst status first. Admins and managers, who have no
    caseload of their own, are sent to the overview."""

    capability = VIEW
    template_name = "coaching/caseload/mine.html"
    results_template = "coaching/caseload/_results.html"

    def get(self, request, *args, **kwargs):
        if not self.access.is_coach:
            return redirect("caseload:overview", program=request.program.slug)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filters = CaseloadFilter.for_page(
            self.request, fixed={"coach": self.request.user.pk}, hidden=("stage", "sector")
        )
        values = filters.values()
        result = selectors.caseload(access=self.access, **values)
        entries = result.entries if filters.is_valid() else []
        context.update(
            filters=filters,
            filter_form=filters.form,
            caseload=result,
            entries=entries,
            result_count=len(entries),
            filter_status=values["status"],
            is_filtered=filters.is_filtered,
            show_coach=False,
        )
        return context


# The overview ---------------------------------------------------------------------------------


class CaseloadOverviewView(ResultsPageMixin, ProgramWidePageMixin, TemplateView):
    capability = VIEW
    template_name = "coaching/caseload/overview.html"
    results_template = "coaching/caseload/_results.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filters = CaseloadFilter.for_page(self.request)
        values = filters.values()
        # Every practice of the program: counted, sorted and paged from the stored standings.
        result = standings.program_caseload(access=self.access, **values)
        today = result.today
        pages = paginate(self.request, result.standings if filters.is_valid() else [])
        context.update(
            filters=filters,
            filter_form=filters.form,
            caseload=result,
            result_count=pages["paginator"].count,
            filter_status=values["status"],
            is_filtered=filters.is_filtered,
            show_coach=True,
            workload=selectors.coach_workload(access=self.access, today=today),
            month_label=f"{today:%B %Y}",
            quarter_label=dose_selectors.quarter_label(today),
            entries=result.entries_for(pages["page_obj"].object_list),
            report_query=self.report_query(),
            **pages,
        )
        return context

    def report_query(self) -> str | None:
        """The filters, for the link to the program report made with them (None: no link)."""
        if not self.access.can(Capability.REPORT_PROGRAM):
            return None
        query = self.request.GET.copy()
        query.pop("page", None)
        return query.urlencode()


# The rules ------------------------------------------------------------------------------------


class CaseloadRulesView(ProgramPageMixin, FormView):
    """Everyone with a caseload view reads the rules; program admins change them."""

    capability = VIEW
    form_class = CaseloadRulesForm
    template_name = "coaching/caseload/rules.html"

    def check_access(self) -> None:
        super().check_access()
        self.can_edit = self.access.can(RULES)
        if self.request.method == "POST" and not self.can_edit:
            raise PermissionDenied("Only the program's admins change the caseload rules.")
        self.rules = selectors.caseload_rules()

    def get_initial(self):
        return model_to_dict(self.rules, fields=services.RULE_FIELDS)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(rules=self.rules, can_edit=self.can_edit, is_default=self.rules.pk is None)
        return context

    def form_valid(self, form):
        try:
            services.caseload_rules_update(
                program=self.request.program, by=self.request.user, data=form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, "The caseload rules are saved. Statuses follow them now.")
        return redirect("caseload:rules", program=self.request.program.slug)


# Dose across practices ---------------------------------------------------------------------------


class DoseView(ResultsPageMixin, ProgramPageMixin, TemplateView):
    """Logged visits and minutes across the practices the person's caseload view reaches,
    grouped as asked. The CSV export is the same table."""

    capability = VIEW
    template_name = "coaching/dose/program.html"
    results_template = "coaching/dose/_program_results.html"

    def report(self):
        """The report the filters ask for, or None while one is refused."""
        self.filters = DoseFilter.for_page(self.request)
        if not self.filters.is_valid():
            return None
        return dose_selectors.dose_report(access=self.access, **self.filters.values())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report = self.report()
        context.update(
            filters=self.filters,
            filter_form=self.filters.form,
            report=report,
            csv_query=self.request.GET.urlencode(),
            is_filtered=self.filters.is_filtered,
        )
        return context


class DoseCsvView(DoseView):
    def get(self, request, *args, **kwargs):
        report = self.report()
        if report is None:
            problems = [f"{e['label']}: {e['message']}" for e in self.filters.error_list()]
            return HttpResponseBadRequest("\n".join(problems), content_type="text/plain")
        name = f"dose-{request.program.slug}-by-{report.group_by}"
        name += f"-{report.date_from}-{report.date_to}"
        return csv_response(name, dose_header(report), dose_rows(report))


# CSV -------------------------------------------------------------------------------------------


def safe_cell(value):
    """A text cell a spreadsheet will not run as a formula."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def csv_response(name: str, header: list, rows: list[list]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    writer = csv.writer(response)
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
    return response


def dose_header(report) -> list[str]:
    """The page's columns: the group, visits, minutes and (but by activity) travel minutes."""
    header = [report.group_label, "Visits", "Minutes"]
    return [*header, "Travel minutes"] if report.has_travel else header


def dose_rows(report) -> list[list]:
    rows = []
    for row in report.rows:
        values = [row.label, row.visits, int(row.minutes)]
        rows.append([*values, int(row.travel)] if report.has_travel else values)
    return rows


# A practice's dose ------------------------------------------------------------------------------
# Its logged visits over the last twelve months by quarter, mode and support activity, as a page
# and as CSV (the same rows).


class PracticeDoseView(PracticePageMixin, TemplateView):
    capability = Capability.VISIT_VIEW
    practice_kwarg = "practice_pk"
    template_name = "coaching/dose/practice.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["dose"] = dose_selectors.practice_dose(practice=self.practice)
        return context


class PracticeDoseCsvView(PracticeDoseView):
    def get(self, request, *args, **kwargs):
        dose = dose_selectors.practice_dose(practice=self.practice)
        header = ["Breakdown", "Group", "Visits", "Minutes", "Travel minutes"]
        rows = []
        for key, heading, section in dose.sections:
            for row in section:
                travel = "" if key == "activity" else int(row.travel)
                rows.append([heading, row.label, row.visits, int(row.minutes), travel])
        name = f"dose-{self.practice.pk}-{dose.date_from}-{dose.date_to}"
        return csv_response(name, header, rows)
