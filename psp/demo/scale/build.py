"""Generate one scale program: replace it, build every area chunk by chunk, then bring its
derived data current (the caseload standings, and whatever summaries `DERIVED` lists).

`scale_add` builds only some later areas (CPD, compliance checklists) into a program generated
earlier, replacing that program's earlier rows of them: a program of a million visits gets
them without being generated again.

The rows are written in one transaction (a failed run leaves the earlier program in place);
the derived data is computed after the commit, as the nightly jobs would, so that the changes
the commit stamps (practices/derived.py) are older than the computations.
"""

import importlib
import time
from collections.abc import Callable

from django.db import connection, transaction
from django.utils import timezone

from assessments.instruments.selectors import version_structure
from assessments.models import ChangeIdea
from practices import derived
from practices.models import Practice
from psp.demo.scale import assessments, compliance, cpd, kpis, plans, practices, visits
from psp.demo.scale.context import ScaleContext
from psp.demo.scale.program import (
    areas_delete,
    instrument_load,
    people_build,
    people_find,
    program_replace,
)
from psp.demo.scale.spec import VISITS_PER_PRACTICE, ScaleSpec
from psp.tenancy.models import Program
from psp.tenancy.scope import program_scope

CHUNK = 250  # practices per round of writes: about 25,000 visits and 60,000 KPI values

# The areas `scale_add` can build into an existing program: (name, setup, build per chunk).
AREAS = {
    "cpd": ("CPD", cpd.cpd_setup, cpd.cpd_build),
    "compliance": ("compliance", compliance.compliance_setup, compliance.compliance_build),
}

# Derived data brought current after the rows are in, each "module:function" called with the
# program in scope as function(program=...). A summary another part of the platform adds joins
# the list; one not importable on this branch is skipped and said so.
DERIVED = [
    ("caseload standings", "coaching.caseload.tasks:refresh_caseload_standings"),
    ("dose summary", "coaching.dose.summary:dose_rebuild"),
    ("feedback summary", "coaching.feedback.summary:feedback_rebuild"),
    ("KPI summaries", "kpis.refresh.services:kpis_refresh"),
    ("CPD standings", "cpd.progress.standings:standings_rebuild"),
]
# The derived data an added area needs brought current after it (`--add`).
AREA_DERIVED = {"cpd": ["CPD standings"]}


def scale_generate(
    *, slug: str, visits_total: int, seed: int, progress: Callable[[str], None]
) -> tuple[ScaleContext, dict]:
    """Build the program; returns its context (with row counts) and the seconds per step."""
    spec = ScaleSpec(seed=seed, visits=visits_total, today=timezone.localdate(), slug=slug)
    timings: dict[str, float] = {}
    step = _stepper(timings)
    with transaction.atomic():
        program = step("replace program", program_replace, slug)
        with program_scope(program):
            ctx = _build(spec, program, step, progress)
        derived.mark_stale(program_ids=[program.pk])  # COPY wrote around the models' marking
    # Fresh statistics, as after a restore: with none yet, the planner guesses the new millions
    # of rows are a handful, and the first standings computation takes minutes, not seconds.
    step("analyze", _analyze)
    _derived(program, DERIVED, step, progress)
    step("analyze", _analyze)  # again: the standings and summaries were just written
    return ctx, timings


def _derived(program, targets, step, progress) -> None:
    with program_scope(program):
        for name, target in targets:
            hook = _hook(target)
            if hook is None:
                progress(f"{name}: not on this branch ({target}), skipped")
                continue
            progress(f"bringing {name} current")
            step(name, _call, hook, program)


