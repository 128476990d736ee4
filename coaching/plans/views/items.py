"""Pages for a plan's goals and actions: add, edit, remove, swap a goal's change idea, and move
an action's status.

The plan page embeds these forms and posts to these URLs; each also has a page of its own (GET)
so it works without JavaScript and can show its errors. The action status form answers htmx with
the action's row alone, so staff on a phone stay where they were.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.generic import FormView

from assessments.rounds import for_plans
from coaching.actions import selectors as action_selectors
from coaching.actions import services as action_services
from coaching.actions.forms import ActionForm, ActionStatusForm
from coaching.actions.models import PlanAction
from coaching.plans import selectors, services
from coaching.plans.forms import GoalAddForm, GoalForm, GoalSwapForm
from coaching.plans.views.plans import (
    EDIT,
    UPDATE,
    PlanConfirmView,
    PlanFormMixin,
    PlanPageMixin,
    decorate_action,
)
from psp.forms import add_service_errors


def goal_anchor(goal) -> str:
    return f"{goal.plan.get_absolute_url()}#goal-{goal.pk}"


class GoalMixin(PlanPageMixin):
    """A page about one goal (`plangoal_pk`); sets `self.goal` and its `self.plan`."""

    def get_plan(self):
        self.goal = selectors.goal_in_reach(access=self.access, pk=self.kwargs["plangoal_pk"])
        return self.goal.plan

    def get_context_data(self, **kwargs):
        return super().get_context_data(goal=self.goal, **kwargs)


class ActionMixin(PlanPageMixin):
    """A page about one action of a plan (`planaction_pk`); sets `self.action` and its
    `self.plan`. An action agreed at a visit without a plan is not a plan's: 404 here (its own
    pages are under actions:)."""

    def get_plan(self):
        self.action = action_selectors.action_in_reach(
            access=self.access, pk=self.kwargs["planaction_pk"]
        )
        if self.action.plan is None:
            raise PlanAction.DoesNotExist("The action belongs to no plan.")
        return self.action.plan

    def get_context_data(self, **kwargs):
        return super().get_context_data(action=self.action, goal=self.action.goal, **kwargs)


# Goals -------------------------------------------------------------------------------------


class GoalAddView(PlanFormMixin, FormView):
    """Add a goal: from the change library (choose an entry) or the practice's own (a title)."""

    plan_kwarg = "supportplan_pk"
    capability = EDIT
    form_class = GoalAddForm
    template_name = "coaching/goal_add.html"
    success_message = "The goal is added."

    def get_form_kwargs(self):
        domains = []
        if self.plan.assessment_id is not None:
            domains = for_plans.domain_choices(assessment_id=self.plan.assessment_id)
        return {
            **super().get_form_kwargs(),
            "ideas": list(selectors.change_ideas_for_plan(plan=self.plan)),
            "domains": domains,
        }

    def perform(self, data):
        return services.goal_add(
            program=self.request.program, plan=self.plan, by=self.request.user, **data
        )

    def success_target(self, goal):
        return goal_anchor(goal)


class GoalEditView(GoalMixin, PlanFormMixin, FormView):
    capability = EDIT
    form_class = GoalForm
    template_name = "coaching/item_form.html"
    success_message = "The goal is saved."

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "plan": self.plan}

    def get_initial(self):
        goal = self.goal
        return {
            "title": goal.title,
            "measure": goal.measure,
            "target_date": goal.target_date,
            "status": goal.status,
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(title="Edit the goal", submit_label="Save goal", **kwargs)

    def perform(self, data):
        return services.goal_update(
            program=self.request.program, goal=self.goal, by=self.request.user, data=data
        )

    def success_target(self, goal):
        return goal_anchor(goal)


class GoalSwapView(GoalMixin, PlanFormMixin, FormView):
    capability = EDIT
    form_class = GoalSwapForm
    template_name = "coaching/item_form.html"
    success_message = "The goal now follows the change idea you chose."

    def get_form_kwargs(self):
        ideas = []
        if self.goal.domain_key:
            plan_ideas = selectors.change_ideas_for_plan(plan=self.plan)
            ideas = plan_ideas.filter(domain_key=self.goal.domain_key).exclude(
                pk=self.goal.change_idea_id
            )
        return {**super().get_form_kwargs(), "ideas": list(ideas)}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title="Swap the change idea",
            intro=(
                "The goal takes the chosen idea's goal, measurable target and suggested actions. "
                "Actions not yet started are replaced; the rest are kept."
            ),
            submit_label="Swap idea",
            **kwargs,
        )

    def perform(self, data):
        return services.goal_swap_idea(
            program=self.request.program,
            goal=self.goal,
            change_idea=data["change_idea"],
            by=self.request.user,
        )

    def success_target(self, goal):
        return goal_anchor(goal)


