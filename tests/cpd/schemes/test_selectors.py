"""Reading schemes: who a scheme applies to (as cycles.scheme_for decides, in a fixed number of
queries), its versions with what changed, and who may verify."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cpd.models import CpdSchemeMember, CpdVerifier
from cpd.schemes import selectors
from cpd.schemes.cycles import scheme_for
from psp.tenancy.access import access_for
from psp.tenancy.scope import program_scope
from tests.cpd.rules_examples import annual_hours, family
from tests.cpd.scheme_factories import add_version, make_scheme
from tests.factories import PracticeMembershipFactory, UserFactory


@pytest.fixture
def scoped(world):
    with program_scope(world.program):
        yield world


def names(rows):
    return [(row.user.full_name, row.how) for row in rows]


def test_the_people_under_a_scheme_are_those_scheme_for_places_there(scoped):
    first = make_scheme(scoped.program, family(), code="a-family", roles=("lead", "staff"))
    coaches = make_scheme(scoped.program, annual_hours(), code="b-coaching", roles=("coach",))
    picked = make_scheme(scoped.program, annual_hours(), code="c-picked", roles=())
    CpdSchemeMember.objects.create(program=scoped.program, scheme=picked, user=scoped.staff)

    assert names(selectors.people_under(scheme=first)) == [
        ("Lead of North PSP", "Practice lead at North PSP Health Centre")
    ]
    assert names(selectors.people_under(scheme=picked)) == [
        ("Staff of North PSP", "Chosen by hand")
    ]
    assert [r.user for r in selectors.people_under(scheme=coaches)] == [
        scoped.coach,
        scoped.other_coach,
    ]
    for scheme in (first, coaches, picked):
        for row in selectors.people_under(scheme=scheme):
            assert scheme_for(person=row.user, on=date(2026, 1, 1)) == scheme


def test_an_inactive_scheme_applies_to_nobody(scoped):
    scheme = make_scheme(scoped.program, family(), active=False)
    assert selectors.people_under(scheme=scheme) == []


def test_finding_the_people_under_a_scheme_takes_the_same_queries_however_many(scoped):
    scheme = make_scheme(scoped.program, family())

    def count():
        with CaptureQueriesContext(connection) as queries:
            selectors.people_under(scheme=scheme)
        return len(queries)

    before = count()
    for _ in range(5):
        person = UserFactory()
        PracticeMembershipFactory(
            program=scoped.program, practice=scoped.other_practice, user=person
        )
        CpdSchemeMember.objects.create(program=scoped.program, scheme=scheme, user=UserFactory())
    assert count() == before
    assert len(selectors.people_under(scheme=scheme)) == 12


def test_versions_say_what_changed_newest_first(scoped):
    scheme = make_scheme(scoped.program, family())
    add_version(scheme, family(carry_over=None), note="No more carry-over.")
    rows = selectors.version_history(scheme=scheme)
    assert [row.version.number for row in rows] == [2, 1]
    assert rows[0].changes == ["Carry-over: now “Nothing carries over into the next cycle.”"]
    assert rows[1].changes == []


def test_admins_and_named_verifiers_may_verify(scoped):
    CpdVerifier.objects.create(program=scoped.program, user=scoped.coach)
    can = {
        role: selectors.may_verify(
            access=access_for(program=scoped.program, user=scoped.user(role))
        )
        for role in ("admin", "manager", "coach", "other_coach", "lead", "staff")
    }
    assert can == {
        "admin": True,
        "manager": False,
        "coach": True,
        "other_coach": False,
        "lead": False,
        "staff": False,
    }
