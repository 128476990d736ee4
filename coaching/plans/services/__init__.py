"""Writes to support plans and their goals: the business rules of plans live here.

Every function takes the program explicitly (keyword-only), refuses any object from another
program with a ValidationError (a stray id is a clear message, never a 500 or a leak) and runs in
one transaction, so a refused change leaves nothing half done.

Lifecycle: a plan is drafted from a submitted assessment (goals for its weak domains, proposed
from the program's change library: drafting.py), edited while it is a draft or active, accepted
(draft → active) once every goal has a measurable target and date and every action an owner and
due date, and completed (active → completed) (lifecycle.py). A practice has one active plan at a
time: accepting another is refused unless the caller asks, explicitly, to complete the current
one in the same step. Goals are added, changed, removed and swapped in goals.py; what all of
these share (the plan's lock, its change history) in editing.py. The plan's actions have their
own services: coaching/actions/services.py.
"""

from coaching.plans.services.drafting import plan_draft_from_assessment
from coaching.plans.services.goals import goal_add, goal_remove, goal_swap_idea, goal_update
from coaching.plans.services.lifecycle import (
    plan_accept,
    plan_complete,
    plan_discard,
    plan_update,
)

__all__ = [
    "goal_add",
    "goal_remove",
    "goal_swap_idea",
    "goal_update",
    "plan_accept",
    "plan_complete",
    "plan_discard",
    "plan_draft_from_assessment",
    "plan_update",
]