def scale_add(
    *, slug: str, areas: list[str], seed: int, progress: Callable[[str], None]
) -> tuple[ScaleContext, dict]:
    """Build `areas` (keys of AREAS) into the scale program `slug` generated earlier with `seed`,
    after deleting its earlier rows of them, all in one transaction; returns the context (with
    row counts) and the seconds per step. LookupError when there is no such program."""
    timings: dict[str, float] = {}
    step = _stepper(timings)
    program = Program.objects.filter(slug=slug).first()
    if program is None:
        raise LookupError(f"There is no program {slug} to add to: generate it first.")
    with transaction.atomic(), program_scope(program):
        practice_ids = list(Practice.objects.order_by("pk").values_list("pk", flat=True))
        # The size it was generated at: practices are visits/100 (spec.py).
        visits_total = max(len(practice_ids), 1) * VISITS_PER_PRACTICE
        spec = ScaleSpec(seed=seed, visits=visits_total, today=timezone.localdate(), slug=slug)
        people = step("people", people_find, program, spec)
        ctx = ScaleContext(spec=spec, program=program, people=people, practice_ids=practice_ids)
        progress(f"removing the program's earlier {', '.join(areas)} rows")
        step("remove earlier rows", areas_delete, program, areas)
        _areas(ctx, areas, step, progress)
    step("analyze", _analyze)
    wanted = {name for area in areas for name in AREA_DERIVED.get(area, [])}
    _derived(program, [(n, t) for n, t in DERIVED if n in wanted], step, progress)
    return ctx, timings


def _stepper(timings: dict):
    def step(name, work, *args):
        started = time.monotonic()
        result = work(*args)
        timings[name] = timings.get(name, 0) + time.monotonic() - started
        return result

    return step


def _areas(ctx: ScaleContext, areas, step, progress) -> None:
    """The areas' setup, then their rows chunk by chunk of practices."""
    built = []
    for key in areas:
        name, setup, build = AREAS[key]
        progress(f"{name}: loading and setting up")
        built.append((name, build, step(f"{name} setup", setup, ctx)))
    practices_total = len(ctx.practice_ids)
    for first in range(0, practices_total, CHUNK):
        chunk = range(first, min(first + CHUNK, practices_total))
        progress(f"{', '.join(areas)}: practices {first + 1}-{chunk.stop} of {practices_total}")
        for name, build, ready in built:
            step(name, build, ctx, ready, chunk)


def _build(spec, program, step, progress) -> ScaleContext:
    progress(f"people: {spec.coaches} coaches, {spec.practices} practice leads")
    people = step("people", people_build, program, spec)
    ctx = ScaleContext(spec=spec, program=program, people=people)
    ctx.version = step("instrument", instrument_load, program, people)
    ctx.structure = version_structure(version_id=ctx.version.pk)
    ideas: dict = {}
    for idea in ChangeIdea.objects.filter(is_active=True).order_by("position", "pk"):
        ideas.setdefault(idea.domain_key, []).append(idea)
    progress(f"{spec.practices} practices with stage history, coaches and leads")
    step("practices", practices.practices_build, ctx)
    step("KPI definitions", kpis.definitions_build, ctx)
    visit_tables, assessment_tables = visits.VisitTables(), assessments.AssessmentTables()
    plan_tables, value_table = plans.PlanTables(), kpis.ValueTable()
    for first in range(0, spec.practices, CHUNK):
        chunk = range(first, min(first + CHUNK, spec.practices))
        progress(f"practices {chunk.start + 1}-{chunk.stop} of {spec.practices}")
        step("visits", visits.visits_build, ctx, visit_tables, chunk)
        baselines = step(
            "assessments", assessments.assessments_build, ctx, assessment_tables, chunk
        )
        step("plans", plans.plans_build, ctx, plan_tables, baselines, ideas)
        step("KPI values", kpis.values_build, ctx, value_table, chunk)
    _areas(ctx, list(AREAS), step, progress)
    return ctx


def _analyze() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _hook(target: str):
    module_name, _, name = target.partition(":")
    try:
        return getattr(importlib.import_module(module_name), name)
    except (ImportError, AttributeError):
        return None


def _call(hook, program) -> None:
    # A Celery task (a program_task such as the nightly standings job) called directly runs
    # here, in this process, in the program's scope.
    if hasattr(hook, "delay"):
        hook(program_id=program.pk)
    else:
        hook(program=program)
