"""Writing KPI definitions and practices' own targets (program admins, pages and API alike).

Every write checks its input whole and names each fault by field (a code already taken, a
lowest value above the highest, a percent target outside 0 to 100, a computed KPI without a
measure), saves in one transaction, files a line of the definition's history (psp/history, under
the definition, practice 0 for the program's own settings) and, where dashboards read what
changed (targets, how values combine), records the KPI summaries as out of date.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from kpis.models import KpiDefinition, KpiPracticeTarget, Source
from kpis.refresh.services import kpis_request_refresh
from psp.history.models import SubjectType
from psp.history.services import changes_phrase, record_change
from psp.measures.registry import Unit, registry
from psp.tenancy.base import ensure_in_program

DEFINITION_FIELDS = (
    "code",
    "name",
    "description",
    "unit",
    "direction",
    "aggregation",
    "frequency",
    "source",
    "measure",
    "sector",
    "target",
    "min_value",
    "max_value",
    "is_active",
)
# What a computed KPI takes from its measure when it is not given.
FROM_MEASURE = ("unit", "direction", "aggregation")
# Changes that alter what the dashboards' summaries say.
SUMMARY_FIELDS = {"target", "aggregation", "unit", "direction", "is_active", "sector", "measure"}
PROGRAM_LINE = 0  # the practice id of a history line about the program's own definition


def _state(definition: KpiDefinition) -> dict:
    return {name: getattr(definition, name) for name in DEFINITION_FIELDS}


def definition_create(*, program, by, data: dict) -> KpiDefinition:
    """A new KPI definition of the program, placed after the others."""
    with transaction.atomic():
        definition = KpiDefinition(program=program, position=_next_position())
        _apply(definition, data)
        definition_clean(definition)
        definition.save()
        _line(program, definition, by, "kpi.created", f"KPI “{definition.name}” defined.")
        kpis_request_refresh(program=program, reason="kpi definition created")
    return definition


def definition_update(*, program, definition: KpiDefinition, by, data: dict) -> KpiDefinition:
    """Change some of a definition's fields (`data` holds any of DEFINITION_FIELDS)."""
    ensure_in_program(program, definition)
    with transaction.atomic():
        locked = KpiDefinition.objects.select_for_update().get(pk=definition.pk)
        before = _state(locked)
        _apply(locked, data, measure_was=before["measure"])
        definition_clean(locked, measure_was=before["measure"])
        changes, phrase = changes_phrase(KpiDefinition, before, _state(locked))
        if not changes:
            return locked
        locked.save()
        _line(program, locked, by, "kpi.edited", phrase, changes)
        if SUMMARY_FIELDS & set(changes):
            kpis_request_refresh(program=program, reason="kpi definition changed")
    return locked


def definition_delete(*, program, definition: KpiDefinition, by) -> None:
    """Remove a definition with its targets and values; its history stays."""
    ensure_in_program(program, definition)
    with transaction.atomic():
        _line(program, definition, by, "kpi.deleted", f"KPI “{definition.name}” removed.")
        definition.delete()
        kpis_request_refresh(program=program, reason="kpi definition removed")


def _next_position() -> int:
    last = KpiDefinition.objects.order_by("-position").values_list("position", flat=True).first()
    return 0 if last is None else last + 1


def _apply(definition: KpiDefinition, data: dict, *, measure_was: str = "") -> None:
    unknown = set(data) - set(DEFINITION_FIELDS)
    if unknown:
        raise ValidationError({name: "This is not a field of a KPI." for name in sorted(unknown)})
    for name, value in data.items():
        if isinstance(value, str):
            value = value.strip()
        setattr(definition, name, value)
    measure = registry.get(definition.measure) if definition.measure else None
    if definition.source == Source.COMPUTED and measure is not None:
        # A computed KPI is counted the way its measure counts, unless the admin said otherwise.
        for name in FROM_MEASURE:
            if not getattr(definition, name) or (
                name not in data and definition.measure != measure_was
            ):
                setattr(definition, name, getattr(measure, name))


