"""Support plan pages: the list, drafting from an assessment, a plan's own page, and editing,
accepting, completing or discarding it. "My actions" and moving an action's status are the
action follow-up pages (coaching/actions/views.py).

The access rule, as for practices: a plan of a practice the person may not see answers 404 (the
same as one that does not exist); an action they may see but not take answers 403. Capabilities
are asked of `request.access` with the plan's practice, never worked out from roles here.
"""

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse
from django.views.generic import FormView, ListView, TemplateView

from assessments.models import Assessment
from assessments.rounds import for_plans
from coaching.actions import selectors as action_selectors
from coaching.actions.forms import ActionForm
from coaching.actions.rows import decorate
from coaching.plans import selectors, services
from coaching.plans.filters import PlanFilter
from coaching.plans.forms import (
    GoalAddForm,
    GoalForm,
    GoalSwapForm,
    PlanAcceptForm,
    PlanForm,
)
from coaching.plans.models import PlanStatus, SupportPlan
from psp.forms import add_service_errors
from psp.history.models import SubjectType
from psp.history.views import HistoryPageMixin
from psp.tenancy.pages import ProgramPageMixin, ResultsPageMixin
from psp.tenancy.permissions import Capability

EDIT, VIEW, UPDATE = Capability.PLAN_EDIT, Capability.PLAN_VIEW, Capability.ACTION_UPDATE


# Access ------------------------------------------------------------------------------------


class PlanPageMixin(ProgramPageMixin):
    """A page about one plan: 404 unless the person may see the plan's practice, 403 unless
    `capability` reaches it. Sets `self.plan`."""

    model = SupportPlan
    plan_kwarg = "pk"
    capability = VIEW

    def get_plan(self) -> SupportPlan:
        return selectors.plan_in_reach(access=self.access, pk=self.kwargs[self.plan_kwarg])

    def check_access(self) -> None:
        try:
            self.plan = self.get_plan()
        except ObjectDoesNotExist:  # the plan, or the goal or action that names it
            raise Http404("No such plan.") from None
        if not self.access.can(self.capability, self.plan.practice_id):
            raise PermissionDenied("Your role does not allow this for this practice.")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["plan"] = self.plan
        context["practice"] = self.plan.practice
        return context


class PlanFormMixin(PlanPageMixin):
    """A form that acts on a plan through a service; success goes back to the plan's page."""

    success_message = ""

    def form_valid(self, form):
        try:
            result = self.perform(form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message)
        return redirect(self.success_target(result))

    def success_target(self, result):
        return self.plan

    def perform(self, data):
        raise NotImplementedError


def assessment_url(assessment) -> str | None:
    """The assessment's results page, once the assessments app serves one."""
    try:
        return assessment.get_absolute_url()
    except NoReverseMatch:
        return None


def bar_pct(percent) -> int:
    """A percentage in steps of 5, for the CSS bar widths (no inline styles under the CSP)."""
    return 0 if percent is None else max(0, min(100, round(float(percent) / 5) * 5))


# The list ----------------------------------------------------------------------------------


class PlanListView(ResultsPageMixin, ProgramPageMixin, ListView):
    capability = VIEW
    template_name = "coaching/plan_list.html"
    results_template = "coaching/_plan_results.html"
    context_object_name = "plans"
    paginate_by = 25

    def get_queryset(self):
        self.filters = PlanFilter.for_page(
            self.request, selectors.plan_list(access=self.access), hidden=("assessment", "search")
        )
        return self.filters.filtered()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for plan in context["plans"]:
            plan.progress = selectors.plan_progress(plan=plan)
        context.update(
            filters=self.filters,
            filter_form=self.filters.form,
            is_filtered=self.filters.is_filtered,
        )
        return context


# Drafting ----------------------------------------------------------------------------------


