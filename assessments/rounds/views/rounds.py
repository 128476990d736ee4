"""Assessment pages: the list, opening a round, a round's overview, its history and its results.

Answering lives in answer.py, consensus and submission in consensus.py; the access rule every
round page follows is in base.py.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.views.generic import FormView, ListView, TemplateView

from assessments.instruments.models import Question
from assessments.instruments.selectors import published_versions
from assessments.rounds import selectors, services
from assessments.rounds.comparison import comparison
from assessments.rounds.filters import AssessmentFilter
from assessments.rounds.forms import AssessmentOpenForm
from assessments.rounds.models import AssessmentStatus
from assessments.rounds.views.base import AssessmentPageMixin, chart_rows
from practices.models import Practice
from psp.forms import add_service_errors
from psp.history.models import SubjectType
from psp.history.views import HistoryPageMixin
from psp.numbers import parse_id
from psp.tenancy.pages import ProgramPageMixin, ResultsPageMixin
from psp.tenancy.permissions import Capability


class AssessmentListView(ResultsPageMixin, ProgramPageMixin, ListView):
    capability = Capability.ASSESSMENT_VIEW
    template_name = "assessments/assessment_list.html"
    results_template = "assessments/_assessment_results.html"
    context_object_name = "assessments"
    paginate_by = 25

    def get_queryset(self):
        self.filters = AssessmentFilter.for_page(
            self.request, selectors.assessment_list(access=self.access)
        )
        return self.filters.filtered()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = context["page_obj"].object_list
        context.update(
            filters=self.filters,
            filter_form=self.filters.form,
            is_filtered=self.filters.is_filtered,
            can_open=self.access.can(Capability.ASSESSMENT_OPEN),
            due=selectors.next_assessments_due(practice_ids={a.practice_id for a in page}),
        )
        return context


class AssessmentOpenView(ProgramPageMixin, FormView):
    capability = Capability.ASSESSMENT_OPEN
    form_class = AssessmentOpenForm
    template_name = "assessments/assessment_open.html"

    def get_form_kwargs(self):
        practices = Practice.objects.filter(
            self.access.practice_filter(Capability.ASSESSMENT_OPEN)
        ).order_by("name")
        return {
            **super().get_form_kwargs(),
            "practices": practices,
            "versions": published_versions(),
        }

    def get_initial(self):
        initial = super().get_initial()
        practice = parse_id(self.request.GET.get("practice", ""))
        if practice is not None:
            initial["practice"] = practice
        return initial

    def form_valid(self, form):
        try:
            assessment = services.assessment_open(
                program=self.request.program,
                practice=form.cleaned_data["practice"],
                version=form.cleaned_data["version"],
                due_on=form.cleaned_data["due_on"],
                by=self.request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"{assessment.get_kind_display()} round opened for {assessment.practice}. "
            "The practice's people can answer now.",
        )
        return redirect("assessments:detail", program=self.request.program.slug, pk=assessment.pk)


class AssessmentDetailView(AssessmentPageMixin, TemplateView):
    """A round's overview: status, who has answered and how far, and what to do next."""

    template_name = "assessments/assessment_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        assessment = self.assessment
        total = Question.objects.filter(version_id=assessment.version_id).count()
        responses = selectors.respondents(assessment=assessment)
        mine = next((r for r in responses if r.respondent_id == self.request.user.pk), None)
        context.update(
            question_total=total,
            responses=responses,
            my_response=mine,
            submitted_count=sum(1 for r in responses if r.submitted_at),
            scores=(
                selectors.domain_scores(assessment=assessment)
                if assessment.status == AssessmentStatus.SUBMITTED
                else []
            ),
        )
        return context


class AssessmentHistoryView(AssessmentPageMixin, HistoryPageMixin, TemplateView):
    """Who changed what in the round, and when: opening, each person's submitted answers, each
    consensus recorded (before → after) and the submission."""

    template_name = "history/assessment_history.html"
    history_subject_type = SubjectType.ASSESSMENT

    def history_subject_id(self) -> int:
        return self.assessment.pk


class AssessmentResultsView(AssessmentPageMixin, TemplateView):
    """Domain scores and overall as a chart and a table, compared with the baseline and the
    previous round."""

    template_name = "assessments/assessment_results.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        assessment = self.assessment
        if assessment.status != AssessmentStatus.SUBMITTED:
            return context
        instrument = assessment.version.instrument
        threshold = instrument.weak_threshold
        compared = comparison(assessment=assessment)
        scores = selectors.domain_scores(assessment=assessment)
        previous = {row.domain_key: row.previous for row in compared.domains if row.previous}
        context.update(
            comparison=compared,
            chart=chart_rows(scores, threshold=threshold, previous=previous),
            threshold=threshold,
            weak=sorted(
                (s for s in scores if s.percent is not None and s.percent < threshold),
                key=lambda s: (s.percent, s.position),
            ),
        )
        return context
