"""CPD progress pages under /p/<program>/cpd/: a person's own progress ("My progress", any
cycle of theirs with `?cycle=`), and the program's completion for its admins and managers
(cpd.view over the whole program) with its CSV. A person's page for those who read others'
CPD (cpd:person) shows the same progress block (`shown_progress`)."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseBadRequest
from django.utils import timezone
from django.views.generic import TemplateView, View

from cpd.activities.views.common import RECORD, VIEW, CpdPageMixin
from cpd.progress.completion import completion
from cpd.progress.csv import completion_csv
from cpd.progress.filters import CompletionFilter
from cpd.progress.person import PersonProgress, person_progress
from cpd.progress.standings import standings_queue_catch_up
from cpd.schemes.models import CpdCycle
from psp.numbers import parse_id
from psp.tenancy.pages import ResultsPageMixin
from psp.tenancy.permissions import Reach

PAGE_SIZE = 50


def shown_progress(request, person) -> PersonProgress:
    """`person`'s progress in the cycle `?cycle=` names (one of theirs, else 404) or their
    current one."""
    cycle_id = None
    if "cycle" in request.GET:
        cycle_id = parse_id(request.GET["cycle"])
        if cycle_id is None:
            raise Http404("No such cycle.")
    try:
        return person_progress(person=person, today=timezone.localdate(), cycle_id=cycle_id)
    except CpdCycle.DoesNotExist:
        raise Http404("No such cycle.") from None


class MyProgressView(CpdPageMixin, TemplateView):
    capability = RECORD
    template_name = "cpd/progress.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["progress"] = shown_progress(self.request, self.request.user)
        context["reads_completion"] = reads_completion(self.access)
        return context


def reads_completion(access) -> bool:
    """The completion is the program's: for those who read everyone's CPD (admins, managers)."""
    return Reach.PROGRAM in access.reaches(VIEW)


class CompletionPageMixin(CpdPageMixin):
    capability = VIEW

    def check_access(self) -> None:
        super().check_access()
        if not reads_completion(self.access):
            raise PermissionDenied("The program's CPD completion is for its admins and managers.")

    def report(self):
        """The completion the filters ask for, or None while one is refused."""
        self.filters = CompletionFilter.for_page(self.request)
        if not self.filters.is_valid():
            return None
        report = completion(
            program=self.request.program, today=timezone.localdate(), **self.filters.values()
        )
        if report.is_stale:
            standings_queue_catch_up(program=self.request.program, today=report.today)
        return report


class CompletionView(ResultsPageMixin, CompletionPageMixin, TemplateView):
    template_name = "cpd/completion.html"
    results_template = "cpd/_completion_results.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report = self.report()
        paginator = Paginator(report.rows if report else [], PAGE_SIZE)
        paginator.count = report.count if report else 0  # counted with the summary already
        # A page number past the end shows the last page rather than a 404.
        page = paginator.get_page(self.request.GET.get("page"))
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            filters=self.filters,
            filter_form=self.filters.form,
            report=report,
            rows=page.object_list,
            page_obj=page,
            paginator=page.paginator,
            is_paginated=page.has_other_pages(),
            result_count=page.paginator.count,
            csv_query=query.urlencode(),
            is_filtered=self.filters.is_filtered,
        )
        return context


class CompletionCsvView(CompletionPageMixin, View):
    def get(self, request, *args, **kwargs):
        report = self.report()
        if report is None:
            problems = [f"{e['label']}: {e['message']}" for e in self.filters.error_list()]
            return HttpResponseBadRequest("\n".join(problems), content_type="text/plain")
        name = f"cpd-completion-{request.program.slug}-{report.today.isoformat()}"
        return completion_csv(name, report.rows.iterator(chunk_size=2000))