class PlanDraftView(ProgramPageMixin, TemplateView):
    """Draft a plan from a submitted assessment. GET explains what will be proposed; POST
    drafts it and opens the new plan."""

    template_name = "coaching/plan_draft.html"

    def check_access(self) -> None:
        try:
            self.assessment = selectors.assessments_in_reach(access=self.access).get(
                pk=self.kwargs["assessment_pk"]
            )
        except Assessment.DoesNotExist:
            raise Http404("No such assessment.") from None
        if not self.access.can(EDIT, self.assessment.practice_id):
            raise PermissionDenied("Your role does not allow drafting plans for this practice.")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        assessment = self.assessment
        submitted = for_plans.is_scored(assessment)
        weak = list(for_plans.weak_domains(assessment=assessment)) if submitted else []
        for score in weak:
            score.pct = bar_pct(score.percent)
        context.update(
            assessment=assessment,
            assessment_url=assessment_url(assessment),
            practice=assessment.practice,
            submitted=submitted,
            weak=weak,
            threshold=assessment.version.instrument.weak_threshold,
            existing=SupportPlan.objects.filter(
                assessment=assessment, status__in=selectors.EDITABLE_PLAN_STATUSES
            ).first(),
        )
        return context

    def post(self, request, *args, **kwargs):
        try:
            plan = services.plan_draft_from_assessment(
                program=request.program, assessment=self.assessment, by=request.user
            )
        except ValidationError as error:
            context = self.get_context_data(errors=error.messages)
            return self.render_to_response(context)
        messages.success(
            request, "The plan is drafted. Review it with the practice, then accept it."
        )
        return redirect(plan)


# One plan ----------------------------------------------------------------------------------


class PlanDetailView(PlanPageMixin, TemplateView):
    template_name = "coaching/plan_detail.html"

    def get_plan(self) -> SupportPlan:
        return selectors.plan_detail(access=self.access, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            plan_page_context(plan=self.plan, access=self.access, path=self.request.path)
        )
        return context


def plan_page_context(*, plan: SupportPlan, access, path: str) -> dict:
    """Everything the plan page shows beyond the plan itself, built from the prefetched plan
    plus two lists (owners, change ideas) loaded once for all the inline forms."""
    practice_id = plan.practice_id
    editable = plan.status in selectors.EDITABLE_PLAN_STATUSES
    can = {
        "edit": editable and access.can(EDIT, practice_id),
        "move": plan.status == PlanStatus.ACTIVE and access.can(UPDATE, practice_id),
        "accept": plan.status == PlanStatus.DRAFT and access.can(EDIT, practice_id),
        "complete": plan.status == PlanStatus.ACTIVE and access.can(EDIT, practice_id),
        "discard": plan.status == PlanStatus.DRAFT and access.can(EDIT, practice_id),
    }
    assessment = plan.assessment
    scores, threshold = [], None
    if assessment is not None:
        threshold = assessment.version.instrument.weak_threshold
        scores = assessment.score_list
        for score in scores:
            score.is_weak = score.percent is not None and score.percent < threshold
            score.pct = bar_pct(score.percent)
    owners = list(action_selectors.owner_choices(practice=practice_id)) if can["edit"] else None
    ideas = list(selectors.change_ideas_for_plan(plan=plan)) if can["edit"] else []
    for goal in plan.goal_list:
        if can["edit"]:
            goal.form = GoalForm(instance=goal, plan=plan, auto_id=f"id_goal{goal.pk}_%s")
            goal.swap_ideas = [
                idea
                for idea in ideas
                if idea.domain_key == goal.domain_key and idea.pk != goal.change_idea_id
            ]
            goal.swap_form = GoalSwapForm(ideas=goal.swap_ideas, auto_id=f"id_swap{goal.pk}_%s")
            goal.action_form = ActionForm(owners=owners, auto_id=f"id_newaction{goal.pk}_%s")
        for action in goal.action_list:
            decorate(action, access=access, plan=plan, owners=owners)
    context = {
        "can": can,
        "progress": selectors.plan_progress(plan=plan),
        "progress_pct": None,
        "scores": scores,
        "weak_scores": [s for s in scores if getattr(s, "is_weak", False)],
        "threshold": threshold,
        "assessment_url": assessment_url(assessment) if assessment else None,
        "back": path,
    }
    context["progress_pct"] = context["progress"].percent
    if can["edit"]:
        domains = [(s.domain_key, s.domain_name) for s in scores]
        context["library_form"] = GoalAddForm(ideas=ideas, auto_id="id_library_%s")
        context["own_goal_form"] = GoalAddForm(domains=domains, auto_id="id_owngoal_%s")
    if can["accept"]:
        context["problems"] = selectors.plan_acceptance_problems(plan=plan)
        active = selectors.active_plan_of(practice_id=practice_id, exclude_pk=plan.pk)
        context["active_plan"] = active
        context["accept_form"] = PlanAcceptForm(active_plan=active)
    return context