class GoalRemoveView(GoalMixin, PlanConfirmView):
    title = "Remove the goal"
    confirm_label = "Remove goal"
    danger = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["question"] = f"Remove the goal “{self.goal.title}” and all its actions?"
        return context

    def perform(self):
        services.goal_remove(program=self.request.program, goal=self.goal, by=self.request.user)
        return "The goal is removed.", self.plan


# Actions -----------------------------------------------------------------------------------


class ActionAddView(GoalMixin, PlanFormMixin, FormView):
    capability = EDIT
    form_class = ActionForm
    template_name = "coaching/item_form.html"
    success_message = "The action is added."

    def get_form_kwargs(self):
        owners = list(action_selectors.owner_choices(practice=self.plan.practice_id))
        return {**super().get_form_kwargs(), "owners": owners}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=f"Add an action to “{self.goal.title}”", submit_label="Add action", **kwargs
        )

    def perform(self, data):
        return action_services.action_add(
            program=self.request.program, goal=self.goal, by=self.request.user, **data
        )

    def success_target(self, action):
        return goal_anchor(self.goal)


class ActionEditView(ActionMixin, PlanFormMixin, FormView):
    capability = EDIT
    form_class = ActionForm
    template_name = "coaching/item_form.html"
    success_message = "The action is saved."

    def get_form_kwargs(self):
        owners = list(action_selectors.owner_choices(practice=self.plan.practice_id))
        return {**super().get_form_kwargs(), "owners": owners}

    def get_initial(self):
        action = self.action
        return {"title": action.title, "owner": action.owner_id, "due_on": action.due_on}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title="Edit the action", submit_label="Save action", **kwargs
        )

    def perform(self, data):
        return action_services.action_update(
            program=self.request.program, action=self.action, by=self.request.user, data=data
        )

    def success_target(self, action):
        return goal_anchor(self.action.goal)


class ActionRemoveView(ActionMixin, PlanConfirmView):
    title = "Remove the action"
    confirm_label = "Remove action"
    danger = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["question"] = f"Remove the action “{self.action.title}”?"
        return context

    def perform(self):
        action_services.action_remove(
            program=self.request.program, action=self.action, by=self.request.user
        )
        return "The action is removed.", goal_anchor(self.action.goal)


class ActionStatusView(ActionMixin, FormView):
    """Move an action along. Plain posts return to `next` (the plan or "my actions"); htmx posts
    get the action's row back, with the errors in it when the change was refused."""

    capability = UPDATE
    form_class = ActionStatusForm
    template_name = "coaching/action_status.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "auto_id": f"id_status{self.action.pk}_%s"}

    def get_initial(self):
        return {"status": self.action.status}

    def back_url(self) -> str:
        target = self.request.POST.get("next") or self.request.GET.get("next") or ""
        safe = url_has_allowed_host_and_scheme(
            target, allowed_hosts={self.request.get_host()}, require_https=False
        )
        return target if safe and target.startswith("/") else self.plan.get_absolute_url()

    def get_context_data(self, **kwargs):
        return super().get_context_data(back=self.back_url(), **kwargs)

    def form_valid(self, form):
        try:
            action = action_services.action_status_change(
                program=self.request.program,
                action=self.action,
                by=self.request.user,
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        message = f"“{action.title}” is now {action.get_status_display().lower()}."
        if self.request.htmx:
            return self.row(self.fresh_action(), saved=message)
        messages.success(self.request, message)
        return redirect(self.back_url())

    def form_invalid(self, form):
        if self.request.htmx:
            self.action.status_form = form
            return self.row(self.action, form=form)
        return super().form_invalid(form)

    def fresh_action(self) -> PlanAction:
        return action_selectors.action_in_reach(access=self.access, pk=self.action.pk)

    def row(self, action, *, form=None, saved=""):
        back = self.back_url()
        on_plan_page = back.split("#")[0] == self.plan.get_absolute_url()
        owners = None
        if on_plan_page and self.access.can(EDIT, self.plan.practice_id):
            owners = list(action_selectors.owner_choices(practice=self.plan.practice_id))
        decorate_action(action, access=self.access, plan=self.plan, owners=owners)
        if form is not None:
            action.status_form = form
        context = {
            "action": action,
            "plan": self.plan,
            "back": back,
            "show_plan": not on_plan_page,
            "saved": saved,
            "can": {"edit": owners is not None},
            "progress": selectors.progress_of(plan_id=self.plan.pk) if on_plan_page else None,
        }
        return TemplateResponse(self.request, "coaching/_action_row.html", context)
