"""Shared by the KPI definition tests: URLs, a registered measure for computed KPIs, and the
form a browser sends."""

from contextlib import contextmanager

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from psp.measures.registry import Measure, registry
from psp.tenancy.scope import program_scope


def url(world, name: str, **kwargs) -> str:
    return reverse(f"kpis:{name}", kwargs={"program": world.program.slug, **kwargs})


def api_url(world, name: str, **kwargs) -> str:
    return reverse(name, kwargs={"program": world.program.slug, **kwargs})


def _nothing(program, *, months, practice_ids=None):
    return iter(())


def measure(code: str, **fields) -> Measure:
    values = {
        "name": code.replace("-", " ").capitalize(),
        "description": f"What {code} counts.",
        "unit": "hours",
        "direction": "higher",
        "aggregation": "sum",
        "group": "Coaching dose",
    }
    return Measure(code=code, compute=_nothing, **{**values, **fields})


@contextmanager
def measures_registered(*measures: Measure):
    """Exactly these measures in the registry for the test, the apps' own back afterwards, so
    these tests say what a pack does with registered and missing measures whatever the apps
    register."""
    real = registry.measures
    registry.measures = {m.code: m for m in measures}
    try:
        yield
    finally:
        registry.measures = real


ENTERED = {
    "code": "wait-for-intake",
    "name": "Wait for intake",
    "description": "Days from referral to intake.",
    "source": "entered",
    "measure": "",
    "unit": "days",
    "direction": "lower",
    "aggregation": "median",
    "frequency": "monthly",
    "sector": "",
    "target": "14",
    "min_value": "0",
    "max_value": "365",
    "is_active": "on",
}


def count(client, path) -> int:
    """The queries a page costs, after a first visit (which records the person's program)."""
    client.get(path)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def drafted_plan(world):
    """A draft support plan of world.practice (its coach's), with no goals yet."""
    from tests.factories import SupportPlanFactory

    with program_scope(world.program):
        return SupportPlanFactory(program=world.program, practice=world.practice)


def name_goals(plan, kpi_key: str, total: int) -> None:
    """Give the plan goals naming `kpi_key` until it has `total` of them."""
    from tests.factories import PlanGoalFactory

    program = plan.program
    with program_scope(program):
        have = plan.goals.filter(kpi_key=kpi_key).count()
        for i in range(have, total):
            PlanGoalFactory(program=program, plan=plan, kpi_key=kpi_key, position=i)
