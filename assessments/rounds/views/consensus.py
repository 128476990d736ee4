"""The facilitator's consensus page: everyone's answers side by side, disagreements highlighted,
the agreed answer recorded question by question, then "Submit and score".

Recording works as a plain form post (the page reloads at the question) and, with htmx, in
place: the question's row and the submit panel are swapped.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from assessments.instruments.models import Question
from assessments.instruments.selectors import version_question
from assessments.rounds import submission
from assessments.rounds.consensus import consensus_grid
from assessments.rounds.forms import parse_answer, question_field
from assessments.rounds.views.base import AssessmentPageMixin
from psp.forms import service_error_messages
from psp.tenancy.permissions import Capability


def _page_url(request, assessment, name: str) -> str:
    return reverse(
        f"assessments:{name}", kwargs={"program": request.program.slug, "pk": assessment.pk}
    )


def prepare_rows(grid, *, errors: dict | None = None, posted: dict | None = None) -> None:
    """Give each row the consensus control, prefilled with the recorded or agreed answer (or,
    after a refused post, with what was posted and the error)."""
    errors, posted = errors or {}, posted or {}
    for row in grid.all_rows():
        question = row.question
        if question.pk in posted:
            value, is_na = posted[question.pk]
        else:
            value, is_na = row.effective or (None, False)
        row.field = question_field(
            question, value=value, is_na=is_na, errors=errors.get(question.pk, ()), prefix="c"
        )
        row.note = row.consensus.note if row.consensus and row.consensus.decided_by_id else ""


class ConsensusView(AssessmentPageMixin, TemplateView):
    template_name = "assessments/consensus.html"

    def get_context_data(self, errors=None, posted=None, **kwargs):
        context = super().get_context_data(**kwargs)
        grid = consensus_grid(assessment=self.assessment)
        prepare_rows(grid, errors=errors, posted=posted)
        context.update(
            grid=grid, record_url=_page_url(self.request, self.assessment, "consensus_record")
        )
        return context


class ConsensusRecordView(ConsensusView):
    """POST `question` (id), `c-<id>` (and `c-<id>-na`), `note`: record the agreed answer."""

    capability = Capability.ASSESSMENT_FACILITATE
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        raw = request.POST.get("question") or request.GET.get("question") or ""
        try:
            question = version_question(version_id=self.assessment.version_id, pk=int(raw))
        except (ValueError, Question.DoesNotExist):
            raise Http404("No such question in this assessment.") from None
        value, is_na = parse_answer(question, request.POST, prefix="c")
        try:
            submission.consensus_record(
                program=request.program,
                assessment=self.assessment,
                question=question,
                value=value,
                is_na=is_na,
                note=request.POST.get("note", ""),
                by=request.user,
            )
        except ValidationError as error:
            errors = {question.pk: [m for ms in service_error_messages(error).values() for m in ms]}
            posted = {question.pk: (value, is_na)}
            if request.htmx:
                return self.row_response(question, errors=errors, posted=posted)
            context = self.get_context_data(errors=errors, posted=posted)
            return TemplateResponse(request, self.template_name, context)
        if request.htmx:
            return self.row_response(question, saved=True)
        messages.success(request, "Consensus answer recorded.")
        return redirect(
            _page_url(request, self.assessment, "consensus") + f"#consensus-{question.pk}"
        )

    def row_response(self, question, *, errors=None, posted=None, saved=False):
        grid = consensus_grid(assessment=self.assessment)
        prepare_rows(grid, errors=errors, posted=posted)
        row = next(r for r in grid.all_rows() if r.question.pk == question.pk)
        context = self.get_context_data()
        context.update(grid=grid, row=row, saved=saved, oob=True)
        html = render_to_string("assessments/_consensus_row.html", context, request=self.request)
        return HttpResponse(html)


class AssessmentSubmitView(AssessmentPageMixin, View):
    """Submit and score the round (POST). A GET goes to the consensus page, where the button is."""

    capability = Capability.ASSESSMENT_FACILITATE

    def get(self, request, *args, **kwargs):
        return redirect(_page_url(request, self.assessment, "consensus"))

    def post(self, request, *args, **kwargs):
        assessment = self.assessment
        try:
            submission.assessment_submit(
                program=request.program, assessment=assessment, by=request.user
            )
        except submission.SubmissionBlocked as error:
            parts = []
            if error.disagreements:
                n = len(error.disagreements)
                parts.append(f"{n} required question{'s' if n != 1 else ''} without a consensus")
            if error.unanswered:
                n = len(error.unanswered)
                parts.append(f"{n} required question{'s' if n != 1 else ''} nobody answered")
            messages.error(request, f"Not submitted yet: {' and '.join(parts)} (listed below).")
            return redirect(_page_url(request, assessment, "consensus") + "#submit-panel")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(_page_url(request, assessment, "detail"))
        score = "no score" if assessment.overall_score is None else f"{assessment.overall_score}%"
        messages.success(request, f"Submitted and scored: {score} overall.")
        return redirect(_page_url(request, assessment, "results"))
