"""Targets and bodies for the permission tables' rows of KPI definitions and targets.

Definitions are the program's, not a practice's: everyone who sees KPIs reads them, only
admins (kpi.define) change them. `kpi` is a definition of the program (a percent KPI with a
program target); `kpi_target` is world.practice's own target for it.
"""

from dataclasses import dataclass, field

from psp.tenancy.scope import program_scope
from tests import factories as f

PREFIXES = ("kpis:definition", "kpis:packs", "kpi-definitions", "kpi-targets")


def handles(route: str) -> bool:
    return route.startswith(PREFIXES)


@dataclass
class Target:
    kwargs: dict
    body: dict = field(default_factory=dict)


def _fields(code: str, name: str) -> dict:
    return {
        "code": code,
        "name": name,
        "description": "Booked appointments missed without notice.",
        "source": "entered",
        "measure": "",
        "unit": "percent",
        "direction": "lower",
        "aggregation": "mean",
        "frequency": "monthly",
        "sector": "",
        "target": "6",
        "min_value": "0",
        "max_value": "100",
        "is_active": True,
    }


def kpi(world):
    return f.KpiDefinitionFactory(
        program=world.program, code="missed", name="Missed appointments", target=5
    )


def target(world, user, name: str, route: str) -> Target:
    with program_scope(world.program):
        if name == "-":
            return Target({}, create_body(world, route))
        definition = kpi(world)
        if name == "kpi_target":
            row = f.KpiPracticeTargetFactory(
                program=world.program, definition=definition, practice=world.practice, target=4
            )
            body = {"target": "3"}
            if route == "kpi-targets-detail":
                body |= {"definition": definition.pk, "practice": world.practice.pk}
            return Target({"pk": row.pk}, body)
        if name == "kpi":
            body = {
                "kpis:definition_edit": _fields("missed", "Missed visits"),
                "kpi-definitions-detail": _fields("missed", "Missed visits"),
                "kpis:definition_targets": {"practice": world.practice.pk, "target": "4"},
            }.get(route, {})
            return Target({"pk": definition.pk}, body)
    raise AssertionError(f"unknown target {name}")


def create_body(world, route: str) -> dict:
    if route == "kpi-targets-list":
        definition = kpi(world)
        return {"definition": definition.pk, "practice": world.practice.pk, "target": "4"}
    return {
        "kpis:definition_new": _fields("wait", "Wait for intake"),
        "kpi-definitions-list": _fields("wait", "Wait for intake"),
        "kpis:packs": {"pack": "primary-care"},
    }.get(route, {})
