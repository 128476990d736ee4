"""Writes of PDSA cycles: plan one on a goal (or the next after an adapted one), change what it
says, and move it on one stage at a time. Each write locks the goal's plan, checks the plan can
still be changed, and files a line in the plan's history, in one transaction."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from coaching.pdsa.models import PdsaCycle, PdsaDecision, PdsaStage
from coaching.plans.models import GoalStatus, PlanGoal
from coaching.plans.services.editing import (
    clean_text,
    ensure_editable,
    locked_plan,
    record_plan_change,
)
from psp.history.services import changes_phrase, diff
from psp.tenancy.base import ensure_in_program

PLAN_FIELDS = ("change_idea", "prediction", "kpi_key", "planned_start")
# The fields a move records, by the stage it leaves; each is required to leave it.
MOVE_FIELDS = {
    PdsaStage.PLAN: ("started_on",),
    PdsaStage.DO: ("what_done",),
    PdsaStage.STUDY: ("result", "studied_on"),
    PdsaStage.ACT: ("decision", "act_notes", "ended_on"),
}
OPTIONAL_MOVE_FIELDS = {"act_notes"}
# Text that can still be corrected once written, by the stage that wrote it.
TEXT_BY_STAGE = {PdsaStage.DO: ("what_done",), PdsaStage.STUDY: ("result",)}
MOVE_SUMMARY = {
    PdsaStage.PLAN: "started",
    PdsaStage.DO: "done: study what happened",
    PdsaStage.STUDY: "studied",
    PdsaStage.ACT: "ended",
}


def _plan_of(program, goal: PlanGoal):
    ensure_in_program(program, goal)
    plan = locked_plan(goal.plan_id)
    ensure_editable(plan)
    return plan


def _clean_plan_fields(data: dict, *, kpi_default: str) -> dict:
    kpi_key = (data.get("kpi_key") or "").strip() or kpi_default
    if len(kpi_key) > 80:
        raise ValidationError({"kpi_key": "At most 80 characters."})
    return {
        "change_idea": clean_text(data.get("change_idea"), field="change_idea", required=True),
        "prediction": clean_text(
            data.get("prediction"), field="prediction", required=True, max_length=4000
        ),
        "kpi_key": kpi_key,
        "planned_start": data.get("planned_start"),
    }


@transaction.atomic
def pdsa_cycle_plan(
    *,
    program,
    goal: PlanGoal,
    by,
    change_idea: str = "",
    prediction: str = "",
    kpi_key: str = "",
    planned_start: date | None = None,
    previous: PdsaCycle | None = None,
) -> PdsaCycle:
    """Plan a new cycle on `goal`. The KPI to watch defaults to the goal's. After an adapted
    cycle (`previous`), blank fields take that cycle's change, prediction and KPI."""
    plan = _plan_of(program, goal)
    if goal.status == GoalStatus.DROPPED:
        raise ValidationError("This goal is dropped; plan cycles on a goal the practice pursues.")
    if previous is not None:
        ensure_in_program(program, previous)
        if previous.goal_id != goal.pk:
            raise ValidationError({"previous": "Choose a cycle of the same goal."})
        change_idea = change_idea or previous.change_idea
        prediction = prediction or previous.prediction
        kpi_key = kpi_key or previous.kpi_key
    fields = _clean_plan_fields(
        {
            "change_idea": change_idea,
            "prediction": prediction,
            "kpi_key": kpi_key,
            "planned_start": planned_start,
        },
        kpi_default=goal.kpi_key,
    )
    last = PdsaCycle.objects.filter(goal=goal).order_by("-number").first()
    cycle = PdsaCycle.objects.create(
        program=program,
        practice_id=plan.practice_id,
        goal=goal,
        number=last.number + 1 if last else 1,
        previous=previous,
        created_by=by,
        **fields,
    )
    after = f", after cycle {previous.number}" if previous is not None else ""
    record_plan_change(
        program=program,
        plan=plan,
        what="pdsa.planned",
        summary=f"PDSA cycle {cycle.number} planned on “{goal.title}”{after}: {cycle.change_idea}",
        changes=diff({}, {k: v for k, v in fields.items() if v not in (None, "")}),
        by=by,
        about=cycle,
    )
    return cycle


