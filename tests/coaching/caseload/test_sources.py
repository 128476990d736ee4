"""Every model the caseload rules read is listed in standings.SOURCES and is a
practices.derived.DerivedSource, so no write to it (bulk or not, from any path) can leave a
stored standing looking current when it is not. A model a later change makes the rules read
fails here, by name, until it opts in."""

import re

from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assessments.models import AssessmentStatus
from coaching.caseload import standings
from coaching.caseload.selectors import caseload_rules, entries_of
from coaching.models import ActionStatus, VisitStatus
from practices import checks, derived
from psp.tenancy.scope import program_scope
from tests import factories as f
from tests.coaching.caseload.test_pages import action, active_plan, visit

# Tables the computation reads that cannot change a standing, and why.
READ_BUT_NOT_A_SOURCE = {
    "tenancy.Program": "joined for the links (its slug); the rules never read it",
    "accounts.User": "the coaches' names, shown beside the status",
    "assessments.InstrumentVersion": "the join from a round to its instrument; it never moves",
}
TABLE = re.compile(r'(?:FROM|JOIN)\s+"(\w+)"')


def models_read(world) -> set[str]:
    """The models (by label) whose tables computing a practice's standing reads, with every
    kind of fact present: visits logged and planned, an active plan with goals, actions and
    their history, a submitted assessment, coach assignments."""
    practice = world.practice
    visit(world, practice, days=20)
    visit(world, practice, days=-5, status=VisitStatus.PLANNED)
    late = action(world, active_plan(world, practice), due_days_ago=2)
    f.ActionStatusChangeFactory(program=world.program, action=late, to_status=ActionStatus.DONE)
    f.AssessmentFactory(
        program=world.program,
        practice=practice,
        status=AssessmentStatus.SUBMITTED,
        submitted_at=timezone.now(),
    )
    tables = {model._meta.db_table: model._meta.label for model in apps.get_models()}
    with program_scope(world.program), CaptureQueriesContext(connection) as queries:
        entries_of([practice.pk], today=timezone.localdate(), rules=caseload_rules())
    return {tables[name] for query in queries for name in TABLE.findall(query["sql"])}


def test_every_model_the_caseload_reads_is_a_source(world):
    read = models_read(world)
    sources = {model._meta.label for model in standings.SOURCES}

    assert read - sources - READ_BUT_NOT_A_SOURCE.keys() == set()
    assert sources <= read  # and SOURCES lists nothing the rules do not read


def test_every_source_routes_every_write_through_the_marking():
    for model in standings.SOURCES:
        assert issubclass(model, derived.DerivedSource), model
        assert checks.source_errors(model) == [], model
        for manager in (model.objects, model.all_programs, model._default_manager):
            assert issubclass(manager._queryset_class, derived.SourceQuerySet), manager
