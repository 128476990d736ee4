"""Writes to the change library: the goals, with suggested actions and measures, that strengthen
one domain of an instrument. Support plans are drafted from the active ones; plans keep their own
copy of what they took, so retiring or deleting an idea leaves them as they are.

Every function takes the program explicitly (keyword-only), refuses objects of another program
with a ValidationError, and runs in one transaction: bad input changes nothing.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from assessments.instruments.editing import clean_fields, next_position, unknown_fields
from assessments.instruments.models import ChangeIdea, Domain, Instrument
from psp.tenancy.base import ensure_in_program

# What people may change through the change idea form.
CHANGE_IDEA_FIELDS = (
    "domain_key",
    "goal",
    "rationale",
    "suggested_measure",
    "suggested_actions",
    "kpi_key",
    "is_active",
)
MAX_ACTIONS = 10


def instrument_domain_keys(*, instrument: Instrument) -> set[str]:
    """The domain keys used by any version of the instrument: what change ideas may serve."""
    return set(Domain.objects.filter(version__instrument=instrument).values_list("key", flat=True))


def _clean_change_idea(idea: ChangeIdea) -> None:
    errors = {}
    idea.goal = (idea.goal or "").strip()
    idea.kpi_key = (idea.kpi_key or "").strip()
    if not idea.goal:
        errors["goal"] = "Write the goal this idea works towards."
    if idea.domain_key not in instrument_domain_keys(instrument=idea.instrument):
        errors["domain_key"] = "Choose one of the instrument's domains."
    actions = idea.suggested_actions
    if isinstance(actions, str):
        actions = actions.splitlines()
    if not isinstance(actions, list | tuple) or not all(isinstance(a, str) for a in actions):
        errors["suggested_actions"] = "Give the suggested actions as a list of texts."
    else:
        idea.suggested_actions = [a.strip() for a in actions if a.strip()]
        if len(idea.suggested_actions) > MAX_ACTIONS:
            errors["suggested_actions"] = f"Suggest at most {MAX_ACTIONS} actions."
        elif any(len(a) > 300 for a in idea.suggested_actions):
            errors["suggested_actions"] = "Keep each action under 300 characters."
    if idea.kpi_key and idea.kpi_key != slugify(idea.kpi_key):
        errors["kpi_key"] = "Use the KPI's key: lower-case letters, digits and hyphens."
    if errors:
        raise ValidationError(errors)
    clean_fields(idea, exclude=["instrument"])


@transaction.atomic
def change_idea_create(
    *,
    program,
    instrument: Instrument,
    by,
    domain_key: str,
    goal: str,
    rationale: str = "",
    suggested_measure: str = "",
    suggested_actions=(),
    kpi_key: str = "",
    is_active: bool = True,
) -> ChangeIdea:
    """A new entry of the change library, at the end of its domain's list."""
    ensure_in_program(program, instrument)
    idea = ChangeIdea(
        program=program,
        instrument=instrument,
        domain_key=domain_key,
        goal=goal,
        rationale=(rationale or "").strip(),
        suggested_measure=(suggested_measure or "").strip(),
        suggested_actions=list(suggested_actions or []),
        kpi_key=kpi_key or "",
        is_active=is_active,
        position=next_position(
            ChangeIdea.objects.filter(instrument=instrument, domain_key=domain_key)
        ),
    )
    _clean_change_idea(idea)
    idea.save()
    return idea


@transaction.atomic
def change_idea_update(*, program, idea: ChangeIdea, by, data: dict) -> ChangeIdea:
    ensure_in_program(program, idea)
    unknown_fields(data, CHANGE_IDEA_FIELDS)
    updated = ChangeIdea.objects.select_for_update().select_related("instrument").get(pk=idea.pk)
    for field, value in data.items():
        if field in ("rationale", "suggested_measure", "kpi_key") and value is None:
            value = ""
        setattr(updated, field, value)
    _clean_change_idea(updated)
    updated.save()
    return updated


def change_idea_set_active(*, program, idea: ChangeIdea, by, active: bool) -> ChangeIdea:
    """Retire an idea from plan drafting (or bring it back); plans already using it keep it."""
    return change_idea_update(program=program, idea=idea, by=by, data={"is_active": active})


@transaction.atomic
def change_idea_delete(*, program, idea: ChangeIdea, by) -> None:
    """Remove an idea for good. Plan goals drafted from it keep their own copy of the text."""
    ensure_in_program(program, idea)
    idea.delete()
