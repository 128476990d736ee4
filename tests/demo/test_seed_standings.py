"""The demo's bulk writes keep the stored caseload standings right: the program-wide caseload
agrees with the one computed in full on first load, and again after seeding puts back visits
that were deleted once the standings had been computed."""

from collections import Counter

import pytest

from coaching.caseload import standings
from coaching.caseload.selectors import caseload
from coaching.models import Visit
from psp.demo.programs import LEGAL, NORTHERN
from psp.tenancy.access import access_for
from psp.tenancy.models import Program, ProgramMembership, ProgramRole
from psp.tenancy.scope import program_scope
from tests.demo.conftest import seed


@pytest.fixture(params=[NORTHERN, LEGAL])
def program(request, seeded):
    return Program.objects.get(slug=request.param)


def stored_and_computed(program) -> tuple[dict, dict]:
    """practice -> status, from the stored standings (as the overview counts and filters) and
    computed in full (as a coach's caseload is), for the program's manager."""
    with program_scope(program):
        manager = ProgramMembership.objects.filter(role=ProgramRole.MANAGER).first().user
        access = access_for(program=program, user=manager)
        stored = standings.program_caseload(access=access)
        computed = caseload(access=access)
        by_standing = {
            row.practice.name: row.status for row in stored.standings.select_related("practice")
        }
        assert stored.counts == computed.counts
        return by_standing, {entry.practice.name: entry.status for entry in computed.entries}


def test_the_overview_is_right_on_first_load(program):
    stored, computed = stored_and_computed(program)

    assert stored == computed
    assert len(set(computed.values())) == 3  # every status shows


def test_seeding_again_puts_back_deleted_visits_and_the_standings_follow(program):
    stored, _ = stored_and_computed(program)  # every standing computed and current
    with program_scope(program):
        # The on-track practice with the longest history of visits: coached the longest.
        visits = Counter(Visit.objects.values_list("practice__name", flat=True))
        on_track = [n for n, status in stored.items() if status == "on_track" and n in visits]
        name = max(on_track, key=visits.__getitem__)
        Visit.objects.filter(practice__name=name).delete()
    without, computed = stored_and_computed(program)
    assert without == computed
    assert without[name] != "on_track"  # unvisited since its coach was assigned, long ago

    seed()  # builds the visits of a practice that has none, in bulk

    with program_scope(program):
        assert Visit.objects.filter(practice__name=name).exists()
    stored_again, computed = stored_and_computed(program)
    assert computed[name] != without[name]
    assert stored_again == computed