def definition_clean(definition: KpiDefinition, *, measure_was: str = "") -> None:
    """Every fault of the definition by field, or nothing; ValidationError when any."""
    errors: dict[str, str] = {}
    for name in FROM_MEASURE:
        if not getattr(definition, name):
            errors[name] = "Choose one (a computed KPI can take its measure's)."
    _check_measure(definition, errors, measure_was)
    _check_numbers(definition, errors)
    code = definition.code
    if code:
        taken = KpiDefinition.objects.filter(code=code).exclude(pk=definition.pk).first()
        if taken is not None:
            errors["code"] = f"The code “{code}” is already used by “{taken.name}” here."
    try:
        definition.full_clean(exclude=["program", *errors], validate_constraints=False)
    except ValidationError as error:
        errors = {**error.message_dict, **errors}
    if errors:
        raise ValidationError(errors)


def _check_measure(definition: KpiDefinition, errors: dict, measure_was: str) -> None:
    if definition.source == Source.COMPUTED:
        if not definition.measure:
            errors["measure"] = "A computed KPI needs a measure: choose what it is computed from."
        elif definition.measure != measure_was and registry.get(definition.measure) is None:
            errors["measure"] = f"No measure “{definition.measure}” is available here."
    elif definition.measure:
        errors["measure"] = "Only a computed KPI has a measure: leave it empty for an entered KPI."


def _check_numbers(definition: KpiDefinition, errors: dict) -> None:
    low, high, target = definition.min_value, definition.max_value, definition.target
    if low is not None and high is not None and low > high:
        errors["max_value"] = "The highest allowed value must not be below the lowest."
    if definition.unit == Unit.PERCENT:
        for name, value in (("target", target), ("min_value", low), ("max_value", high)):
            if value is not None and not Decimal(0) <= value <= Decimal(100):
                errors.setdefault(name, "A percent must be from 0 to 100.")
    if target is not None and "target" not in errors:
        message = target_range_problem(definition, target)
        if message:
            errors["target"] = message


def target_range_problem(definition: KpiDefinition, target: Decimal) -> str:
    """Why `target` cannot be the KPI's target (outside its allowed range), or ""."""
    low, high = definition.min_value, definition.max_value
    if definition.unit == Unit.PERCENT and not Decimal(0) <= target <= Decimal(100):
        return "A percent target must be from 0 to 100."
    if (low is not None and target < low) or (high is not None and target > high):
        return f"The target must be within the allowed values ({_range(low, high)})."
    return ""


def _range(low, high) -> str:
    if low is not None and high is not None:
        return f"{low.normalize():f} to {high.normalize():f}"
    if low is not None:
        return f"{low.normalize():f} or more"
    return f"{high.normalize():f} or less"


def _line(program, definition, by, what: str, summary: str, changes=None, practice=None):
    record_change(
        program=program,
        practice=practice.pk if practice is not None else PROGRAM_LINE,
        subject_type=SubjectType.KPI,
        subject_id=definition.pk,
        what=what,
        summary=summary,
        changes=changes,
        by=by,
    )


# Practices' own targets ----------------------------------------------------------------------


def practice_target_set(
    *, program, definition: KpiDefinition, practice, target, by
) -> KpiPracticeTarget | None:
    """Set (or with `target` None, clear) the practice's own target for the KPI, in place of
    the program's; returns the target row, or None once cleared."""
    ensure_in_program(program, definition, practice)
    if target is not None:
        message = target_range_problem(definition, Decimal(target))
        if message:
            raise ValidationError({"target": message})
    with transaction.atomic():
        row = (
            KpiPracticeTarget.objects.select_for_update()
            .filter(definition=definition, practice=practice)
            .first()
        )
        before = row.target if row is not None else None
        if target is None:
            if row is not None:
                row.delete()
                row = None
        elif row is None:
            row = KpiPracticeTarget.objects.create(
                program=program, definition=definition, practice=practice, target=target
            )
        else:
            row.target = target
            row.save(update_fields=["target"])
        after = row.target if row is not None else None
        if before != after:
            _target_line(program, definition, practice, by, before, after)
            kpis_request_refresh(program=program, reason="practice target changed")
    return row


def _target_line(program, definition, practice, by, before, after) -> None:
    words = f"{_plain(before)} → {_plain(after)}"
    _line(
        program,
        definition,
        by,
        "kpi.target_set" if after is not None else "kpi.target_cleared",
        f"Target of {practice.name} for “{definition.name}”: {words}.",
        {"target": [before, after]},
        practice=practice,
    )


def _plain(value) -> str:
    return "the program's" if value is None else f"{Decimal(value).normalize():f}"
