"""Progress read from the database: each cycle under its own rules version, in fixed queries."""

from datetime import date
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from cpd.models import CpdCycle
from cpd.progress.selectors import cycle_progress, progress_of_cycles
from psp.tenancy.scope import program_scope
from tests.cpd.rules_examples import annual_hours, family
from tests.cpd.scheme_factories import add_version, make_activity, make_cycle, make_scheme

TODAY = date(2026, 1, 15)


def test_each_cycle_counts_under_the_version_it_started_under(world):
    scheme = make_scheme(world.program, family(), code="sel-family")
    old = make_cycle(scheme, world.lead, date(2024, 7, 1), date(2029, 6, 30))
    add_version(scheme, annual_hours(), note="switched to annual hours")
    new = make_cycle(scheme, world.staff, date(2025, 7, 1), date(2026, 6, 30))
    make_activity(old, date(2025, 1, 10), 30)
    make_activity(old, date(2025, 2, 10), 5, status="rejected")  # not counted
    make_activity(new, date(2025, 9, 10), 4)
    with program_scope(world.program):
        cycles = list(CpdCycle.objects.filter(pk__in=[old.pk, new.pk]).select_related("version"))
        with CaptureQueriesContext(connection) as queries:
            results = progress_of_cycles(cycles, today=TODAY)
        assert len(queries) == 1
        assert results[old.pk].required_total == Decimal(250)
        assert results[old.pk].earned == Decimal(30)
        assert results[new.pk].required_total != Decimal(250)
        assert results[new.pk].earned == Decimal(4)
        single = cycle_progress(cycles[0], today=TODAY)
    assert single == results[cycles[0].pk]
    assert progress_of_cycles([], today=TODAY) == {}