class PlanHistoryView(PlanPageMixin, HistoryPageMixin, TemplateView):
    """Who changed what in the plan, and when: the plan's, its goals' and its actions' edits,
    newest first (the actions' status moves are on their own history)."""

    template_name = "history/plan_history.html"
    history_subject_type = SubjectType.PLAN

    def history_subject_id(self) -> int:
        return self.plan.pk


class PlanEditView(PlanFormMixin, FormView):
    capability = EDIT
    form_class = PlanForm
    template_name = "coaching/plan_form.html"
    success_message = "The plan is saved."

    def get_initial(self):
        # Not the plan itself as the form's instance: a refused change must not touch it.
        return {"title": self.plan.title, "summary": self.plan.summary}

    def perform(self, data):
        return services.plan_update(
            program=self.request.program, plan=self.plan, by=self.request.user, data=data
        )


class PlanAcceptView(PlanFormMixin, FormView):
    """Accept a draft. GET lists what is still missing; POST accepts or shows why not."""

    capability = EDIT
    form_class = PlanAcceptForm
    template_name = "coaching/plan_accept.html"
    success_message = "The plan is accepted: it is now the practice's active plan."

    def get_form_kwargs(self):
        self.active_plan = selectors.active_plan_of(
            practice_id=self.plan.practice_id, exclude_pk=self.plan.pk
        )
        return {**super().get_form_kwargs(), "active_plan": self.active_plan}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["problems"] = (
            selectors.plan_acceptance_problems(plan=self.plan)
            if self.plan.status == PlanStatus.DRAFT
            else []
        )
        context["active_plan"] = self.active_plan
        return context

    def perform(self, data):
        return services.plan_accept(
            program=self.request.program,
            plan=self.plan,
            by=self.request.user,
            complete_active=data.get("complete_active", False),
        )


class PlanConfirmView(PlanPageMixin, TemplateView):
    """A confirmed action on a whole plan (complete, discard): GET asks, POST does it."""

    capability = EDIT
    template_name = "coaching/confirm.html"
    title = question = confirm_label = ""
    danger = False

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=self.title,
            question=self.question.format(plan=self.plan),
            confirm_label=self.confirm_label,
            danger=self.danger,
            cancel_url=self.plan.get_absolute_url(),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        try:
            message, target = self.perform()
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(self.plan)
        messages.success(request, message)
        return redirect(target)


class PlanCompleteView(PlanConfirmView):
    title = "Complete the plan"
    question = (
        "Mark “{plan.title}” as completed? Its goals and actions stay as the record of what was "
        "done; nothing in it can be changed afterwards."
    )
    confirm_label = "Complete plan"

    def perform(self):
        services.plan_complete(program=self.request.program, plan=self.plan, by=self.request.user)
        return "The plan is completed.", self.plan


class PlanDiscardView(PlanConfirmView):
    title = "Discard the draft"
    question = "Discard the draft “{plan.title}” with all its goals and actions?"
    confirm_label = "Discard draft"
    danger = True

    def perform(self):
        services.plan_discard(program=self.request.program, plan=self.plan, by=self.request.user)
        return "The draft is discarded.", reverse(
            "plans:list", kwargs={"program": self.request.program.slug}
        )
