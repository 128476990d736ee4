"""Writes to the caseload rules: the thresholds that flag a program's practices as needing
attention or stalled (read by coaching/caseload/rules.py)."""

from django.core.exceptions import ValidationError
from django.db import transaction

from coaching.caseload.models import CaseloadRules, Severity
from psp.tenancy.base import ensure_in_program

DAY_FIELDS = (
    "attention_days_without_visit",
    "stalled_days_without_visit",
    "days_without_plan_progress",
)
COUNT_FIELDS = ("attention_overdue_actions", "stalled_overdue_actions")
SEVERITY_FIELDS = ("no_plan_progress", "assessment_overdue")
RULE_FIELDS = (
    "attention_days_without_visit",
    "stalled_days_without_visit",
    "attention_overdue_actions",
    "stalled_overdue_actions",
    "days_without_plan_progress",
    "no_plan_progress",
    "assessment_overdue",
)
MAX_DAYS = 3650  # ten years: anything longer is a typo
MAX_ACTIONS = 500


def _whole_number(value, *, field: str, maximum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        try:
            value = int(str(value).strip())
        except ValueError:
            message = "Enter a whole number (0 switches the check off)."
            raise ValidationError({field: message}) from None
    if value < 0:
        raise ValidationError({field: "Enter 0 or more (0 switches the check off)."})
    if value > maximum:
        raise ValidationError({field: f"Enter at most {maximum}."})
    return value


def _check_rules(values: dict) -> None:
    errors = {}
    attention = values["attention_days_without_visit"]
    stalled = values["stalled_days_without_visit"]
    if attention and stalled and stalled <= attention:
        errors["stalled_days_without_visit"] = (
            f"Must be more than the {attention} days after which a practice needs attention "
            "(or 0 to switch it off)."
        )
    attention, stalled = values["attention_overdue_actions"], values["stalled_overdue_actions"]
    if attention and stalled and stalled <= attention:
        errors["stalled_overdue_actions"] = (
            f"Must be more than the {attention} overdue action{'s' if attention != 1 else ''} "
            "at which a practice needs attention (or 0 to switch it off)."
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def caseload_rules_update(*, program, by, data: dict) -> CaseloadRules:
    """Save the program's caseload rules. `data` may hold any of RULE_FIELDS (a partial update
    keeps the others). A day or count of 0 switches that check off; where both the "needs
    attention" and the "stalled" threshold of a check are set, stalled must be the larger."""
    unknown = set(data) - set(RULE_FIELDS)
    if unknown:
        raise ValidationError({name: "This is not a caseload rule." for name in sorted(unknown)})
    rules, _ = CaseloadRules.objects.select_for_update().get_or_create(program=program)
    ensure_in_program(program, rules)
    values = {name: data.get(name, getattr(rules, name)) for name in RULE_FIELDS}
    for name in DAY_FIELDS:
        values[name] = _whole_number(values[name], field=name, maximum=MAX_DAYS)
    for name in COUNT_FIELDS:
        values[name] = _whole_number(values[name], field=name, maximum=MAX_ACTIONS)
    for name in SEVERITY_FIELDS:
        if values[name] not in Severity.values:
            raise ValidationError({name: "Choose not checked, needs attention or stalled."})
    _check_rules(values)
    for name, value in values.items():
        setattr(rules, name, value)
    rules.updated_by = by
    rules.save()
    return rules