def _editable_fields(cycle: PdsaCycle) -> tuple[str, ...]:
    reached = [stage for stage, fields in TEXT_BY_STAGE.items() if getattr(cycle, fields[0])]
    return (
        PLAN_FIELDS
        + tuple(f for stage in reached for f in TEXT_BY_STAGE[stage])
        + (("act_notes",) if cycle.is_ended else ())
    )


@transaction.atomic
def pdsa_cycle_update(*, program, cycle: PdsaCycle, by, data: dict) -> PdsaCycle:
    """Correct what a cycle says: its plan, and the text of the stages it has completed. Dates
    and the decision are set by moving it on and stay as recorded."""
    plan = _plan_of(program, cycle.goal)
    current = PdsaCycle.objects.get(pk=cycle.pk)
    allowed = _editable_fields(current)
    refused = {name: "Not yet: this is recorded by moving the cycle on." for name in data}
    refused = {name: message for name, message in refused.items() if name not in allowed}
    if refused:
        raise ValidationError(refused)
    values = {name: getattr(current, name) for name in PLAN_FIELDS} | data
    after = dict(_clean_plan_fields(values, kpi_default=current.goal.kpi_key))
    for name in set(data) - set(PLAN_FIELDS):
        required = name != "act_notes"
        after[name] = clean_text(data[name], field=name, required=required, max_length=4000)
    before = {name: getattr(current, name) for name in after}
    changed, phrase = changes_phrase(PdsaCycle, before, after)
    if not changed:
        return current
    for name, value in after.items():
        setattr(current, name, value)
    current.save()
    record_plan_change(
        program=program,
        plan=plan,
        what="pdsa.edited",
        summary=f"PDSA cycle {current.number} edited: {phrase}.",
        changes=changed,
        by=by,
        about=current,
    )
    return current


def _check_move(cycle: PdsaCycle, data: dict, today: date) -> dict:
    stage = cycle.stage
    if stage not in MOVE_FIELDS:
        raise ValidationError("This cycle has ended; plan the next one instead.")
    values, errors = {}, {}
    for name in MOVE_FIELDS[stage]:
        value = data.get(name)
        if isinstance(value, str):
            value = value.strip()
        if value in (None, "") and name not in OPTIONAL_MOVE_FIELDS:
            errors[name] = "This field is required."
        elif isinstance(value, date) and value > today:
            errors[name] = "This date is in the future."
        values[name] = value if value is not None else ""
    if values.get("decision") and values["decision"] not in PdsaDecision.values:
        errors["decision"] = "Choose adopt, adapt or abandon."
    earlier = {"studied_on": cycle.started_on, "ended_on": cycle.studied_on}
    for name, before in earlier.items():
        value = values.get(name)
        if isinstance(value, date) and before is not None and value < before:
            errors.setdefault(name, f"This is before the cycle's previous stage ({before}).")
    if errors:
        raise ValidationError(errors)
    return values


@transaction.atomic
def pdsa_cycle_move(
    *, program, cycle: PdsaCycle, by, data: dict, today: date | None = None
) -> PdsaCycle:
    """Move the cycle on from its stage, recording what that stage asks (MOVE_FIELDS): plan ->
    do (started on), do -> study (what was done), study -> act (what happened, studied on), act
    -> ended (adopt, adapt or abandon; notes; ended on). Dates are not in the future and not
    before the previous stage's."""
    plan = _plan_of(program, cycle.goal)
    current = PdsaCycle.objects.select_for_update().get(pk=cycle.pk)
    if data.get("from_stage") and data["from_stage"] != current.stage:
        raise ValidationError("Someone moved this cycle on meanwhile; look at it again.")
    values = _check_move(current, data, today or timezone.localdate())
    leaving = current.stage
    for name, value in values.items():
        setattr(current, name, value)
    current.stage = current.next_stage
    current.save()
    summary = f"PDSA cycle {current.number} {MOVE_SUMMARY[leaving]}"
    if leaving == PdsaStage.ACT:
        summary += f": {current.get_decision_display().lower()}"
    record_plan_change(
        program=program,
        plan=plan,
        what="pdsa.moved",
        summary=summary + ".",
        changes=diff({"stage": leaving}, {"stage": current.stage, **values}),
        by=by,
        about=current,
    )
    return current
