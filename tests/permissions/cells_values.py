"""Targets and bodies for the permission tables' rows of KPI values (issue 12, kpis/values).

- `theirs` / `other` on the entry grid and its cell: world.practice (the coach's, lead's and
  staff's practice) or world.other_practice, with a body that enters last month's value of an
  entered KPI; on the API's detail, a value of that practice.
- `-` on the import: a CSV of one value for world.practice; on the bulk endpoint, the same as
  one JSON item.
"""

from dataclasses import dataclass, field

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from kpis.models import KpiDefinition, KpiValue
from kpis.values.periods import period_code, recent_periods
from psp.tenancy.scope import program_scope

PREFIXES = ("kpis:enter", "kpis:import", "kpi-values")


def handles(route: str) -> bool:
    return route.startswith(PREFIXES)


@dataclass
class Target:
    kwargs: dict
    body: object = field(default_factory=dict)


def entered_kpi(world) -> KpiDefinition:
    with program_scope(world.program):
        definition, _ = KpiDefinition.objects.get_or_create(
            code="cell-visits",
            defaults={"name": "Cell visits", "unit": "count", "aggregation": "sum"},
        )
    return definition


def month_code() -> str:
    return period_code(recent_periods(timezone.localdate(), "monthly", 1, back=1)[0], "monthly")


def target(world, user, name: str, route: str) -> Target:
    definition = entered_kpi(world)
    code = month_code()
    practice = world.practice if name in ("theirs", "-") else world.other_practice
    cell = {f"kpi.{definition.pk}.{code}.value": "7"}
    if route == "kpis:enter":
        return Target({"practice_pk": practice.pk}, cell)
    if route == "kpis:enter_cell":
        body = {"definition": definition.pk, "period": code, **cell}
        return Target({"practice_pk": practice.pk}, body)
    if route == "kpis:import":
        text = f"practice_id,kpi,period,value\n{practice.pk},{definition.code},{code},7\n"
        upload = SimpleUploadedFile("values.csv", text.encode(), content_type="text/csv")
        return Target({}, {"file": upload, "import": ""})
    if route == "kpi-values-bulk":
        return Target({}, [{"practice": practice.pk, "kpi": definition.code, "period": code,
                            "value": 7}])  # fmt: skip
    if route == "kpi-values-detail":
        with program_scope(world.program):
            value = KpiValue.objects.create(
                program=world.program, definition=definition, practice=practice,
                period=recent_periods(timezone.localdate(), "monthly", 1, back=2)[0],
                value=3, origin="entered",
            )  # fmt: skip
        return Target({"pk": value.pk})
    return Target({})
