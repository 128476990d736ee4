"""ProgramAccess.can(), cell by cell, against the matrix as it is meant to be.

EXPECTED is written out by hand on purpose: it is not read from MATRIX, so an accidental edit of
psp/tenancy/permissions.py fails here. Changing a rule means changing both (docs/permissions.md).
"""

import pytest

from psp.tenancy.access import access_for
from psp.tenancy.permissions import Capability
from psp.tenancy.scope import program_scope
from tests.factories import PracticeFactory, PracticeMembershipFactory

ROLES = ("admin", "manager", "coach", "lead", "staff")

EXPECTED = """
capability              admin    manager  coach     lead     staff
people.view             program  program  -         -        -
people.manage           program  -        -         -        -
practice.view           program  program  assigned  own      own
practice.create         program  -        -         -        -
practice.edit           program  -        assigned  own      -
practice.move_stage     program  -        assigned  -        -
practice.assign_coach   program  -        -         -        -
practice.invite_staff   program  -        -         own      -
api_tokens.own          program  program  program   -        -
instrument.view         program  program  program   program  program
instrument.manage       program  -        -         -        -
assessment.view         program  program  assigned  own      own
assessment.open         program  -        assigned  own      -
assessment.answer       -        -        assigned  own      own
assessment.facilitate   -        -        assigned  own      -
plan.view               program  program  assigned  own      own
plan.edit               program  -        assigned  own      -
action.update           program  -        assigned  own      own
visit.view              program  program  assigned  own      own
visit.log               -        -        assigned  -        -
caseload.view           program  program  assigned  -        -
caseload.rules_manage   program  -        -         -        -
feedback.results        program  program  assigned  -        -
program.settings        program  -        -         -        -
tasks.view              program  -        -         -        -
report.practice         program  program  assigned  own      -
report.program          program  program  -         -        -
notifications.own       program  program  program   program  program
kpi.define              program  -        -         -        -
kpi.view                program  program  assigned  own      own
kpi.enter               program  -        assigned  own      own
kpi.dashboard           program  program  -         -        -
cpd.define              program  -        -         -        -
cpd.record              program  program  program   program  program
cpd.view                program  program  -         own      -
cpd.verify              program  -        -         -        -
compliance.define       program  -        -         -        -
compliance.view         program  program  assigned  own      own
compliance.complete     -        -        -         own      own
compliance.attest       -        -        -         own      -
"""

# What a cell means for (anywhere at all, the person's own/assigned practice, another practice).
OUTCOMES = {
    "program": (True, True, True),
    "assigned": (True, True, False),
    "own": (True, True, False),
    "-": (False, False, False),
}
WHERE = ("anywhere", "their_practice", "another_practice")


def _expected_table() -> dict[str, dict[str, str]]:
    header, *rows = (line.split() for line in EXPECTED.strip().splitlines())
    assert header[1:] == list(ROLES)
    return {row[0]: dict(zip(ROLES, row[1:], strict=True)) for row in rows}


TABLE = _expected_table()
CELLS = [
    pytest.param(capability, role, where, OUTCOMES[cell][i], id=f"{capability}-{role}-{where}")
    for capability, cells in TABLE.items()
    for role, cell in cells.items()
    for i, where in enumerate(WHERE)
]


def _access(world, user):
    with program_scope(world.program):
        access = access_for(program=world.program, user=user)
        assert access is not None
        # Resolve the lazy lookups inside the scope, as a request would.
        access.practice_roles, access.assigned_practice_ids  # noqa: B018
        return access


def test_the_expected_table_names_every_capability_once():
    assert sorted(TABLE) == sorted(c.value for c in Capability)


@pytest.mark.django_db
@pytest.mark.parametrize(("capability", "role", "where", "allowed"), CELLS)
def test_cell(world, capability, role, where, allowed):
    access = _access(world, world.user(role))
    practice_id = {
        "anywhere": None,
        "their_practice": world.practice.pk,
        "another_practice": world.other_practice.pk,
    }[where]
    with program_scope(world.program):
        assert access.can(Capability(capability), practice_id) is allowed


@pytest.mark.django_db
def test_a_lead_of_one_practice_and_staff_of_another_acts_as_lead_only_in_the_first(world):
    PracticeMembershipFactory(
        program=world.program, practice=world.other_practice, user=world.lead, role="staff"
    )
    access = _access(world, world.lead)
    with program_scope(world.program):
        assert access.can(Capability.PRACTICE_EDIT, world.practice.pk)
        assert not access.can(Capability.PRACTICE_EDIT, world.other_practice.pk)
        assert access.can(Capability.PRACTICE_VIEW, world.other_practice.pk)


@pytest.mark.django_db
def test_an_inactive_practice_membership_gives_nothing(world):
    world.lead.practice_memberships.model.all_programs.filter(user=world.lead).update(
        is_active=False
    )
    access = _access(world, world.lead)
    with program_scope(world.program):
        assert not access.can(Capability.PRACTICE_VIEW)
        assert not access.can(Capability.PRACTICE_VIEW, world.practice.pk)


@pytest.mark.django_db
def test_the_practice_filter_selects_exactly_the_practices_a_role_reaches(world):
    PracticeFactory(program=world.program, name="Third Practice")
    expected = {
        "admin": 3,
        "manager": 3,
        "coach": {world.practice.pk},
        "lead": {world.practice.pk},
        "staff": {world.practice.pk},
    }
    for role, want in expected.items():
        access = _access(world, world.user(role))
        with program_scope(world.program):
            ids = set(
                world.practice._meta.model.objects.filter(
                    access.practice_filter(Capability.PRACTICE_VIEW)
                ).values_list("pk", flat=True)
            )
        assert (len(ids) if isinstance(want, int) else ids) == want, role


@pytest.mark.django_db
def test_someone_without_a_role_in_the_program_has_no_access(world, other_world, outsider):
    for person in (outsider, other_world.admin, other_world.lead):
        with program_scope(world.program):
            assert access_for(program=world.program, user=person) is None


@pytest.mark.django_db
def test_a_deactivated_program_membership_has_no_access(world):
    with program_scope(world.program):
        world.coach.program_memberships.update(is_active=False)
        assert access_for(program=world.program, user=world.coach) is None
