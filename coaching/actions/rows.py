"""What an action's row shows, wherever it is shown (the plan page under its goal, the follow-up
lists, the action's own page): overdue, whether the person may move it now with its status
form, and on the plan page its edit form. The row itself is templates/coaching/actions/_row.html;
a status change answers htmx with it (coaching/actions/views.py, ActionStatusView)."""

from coaching.actions import selectors
from coaching.actions.forms import ActionForm, ActionStatusForm
from coaching.actions.models import PlanAction
from coaching.plans.models import PlanStatus
from psp.tenancy.permissions import Capability

UPDATE = Capability.ACTION_UPDATE


def decorate(
    action: PlanAction, *, access, today=None, form=None, plan=None, owners=None
) -> PlanAction:
    """Attach what the row shows. `form`: the status form with errors, when the view has one.
    `plan`: the action's plan when the caller already holds it (the plan page: no query per
    row). `owners`: the people an action may be given to, for those who edit the plan (the
    plan page): the row then carries the edit form too."""
    action.overdue = selectors.is_overdue(action, today)
    if plan is None and action.plan_id is not None:
        plan = action.plan
    # An action of a plan moves while the plan is active; one agreed at a visit, at any time.
    plan_allows = plan is None or plan.status == PlanStatus.ACTIVE
    action.can_move = plan_allows and access.can(UPDATE, action.practice_id)
    action.waits_for_plan = not plan_allows
    if action.can_move:
        action.status_form = form or ActionStatusForm(
            initial={"status": action.status}, auto_id=f"id_status{action.pk}_%s"
        )
    if owners is not None:
        action.edit_form = ActionForm(
            initial={"title": action.title, "owner": action.owner_id, "due_on": action.due_on},
            owners=owners,
            auto_id=f"id_action{action.pk}_%s",
        )
    return action
