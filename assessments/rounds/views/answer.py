"""Answering an assessment as oneself: one domain per step, autosaved as you go.

With JavaScript each question saves itself on change (htmx posts to `answer_save`, which answers
with the question's saved/error state); without it the step's form saves all its answers when
moving to the next step. Either way a reload shows what was saved. The last step submits.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from assessments.instruments.models import Question
from assessments.instruments.selectors import version_question, version_structure
from assessments.rounds import scoring, selectors, services
from assessments.rounds.answers import answer_display
from assessments.rounds.forms import parse_answer, question_field
from assessments.rounds.models import AssessmentStatus
from assessments.rounds.views.base import AssessmentPageMixin, chart_rows
from psp.forms import service_error_messages
from psp.numbers import parse_int
from psp.tenancy.permissions import Capability


class AnsweringMixin(AssessmentPageMixin):
    capability = Capability.ASSESSMENT_ANSWER

    def load(self) -> None:
        self.domains = version_structure(version_id=self.assessment.version_id)
        self.response, self.answers = selectors.my_response(
            assessment=self.assessment, respondent=self.request.user
        )

    def url(self, name: str, **query) -> str:
        path = reverse(
            f"assessments:{name}",
            kwargs={"program": self.request.program.slug, "pk": self.assessment.pk},
        )
        if query:
            path += "?" + "&".join(f"{key}={value}" for key, value in query.items())
        return path

    def step_of(self, question_id: int) -> int:
        for number, domain in enumerate(self.domains, start=1):
            if any(q.pk == question_id for q in domain.questions.all()):
                return number
        return 1

    def closed(self):
        """Where to send the person when there is nothing (more) for them to answer."""
        if self.assessment.status != AssessmentStatus.OPEN:
            messages.info(self.request, "This assessment has been submitted and scored.")
            return redirect(self.url("results"))
        if self.response is not None and self.response.submitted_at is not None:
            return redirect(self.url("my_answers"))
        return None


class AnswerView(AnsweringMixin, TemplateView):
    """One step (domain) of the person's own answers: `?step=n`."""

    template_name = "assessments/assess/answer.html"

    def get(self, request, *args, **kwargs):
        self.load()
        if (elsewhere := self.closed()) is not None:
            return elsewhere
        return self.render_step(self.requested_step(default=self.resume_step()))

    def post(self, request, *args, **kwargs):
        self.load()
        if (elsewhere := self.closed()) is not None:
            return elsewhere
        step = self.requested_step(default=1)
        if not self.domains:
            return self.render_step(step)
        domain = self.domains[step - 1]
        posted = {q.pk: parse_answer(q, request.POST) for q in domain.questions.all()}
        items = [(q, *posted[q.pk]) for q in domain.questions.all()]
        try:
            services.answers_save(
                program=request.program,
                assessment=self.assessment,
                respondent=request.user,
                items=items,
            )
        except ValidationError as error:
            return self.render_step(step, posted=posted, errors=service_error_messages(error))
        action = request.POST.get("action", "next")
        if action == "submit":
            return self.submit(step)
        if action == "previous":
            step -= 1
        elif action == "next":
            step += 1
        else:
            messages.success(request, "Your answers are saved.")
        step = min(max(step, 1), len(self.domains))
        return redirect(self.url("answer", step=step))

    def submit(self, step: int):
        try:
            services.response_submit(
                program=self.request.program,
                assessment=self.assessment,
                respondent=self.request.user,
            )
        except services.MissingAnswers as error:
            self.load()
            missing = [{"question": q, "step": self.step_of(q.pk)} for q in error.questions]
            return self.render_step(step, missing=missing, summary=error.summary)
        except ValidationError as error:
            messages.error(self.request, " ".join(error.messages))
            return redirect(self.url("detail"))
        messages.success(self.request, "Thank you: your answers are submitted.")
        return redirect(self.url("my_answers"))

    # Steps -----------------------------------------------------------------------------------

    def requested_step(self, *, default: int) -> int:
        raw = self.request.POST.get("step") or self.request.GET.get("step") or ""
        step = parse_int(raw)
        step = default if step is None else step
        return min(max(step, 1), max(len(self.domains), 1))

    def resume_step(self) -> int:
        """The first step with a question still unanswered (the last step when all are)."""
        for number, domain in enumerate(self.domains, start=1):
            if any(q.pk not in self.answers for q in domain.questions.all()):
                return number
        return max(len(self.domains), 1)

    def render_step(self, step: int, *, posted=None, errors=None, missing=None, summary=""):
        context = self.get_context_data(
            **self.step_context(step, posted=posted or {}, errors=errors or {})
        )
        context.update(missing=missing or [], missing_summary=summary)
        if errors and "" in errors:
            context["form_errors"] = errors[""]
        return TemplateResponse(self.request, self.template_name, context)

    def step_context(self, step: int, *, posted: dict, errors: dict) -> dict:
        total_steps = len(self.domains)
        steps, fields = [], []
        answered_total = question_total = 0
        for number, domain in enumerate(self.domains, start=1):
            questions = list(domain.questions.all())
            answered = sum(1 for q in questions if q.pk in self.answers)
            answered_total += answered
            question_total += len(questions)
            steps.append(
                {
                    "number": number,
                    "domain": domain,
                    "answered": answered,
                    "total": len(questions),
                    "state": "current"
                    if number == step
                    else "done"
                    if answered == len(questions)
                    else "todo",
                    "url": self.url("answer", step=number),
                }
            )
            if number != step:
                continue
            for question in questions:
                if question.pk in posted:
                    value, is_na = posted[question.pk]
                else:
                    answer = self.answers.get(question.pk)
                    value, is_na = (answer.value, answer.is_na) if answer else (None, False)
                fields.append(
                    question_field(
                        question,
                        value=value,
                        is_na=is_na,
                        errors=errors.get(str(question.pk), ()),
                        step=number,
                    )
                )
        return {
            "step": step,
            "total_steps": total_steps,
            "steps": steps,
            "domain": self.domains[step - 1] if self.domains else None,
            "fields": fields,
            "answered_total": answered_total,
            "question_total": question_total,
            "is_first": step == 1,
            "is_last": step >= total_steps,
            "has_errors": bool(errors),
            "save_url": self.url("answer_save"),
        }


