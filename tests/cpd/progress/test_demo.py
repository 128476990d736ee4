"""The seeded demo's CPD progress: in each program some people are ahead of their scheme's pace
and some behind (the README's login table names them), the stored cycle statuses agree with the
engine, and the progress and completion pages show them."""

import pytest
from django.urls import reverse
from django.utils import timezone

from cpd.models import CpdCycle
from cpd.progress.roster import completion_rows
from cpd.progress.standing import Standing
from cpd.progress.standings import standings_rebuild
from psp.demo.programs import LEGAL, NORTHERN
from psp.tenancy.models import Program, ProgramMembership
from psp.tenancy.scope import program_scope
from tests.demo.conftest import seeded  # noqa: F401 (the shared seeded demo)


@pytest.fixture(params=[NORTHERN, LEGAL])
def program(request, seeded):  # noqa: F811
    program = Program.objects.get(slug=request.param)
    with program_scope(program):
        yield program


@pytest.fixture
def rows(program):
    """Everyone under a scheme with their progress, as the engine computes it."""
    return completion_rows(program=program, today=timezone.localdate())


def test_each_program_has_people_ahead_of_the_pace_and_people_behind(rows):
    ahead = [
        row for row in rows if row.standing in (Standing.ON_PACE, Standing.MET) and row.credits
    ]
    behind = [row for row in rows if row.standing == Standing.BEHIND]

    assert len(ahead) >= 2 and len(behind) >= 2
    assert all(row.cycle is not None for row in ahead + behind)


def test_stored_cycle_statuses_agree_with_the_engine(rows):
    for row in rows:
        if row.cycle is None:
            continue
        stored = CpdCycle.objects.get(pk=row.cycle.pk)
        assert (stored.status == "met") == (row.standing == Standing.MET), row.person
        assert stored.met_on == row.result.met_on


def test_a_person_behind_sees_it_on_their_progress_page_and_managers_on_completion(
    client, program, rows
):
    behind = next(row for row in rows if row.standing == Standing.BEHIND)
    manager = ProgramMembership.objects.filter(role="manager").first().user
    kwargs = {"program": program.slug}

    client.force_login(behind.person)
    mine = client.get(reverse("cpd:progress", kwargs=kwargs))
    standings_rebuild(program=program)  # the nightly job
    client.force_login(manager)
    listed = client.get(reverse("cpd:completion", kwargs=kwargs), {"status": "behind"})

    assert mine.status_code == 200
    assert "Behind pace" in mine.content.decode()
    assert behind.person in [row.person for row in listed.context["rows"]]
