"""Pages for a plan's goals and actions: add, edit, remove, and swap a goal's change idea.
Moving an action's status is one view for every page that shows actions (actions:status,
coaching/actions/views.py).

The plan page embeds these forms and posts to these URLs; each also has a page of its own (GET)
so it works without JavaScript and can show its errors.
"""

from django.views.generic import FormView

from assessments.rounds import for_plans
from coaching.actions import selectors as action_selectors
from coaching.actions import services as action_services
from coaching.actions.forms import ActionForm
from coaching.actions.models import PlanAction
from coaching.plans import selectors, services
from coaching.plans.forms import GoalAddForm, GoalForm, GoalSwapForm
from coaching.plans.views.plans import EDIT, PlanConfirmView, PlanFormMixin, PlanPageMixin


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