class AnswerSaveView(AnsweringMixin, View):
    """Autosave of one answer (htmx): POST `question` (id) and its inputs; answers with the
    question's saved or error state, plus the updated answered count out of band."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        raw = request.POST.get("question") or request.GET.get("question") or ""
        try:
            question = version_question(version_id=self.assessment.version_id, pk=int(raw))
        except (ValueError, Question.DoesNotExist):
            raise Http404("No such question in this assessment.") from None
        value, is_na = parse_answer(question, request.POST)
        errors, cleared = [], False
        try:
            saved = services.answer_save(
                program=request.program,
                assessment=self.assessment,
                respondent=request.user,
                question=question,
                value=value,
                is_na=is_na,
            )
            cleared = saved is None
        except ValidationError as error:
            errors = [m for ms in service_error_messages(error).values() for m in ms]
        if not request.htmx:
            self.load()
            if errors:
                messages.error(request, f"Not saved: {' '.join(errors)}")
            else:
                messages.success(request, "Your answer is saved.")
            return redirect(
                self.url("answer", step=self.step_of(question.pk)) + f"#question-{question.pk}"
            )
        response, _ = selectors.my_response(assessment=self.assessment, respondent=request.user)
        context = {
            "field": question_field(question, value=value, is_na=is_na, errors=errors),
            "saved": not errors and not cleared,
            "cleared": cleared,
            "answered_total": selectors.answered_count(response=response),
            "question_total": Question.objects.filter(
                version_id=self.assessment.version_id
            ).count(),
            "oob": True,
        }
        return TemplateResponse(request, "assessments/assess/_save_status.html", context)


class MyAnswersView(AnsweringMixin, TemplateView):
    """The person's own answers, domain by domain, and how they score. The practice's score is
    the consensus of everyone's answers, set when the round is submitted."""

    template_name = "assessments/assess/my_answers.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        self.load()
        answers = {qid: (a.value, a.is_na) for qid, a in self.answers.items()}
        result = scoring.score(domains=self.domains, answers=answers)
        threshold = self.assessment.version.instrument.weak_threshold
        sections = []
        for number, domain in enumerate(self.domains, start=1):
            rows = []
            for question in domain.questions.all():
                answer = self.answers.get(question.pk)
                rows.append(
                    {
                        "question": question,
                        "text": _display(question, answer),
                        "answered": answer is not None,
                    }
                )
            sections.append({"number": number, "domain": domain, "rows": rows})
        context.update(
            response=self.response,
            sections=sections,
            result=result,
            chart=chart_rows(_as_scores(result), threshold=threshold),
            threshold=threshold,
        )
        return context


def _display(question, answer) -> str:
    return answer_display(question, answer.value, answer.is_na) if answer else ""


class _Score:
    """A domain result shaped like a stored DomainScore, for the chart."""

    def __init__(self, row):
        self.domain_name, self.domain_key, self.percent = (
            row.domain.name,
            row.domain.key,
            row.percent,
        )


def _as_scores(result) -> list:
    return [_Score(row) for row in result.domains]
