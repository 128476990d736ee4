"""Assigning checklist templates to practices (program admins, pages and API alike): to one
practice, to each practice a filter of the practice list matched (one assignment each, so the
choice stays what the admin saw), to every practice of a sector (including those enrolled
later), or to every practice; and ending an assignment.

Right after an assignment is written, the scheduler runs in the same transaction, so the
practices' instances exist when the page answers. Assigning what is assigned already (the same
template to the same target) writes nothing and says so; instances are unique per period, so
overlapping assignments never make a checklist twice.
"""

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from compliance.checklists.models import ChecklistTemplate
from compliance.checklists.services import line
from compliance.schedules.models import ChecklistAssignment
from compliance.schedules.services import schedule_instances
from practices.models import Practice
from psp.dates import EARLIEST_DATE, LATEST_DATE
from psp.tenancy.base import ensure_in_program
from psp.tenancy.models import Sector


@dataclass
class Assigned:
    """What one assigning did."""

    made: list[ChecklistAssignment] = field(default_factory=list)
    # Targets assigned this template already (their active assignments), left as they were.
    already: list[ChecklistAssignment] = field(default_factory=list)
    # Practices a filter matched that are of another sector than the template's.
    other_sector: list[Practice] = field(default_factory=list)
    instances: int = 0  # checklists the scheduler made at once


def _ready(template: ChecklistTemplate) -> None:
    if not template.is_active:
        raise ValidationError({"template": "This template is inactive: reactivate it first."})
    if template.current_version_id is None:
        raise ValidationError(
            {"template": "This template has no published version yet: publish it first."}
        )


def _starts_on(program, starts_on) -> date:
    starts_on = starts_on or program.local_today()
    if not isinstance(starts_on, date) or not EARLIEST_DATE <= starts_on <= LATEST_DATE:
        raise ValidationError({"starts_on": f"Give a date from {EARLIEST_DATE} to {LATEST_DATE}."})
    return starts_on


def _target_words(assignment: ChecklistAssignment) -> str:
    if assignment.practice_id:
        return assignment.practice.name
    if assignment.sector:
        return f"every {assignment.get_sector_display().lower()} practice"
    return "every practice"


@transaction.atomic
def checklist_assign(
    *,
    program,
    by,
    template: ChecklistTemplate,
    practices=None,
    sector: str = "",
    every_practice: bool = False,
    starts_on: date | None = None,
) -> Assigned:
    """Assign `template` to each of `practices` (one or many), or to a `sector`, or to
    `every_practice`: exactly one of the three. Practices of another sector than a sector
    template's are left out (in `other_sector`); a target assigned already is left as it is."""
    ensure_in_program(program, template)
    template = ChecklistTemplate.objects.select_for_update().get(pk=template.pk)
    _ready(template)
    starts_on = _starts_on(program, starts_on)
    chosen = [practices is not None, bool(sector), bool(every_practice)]
    if sum(chosen) != 1:
        raise ValidationError(
            {"target": "Choose one: practices, a sector, or every practice of the program."}
        )
    result = Assigned()
    active = ChecklistAssignment.objects.filter(template=template, is_active=True)
    targets = _targets(program, template, practices, sector, every_practice, result)
    for practice, target_sector in targets:
        found = active.filter(practice=practice, sector=target_sector).first()
        if found is not None:
            result.already.append(found)
            continue
        assignment = ChecklistAssignment.objects.create(
            program=program,
            template=template,
            practice=practice,
            sector=target_sector,
            starts_on=starts_on,
            created_by=by,
        )
        result.made.append(assignment)
    if result.made:
        result.instances = schedule_instances(program=program)
        _assigned_line(program, template, by, result, starts_on)
    return result


def _targets(program, template, practices, sector, every_practice, result) -> list[tuple]:
    """(practice or None, sector or "") for each assignment to write."""
    if every_practice:
        if template.sector:
            raise ValidationError(
                {
                    "target": f"This template is for {template.get_sector_display().lower()} "
                    "practices: assign it to that sector rather than every practice."
                }
            )
        return [(None, "")]
    if sector:
        if sector not in Sector.values:
            raise ValidationError({"sector": "Choose one of the sectors."})
        if template.sector and sector != template.sector:
            kind = template.get_sector_display().lower()
            raise ValidationError({"sector": f"This template is for {kind} practices."})
        return [(None, sector)]
    practices = list(practices)
    if not practices:
        raise ValidationError({"practices": "No practice was chosen (or the filter matched none)."})
    ensure_in_program(program, *practices)
    targets = []
    for practice in practices:
        if template.sector and practice.sector != template.sector:
            result.other_sector.append(practice)
        else:
            targets.append((practice, ""))
    if not targets:
        raise ValidationError(
            {
                "practices": f"This template is for {template.get_sector_display().lower()} "
                "practices, and none was chosen."
            }
        )
    return targets


def _assigned_line(program, template, by, result: Assigned, starts_on: date) -> None:
    names = [_target_words(a) for a in result.made]
    shown = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
    line(
        program,
        template.pk,
        by,
        "checklist_template.assigned",
        f"Assigned to {shown} from {starts_on.day} {starts_on:%b %Y}; "
        f"{result.instances} checklist{'s' * (result.instances != 1)} made at once.",
        {"assignments": [None, [a.pk for a in result.made]]},
    )


@transaction.atomic
def assignment_deactivate(*, program, assignment: ChecklistAssignment, by) -> ChecklistAssignment:
    """End an assignment: no new checklists are made under it. Those made stay, to be completed
    or read."""
    ensure_in_program(program, assignment)
    locked = (
        ChecklistAssignment.objects.select_for_update(of=("self",))
        .select_related("template", "practice")
        .get(pk=assignment.pk)
    )
    if not locked.is_active:
        raise ValidationError("This assignment has ended already.")
    locked.is_active = False
    locked.save(update_fields=["is_active"])
    line(
        program,
        locked.template_id,
        by,
        "checklist_template.unassigned",
        f"No longer assigned to {_target_words(locked)}: checklists made already stay.",
        {"assignment": [locked.pk, None]},
    )
    return locked
