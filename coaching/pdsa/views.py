"""PDSA pages, on a plan's goal: plan a cycle (or the next after an adapted one), see one, and
move it on a stage. The goal's cycles are listed on the plan's page (templates/coaching/_goal.html).

Access as for the plan's other pages: 404 unless the person may see the plan's practice, 403
unless `plan.edit` reaches it for a write (coaching/plans/views/plans.py, PlanPageMixin)."""

from django.http import Http404
from django.urls import reverse
from django.views.generic import FormView, TemplateView

from coaching.pdsa import selectors, services
from coaching.pdsa.forms import MOVE_FORMS, PdsaPlanForm
from coaching.pdsa.models import STAGE_ORDER, PdsaCycle, PdsaDecision
from coaching.plans.selectors import EDITABLE_PLAN_STATUSES
from coaching.plans.views.items import GoalMixin
from coaching.plans.views.plans import EDIT, VIEW, PlanFormMixin, PlanPageMixin


class CycleMixin(PlanPageMixin):
    """A page about one cycle (`pdsacycle_pk`); sets `self.cycle`, its goal and its plan."""

    def get_plan(self):
        self.cycle = selectors.cycle_in_reach(access=self.access, pk=self.kwargs["pdsacycle_pk"])
        self.goal = self.cycle.goal
        return self.goal.plan

    def can_move(self) -> bool:
        return (
            not self.cycle.is_ended
            and self.plan.status in EDITABLE_PLAN_STATUSES
            and self.access.can(EDIT, self.plan.practice_id)
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(cycle=self.cycle, goal=self.goal, **kwargs)


class PdsaAddView(GoalMixin, PlanFormMixin, FormView):
    """Plan a cycle on a goal. `?after=<cycle id>` (a cycle of the same goal, usually adapted)
    fills the form from that cycle, and the new cycle names it as the one it follows."""

    capability = EDIT
    form_class = PdsaPlanForm
    template_name = "coaching/pdsa/cycle_form.html"
    success_message = "The PDSA cycle is planned."

    def previous_cycle(self) -> PdsaCycle | None:
        after = self.request.GET.get("after") or self.request.POST.get("after")
        if not str(after or "").isdigit():
            return None
        return next((c for c in self.goal_cycles() if c.pk == int(after)), None)

    def goal_cycles(self) -> list[PdsaCycle]:
        if not hasattr(self, "_cycles"):
            self._cycles = selectors.goal_cycles(goal_id=self.goal.pk)
        return self._cycles

    def get_initial(self):
        previous = self.previous_cycle()
        if previous is None:
            return {"kpi_key": self.goal.kpi_key}
        return {
            "change_idea": previous.change_idea,
            "prediction": previous.prediction,
            "kpi_key": previous.kpi_key,
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title="Plan a PDSA cycle",
            previous=self.previous_cycle(),
            number=len(self.goal_cycles()) + 1,
            **kwargs,
        )

    def perform(self, data):
        return services.pdsa_cycle_plan(
            program=self.request.program,
            goal=self.goal,
            by=self.request.user,
            previous=self.previous_cycle(),
            **data,
        )

    def success_target(self, cycle):
        return cycle


def stage_steps(cycle) -> list[dict]:
    """The four stages, each done, current or to come (an ended cycle has done them all)."""
    reached = STAGE_ORDER.index(cycle.stage)
    return [
        {
            "label": stage.label,
            "state": "done" if index < reached else "current" if index == reached else "todo",
        }
        for index, stage in enumerate(STAGE_ORDER[:-1])
    ]


class PdsaDetailView(CycleMixin, TemplateView):
    capability = VIEW
    template_name = "coaching/pdsa/cycle_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["heading"] = f"PDSA cycle {self.cycle.number}"
        context["steps"] = stage_steps(self.cycle)
        if self.can_move():
            form_class, label = MOVE_FORMS[self.cycle.stage]
            context.update(move_form=form_class(auto_id="id_move_%s"), move_label=label)
        context["can_plan_next"] = (
            self.cycle.is_ended
            and self.plan.status in EDITABLE_PLAN_STATUSES
            and self.access.can(EDIT, self.plan.practice_id)
        )
        return context


class PdsaMoveView(CycleMixin, PlanFormMixin, FormView):
    """Move a cycle on from its stage. GET shows the stage's form on a page of its own (no
    JavaScript needed, and where its errors are shown); the cycle's page embeds the same form."""

    capability = EDIT
    template_name = "coaching/pdsa/cycle_move.html"
    success_message = "The PDSA cycle is moved on."

    def get_form_class(self):
        if self.cycle.stage not in MOVE_FORMS:
            raise Http404("This cycle has ended.")
        return MOVE_FORMS[self.cycle.stage][0]

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "auto_id": "id_move_%s"}

    def get_context_data(self, **kwargs):
        label = MOVE_FORMS.get(self.cycle.stage, (None, ""))[1]
        return super().get_context_data(move_label=label, **kwargs)

    def perform(self, data):
        data = {**data, "from_stage": self.request.POST.get("from_stage", "")}
        self.plan_next = data.pop("plan_next", False)
        return services.pdsa_cycle_move(
            program=self.request.program, cycle=self.cycle, by=self.request.user, data=data
        )

    def success_target(self, cycle):
        if cycle.is_ended and cycle.decision == PdsaDecision.ADAPT and self.plan_next:
            url = reverse(
                "plans:pdsa_add",
                kwargs={"program": self.request.program.slug, "plangoal_pk": cycle.goal_id},
            )
            return f"{url}?after={cycle.pk}"
        return cycle
